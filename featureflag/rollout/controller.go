package rollout

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/craftkit/craftkit/abtest"
)

// Sentinel errors.
var (
	// ErrPlan reports an invalid [Plan].
	ErrPlan = errors.New("rollout: invalid plan")
	// ErrObservation reports an observation that goes back in time or
	// holds impossible counts.
	ErrObservation = errors.New("rollout: invalid observation")
)

// Step is one stage of a ramp.
type Step struct {
	Percent float64 // share of eligible users exposed, in (0, 100]
	// MinDuration is the least time spent at this step before advancing.
	MinDuration time.Duration
	// Info is the share of the guardrail test's planned information
	// (in [0, 1]) that must be reached before leaving this step; 1 means
	// the test must have finished without finding harm.
	Info float64
}

// Plan is a guarded ramp: the steps, and the guardrail test that may stop
// it. A harm test runs across the whole ramp as one alpha-spending group
// sequential design ([abtest.GroupSequential]), one look per observation,
// so the chance of a false rollback over every peek is at most Alpha.
type Plan struct {
	Steps []Step
	// Baseline is the guardrail metric's expected mean in control (e.g.
	// an error or conversion rate of 0.05); it sets the planned
	// information.
	Baseline float64
	// Harm is the smallest relative change in the harmful direction the
	// test must catch with Power (0.10: 10 % worse).
	Harm float64
	// LowerIsBetter marks metrics where an increase is harm (error rate,
	// latency); otherwise a decrease is harm (conversion).
	LowerIsBetter bool
	// Alpha is the one-sided false-rollback rate over the whole ramp;
	// zero means 0.05.
	Alpha float64
	// Power to detect Harm by the planned information; zero means 0.95.
	Power float64
	// Spending is the alpha-spending function; nil means
	// abtest.OBrienFlemingSpending.
	Spending abtest.SpendingFunc
	// BurnIn is the least units per arm before any look; zero means 500.
	BurnIn int64
	// StepBack turns a rollback into a return to the previous step
	// instead of turning the flag off.
	StepBack bool
}

// DefaultPlan returns the ramp 1 → 5 → 25 → 50 → 100 % with at least
// minStep at each step, which must have found no harm at the full planned
// sample before leaving 25 %.
func DefaultPlan(baseline, harm float64, lowerIsBetter bool, minStep time.Duration) Plan {
	return Plan{
		Steps:    []Step{{1, minStep, 0}, {5, minStep, 0}, {25, minStep, 1}, {50, minStep, 1}, {100, 0, 1}},
		Baseline: baseline, Harm: harm, LowerIsBetter: lowerIsBetter,
	}
}

// Action is what a controller decided.
type Action uint8

// Actions.
const (
	Hold     Action = iota // stay at the current percentage
	Advance                // move to the next step's percentage
	RollBack               // harm found: turn the flag off (or back one step)
	Done                   // the last step is reached; the controller is finished
)

func (a Action) String() string {
	return [...]string{"hold", "advance", "roll back", "done"}[a]
}

// Observation is the cumulative guardrail data since the ramp began, at a
// time: the control arm (eligible, not exposed) and the treatment arm.
type Observation struct {
	Time      time.Time
	Control   abtest.Sample
	Treatment abtest.Sample
}

// Decision is a controller's output for one observation.
type Decision struct {
	Action  Action
	Percent float64 // the flag's percentage from now on (0 after a rollback)
	Step    int     // index of the step now in force (-1 after a rollback to off)
	Why     string  // plain-words reason
	Z       float64 // harm statistic (positive = worse), 0 before a look
	Bound   float64 // boundary of this look (+Inf when none)
	Info    float64 // information fraction reached
}

// Controller is the guarded-ramp state machine: feed it observations in
// time order and set the flag to each Decision's Percent. It reads no
// clock and keeps no goroutine; persisting its State is the caller's. A
// Controller is not safe for concurrent use.
type Controller struct {
	plan      Plan
	maxInfo   float64
	gs        *abtest.GroupSequential
	step      int
	stepStart time.Time
	last      time.Time
	finished  bool // the test reached full information without harm
	stopped   bool // rolled back or done
	rolled    bool // rolled back
	looks     []float64
}

// NewController starts plan at its first step at time start.
func NewController(plan Plan, start time.Time) (*Controller, error) {
	if plan.Alpha == 0 {
		plan.Alpha = 0.05
	}
	if plan.Power == 0 {
		plan.Power = 0.95
	}
	if plan.Spending == nil {
		plan.Spending = abtest.OBrienFlemingSpending
	}
	if plan.BurnIn == 0 {
		plan.BurnIn = 500
	}
	if err := plan.check(); err != nil {
		return nil, err
	}
	gs, err := abtest.NewGroupSequential(plan.Alpha, abtest.OneSided, plan.Spending)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPlan, err)
	}
	delta := plan.Baseline * plan.Harm
	z := quantile(1-plan.Alpha) + quantile(plan.Power)
	// 10 % more information than a fixed test covers the sequential
	// design's inflation for O'Brien-Fleming-type spending.
	maxInfo := 1.1 * (z / delta) * (z / delta)
	return &Controller{plan: plan, maxInfo: maxInfo, gs: gs, stepStart: start, last: start}, nil
}

func (p *Plan) check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrPlan, fmt.Sprintf(format, args...))
	}
	if len(p.Steps) == 0 {
		return bad("no steps")
	}
	prev := 0.0
	for i, s := range p.Steps {
		if !(s.Percent > prev && s.Percent <= 100) {
			return bad("step %d: percent %v not increasing within (0, 100]", i, s.Percent)
		}
		if s.MinDuration < 0 || !(s.Info >= 0 && s.Info <= 1) {
			return bad("step %d: negative duration or info %v outside [0, 1]", i, s.Info)
		}
		prev = s.Percent
	}
	switch {
	case !(p.Baseline > 0) || math.IsInf(p.Baseline, 0):
		return bad("baseline %v not positive", p.Baseline)
	case !(p.Harm > 0) || math.IsInf(p.Harm, 0):
		return bad("harm %v not positive", p.Harm)
	case !(p.Alpha > 0 && p.Alpha < 0.5):
		return bad("alpha %v outside (0, 0.5)", p.Alpha)
	case !(p.Power > 0.5 && p.Power < 1):
		return bad("power %v outside (0.5, 1)", p.Power)
	case p.BurnIn < 0:
		return bad("burn-in %d negative", p.BurnIn)
	}
	return nil
}

// quantile is the standard normal quantile.
func quantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }

// Percent returns the percentage currently in force.
func (c *Controller) Percent() float64 {
	if c.step < 0 {
		return 0
	}
	return c.plan.Steps[c.step].Percent
}

// Observe takes the cumulative data at o.Time and decides. After a
// rollback to off or Done it keeps returning that decision.
func (c *Controller) Observe(o Observation) (Decision, error) {
	if o.Time.Before(c.last) {
		return Decision{}, fmt.Errorf("%w: time %v before the previous %v", ErrObservation, o.Time, c.last)
	}
	if err := o.Control.Validate(); err != nil {
		return Decision{}, fmt.Errorf("%w: control: %w", ErrObservation, err)
	}
	if err := o.Treatment.Validate(); err != nil {
		return Decision{}, fmt.Errorf("%w: treatment: %w", ErrObservation, err)
	}
	c.last = o.Time
	d := Decision{Action: Hold, Percent: c.Percent(), Step: c.step, Bound: math.Inf(1)}
	if c.stopped {
		if c.rolled {
			d.Action, d.Why = RollBack, "rolled back earlier"
		} else {
			d.Action, d.Why = Done, "ramp complete"
		}
		return d, nil
	}
	if harm, err := c.look(o, &d); err != nil {
		return Decision{}, err
	} else if harm {
		return c.rollBack(d), nil
	}
	return c.advance(o, d), nil
}

// look appends a look to the harm test when the data allow one and
// reports whether the boundary was crossed.
func (c *Controller) look(o Observation, d *Decision) (bool, error) {
	d.Info = c.fraction()
	if c.finished {
		d.Info = 1
		return false, nil
	}
	if o.Control.N < c.plan.BurnIn || o.Treatment.N < c.plan.BurnIn {
		d.Why = fmt.Sprintf("burn-in: %d control and %d treatment units of %d", o.Control.N, o.Treatment.N, c.plan.BurnIn)
		return false, nil
	}
	// Information under the planned baseline variance, so looks depend
	// only on the counts; the statistic uses the observed variances.
	v := c.plan.Baseline * (1 - c.plan.Baseline)
	if c.plan.Baseline >= 1 {
		v = c.plan.Baseline * c.plan.Baseline
	}
	info := 1 / (v * (1/float64(o.Control.N) + 1/float64(o.Treatment.N)))
	t := math.Min(info/c.maxInfo, 1)
	if n := len(c.looks); n > 0 && t <= c.looks[n-1]+1e-9 {
		d.Why = "no new information since the last look"
		return false, nil
	}
	cmp, err := abtest.Compare(o.Control, o.Treatment, c.plan.Alpha, abtest.OneSided)
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrObservation, err)
	}
	z := cmp.Z
	if !c.plan.LowerIsBetter {
		z = -z
	}
	if math.IsNaN(z) {
		z = 0
	}
	bound, err := c.gs.Append(t)
	if err != nil {
		return false, fmt.Errorf("rollout: look at information %v: %w", t, err)
	}
	c.looks = append(c.looks, t)
	d.Z, d.Bound, d.Info = z, bound, t
	if z >= bound {
		d.Why = fmt.Sprintf("harm: z = %.2f ≥ boundary %.2f at %.0f %% of the planned information (look %d)", z, bound, 100*t, len(c.looks))
		return true, nil
	}
	if t >= 1 {
		c.finished = true
	}
	d.Why = fmt.Sprintf("no harm: z = %.2f < boundary %.2f at %.0f %% of the planned information", z, bound, 100*t)
	return false, nil
}

func (c *Controller) fraction() float64 {
	if n := len(c.looks); n > 0 {
		return c.looks[n-1]
	}
	return 0
}

func (c *Controller) rollBack(d Decision) Decision {
	d.Action = RollBack
	if c.plan.StepBack && c.step > 0 {
		c.step--
	} else {
		c.step = -1
	}
	c.stopped, c.rolled = true, true
	d.Step, d.Percent = c.step, c.Percent()
	return d
}

func (c *Controller) advance(o Observation, d Decision) Decision {
	s := c.plan.Steps[c.step]
	if c.step == len(c.plan.Steps)-1 {
		c.stopped = true
		d.Action, d.Why = Done, "at the last step; "+d.Why
		return d
	}
	if o.Time.Sub(c.stepStart) < s.MinDuration {
		d.Why = fmt.Sprintf("holding %v %%: %v of %v at this step; %s", s.Percent, o.Time.Sub(c.stepStart), s.MinDuration, d.Why)
		return d
	}
	if d.Info < s.Info {
		d.Why = fmt.Sprintf("holding %v %%: %.0f %% of the planned information, %.0f %% needed to advance; %s", s.Percent, 100*d.Info, 100*s.Info, d.Why)
		return d
	}
	c.step++
	c.stepStart = o.Time
	d.Action, d.Step, d.Percent = Advance, c.step, c.Percent()
	d.Why = fmt.Sprintf("advancing to %v %%; %s", d.Percent, d.Why)
	return d
}
