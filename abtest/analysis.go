package abtest

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
)

// SRMThreshold is the p-value below which [SampleRatio] flags a sample
// ratio mismatch.
const SRMThreshold = 0.001

// Sample holds the sufficient statistics of one arm: the number of units,
// the sum of the metric and the sum of its squares. For a conversion
// metric Sum and SumSquares are both the number of conversions (see
// [Conversions]). The zero value is an empty arm. A Sample is a value and
// safe for concurrent use.
//
// Every function taking a Sample refuses, with an error naming the arm,
// statistics no data can have (see [Sample.Validate]).
type Sample struct {
	N          int64
	Sum        float64
	SumSquares float64
}

// Conversions returns the Sample of an arm with n units of which
// conversions converted. It does not check its arguments: the functions
// taking the Sample refuse more conversions than units and negative
// counts with [ErrSample] or [ErrArgument], naming the arm; call
// [Sample.Validate] to check a Sample on its own.
func Conversions(n, conversions int64) Sample {
	return Sample{N: n, Sum: float64(conversions), SumSquares: float64(conversions)}
}

// Mean returns Sum/N, or 0 for an empty sample.
func (s Sample) Mean() float64 {
	if s.N <= 0 {
		return 0
	}
	return s.Sum / float64(s.N)
}

// Variance returns the unbiased sample variance, or 0 with fewer than two
// units; rounding below zero is clamped to 0 (a larger shortfall is
// refused by [Sample.Validate]).
func (s Sample) Variance() float64 {
	if s.N < 2 {
		return 0
	}
	n := float64(s.N)
	m := s.Sum / n
	v := (s.SumSquares - m*s.Sum) / (n - 1)
	if !(v > 0) {
		return 0
	}
	return v
}

// Validate reports whether s can hold the statistics of real data. It
// returns an [*ArgError] wrapping [ErrArgument] for a negative N or a
// non-finite Sum or SumSquares, and wrapping [ErrSample] for a sum in an
// empty arm, negative conversions (Sum = SumSquares < 0), more
// conversions than units (Sum = SumSquares > N) or any other SumSquares
// below Sum²/N, which would make the variance negative. A shortfall of
// rounding size (a relative 1e-9 + N·4.4e-16) is accepted.
func (s Sample) Validate() error { return s.check("Sample.Validate", "sample") }

func (s Sample) check(fn, name string) error {
	if s.N < 0 {
		return argErr(fn, name+".N", float64(s.N), ErrArgument)
	}
	if !finite(s.Sum) {
		return argErr(fn, name+".Sum", s.Sum, ErrArgument)
	}
	if !finite(s.SumSquares) {
		return argErr(fn, name+".SumSquares", s.SumSquares, ErrArgument)
	}
	// A 0/1 metric: Sum and SumSquares both count conversions.
	conv := s.Sum == s.SumSquares && s.Sum == math.Trunc(s.Sum)
	switch {
	case conv && s.Sum < 0:
		return reasonErr(fn, name+".Sum", s.Sum, ErrSample, "%s: %v conversions: counts must not be negative", name, s.Sum)
	case s.SumSquares < 0:
		return argErr(fn, name+".SumSquares", s.SumSquares, ErrArgument)
	case s.N == 0 && (s.Sum != 0 || s.SumSquares != 0):
		return reasonErr(fn, name+".N", 0, ErrSample, "%s.N = 0 but Sum = %v and SumSquares = %v", name, s.Sum, s.SumSquares)
	case s.N == 0:
		return nil
	case conv && s.Sum > float64(s.N):
		return reasonErr(fn, name+".Sum", s.Sum, ErrSample, "%s: %v conversions out of %d units", name, s.Sum, s.N)
	}
	n := float64(s.N)
	need := s.Sum / n * s.Sum // Sum²/N, the least SumSquares can be
	if s.SumSquares < need*(1-(1e-9+4.4e-16*n)) {
		return reasonErr(fn, name+".SumSquares", s.SumSquares, ErrSample,
			"%s.SumSquares = %v is below Sum²/N = %v (N = %d, Sum = %v): the variance would be negative", name, s.SumSquares, need, s.N, s.Sum)
	}
	return nil
}

// Comparison is a treatment arm compared with control at one look.
// Lifts and intervals are fractions (0.032 means +3.2 %). It is a plain
// value; the zero Comparison means "not computed".
type Comparison struct {
	Control, Treatment float64 // arm means

	Diff, DiffLow, DiffHigh float64 // absolute lift Treatment − Control and its CI
	Lift, LiftLow, LiftHigh float64 // relative lift Treatment/Control − 1 and its delta-method CI

	SE        float64 // standard error of Diff (unpooled)
	Z         float64 // Diff/SE
	PValue    float64 // fixed-sample p-value (two-sided for TwoSided)
	AdjustedP float64 // p-value after a multiple-comparison correction (= PValue for one comparison)
}

// Compare compares treatment with control from sufficient statistics. The
// z statistic uses the unpooled standard error; the interval for the
// absolute lift is Diff ± z·SE and that for the relative lift uses the
// delta method, Var(T̄/C̄) ≈ Var(T̄)/C̄² + T̄²Var(C̄)/C̄⁴, with z = z_{1−α/2}
// for TwoSided and z_{1−α} for OneSided. It does not allocate. It returns
// [ErrNoData] when an arm has fewer than two units or both variances are
// zero, and a zero relative lift (with zero-width interval) when the
// control mean is zero.
func Compare(control, treatment Sample, alpha float64, sides Sides) (Comparison, error) {
	const fn = "Compare"
	if err := checkAlpha(fn, alpha); err != nil {
		return Comparison{}, err
	}
	if err := checkSides(fn, sides); err != nil {
		return Comparison{}, err
	}
	if err := control.check(fn, "control"); err != nil {
		return Comparison{}, err
	}
	if err := treatment.check(fn, "treatment"); err != nil {
		return Comparison{}, err
	}
	if control.N < 2 || treatment.N < 2 {
		return Comparison{}, ErrNoData
	}
	vc := control.Variance() / float64(control.N)
	vt := treatment.Variance() / float64(treatment.N)
	return compareMeans(control.Mean(), treatment.Mean(), vc, vt, alpha, sides)
}

// compareMeans fills a Comparison from the two arms' estimates c and t
// and the variances vc and vt of those estimates; alpha and sides are
// already checked. It does not allocate.
func compareMeans(c, t, vc, vt, alpha float64, sides Sides) (Comparison, error) {
	se := math.Sqrt(vc + vt)
	if !(se > 0) || math.IsInf(se, 0) {
		return Comparison{}, ErrNoData
	}
	r := Comparison{Control: c, Treatment: t, Diff: t - c, SE: se}
	r.Z = r.Diff / se
	z := normUpperQuantile(alpha / float64(sides))
	if sides == TwoSided {
		r.PValue = 2 * normSF(math.Abs(r.Z))
	} else {
		r.PValue = normSF(r.Z)
	}
	r.AdjustedP = r.PValue
	r.DiffLow, r.DiffHigh = r.Diff-z*se, r.Diff+z*se
	if c != 0 {
		r.Lift = t/c - 1
		sl := math.Sqrt(vt/(c*c) + t*t*vc/(c*c*c*c))
		r.LiftLow, r.LiftHigh = r.Lift-z*sl, r.Lift+z*sl
	}
	if !finite(r.Z, r.Lift, r.LiftLow, r.LiftHigh, r.DiffLow, r.DiffHigh) {
		return Comparison{}, ErrNoData
	}
	return r, nil
}

// SampleRatio tests whether the units per arm match the planned traffic
// weights with Pearson's chi-square test and returns the statistic and
// its p-value; a p-value below [SRMThreshold] signals a sample ratio
// mismatch. Nil weights mean an equal split.
func SampleRatio(counts []int64, weights []float64) (chi2, p float64, err error) {
	const fn = "SampleRatio"
	if len(counts) < 2 {
		return 0, 0, argErr(fn, "len(counts)", float64(len(counts)), ErrArgument)
	}
	if weights != nil && len(weights) != len(counts) {
		return 0, 0, argErr(fn, "len(weights)", float64(len(weights)), ErrArgument)
	}
	total, wsum := 0.0, 0.0
	for i, c := range counts {
		if c < 0 {
			return 0, 0, argErr(fn, fmt.Sprintf("counts[%d]", i), float64(c), ErrArgument)
		}
		total += float64(c)
		w := 1.0
		if weights != nil {
			w = weights[i]
			if !(w > 0) || math.IsInf(w, 0) {
				return 0, 0, argErr(fn, fmt.Sprintf("weights[%d]", i), w, ErrArgument)
			}
		}
		wsum += w
	}
	if total == 0 {
		return 0, 1, nil
	}
	for i, c := range counts {
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		e := total * w / wsum
		if e == 0 { // a weight so small its expected count underflows
			if c > 0 {
				return math.Inf(1), 0, nil
			}
			continue
		}
		d := float64(c) - e
		chi2 += d * d / e
	}
	if math.IsInf(chi2, 1) {
		return chi2, 0, nil
	}
	return chi2, mathext.GammaIncRegComp(float64(len(counts)-1)/2, chi2/2), nil
}

// Correction is a multiple-comparison procedure for [CompareAll] and
// [Adjust]. The zero value is [NoCorrection].
type Correction int

const (
	// NoCorrection leaves p-values as they are.
	NoCorrection Correction = iota
	// Holm is Holm's step-down procedure; it controls the family-wise
	// error rate.
	Holm
	// BenjaminiHochberg is the Benjamini-Hochberg step-up procedure; it
	// controls the false discovery rate.
	BenjaminiHochberg
)

// CompareAll compares each variant with control and fills AdjustedP by
// the correction; a variant is significant when AdjustedP ≤ alpha.
func CompareAll(control Sample, variants []Sample, alpha float64, sides Sides, corr Correction) ([]Comparison, error) {
	const fn = "CompareAll"
	if err := corr.check(fn); err != nil {
		return nil, err
	}
	if err := checkAlpha(fn, alpha); err != nil {
		return nil, err
	}
	if err := checkSides(fn, sides); err != nil {
		return nil, err
	}
	if err := control.check(fn, "control"); err != nil {
		return nil, err
	}
	for i, v := range variants {
		if err := v.check(fn, fmt.Sprintf("variants[%d]", i)); err != nil {
			return nil, err
		}
	}
	out := make([]Comparison, len(variants))
	p := make([]float64, len(variants))
	for i, v := range variants {
		c, err := Compare(control, v, alpha, sides)
		if err != nil {
			return nil, err
		}
		out[i] = c
		p[i] = c.PValue
	}
	adj, err := Adjust(p, corr)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].AdjustedP = adj[i]
	}
	return out, nil
}

func (c Correction) check(fn string) error {
	if c < NoCorrection || c > BenjaminiHochberg {
		return argErr(fn, "corr", float64(c), ErrArgument)
	}
	return nil
}

// Adjust returns p-values adjusted by the correction (in the input order):
// Holm's max_{j≤i} min(1, (m−j+1)p_(j)) or Benjamini-Hochberg's
// min_{j≥i} min(1, m·p_(j)/j) over the sorted p-values. It returns an
// error for an unknown correction or a p-value outside [0, 1] (or NaN).
func Adjust(p []float64, corr Correction) ([]float64, error) {
	const fn = "Adjust"
	if err := corr.check(fn); err != nil {
		return nil, err
	}
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			return nil, argErr(fn, fmt.Sprintf("p[%d]", i), v, ErrProbability)
		}
	}
	m := len(p)
	out := make([]float64, m)
	if corr == NoCorrection || m == 0 {
		copy(out, p)
		return out, nil
	}
	idx := make([]int, m)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	switch corr {
	case Holm:
		run := 0.0
		for j, i := range idx {
			v := math.Min(1, float64(m-j)*p[i])
			run = math.Max(run, v)
			out[i] = run
		}
	case BenjaminiHochberg:
		run := 1.0
		for j := m - 1; j >= 0; j-- {
			i := idx[j]
			run = math.Min(run, math.Min(1, float64(m)*p[i]/float64(j+1)))
			out[i] = run
		}
	}
	return out, nil
}
