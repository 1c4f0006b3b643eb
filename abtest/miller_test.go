package abtest

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// binomPMF returns P(S_N = s) for the walk with N steps and up-probability p
// (s has the parity of N).
func walkPMF(n, s int, p float64) float64 {
	if (n+s)%2 != 0 || s > n || s < -n {
		return 0
	}
	k := (n + s) / 2
	lg := func(x int) float64 { v, _ := math.Lgamma(float64(x + 1)); return v }
	return math.Exp(lg(n) - lg(k) - lg(n-k) + float64(k)*math.Log(p) + float64(n-k)*math.Log(1-p))
}

// hitReflection is an independent closed form of P(max_{m≤n} S_m ≥ d) for
// a ±1 walk with up-probability p, by the reflection principle:
// P(S_n ≥ d) + Σ_{y>d} P(S_n = y)·(q/p)^{y−d}.
func hitReflection(n, d int, p float64) float64 {
	q := 1 - p
	s := 0.0
	for y := d; y <= n; y++ {
		s += walkPMF(n, y, p)
	}
	for y := d + 1; y <= n; y++ {
		s += walkPMF(n, y, p) * math.Pow(q/p, float64(y-d))
	}
	return s
}

func TestPlanMillerCalculator(t *testing.T) {
	p, err := PlanMiller(0.4, 0.05, 0.8)
	require.NoError(t, err)
	assert.Equal(t, 243, p.N)
	assert.Equal(t, 31, p.D)
	// The plan's probabilities agree with the reflection formula.
	p1 := 1.4 / 2.4
	assert.InDelta(t, hitReflection(p.N, p.D, 0.5), p.Alpha, 1e-12)
	assert.InDelta(t, hitReflection(p.N, p.D, p1), p.Power, 1e-12)
	// Minimal N over all d, by brute force with the closed form.
	best := math.MaxInt
	for d := 1; d <= 80; d++ {
		for n := d; n < best; n++ {
			if hitReflection(n, d, p1) >= 0.8 {
				if hitReflection(n, d, 0.5) <= 0.05 {
					best = n
				}
				break
			}
		}
	}
	assert.Equal(t, best, p.N, "brute-force smallest N")
}

func TestPlanMillerMore(t *testing.T) {
	tests := []struct {
		mde, alpha, power float64
	}{{0.2, 0.05, 0.8}, {0.1, 0.05, 0.8}, {0.3, 0.01, 0.9}, {1, 0.1, 0.5}}
	for _, tt := range tests {
		p, err := PlanMiller(tt.mde, tt.alpha, tt.power)
		require.NoError(t, err)
		p1 := (1 + tt.mde) / (2 + tt.mde)
		assert.LessOrEqual(t, hitReflection(p.N, p.D, 0.5), tt.alpha+1e-12)
		assert.GreaterOrEqual(t, hitReflection(p.N, p.D, p1), tt.power-1e-12)
		// one conversion fewer would not have the power with this d
		assert.Less(t, hitReflection(p.N-1, p.D, p1), tt.power)
	}
}

func TestPlanMillerSplit(t *testing.T) {
	eq, err := PlanMillerSplit(0.4, 0.05, 0.8, 0.5)
	require.NoError(t, err)
	assert.Equal(t, 243, eq.N)
	assert.Equal(t, 31, eq.D)
	// The DP used for unequal splits agrees with the closed form at 0.5.
	var w millerWalk
	n, fa, fp, err := w.run(31, 1, 0.5, 1.4/2.4, 0.05, 0.8)
	require.NoError(t, err)
	assert.Equal(t, 243, n)
	assert.InDelta(t, eq.Alpha, fa, 1e-12)
	assert.InDelta(t, eq.Power, fp, 1e-12)
	for _, share := range []float64{0.2, 0.3, 0.7} {
		p, err := PlanMillerSplit(0.4, 0.05, 0.8, share)
		require.NoError(t, err)
		assert.LessOrEqual(t, p.Alpha, 0.05)
		assert.GreaterOrEqual(t, p.Power, 0.8)
		assert.InDelta(t, share/(1-share), p.Ratio, 1e-15)
		// exact audit over conversions with a direct DP on (T, C)
		fa := millerBrute(p, share)
		assert.InDelta(t, p.Alpha, fa, 1e-12, "share %v", share)
	}
}

// millerBrute walks the (T, C) lattice directly with Decide.
func millerBrute(p MillerPlan, share float64) float64 {
	prob := map[[2]int]float64{{0, 0}: 1}
	hit := 0.0
	for n := 1; n <= p.N; n++ {
		next := map[[2]int]float64{}
		for s, v := range prob {
			next[[2]int{s[0] + 1, s[1]}] += v * share
			next[[2]int{s[0], s[1] + 1}] += v * (1 - share)
		}
		for s, v := range next {
			if p.Decide(s[1], s[0]) == MillerTreatmentWins {
				hit += v
				delete(next, s)
			}
		}
		prob = next
	}
	return hit
}

func TestMillerDecide(t *testing.T) {
	p := MillerPlan{N: 243, D: 31, Ratio: 1}
	// control, treatment
	assert.Equal(t, MillerContinue, p.Decide(5, 10))
	assert.Equal(t, MillerTreatmentWins, p.Decide(9, 40))
	assert.Equal(t, MillerNoWinner, p.Decide(113, 130))
	assert.Equal(t, MillerContinue, p.Decide(40, 9), "control ahead is no win")
	assert.Equal(t, "treatment wins", MillerTreatmentWins.String())
}

func TestPlanMillerErrors(t *testing.T) {
	tests := []struct {
		name                     string
		mde, alpha, power, share float64
		want                     error
	}{
		{"alpha", 0.4, 0, 0.8, 0.5, ErrAlpha},
		{"alpha NaN", 0.4, math.NaN(), 0.8, 0.5, ErrAlpha},
		{"power", 0.4, 0.05, 1, 0.5, ErrPower},
		{"mde", 0, 0.05, 0.8, 0.5, ErrArgument},
		{"mde Inf", math.Inf(1), 0.05, 0.8, 0.5, ErrArgument},
		{"share", 0.4, 0.05, 0.8, 1, ErrProbability},
		{"too small", 0.001, 0.05, 0.8, 0.5, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PlanMillerSplit(tt.mde, tt.alpha, tt.power, tt.share)
			if !errors.Is(err, tt.want) {
				t.Errorf("PlanMillerSplit() error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestMillerThresholdsInvalidPlan(t *testing.T) {
	for _, p := range []MillerPlan{{}, {N: -5, D: 3}, {N: 10, D: 0}, {N: 10, D: 3, Ratio: math.NaN()}, {N: 10, D: 3, Ratio: -1}} {
		_, err := p.Thresholds([]float64{0.5, 1})
		assert.ErrorIs(t, err, ErrArgument, "%+v", p)
	}
	th, err := MillerPlan{N: 243, D: 31}.Thresholds([]float64{0.5, 1})
	require.NoError(t, err)
	assert.Less(t, th[0], th[1])
}
