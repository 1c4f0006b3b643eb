package abtest

import (
	"fmt"
	"math"
)

// DefaultMSPRTLooks is the number of equally spaced looks [PlanMSPRT]
// plans for when [MSPRTOptions].Looks is zero: daily looks for four weeks.
const DefaultMSPRTLooks = 28

// maxMSPRTPlanLooks bounds the looks PlanMSPRT integrates over (each
// plan runs a few hundred forward integrations).
const maxMSPRTPlanLooks = 1000

// MSPRTOptions are the optional settings of [PlanMSPRT]; nil means all
// defaults.
type MSPRTOptions struct {
	// Looks is the number of equally spaced looks up to the horizon the
	// power is computed for; zero means [DefaultMSPRTLooks]. More looks
	// only add power (the test is valid at any looks), so a plan for
	// fewer looks than are taken is conservative. At most 1000.
	Looks int
	// BurnIn is the minimum number of observations per arm before a
	// decision; zero means [DefaultBurnIn].
	BurnIn int64
	// Horizon, when set, fixes the planned observations per arm: only the
	// mixing is chosen and the plan reports the power there (with a
	// warning when it is more than 10 points below a fixed-horizon test
	// of the same size). Zero means the planner chooses the smallest
	// horizon reaching the power.
	Horizon int64
}

// MSPRTPlan is an mSPRT planned by [PlanMSPRT]. It is a plain value.
type MSPRTPlan struct {
	// MSPRT is the planned test: Alpha, the mixing Effect, BurnIn and
	// Horizon (observations per arm).
	MSPRT MSPRT
	// Looks is the number of equally spaced looks Power is computed for.
	Looks int
	// Power is the probability of rejecting by Horizon with the planned
	// effect, looking Looks times (normal approximation, computed by
	// numerical integration).
	Power float64
	// FixedN is the per-arm sample a fixed-horizon test at the same
	// alpha needs for the requested power; FixedPower is the power of a
	// fixed-horizon test with Horizon per arm.
	FixedN, FixedPower float64
	// Warning is non-empty when the horizon was given
	// ([MSPRTOptions].Horizon) and FixedPower − Power exceeds 0.10: the
	// horizon is too short for an mSPRT to be worth its flexibility. (A
	// horizon the planner chose always reaches the power.)
	Warning string
}

// PlanMSPRT plans an mSPRT for a standardized effect (the difference in
// means over the per-observation standard deviation: for conversions,
// (p₂ − p₁)/√(p̄(1−p̄))) at a two-sided level alpha with the requested
// power. It chooses the mixing standard deviation ([MSPRT].Effect) that
// maximizes the power at the
// horizon and the smallest horizon (observations per arm) at which that
// power is reached, looking o.Looks equally spaced times. An mSPRT
// always needs more observations than a fixed-horizon test for the same
// power (1.72× for 28 looks at alpha 0.05 and power 0.8); with
// o.Horizon set it keeps that horizon and warns when its power falls more
// than 10 points below the fixed-horizon test's: at the fixed-horizon
// sample for power 0.8 (28 looks, alpha 0.05) the best mixing reaches
// 0.50.
//
// The power is that of Z at the looks as Brownian motion with the
// mSPRT's z-scale boundaries, computed by the same integration as
// [Boundaries]; simulated conversion experiments planned this way
// realise it within a point (bench/abtest). A plan costs a few hundred
// integrations: about 0.1 s for 28 looks. It returns an [*ArgError] for
// an effect that is not positive and finite, alpha or power outside
// (0, 1), Looks outside 0..1000, a negative BurnIn or Horizon, and
// [ErrTooLarge] when the horizon would exceed 1e12 per arm.
func PlanMSPRT(effect, alpha, power float64, o *MSPRTOptions) (MSPRTPlan, error) {
	const fn = "PlanMSPRT"
	var opt MSPRTOptions
	if o != nil {
		opt = *o
	}
	if err := checkAlpha(fn, alpha); err != nil {
		return MSPRTPlan{}, err
	}
	if err := checkPower(fn, power); err != nil {
		return MSPRTPlan{}, err
	}
	if !(effect > 0) || math.IsInf(effect, 0) {
		return MSPRTPlan{}, argErr(fn, "effect", effect, ErrArgument)
	}
	if opt.Looks == 0 {
		opt.Looks = DefaultMSPRTLooks
	}
	if opt.Looks < 1 || opt.Looks > maxMSPRTPlanLooks {
		return MSPRTPlan{}, argErr(fn, "o.Looks", float64(opt.Looks), ErrArgument)
	}
	if opt.BurnIn < 0 {
		return MSPRTPlan{}, argErr(fn, "o.BurnIn", float64(opt.BurnIn), ErrArgument)
	}
	if opt.BurnIn == 0 {
		opt.BurnIn = DefaultBurnIn
	}
	if opt.Horizon < 0 {
		return MSPRTPlan{}, argErr(fn, "o.Horizon", float64(opt.Horizon), ErrArgument)
	}
	za := normUpperQuantile(alpha / 2)
	zf := za + normUpperQuantile(1-power)
	if !(zf > 0) {
		return MSPRTPlan{}, argErr(fn, "power", power, ErrPower)
	}
	fixedN := 2 * zf * zf / (effect * effect)
	pl := msprtPlanner{fr: equalFractions(opt.Looks), alpha: alpha, effect: effect, burnIn: float64(opt.BurnIn)}
	var n float64
	var x, pw float64
	if opt.Horizon > 0 {
		n = float64(opt.Horizon)
		x, pw = pl.best(n)
	} else {
		// The smallest horizon whose best mixing reaches the power: it is
		// at least the fixed-horizon sample; double, then bisect.
		lo, hi := fixedN, 2*fixedN
		for {
			if hi > 1e12 {
				return MSPRTPlan{}, argErr(fn, "effect", effect, ErrTooLarge)
			}
			if _, p := pl.best(hi); p >= power {
				break
			}
			lo, hi = hi, 2*hi
		}
		for hi-lo > math.Max(1, 1e-4*hi) {
			mid := 0.5 * (lo + hi)
			if _, p := pl.best(mid); p >= power {
				hi = mid
			} else {
				lo = mid
			}
		}
		n = math.Ceil(hi)
		x, pw = pl.best(n)
	}
	m := MSPRT{Alpha: alpha, Effect: math.Sqrt(2 * x / n), BurnIn: opt.BurnIn, Horizon: int64(n)}
	p := MSPRTPlan{MSPRT: m, Looks: opt.Looks, Power: pw, FixedN: fixedN,
		FixedPower: detect(effect*math.Sqrt(n/2), za, TwoSided)}
	if opt.Horizon > 0 && p.FixedPower-p.Power > 0.10 {
		p.Warning = fmt.Sprintf("at %d per arm the mSPRT has power %.2f against %.2f for a fixed-horizon test: plan a longer horizon (PlanMSPRT without Horizon) or a group sequential design",
			m.Horizon, p.Power, p.FixedPower)
	}
	return p, nil
}

// msprtPlanner computes the power of an mSPRT over equally spaced looks.
type msprtPlanner struct {
	fr            []float64
	alpha, effect float64
	burnIn        float64
	bounds        []float64
	out           passOut
}

// power returns the power at horizon n per arm with mixing ratio
// x = τ²/V at the horizon (τ²/V grows with the sample: x·t at fraction t).
func (pl *msprtPlanner) power(n, x float64) float64 {
	if cap(pl.bounds) < len(pl.fr) {
		pl.bounds = make([]float64, len(pl.fr))
	}
	b := pl.bounds[:len(pl.fr)]
	la := -2 * math.Log(pl.alpha)
	for i, t := range pl.fr {
		b[i] = math.Inf(1)
		if t*n >= pl.burnIn {
			r := x * t
			b[i] = math.Sqrt((1 + r) / r * (math.Log1p(r) + la))
		}
	}
	forward(pass{info: pl.fr, upper: b, sides: TwoSided, eta: pl.effect * math.Sqrt(n/2)}, &pl.out)
	s := 0.0
	for k := range pl.out.up {
		s += pl.out.up[k] + pl.out.low[k]
	}
	return s
}

// best returns the mixing ratio at the horizon maximizing the power at n
// per arm, by golden-section search over log x in [1e-2, 1e8], and that
// power.
func (pl *msprtPlanner) best(n float64) (x, power float64) {
	const g = 0.6180339887498949
	a, b := math.Log(1e-2), math.Log(1e8)
	c, d := b-g*(b-a), a+g*(b-a)
	fc, fd := pl.power(n, math.Exp(c)), pl.power(n, math.Exp(d))
	for b-a > 0.02 {
		if fc >= fd {
			b, d, fd = d, c, fc
			c = b - g*(b-a)
			fc = pl.power(n, math.Exp(c))
		} else {
			a, c, fc = c, d, fd
			d = a + g*(b-a)
			fd = pl.power(n, math.Exp(d))
		}
	}
	x = math.Exp(0.5 * (a + b))
	return x, pl.power(n, x)
}
