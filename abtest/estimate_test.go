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

func TestEstimateStopAgreesWithAdjustEstimate(t *testing.T) {
	info := equalInfo(5)
	b, err := Boundaries(info, 0.05, TwoSided, OBrienFlemingSpending)
	require.NoError(t, err)
	for _, tt := range []struct {
		look int
		z    float64
	}{{1, 3.5}, {2, -2.9}, {4, 1.2}, {4, 2.5}, {0, 5.5}} {
		h, err := AdjustEstimate(info, b, TwoSided, tt.look, tt.z, 0.01, 0.05)
		require.NoError(t, err)
		e, err := EstimateStop(Stop{Info: info, Look: tt.look, Bounds: b, Z: tt.z, SE: 0.01}, 0.05)
		require.NoError(t, err)
		// Both order outcomes stagewise: the same interval.
		if math.Abs(e.Stagewise.Low-h.Low) > 1e-6 || math.Abs(e.Stagewise.High-h.High) > 1e-6 {
			t.Errorf("look %d z %v: stagewise [%v, %v], AdjustEstimate [%v, %v]", tt.look, tt.z, e.Stagewise.Low, e.Stagewise.High, h.Low, h.High)
		}
		for name, iv := range map[string]Interval{"stagewise": e.Stagewise, "conditional": e.Conditional, "look": e.ConditionalLook} {
			if !(iv.Low < iv.Estimate && iv.Estimate < iv.High) {
				t.Errorf("look %d z %v: %s %+v not ordered", tt.look, tt.z, name, iv)
			}
		}
		assert.InDelta(t, tt.z*0.01, e.Raw, 1e-15)
		assert.InDelta(t, e.Raw-b[tt.look]*0.01, e.Repeated.Low, 1e-15)
	}
}

func TestEstimateStopSingleLook(t *testing.T) {
	// One look: every estimate is the fixed-sample one.
	e, err := EstimateStop(Stop{Info: []float64{1}, Bounds: []float64{1.959963984540054}, Z: 2.5, SE: 1}, 0.05)
	require.NoError(t, err)
	for name, iv := range map[string]Interval{"stagewise": e.Stagewise, "conditional": e.Conditional, "look": e.ConditionalLook, "repeated": e.Repeated} {
		assert.InDelta(t, 2.5, iv.Estimate, 1e-6, name)
		assert.InDelta(t, 2.5-1.959963984540054, iv.Low, 1e-6, name)
		assert.InDelta(t, 2.5+1.959963984540054, iv.High, 1e-6, name)
	}
}

// TestEstimateStopSimulation checks the defining properties on simulated
// paths with known drift: the stagewise and conditional estimates are
// median-unbiased over all runs, the conditional one also among early
// stops, and the intervals cover at 1 − alpha.
func TestEstimateStopSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	info := []float64{0.25, 0.5, 0.75, 1}
	b, err := Boundaries(info, 0.05, TwoSided, OBrienFlemingSpending)
	require.NoError(t, err)
	runs := 200
	if os.Getenv("CRAFTKIT_LONG") == "1" {
		runs = 20000
	}
	for _, eta := range []float64{2.8, 1.0} {
		r := rand.New(rand.NewPCG(7, uint64(10*eta)))
		var n, early, swBelow, cdBelow, cdEarlyBelow, swCover, cdCover, cdEarlyCover int
		for range runs {
			k, s, crossed := simulatePath(r, info, b, eta)
			x := info[k]
			e, err := EstimateStop(Stop{Info: info, Look: k, Bounds: b, Z: s / math.Sqrt(x), SE: 1 / math.Sqrt(x)}, 0.1)
			require.NoError(t, err)
			n++
			swBelow += b2i(e.Stagewise.Estimate < eta)
			cdBelow += b2i(e.Conditional.Estimate < eta)
			swCover += b2i(e.Stagewise.Low <= eta && eta <= e.Stagewise.High)
			cdCover += b2i(e.Conditional.Low <= eta && eta <= e.Conditional.High)
			if crossed && k < len(info)-1 {
				early++
				cdEarlyBelow += b2i(e.Conditional.Estimate < eta)
				cdEarlyCover += b2i(e.Conditional.Low <= eta && eta <= e.Conditional.High)
			}
		}
		se := func(p float64, m int) float64 { return 3.5 * math.Sqrt(p*(1-p)/float64(m)) }
		frac := func(k, m int) float64 { return float64(k) / float64(m) }
		t.Logf("eta %v: %d runs, %d early; below: stagewise %.3f conditional %.3f (early %.3f); cover: stagewise %.3f conditional %.3f (early %.3f)",
			eta, n, early, frac(swBelow, n), frac(cdBelow, n), frac(cdEarlyBelow, early), frac(swCover, n), frac(cdCover, n), frac(cdEarlyCover, early))
		assert.InDelta(t, 0.5, frac(swBelow, n), se(0.5, n), "stagewise median, eta %v", eta)
		assert.InDelta(t, 0.5, frac(cdBelow, n), se(0.5, n), "conditional median, eta %v", eta)
		assert.InDelta(t, 0.9, frac(swCover, n), se(0.1, n), "stagewise coverage, eta %v", eta)
		assert.InDelta(t, 0.9, frac(cdCover, n), se(0.1, n), "conditional coverage, eta %v", eta)
		if early >= 100 {
			assert.InDelta(t, 0.5, frac(cdEarlyBelow, early), se(0.5, early), "conditional median among early stops, eta %v", eta)
			assert.InDelta(t, 0.9, frac(cdEarlyCover, early), se(0.1, early), "conditional coverage among early stops, eta %v", eta)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestEstimateStopErrors(t *testing.T) {
	info := []float64{0.5, 1}
	b := []float64{2.8, 1.98}
	nan, inf := math.NaN(), math.Inf(1)
	for _, tt := range []struct {
		name  string
		s     Stop
		alpha float64
		want  error
	}{
		{"no looks", Stop{Z: 1, SE: 1}, 0.05, ErrInfo},
		{"bounds length", Stop{Info: info, Bounds: b[:1], Z: 1, SE: 1}, 0.05, ErrArgument},
		{"futility length", Stop{Info: info, Bounds: b, Futility: []float64{0}, Z: 1, SE: 1}, 0.05, ErrArgument},
		{"futility above efficacy", Stop{Info: info, Bounds: b, Futility: []float64{3, 0}, Z: 1, SE: 1}, 0.05, ErrArgument},
		{"NaN bound", Stop{Info: info, Bounds: []float64{nan, 2}, Z: 1, SE: 1}, 0.05, ErrArgument},
		{"negative two-sided bound", Stop{Info: info, Bounds: []float64{-1, 2}, Z: 1, SE: 1}, 0.05, ErrArgument},
		{"NaN z", Stop{Info: info, Bounds: b, Z: nan, SE: 1}, 0.05, ErrArgument},
		{"zero se", Stop{Info: info, Bounds: b, Z: 1}, 0.05, ErrArgument},
		{"infinite se", Stop{Info: info, Bounds: b, Z: 1, SE: inf}, 0.05, ErrArgument},
		{"alpha", Stop{Info: info, Bounds: b, Z: 1, SE: 1}, 1, ErrAlpha},
		{"sides", Stop{Info: info, Bounds: b, Z: 1, SE: 1, Sides: 3}, 0.05, ErrSides},
		{"close looks", Stop{Info: []float64{0.5, 0.50001}, Bounds: b, Z: 1, SE: 1}, 0.05, ErrInfo},
		{"too many looks", Stop{Info: equalInfo(1001), Bounds: make([]float64, 1001), Z: 1, SE: 1}, 0.05, ErrTooLarge},
		{"overflow", Stop{Info: info, Bounds: b, Z: 30, SE: 1e307}, 0.05, ErrArgument},
		{"look", Stop{Info: info, Bounds: b, Look: 2, Z: 1, SE: 1}, 0.05, ErrArgument},
		{"negative look", Stop{Info: info, Bounds: b, Look: -1, Z: 1, SE: 1}, 0.05, ErrArgument},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := EstimateStop(tt.s, tt.alpha)
			if !errors.Is(err, tt.want) {
				t.Errorf("EstimateStop(%s) = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
	// Extreme but valid statistics give finite, ordered results.
	for _, z := range []float64{-60, -8, 0, 8, 60} {
		e, err := EstimateStop(Stop{Info: info, Look: 0, Bounds: b, Z: z, SE: 1, Sides: OneSided}, 0.05)
		require.NoError(t, err)
		assert.True(t, finite(e.Stagewise.Estimate, e.Conditional.Estimate, e.ConditionalLook.Estimate), "z %v: %+v", z, e)
		assert.LessOrEqual(t, e.Stagewise.Low, e.Stagewise.High, "z %v", z)
		assert.LessOrEqual(t, e.Conditional.Low, e.Conditional.High, "z %v", z)
	}
}

func TestPlanFutilityGsDesign(t *testing.T) {
	// gsDesign's default design: k = 3, test.type = 4, alpha 0.025,
	// beta 0.1, HSD(−4) efficacy and HSD(−2) futility spending: lower
	// bounds −0.24, 0.94, 2.00, upper 3.01, 2.55, 2.00, maximum sample
	// 1.07 times the fixed design.
	p, err := PlanFutility(SpendingDesign{Alpha: 0.025, Sides: OneSided, Spending: HwangShihDeCaniSpending(-4)},
		HwangShihDeCaniSpending(-2), 0.9, []float64{1.0 / 3, 2.0 / 3, 1})
	require.NoError(t, err)
	for i, want := range []float64{-0.2387, 0.9411, 1.9992} {
		assert.InDelta(t, want, p.Futility[i], 2e-3, "futility look %d", i+1)
	}
	for i, want := range []float64{3.0107, 2.5465, 1.9992} {
		assert.InDelta(t, want, p.Efficacy[i], 1e-3, "efficacy look %d", i+1)
	}
	assert.InDelta(t, 1.0699, p.Inflation, 2e-3)
	assert.InDelta(t, 0.9, p.Power, 1e-6)
	assert.Less(t, p.Alpha, 0.025)
	assert.Less(t, p.ExpectedNull, p.ExpectedNullNoFutility)
	assert.Less(t, p.ExpectedAlt, 1.0)

	_, err = PlanFutility(SpendingDesign{Alpha: 0.05}, nil, 0.8, equalInfo(3))
	assert.ErrorIs(t, err, ErrSpending)
	_, err = PlanFutility(SpendingDesign{Alpha: 0.05}, PocockSpending, 0.8, []float64{0.5, 0.9})
	assert.ErrorIs(t, err, ErrInfo)
	_, err = PlanFutility(SpendingDesign{Alpha: 0.05}, PocockSpending, 1.2, equalInfo(3))
	assert.ErrorIs(t, err, ErrPower)
	_, err = PlanFutility(SpendingDesign{Alpha: 0.05}, PocockSpending, 0.8, equalInfo(101))
	assert.ErrorIs(t, err, ErrTooLarge)
}

func BenchmarkEstimateStop(b *testing.B) {
	info := equalInfo(14)[6:] // daily looks from day 7 of 14
	bounds, err := Boundaries(info, 0.05, TwoSided, OBrienFlemingSpending)
	if err != nil {
		b.Fatal(err)
	}
	s := Stop{Info: info, Look: 2, Bounds: bounds, Z: bounds[2] + 0.3, SE: 0.001}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EstimateStop(s, 0.05); err != nil {
			b.Fatal(err)
		}
	}
}
