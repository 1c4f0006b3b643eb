package abtest

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// maxMillerN bounds the number of conversions a Miller plan may need
// (planning cost grows like N^1.5).
const (
	maxMillerN      = 300_000
	maxMillerSplitN = 50_000

	// millerSplitBudget bounds the dynamic-programming cell updates of
	// one PlanMillerSplit call over all the thresholds it tries (a few
	// seconds on an idle 2-core machine).
	millerSplitBudget = 4_000_000_000
)

// MillerPlan is Evan Miller's simple sequential test
// (https://www.evanmiller.org/sequential-ab-testing.html): count the
// conversions T in treatment and C in control; stop and declare the
// treatment the winner as soon as T − Ratio·C ≥ D; stop with no winner
// when T + C reaches N. With an equal split Ratio is 1 and the rule is
// T − C ≥ D. The test is one-sided.
//
// The zero value is not a useful plan; create one with [PlanMiller] or
// [PlanMillerSplit]. A MillerPlan is a value and safe for concurrent use.
type MillerPlan struct {
	N int // total conversions (both arms) at which the test stops without a winner
	D int // threshold for T − Ratio·C

	Share float64 // fraction of traffic sent to treatment
	Ratio float64 // Share/(1−Share): weight of a control conversion

	RelativeMDE float64 // relative lift the plan detects with Power
	Alpha       float64 // exact one-sided false-positive rate of the plan (≤ the requested alpha)
	Power       float64 // exact probability to stop for treatment under RelativeMDE
}

// Scale implements [Design]: one-sided (treatment better), and the
// information fraction counts conversions (T + C over N), not visitors.
func (p MillerPlan) Scale() Scale { return Scale{Sides: OneSided, Unit: UnitConversions} }

// MillerDecision is the state of a Miller test. The zero value is
// [MillerContinue].
type MillerDecision int

const (
	// MillerContinue means keep collecting conversions.
	MillerContinue MillerDecision = iota
	// MillerTreatmentWins means T − Ratio·C reached D: the treatment is better.
	MillerTreatmentWins
	// MillerNoWinner means N conversions were reached without crossing D.
	MillerNoWinner
)

// String returns "continue", "treatment wins" or "no winner".
func (d MillerDecision) String() string {
	switch d {
	case MillerTreatmentWins:
		return "treatment wins"
	case MillerNoWinner:
		return "no winner"
	}
	return "continue"
}

// Decide returns the test's decision after control and treatment
// conversions (control first, like every comparison in this package).
// The test ends at N conversions: a crossing of D on the N-th conversion
// still wins, but once T + C is above N the decision is [MillerNoWinner]
// whatever T − Ratio·C is, because a winner can only be declared by
// checking after every conversion up to N (Decide cannot tell from the
// totals whether D was reached before N). Negative counts, which no test
// can reach, give [MillerContinue]; a plan with N or D below 1 (such as
// the zero value) never declares a winner.
func (p MillerPlan) Decide(control, treatment int) MillerDecision {
	if control < 0 || treatment < 0 {
		return MillerContinue
	}
	if p.N < 1 || p.D < 1 {
		return MillerNoWinner
	}
	total := int64(control) + int64(treatment) // no overflow on 32-bit int
	if total > int64(p.N) {
		return MillerNoWinner
	}
	r := p.Ratio
	if r == 0 {
		r = 1
	}
	if float64(treatment)-r*float64(control) >= float64(p.D)-1e-9 {
		return MillerTreatmentWins
	}
	if total >= int64(p.N) {
		return MillerNoWinner
	}
	return MillerContinue
}

// Thresholds returns, for each fraction t of N conversions, the nominal
// one-sided p-value at which the rule stops: 1 − Φ(D/√(Ratio·t·N)), the
// normal approximation of T − Ratio·C reaching D. It implements [Design].
// It returns an error for a plan with N or D below 1 or a negative or
// non-finite Ratio (zero means 1).
func (p MillerPlan) Thresholds(fractions []float64) ([]float64, error) {
	const fn = "MillerPlan.Thresholds"
	if err := checkInfo(fn, fractions); err != nil {
		return nil, err
	}
	if p.N < 1 {
		return nil, argErr(fn, "N", float64(p.N), ErrArgument)
	}
	if p.D < 1 {
		return nil, argErr(fn, "D", float64(p.D), ErrArgument)
	}
	if !(p.Ratio >= 0) || math.IsInf(p.Ratio, 0) {
		return nil, argErr(fn, "Ratio", p.Ratio, ErrArgument)
	}
	r := p.Ratio
	if r == 0 {
		r = 1
	}
	out := make([]float64, len(fractions))
	for i, t := range fractions {
		out[i] = normSF(float64(p.D) / math.Sqrt(r*t*float64(p.N)))
	}
	return out, nil
}

// PlanMiller returns the Miller plan with the smallest N (over all D) for
// an equal traffic split such that, with no effect, the probability of
// reaching D is at most alpha (one-sided) and, with a relative lift of
// relativeMDE, it is at least power. Probabilities are exact first-passage
// probabilities of the conversion walk, where each conversion goes to
// treatment with probability (1+δ)/(2+δ). For relativeMDE 0.4, alpha
// 0.05 and power 0.8 the plan is N = 243, D = 31.
//
// It returns an error for alpha or power outside (0, 1) or a relativeMDE
// that is not positive and finite, and [ErrTooLarge] when the plan would
// need more than 300000 conversions (relative MDEs below about 1 %).
func PlanMiller(relativeMDE, alpha, power float64) (MillerPlan, error) {
	return planMiller("PlanMiller", relativeMDE, alpha, power, 0.5, millerGallop)
}

// PlanMillerSplit is [PlanMiller] for a treatment traffic share in (0, 1).
// The rule becomes T − r·C ≥ D with r = share/(1−share), so that under no
// effect the walk has no drift; probabilities are computed exactly by
// dynamic programming over the number of treatment conversions. Because
// that costs about N^1.5 per threshold tried, it returns [ErrTooLarge]
// beyond 50000 conversions or when the search would take more than 4e9
// cell updates (a few seconds on an idle 2-core machine; plans near 50000
// conversions with a share far from 0.5 can hit it).
func PlanMillerSplit(relativeMDE, alpha, power, share float64) (MillerPlan, error) {
	return planMiller("PlanMillerSplit", relativeMDE, alpha, power, share, millerGallop)
}

// planMiller checks the arguments of fn, plans an equal split in closed
// form and otherwise lets search look for the threshold, starting from
// the one the Brownian approximation gives.
func planMiller(fn string, mde, alpha, power, share float64, search func(millerSearch) (MillerPlan, error)) (MillerPlan, error) {
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
	return search(millerSearch{fn: fn, mde: mde, alpha: alpha, power: power, share: share, r: r, p1: p1, d0: d0})
}

// millerSearch is one PlanMillerSplit request: the thresholds it tries
// share the walk's buffers and work budget. Searches take it by value,
// which keeps it off the heap.
type millerSearch struct {
	fn                       string // the exported function, for errors
	mde, alpha, power, share float64
	r, p1                    float64 // rule ratio and treatment's conversion share under the lift
	d0                       int     // starting threshold
	w                        millerWalk
}

// try returns the plan with threshold d, or false when d is infeasible
// (the no-effect crossing probability passes alpha before the power is
// reached).
func (s *millerSearch) try(d int) (MillerPlan, bool, error) {
	n, fa, fp, err := s.w.run(d, s.r, s.share, s.p1, s.alpha, s.power)
	if err != nil {
		return MillerPlan{}, false, argErr(s.fn, "relativeMDE", s.mde, err)
	}
	if n < 0 {
		return MillerPlan{}, false, nil
	}
	return MillerPlan{N: n, D: d, Share: s.share, Ratio: s.r, RelativeMDE: s.mde, Alpha: fa, Power: fp}, true, nil
}

// millerGallop is PlanMillerSplit's threshold search, with O(log d) runs
// of the walk instead of one per threshold. If d0 is feasible, smaller
// thresholds need fewer conversions until the no-effect rate passes
// alpha: it gallops down (d0−1, d0−2, d0−4, ...) to an infeasible
// threshold or 0, bisects for the smallest feasible one, then takes the
// smallest N among it and its three neighbours on each side (the lattice
// makes N and feasibility slightly irregular in d). If d0 is infeasible,
// a larger threshold lowers the no-effect crossing rate: it gallops up
// (d0+1, d0+2, d0+4, ...) to a feasible threshold, then bisects for the
// smallest feasible one.
func millerGallop(s millerSearch) (MillerPlan, error) {
	good, ok, err := s.try(s.d0)
	if err != nil {
		return MillerPlan{}, err
	}
	if !ok {
		bad, step := s.d0, 1
		for {
			d := bad + step
			p, ok, err := s.try(d)
			if err != nil {
				return MillerPlan{}, err
			}
			if ok {
				return s.bisect(p, bad)
			}
			bad, step = d, 2*step
		}
	}
	bad, step := 0, 1
	for good.D-step >= 1 {
		d := good.D - step
		p, ok, err := s.try(d)
		if err != nil {
			return MillerPlan{}, err
		}
		if !ok {
			bad = d
			break
		}
		good, step = p, 2*step
	}
	if good, err = s.bisect(good, bad); err != nil {
		return MillerPlan{}, err
	}
	best := good
	for d := max(good.D-3, 1); d <= good.D+3; d++ {
		if d == good.D {
			continue
		}
		p, ok, err := s.try(d)
		if err != nil {
			return MillerPlan{}, err
		}
		if ok && (p.N < best.N || p.N == best.N && p.D < best.D) {
			best = p
		}
	}
	return best, nil
}

// bisect narrows a feasible plan good and an infeasible threshold
// bad < good.D (0 when every threshold down to 1 is feasible) until they
// are adjacent, and returns the feasible one of the two.
func (s *millerSearch) bisect(good MillerPlan, bad int) (MillerPlan, error) {
	for good.D-bad > 1 {
		mid := bad + (good.D-bad)/2
		p, ok, err := s.try(mid)
		if err != nil {
			return MillerPlan{}, err
		}
		if ok {
			good = p
		} else {
			bad = mid
		}
	}
	return good, nil
}

// millerWalk holds the dynamic-programming buffers and the cell updates
// spent over all runs (at most millerSplitBudget).
type millerWalk struct {
	null, alt []float64
	spent     int64
}

// run propagates the distribution of the number of treatment conversions
// under no effect (probability share) and under the lift (p1), absorbing
// paths where T − r·C ≥ d, until the lift's crossing probability reaches
// power. It returns that N and both crossing probabilities, or n = −1 if
// the no-effect crossing probability exceeds alpha first, and
// ErrTooLarge beyond maxMillerSplitN conversions or once the budget is
// spent.
func (w *millerWalk) run(d int, r, p0, p1, alpha, power float64) (n int, fa, fp float64, err error) {
	w.null = append(w.null[:0], 1)
	w.alt = append(w.alt[:0], 1)
	lo, top := 0, 0 // mass lives in T = lo..top
	// Slots below lo hold less than 1e-30 each (under both hypotheses);
	// dropping them changes the probabilities by far less than rounding.
	const tiny = 1e-30
	for n = 1; n <= maxMillerSplitN; n++ {
		w.spent += int64(top - lo + 2)
		if w.spent > millerSplitBudget {
			return 0, fa, fp, ErrTooLarge
		}
		top++
		if top == len(w.null) {
			w.null = append(w.null, 0)
			w.alt = append(w.alt, 0)
		}
		w.null[top], w.alt[top] = 0, 0
		for t := top; t > lo; t-- {
			w.null[t] = w.null[t]*(1-p0) + w.null[t-1]*p0
			w.alt[t] = w.alt[t]*(1-p1) + w.alt[t-1]*p1
		}
		w.null[lo] *= 1 - p0
		w.alt[lo] *= 1 - p1
		// absorb T ≥ (d + r n)/(1+r)
		thr := int(math.Ceil((float64(d)+r*float64(n))/(1+r) - 1e-9))
		for t := max(thr, lo); t <= top; t++ {
			fa += w.null[t]
			fp += w.alt[t]
			w.null[t], w.alt[t] = 0, 0
		}
		if thr-1 < top {
			top = max(thr-1, lo)
		}
		if fa > alpha {
			return -1, fa, fp, nil
		}
		if fp >= power {
			return n, fa, fp, nil
		}
		for lo < top && w.null[lo] < tiny && w.alt[lo] < tiny {
			lo++
		}
	}
	return 0, fa, fp, ErrTooLarge
}

// millerHit returns P(max_{m≤n} S_m ≥ d) for the ±1 walk with
// up-probability p, by the reflection principle:
// P(S_n ≥ d) + (p/q)^d·P_q(S_n ≥ d+1), where P_q is the walk with p and
// q = 1−p swapped.
func millerHit(n, d int, p float64) float64 {
	if d > n {
		return 0
	}
	q := 1 - p
	up := binomSF(n, (n+d+1)/2, p)
	tail := binomSF(n, (n+d+2)/2, q)
	if tail == 0 {
		return up
	}
	return up + math.Exp(float64(d)*math.Log(p/q)+math.Log(tail))
}

// binomSF returns P(Bin(n, p) ≥ k).
func binomSF(n, k int, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case k > n:
		return 0
	}
	return mathext.RegIncBeta(float64(k), float64(n-k+1), p)
}

// planMillerEqual searches the equal-split plan with the closed form: for
// each d the smallest N reaching the power (the hit probability grows with
// N), and the first d whose N also keeps alpha. Because reaching d+1
// requires reaching d first, that N is non-decreasing in d, so the first
// feasible d gives the smallest N.
func planMillerEqual(mde, alpha, power, p1 float64) (MillerPlan, error) {
	for d := 1; d <= maxMillerN; d++ {
		lo, hi := d-1, d // hit(lo) < power
		for millerHit(hi, d, p1) < power {
			lo, hi = hi, 2*hi
			if hi > 2*maxMillerN {
				return MillerPlan{}, argErr("PlanMiller", "relativeMDE", mde, ErrTooLarge)
			}
		}
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if millerHit(mid, d, p1) >= power {
				hi = mid
			} else {
				lo = mid
			}
		}
		if fa := millerHit(hi, d, 0.5); fa <= alpha {
			if hi > maxMillerN {
				return MillerPlan{}, argErr("PlanMiller", "relativeMDE", mde, ErrTooLarge)
			}
			return MillerPlan{N: hi, D: d, Share: 0.5, Ratio: 1, RelativeMDE: mde, Alpha: fa, Power: millerHit(hi, d, p1)}, nil
		}
	}
	return MillerPlan{}, argErr("PlanMiller", "relativeMDE", mde, ErrTooLarge)
}
