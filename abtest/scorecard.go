package abtest

import (
	"fmt"
	"math"
)

// maxScorecardMetrics and maxScorecardVariants bound a [Scorecard].
const (
	maxScorecardMetrics  = 100
	maxScorecardVariants = 100
)

// Role is what a metric decides in an experiment with several metrics.
// The zero Role is invalid.
type Role int

const (
	// Primary is the metric the experiment is run to move: tested for
	// superiority (two-sided), with a practical-significance threshold.
	// A [Scorecard] has exactly one.
	Primary Role = 1
	// Guardrail is a metric that must not get worse by more than its
	// non-inferiority Margin (Spotify's and Eppo's guardrails).
	Guardrail Role = 2
)

// String returns "primary", "guardrail" or "Role(n)".
func (r Role) String() string {
	switch r {
	case Primary:
		return "primary"
	case Guardrail:
		return "guardrail"
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

// Metric describes one metric of a [Scorecard]. It is a plain value.
type Metric struct {
	Name string
	Role Role
	// LowerIsBetter marks metrics where a decrease is good (latency,
	// refunds); lifts are then judged in that direction.
	LowerIsBetter bool
	// Margin is, for a guardrail, the relative deterioration tolerated:
	// 0.01 means the metric may get 1 % worse. It must be in [0, 1);
	// zero means any significant deterioration fails the guardrail and
	// the non-inferiority test cannot pass before a significant
	// improvement. It must be zero for the primary metric.
	Margin float64
	// Practical is, for the primary metric, the smallest relative lift
	// worth shipping (the "is it worth it" threshold), in the preferred
	// direction: 0.01 means +1 %. Zero means any significant lift.
	Practical float64
}

// ScorecardOptions are the optional settings of [NewScorecard]; nil means
// all defaults.
type ScorecardOptions struct {
	// Alpha is the family-wise level over all metrics, variants and
	// looks; zero means [DefaultAlpha].
	Alpha float64
	// Spending is the alpha-spending function of every metric's test;
	// nil means [OBrienFlemingSpending].
	Spending SpendingFunc
	// Weights are the planned traffic weights of control and the variants
	// (variants+1 of them) for the sequential sample-ratio check; nil
	// means an equal split.
	Weights []float64
	// SRM configures the sequential sample-ratio check ([SequentialSRM]);
	// nil means its defaults.
	SRM *SRMOptions
}

// MetricStatus is the state of one metric's test in a [Scorecard]. The
// zero value is [MetricPending].
type MetricStatus int

const (
	// MetricPending: no boundary crossed yet.
	MetricPending MetricStatus = iota
	// MetricBetter: the primary metric improved significantly.
	MetricBetter
	// MetricWorse: the primary metric got significantly worse.
	MetricWorse
	// MetricPassed: the guardrail is significantly better than its
	// margin (non-inferiority shown).
	MetricPassed
	// MetricFailed: the guardrail got significantly worse.
	MetricFailed
)

// String returns "pending", "better", "worse", "passed" or "failed".
func (s MetricStatus) String() string {
	switch s {
	case MetricBetter:
		return "better"
	case MetricWorse:
		return "worse"
	case MetricPassed:
		return "passed"
	case MetricFailed:
		return "failed"
	}
	return "pending"
}

// Verdicts of a variant in a [ScorecardReport].
const (
	VerdictContinue   = "continue"                                      // nothing decided yet
	VerdictShip       = "ship"                                          // primary better by more than Practical, every guardrail passed
	VerdictNotWorth   = "significant but below the practical threshold" // primary better, but the lift is surely below Practical
	VerdictGuardrail  = "stop: a guardrail failed"                      // some guardrail got significantly worse
	VerdictWorse      = "stop: the primary metric got worse"            // primary significantly worse
	VerdictNoChange   = "no change"                                     // planned sample reached without a decision
	VerdictUnresolved = "primary better, not resolved"                  // planned sample reached: primary better, but a guardrail or the practical threshold is undecided
)

// MetricResult is one metric of one variant at a look. It is a plain
// value; lifts are fractions (0.032 means +3.2 %).
type MetricResult struct {
	Name   string
	Role   Role
	Status MetricStatus
	// Lift is the relative lift Treatment/Control − 1 and LiftLow,
	// LiftHigh its repeated confidence interval at the metric's share of
	// alpha: it holds at every look whatever the stopping rule (0 where
	// unbounded or not computed).
	Lift, LiftLow, LiftHigh float64
	// Z is the test statistic this look was judged by: Diff/SE for the
	// primary metric, (lift + Margin)/SE of the lift in the preferred
	// direction for a guardrail. Bound is its z-scale boundary.
	Z, Bound float64
	// Worthwhile, for the primary metric, is +1 when the whole interval
	// (in the preferred direction) is at or above Practical, −1 when it
	// is below, 0 while undecided.
	Worthwhile int
}

// VariantReport is one variant against control at a look.
type VariantReport struct {
	Variant  int     // 1-based: arms[Variant] in Observe
	Fraction float64 // information fraction of the primary metric, in [0, 1]
	Verdict  string  // one of the Verdict constants
	Metrics  []MetricResult
}

// ScorecardReport is every variant at one look. Its slices are owned by
// the caller.
type ScorecardReport struct {
	Day      int
	Variants []VariantReport
	// SRM is the sequential sample-ratio check of the primary metric's
	// units over all arms; when SRM.Mismatch is set, check assignment
	// before trusting any result.
	SRM SRMCheck
}

// Scorecard follows an experiment with one primary metric, guardrails and
// one or more variants through repeated looks, keeping the family-wise
// false-positive rate at Alpha over all metrics, variants and looks:
// Alpha is split equally (Bonferroni) over the metric-variant pairs and
// each pair is a group sequential test by alpha spending on its share,
// two-sided for the primary metric, one-sided non-inferiority at the
// Margin for a guardrail (a guardrail fails when it gets significantly
// worse at the same boundary; for a given truth at most one of the two
// conclusions is an error). A test whose boundary was crossed keeps its
// conclusion. The information fraction is the primary metric's units per
// arm against targetN (the harmonic mean of the two arms'); looks closer
// than [MinSpacing] are merged into the previous one. Every look also runs
// a [SequentialSRM] over the arms' units (always valid, however many
// looks).
//
// Create it with [NewScorecard]; the zero value is not usable. A
// Scorecard is not safe for concurrent use.
type Scorecard struct {
	metrics  []Metric
	primary  int
	variants int
	targetN  float64
	alpha    float64 // per metric-variant pair
	lastDay  int
	v        []scoreVariant
	srm      *SequentialSRM
	counts   []int64
}

type scoreVariant struct {
	two, one *GroupSequential // primary (two-sided) and guardrail (one-sided) designs
	bTwo     float64          // boundaries of the latest look
	bOne     float64
	status   []MetricStatus
}

// NewScorecard returns a Scorecard for metrics (exactly one Primary, at
// most 100 in all) compared in variants treatment arms (1 to 100) with
// control, planned for targetN units per arm (at least 2). It returns an
// [*ArgError] naming the metric or option at fault.
func NewScorecard(metrics []Metric, variants int, targetN int64, o *ScorecardOptions) (*Scorecard, error) {
	const fn = "NewScorecard"
	var opt ScorecardOptions
	if o != nil {
		opt = *o
	}
	alpha := orDefaultAlpha(opt.Alpha)
	if !inUnit(alpha) {
		return nil, argErr(fn, "o.Alpha", alpha, ErrAlpha)
	}
	spend := opt.Spending
	if spend == nil {
		spend = OBrienFlemingSpending
	}
	if len(metrics) < 1 || len(metrics) > maxScorecardMetrics {
		return nil, argErr(fn, "len(metrics)", float64(len(metrics)), ErrArgument)
	}
	if variants < 1 || variants > maxScorecardVariants {
		return nil, argErr(fn, "variants", float64(variants), ErrArgument)
	}
	if targetN < 2 {
		return nil, argErr(fn, "targetN", float64(targetN), ErrArgument)
	}
	s := &Scorecard{metrics: append([]Metric(nil), metrics...), primary: -1, variants: variants, targetN: float64(targetN)}
	for i, m := range metrics {
		name := fmt.Sprintf("metrics[%d]", i)
		switch m.Role {
		case Primary:
			if s.primary >= 0 {
				return nil, reasonErr(fn, name+".Role", float64(m.Role), ErrArgument,
					"%s (%q) is a second primary metric after metrics[%d]", name, m.Name, s.primary)
			}
			s.primary = i
			if m.Margin != 0 {
				return nil, reasonErr(fn, name+".Margin", m.Margin, ErrArgument, "%s.Margin = %v: the primary metric has no margin", name, m.Margin)
			}
			if !(m.Practical >= 0) || math.IsInf(m.Practical, 0) {
				return nil, argErr(fn, name+".Practical", m.Practical, ErrArgument)
			}
		case Guardrail:
			if !(m.Margin >= 0 && m.Margin < 1) {
				return nil, argErr(fn, name+".Margin", m.Margin, ErrArgument)
			}
			if m.Practical != 0 {
				return nil, reasonErr(fn, name+".Practical", m.Practical, ErrArgument, "%s.Practical = %v: only the primary metric has one", name, m.Practical)
			}
		default:
			return nil, argErr(fn, name+".Role", float64(m.Role), ErrArgument)
		}
	}
	if s.primary < 0 {
		return nil, reasonErr(fn, "metrics", float64(len(metrics)), ErrArgument, "no metric has Role Primary")
	}
	weights := opt.Weights
	if weights == nil {
		weights = make([]float64, variants+1)
		for i := range weights {
			weights[i] = 1
		}
	}
	if len(weights) != variants+1 {
		return nil, argErr(fn, "len(o.Weights)", float64(len(weights)), ErrArgument)
	}
	srm, err := NewSequentialSRM(weights, opt.SRM)
	if err != nil {
		return nil, err
	}
	s.srm, s.counts = srm, make([]int64, variants+1)
	s.alpha = alpha / float64(len(metrics)*variants)
	s.v = make([]scoreVariant, variants)
	for i := range s.v {
		two, err := NewGroupSequential(s.alpha, TwoSided, spend)
		if err != nil {
			return nil, err
		}
		one, err := NewGroupSequential(s.alpha, OneSided, spend)
		if err != nil {
			return nil, err
		}
		s.v[i] = scoreVariant{two: two, one: one, bTwo: math.Inf(1), bOne: math.Inf(1), status: make([]MetricStatus, len(metrics))}
	}
	return s, nil
}

// PairAlpha returns the level of each metric-variant test: Alpha over the
// number of metrics times variants.
func (s *Scorecard) PairAlpha() float64 { return s.alpha }

// Observe records the cumulative sufficient statistics on day (1-based,
// increasing): arms[0] is control and arms[v] variant v, each holding one
// [Sample] per metric in the order given to [NewScorecard]. A call that
// returns an error leaves the Scorecard as it was.
func (s *Scorecard) Observe(day int, arms [][]Sample) (ScorecardReport, error) {
	const fn = "Scorecard.Observe"
	if len(arms) != s.variants+1 {
		return ScorecardReport{}, argErr(fn, "len(arms)", float64(len(arms)), ErrArgument)
	}
	units := make([]int64, len(arms))
	means := make([][]ArmMean, len(arms))
	for a, arm := range arms {
		if len(arm) != len(s.metrics) {
			return ScorecardReport{}, argErr(fn, fmt.Sprintf("len(arms[%d])", a), float64(len(arm)), ErrArgument)
		}
		means[a] = make([]ArmMean, len(arm))
		for i, x := range arm {
			if err := x.check(fn, fmt.Sprintf("arms[%d][%d]", a, i)); err != nil {
				return ScorecardReport{}, err
			}
			means[a][i] = ArmMean{Mean: x.Mean(), Var: math.Inf(1)} // not computable below 2 units
			if x.N >= 2 {
				means[a][i].Var = x.Variance() / float64(x.N)
			}
		}
		units[a] = arm[s.primary].N
	}
	return s.observe(fn, day, units, means)
}

// ArmMean is one arm's estimate of a metric's mean and the variance of
// that estimate, for [Scorecard.ObserveMeans]: from a [Sample] it is
// (Mean(), Variance()/N), from a ratio metric's [Joint] [RatioMean], and
// for CUPED [CUPEDMeans]. It is a plain value.
type ArmMean struct {
	Mean, Var float64
}

// RatioMean returns a ratio metric's arm estimate ΣY/ΣX with its
// delta-method variance, as [CompareRatio] computes it. It returns
// [ErrNoData] for fewer than two units or a ΣX that is not positive.
func RatioMean(j Joint) (ArmMean, error) {
	if err := j.check("RatioMean", "j"); err != nil {
		return ArmMean{}, err
	}
	if j.N < 2 || !(j.SumX > 0) {
		return ArmMean{}, ErrNoData
	}
	r, v := ratioVar(j)
	return ArmMean{Mean: r, Var: v}, nil
}

// CUPEDMeans returns every arm's CUPED-adjusted mean and its variance
// ([CompareCUPED]), with θ pooled over all the arms given (control
// first, then the variants): Ȳᵢ − θ(X̄ᵢ − X̄). It returns [ErrNoData]
// when an arm has fewer than two units.
func CUPEDMeans(arms []Joint) ([]ArmMean, error) {
	const fn = "CUPEDMeans"
	if len(arms) < 2 || len(arms) > maxScorecardVariants+1 {
		return nil, argErr(fn, "len(arms)", float64(len(arms)), ErrArgument)
	}
	var sxx, sxy, sumX float64
	var n int64
	for a, j := range arms {
		if err := j.check(fn, fmt.Sprintf("arms[%d]", a)); err != nil {
			return nil, err
		}
		if j.N < 2 {
			return nil, ErrNoData
		}
		xx, _, xy := j.centered()
		sxx, sxy, sumX, n = sxx+xx, sxy+xy, sumX+j.SumX, n+j.N
	}
	theta := 0.0
	if sxx > 0 {
		theta = sxy / sxx
	}
	xbar := sumX / float64(n)
	out := make([]ArmMean, len(arms))
	for a, j := range arms {
		xx, yy, xy := j.centered()
		nf := float64(j.N)
		out[a] = ArmMean{
			Mean: j.SumY/nf - theta*(j.SumX/nf-xbar),
			Var:  math.Max(0, yy-2*theta*xy+theta*theta*xx) / (nf - 1) / nf,
		}
	}
	return out, nil
}

// ObserveMeans is [Scorecard.Observe] for metrics given as arm
// estimates, such as ratio ([RatioMean]) and CUPED ([CUPEDMeans])
// metrics: units[a] is arm a's randomised units (control first; they set
// the information fraction and feed the sample-ratio check) and
// means[a][i] metric i's estimate in arm a. Means must be finite and
// variances finite and not negative.
func (s *Scorecard) ObserveMeans(day int, units []int64, means [][]ArmMean) (ScorecardReport, error) {
	const fn = "Scorecard.ObserveMeans"
	if len(units) != s.variants+1 {
		return ScorecardReport{}, argErr(fn, "len(units)", float64(len(units)), ErrArgument)
	}
	if len(means) != s.variants+1 {
		return ScorecardReport{}, argErr(fn, "len(means)", float64(len(means)), ErrArgument)
	}
	for a, arm := range means {
		if units[a] < 0 {
			return ScorecardReport{}, argErr(fn, fmt.Sprintf("units[%d]", a), float64(units[a]), ErrArgument)
		}
		if len(arm) != len(s.metrics) {
			return ScorecardReport{}, argErr(fn, fmt.Sprintf("len(means[%d])", a), float64(len(arm)), ErrArgument)
		}
		for i, m := range arm {
			if !finite(m.Mean) {
				return ScorecardReport{}, argErr(fn, fmt.Sprintf("means[%d][%d].Mean", a, i), m.Mean, ErrArgument)
			}
			if !(m.Var >= 0) || math.IsInf(m.Var, 0) {
				return ScorecardReport{}, argErr(fn, fmt.Sprintf("means[%d][%d].Var", a, i), m.Var, ErrArgument)
			}
		}
	}
	return s.observe(fn, day, units, means)
}

func (s *Scorecard) observe(fn string, day int, units []int64, arms [][]ArmMean) (ScorecardReport, error) {
	if day <= s.lastDay {
		return ScorecardReport{}, argErr(fn, "day", float64(day), ErrArgument)
	}
	// Take every look first, on copies, so that an error changes nothing.
	type look struct {
		t          float64
		two, one   *GroupSequential
		bTwo, bOne float64
	}
	looks := make([]look, s.variants)
	for v := range s.v {
		sv := &s.v[v]
		nc, nt := float64(units[0]), float64(units[v+1])
		t := 0.0
		if nc > 0 && nt > 0 {
			t = math.Min(1, nc*nt/(nc+nt)/(s.targetN/2))
		}
		lk := look{t: t, two: sv.two, one: sv.one, bTwo: sv.bTwo, bOne: sv.bOne}
		k := sv.two.Len()
		prev := 0.0
		if k > 0 {
			prev = sv.two.info[k-1]
		}
		if t < prev*(1-1e-9) {
			return ScorecardReport{}, reasonErr(fn, fmt.Sprintf("arms[%d]", v+1), t, ErrInfo,
				"variant %d: information fraction %v is below the previous look's %v: counts are cumulative", v+1, t, prev)
		}
		if t > 0 && t > prev && !closeLooks(prev, t) {
			lk.two, lk.one = sv.two.Clone(), sv.one.Clone()
			var err error
			if lk.bTwo, err = lk.two.Append(t); err != nil {
				return ScorecardReport{}, err
			}
			if lk.bOne, err = lk.one.Append(t); err != nil {
				return ScorecardReport{}, err
			}
		}
		looks[v] = lk
	}
	copy(s.counts, units)
	// Check refuses decreasing counts and then changes nothing.
	srm, err := s.srm.Check(s.counts)
	if err != nil {
		return ScorecardReport{}, err
	}
	s.lastDay = day
	rep := ScorecardReport{Day: day, Variants: make([]VariantReport, s.variants), SRM: srm}
	for v := range s.v {
		sv := &s.v[v]
		sv.two, sv.one, sv.bTwo, sv.bOne = looks[v].two, looks[v].one, looks[v].bTwo, looks[v].bOne
		rep.Variants[v] = s.judge(v, looks[v].t, arms[0], arms[v+1])
	}
	return rep, nil
}

// judge evaluates every metric of variant v at its latest boundaries.
func (s *Scorecard) judge(v int, t float64, control, treatment []ArmMean) VariantReport {
	sv := &s.v[v]
	vr := VariantReport{Variant: v + 1, Fraction: t, Metrics: make([]MetricResult, len(s.metrics))}
	for i, m := range s.metrics {
		r := MetricResult{Name: m.Name, Role: m.Role}
		bound := sv.bOne
		if m.Role == Primary {
			bound = sv.bTwo
		}
		r.Bound = bound
		c, x := control[i], treatment[i]
		if c.Mean != 0 && finite(c.Var, x.Var) {
			cm, tm := c.Mean, x.Mean
			vc, vt := c.Var, x.Var
			se := math.Sqrt(vc + vt)
			sl := math.Sqrt(vt/(cm*cm) + tm*tm*vc/(cm*cm*cm*cm))
			if se > 0 && sl > 0 && finite(se, sl) {
				dir := 1.0
				if m.LowerIsBetter {
					dir = -1
				}
				r.Lift = tm/cm - 1
				if !math.IsInf(bound, 1) {
					r.LiftLow, r.LiftHigh = r.Lift-bound*sl, r.Lift+bound*sl
				}
				z := (tm - cm) / se
				switch m.Role {
				case Primary:
					r.Z = z
					if sv.status[i] == MetricPending && math.Abs(z) >= bound {
						sv.status[i] = MetricBetter
						if dir*z < 0 {
							sv.status[i] = MetricWorse
						}
					}
					if !math.IsInf(bound, 1) {
						lo, hi := dir*r.LiftLow, dir*r.LiftHigh
						lo, hi = min(lo, hi), max(lo, hi)
						switch {
						case lo >= m.Practical && sv.status[i] == MetricBetter:
							r.Worthwhile = 1
						case hi < m.Practical:
							r.Worthwhile = -1
						}
					}
				case Guardrail:
					r.Z = (dir*r.Lift + m.Margin) / sl
					if sv.status[i] == MetricPending {
						switch {
						case r.Z >= bound:
							sv.status[i] = MetricPassed
						case dir*z <= -bound:
							sv.status[i] = MetricFailed
						}
					}
				}
			}
		}
		r.Status = sv.status[i]
		if !finite(r.Lift, r.LiftLow, r.LiftHigh, r.Z, r.Bound) {
			if !finite(r.Bound) {
				r.Bound = 0
			}
			if !finite(r.Lift, r.LiftLow, r.LiftHigh, r.Z) {
				r.Lift, r.LiftLow, r.LiftHigh, r.Z = 0, 0, 0, 0
			}
		}
		vr.Metrics[i] = r
	}
	vr.Verdict = s.verdict(vr, t)
	return vr
}

func (s *Scorecard) verdict(vr VariantReport, t float64) string {
	p := vr.Metrics[s.primary]
	failed, open := false, false
	for i, m := range vr.Metrics {
		if i == s.primary {
			continue
		}
		switch m.Status {
		case MetricFailed:
			failed = true
		case MetricPending:
			open = true
		}
	}
	done := t >= 1-1e-9
	switch {
	case failed:
		return VerdictGuardrail
	case p.Status == MetricWorse:
		return VerdictWorse
	case p.Status == MetricBetter && p.Worthwhile < 0:
		return VerdictNotWorth
	case p.Status == MetricBetter && p.Worthwhile > 0 && !open:
		return VerdictShip
	case p.Status == MetricBetter && done:
		return VerdictUnresolved
	case done:
		return VerdictNoChange
	}
	return VerdictContinue
}
