package abtest

import (
	"fmt"
	"math"
)

// DefaultSRMConcentration is the Dirichlet prior's total concentration a
// [SequentialSRM] uses when [SRMOptions].Concentration is zero. It puts
// the prior standard deviation of an arm's share of a 50/50 split at
// about 0.5 percentage points, the size of mismatch worth catching.
const DefaultSRMConcentration = 10000

// maxSRMArms bounds the arms of a [SequentialSRM].
const maxSRMArms = 1000

// SRMOptions are the optional settings of [NewSequentialSRM]; nil means
// all defaults.
type SRMOptions struct {
	// Alpha is the false-alarm probability over all checks, however many;
	// zero means [SRMThreshold].
	Alpha float64
	// Concentration is the Dirichlet prior's total concentration (the
	// prior on the arms' shares is Dirichlet(Concentration·weights));
	// zero means [DefaultSRMConcentration]. Larger values aim at smaller
	// mismatches and need more units to flag large ones.
	Concentration float64
}

// SequentialSRM is a sample-ratio-mismatch test that may be checked after
// every day (or every unit) without inflating its false-alarm rate:
// Lindon and Malek's Dirichlet-multinomial test ("Anytime-valid inference
// for multinomial count data", NeurIPS 2022). Under the planned split
// the Bayes factor of a Dirichlet mixture over the arms' shares against
// the planned shares is a non-negative martingale with mean 1, so by
// Ville's inequality it ever reaches 1/Alpha with probability at most
// Alpha, whatever the number of checks; [SRMCheck].PValue, the reciprocal
// of its running maximum, is an always-valid p-value. A daily
// [SampleRatio] at the same threshold has no such guarantee: over 28
// daily checks it flags about 1 % of healthy experiments at 0.001.
//
// Create it with [NewSequentialSRM]. The zero value is not usable. A
// SequentialSRM is not safe for concurrent use.
type SequentialSRM struct {
	p       []float64 // planned shares
	logP    []float64
	a       []float64 // Dirichlet parameters Concentration·p
	conc    float64
	alpha   float64
	last    []int64
	maxLog  float64
	looks   int
	flagged bool
}

// SRMCheck is the state of a [SequentialSRM] after a check. It is a plain
// value.
type SRMCheck struct {
	// LogBayesFactor is the log Bayes factor of a mismatch at this check.
	LogBayesFactor float64
	// PValue is the always-valid p-value: exp(−max LogBayesFactor over all
	// checks so far), at most 1; it never increases.
	PValue float64
	// Mismatch reports PValue ≤ Alpha, at this or an earlier check.
	Mismatch bool
	// Looks counts the checks so far.
	Looks int
}

// NewSequentialSRM returns a sequential sample-ratio test for arms planned
// to receive traffic in proportion to weights (at least 2 and at most
// 1000 positive finite weights; []float64{1, 1} is an even split). It
// returns an [*ArgError] wrapping [ErrArgument] for bad weights or
// concentration and [ErrAlpha] for a bad Alpha.
func NewSequentialSRM(weights []float64, o *SRMOptions) (*SequentialSRM, error) {
	const fn = "NewSequentialSRM"
	if len(weights) < 2 || len(weights) > maxSRMArms {
		return nil, argErr(fn, "len(weights)", float64(len(weights)), ErrArgument)
	}
	var opt SRMOptions
	if o != nil {
		opt = *o
	}
	if opt.Alpha == 0 {
		opt.Alpha = SRMThreshold
	}
	if err := checkAlpha(fn, opt.Alpha); err != nil {
		return nil, argErr(fn, "o.Alpha", opt.Alpha, ErrAlpha)
	}
	if opt.Concentration == 0 {
		opt.Concentration = DefaultSRMConcentration
	}
	if !(opt.Concentration > 0) || math.IsInf(opt.Concentration, 0) {
		return nil, argErr(fn, "o.Concentration", opt.Concentration, ErrArgument)
	}
	sum := 0.0
	for i, w := range weights {
		if !(w > 0) || math.IsInf(w, 0) {
			return nil, argErr(fn, fmt.Sprintf("weights[%d]", i), w, ErrArgument)
		}
		sum += w
	}
	s := &SequentialSRM{
		p: make([]float64, len(weights)), logP: make([]float64, len(weights)), a: make([]float64, len(weights)),
		conc: opt.Concentration, alpha: opt.Alpha, last: make([]int64, len(weights)),
	}
	for i, w := range weights {
		s.p[i] = w / sum
		s.logP[i] = math.Log(s.p[i])
		s.a[i] = opt.Concentration * s.p[i]
		if !(s.a[i] > 0) {
			return nil, argErr(fn, fmt.Sprintf("weights[%d]", i), w, ErrArgument)
		}
	}
	return s, nil
}

// Alpha returns the false-alarm level.
func (s *SequentialSRM) Alpha() float64 { return s.alpha }

// Check takes the cumulative units per arm so far (in the order of the
// weights) and returns the test's state. Counts must not decrease
// between checks; a refused call leaves the test unchanged. It returns an
// [*ArgError] wrapping [ErrArgument] for a wrong number of counts or a
// negative count and [ErrSample] for a count below the previous check's.
// It does not allocate.
func (s *SequentialSRM) Check(counts []int64) (SRMCheck, error) {
	const fn = "SequentialSRM.Check"
	if len(counts) != len(s.p) {
		return SRMCheck{}, argErr(fn, "len(counts)", float64(len(counts)), ErrArgument)
	}
	for i, c := range counts {
		if c < 0 {
			return SRMCheck{}, argErr(fn, fmt.Sprintf("counts[%d]", i), float64(c), ErrArgument)
		}
		if c < s.last[i] {
			return SRMCheck{}, reasonErr(fn, fmt.Sprintf("counts[%d]", i), float64(c), ErrSample,
				"counts[%d] = %d is below the previous check's %d: counts are cumulative", i, c, s.last[i])
		}
	}
	copy(s.last, counts)
	s.looks++
	lbf := s.logBayesFactor(counts)
	if s.looks == 1 || lbf > s.maxLog {
		s.maxLog = lbf
	}
	p := math.Min(1, math.Exp(-s.maxLog))
	if p <= s.alpha {
		s.flagged = true
	}
	return SRMCheck{LogBayesFactor: lbf, PValue: p, Mismatch: s.flagged, Looks: s.looks}, nil
}

// logBayesFactor returns log of the Dirichlet-multinomial marginal
// likelihood over the multinomial likelihood at the planned shares:
// lnΓ(A) − lnΓ(A+N) + Σ[lnΓ(aᵢ+nᵢ) − lnΓ(aᵢ)] − Σ nᵢ ln pᵢ.
func (s *SequentialSRM) logBayesFactor(counts []int64) float64 {
	total := 0.0
	out := 0.0
	for i, c := range counts {
		n := float64(c)
		total += n
		lg1, _ := math.Lgamma(s.a[i] + n)
		lg0, _ := math.Lgamma(s.a[i])
		out += lg1 - lg0 - n*s.logP[i]
	}
	lgA, _ := math.Lgamma(s.conc)
	lgAN, _ := math.Lgamma(s.conc + total)
	return out + lgA - lgAN
}
