package abtest

import "strconv"

// DefaultAlpha is the significance level a zero Alpha field means, in every
// design and options struct of this package that sets the level of a test
// of the effect ([SpendingDesign], [FixedHorizon], [Naive], [Hybrid],
// [MSPRT], [ScorecardOptions]). The one other
// level, [SRMOptions].Alpha, is the false-alarm level of a sample-ratio
// check, whose zero means [SRMThreshold] (0.001). Positional alpha
// arguments (such as [Boundaries]' or [Compare]'s) are required: zero is
// refused with [ErrAlpha] there.
const DefaultAlpha = 0.05

// Unit is what a design's information fraction counts. The zero Unit is
// invalid; the designs of this package return [UnitVisitors] or
// [UnitConversions]. A Unit is a plain value.
type Unit int

const (
	// UnitVisitors: the fraction is the share of the planned randomised
	// units (visitors) per arm collected so far.
	UnitVisitors Unit = 1
	// UnitConversions: the fraction is the share of the planned
	// conversions (both arms together) counted so far, as in Miller's
	// test.
	UnitConversions Unit = 2
)

// String returns "visitors", "conversions" or "Unit(n)".
func (u Unit) String() string {
	switch u {
	case UnitVisitors:
		return "visitors"
	case UnitConversions:
		return "conversions"
	}
	return "Unit(" + strconv.Itoa(int(u)) + ")"
}

// Scale says how a design's thresholds are read: against one- or
// two-sided fixed-sample p-values, at information fractions counted in
// visitors or conversions. Two designs can only be combined, or drawn on
// one chart as alternatives, when their Scales are equal. It is a plain
// value.
type Scale struct {
	Sides Sides // OneSided: p-value of the preferred direction; TwoSided: of |Z|
	Unit  Unit  // what the information fraction counts
}

// String returns e.g. "two-sided, visitors".
func (s Scale) String() string { return s.Sides.String() + ", " + s.Unit.String() }

// check validates a design's Scale.
func (s Scale) check(fn, name string) error {
	if s.Sides != OneSided && s.Sides != TwoSided {
		return reasonErr(fn, name+".Sides", float64(s.Sides), ErrSides, "%s.Sides = %v: %s", name, s.Sides, "must be OneSided or TwoSided")
	}
	if s.Unit != UnitVisitors && s.Unit != UnitConversions {
		return reasonErr(fn, name+".Unit", float64(s.Unit), ErrArgument, "%s.Unit = %v: must be UnitVisitors or UnitConversions", name, s.Unit)
	}
	return nil
}

// Design answers, for an experiment looked at after each information
// fraction in fractions (increasing, in (0, 1], the last one being "now"),
// which nominal p-value threshold applies at each look: a result is
// significant at look k when its fixed-sample p-value, one- or two-sided
// as Scale says, is at most the k-th threshold. A threshold of 0 means no
// decision is possible at that look. The information fraction is the
// share of the planned sample collected so far, counted in the Scale's
// unit. The designs of this package are values and safe for concurrent
// use.
type Design interface {
	Thresholds(fractions []float64) ([]float64, error)
	// Scale says how the thresholds are read (sides and unit).
	Scale() Scale
}

var (
	_ Design = SpendingDesign{}
	_ Design = FixedHorizon{}
	_ Design = Naive{}
	_ Design = Hybrid{}
	_ Design = MSPRT{}
	_ Design = MillerPlan{}
)

// orDefaultAlpha returns alpha, or DefaultAlpha for zero.
func orDefaultAlpha(alpha float64) float64 {
	if alpha == 0 {
		return DefaultAlpha
	}
	return alpha
}

// orTwoSided returns s, or TwoSided for zero.
func orTwoSided(s Sides) Sides {
	if s == 0 {
		return TwoSided
	}
	return s
}

// SpendingDesign is a group sequential design by alpha spending. Its
// thresholds come from [Boundaries]. The zero value is usable: a zero
// Alpha means [DefaultAlpha], a zero Sides TwoSided and a nil Spending
// [OBrienFlemingSpending]. Its Scale counts visitors.
// A SpendingDesign is a value and safe for concurrent use.
type SpendingDesign struct {
	Alpha    float64
	Sides    Sides
	Spending SpendingFunc
}

func (d SpendingDesign) defaults() (Sides, SpendingFunc) {
	s, f := orTwoSided(d.Sides), d.Spending
	if f == nil {
		f = OBrienFlemingSpending
	}
	return s, f
}

// Scale implements [Design]: Sides (TwoSided for zero), visitors.
func (d SpendingDesign) Scale() Scale { return Scale{Sides: orTwoSided(d.Sides), Unit: UnitVisitors} }

// Thresholds implements [Design]. Errors name SpendingDesign.Thresholds
// and the field at fault (Alpha, Sides).
func (d SpendingDesign) Thresholds(fractions []float64) ([]float64, error) {
	const fn = "SpendingDesign.Thresholds"
	s, f := d.defaults()
	alpha := orDefaultAlpha(d.Alpha)
	if !inUnit(alpha) {
		return nil, argErr(fn, "Alpha", alpha, ErrAlpha)
	}
	if err := checkSides(fn, s); err != nil {
		return nil, argErr(fn, "Sides", float64(s), ErrSides)
	}
	b, err := Boundaries(fractions, alpha, s, f)
	if err != nil {
		if ae, ok := err.(*ArgError); ok {
			c := *ae
			c.Func = fn
			return nil, &c
		}
		return nil, err
	}
	for i, c := range b {
		b[i] = nominalP(c, s)
	}
	return b, nil
}

// Start returns an empty [GroupSequential] for the design, to which looks
// are appended as data arrive.
func (d SpendingDesign) Start() (*GroupSequential, error) {
	s, f := d.defaults()
	return NewGroupSequential(orDefaultAlpha(d.Alpha), s, f)
}

// FixedHorizon is the classical test: no decision before the planned
// sample (threshold 0 for t < 1), Alpha at t = 1. The zero value is
// usable: a zero Alpha means [DefaultAlpha] and a zero Sides TwoSided.
// Its Scale counts visitors. A FixedHorizon is a value and safe for
// concurrent use.
type FixedHorizon struct {
	Alpha float64
	Sides Sides
}

// Scale implements [Design].
func (d FixedHorizon) Scale() Scale { return Scale{Sides: orTwoSided(d.Sides), Unit: UnitVisitors} }

// Thresholds implements [Design].
func (d FixedHorizon) Thresholds(fractions []float64) ([]float64, error) {
	alpha := orDefaultAlpha(d.Alpha)
	if err := checkDesign("FixedHorizon.Thresholds", alpha, d.Sides, fractions); err != nil {
		return nil, err
	}
	out := make([]float64, len(fractions))
	for i, t := range fractions {
		if t >= 1 {
			out[i] = alpha
		}
	}
	return out, nil
}

// Naive is the anti-pattern this package exists to replace: comparing the
// fixed-sample p-value with alpha at every look. Its false-positive rate
// grows with the number of looks (see [AuditConversion] and
// [FalsePositiveRate]). The zero value is usable: a zero Alpha means
// [DefaultAlpha] and a zero Sides TwoSided. Its Scale counts visitors. A
// Naive is a value and safe for concurrent use.
type Naive struct {
	Alpha float64
	Sides Sides
}

// Scale implements [Design].
func (d Naive) Scale() Scale { return Scale{Sides: orTwoSided(d.Sides), Unit: UnitVisitors} }

// Thresholds implements [Design].
func (d Naive) Thresholds(fractions []float64) ([]float64, error) {
	alpha := orDefaultAlpha(d.Alpha)
	if err := checkDesign("Naive.Thresholds", alpha, d.Sides, fractions); err != nil {
		return nil, err
	}
	out := make([]float64, len(fractions))
	for i := range out {
		out[i] = alpha
	}
	return out, nil
}

// Hybrid is the threshold curve dashboards show: the Sequential design's
// threshold before the planned sample is reached and the fixed-horizon
// Alpha from then on.
//
// Hybrid does not keep its level: the final look uses the full Alpha on
// top of what the earlier looks spent, so its false-positive rate exceeds
// Alpha ([Hybrid.ExceedsAlpha] is always true). With the default
// Sequential design at Alpha 0.05 it is 0.0601 for 14 daily looks and
// 0.0609 for 28 ([FalsePositiveRate] computes it for any looks; about 0.12
// for Alpha 0.1 looked at after every pair of 500 visitors). Draw it only
// labelled as such, and use a [SpendingDesign] when the rate must stay at
// Alpha.
//
// A nil Sequential means an O'Brien-Fleming-type [SpendingDesign] at
// Alpha with the Hybrid's Sides. The Sequential design must count
// visitors and have the Hybrid's sides: Thresholds refuses a [MillerPlan]
// (one-sided, counts conversions) or a one-sided design in a two-sided
// Hybrid with [ErrScale]. A zero Alpha means [DefaultAlpha] and a zero
// Sides TwoSided. A Hybrid is safe for concurrent use when its Sequential
// design is (all designs of this package are).
type Hybrid struct {
	Sequential Design
	Alpha      float64
	Sides      Sides
}

// Scale implements [Design]: the Hybrid's Sides (TwoSided for zero),
// visitors.
func (d Hybrid) Scale() Scale { return Scale{Sides: orTwoSided(d.Sides), Unit: UnitVisitors} }

// ExceedsAlpha reports that the design's false-positive rate is above its
// Alpha whenever it is looked at before the planned sample: true. Charts
// and reports drawing a Hybrid say so (see [FalsePositiveRate] for the
// rate itself).
func (d Hybrid) ExceedsAlpha() bool { return true }

// Thresholds implements [Design].
func (d Hybrid) Thresholds(fractions []float64) ([]float64, error) {
	const fn = "Hybrid.Thresholds"
	alpha := orDefaultAlpha(d.Alpha)
	if err := checkDesign(fn, alpha, d.Sides, fractions); err != nil {
		return nil, err
	}
	seq := d.Sequential
	if seq == nil {
		seq = SpendingDesign{Alpha: alpha, Sides: d.Sides}
	}
	if err := sameScale(fn, "Sequential", seq.Scale(), d.Scale()); err != nil {
		return nil, err
	}
	out, err := seq.Thresholds(fractions)
	if err != nil {
		return nil, err
	}
	for i, t := range fractions {
		if t >= 1 {
			out[i] = alpha
		}
	}
	return out, nil
}

// sameScale refuses a design (named name) whose Scale differs from want.
func sameScale(fn, name string, got, want Scale) error {
	if err := got.check(fn, name+".Scale()"); err != nil {
		return err
	}
	if got != want {
		return reasonErr(fn, name, float64(got.Sides), ErrScale,
			"%s reads its thresholds as %v, not %v: designs of different sides or units cannot be combined", name, got, want)
	}
	return nil
}

func checkDesign(fn string, alpha float64, sides Sides, fractions []float64) error {
	if !inUnit(alpha) {
		return argErr(fn, "Alpha", alpha, ErrAlpha)
	}
	if s := orTwoSided(sides); s != OneSided && s != TwoSided {
		return argErr(fn, "Sides", float64(s), ErrSides)
	}
	return checkInfo(fn, fractions)
}

// CurvePoint is one point of a threshold curve, a plain value.
type CurvePoint struct {
	Fraction  float64 // information fraction in (0, 1]
	Threshold float64 // nominal p-value threshold at that look
}

// ThresholdCurve returns the design's thresholds at points equally spaced
// looks (fractions 1/points, 2/points, ..., 1), for plotting.
func ThresholdCurve(d Design, points int) ([]CurvePoint, error) {
	if d == nil {
		return nil, nilErr("ThresholdCurve", "d", "design", ErrArgument)
	}
	if points < 1 || points > maxLooks {
		return nil, argErr("ThresholdCurve", "points", float64(points), ErrInfo)
	}
	fr := equalFractions(points)
	th, err := d.Thresholds(fr)
	if err != nil {
		return nil, err
	}
	out := make([]CurvePoint, points)
	for i := range out {
		out[i] = CurvePoint{Fraction: fr[i], Threshold: th[i]}
	}
	return out, nil
}

// equalFractions returns the fractions 1/k, 2/k, ..., 1 of k equally
// spaced looks.
func equalFractions(k int) []float64 {
	fr := make([]float64, k)
	for i := range fr {
		fr[i] = float64(i+1) / float64(k)
	}
	return fr
}
