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

	// Lift is the relative lift shown (haircut-adjusted when Header is
	// HeaderInflated) and LiftLow, LiftHigh its interval: the repeated
	// confidence interval at the look's boundary (it excludes zero exactly
	// when the look is significant), the stagewise interval after an early
	// stop, or the fixed-sample interval while waiting on data; 0 where
	// unbounded.
	Lift, LiftLow, LiftHigh float64
	RawLift                 float64 // relative lift before any adjustment
	Haircut                 float64 // shown lift / raw lift (1 without adjustment)

	PValue    float64 // fixed-sample p-value of this look
	Threshold float64 // nominal p-value threshold of this look (0: no decision possible)
	Fraction  float64 // information fraction reached, in [0, 1]
	Stop      bool    // the experiment can stop: a change was detected or the planned sample reached

	Warnings   []string   // sample ratio mismatch, burn-in, underflowed boundary, ...
	Comparison Comparison // the raw comparison (zero while it cannot be computed)
}

// MonitorOptions configures a [Monitor]. Zero fields take the documented
// defaults; TargetN is required. [NewMonitor] copies it.
type MonitorOptions struct {
	Alpha    float64      // significance level; zero means 0.05
	Sides    Sides        // zero means TwoSided
	Spending SpendingFunc // nil means OBrienFlemingSpending
	TargetN  int64        // planned units per arm at which the metric is powered
	MinDays  int          // zero means DefaultMinDays
	BurnIn   int64        // minimum units per arm before any decision; zero means DefaultBurnIn
	// TreatmentShare is the planned share of traffic in treatment, for the
	// sample-ratio check; zero means 0.5.
	TreatmentShare float64
	// LowerIsBetter marks metrics where a decrease is good (e.g. latency):
	// it flips the bar colours and, for OneSided, the tested direction.
	LowerIsBetter bool
}

// Monitor follows one treatment-versus-control metric through daily (or
// any) looks with an alpha-spending design whose looks are the days on
// which it is observed, and writes a [Report] for each look.
// The zero value is not usable; create one with [NewMonitor].
// A Monitor is not safe for concurrent use.
type Monitor struct {
	o       MonitorOptions
	gs      *GroupSequential
	lastDay int
	done    bool
	final   Report
}

// NewMonitor returns a Monitor. It returns an error for invalid options.
func NewMonitor(o *MonitorOptions) (*Monitor, error) {
	const fn = "NewMonitor"
	if o == nil {
		return nil, reasonErr(fn, "o", math.NaN(), ErrArgument, "options are nil (TargetN is required)")
	}
	m := &Monitor{o: *o}
	if m.o.Alpha == 0 {
		m.o.Alpha = 0.05
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
	if m.o.TargetN < 2 {
		return nil, argErr(fn, "TargetN", float64(m.o.TargetN), ErrArgument)
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
	gs, err := NewGroupSequential(m.o.Alpha, m.o.Sides, m.o.Spending)
	if err != nil {
		return nil, err
	}
	m.gs = gs
	return m, nil
}

// Design returns a copy of the design with the looks taken so far.
func (m *Monitor) Design() *GroupSequential { return m.gs.Clone() }

// Observe records the cumulative sufficient statistics of both arms on day
// (1-based, increasing) and returns the report. Once a report says Stop,
// later calls return that report again. A call that returns an error
// leaves the Monitor as it was, so the day can be sent again with
// corrected data.
func (m *Monitor) Observe(day int, control, treatment Sample) (Report, error) {
	if m.done {
		return m.final, nil
	}
	if day <= m.lastDay {
		return Report{}, argErr("Monitor.Observe", "day", float64(day), ErrArgument)
	}
	r, err := m.observe(day, control, treatment)
	if err != nil {
		return Report{}, err
	}
	m.lastDay = day
	if r.Stop {
		m.done, m.final = true, r
	}
	return r, nil
}

func (m *Monitor) observe(day int, control, treatment Sample) (Report, error) {
	const fn = "Monitor.Observe"
	if err := control.check(fn, "control"); err != nil {
		return Report{}, err
	}
	if err := treatment.check(fn, "treatment"); err != nil {
		return Report{}, err
	}
	r := Report{Day: day, Haircut: 1, Color: Grey, Header: HeaderNotPowered, Status: StatusNotEnough}
	o := &m.o
	if _, p, err := SampleRatio([]int64{control.N, treatment.N}, []float64{1 - o.TreatmentShare, o.TreatmentShare}); err == nil && p < SRMThreshold {
		r.Warnings = append(r.Warnings, fmt.Sprintf("sample ratio mismatch (p = %.2g): check assignment before trusting results", p))
	}
	cmp, cerr := Compare(control, treatment, o.Alpha, o.Sides)
	if cerr == nil {
		r.Comparison = cmp
		r.Lift, r.LiftLow, r.LiftHigh, r.RawLift = cmp.Lift, cmp.LiftLow, cmp.LiftHigh, cmp.Lift
		r.PValue = cmp.PValue
		if o.Sides == OneSided && o.LowerIsBetter {
			r.PValue = normCDF(cmp.Z)
		}
		if cmp.Control == 0 {
			r.Warnings = append(r.Warnings, "control mean is zero: relative lift undefined")
		}
	}
	if control.N > 0 && treatment.N > 0 {
		nc, nt := float64(control.N), float64(treatment.N)
		r.Fraction = math.Min(1, nc*nt/(nc+nt)/(float64(o.TargetN)/2))
	}
	if day < o.MinDays || control.N < o.BurnIn || treatment.N < o.BurnIn {
		r.Status = StatusWaiting
		if control.N < o.BurnIn || treatment.N < o.BurnIn {
			r.Warnings = append(r.Warnings, fmt.Sprintf("burn-in: %d of %d units per arm", min(control.N, treatment.N), o.BurnIn))
		}
		return sanitize(r), nil
	}
	// Take a look when the information grew.
	k := m.gs.Len()
	c := math.Inf(1)
	if k > 0 {
		c = m.gs.bounds[k-1]
	}
	last := 0.0
	if k > 0 {
		last = m.gs.info[k-1]
	}
	// A look closer than MinSpacing to the previous one is merged into it:
	// it keeps that look's boundary (the design could not resolve it).
	if r.Fraction > 0 && (k == 0 || r.Fraction > last && !closeLooks(last, r.Fraction)) {
		var err error
		if c, err = m.gs.append(fn, monitorLook, r.Fraction); err != nil {
			return Report{}, err
		}
	} else if r.Fraction < last*(1-1e-9) {
		return Report{}, reasonErr(fn, "information fraction", r.Fraction, ErrInfo,
			"information fraction %v is below the previous look's %v: cumulative counts must not decrease", r.Fraction, last)
	}
	if math.IsInf(c, 1) {
		r.Warnings = append(r.Warnings, "boundary underflowed: no decision is possible at this look")
	}
	r.Threshold = nominalP(c, o.Sides)
	if cerr != nil {
		if !errors.Is(cerr, ErrNoData) {
			return Report{}, cerr
		}
		return sanitize(r), nil
	}
	// Show the repeated confidence interval (Jennison and Turnbull): the
	// fixed-sample interval widened to the look's boundary, so that it
	// excludes zero exactly when the look is significant.
	if math.IsInf(c, 1) {
		r.LiftLow, r.LiftHigh = math.Inf(-1), math.Inf(1)
	} else if zf := normUpperQuantile(o.Alpha / float64(o.Sides)); zf > 0 {
		k := c / zf
		r.LiftLow = r.Lift - k*(r.Lift-r.LiftLow)
		r.LiftHigh = r.Lift + k*(r.LiftHigh-r.Lift)
	}
	z := cmp.Z
	if o.LowerIsBetter && o.Sides == OneSided {
		z = -z
	}
	sig := z >= c || (o.Sides == TwoSided && -z >= c)
	powered := r.Fraction >= 1-1e-9
	switch {
	case sig && powered:
		r.Status, r.Header, r.Stop = formatLift(r.Lift), HeaderConfident, true
	case sig:
		r.Header, r.Stop = HeaderInflated, true
		m.haircut(&r, cmp)
		r.Status = formatLift(r.Lift)
	case powered:
		r.Status, r.Header, r.Stop = StatusNoChange, HeaderNoChange, true
	}
	r.Color = barColor(r.LiftLow, r.LiftHigh, o.LowerIsBetter)
	return sanitize(r), nil
}

// maxFutureLooks bounds the looks the haircut assumes after the stop, so
// that its cost does not grow with a slow pace of looks.
const maxFutureLooks = 100

// haircut replaces the shown lift by Whitehead's adjusted estimate. The
// future looks are assumed to come at the pace of the looks so far, at
// most maxFutureLooks of them, and at least MinSpacing apart.
func (m *Monitor) haircut(r *Report, cmp Comparison) {
	g := m.gs.Clone()
	k := g.Len()
	t := g.info[k-1]
	step := max(t/float64(k), (1-t)/maxFutureLooks, MinSpacing)
	for x := t + step; x < 1-max(step/2, MinSpacing); x += step {
		if _, err := g.Append(x); err != nil {
			return
		}
	}
	if _, err := g.Append(1); err != nil {
		return
	}
	z := cmp.Z
	if m.o.Sides == OneSided && m.o.LowerIsBetter {
		z = -z
	}
	h, err := AdjustEstimate(g.info, g.bounds, m.o.Sides, k-1, z, cmp.SE, m.o.Alpha)
	if err != nil || cmp.Control == 0 {
		return
	}
	if m.o.Sides == OneSided && m.o.LowerIsBetter {
		h.Raw, h.Adjusted, h.Low, h.High = -h.Raw, -h.Adjusted, -h.High, -h.Low
	}
	r.Lift = h.Adjusted / cmp.Control
	r.LiftLow, r.LiftHigh = h.Low/cmp.Control, h.High/cmp.Control
	r.Haircut = h.Ratio
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
	for _, p := range []*float64{&r.Lift, &r.LiftLow, &r.LiftHigh, &r.RawLift, &r.Haircut, &r.PValue, &r.Threshold, &r.Fraction} {
		if !finite(*p) {
			*p = 0
		}
	}
	return r
}
