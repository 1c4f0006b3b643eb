package abtest

import "math"

// DefaultBurnIn is the default minimum number of observations per arm
// before an mSPRT (or a [Monitor]) makes any decision.
const DefaultBurnIn = 100

// MSPRT is the mixture sequential probability ratio test of Johari,
// Koomen, Pekelis and Walsh ("Always valid inference", Operations
// Research 2022) with a normal mixing distribution N(0, τ²) over the
// difference in means θ = μ_T − μ_C. With θ̂ the observed difference and V
// its plug-in variance, the likelihood ratio is
//
//	Λ = √(V/(V+τ²))·exp(τ²θ̂²/(2V(V+τ²)))
//
// and the always-valid p-value is the running minimum of 1/Λ; the
// always-valid confidence interval is the running intersection of
// θ̂ ± √(V(V+τ²)/τ²·(log((V+τ²)/V) − 2 log α)). The test is two-sided.
//
// Plug-in variances make the guarantee hold only approximately, and badly
// for small samples, so no decision is made before BurnIn observations
// per arm.
//
// The zero value is usable: a zero Alpha means [DefaultAlpha]. Its
// [Scale] is two-sided and counts visitors. [PlanMSPRT] chooses Effect and
// Horizon for a planned effect and power. An MSPRT is a value and safe for
// concurrent use.
type MSPRT struct {
	Alpha float64 // significance level, two-sided; zero means DefaultAlpha
	// Effect is the standardized effect size the test is tuned for: the
	// mixing standard deviation is τ = Effect·σ, with σ the pooled
	// per-observation standard deviation. Zero means the effect detectable
	// with 80 % power by a fixed test of Horizon per arm, or 0.1 without a
	// Horizon. It must be at most 1000.
	Effect float64
	// BurnIn is the minimum number of observations per arm before any
	// decision; zero means [DefaultBurnIn].
	BurnIn int64
	// Horizon is the planned number of observations per arm; it maps
	// information fractions to sample sizes in [MSPRT.Thresholds].
	Horizon int64
}

// maxEffect bounds MSPRT.Effect, in standard deviations: larger mixing
// scales only make the test unable to reject, and overflow.
const maxEffect = 1000

// check validates the fields: Alpha in (0, 1), Effect in [0, maxEffect],
// BurnIn and Horizon not negative.
func (m MSPRT) check(fn string) error {
	if a := m.alpha(); !inUnit(a) {
		return argErr(fn, "Alpha", a, ErrAlpha)
	}
	if !(m.Effect >= 0 && m.Effect <= maxEffect) {
		return reasonErr(fn, "Effect", m.Effect, ErrArgument, "Effect = %v: must be in [0, %d] standard deviations", m.Effect, maxEffect)
	}
	if m.BurnIn < 0 {
		return argErr(fn, "BurnIn", float64(m.BurnIn), ErrArgument)
	}
	if m.Horizon < 0 {
		return argErr(fn, "Horizon", float64(m.Horizon), ErrArgument)
	}
	return nil
}

// Scale implements [Design]: two-sided, visitors.
func (m MSPRT) Scale() Scale { return Scale{Sides: TwoSided, Unit: UnitVisitors} }

func (m MSPRT) alpha() float64 { return orDefaultAlpha(m.Alpha) }

func (m MSPRT) effect() float64 {
	if m.Effect > 0 {
		return m.Effect
	}
	if a := m.alpha(); m.Horizon > 0 && inUnit(a) {
		return (normUpperQuantile(a/2) + normUpperQuantile(0.2)) * math.Sqrt(2/float64(m.Horizon))
	}
	return 0.1
}

func (m MSPRT) burnIn() int64 {
	if m.BurnIn > 0 {
		return m.BurnIn
	}
	return DefaultBurnIn
}

// MSPRTResult is the mSPRT evaluated at one look. It is a plain value.
type MSPRTResult struct {
	Diff      float64 // observed difference in means, treatment − control
	Lambda    float64 // mixture likelihood ratio
	PValue    float64 // min(1, 1/Λ) at this look (take the running minimum over looks)
	Low, High float64 // confidence interval at this look (intersect over looks)
}

// Evaluate computes the mSPRT statistic from the two arms' sufficient
// statistics. It returns [ErrNoData] before the burn-in or when the
// variance is zero, and an error for invalid fields (Alpha outside
// (0, 1), an Effect outside [0, 1000], a negative BurnIn or Horizon),
// for impossible samples (see [Sample.Validate]) and when the difference
// in means overflows.
func (m MSPRT) Evaluate(control, treatment Sample) (MSPRTResult, error) {
	const fn = "MSPRT.Evaluate"
	if err := m.check(fn); err != nil {
		return MSPRTResult{}, err
	}
	if err := control.check(fn, "control"); err != nil {
		return MSPRTResult{}, err
	}
	if err := treatment.check(fn, "treatment"); err != nil {
		return MSPRTResult{}, err
	}
	b := m.burnIn()
	if control.N < b || treatment.N < b {
		return MSPRTResult{}, ErrNoData
	}
	vc, vt := control.Variance(), treatment.Variance()
	v := vc/float64(control.N) + vt/float64(treatment.N)
	if !(v > 0) {
		return MSPRTResult{}, ErrNoData
	}
	d := treatment.Mean() - control.Mean()
	if !finite(d) {
		return MSPRTResult{}, reasonErr(fn, "treatment.Mean()", treatment.Mean(), ErrArgument,
			"difference in means %v − %v overflows", treatment.Mean(), control.Mean())
	}
	e := m.effect()
	rho := e * e * ((vc/2 + vt/2) / v) // τ²/V
	return msprtAt(d, v, rho, m.alpha()), nil
}

// msprtAt evaluates the mSPRT for the difference d with variance v and
// mixing variance τ² = rho·v. It works with rho and z = d/√v, so no
// intermediate overflows where the result is finite.
func msprtAt(d, v, rho, alpha float64) MSPRTResult {
	z := d / math.Sqrt(v)
	logL := 0.5*(rho/(1+rho))*z*z - 0.5*math.Log1p(rho)
	p := 1.0
	if logL > 0 {
		p = math.Exp(-logL)
	}
	half := math.Sqrt(v) * math.Sqrt((1+rho)/rho*(math.Log1p(rho)-2*math.Log(alpha)))
	return MSPRTResult{Diff: d, Lambda: math.Exp(logL), PValue: p, Low: d - half, High: d + half}
}

// criticalZ returns the |z| at which the mSPRT rejects with n per arm.
func (m MSPRT) criticalZ(n float64) float64 {
	e := m.effect()
	r := e * e * n / 2 // τ²/V
	return math.Sqrt((1 + r) / r * (math.Log1p(r) - 2*math.Log(m.alpha())))
}

// Thresholds implements [Design]: at fraction t the sample is t·Horizon
// per arm and the threshold is the two-sided fixed-sample p-value at
// which the mSPRT rejects (0 before the burn-in). Horizon must be set.
func (m MSPRT) Thresholds(fractions []float64) ([]float64, error) {
	const fn = "MSPRT.Thresholds"
	if err := m.check(fn); err != nil {
		return nil, err
	}
	if err := checkInfo(fn, fractions); err != nil {
		return nil, err
	}
	if m.Horizon <= 0 {
		return nil, argErr(fn, "Horizon", float64(m.Horizon), ErrArgument)
	}
	out := make([]float64, len(fractions))
	for i, t := range fractions {
		n := t * float64(m.Horizon)
		if n < float64(m.burnIn()) {
			continue
		}
		out[i] = 2 * normSF(m.criticalZ(n))
	}
	return out, nil
}

// AlwaysValid accumulates mSPRT looks into the running always-valid
// p-value and confidence interval. The zero value is ready to use.
// An AlwaysValid is not safe for concurrent use.
type AlwaysValid struct {
	PValue    float64 // running minimum p-value (1 before any look)
	Low, High float64 // running intersection of intervals
	Looks     int     // looks accumulated
}

// Add folds one look into the running values. It refuses, leaving a
// unchanged, a result whose PValue is outside [0, 1] or NaN, whose Low
// or High is NaN, or whose Low exceeds High ([ErrArgument]): one such
// value would otherwise stay in the running minimum for good.
func (a *AlwaysValid) Add(r MSPRTResult) error {
	const fn = "AlwaysValid.Add"
	switch {
	case !(r.PValue >= 0 && r.PValue <= 1):
		return argErr(fn, "r.PValue", r.PValue, ErrArgument)
	case math.IsNaN(r.Low):
		return argErr(fn, "r.Low", r.Low, ErrArgument)
	case math.IsNaN(r.High):
		return argErr(fn, "r.High", r.High, ErrArgument)
	case r.Low > r.High:
		return reasonErr(fn, "r.Low", r.Low, ErrArgument, "r.Low = %v is above r.High = %v", r.Low, r.High)
	}
	if a.Looks == 0 {
		a.PValue, a.Low, a.High = 1, math.Inf(-1), math.Inf(1)
	}
	a.Looks++
	a.PValue = math.Min(a.PValue, r.PValue)
	a.Low = math.Max(a.Low, r.Low)
	a.High = math.Min(a.High, r.High)
	return nil
}
