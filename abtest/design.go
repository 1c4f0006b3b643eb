package abtest

// Design answers, for an experiment looked at after each information
// fraction in fractions (increasing, in (0, 1], the last one being "now"),
// which nominal p-value threshold applies at each look: a result is
// significant at look k when its fixed-sample p-value is at most the k-th
// threshold. A threshold of 0 means no decision is possible at that look.
// The information fraction is the share of the planned sample (per arm)
// collected so far. The designs of this package are values and safe for
// concurrent use.
type Design interface {
	Thresholds(fractions []float64) ([]float64, error)
}

var (
	_ Design = SpendingDesign{}
	_ Design = FixedHorizon{}
	_ Design = Naive{}
	_ Design = Hybrid{}
	_ Design = MSPRT{}
	_ Design = MillerPlan{}
)

// SpendingDesign is a group sequential design by alpha spending. Its
// thresholds come from [Boundaries]. The zero Spending means
// [OBrienFlemingSpending] and the zero Sides means TwoSided; Alpha must be
// set (the zero value is not usable).
// A SpendingDesign is a value and safe for concurrent use.
type SpendingDesign struct {
	Alpha    float64
	Sides    Sides
	Spending SpendingFunc
}

func (d SpendingDesign) defaults() (Sides, SpendingFunc) {
	s, f := d.Sides, d.Spending
	if s == 0 {
		s = TwoSided
	}
	if f == nil {
		f = OBrienFlemingSpending
	}
	return s, f
}

// Thresholds implements [Design].
func (d SpendingDesign) Thresholds(fractions []float64) ([]float64, error) {
	s, f := d.defaults()
	b, err := Boundaries(fractions, d.Alpha, s, f)
	if err != nil {
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
	return NewGroupSequential(d.Alpha, s, f)
}

// FixedHorizon is the classical test: no decision before the planned
// sample (threshold 0 for t < 1), alpha at t = 1. Alpha must be set. A
// FixedHorizon is a value and safe for concurrent use.
type FixedHorizon struct{ Alpha float64 }

// Thresholds implements [Design].
func (d FixedHorizon) Thresholds(fractions []float64) ([]float64, error) {
	if err := checkDesign("FixedHorizon.Thresholds", d.Alpha, fractions); err != nil {
		return nil, err
	}
	out := make([]float64, len(fractions))
	for i, t := range fractions {
		if t >= 1 {
			out[i] = d.Alpha
		}
	}
	return out, nil
}

// Naive is the anti-pattern this package exists to replace: comparing the
// fixed-sample p-value with alpha at every look. Its false-positive rate
// grows with the number of looks (see [AuditConversion]). Alpha must be
// set. A Naive is a value and safe for concurrent use.
type Naive struct{ Alpha float64 }

// Thresholds implements [Design].
func (d Naive) Thresholds(fractions []float64) ([]float64, error) {
	if err := checkDesign("Naive.Thresholds", d.Alpha, fractions); err != nil {
		return nil, err
	}
	out := make([]float64, len(fractions))
	for i := range out {
		out[i] = d.Alpha
	}
	return out, nil
}

// Hybrid is the threshold curve dashboards show: the Sequential design's
// threshold before the planned sample is reached and the fixed-horizon
// Alpha from then on. A nil Sequential means an O'Brien-Fleming-type
// [SpendingDesign] at Alpha. Because the final look uses the full Alpha
// on top of what the earlier looks spent, the overall false-positive rate
// exceeds Alpha (about 0.12 for Alpha 0.1 looked at after every pair of
// 500); [AuditConversion] measures it for a given plan. Use a
// [SpendingDesign] when the rate must stay at Alpha. Alpha must be set. A Hybrid is safe for concurrent use
// when its Sequential design is (all designs of this package are).
type Hybrid struct {
	Sequential Design
	Alpha      float64
}

// Thresholds implements [Design].
func (d Hybrid) Thresholds(fractions []float64) ([]float64, error) {
	if err := checkDesign("Hybrid.Thresholds", d.Alpha, fractions); err != nil {
		return nil, err
	}
	seq := d.Sequential
	if seq == nil {
		seq = SpendingDesign{Alpha: d.Alpha}
	}
	out, err := seq.Thresholds(fractions)
	if err != nil {
		return nil, err
	}
	for i, t := range fractions {
		if t >= 1 {
			out[i] = d.Alpha
		}
	}
	return out, nil
}

func checkDesign(fn string, alpha float64, fractions []float64) error {
	if err := checkAlpha(fn, alpha); err != nil {
		return err
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
