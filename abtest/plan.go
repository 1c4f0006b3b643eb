package abtest

import "math"

// DefaultMinDays is the default minimum run length: one full week, so that
// weekday and weekend visitors are both represented.
const DefaultMinDays = 7

// SampleSize returns the per-arm sample size of a two-sided fixed-horizon
// test of p1 against p2 at level alpha with the given power, using the
// pooled-variance normal approximation
//
//	n = (z_{1−α/2}·√(2p̄(1−p̄)) + z_{power}·√(p1(1−p1)+p2(1−p2)))² / (p1−p2)²
//
// with p̄ = (p1+p2)/2. The result is not rounded; it is the exact root of
// the power equation R's power.prop.test solves numerically. It returns
// an error for rates, alpha or power outside (0, 1), equal rates, and a
// power so low (about alpha/2 or less) that no sample is needed.
func SampleSize(p1, p2, alpha, power float64) (float64, error) {
	n1, _, err := sampleSizes("SampleSize", p1, p2, alpha, power, nil)
	return n1, err
}

// SizeOptions tunes [SampleSizes]. The zero value (or nil) means a
// two-sided test, equal allocation and pooled variance under the null.
// SampleSizes only reads it.
type SizeOptions struct {
	Sides    Sides   // zero means TwoSided
	Ratio    float64 // n2/n1; zero means 1
	Unpooled bool    // use p1(1−p1)/n1 + p2(1−p2)/n2 under the null too
}

// SampleSizes returns the sample sizes n1 (rate p1) and n2 = Ratio·n1
// (rate p2) that detect p2 − p1 at level alpha with the given power.
func SampleSizes(p1, p2, alpha, power float64, o *SizeOptions) (n1, n2 float64, err error) {
	return sampleSizes("SampleSizes", p1, p2, alpha, power, o)
}

func sizeDefaults(fn string, o *SizeOptions) (Sides, float64, bool, error) {
	sides, ratio, unpooled := TwoSided, 1.0, false
	if o != nil {
		if o.Sides != 0 {
			sides = o.Sides
		}
		if o.Ratio != 0 {
			ratio = o.Ratio
		}
		unpooled = o.Unpooled
	}
	if err := checkSides(fn, sides); err != nil {
		return 0, 0, false, err
	}
	if !(ratio > 0) || math.IsInf(ratio, 0) {
		return 0, 0, false, argErr(fn, "Ratio", ratio, ErrArgument)
	}
	return sides, ratio, unpooled, nil
}

func sampleSizes(fn string, p1, p2, alpha, power float64, o *SizeOptions) (float64, float64, error) {
	if err := checkProb(fn, "p1", p1); err != nil {
		return 0, 0, err
	}
	if err := checkProb(fn, "p2", p2); err != nil {
		return 0, 0, err
	}
	if p1 == p2 {
		return 0, 0, argErr(fn, "p2", p2, ErrEqualRates)
	}
	if err := checkAlpha(fn, alpha); err != nil {
		return 0, 0, err
	}
	if err := checkPower(fn, power); err != nil {
		return 0, 0, err
	}
	sides, k, unpooled, err := sizeDefaults(fn, o)
	if err != nil {
		return 0, 0, err
	}
	za := normUpperQuantile(alpha / float64(sides))
	zb := normUpperQuantile(1 - power)
	alt := math.Sqrt(p1*(1-p1) + p2*(1-p2)/k)
	null := alt
	if !unpooled {
		pb := (p1 + k*p2) / (1 + k)
		null = math.Sqrt(pb * (1 - pb) * (1 + 1/k))
	}
	root := za*null + zb*alt
	if !(root > 0) {
		// The power is reached with no data (power below about alpha):
		// the squared formula would return a spurious root.
		return 0, 0, argErr(fn, "power", power, ErrPower)
	}
	d := p1 - p2
	n1 := root * root / (d * d)
	return n1, k * n1, nil
}

// Power returns the power of a two-sided pooled-variance test of p1
// against p2 with n per arm at level alpha (R's power.prop.test with
// strict = FALSE).
func Power(p1, p2, n, alpha float64) (float64, error) {
	const fn = "Power"
	if err := checkProb(fn, "p1", p1); err != nil {
		return 0, err
	}
	if err := checkProb(fn, "p2", p2); err != nil {
		return 0, err
	}
	if err := checkAlpha(fn, alpha); err != nil {
		return 0, err
	}
	if !(n > 0) || math.IsInf(n, 0) {
		return 0, argErr(fn, "n", n, ErrArgument)
	}
	pb := (p1 + p2) / 2
	za := normUpperQuantile(alpha / 2)
	z := (math.Sqrt(n)*math.Abs(p1-p2) - za*math.Sqrt(2*pb*(1-pb))) / math.Sqrt(p1*(1-p1)+p2*(1-p2))
	return normCDF(z), nil
}

// MDE returns the smallest absolute increase d such that a two-sided
// pooled test of baseline against baseline+d with n per arm at level
// alpha has the given power. It returns [ErrNoData] when even a rate
// near 1 is not detectable and [ErrPower] for a power of at most alpha/2,
// which any difference reaches.
func MDE(baseline, n, alpha, power float64) (float64, error) {
	const fn = "MDE"
	if err := checkProb(fn, "baseline", baseline); err != nil {
		return 0, err
	}
	if err := checkAlpha(fn, alpha); err != nil {
		return 0, err
	}
	if err := checkPower(fn, power); err != nil {
		return 0, err
	}
	if !(n > 0) || math.IsInf(n, 0) {
		return 0, argErr(fn, "n", n, ErrArgument)
	}
	if power <= alpha/2 {
		// Reached by an arbitrarily small difference.
		return 0, argErr(fn, "power", power, ErrPower)
	}
	lo, hi := baseline, baseline+(1-baseline)*(1-1e-12)
	if pw, _ := Power(baseline, hi, n, alpha); pw < power {
		return 0, argErr(fn, "n", n, ErrNoData)
	}
	for range 200 {
		mid := 0.5 * (lo + hi)
		pw, _ := Power(baseline, mid, n, alpha)
		if pw < power {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-15 {
			break
		}
	}
	return hi - baseline, nil
}

// SampleSizeMean returns the per-arm sample size of a two-sided z test
// detecting a difference delta in means with standard deviation sd.
func SampleSizeMean(sd, delta, alpha, power float64) (float64, error) {
	const fn = "SampleSizeMean"
	if !(sd > 0) || math.IsInf(sd, 0) {
		return 0, argErr(fn, "sd", sd, ErrArgument)
	}
	if delta == 0 || !finite(delta) {
		return 0, argErr(fn, "delta", delta, ErrArgument)
	}
	if err := checkAlpha(fn, alpha); err != nil {
		return 0, err
	}
	if err := checkPower(fn, power); err != nil {
		return 0, err
	}
	z := normUpperQuantile(alpha/2) + normUpperQuantile(1-power)
	if !(z > 0) {
		return 0, argErr(fn, "power", power, ErrPower)
	}
	return 2 * z * z * sd * sd / (delta * delta), nil
}

// DaysToPower returns the number of whole days needed to collect n
// visitors per arm when each arm receives dailyPerArm visitors a day,
// and at least minDays (zero means [DefaultMinDays]).
func DaysToPower(n, dailyPerArm float64, minDays int) (int, error) {
	const fn = "DaysToPower"
	if !(n >= 0) || math.IsInf(n, 0) {
		return 0, argErr(fn, "n", n, ErrArgument)
	}
	if !(dailyPerArm > 0) || math.IsInf(dailyPerArm, 0) {
		return 0, argErr(fn, "dailyPerArm", dailyPerArm, ErrArgument)
	}
	if minDays < 0 {
		return 0, argErr(fn, "minDays", float64(minDays), ErrArgument)
	}
	if minDays == 0 {
		minDays = DefaultMinDays
	}
	days := math.Ceil(n/dailyPerArm - 1e-9)
	if days > 1e9 {
		return 0, argErr(fn, "n", n, ErrTooLarge)
	}
	return max(int(days), minDays), nil
}

// Operating describes a group sequential design under a given drift. It
// is a plain value.
type Operating struct {
	Drift        float64 // η: E[Z at full information]
	Power        float64 // probability of crossing an efficacy boundary
	ExpectedInfo float64 // expected information fraction at stopping
}

// OperatingAt returns the rejection probability and expected stopping
// fraction of the looks appended so far when E[Z_k] = drift·√t_k. With
// drift 0 the power is the design's actual type I error. Crossing the
// lower boundary of a two-sided design counts as rejection.
func (g *GroupSequential) OperatingAt(drift float64) (Operating, error) {
	if len(g.info) == 0 {
		return Operating{}, argErr("GroupSequential.OperatingAt", "Len()", 0, ErrInfo)
	}
	if !finite(drift) {
		return Operating{}, argErr("GroupSequential.OperatingAt", "drift", drift, ErrArgument)
	}
	var out passOut
	forward(pass{info: g.info, upper: g.bounds, sides: g.sides, eta: drift, res: g.res}, &out)
	op := Operating{Drift: drift}
	rest := 1.0
	for k, t := range g.info {
		p := out.up[k] + out.low[k]
		op.Power += p
		op.ExpectedInfo += p * t
		rest -= p
	}
	op.ExpectedInfo += math.Max(rest, 0) * g.info[len(g.info)-1]
	return op, nil
}

// Inflation returns the inflation factor of the design: the ratio of the
// maximum information the sequential design needs for the given power to
// the information of a fixed-horizon test with the same alpha, sides and
// power; and the design's operating characteristics at that drift. The
// design's looks must end at fraction 1. It runs about 40 forward
// integrations ([GroupSequential.OperatingAt]) over the design, so it
// returns [ErrTooLarge] for designs of more than 1000 looks.
func (g *GroupSequential) Inflation(power float64) (float64, Operating, error) {
	const fn = "GroupSequential.Inflation"
	if err := checkPower(fn, power); err != nil {
		return 0, Operating{}, err
	}
	if len(g.info) == 0 {
		return 0, Operating{}, argErr(fn, "Len()", 0, ErrInfo)
	}
	if len(g.info) > maxRepeatedLooks {
		return 0, Operating{}, argErr(fn, "Len()", float64(len(g.info)), ErrTooLarge)
	}
	if last := g.info[len(g.info)-1]; last != 1 {
		return 0, Operating{}, argErr(fn, "last fraction", last, ErrInfo)
	}
	zf := normUpperQuantile(g.alpha/float64(g.sides)) + normUpperQuantile(1-power)
	lo, hi := 0.0, 2*zf+5
	var op Operating
	for range 100 {
		mid := 0.5 * (lo + hi)
		o, _ := g.OperatingAt(mid)
		if o.Power < power {
			lo = mid
		} else {
			hi = mid
			op = o
		}
		if hi-lo < 1e-10 {
			break
		}
	}
	eta := hi
	if op.Drift != eta {
		op, _ = g.OperatingAt(eta)
	}
	return (eta / zf) * (eta / zf), op, nil
}
