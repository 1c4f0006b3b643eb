package abtest

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMSPRTEvaluate(t *testing.T) {
	m := MSPRT{Alpha: 0.05, Effect: 0.1}
	_, err := m.Evaluate(Conversions(50, 5), Conversions(50, 6))
	assert.ErrorIs(t, err, ErrNoData, "before burn-in")
	c, tr := Conversions(5000, 500), Conversions(5000, 600)
	r, err := m.Evaluate(c, tr)
	require.NoError(t, err)
	// Direct formula.
	vc, vt := c.Variance(), tr.Variance()
	v := vc/5000 + vt/5000
	tau2 := 0.01 * (vc + vt) / 2
	d := 0.02
	lambda := math.Sqrt(v/(v+tau2)) * math.Exp(tau2*d*d/(2*v*(v+tau2)))
	assert.InDelta(t, lambda, r.Lambda, 1e-9*lambda)
	assert.InDelta(t, math.Min(1, 1/lambda), r.PValue, 1e-12)
	// The CI excludes 0 exactly when the p-value is below alpha.
	assert.Equal(t, r.PValue <= 0.05, r.Low > 0 || r.High < 0)
	var av AlwaysValid
	av.Add(r)
	av.Add(MSPRTResult{PValue: 0.5, Low: -1, High: 1})
	assert.Equal(t, r.PValue, av.PValue)
	assert.Equal(t, r.Low, av.Low)
	assert.Equal(t, 2, av.Looks)
}

func TestMSPRTThresholds(t *testing.T) {
	m := MSPRT{Alpha: 0.05, Horizon: 10000}
	th, err := m.Thresholds([]float64{0.005, 0.1, 0.5, 1})
	require.NoError(t, err)
	assert.Zero(t, th[0], "inside the burn-in")
	for i := 1; i < len(th); i++ {
		assert.Greater(t, th[i], 0.0)
		assert.Less(t, th[i], 0.05)
	}
	_, err = MSPRT{Alpha: 0.05}.Thresholds([]float64{1})
	assert.ErrorIs(t, err, ErrArgument)
}

func TestMSPRTInvalidFields(t *testing.T) {
	c, tr := Conversions(5000, 500), Conversions(5000, 600)
	for _, m := range []MSPRT{
		{Alpha: 1}, // a zero Alpha means DefaultAlpha
		{Alpha: math.NaN()},
		{Alpha: 0.05, Effect: math.Inf(1)},
		{Alpha: 0.05, Effect: math.NaN()},
		{Alpha: 0.05, Effect: -0.1},
		{Alpha: 0.05, BurnIn: -1},
		{Alpha: 0.05, Horizon: -1},
	} {
		_, err := m.Evaluate(c, tr)
		assert.Error(t, err, "%+v.Evaluate", m)
		_, err = m.Thresholds([]float64{0.5, 1})
		assert.Error(t, err, "%+v.Thresholds", m)
	}
}
