package abtest

import (
	"math"
	"strconv"
)

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
	m, err := newStopModel("futility", Stop{Info: info, Look: len(info) - 1, Bounds: upper, Futility: lower, Sides: sides, Z: f.eta * math.Sqrt(t), SE: 1, Last: true}, 0.05)
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

// FutilityPlan is a group sequential design with efficacy boundaries by
// alpha spending and non-binding futility boundaries by beta spending,
// sized so that the two meet at the last look. It is a plain value.
type FutilityPlan struct {
	Info     []float64 // information fractions of the looks (of the maximum information)
	Efficacy []float64 // z-scale efficacy boundaries, computed as if futility never stopped
	Futility []float64 // z-scale futility boundaries: stop when Z ≤ Futility[k] (preferred direction)
	// Drift is E[Z] at the maximum information under the planned effect:
	// the maximum information is (Drift/δ)² for an effect δ.
	Drift float64
	// Inflation is the maximum information relative to a fixed-horizon
	// test with the same level, sides and power.
	Inflation float64
	// Power is the probability of crossing an efficacy boundary under the
	// planned effect when futility stops are obeyed (the planned power).
	Power float64
	// Alpha is the probability of crossing the upper efficacy boundary
	// with no effect when futility stops are obeyed; ignoring them gives
	// the design's level, which is what non-binding means.
	Alpha float64
	// ExpectedNull and ExpectedAlt are the expected information at the
	// stop, as fractions of the maximum, with no effect and under the
	// planned effect, when futility stops are obeyed;
	// ExpectedNullNoFutility is the former without futility stopping.
	ExpectedNull, ExpectedAlt, ExpectedNullNoFutility float64
}

// maxFutilityLooks bounds PlanFutility's looks: each trial drift
// integrates the design once per look.
const maxFutilityLooks = 100

// PlanFutility plans a design d with non-binding futility boundaries
// spending beta = 1 − power with betaSpending under the planned effect
// (Jennison and Turnbull 2000, chapter 7; gsDesign's test.type 4): it
// finds the drift (hence the maximum information) at which the futility
// boundary meets the efficacy boundary at the last look, so that the
// power is exactly power when futility stops are obeyed and the level is
// kept whether or not they are. info are the looks' fractions of the
// maximum information (increasing, ending at 1). Futility is one-sided,
// against the preferred direction, for one- and two-sided designs.
//
// It returns the errors of [Boundaries] for d and info, an error for a
// nil betaSpending, a power outside (0, 1), info not ending at 1, and
// [ErrTooLarge] for more than 100 looks. It integrates the design about
// 60 times per look: about 20 ms for 5 looks on an idle 2-core machine.
func PlanFutility(d SpendingDesign, betaSpending SpendingFunc, power float64, info []float64) (FutilityPlan, error) {
	const fn = "PlanFutility"
	if betaSpending == nil {
		return FutilityPlan{}, nilErr(fn, "betaSpending", "spending function", ErrSpending)
	}
	if err := checkPower(fn, power); err != nil {
		return FutilityPlan{}, err
	}
	if len(info) > maxFutilityLooks {
		return FutilityPlan{}, argErr(fn, "len(info)", float64(len(info)), ErrTooLarge)
	}
	sides, spend := d.defaults()
	eff, err := Boundaries(info, d.Alpha, sides, spend)
	if err != nil {
		return FutilityPlan{}, err
	}
	if last := info[len(info)-1]; last != 1 {
		return FutilityPlan{}, argErr(fn, "info["+strconv.Itoa(len(info)-1)+"]", last, ErrInfo)
	}
	for i, c := range eff {
		if math.IsInf(c, 1) {
			// No decision possible: keep the futility boundary finite.
			eff[i] = math.Inf(1)
		}
	}
	beta := 1 - power
	bounds := func(eta float64) []float64 {
		f := futility{spend: betaSpending, beta: beta, eta: eta, ok: true}
		for k, t := range info {
			f.look(t, eff[k], sides)
		}
		return f.lower
	}
	// The futility boundary at the last look rises with the drift; find
	// the drift at which it reaches the efficacy boundary.
	zf := normUpperQuantile(d.Alpha/float64(sides)) + normUpperQuantile(beta)
	gap := func(eta float64) float64 {
		a := bounds(eta)
		return a[len(a)-1] - eff[len(eff)-1]
	}
	lo, hi := 0.5*zf, 2*zf+3
	for range 60 {
		mid := 0.5 * (lo + hi)
		if gap(mid) < -1e-12 {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-7 {
			break
		}
	}
	eta := hi
	fut := bounds(eta)
	p := FutilityPlan{
		Info: append([]float64(nil), info...), Efficacy: eff, Futility: fut,
		Drift: eta, Inflation: (eta / zf) * (eta / zf),
	}
	var err2 error
	p.Power, p.ExpectedAlt, err2 = operate(info, eff, fut, sides, eta)
	if err2 != nil {
		return FutilityPlan{}, err2
	}
	p.Alpha, p.ExpectedNull, err2 = operate(info, eff, fut, sides, 0)
	if err2 != nil {
		return FutilityPlan{}, err2
	}
	_, p.ExpectedNullNoFutility, err2 = operate(info, eff, nil, sides, 0)
	if err2 != nil {
		return FutilityPlan{}, err2
	}
	return p, nil
}

// operate returns the probability of crossing the upper efficacy
// boundary and the expected stopping fraction under drift eta when the
// futility boundaries (nil: none) are obeyed.
func operate(info, eff, fut []float64, sides Sides, eta float64) (float64, float64, error) {
	k := len(info) - 1
	m, err := newStopModel("PlanFutility", Stop{Info: info, Look: k, Bounds: eff, Futility: fut, Sides: sides, Z: eta, SE: 1, Last: true}, 0.05)
	if err != nil {
		return 0, 0, err
	}
	var up, exp float64
	for j, t := range info {
		reach, u, l, _ := m.at(j, eta, math.Inf(1))
		up += u
		if j < k {
			exp += (u + l) * t
		} else {
			exp += reach * t
		}
	}
	return up, exp, nil
}

// clone returns an independent copy of f.
func (f *futility) clone() *futility {
	c := *f
	c.info = append([]float64(nil), f.info...)
	c.upper = append([]float64(nil), f.upper...)
	c.lower = append([]float64(nil), f.lower...)
	return &c
}
