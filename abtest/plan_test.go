package abtest

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSampleSize(t *testing.T) {
	// Closed form with quantiles to 16 digits.
	const (
		z975 = 1.959963984540054
		z80  = 0.8416212335729143
		z90  = 1.2815515655446004
	)
	ref := func(p1, p2, za, zb float64) float64 {
		pb := (p1 + p2) / 2
		x := za*math.Sqrt(2*pb*(1-pb)) + zb*math.Sqrt(p1*(1-p1)+p2*(1-p2))
		return x * x / ((p1 - p2) * (p1 - p2))
	}
	tests := []struct {
		p1, p2, power, zb float64
	}{
		{0.5, 0.75, 0.9, z90}, // R: power.prop.test(p1=.5, p2=.75, power=.9) → n = 76.7
		{0.1, 0.11, 0.8, z80},
		{0.03, 0.025, 0.8, z80},
		{0.9, 0.2, 0.9, z90},
	}
	for _, tt := range tests {
		got, err := SampleSize(tt.p1, tt.p2, 0.05, tt.power)
		require.NoError(t, err)
		want := ref(tt.p1, tt.p2, z975, tt.zb)
		if math.Abs(got-want) > 1e-9*want {
			t.Errorf("SampleSize(%v, %v) = %.12g, want %.12g", tt.p1, tt.p2, got, want)
		}
		pw, err := Power(tt.p1, tt.p2, got, 0.05)
		require.NoError(t, err)
		assert.InDelta(t, tt.power, pw, 1e-12)
	}
	n, _ := SampleSize(0.5, 0.75, 0.05, 0.9)
	assert.InDelta(t, 76.7, n, 0.05)
}

func TestSampleSizes(t *testing.T) {
	n1, n2, err := SampleSizes(0.1, 0.12, 0.05, 0.8, nil)
	require.NoError(t, err)
	n, _ := SampleSize(0.1, 0.12, 0.05, 0.8)
	assert.Equal(t, n, n1)
	assert.Equal(t, n, n2)
	// Unpooled equals (z_a+z_b)²(p1q1+p2q2)/Δ².
	u1, _, err := SampleSizes(0.1, 0.12, 0.05, 0.8, &SizeOptions{Unpooled: true})
	require.NoError(t, err)
	z := normUpperQuantile(0.025) + normUpperQuantile(0.2)
	assert.InDelta(t, z*z*(0.09+0.12*0.88)/0.0004, u1, 1e-9)
	// Unequal allocation: treatment twice control needs fewer in control, more in total.
	a1, a2, err := SampleSizes(0.1, 0.12, 0.05, 0.8, &SizeOptions{Ratio: 2})
	require.NoError(t, err)
	assert.InDelta(t, 2*a1, a2, 1e-9)
	assert.Less(t, a1, n)
	assert.Greater(t, a1+a2, 2*n)
	one, _, err := SampleSizes(0.1, 0.12, 0.05, 0.8, &SizeOptions{Sides: OneSided})
	require.NoError(t, err)
	assert.Less(t, one, n)
}

func TestSampleSizeErrors(t *testing.T) {
	tests := []struct {
		name                 string
		p1, p2, alpha, power float64
		want                 error
	}{
		{"p1 zero", 0, 0.1, 0.05, 0.8, ErrProbability},
		{"p2 one", 0.1, 1, 0.05, 0.8, ErrProbability},
		{"p1 NaN", math.NaN(), 0.1, 0.05, 0.8, ErrProbability},
		{"p2 Inf", 0.1, math.Inf(1), 0.05, 0.8, ErrProbability},
		{"equal", 0.1, 0.1, 0.05, 0.8, ErrEqualRates},
		{"alpha", 0.1, 0.2, 1.5, 0.8, ErrAlpha},
		{"power", 0.1, 0.2, 0.05, 0, ErrPower},
		{"power NaN", 0.1, 0.2, 0.05, math.NaN(), ErrPower},
		{"power below level", 0.1, 0.2, 0.2, 0.05, ErrPower},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := SampleSize(tt.p1, tt.p2, tt.alpha, tt.power)
			if !errors.Is(err, tt.want) {
				t.Errorf("SampleSize() error = %v, want %v", err, tt.want)
			}
		})
	}
	_, _, err := SampleSizes(0.1, 0.2, 0.05, 0.8, &SizeOptions{Ratio: -1})
	assert.ErrorIs(t, err, ErrArgument)
}

func TestMDEInvertsSampleSize(t *testing.T) {
	n, err := SampleSize(0.1, 0.12, 0.05, 0.8)
	require.NoError(t, err)
	d, err := MDE(0.1, n, 0.05, 0.8)
	require.NoError(t, err)
	assert.InDelta(t, 0.02, d, 1e-10)
	_, err = MDE(0.1, 1, 0.05, 0.8)
	assert.ErrorIs(t, err, ErrNoData)
}

func TestSampleSizeMean(t *testing.T) {
	n, err := SampleSizeMean(10, 1, 0.05, 0.8)
	require.NoError(t, err)
	z := normUpperQuantile(0.025) + normUpperQuantile(0.2)
	assert.InDelta(t, 2*z*z*100, n, 1e-9)
	_, err = SampleSizeMean(0, 1, 0.05, 0.8)
	assert.ErrorIs(t, err, ErrArgument)
	_, err = MDE(0.1, 1000, 0.2, 0.05)
	assert.ErrorIs(t, err, ErrPower, "MDE power below the level")
	_, err = SampleSizeMean(10, 1, 0.2, 0.05)
	assert.ErrorIs(t, err, ErrPower, "power below the level")
}

func TestDaysToPower(t *testing.T) {
	tests := []struct {
		n, daily float64
		min      int
		want     int
	}{{1000, 100, 0, 10}, {100, 100, 0, 7}, {1001, 100, 3, 11}, {0, 1, 1, 1}}
	for _, tt := range tests {
		got, err := DaysToPower(tt.n, tt.daily, tt.min)
		require.NoError(t, err)
		assert.Equal(t, tt.want, got, "DaysToPower(%v, %v, %v)", tt.n, tt.daily, tt.min)
	}
	_, err := DaysToPower(10, 0, 0)
	assert.ErrorIs(t, err, ErrArgument)
}

func TestInflation(t *testing.T) {
	// Classic designs, K = 5, two-sided 0.05, power 0.8: Jennison and
	// Turnbull (2000) tables 2.2 and 2.4 give R = 1.228 (Pocock) and
	// 1.028 (O'Brien-Fleming); a Monte Carlo run confirms the power.
	for _, tt := range []struct {
		name  string
		c     func(int, float64) (float64, error)
		shape func(j int) float64
		want  float64
	}{
		{"Pocock", PocockConstant, func(int) float64 { return 1 }, 1.228},
		{"OBF", OBrienFlemingConstant, func(j int) float64 { return math.Sqrt(5 / float64(j)) }, 1.028},
	} {
		c, err := tt.c(5, 0.05)
		require.NoError(t, err)
		g, err := NewGroupSequential(0.05, TwoSided, PocockSpending)
		require.NoError(t, err)
		g.info = equalInfo(5)
		for j := 1; j <= 5; j++ {
			g.bounds = append(g.bounds, c*tt.shape(j))
		}
		r, op, err := g.Inflation(0.8)
		require.NoError(t, err)
		assert.InDelta(t, tt.want, r, 6e-4, tt.name)
		assert.InDelta(t, 0.8, op.Power, 1e-8)
		assert.InDelta(t, 0.8, simulatePower(g.info, g.bounds, op.Drift, 200000), 0.005, tt.name)
	}
	// Lan-DeMets O'Brien-Fleming-type spending: slightly below the classic design.
	g, err := NewGroupSequential(0.05, TwoSided, OBrienFlemingSpending)
	require.NoError(t, err)
	for _, x := range equalInfo(5) {
		_, err := g.Append(x)
		require.NoError(t, err)
	}
	r, op, err := g.Inflation(0.8)
	require.NoError(t, err)
	assert.InDelta(t, 1.0247, r, 1e-4)
	assert.Less(t, op.ExpectedInfo, 1.0)
}

// simulatePower estimates P(some |Z_k| ≥ c_k) under drift eta by simulation.
func simulatePower(info, c []float64, eta float64, runs int) float64 {
	r := rand.New(rand.NewPCG(1, 2))
	hits := 0
	for range runs {
		if _, _, crossed := simulatePath(r, info, c, eta); crossed {
			hits++
		}
	}
	return float64(hits) / float64(runs)
}

// simulatePath draws one path of the score S_k (drift eta, looks at info)
// and returns the look at which it stops — the first with |Z_k| ≥ c_k, else
// the last — the score there, and whether a boundary was crossed.
func simulatePath(r *rand.Rand, info, c []float64, eta float64) (look int, s float64, crossed bool) {
	prev := 0.0
	for k, t := range info {
		s += eta*(t-prev) + math.Sqrt(t-prev)*r.NormFloat64()
		prev = t
		if math.Abs(s/math.Sqrt(t)) >= c[k] {
			return k, s, true
		}
	}
	return len(info) - 1, s, false
}
