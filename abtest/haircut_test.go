package abtest

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWhiteheadMeanMatchesSimulation(t *testing.T) {
	info := equalInfo(5)
	b, err := Boundaries(info, 0.05, TwoSided, OBrienFlemingSpending)
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(3, 4))
	const eta, runs = 2.8, 200000
	sum := 0.0
	for range runs {
		k, s, _ := simulatePath(r, info, b, eta)
		sum += s / info[k]
	}
	var out passOut
	forward(pass{info: info, upper: b, sides: TwoSided, eta: eta, moments: true}, &out)
	m := 0.0
	for _, v := range out.mean {
		m += v
	}
	// MC standard error is about 1/sqrt(runs) ≈ 0.0022
	assert.InDelta(t, sum/runs, m, 0.01)
	assert.Greater(t, m, eta, "stopping on efficacy biases the estimate upwards")
}

func TestAdjustEstimate(t *testing.T) {
	info := equalInfo(5)
	b, err := Boundaries(info, 0.05, TwoSided, OBrienFlemingSpending)
	require.NoError(t, err)
	h, err := AdjustEstimate(info, b, TwoSided, 1, 3.5, 0.01, 0.05)
	require.NoError(t, err)
	assert.InDelta(t, 0.035, h.Raw, 1e-15)
	assert.Less(t, h.Adjusted, h.Raw)
	assert.Greater(t, h.Adjusted, 0.0)
	assert.InDelta(t, h.Adjusted/h.Raw, h.Ratio, 1e-12)
	assert.Less(t, h.Low, h.Adjusted)
	assert.Greater(t, h.High, h.Adjusted)
	// Mirror image for a negative effect.
	n, err := AdjustEstimate(info, b, TwoSided, 1, -3.5, 0.01, 0.05)
	require.NoError(t, err)
	assert.InDelta(t, -h.Adjusted, n.Adjusted, 1e-12)
	assert.InDelta(t, -h.High, n.Low, 1e-12)
	// At the final look of a single-look design nothing changes.
	one, err := AdjustEstimate([]float64{1}, []float64{1.96}, TwoSided, 0, 2.5, 1, 0.05)
	require.NoError(t, err)
	assert.InDelta(t, 2.5, one.Adjusted, 1e-8)
	assert.InDelta(t, 2.5-1.959963984540054, one.Low, 1e-6)
	_, err = AdjustEstimate(info, b[:3], TwoSided, 1, 3, 1, 0.05)
	assert.ErrorIs(t, err, ErrArgument)
	_, err = AdjustEstimate(info, b, TwoSided, 1, math.NaN(), 1, 0.05)
	assert.ErrorIs(t, err, ErrArgument)
}

func TestStagewiseCoverage(t *testing.T) {
	// The interval after stopping covers the true drift about 1−alpha of the time.
	info := equalInfo(4)
	b, err := Boundaries(info, 0.05, TwoSided, OBrienFlemingSpending)
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(5, 6))
	const eta = 2.5
	runs, tol := 100, 0.09
	if os.Getenv("CRAFTKIT_LONG") == "1" {
		runs, tol = 2000, 0.02
	}
	cover := 0
	for range runs {
		k, s, _ := simulatePath(r, info, b, eta)
		x := info[k]
		h, err := AdjustEstimate(info, b, TwoSided, k, s/math.Sqrt(x), 1/math.Sqrt(x), 0.1)
		require.NoError(t, err)
		if h.Low <= eta && eta <= h.High {
			cover++
		}
	}
	assert.InDelta(t, 0.9, float64(cover)/float64(runs), tol)
}

func TestAdjustEstimateOverflow(t *testing.T) {
	_, err := AdjustEstimate([]float64{0.5, 1}, []float64{3, 2}, OneSided, 1, 1e10, 1e300, 0.05)
	assert.ErrorIs(t, err, ErrArgument)
}
