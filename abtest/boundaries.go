package abtest

import (
	"math"
	"strconv"
)

// MinSpacing is the smallest gap between two consecutive information
// fractions that designs computed by numerical integration accept
// ([Boundaries], [GroupSequential.Append], [SpendingDesign.Thresholds],
// [AdjustEstimate]): closer looks would need an integration grid finer than
// the gap's standard deviation, so memory and time would grow without
// bound. It equals the spacing of the largest design, 10000 equally
// spaced looks; a gap short of it by rounding only (a relative 1e-9) is
// accepted. A [Monitor] merges a look closer than MinSpacing into the
// previous one. The first look may be at any fraction above 0.
const MinSpacing = 1e-4

// spacingTol forgives rounding in fractions computed as i/k.
const spacingTol = 1e-9

// closeLooks reports whether a look at t is too close to one at prev.
func closeLooks(prev, t float64) bool { return t-prev < MinSpacing*(1-spacingTol) }

// GroupSequential is an alpha-spending design (Lan and DeMets 1983) whose
// looks are appended one at a time: it keeps the sub-density of the
// statistic at the latest look, so [GroupSequential.Append] costs one
// integration step whatever the number of earlier looks.
//
// Boundaries are on the z scale, efficacy only (no futility). One-sided
// designs reject when Z_k ≥ c_k; two-sided designs spend alpha/2 per side
// with the spending function and reject when |Z_k| ≥ c_k. A look whose
// spending increment is zero (or underflows) gets c_k = +Inf.
//
// The zero value is not usable; create one with [NewGroupSequential].
// A GroupSequential is not safe for concurrent use; [GroupSequential.Clone]
// gives an independent copy.
type GroupSequential struct {
	alpha  float64
	sides  Sides
	spend  SpendingFunc
	res    resolution
	info   []float64 // fractions looked at
	bounds []float64 // z-scale boundaries
	spent  []float64 // cumulative alpha spent (both sides), as targeted

	prev, work grid    // sub-density at the look before the last (or point mass)
	sigma      float64 // sd of the last increment
	lo, hi     float64 // continuation region of the last look (score scale)
}

// NewGroupSequential returns an empty design with total level alpha.
// It returns an error for alpha outside (0, 1), invalid sides or a nil
// spending function.
func NewGroupSequential(alpha float64, sides Sides, spend SpendingFunc) (*GroupSequential, error) {
	const fn = "NewGroupSequential"
	if err := checkAlpha(fn, alpha); err != nil {
		return nil, err
	}
	if err := checkSides(fn, sides); err != nil {
		return nil, err
	}
	if spend == nil {
		return nil, nilErr(fn, "spend", "spending function", ErrSpending)
	}
	g := &GroupSequential{alpha: alpha, sides: sides, spend: spend}
	g.res = g.res.orDefault()
	g.prev.setPoint(0)
	return g, nil
}

// Alpha returns the design's total significance level.
func (g *GroupSequential) Alpha() float64 { return g.alpha }

// Sides returns whether the design is one- or two-sided.
func (g *GroupSequential) Sides() Sides { return g.sides }

// Len returns the number of looks appended so far.
func (g *GroupSequential) Len() int { return len(g.info) }

// Info returns a copy of the information fractions of the looks so far.
func (g *GroupSequential) Info() []float64 { return append([]float64(nil), g.info...) }

// Bounds returns a copy of the z-scale boundaries of the looks so far.
func (g *GroupSequential) Bounds() []float64 { return append([]float64(nil), g.bounds...) }

// Spent returns the cumulative alpha spent by look k (0-based), both sides
// together.
func (g *GroupSequential) Spent(k int) float64 {
	if k < 0 || k >= len(g.spent) {
		return 0
	}
	return g.spent[k]
}

// Clone returns an independent copy of g.
func (g *GroupSequential) Clone() *GroupSequential {
	c := *g
	c.info = append([]float64(nil), g.info...)
	c.bounds = append([]float64(nil), g.bounds...)
	c.spent = append([]float64(nil), g.spent...)
	c.prev = grid{lo: g.prev.lo, h: g.prev.h, f: append([]float64(nil), g.prev.f...), wf: append([]float64(nil), g.prev.wf...)}
	c.work = grid{}
	return &c
}

// Threshold returns the nominal p-value threshold of look k (0-based):
// the p-value (two-sided for TwoSided designs) below which the look's
// z statistic crosses its boundary. It is 0 for an infinite boundary.
func (g *GroupSequential) Threshold(k int) float64 {
	if k < 0 || k >= len(g.bounds) {
		return 0
	}
	return nominalP(g.bounds[k], g.sides)
}

func nominalP(c float64, sides Sides) float64 {
	p := normSF(c)
	if sides == TwoSided {
		p *= 2
	}
	return p
}

// Append adds a look at information fraction t, which must be greater
// than the previous look's and at most 1, and returns its z-scale
// boundary (+Inf where the spending increment is zero). A look closer
// than [MinSpacing] to the previous one is refused with [ErrInfo]. A
// design holds at most 10000 looks ([ErrTooLarge]). Append costs one
// integration step on a grid of at most 16000 points, whatever the
// number of earlier looks.
func (g *GroupSequential) Append(t float64) (float64, error) {
	return g.append("GroupSequential.Append", -1, t)
}

// append is Append for fn; idx ≥ 0 names the fraction info[idx] in
// errors, otherwise t.
func (g *GroupSequential) append(fn string, idx int, t float64) (float64, error) {
	return g.appendAt(t, lookAt{fn: fn, idx: idx})
}

// appendAt appends a look at t as at says and returns its boundary.
func (g *GroupSequential) appendAt(t float64, at lookAt) (float64, error) {
	c, err := g.next(t, &g.work, at)
	if err != nil {
		return 0, err
	}
	g.commit(t, c, at)
	return c, nil
}

// lookAt says how a look is appended: errors name fn and call the
// fraction info[idx] (see lookName); with final set the look spends all
// the alpha left; with fixed set it takes the boundary bound as given (a
// design's own threshold) and records the probability it spends.
type lookAt struct {
	fn    string
	idx   int
	final bool
	fixed bool
	bound float64
}

// AppendFinal adds the experiment's last look at information fraction t
// (at most 1) and returns its z-scale boundary, which spends all the alpha
// the earlier looks left unspent: an experiment that ends before its
// planned sample keeps its full level instead of wasting the rest.
// Errors are those of [GroupSequential.Append]. No look may follow it in
// the design's logic, although Append does not refuse one.
func (g *GroupSequential) AppendFinal(t float64) (float64, error) {
	return g.appendAt(t, lookAt{fn: "GroupSequential.AppendFinal", idx: -1, final: true})
}

// Peek returns the boundary a look at fraction t would get, without
// adding it. Peek does not modify g and may run concurrently with other
// calls that do not modify g (Peek, Bounds, Info, Threshold, OperatingAt).
func (g *GroupSequential) Peek(t float64) (float64, error) {
	var tmp grid
	return g.next(t, &tmp, lookAt{fn: "GroupSequential.Peek", idx: -1})
}

// spentAt evaluates the spending function for both sides at t.
func (g *GroupSequential) spentAt(t float64) float64 {
	if g.sides == TwoSided {
		return 2 * g.spend(t, g.alpha/2)
	}
	return g.spend(t, g.alpha)
}

// next computes the density at the last look into dst and the boundary
// of a new look at t as at says; it does not change g.
func (g *GroupSequential) next(t float64, dst *grid, at lookAt) (float64, error) {
	fn, idx := at.fn, at.idx
	k := len(g.info)
	last := 0.0
	if k > 0 {
		last = g.info[k-1]
	}
	switch {
	case !finite(t) || !(t > 0) || t > 1:
		return 0, argErr(fn, lookName(idx), t, ErrInfo)
	case !(t > last):
		arg := lookName(idx)
		return 0, reasonErr(fn, arg, t, ErrInfo, "%s = %v is not above the previous look %v", arg, t, last)
	case k > 0 && closeLooks(last, t):
		arg := lookName(idx)
		return 0, reasonErr(fn, arg, t, ErrInfo, "%s = %v is closer than MinSpacing (%v) to the previous look %v", arg, t, MinSpacing, last)
	}
	if k >= maxLooks {
		return 0, argErr(fn, "Len()", float64(k), ErrTooLarge)
	}
	prevSpent := 0.0
	if k > 0 {
		prevSpent = g.spent[k-1]
	}
	s := g.alpha
	if !at.final && !at.fixed {
		s = g.spentAt(t)
	}
	if !finite(s) || s < 0 || s > g.alpha*(1+1e-12) || s < prevSpent-1e-15*g.alpha {
		arg := lookName(idx)
		return 0, reasonErr(fn, "spend("+arg+")", s, ErrSpending, "spend(%s = %v) = %v: invalid spending function value", arg, t, s)
	}
	inc := s - prevSpent
	sig := math.Sqrt(t - last)
	src := &g.prev
	if k > 0 {
		h := g.res.spacing(g.sigma, sig, last)
		convolve(dst, g.lo, g.hi, h, &g.prev, g.sigma, 0, g.sides == TwoSided)
		src = dst
	}
	if at.fixed {
		return at.bound, nil
	}
	if !(inc > 0) {
		return math.Inf(1), nil
	}
	start := math.NaN()
	if k > 0 && !math.IsInf(g.bounds[k-1], 0) {
		start = g.bounds[k-1]
	}
	c := solveBound(src, t, sig, inc, g.sides, start)
	return c, nil
}

// monitorLook names a Monitor's look in errors (see lookName).
const monitorLook = -2

// lookName names the fraction of an appended look in errors: info[idx],
// the information fraction of a Monitor's look for monitorLook, or t.
func lookName(idx int) string {
	switch {
	case idx == monitorLook:
		return "information fraction"
	case idx < 0:
		return "t"
	}
	return "info[" + strconv.Itoa(idx) + "]"
}

// commit records a look computed by next (whose density is in g.work).
func (g *GroupSequential) commit(t, c float64, at lookAt) {
	k := len(g.info)
	last := 0.0
	if k > 0 {
		last = g.info[k-1]
		g.prev, g.work = g.work, g.prev
	}
	sig := math.Sqrt(t - last)
	var s float64
	switch {
	case at.fixed:
		// The probability the given boundary spends under the null.
		s = 0
		if k > 0 {
			s = g.spent[k-1]
		}
		if !math.IsInf(c, 1) {
			p, _ := upperTail(&g.prev, c*math.Sqrt(t), sig, 0)
			if k == 0 {
				p = normSF(c)
			}
			if g.sides == TwoSided {
				p *= 2
			}
			s += p
		}
	case at.final:
		s = g.alpha
	default:
		s = g.spentAt(t)
	}
	g.sigma = sig
	if k > 0 && s < g.spent[k-1] {
		s = g.spent[k-1]
	}
	g.info = append(g.info, t)
	g.bounds = append(g.bounds, c)
	g.spent = append(g.spent, s)
	sq := math.Sqrt(t)
	g.hi = math.Min(c*sq, regionSD*sq)
	g.lo = -g.hi
	if g.sides == OneSided {
		g.lo = -regionSD * sq
	}
}

// Boundaries returns the z-scale efficacy boundaries of an alpha-spending
// design with looks at information fractions info (increasing, in (0, 1])
// and total level alpha. Two-sided designs spend alpha/2 per side with
// spend (the rpact convention) and reject when |Z_k| ≥ c_k; one-sided
// designs reject when Z_k ≥ c_k. Where the spending increment is zero the
// boundary is +Inf. The result is accurate to about 1e-6 for up to 20
// looks and 2e-4 for 1000 equally spaced looks where c_k ≤ 8. It returns
// an error for alpha outside (0, 1), invalid sides, a nil spending
// function or one that returns NaN, decreases or exceeds alpha, info that
// is empty, not increasing, outside (0, 1] or with two looks closer than
// [MinSpacing], and [ErrTooLarge] for more than 10000 looks.
//
// Memory is bounded whatever the input: two integration grids of at most
// 16000 points and three slices of len(info). Time grows with the number
// of looks and their closeness: about 0.35 ms for 5 looks, 45 ms for
// 1000 equally spaced looks and a few seconds for 10000 looks at
// alternating gaps of MinSpacing and 0.1 (see the package documentation).
func Boundaries(info []float64, alpha float64, sides Sides, spend SpendingFunc) ([]float64, error) {
	const fn = "Boundaries"
	if err := checkAlpha(fn, alpha); err != nil {
		return nil, err
	}
	if err := checkSides(fn, sides); err != nil {
		return nil, err
	}
	if spend == nil {
		return nil, nilErr(fn, "spend", "spending function", ErrSpending)
	}
	if len(info) > maxLooks {
		return nil, argErr(fn, "len(info)", float64(len(info)), ErrTooLarge)
	}
	if err := checkInfo(fn, info); err != nil {
		return nil, err
	}
	if err := checkSpacing(fn, info); err != nil {
		return nil, err
	}
	g, err := NewGroupSequential(alpha, sides, spend)
	if err != nil {
		return nil, err
	}
	g.info = make([]float64, 0, len(info))
	g.bounds = make([]float64, 0, len(info))
	g.spent = make([]float64, 0, len(info))
	for i, t := range info {
		if _, err := g.append(fn, i, t); err != nil {
			return nil, err
		}
	}
	return g.bounds, nil
}
