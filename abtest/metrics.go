package abtest

import "math"

// Joint holds the sufficient statistics of two quantities measured on the
// same randomisation units of one arm: the number of units, the sums and
// sums of squares of X and Y, and the sum of their products. For a ratio
// metric ([CompareRatio]) Y is the numerator (revenue) and X the
// denominator (sessions) per unit; for CUPED ([CompareCUPED]) Y is the
// metric and X its pre-period covariate. A warehouse computes it with
// COUNT(*), SUM(x), SUM(y), SUM(x*x), SUM(y*y), SUM(x*y) grouped by arm.
// The zero value is an empty arm. A Joint is a value and safe for
// concurrent use.
type Joint struct {
	N                   int64
	SumX, SumY          float64
	SumXX, SumYY, SumXY float64
}

// Add adds one unit with values x and y.
func (j *Joint) Add(x, y float64) {
	j.N++
	j.SumX += x
	j.SumY += y
	j.SumXX += x * x
	j.SumYY += y * y
	j.SumXY += x * y
}

// X returns the [Sample] of X alone.
func (j Joint) X() Sample { return Sample{N: j.N, Sum: j.SumX, SumSquares: j.SumXX} }

// Y returns the [Sample] of Y alone.
func (j Joint) Y() Sample { return Sample{N: j.N, Sum: j.SumY, SumSquares: j.SumYY} }

// centered returns the centred sums of squares and products
// Sxx = Σ(x−x̄)², Syy and Sxy (each divided by N−1 gives the sample
// (co)variance); negative rounding is clamped to 0.
func (j Joint) centered() (sxx, syy, sxy float64) {
	n := float64(j.N)
	sxx = math.Max(0, j.SumXX-j.SumX/n*j.SumX)
	syy = math.Max(0, j.SumYY-j.SumY/n*j.SumY)
	sxy = j.SumXY - j.SumX/n*j.SumY
	return sxx, syy, sxy
}

// Validate reports whether j can hold the statistics of real data: X and
// Y must each be a valid [Sample] (see [Sample.Validate]) and the
// covariance must satisfy the Cauchy-Schwarz inequality
// Sxy² ≤ Sxx·Syy (up to rounding, a relative 1e-9 + N·4.4e-16), so that
// the correlation lies in [−1, 1]. Errors name the field and wrap
// [ErrArgument] (non-finite SumXY) or [ErrSample].
func (j Joint) Validate() error { return j.check("Joint.Validate", "joint") }

func (j Joint) check(fn, name string) error {
	// The field names are built only on failure: Compare* do not allocate.
	if j.X().check(fn, name) != nil {
		return j.X().check(fn, name+".X")
	}
	if j.Y().check(fn, name) != nil {
		return j.Y().check(fn, name+".Y")
	}
	if !finite(j.SumXY) {
		return argErr(fn, name+".SumXY", j.SumXY, ErrArgument)
	}
	if j.N == 0 {
		if j.SumXY != 0 {
			return reasonErr(fn, name+".SumXY", j.SumXY, ErrSample, "%s.N = 0 but SumXY = %v", name, j.SumXY)
		}
		return nil
	}
	sxx, syy, sxy := j.centered()
	n := float64(j.N)
	// Rounding in the centred sums scales with the raw sums of squares.
	tol := (1e-9 + 4.4e-16*n) * math.Sqrt(j.SumXX) * math.Sqrt(j.SumYY)
	if math.Abs(sxy) > math.Sqrt(sxx)*math.Sqrt(syy)+tol {
		return reasonErr(fn, name+".SumXY", j.SumXY, ErrSample,
			"%s.SumXY = %v gives a covariance beyond what the variances allow (|Sxy| = %v > √(Sxx·Syy) = %v, N = %d)",
			name, j.SumXY, math.Abs(sxy), math.Sqrt(sxx*syy), j.N)
	}
	return nil
}

func checkArms(fn string, control, treatment Joint, alpha float64, sides Sides) error {
	if err := checkAlpha(fn, alpha); err != nil {
		return err
	}
	if err := checkSides(fn, sides); err != nil {
		return err
	}
	if err := control.check(fn, "control"); err != nil {
		return err
	}
	return treatment.check(fn, "treatment")
}

// ratioVar returns the ratio ΣY/ΣX of one arm and the delta-method
// variance of that ratio, (s_yy − 2R·s_xy + R²·s_xx)/(N·x̄²), with the
// sample (co)variances over units (Deng, Knoblich and Lu 2018).
func ratioVar(j Joint) (r, v float64) {
	n := float64(j.N)
	xbar := j.SumX / n
	r = j.SumY / j.SumX
	sxx, syy, sxy := j.centered()
	v = (syy - 2*r*sxy + r*r*sxx) / (n - 1) / (n * xbar * xbar)
	return r, math.Max(v, 0)
}

// CompareRatio compares a ratio metric, ΣY/ΣX per arm such as revenue per
// session or clicks per page view, when the randomisation unit (the
// visitor) is coarser than the denominator's unit (the session). The
// sessions of one visitor are correlated, so the naive variance that
// treats sessions as independent is wrong; CompareRatio takes per-visitor
// sums (Y = a visitor's revenue, X = their sessions) and uses the delta
// method over visitors (Deng, Knoblich and Lu, "Applying the delta method
// in metric analytics", KDD 2018): Var(Ȳ/X̄) ≈ (s_yy − 2R·s_xy +
// R²·s_xx)/(N·X̄²), with R = Ȳ/X̄. Control and Treatment in the result
// are the two ratios; the rest is as in [Compare] (unpooled z, absolute
// and relative lift with delta-method intervals). It does not allocate.
//
// It returns [ErrNoData] when an arm has fewer than two units, an arm's
// ΣX is not positive, or both variances are zero.
func CompareRatio(control, treatment Joint, alpha float64, sides Sides) (Comparison, error) {
	if err := checkArms("CompareRatio", control, treatment, alpha, sides); err != nil {
		return Comparison{}, err
	}
	if control.N < 2 || treatment.N < 2 || !(control.SumX > 0) || !(treatment.SumX > 0) {
		return Comparison{}, ErrNoData
	}
	c, vc := ratioVar(control)
	t, vt := ratioVar(treatment)
	return compareMeans(c, t, vc, vt, alpha, sides)
}

// CUPEDResult is a comparison adjusted for a pre-period covariate by
// [CompareCUPED]. It is a plain value.
type CUPEDResult struct {
	// Comparison holds the adjusted arm means, difference, lift, SE,
	// z, p-value and intervals.
	Comparison
	// Theta is the pooled regression coefficient of the metric on the
	// covariate (0 when the covariate does not vary).
	Theta float64
	// Correlation is the pooled within-arm correlation of metric and
	// covariate.
	Correlation float64
	// VarianceReduction is 1 − Var(adjusted Diff)/Var(unadjusted Diff),
	// in [0, 1) up to sampling noise: about ρ² for correlation ρ.
	VarianceReduction float64
	// Unadjusted is the plain [Compare] of the metric.
	Unadjusted Comparison
}

// CompareCUPED compares a metric Y adjusted for a covariate X measured
// before the experiment (usually the same metric in a pre-period) by
// CUPED (Deng, Xu, Kohavi and Walker, "Improving the sensitivity of
// online controlled experiments by utilizing pre-experiment data", WSDM
// 2013). Each arm's mean becomes Ȳᵢ − θ(X̄ᵢ − X̄), with X̄ the mean of X
// over both arms and θ = (Sxy_c + Sxy_t)/(Sxx_c + Sxx_t) the regression
// slope pooled across arms from the within-arm centred sums; each arm's
// variance becomes (s_yy − 2θ·s_xy + θ²·s_xx)/N. Because X is measured
// before randomisation its arms have the same distribution, so the
// adjustment removes variance without biasing the difference, and the
// variance falls by about ρ², the squared correlation of Y and X. Units
// with no pre-period data may carry X = 0 (or the pre-period mean); they
// only weaken the reduction.
//
// The result holds the adjusted comparison, θ, the pooled correlation,
// the variance reduction and the unadjusted comparison. It does not
// allocate. It returns [ErrNoData] when an arm has fewer than two units
// or both variances are zero.
func CompareCUPED(control, treatment Joint, alpha float64, sides Sides) (CUPEDResult, error) {
	if err := checkArms("CompareCUPED", control, treatment, alpha, sides); err != nil {
		return CUPEDResult{}, err
	}
	if control.N < 2 || treatment.N < 2 {
		return CUPEDResult{}, ErrNoData
	}
	raw, err := compareMeans(control.Y().Mean(), treatment.Y().Mean(),
		control.Y().Variance()/float64(control.N), treatment.Y().Variance()/float64(treatment.N), alpha, sides)
	if err != nil {
		return CUPEDResult{}, err
	}
	cxx, cyy, cxy := control.centered()
	txx, tyy, txy := treatment.centered()
	var theta, rho float64
	if sxx := cxx + txx; sxx > 0 {
		theta = (cxy + txy) / sxx
		if syy := cyy + tyy; syy > 0 {
			rho = math.Max(-1, math.Min(1, (cxy+txy)/math.Sqrt(sxx*syy)))
		}
	}
	xbar := (control.SumX + treatment.SumX) / float64(control.N+treatment.N)
	adj := func(j Joint, sxx, syy, sxy float64) (m, v float64) {
		n := float64(j.N)
		m = j.SumY/n - theta*(j.SumX/n-xbar)
		v = math.Max(0, syy-2*theta*sxy+theta*theta*sxx) / (n - 1) / n
		return m, v
	}
	c, vc := adj(control, cxx, cyy, cxy)
	t, vt := adj(treatment, txx, tyy, txy)
	cmp, err := compareMeans(c, t, vc, vt, alpha, sides)
	if err != nil {
		return CUPEDResult{}, err
	}
	return CUPEDResult{
		Comparison:        cmp,
		Theta:             theta,
		Correlation:       rho,
		VarianceReduction: 1 - (cmp.SE*cmp.SE)/(raw.SE*raw.SE),
		Unadjusted:        raw,
	}, nil
}
