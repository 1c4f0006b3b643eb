package abtest

import (
	"fmt"
	"math"
)

// maxAuditPairs bounds the audit's state space ((pairs+1)² states).
const maxAuditPairs = 5000

// Rule decides at a look, after n pairs of visitors (one per arm) with
// control and treatment conversions so far, whether to stop and declare a
// difference. Rules must be deterministic functions of their arguments;
// the rules this package returns are also safe for concurrent use.
type Rule func(n, control, treatment int) bool

// AuditConversion returns the exact false-positive rate of a peeking plan
// for a conversion metric: the probability that rule declares a difference
// at some look when both arms convert with probability p, a pair of
// visitors arrives at a time and the rule is consulted after every pair,
// up to pairs pairs. It is computed by dynamic programming over the joint
// distribution of the two conversion counts (no simulation); the cost is
// at most about pairs³/3 rule calls (counts holding less than 1e-30 are
// dropped, so far fewer for small p) and memory is at most 32·W² bytes
// for a band of W counts still holding probability (15 MB for p = 0.5 and
// 2000 pairs, under 1 MB for p = 0.01 and 3000 pairs).
//
// With the [Naive] design at alpha 0.1, p = 0.5 and 500 pairs the rate is
// about 0.74, not 0.1.
func AuditConversion(p float64, pairs int, rule Rule) (float64, error) {
	const fn = "AuditConversion"
	if err := checkProb(fn, "p", p); err != nil {
		return 0, err
	}
	if pairs < 1 || pairs > maxAuditPairs {
		return 0, argErr(fn, "pairs", float64(pairs), ErrArgument)
	}
	if rule == nil {
		return 0, nilErr(fn, "rule", "rule", ErrArgument)
	}
	var x window
	x.init(pairs + 1)
	x.m[0] = 1
	q := 1 - p
	rejected := 0.0
	// Both counts live in lo..hi; slots holding less than tiny are dropped
	// (their total is below 1e-20, far under any rate of interest).
	const tiny = 1e-30
	lo, hi := 0, 0
	for n := 1; n <= pairs; n++ {
		hi++
		x.fit(lo, hi)
		m := x.m
		// control converts or not: rows c = hi..lo
		for c := hi; c >= lo; c-- {
			r := x.row(c)
			row := m[r+lo : r+hi+1]
			if c > lo {
				rp := x.row(c - 1)
				prev := m[rp+lo : rp+hi+1]
				for t := range row {
					row[t] = row[t]*q + prev[t]*p
				}
			} else {
				for t := range row {
					row[t] *= q
				}
			}
		}
		// treatment converts or not: columns t = hi..lo within each row
		// (row[j] holds t = lo+j)
		for c := lo; c <= hi; c++ {
			r := x.row(c)
			row := m[r+lo : r+hi+1]
			for j := hi - lo; j > 0; j-- {
				row[j] = row[j]*q + row[j-1]*p
			}
			row[0] *= q
		}
		for c := lo; c <= hi; c++ {
			r := x.row(c)
			row := m[r+lo : r+hi+1]
			for j := range row {
				if v := row[j]; v != 0 && rule(n, c, lo+j) {
					rejected += v
					row[j] = 0
				}
			}
		}
		for lo < hi && x.edgeBelow(lo, lo, hi, tiny) {
			x.clearEdge(lo, lo, hi)
			lo++
		}
		for hi > lo && x.edgeBelow(hi, lo, hi, tiny) {
			x.clearEdge(hi, lo, hi)
			hi--
		}
	}
	return rejected, nil
}

// ZTestRule returns a Rule that rejects after n pairs when the pooled
// two-proportion z test's p-value (two-sided for TwoSided, treatment
// better for OneSided or any other value) is at most thresholds[n−1];
// looks beyond the slice never reject. A threshold of 0 never rejects.
func ZTestRule(thresholds []float64, sides Sides) Rule {
	zc := make([]float64, len(thresholds))
	for i, th := range thresholds {
		if sides == TwoSided {
			th /= 2
		}
		zc[i] = normUpperQuantile(math.Min(math.Max(th, 0), 1))
		if math.IsNaN(zc[i]) {
			zc[i] = math.Inf(1)
		}
	}
	return func(n, c, t int) bool {
		if n < 1 || n > len(zc) {
			return false
		}
		nn := float64(n)
		pb := float64(c+t) / (2 * nn)
		if pb <= 0 || pb >= 1 {
			return false
		}
		z := float64(t-c) / nn / math.Sqrt(pb*(1-pb)*2/nn)
		if sides == TwoSided {
			z = math.Abs(z)
		}
		return z >= zc[n-1]
	}
}

// DesignRule returns a [ZTestRule] for a design looked at after every
// pair up to pairs (fractions n/pairs). It returns an error for a nil
// design, invalid sides or pairs outside 1..5000, and [ErrScale] when
// sides differ from the design's or the design counts conversions (use
// [MillerRule] for a [MillerPlan]).
func DesignRule(d Design, pairs int, sides Sides) (Rule, error) {
	const fn = "DesignRule"
	if d == nil {
		return nil, nilErr(fn, "d", "design", ErrArgument)
	}
	if err := checkSides(fn, sides); err != nil {
		return nil, err
	}
	if err := sameScale(fn, "d", d.Scale(), Scale{Sides: sides, Unit: UnitVisitors}); err != nil {
		return nil, err
	}
	if pairs < 1 || pairs > maxAuditPairs {
		return nil, argErr(fn, "pairs", float64(pairs), ErrArgument)
	}
	th, err := d.Thresholds(equalFractions(pairs))
	if err != nil {
		return nil, err
	}
	return ZTestRule(th, sides), nil
}

// MillerRule returns a Rule for a Miller plan: reject once
// T − Ratio·C ≥ D while T + C ≤ N ([MillerPlan.Decide] says
// [MillerTreatmentWins]).
func MillerRule(plan MillerPlan) Rule {
	return func(n, c, t int) bool {
		return plan.Decide(c, t) == MillerTreatmentWins
	}
}

// MSPRTRule returns a Rule that rejects when the mSPRT's 1/Λ is at most
// its Alpha (after its burn-in).
func MSPRTRule(m MSPRT) Rule {
	return func(n, c, t int) bool {
		r, err := m.Evaluate(Conversions(int64(n), int64(c)), Conversions(int64(n), int64(t)))
		return err == nil && r.PValue <= m.alpha()
	}
}

// window holds the joint distribution of the two counts over the square
// lo..hi × lo..hi in a w×w matrix whose corner is the count base, so
// that memory follows the width of the band of counts still holding
// probability (a few hundred) rather than the number of pairs: slot
// (c, t) is m[row(c)+t].
type window struct {
	m       []float64
	w, base int
	most    int // the side never needs to exceed this (pairs+1)
}

func (x *window) init(most int) {
	x.most = most
	x.w = min(64, most)
	x.m = make([]float64, x.w*x.w)
}

func (x *window) row(c int) int { return (c-x.base)*x.w - x.base }

// fit makes room for the square lo..hi × lo..hi, where row and column hi
// are new, and clears them. When hi leaves the window, the square
// lo..hi−1 is moved to the corner, in place or into a matrix twice the
// band's width.
func (x *window) fit(lo, hi int) {
	if hi-x.base >= x.w {
		width := hi - lo + 1
		nw := x.w
		if 2*width > nw {
			nw = min(2*width, x.most)
		}
		dst := x.m
		if nw != x.w {
			dst = make([]float64, nw*nw)
		}
		// Rows ascending: a destination never overlaps a later source.
		for c := lo; c < hi; c++ {
			r := x.row(c)
			copy(dst[(c-lo)*nw:(c-lo)*nw+hi-lo], x.m[r+lo:r+hi])
		}
		x.m, x.w, x.base = dst, nw, lo
	}
	r := x.row(hi)
	clear(x.m[r+lo : r+hi+1])
	for c := lo; c < hi; c++ {
		x.m[x.row(c)+hi] = 0
	}
}

// edgeBelow reports whether row k and column k (within lo..hi) hold less
// than tiny in every slot.
func (x *window) edgeBelow(k, lo, hi int, tiny float64) bool {
	rk := x.row(k)
	for j := lo; j <= hi; j++ {
		if x.m[rk+j] >= tiny || x.m[x.row(j)+k] >= tiny {
			return false
		}
	}
	return true
}

func (x *window) clearEdge(k, lo, hi int) {
	rk := x.row(k)
	for j := lo; j <= hi; j++ {
		x.m[rk+j], x.m[x.row(j)+k] = 0, 0
	}
}

// FalsePositiveRate returns the probability that design d, looked at after
// each of the information fractions, declares a difference when there is
// none: the probability that some look's fixed-sample p-value (read as
// d.Scale() says) is at most its threshold. Z at the looks is taken as
// Brownian motion in the information fraction (the normal approximation
// every design of this package is built on) and the probability is
// computed by the same numerical integration as [Boundaries], not
// simulated. It measures designs that do not keep their level, such as
// [Hybrid] and [Naive], and checks a caller's own design. Fractions
// follow [Boundaries]' rules (at most 10000 looks, at least [MinSpacing]
// apart).
func FalsePositiveRate(d Design, fractions []float64) (float64, error) {
	const fn = "FalsePositiveRate"
	if d == nil {
		return 0, nilErr(fn, "d", "design", ErrArgument)
	}
	if len(fractions) > maxLooks {
		return 0, argErr(fn, "len(fractions)", float64(len(fractions)), ErrTooLarge)
	}
	if err := checkInfo(fn, fractions); err != nil {
		return 0, err
	}
	if err := checkSpacing(fn, fractions); err != nil {
		return 0, err
	}
	sc := d.Scale()
	if err := sc.check(fn, "d.Scale()"); err != nil {
		return 0, err
	}
	th, err := d.Thresholds(fractions)
	if err != nil {
		return 0, err
	}
	if len(th) != len(fractions) {
		return 0, reasonErr(fn, "d", float64(len(th)), ErrArgument,
			"design returned %d thresholds for %d looks", len(th), len(fractions))
	}
	bounds := make([]float64, len(th))
	for i, p := range th {
		if !(p >= 0 && p <= 1) {
			return 0, argErr(fn, fmt.Sprintf("thresholds[%d]", i), p, ErrProbability)
		}
		bounds[i] = math.Inf(1)
		if p > 0 {
			bounds[i] = normUpperQuantile(p / float64(sc.Sides))
		}
	}
	var out passOut
	forward(pass{info: fractions, upper: bounds, sides: sc.Sides}, &out)
	rate := 0.0
	for k := range out.up {
		rate += out.up[k] + out.low[k]
	}
	return math.Min(rate, 1), nil
}
