package abtest

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func joint(xs, ys []float64) Joint {
	var j Joint
	for i := range xs {
		j.Add(xs[i], ys[i])
	}
	return j
}

// With one session per visitor the ratio is a plain mean and the delta
// method reduces to Welch's standard error.
func TestCompareRatioUnitDenominator(t *testing.T) {
	ys := [][]float64{{1, 4, 2, 8, 5, 7}, {3, 9, 4, 6, 10, 2, 7}}
	var arms [2]Joint
	var samples [2]Sample
	for a := range ys {
		for _, y := range ys[a] {
			arms[a].Add(1, y)
		}
		samples[a] = arms[a].Y()
	}
	got, err := CompareRatio(arms[0], arms[1], 0.05, TwoSided)
	require.NoError(t, err)
	want, err := Compare(samples[0], samples[1], 0.05, TwoSided)
	require.NoError(t, err)
	assert.InDeltaMapValues(t, cmpMap(want), cmpMap(got), 1e-12)
}

func cmpMap(c Comparison) map[string]float64 {
	return map[string]float64{"C": c.Control, "T": c.Treatment, "D": c.Diff, "SE": c.SE, "Z": c.Z, "P": c.PValue,
		"L": c.Lift, "LL": c.LiftLow, "LH": c.LiftHigh, "DL": c.DiffLow, "DH": c.DiffHigh}
}

// The delta-method variance agrees with a direct computation from the
// unit values: Var(R) = Σ(y − R·x)² / ((N−1)·N·x̄²).
func TestCompareRatioKnown(t *testing.T) {
	xs := [][]float64{{1, 2, 1, 3, 1}, {2, 1, 1, 4, 2, 1}}
	ys := [][]float64{{5, 12, 0, 20, 3}, {9, 0, 4, 30, 11, 2}}
	var r, v [2]float64
	for a := range xs {
		sx, sy := 0.0, 0.0
		for i := range xs[a] {
			sx += xs[a][i]
			sy += ys[a][i]
		}
		n := float64(len(xs[a]))
		r[a] = sy / sx
		ss := 0.0
		for i := range xs[a] {
			d := ys[a][i] - r[a]*xs[a][i]
			ss += d * d
		}
		v[a] = ss / (n - 1) / n / (sx / n * sx / n)
	}
	got, err := CompareRatio(joint(xs[0], ys[0]), joint(xs[1], ys[1]), 0.05, TwoSided)
	require.NoError(t, err)
	if math.Abs(got.Control-r[0]) > 1e-12 || math.Abs(got.Treatment-r[1]) > 1e-12 {
		t.Errorf("ratios = %v, %v, want %v, %v", got.Control, got.Treatment, r[0], r[1])
	}
	if se := math.Sqrt(v[0] + v[1]); math.Abs(got.SE-se) > 1e-12*se {
		t.Errorf("SE = %v, want %v", got.SE, se)
	}
}

func TestCompareRatioErrors(t *testing.T) {
	ok := joint([]float64{1, 2, 3}, []float64{2, 5, 1})
	tests := []struct {
		name     string
		c, tr    Joint
		alpha    float64
		sentinel error
	}{
		{"alpha", ok, ok, 1.5, ErrAlpha},
		{"tiny arm", Joint{N: 1, SumX: 1, SumXX: 1, SumY: 1, SumYY: 1, SumXY: 1}, ok, 0.05, ErrNoData},
		{"zero denominator", joint([]float64{0, 0}, []float64{0, 0}), ok, 0.05, ErrNoData},
		{"negative N", Joint{N: -1}, ok, 0.05, ErrArgument},
		{"covariance too large", Joint{N: 3, SumX: 6, SumXX: 14, SumY: 8, SumYY: 30, SumXY: 40}, ok, 0.05, ErrSample},
		{"NaN cross", Joint{N: 3, SumX: 6, SumXX: 14, SumY: 8, SumYY: 30, SumXY: math.NaN()}, ok, 0.05, ErrArgument},
		{"empty arm with cross", Joint{SumXY: 1}, ok, 0.05, ErrSample},
		{"bad X", Joint{N: 3, SumX: 6, SumXX: 1, SumY: 8, SumYY: 30, SumXY: 1}, ok, 0.05, ErrSample},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CompareRatio(tt.c, tt.tr, tt.alpha, TwoSided)
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("CompareRatio error = %v, want %v", err, tt.sentinel)
			}
			_, err = CompareCUPED(tt.c, tt.tr, tt.alpha, TwoSided)
			if tt.name != "zero denominator" && !errors.Is(err, tt.sentinel) {
				t.Errorf("CompareCUPED error = %v, want %v", err, tt.sentinel)
			}
		})
	}
	e, _ := errors.AsType[*ArgError](Joint{N: 3, SumX: 6, SumXX: 14, SumY: 8, SumYY: 30, SumXY: 40}.Validate())
	require.NotNil(t, e)
	assert.Equal(t, "joint.SumXY", e.Arg)
}

func TestMetricsNoAllocs(t *testing.T) {
	a := joint([]float64{1, 2, 3, 1}, []float64{2, 5, 1, 0})
	b := joint([]float64{2, 2, 1, 4}, []float64{3, 1, 4, 6})
	if n := testing.AllocsPerRun(100, func() { _, _ = CompareRatio(a, b, 0.05, TwoSided) }); n != 0 {
		t.Errorf("CompareRatio allocs = %v, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = CompareCUPED(a, b, 0.05, TwoSided) }); n != 0 {
		t.Errorf("CompareCUPED allocs = %v, want 0", n)
	}
}

// visitor draws one visitor's sessions (1 + geometric, mean 2.5) and
// revenue (each session buys with a visitor-specific probability, for an
// exponential amount whose mean is the visitor's taste), so sessions of
// one visitor are correlated.
func visitor(rng *rand.Rand, lift float64) (sessions, revenue float64) {
	s := 1
	for rng.Float64() < 0.6 {
		s++
	}
	buy := 0.1 + 0.3*rng.Float64()
	taste := 20 * rng.ExpFloat64()
	r := 0.0
	for range s {
		if rng.Float64() < buy {
			r += taste * rng.ExpFloat64() * (1 + lift)
		}
	}
	return float64(s), r
}

func longRuns(short, long int) int {
	if os.Getenv("CRAFTKIT_LONG") == "1" {
		return long
	}
	return short
}

// The delta-method SE of the difference in revenue per session matches
// the empirical spread of that difference over repeated experiments.
func TestCompareRatioCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	reps := longRuns(2000, 20000)
	const perArm = 400
	rng := rand.New(rand.NewPCG(19, 6))
	var sum, sumSq, seSum float64
	for range reps {
		var arms [2]Joint
		for a := range arms {
			for range perArm {
				arms[a].Add(visitor(rng, 0))
			}
		}
		got, err := CompareRatio(arms[0], arms[1], 0.05, TwoSided)
		require.NoError(t, err)
		sum += got.Diff
		sumSq += got.Diff * got.Diff
		seSum += got.SE
	}
	n := float64(reps)
	emp := math.Sqrt((sumSq - sum*sum/n) / (n - 1))
	mean := seSum / n
	// The empirical SE itself is uncertain by about 1/√(2·reps).
	t.Logf("ratio metric, %d replications of %d visitors/arm: empirical SE %.4f (±%.1f %%), mean delta-method SE %.4f, ratio %.4f",
		reps, perArm, emp, 100/math.Sqrt(2*n), mean, mean/emp)
	if math.Abs(mean/emp-1) > 0.05 {
		t.Errorf("delta-method SE / empirical SE = %.4f, want within 5 %% of 1", mean/emp)
	}
}

// CUPED with a covariate correlated 0.7 with the metric removes about
// ρ² = 49 % of the variance and keeps the false-positive rate at alpha.
func TestCompareCUPEDNull(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	reps := longRuns(4000, 20000)
	const perArm, rho, alpha = 1000, 0.7, 0.05
	rng := rand.New(rand.NewPCG(2013, 7))
	e := math.Sqrt(1 - rho*rho)
	var rejRaw, rejAdj int
	var redSum, adjSum, adjSq, rawSum, rawSq float64
	for range reps {
		var arms [2]Joint
		for a := range arms {
			for range perArm {
				x := rng.NormFloat64()
				y := 10 + 2*(rho*x+e*rng.NormFloat64())
				arms[a].Add(5+x, y)
			}
		}
		got, err := CompareCUPED(arms[0], arms[1], alpha, TwoSided)
		require.NoError(t, err)
		if got.PValue <= alpha {
			rejAdj++
		}
		if got.Unadjusted.PValue <= alpha {
			rejRaw++
		}
		redSum += got.VarianceReduction
		adjSum += got.Diff
		adjSq += got.Diff * got.Diff
		rawSum += got.Unadjusted.Diff
		rawSq += got.Unadjusted.Diff * got.Unadjusted.Diff
	}
	n := float64(reps)
	empRed := 1 - (adjSq-adjSum*adjSum/n)/(rawSq-rawSum*rawSum/n)
	fpr := float64(rejAdj) / n
	half := 1.96 * math.Sqrt(fpr*(1-fpr)/n)
	t.Logf("CUPED rho=%.1f, %d null replications of %d/arm: reported variance reduction %.4f, empirical %.4f (theory %.2f); "+
		"false-positive rate %.4f ± %.4f adjusted, %.4f unadjusted", rho, reps, perArm, redSum/n, empRed, rho*rho, fpr, half, float64(rejRaw)/n)
	if redSum/n < 0.45 || empRed < 0.45 {
		t.Errorf("variance reduction reported %.4f, empirical %.4f, want >= 0.45", redSum/n, empRed)
	}
	if math.Abs(fpr-alpha) > 0.01 {
		t.Errorf("false-positive rate = %.4f, want %v ± 0.01", fpr, alpha)
	}
}

// Under a real effect CUPED keeps the estimate unbiased while narrowing it.
func TestCompareCUPEDEffect(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var arms [2]Joint
	for a := range arms {
		for range 20000 {
			x := rng.NormFloat64()
			y := 0.7*x + 0.71*rng.NormFloat64() + 0.05*float64(a)
			arms[a].Add(x, y)
		}
	}
	got, err := CompareCUPED(arms[0], arms[1], 0.05, TwoSided)
	require.NoError(t, err)
	if !(got.DiffLow < 0.05 && 0.05 < got.DiffHigh) {
		t.Errorf("CUPED interval [%v, %v] misses the true difference 0.05", got.DiffLow, got.DiffHigh)
	}
	if math.Abs(got.Theta-0.7) > 0.02 || math.Abs(got.Correlation-0.7) > 0.02 {
		t.Errorf("theta = %v, correlation = %v, want about 0.7", got.Theta, got.Correlation)
	}
	if got.SE >= got.Unadjusted.SE {
		t.Errorf("adjusted SE %v not below unadjusted %v", got.SE, got.Unadjusted.SE)
	}
}

// A constant covariate changes nothing.
func TestCompareCUPEDConstantCovariate(t *testing.T) {
	ys := [][]float64{{1, 4, 2, 8, 5, 7}, {3, 9, 4, 6, 10, 2, 7}}
	var arms [2]Joint
	for a := range ys {
		for _, y := range ys[a] {
			arms[a].Add(3, y)
		}
	}
	got, err := CompareCUPED(arms[0], arms[1], 0.05, TwoSided)
	require.NoError(t, err)
	assert.InDeltaMapValues(t, cmpMap(got.Unadjusted), cmpMap(got.Comparison), 1e-12)
	assert.Zero(t, got.Theta)
	assert.InDelta(t, 0, got.VarianceReduction, 1e-12)
}
