package abtest

import "math"

// futility follows non-binding beta-spending futility boundaries for a
// Monitor: at each look the boundary a_k is set so that, under the
// planned drift, the probability of reaching look k and falling at or
// below it is the beta spent between the previous look and this one.
// Everything is on the z scale in the preferred direction.
type futility struct {
	spend SpendingFunc
	beta  float64
	eta   float64 // planned drift at full information
	ok    bool    // eta is set
	info  []float64
	upper []float64
	lower []float64 // −Inf where there was none
	bound float64   // latest boundary (0 before it applies)
	spent float64
}

// look records a look at fraction t with efficacy boundary c (the design
// holds the looks before it) and sets the futility boundary for it.
func (f *futility) look(t, c float64, sides Sides) {
	if !f.ok && f.eta > 0 {
		f.ok = true
	}
	a := math.Inf(-1)
	if f.ok {
		a = f.solve(t, c, sides)
	}
	f.info = append(f.info, t)
	f.upper = append(f.upper, c)
	f.lower = append(f.lower, a)
	f.bound = 0
	if !math.IsInf(a, -1) {
		f.bound = a
	}
}

// solve returns the futility boundary of a look at t with efficacy
// boundary c.
func (f *futility) solve(t, c float64, sides Sides) float64 {
	target := f.spend(t, f.beta)
	if !finite(target) {
		return math.Inf(-1)
	}
	target = math.Min(target, f.beta)
	inc := target - f.spent
	if !(inc > 0) {
		return math.Inf(-1)
	}
	info := append(append([]float64(nil), f.info...), t)
	upper := append(append([]float64(nil), f.upper...), c)
	lower := append(append([]float64(nil), f.lower...), math.Inf(-1))
	m, err := newStopModel("futility", Stop{Info: info, Bounds: upper, Futility: lower, Sides: sides, Z: f.eta * math.Sqrt(t), SE: 1, Last: true}, 0.05)
	if err != nil {
		return math.Inf(-1)
	}
	k := len(info) - 1
	sq := math.Sqrt(t)
	below := func(a float64) float64 { // P(reach k, Z_k ≤ a)
		reach, _, _, tail := m.at(k, f.eta, a*sq)
		return reach - tail
	}
	lo, hi := -zCap, c
	if math.IsInf(c, 1) {
		hi = zCap
	}
	if below(hi) <= inc {
		f.spent += below(hi)
		return hi
	}
	for range 100 {
		mid := 0.5 * (lo + hi)
		if below(mid) < inc {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-9 {
			break
		}
	}
	f.spent = target
	return 0.5 * (lo + hi)
}

// bounds returns the futility boundaries of the first n looks.
func (f *futility) bounds(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Inf(-1)
		if i < len(f.lower) {
			out[i] = f.lower[i]
		}
	}
	return out
}
