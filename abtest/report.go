package abtest

import (
	"errors"
	"fmt"
	"math"
)

// Report statuses and headers, worded exactly as dashboards show them.
const (
	StatusWaiting   = "Waiting on data"
	StatusNotEnough = "Not enough data"
	StatusNoChange  = "No change"

	HeaderNotPowered = "metric is not powered"
	HeaderNoChange   = "there is no detectable change"
	HeaderConfident  = "we're confident we detected a change"
	HeaderInflated   = "directional change is correct but magnitude might be inflated"
	HeaderFutile     = "the planned change is unlikely: stopped for futility"
)

// Color is the colour of a report's confidence-interval bar: [Grey],
// [Green] or [Red]. The zero value "" means no colour was chosen.
type Color string

// Bar colours: grey when the interval spans zero, otherwise green or red
// by the sign of the change and the metric's preferred direction.
const (
	Grey  Color = "grey"
	Green Color = "green"
	Red   Color = "red"
)

// Report is where a metric stands at one look, ready for a dashboard.
// Every float field is finite. A Report is a value; its Warnings slice is
// owned by the caller.
type Report struct {
	Day    int
	Status string // StatusWaiting, StatusNotEnough, StatusNoChange, or the lift such as "+3.2 %"
	Header string // one of the Header constants
	Color  Color  // colour of the interval bar

	// Lift is the relative lift shown and LiftLow, LiftHigh its
	// interval, as Estimator names them: the raw lift with the repeated
	// confidence interval at the look's boundary before a stop (it
	// excludes zero exactly when the look is significant), the
	// conditional median-unbiased lift and interval once stopped, or the
	// fixed-sample interval while waiting on data; 0 where unbounded.
	Lift, LiftLow, LiftHigh float64
	RawLift                 float64 // relative lift before any adjustment
	Haircut                 float64 // shown lift / raw lift (1 without adjustment)

	PValue    float64 // fixed-sample p-value of this look
	Threshold float64 // nominal p-value threshold of this look (0: no decision possible)
	Fraction  float64 // information fraction reached, in [0, 1]
	Stop      bool    // the experiment can stop: a change was detected or the planned sample reached

	Warnings   []string   // sample ratio mismatch, burn-in, underflowed boundary, ...
	Comparison Comparison // the raw comparison (zero while it cannot be computed)

	// Estimator names the estimate and interval shown in Lift, LiftLow
	// and LiftHigh: [EstimatorRepeated] before a stop,
	// [EstimatorConditional] once the experiment stopped, "" while
	// waiting on data (the fixed-sample interval).
	Estimator string
	// Estimates holds every estimate after a stop (zero before), in the
	// metric's units (difference of means); divide by Comparison.Control
	// for relative lifts.
	Estimates Estimates

	// Power is the probability that the design, looking at the sample
	// collected so far with this look's threshold, detects the planned
	// lift MonitorOptions.MDE (at the observed control mean);
	// PlannedPower is the same at the target sample with the design's final
	// threshold. Both are 0 without an MDE.
	Power, PlannedPower float64
	// DaysToPower is the number of further days, at the average daily
	// traffic so far, until the target units per arm are reached (0 once
	// reached).
	DaysToPower int
	// SRM is the sequential sample-ratio check of the arms' units at this
	// look; once SRM.Mismatch is set it stays set, with a warning.
	SRM SRMCheck
	// Futility is the z-scale futility boundary of this look (0 without
	// futility stopping or before it applies).
	Futility float64
}

// Estimators shown in a [Report].
const (
	// EstimatorRepeated: the raw lift with the repeated confidence
	// interval at the look's boundary, valid at every look whenever the
	// experiment stops; it excludes zero exactly when the look is
	// significant.
	EstimatorRepeated = "raw lift, repeated confidence interval"
	// EstimatorConditional: the conditional median-unbiased lift and
	// interval given how the experiment ended — stopped early, or ran to
	// its last look ([Estimates].Conditional).
	EstimatorConditional = "conditional median-unbiased lift and interval"
)

// MonitorOptions configures a [Monitor]. Zero fields take the documented
// defaults, so nil options mean all defaults. [NewMonitor] copies it.
type MonitorOptions struct {
	Alpha    float64      // significance level; zero means 0.05
	Sides    Sides        // zero means TwoSided
	Spending SpendingFunc // nil means OBrienFlemingSpending
	// Design, when set, replaces Alpha, Sides and Spending: any design of
	// this package ([SpendingDesign], [MillerPlan], [MSPRT],
	// [FixedHorizon], [Hybrid], [Naive]) or a caller's own. A
	// SpendingDesign is followed look by look; other designs give their
	// threshold for the looks so far, whose z-scale boundary the Monitor
	// records. The design's [Scale] sets the sides; a [MillerPlan]
	// counts its fraction in conversions (both arms' conversions over N).
	Design  Design
	MinDays int   // zero means DefaultMinDays
	BurnIn  int64 // minimum units per arm before any decision; zero means DefaultBurnIn
	// TreatmentShare is the planned share of traffic in treatment, for the
	// sample-ratio check; zero means 0.5.
	TreatmentShare float64
	// SRM configures the sequential sample-ratio check run at every look
	// ([SequentialSRM]: its false-alarm rate holds however often it is
	// checked); nil means its defaults (level [SRMThreshold]).
	SRM *SRMOptions
	// LowerIsBetter marks metrics where a decrease is good (e.g. latency):
	// it flips the bar colours and, for OneSided, the tested direction.
	LowerIsBetter bool
	// MDE is the planned relative lift (0.05 for +5 %), in the preferred
	// direction; zero means none: no power figures and no futility.
	MDE float64
	// BetaSpending, with an MDE, adds non-binding futility boundaries by
	// beta spending: stop when the planned lift has become unlikely. Nil
	// means no futility stopping. The efficacy boundaries ignore it, so
	// the level holds whether or not a futility stop is obeyed.
	BetaSpending SpendingFunc
	// Power is the planned power that the futility boundaries spend
	// 1 − Power of; zero means 0.8.
	Power float64
}

// Monitor follows one treatment-versus-control metric through daily (or
// any) looks with a sequential design whose looks are the days on which
// it is observed, and writes a [Report] for each look.
// The zero value is not usable; create one with [NewMonitor].
// A Monitor is not safe for concurrent use.
type Monitor struct {
	o       MonitorOptions
	alpha   float64
	sides   Sides
	design  Design // nil when gs follows a spending function
	conv    int64  // N of a MillerPlan (fractions in conversions), else 0
	gs      *GroupSequential
	fut     *futility      // nil without futility stopping
	target  int64          // planned units per arm
	srm     *SequentialSRM // sample-ratio check over the looks
	lookDay int            // day of the first look taken
	lastDay int
	done    bool
	final   Report
}

// NewMonitor returns a Monitor for an experiment planned to reach
// targetN units per arm (the sample at which the metric is powered, e.g.
// from [SampleSize]); nil options mean the defaults. It returns an error
// for a targetN below 2 and for invalid options.
func NewMonitor(targetN int64, o *MonitorOptions) (*Monitor, error) {
	const fn = "NewMonitor"
	if o == nil {
		o = &MonitorOptions{}
	}
	m := &Monitor{o: *o, target: targetN}
	if m.o.Alpha == 0 {
		m.o.Alpha = DefaultAlpha
	}
	if m.o.Sides == 0 {
		m.o.Sides = TwoSided
	}
	if m.o.Spending == nil {
		m.o.Spending = OBrienFlemingSpending
	}
	if m.o.MinDays == 0 {
		m.o.MinDays = DefaultMinDays
	}
	if m.o.BurnIn == 0 {
		m.o.BurnIn = DefaultBurnIn
	}
	if m.o.TreatmentShare == 0 {
		m.o.TreatmentShare = 0.5
	}
	if m.o.Power == 0 {
		m.o.Power = 0.8
	}
	if targetN < 2 {
		return nil, argErr(fn, "targetN", float64(targetN), ErrArgument)
	}
	if m.o.MinDays < 0 {
		return nil, argErr(fn, "MinDays", float64(m.o.MinDays), ErrArgument)
	}
	if m.o.BurnIn < 0 {
		return nil, argErr(fn, "BurnIn", float64(m.o.BurnIn), ErrArgument)
	}
	if err := checkProb(fn, "TreatmentShare", m.o.TreatmentShare); err != nil {
		return nil, err
	}
	srm, err := NewSequentialSRM([]float64{1 - m.o.TreatmentShare, m.o.TreatmentShare}, m.o.SRM)
	if err != nil {
		return nil, err
	}
	m.srm = srm
	if !(m.o.MDE >= 0) || math.IsInf(m.o.MDE, 0) {
		return nil, argErr(fn, "MDE", m.o.MDE, ErrArgument)
	}
	if err := checkPower(fn, m.o.Power); err != nil {
		return nil, err
	}
	if m.o.BetaSpending != nil && m.o.MDE == 0 {
		return nil, reasonErr(fn, "MDE", 0, ErrArgument, "BetaSpending needs an MDE")
	}
	m.alpha, m.sides = m.o.Alpha, m.o.Sides
	spend := m.o.Spending
	switch d := m.o.Design.(type) {
	case nil:
	case SpendingDesign:
		if d.Alpha != 0 {
			m.alpha = d.Alpha
		}
		m.sides, spend = d.defaults()
	case *SpendingDesign:
		if d == nil {
			return nil, nilErr(fn, "Design", "design", ErrArgument)
		}
		if d.Alpha != 0 {
			m.alpha = d.Alpha
		}
		m.sides, spend = d.defaults()
	default:
		m.design = d
		sc := d.Scale()
		if err := sc.check(fn, "Design.Scale()"); err != nil {
			return nil, err
		}
		m.alpha, m.sides = designLevel(d, m.alpha)
		if sc.Unit == UnitConversions {
			p, ok := d.(MillerPlan)
			if !ok {
				return nil, reasonErr(fn, "Design", math.NaN(), ErrArgument, "a design counting conversions other than a MillerPlan has no planned number of conversions")
			}
			if p.N < 1 {
				return nil, argErr(fn, "Design.N", float64(p.N), ErrArgument)
			}
			m.conv = int64(p.N)
		}
	}
	gs, err := NewGroupSequential(m.alpha, m.sides, spend)
	if err != nil {
		return nil, err
	}
	m.gs = gs
	if m.o.BetaSpending != nil {
		m.fut = &futility{spend: m.o.BetaSpending, beta: 1 - m.o.Power}
	}
	return m, nil
}

// designLevel returns the level of a design of this package (a caller's
// own design keeps the options' level) and its sides from its Scale.
func designLevel(d Design, alpha float64) (float64, Sides) {
	sides := d.Scale().Sides
	switch d := d.(type) {
	case MillerPlan:
		a := d.Alpha
		if !inUnit(a) {
			a = alpha
		}
		return a, sides
	case MSPRT:
		return orAlpha(d.Alpha, alpha), sides
	case FixedHorizon:
		return orAlpha(d.Alpha, alpha), sides
	case Hybrid:
		return orAlpha(d.Alpha, alpha), sides
	case Naive:
		return orAlpha(d.Alpha, alpha), sides
	}
	return alpha, sides
}

func orAlpha(a, def float64) float64 {
	if inUnit(a) {
		return a
	}
	return def
}

// Design returns a copy of the design with the looks taken so far: their
// information fractions, z-scale boundaries and the alpha they spent.
func (m *Monitor) Design() *GroupSequential { return m.gs.Clone() }

// Observe records the cumulative sufficient statistics of both arms on day
// (1-based, increasing) and returns the report. Once a report says Stop,
// later calls return that report again. A call that returns an error
// leaves the Monitor as it was, so the day can be sent again with
// corrected data.
func (m *Monitor) Observe(day int, control, treatment Sample) (Report, error) {
	return m.look("Monitor.Observe", day, control, treatment, false)
}

// Final records the experiment's last look, for an experiment that ends
// before its planned sample (or at it): the look's boundary spends all
// the alpha the earlier looks left, so the level is used in full instead
// of wasted, and the report always says Stop. It is otherwise like
// [Monitor.Observe]; before the minimum run length or the burn-in it
// returns an error wrapping [ErrNoData] and leaves the Monitor as it was.
func (m *Monitor) Final(day int, control, treatment Sample) (Report, error) {
	return m.look("Monitor.Final", day, control, treatment, true)
}

func (m *Monitor) look(fn string, day int, control, treatment Sample, last bool) (Report, error) {
	if m.done {
		return m.final, nil
	}
	if day <= m.lastDay {
		return Report{}, argErr(fn, "day", float64(day), ErrArgument)
	}
	r, err := m.observe(fn, day, control, treatment, last)
	if err != nil {
		return Report{}, err
	}
	m.lastDay = day
	if r.Stop {
		m.done, m.final = true, r
	}
	return r, nil
}

func (m *Monitor) observe(fn string, day int, control, treatment Sample, last bool) (Report, error) {
	if err := control.check(fn, "control"); err != nil {
		return Report{}, err
	}
	if err := treatment.check(fn, "treatment"); err != nil {
		return Report{}, err
	}
	r := Report{Day: day, Haircut: 1, Color: Grey, Header: HeaderNotPowered, Status: StatusNotEnough}
	o := &m.o
	if chk, err := m.srm.Check([]int64{control.N, treatment.N}); err != nil {
		r.Warnings = append(r.Warnings, "sample-ratio check skipped: "+err.Error())
	} else {
		r.SRM = chk
		if chk.Mismatch {
			r.Warnings = append(r.Warnings, fmt.Sprintf("sample ratio mismatch (always-valid p = %.2g): check assignment before trusting results", chk.PValue))
		}
	}
	cmp, cerr := Compare(control, treatment, m.alpha, m.sides)
	if cerr == nil {
		r.Comparison = cmp
		r.Lift, r.LiftLow, r.LiftHigh, r.RawLift = cmp.Lift, cmp.LiftLow, cmp.LiftHigh, cmp.Lift
		r.PValue = cmp.PValue
		if m.sides == OneSided && o.LowerIsBetter {
			r.PValue = normCDF(cmp.Z)
		}
		if cmp.Control == 0 {
			r.Warnings = append(r.Warnings, "control mean is zero: relative lift undefined")
		}
	}
	if control.N > 0 && treatment.N > 0 {
		nc, nt := float64(control.N), float64(treatment.N)
		r.Fraction = math.Min(1, nc*nt/(nc+nt)/(float64(m.target)/2))
		if rest := float64(m.target) - math.Min(nc, nt); rest > 0 {
			r.DaysToPower = int(math.Min(1e9, math.Ceil(rest/(math.Min(nc, nt)/float64(day))-1e-9)))
		}
	}
	info := r.Fraction
	if m.conv > 0 {
		info = math.Min(1, (control.Sum+treatment.Sum)/float64(m.conv))
	}
	if day < o.MinDays || control.N < o.BurnIn || treatment.N < o.BurnIn {
		if last {
			return Report{}, reasonErr(fn, "day", float64(day), ErrNoData, "the last look comes before the minimum run length or the burn-in")
		}
		r.Status = StatusWaiting
		if control.N < o.BurnIn || treatment.N < o.BurnIn {
			r.Warnings = append(r.Warnings, fmt.Sprintf("burn-in: %d of %d units per arm", min(control.N, treatment.N), o.BurnIn))
		}
		return sanitize(r), nil
	}
	if m.fut != nil && !m.fut.ok && cerr == nil && cmp.SE > 0 && info > 0 {
		// The planned drift at full information, from the first look's
		// control mean and standard error.
		m.fut.eta = m.o.MDE * math.Abs(cmp.Control) / cmp.SE / math.Sqrt(info)
	}
	cf := math.NaN() // the design's boundary at its planned end, before this look
	if o.MDE > 0 && info < 1 {
		cf = m.finalBound()
	}
	c, look, err := m.take(fn, info, last)
	if err != nil {
		return Report{}, err
	}
	if look && m.gs.Len() == 1 {
		m.lookDay = day
	}
	if math.IsInf(c, 1) {
		r.Warnings = append(r.Warnings, "boundary underflowed: no decision is possible at this look")
	}
	r.Threshold = nominalP(c, m.sides)
	if cerr != nil {
		if !errors.Is(cerr, ErrNoData) {
			return Report{}, cerr
		}
		if last {
			r.Stop = true
		}
		return sanitize(r), nil
	}
	// Show the repeated confidence interval (Jennison and Turnbull): the
	// fixed-sample interval widened to the look's boundary, so that it
	// excludes zero exactly when the look is significant.
	r.Estimator = EstimatorRepeated
	if math.IsInf(c, 1) {
		r.LiftLow, r.LiftHigh = math.Inf(-1), math.Inf(1)
	} else if zf := normUpperQuantile(m.alpha / float64(m.sides)); zf > 0 {
		k := c / zf
		r.LiftLow = r.Lift - k*(r.Lift-r.LiftLow)
		r.LiftHigh = r.Lift + k*(r.LiftHigh-r.Lift)
	}
	z := cmp.Z
	if o.LowerIsBetter && m.sides == OneSided {
		z = -z
	}
	m.power(&r, cmp, c, cf, info)
	sig := z >= c || (m.sides == TwoSided && -z >= c)
	powered := info >= 1-1e-9 || last
	futile := false
	if m.fut != nil && !sig && !powered && look {
		r.Futility = m.fut.bound
		futile = m.fut.ok && m.dirZ(cmp.Z) <= m.fut.bound
	}
	switch {
	case sig && powered:
		r.Status, r.Header, r.Stop = formatLift(r.Lift), HeaderConfident, true
	case sig:
		r.Header, r.Stop = HeaderInflated, true
	case futile:
		r.Status, r.Header, r.Stop = StatusNoChange, HeaderFutile, true
	case powered:
		r.Status, r.Header, r.Stop = StatusNoChange, HeaderNoChange, true
	}
	r.Color = barColor(r.LiftLow, r.LiftHigh, o.LowerIsBetter)
	if r.Stop {
		m.estimate(&r, cmp, day, last || powered)
		if sig {
			r.Status = formatLift(r.Lift)
			// The test decided the direction; the bar keeps its colour
			// even where the conditional interval reaches zero.
			r.Color = barColor(math.Copysign(1, cmp.Z), math.Copysign(1, cmp.Z), o.LowerIsBetter)
		}
	}
	return sanitize(r), nil
}

// dirZ returns z in the preferred direction.
func (m *Monitor) dirZ(z float64) float64 {
	if m.o.LowerIsBetter {
		return -z
	}
	return z
}

// take records a look at information fraction t (or merges it into the
// previous one when closer than MinSpacing) and returns its z-scale
// boundary and whether a new look was taken.
func (m *Monitor) take(fn string, t float64, last bool) (float64, bool, error) {
	g := m.gs
	k := g.Len()
	prev := 0.0
	if k > 0 {
		prev = g.info[k-1]
	}
	if t < prev*(1-1e-9) {
		return 0, false, reasonErr(fn, "information fraction", t, ErrInfo,
			"information fraction %v is below the previous look's %v: cumulative counts must not decrease", t, prev)
	}
	if !(t > 0) || k > 0 && (t <= prev || closeLooks(prev, t)) {
		// A look closer than MinSpacing to the previous one is merged
		// into it: it keeps that look's boundary.
		if k == 0 {
			return math.Inf(1), false, nil
		}
		return g.bounds[k-1], false, nil
	}
	at := lookAt{fn: fn, idx: monitorLook, final: last}
	if m.design != nil && !last {
		th, err := m.design.Thresholds(append(g.Info(), t))
		if err != nil {
			return 0, false, err
		}
		at.fixed = true
		at.bound = math.Inf(1)
		if p := th[len(th)-1]; p > 0 {
			at.bound = normUpperQuantile(math.Min(p, 1) / float64(m.sides))
		}
	}
	c, err := g.appendAt(t, at)
	if err != nil {
		return 0, false, err
	}
	if m.fut != nil {
		m.fut.look(t, c, m.sides)
	}
	return c, true, nil
}

// power fills the report's power figures for the planned lift.
func (m *Monitor) power(r *Report, cmp Comparison, c, cf, info float64) {
	if m.o.MDE == 0 || !(cmp.SE > 0) || cmp.Control == 0 {
		return
	}
	delta := m.o.MDE * math.Abs(cmp.Control) / cmp.SE // planned effect in SEs now
	r.Power = detect(delta, c, m.sides)
	if info > 0 {
		full := delta / math.Sqrt(info)
		if math.IsNaN(cf) {
			cf = c
		}
		r.PlannedPower = detect(full, cf, m.sides)
	}
}

// finalBound returns the boundary the design would have at its planned
// end after the looks so far.
func (m *Monitor) finalBound() float64 {
	if m.design == nil {
		c, err := m.gs.Peek(1)
		if err == nil {
			return c
		}
		return normUpperQuantile(m.alpha / float64(m.sides))
	}
	th, err := m.design.Thresholds(append(m.gs.Info(), 1))
	if err != nil || len(th) == 0 || !(th[len(th)-1] > 0) || m.gs.Len() > 0 && m.gs.info[m.gs.Len()-1] >= 1 {
		th, err = m.design.Thresholds([]float64{1})
		if err != nil || !(th[0] > 0) {
			return math.Inf(1)
		}
	}
	return normUpperQuantile(math.Min(th[len(th)-1], 1) / float64(m.sides))
}

// detect returns the probability that a z statistic with mean delta
// crosses c (either way for TwoSided).
func detect(delta, c float64, sides Sides) float64 {
	p := normSF(c - delta)
	if sides == TwoSided {
		p += normCDF(-c - delta)
	}
	return p
}

// maxFutureLooks bounds the looks the Monitor assumes after an early
// stop, so that the cost of its estimate does not grow with a slow pace
// of looks.
const maxFutureLooks = 100

// estimate shows the conditional median-unbiased estimate and interval
// given how the experiment ended ([EstimateStop]). After an early stop
// the looks that would have followed are assumed to come at the pace of
// the looks so far in days and information per day (at most
// maxFutureLooks of them) up to the planned sample, with the design's
// boundaries there.
func (m *Monitor) estimate(r *Report, cmp Comparison, day int, last bool) {
	g := m.gs
	k := g.Len()
	if k == 0 || !(cmp.SE > 0) {
		return
	}
	// Work in the preferred direction (two-sided boundaries are
	// symmetric), as the futility boundaries are.
	s := Stop{Info: g.Info(), Look: k - 1, Bounds: g.Bounds(), Sides: m.sides, Z: m.dirZ(cmp.Z), SE: cmp.SE, Last: last}
	var fut *futility
	if m.fut != nil {
		fut = m.fut.clone()
	}
	if !last {
		s.Info, s.Bounds = m.extend(s.Info, s.Bounds, fut, day)
	}
	if fut != nil {
		s.Futility = fut.bounds(len(s.Info))
	}
	e, err := EstimateStop(s, m.alpha)
	if err != nil {
		return
	}
	if m.o.LowerIsBetter {
		flip := func(i *Interval) { i.Estimate, i.Low, i.High = -i.Estimate, -i.High, -i.Low }
		e.Raw = -e.Raw
		flip(&e.Repeated)
		flip(&e.Stagewise)
		flip(&e.Conditional)
		flip(&e.ConditionalLook)
	}
	r.Estimates = e
	if cmp.Control == 0 {
		return
	}
	r.Estimator = EstimatorConditional
	c := cmp.Control
	r.Lift = e.Conditional.Estimate / c
	lo, hi := e.Conditional.Low/c, e.Conditional.High/c
	r.LiftLow, r.LiftHigh = min(lo, hi), max(lo, hi)
	r.Haircut = 1
	if r.RawLift != 0 {
		r.Haircut = r.Lift / r.RawLift
	}
}

// extend appends to the looks so far those assumed to follow an early
// stop on day, with their boundaries (and futility boundaries in fut):
// one look every as many days as between the looks so far (one day
// after a single look), at the information per day so far.
func (m *Monitor) extend(info, bounds []float64, fut *futility, day int) ([]float64, []float64) {
	k := len(info)
	t := info[k-1]
	if t >= 1 || day < 1 {
		return info, bounds
	}
	gap := 1.0
	if k > 1 && day > m.lookDay {
		gap = float64(day-m.lookDay) / float64(k-1)
	}
	step := max(t/float64(day)*gap, (1-t)/maxFutureLooks, MinSpacing)
	var more []float64
	for x := t + step; x < 1-max(step/2, MinSpacing); x += step {
		more = append(more, x)
	}
	more = append(more, 1)
	var add []float64
	if m.design == nil {
		g := m.gs.Clone()
		for _, x := range more {
			c, err := g.Append(x)
			if err != nil {
				return info, bounds
			}
			add = append(add, c)
		}
	} else {
		th, err := m.design.Thresholds(append(append([]float64(nil), info...), more...))
		if err != nil {
			return info, bounds
		}
		for _, p := range th[k:] {
			c := math.Inf(1)
			if p > 0 {
				c = normUpperQuantile(math.Min(p, 1) / float64(m.sides))
			}
			add = append(add, c)
		}
	}
	if fut != nil {
		for i, x := range more {
			fut.look(x, add[i], m.sides)
		}
	}
	return append(info, more...), append(bounds, add...)
}

func formatLift(x float64) string { return fmt.Sprintf("%+.1f %%", 100*x) }

func barColor(lo, hi float64, lowerIsBetter bool) Color {
	switch {
	case lo <= 0 && hi >= 0:
		return Grey
	case (lo > 0) != lowerIsBetter:
		return Green
	}
	return Red
}

// sanitize replaces non-finite numbers, which no user-facing field may hold.
func sanitize(r Report) Report {
	for _, p := range []*float64{&r.Lift, &r.LiftLow, &r.LiftHigh, &r.RawLift, &r.Haircut, &r.PValue, &r.Threshold, &r.Fraction, &r.Power, &r.PlannedPower, &r.Futility} {
		if !finite(*p) {
			*p = 0
		}
	}
	return r
}
