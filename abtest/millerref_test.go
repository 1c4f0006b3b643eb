package abtest

import "math"

// planMillerLinear is planMiller as first written, scanning thresholds one
// by one: the reference for the galloping search.
func planMillerLinear(fn string, mde, alpha, power, share float64) (MillerPlan, error) {
	if err := checkAlpha(fn, alpha); err != nil {
		return MillerPlan{}, err
	}
	if err := checkPower(fn, power); err != nil {
		return MillerPlan{}, err
	}
	if !(mde > 0) || math.IsInf(mde, 0) {
		return MillerPlan{}, argErr(fn, "relativeMDE", mde, ErrArgument)
	}
	if !inUnit(share) {
		return MillerPlan{}, argErr(fn, "share", share, ErrProbability)
	}
	r := share / (1 - share)
	p1 := share * (1 + mde) / (share*(1+mde) + (1 - share))
	// Brownian approximation to find a starting threshold.
	m := p1 - r*(1-p1)
	v := p1 + r*r*(1-p1) - m*m
	za := normUpperQuantile(alpha / 2)
	zb := normUpperQuantile(1 - power)
	d0, nApprox := 0, 0.0
	for d := 1; d < 100_000; d++ {
		nMax := math.Pow(float64(d)/za, 2) / r
		x := zb*math.Sqrt(v) + math.Sqrt(zb*zb*v+4*m*float64(d))
		if zb < 0 {
			x = zb*math.Sqrt(v) + math.Sqrt(math.Max(zb*zb*v+4*m*float64(d), 0))
		}
		nMin := x * x / (4 * m * m)
		if nMin <= nMax {
			d0, nApprox = d, nMin
			break
		}
	}
	limit := float64(maxMillerN)
	if share != 0.5 {
		limit = maxMillerSplitN
	}
	if d0 == 0 || nApprox > limit {
		return MillerPlan{}, argErr(fn, "relativeMDE", mde, ErrTooLarge)
	}
	if share == 0.5 {
		return planMillerEqual(mde, alpha, power, p1)
	}
	var w millerWalk
	try := func(d int) (MillerPlan, bool, error) {
		n, fa, fp, err := w.run(d, r, share, p1, alpha, power)
		if err != nil {
			return MillerPlan{}, false, err
		}
		if n < 0 {
			return MillerPlan{}, false, nil
		}
		return MillerPlan{N: n, D: d, Share: share, Ratio: r, RelativeMDE: mde, Alpha: fa, Power: fp}, true, nil
	}
	best, ok, err := try(d0)
	if err != nil {
		return MillerPlan{}, argErr(fn, "relativeMDE", mde, err)
	}
	d := d0
	if ok {
		// walk down while still feasible; stop after three infeasible in a row
		miss := 0
		for dd := d0 - 1; dd >= 1 && miss < 3; dd-- {
			p, ok2, err := try(dd)
			if err != nil {
				return MillerPlan{}, argErr(fn, "relativeMDE", mde, err)
			}
			if ok2 {
				if p.N <= best.N {
					best = p
				}
				miss = 0
			} else {
				miss++
			}
		}
		return best, nil
	}
	for d = d0 + 1; ; d++ {
		p, ok2, err := try(d)
		if err != nil {
			return MillerPlan{}, argErr(fn, "relativeMDE", mde, err)
		}
		if ok2 {
			return p, nil
		}
	}
}
