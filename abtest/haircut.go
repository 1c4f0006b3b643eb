package abtest

import "math"

// Haircut is an effect estimate corrected for stopping early. Stopping
// when a boundary is crossed selects large observed effects, so the raw
// estimate at an early stop is biased away from zero. A Haircut is a
// plain value.
type Haircut struct {
	Raw      float64 // effect estimate at the stopping look
	Adjusted float64 // Whitehead's bias-adjusted estimate
	Ratio    float64 // Adjusted/Raw (1 when Raw is 0)
	Low      float64 // lower end of the stagewise-ordering confidence interval
	High     float64 // upper end
}

// AdjustEstimate returns Whitehead's (1986) bias-adjusted estimate and a
// confidence interval valid after sequential stopping (stagewise ordering,
// Tsiatis, Rosner and Mehta 1984) for a design with looks at info (the
// full planned schedule, ending with the final look) and z-scale
// boundaries bounds, stopped at look (0-based) with statistic z. se is the
// standard error of the effect estimate at the stopping look; estimates
// are returned in the effect's units (raw = z·se). alpha sets the
// interval's level 1 − alpha.
//
// Whitehead's estimate θ̃ solves E_θ̃[θ̂] = θ̂_observed, where the
// expectation runs over all the ways the design can stop; the interval
// collects the θ for which the observed outcome is not in either
// alpha/2 tail of the stagewise ordering (earlier stops rank as more
// extreme).
//
// It returns [ErrInfo] for info that is not increasing, outside (0, 1] or
// with looks closer than [MinSpacing], and [ErrTooLarge] for more than
// 1000 looks. It runs about 400 forward integrations over the design:
// about 0.05 s for 20 looks and 2 s for 1000 looks on an idle 2-core
// machine; memory is two grids of at most 16000 points and slices of
// len(info).
func AdjustEstimate(info, bounds []float64, sides Sides, look int, z, se, alpha float64) (Haircut, error) {
	const fn = "AdjustEstimate"
	if len(info) > maxRepeatedLooks {
		return Haircut{}, argErr(fn, "len(info)", float64(len(info)), ErrTooLarge)
	}
	if err := checkInfo(fn, info); err != nil {
		return Haircut{}, err
	}
	if err := checkSpacing(fn, info); err != nil {
		return Haircut{}, err
	}
	if err := checkSides(fn, sides); err != nil {
		return Haircut{}, err
	}
	if err := checkAlpha(fn, alpha); err != nil {
		return Haircut{}, err
	}
	if len(bounds) != len(info) {
		return Haircut{}, argErr(fn, "len(bounds)", float64(len(bounds)), ErrArgument)
	}
	for _, c := range bounds {
		if math.IsNaN(c) || c < 0 && sides == TwoSided {
			return Haircut{}, argErr(fn, "bounds", c, ErrArgument)
		}
	}
	if look < 0 || look >= len(info) {
		return Haircut{}, argErr(fn, "look", float64(look), ErrArgument)
	}
	if !finite(z) {
		return Haircut{}, argErr(fn, "z", z, ErrArgument)
	}
	if !(se > 0) || math.IsInf(se, 0) {
		return Haircut{}, argErr(fn, "se", se, ErrArgument)
	}
	// Work on the drift scale η (E[Z_k] = η√t_k) with a positive statistic;
	// a two-sided design is symmetric, so a negative z is mirrored.
	sign := 1.0
	if z < 0 && sides == TwoSided {
		sign, z = -1, -z
	}
	tk := info[look]
	scale := se * math.Sqrt(tk) // effect = η·scale
	raw := z / math.Sqrt(tk)
	res := resolution{rho: 6, perZ: 40}
	var out passOut
	mean := func(eta float64) float64 {
		forward(pass{info: info, upper: bounds, sides: sides, eta: eta, res: res, moments: true}, &out)
		s := 0.0
		for _, m := range out.mean {
			s += m
		}
		return s
	}
	tail := func(eta float64) float64 {
		forward(pass{info: info, upper: bounds, sides: sides, eta: eta, res: res, tail: &tailLook{look: look, z: z}}, &out)
		s := out.tailAt
		for j := 0; j < look; j++ {
			s += out.up[j]
		}
		return s
	}
	adj := solveIncreasing(mean, raw, raw-10, raw+10)
	lo := solveIncreasing(tail, alpha/2, raw-15, raw+15)
	hi := solveIncreasing(tail, 1-alpha/2, raw-15, raw+15)
	h := Haircut{Raw: sign * raw * scale, Adjusted: sign * adj * scale, Ratio: 1}
	if raw != 0 {
		h.Ratio = adj / raw
	}
	h.Low, h.High = lo*scale, hi*scale
	if sign < 0 {
		h.Low, h.High = -hi*scale, -lo*scale
	}
	if !finite(h.Raw, h.Adjusted, h.Ratio, h.Low, h.High) {
		// z·se overflows: no estimate in the effect's units.
		return Haircut{}, argErr(fn, "se", se, ErrArgument)
	}
	return h, nil
}

// solveIncreasing finds x in [lo, hi] with f(x) = target for increasing f
// by bisection with secant steps, widening the bracket if needed.
func solveIncreasing(f func(float64) float64, target, lo, hi float64) float64 {
	flo, fhi := f(lo)-target, f(hi)-target
	for i := 0; flo > 0 && i < 20; i++ {
		lo -= 10
		flo = f(lo) - target
	}
	for i := 0; fhi < 0 && i < 20; i++ {
		hi += 10
		fhi = f(hi) - target
	}
	for range 100 {
		x := lo - flo*(hi-lo)/(fhi-flo)
		if !(x > lo && x < hi) || hi-lo > 1 {
			x = 0.5 * (lo + hi)
		}
		fx := f(x) - target
		if fx < 0 {
			lo, flo = x, fx
		} else {
			hi, fhi = x, fx
		}
		if math.Abs(fx) < 1e-12 || hi-lo < 1e-10 {
			return x
		}
	}
	return 0.5 * (lo + hi)
}
