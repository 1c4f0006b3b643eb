package abtest

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func long() bool { return os.Getenv("CRAFTKIT_LONG") == "1" }

func TestAuditNaivePeeking(t *testing.T) {
	// The anti-pattern: alpha 0.1, both arms at 50 %, a look after every
	// pair up to 500 pairs: about 74 % of experiments declare a difference.
	rule, err := DesignRule(Naive{Alpha: 0.1}, 500, TwoSided)
	require.NoError(t, err)
	fpr, err := AuditConversion(0.5, 500, rule)
	require.NoError(t, err)
	assert.InDelta(t, 0.737, fpr, 0.001)
	t.Logf("naive peeking, 500 pairs, alpha 0.1: false-positive rate %.4f", fpr)
}

func TestAuditSequentialDesigns(t *testing.T) {
	pairs := 500
	tests := []struct {
		name  string
		d     Design
		alpha float64
	}{
		{"OBF spending", SpendingDesign{Alpha: 0.1}, 0.1},
		{"Pocock spending", SpendingDesign{Alpha: 0.1, Spending: PocockSpending}, 0.1},
		{"power 2 spending", SpendingDesign{Alpha: 0.05, Spending: PowerSpending(2)}, 0.05},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule, err := DesignRule(tt.d, pairs, TwoSided)
			require.NoError(t, err)
			fpr, err := AuditConversion(0.5, pairs, rule)
			require.NoError(t, err)
			assert.LessOrEqual(t, fpr, tt.alpha)
			t.Logf("%s at every pair of %d: false-positive rate %.5f (alpha %.2f)", tt.name, pairs, fpr, tt.alpha)
		})
	}
}

func TestAuditMiller(t *testing.T) {
	plan, err := PlanMiller(0.4, 0.05, 0.8)
	require.NoError(t, err)
	// Low conversion rate, enough pairs to reach N conversions.
	p, pairs := 0.1, 1500
	if long() {
		p, pairs = 0.05, 3000
	}
	fpr, err := AuditConversion(p, pairs, MillerRule(plan))
	require.NoError(t, err)
	assert.LessOrEqual(t, fpr, 0.05)
	t.Logf("Miller N=%d d=%d, p=%v, %d pairs: false-positive rate %.5f", plan.N, plan.D, p, pairs, fpr)
}

func TestAuditMSPRT(t *testing.T) {
	pairs := 300
	if long() {
		pairs = 1000
	}
	for _, m := range []MSPRT{{Alpha: 0.1, Horizon: int64(pairs)}, {Alpha: 0.05, Effect: 0.3, BurnIn: 50}} {
		fpr, err := AuditConversion(0.5, pairs, MSPRTRule(m))
		require.NoError(t, err)
		assert.LessOrEqual(t, fpr, m.Alpha)
		t.Logf("mSPRT %+v, %d pairs: false-positive rate %.5f", m, pairs, fpr)
	}
}

func TestAuditHybridInflates(t *testing.T) {
	rule, err := DesignRule(Hybrid{Alpha: 0.1}, 300, TwoSided)
	require.NoError(t, err)
	fpr, err := AuditConversion(0.5, 300, rule)
	require.NoError(t, err)
	assert.Greater(t, fpr, 0.1, "switching to alpha at the horizon costs a little")
	assert.Less(t, fpr, 0.15)
}

func TestAuditMatchesSimulation(t *testing.T) {
	// Differential check of the DP against direct simulation.
	const pairs, p = 40, 0.3
	rule, err := DesignRule(Naive{Alpha: 0.1}, pairs, TwoSided)
	require.NoError(t, err)
	exact, err := AuditConversion(p, pairs, rule)
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(8, 9))
	const runs = 100000
	hits := 0
	for range runs {
		c, tr := 0, 0
		for n := 1; n <= pairs; n++ {
			if r.Float64() < p {
				c++
			}
			if r.Float64() < p {
				tr++
			}
			if rule(n, c, tr) {
				hits++
				break
			}
		}
	}
	sim := float64(hits) / runs
	se := math.Sqrt(exact * (1 - exact) / runs)
	assert.InDelta(t, exact, sim, 4*se)
}

func TestAuditErrors(t *testing.T) {
	rule := func(n, c, t int) bool { return false }
	_, err := AuditConversion(0, 10, rule)
	assert.ErrorIs(t, err, ErrProbability)
	_, err = AuditConversion(0.5, 0, rule)
	assert.ErrorIs(t, err, ErrArgument)
	_, err = AuditConversion(0.5, 10, nil)
	assert.ErrorIs(t, err, ErrArgument)
	fpr, err := AuditConversion(0.5, 10, rule)
	require.NoError(t, err)
	assert.Zero(t, fpr)
}

func TestDesigns(t *testing.T) {
	fr := []float64{0.25, 0.5, 1}
	fixed, err := FixedHorizon{Alpha: 0.05}.Thresholds(fr)
	require.NoError(t, err)
	assert.Equal(t, []float64{0, 0, 0.05}, fixed)
	naive, err := Naive{Alpha: 0.05}.Thresholds(fr)
	require.NoError(t, err)
	assert.Equal(t, []float64{0.05, 0.05, 0.05}, naive)
	seq, err := SpendingDesign{Alpha: 0.05}.Thresholds(fr)
	require.NoError(t, err)
	hy, err := Hybrid{Alpha: 0.05}.Thresholds(fr)
	require.NoError(t, err)
	assert.Equal(t, seq[:2], hy[:2])
	assert.Equal(t, 0.05, hy[2])
	assert.Less(t, seq[2], 0.05)
	curve, err := ThresholdCurve(MSPRT{Alpha: 0.05, Horizon: 1000}, 10)
	require.NoError(t, err)
	require.Len(t, curve, 10)
	assert.Equal(t, 1.0, curve[9].Fraction)
	plan, err := PlanMiller(0.4, 0.05, 0.8)
	require.NoError(t, err)
	mt, err := plan.Thresholds([]float64{1})
	require.NoError(t, err)
	assert.InDelta(t, normSF(31/math.Sqrt(243)), mt[0], 1e-15)
	_, err = ThresholdCurve(nil, 3)
	assert.ErrorIs(t, err, ErrArgument)
	_, err = Naive{Alpha: 2}.Thresholds(fr)
	assert.ErrorIs(t, err, ErrAlpha)
}
