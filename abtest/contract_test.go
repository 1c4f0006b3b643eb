package abtest_test

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/craftkit/craftkit/abtest"
)

// The names and signatures below are a published contract: this file
// fails to compile if one of them changes.
var (
	_ abtest.Sides        = abtest.OneSided
	_ abtest.Sides        = abtest.TwoSided
	_ abtest.SpendingFunc = abtest.OBrienFlemingSpending
	_ abtest.SpendingFunc = abtest.PocockSpending

	_ func(float64) abtest.SpendingFunc                                              = abtest.PowerSpending
	_ func(float64) abtest.SpendingFunc                                              = abtest.HwangShihDeCaniSpending
	_ func([]float64, float64, abtest.Sides, abtest.SpendingFunc) ([]float64, error) = abtest.Boundaries
	_ func(int, float64) (float64, error)                                            = abtest.PocockConstant
	_ func(int, float64) (float64, error)                                            = abtest.OBrienFlemingConstant
	_ func(float64, float64, float64) (abtest.MillerPlan, error)                     = abtest.PlanMiller
	_ func(float64, float64, float64, float64) (float64, error)                      = abtest.SampleSize
)

func TestContractValues(t *testing.T) {
	info := []float64{0.2, 0.4, 0.6, 0.8, 1}
	// rpact / gsDesign, two-sided 0.05, alpha/2 per side.
	b, err := abtest.Boundaries(info, 0.05, abtest.TwoSided, abtest.OBrienFlemingSpending)
	require.NoError(t, err)
	for i, want := range []float64{4.8769, 3.3570, 2.6803, 2.2898, 2.0310} {
		assert.InDelta(t, want, b[i], 1e-4, "OBF-type look %d", i+1)
	}
	// gsDesign's default design (k = 3, one-sided 0.025, HSD γ = −4):
	// upper bounds 3.0107, 2.5465, 1.9992.
	b, err = abtest.Boundaries([]float64{1.0 / 3, 2.0 / 3, 1}, 0.025, abtest.OneSided, abtest.HwangShihDeCaniSpending(-4))
	require.NoError(t, err)
	for i, want := range []float64{3.0107, 2.5465, 1.9992} {
		assert.InDelta(t, want, b[i], 1e-4, "HSD(-4) look %d", i+1)
	}
	// One-sided at alpha equals two-sided at 2·alpha for the upper boundary.
	one, err := abtest.Boundaries(info, 0.025, abtest.OneSided, abtest.PowerSpending(3))
	require.NoError(t, err)
	two, err := abtest.Boundaries(info, 0.05, abtest.TwoSided, abtest.PowerSpending(3))
	require.NoError(t, err)
	for i := range one {
		// The lower boundary of the two-sided design takes a little
		// probability away, so its upper boundary is slightly lower.
		assert.LessOrEqual(t, two[i], one[i]+1e-9, "look %d", i+1)
		assert.InDelta(t, one[i], two[i], 5e-3, "look %d", i+1)
	}

	p, err := abtest.PocockConstant(5, 0.05)
	require.NoError(t, err)
	assert.InDelta(t, 2.4132, p, 1e-4)
	o, err := abtest.OBrienFlemingConstant(5, 0.05)
	require.NoError(t, err)
	assert.InDelta(t, 2.0401, o, 1e-4)

	plan, err := abtest.PlanMiller(0.4, 0.05, 0.8)
	require.NoError(t, err)
	assert.Equal(t, 243, plan.N)
	assert.Equal(t, 31, plan.D)

	n, err := abtest.SampleSize(0.5, 0.75, 0.05, 0.9)
	require.NoError(t, err)
	assert.InEpsilon(t, 76.70692845177743, n, 1e-9)
}

// TestContractErrors calls every contract function with each kind of bad
// input the contract names; each must return an error, never panic.
func TestContractErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	badUnit := []float64{0, 1, -0.1, 1.5, nan, inf, -inf}
	goodInfo := []float64{0.5, 1}
	badInfo := [][]float64{
		nil, {}, {0.5, 0.5}, {0.6, 0.4}, {0, 1}, {-0.2, 1}, {0.5, 1.2},
		{nan, 1}, {0.5, nan}, {inf}, {0.5, inf}, {-inf, 1},
	}
	spends := map[string]abtest.SpendingFunc{
		"OBF": abtest.OBrienFlemingSpending, "Pocock": abtest.PocockSpending,
		"power": abtest.PowerSpending(2), "HSD": abtest.HwangShihDeCaniSpending(-4),
	}
	wantErr := func(t *testing.T, err error, format string, args ...any) {
		t.Helper()
		if err == nil {
			t.Errorf(format+": no error", args...)
			return
		}
		if _, ok := errors.AsType[*abtest.ArgError](err); !ok {
			t.Errorf(format+": error %v is not an *ArgError", append(args, err)...)
		}
	}

	for name, f := range spends {
		for _, sides := range []abtest.Sides{abtest.OneSided, abtest.TwoSided} {
			for _, a := range badUnit {
				_, err := abtest.Boundaries(goodInfo, a, sides, f)
				wantErr(t, err, "Boundaries(alpha=%v, %v, %s)", a, sides, name)
			}
			for _, info := range badInfo {
				_, err := abtest.Boundaries(info, 0.05, sides, f)
				wantErr(t, err, "Boundaries(info=%v, %v, %s)", info, sides, name)
			}
		}
	}
	for _, s := range []abtest.Sides{0, 3, -1} {
		_, err := abtest.Boundaries(goodInfo, 0.05, s, abtest.PocockSpending)
		wantErr(t, err, "Boundaries(sides=%d)", int(s))
	}
	_, err := abtest.Boundaries(goodInfo, 0.05, abtest.TwoSided, nil)
	wantErr(t, err, "Boundaries(nil spending)")
	for _, par := range []float64{nan, inf, -inf} {
		_, err := abtest.Boundaries(goodInfo, 0.05, abtest.TwoSided, abtest.PowerSpending(par))
		wantErr(t, err, "PowerSpending(%v)", par)
		_, err = abtest.Boundaries(goodInfo, 0.05, abtest.TwoSided, abtest.HwangShihDeCaniSpending(par))
		wantErr(t, err, "HwangShihDeCaniSpending(%v)", par)
	}
	for _, rho := range []float64{0, -1} {
		_, err := abtest.Boundaries(goodInfo, 0.05, abtest.TwoSided, abtest.PowerSpending(rho))
		wantErr(t, err, "PowerSpending(%v)", rho)
	}

	classic := map[string]func(int, float64) (float64, error){
		"PocockConstant": abtest.PocockConstant, "OBrienFlemingConstant": abtest.OBrienFlemingConstant,
	}
	for name, f := range classic {
		for _, a := range badUnit {
			_, err := f(5, a)
			wantErr(t, err, "%s(5, %v)", name, a)
		}
		for _, k := range []int{0, -1, math.MinInt} {
			_, err := f(k, 0.05)
			wantErr(t, err, "%s(%d, 0.05)", name, k)
		}
	}

	for _, a := range badUnit {
		_, err := abtest.PlanMiller(0.4, a, 0.8)
		wantErr(t, err, "PlanMiller(alpha=%v)", a)
		_, err = abtest.PlanMiller(0.4, 0.05, a)
		wantErr(t, err, "PlanMiller(power=%v)", a)
	}
	for _, mde := range []float64{0, -0.1, nan, inf, -inf} {
		_, err := abtest.PlanMiller(mde, 0.05, 0.8)
		wantErr(t, err, "PlanMiller(mde=%v)", mde)
	}

	for _, p := range badUnit {
		_, err := abtest.SampleSize(p, 0.2, 0.05, 0.8)
		wantErr(t, err, "SampleSize(p1=%v)", p)
		_, err = abtest.SampleSize(0.2, p, 0.05, 0.8)
		wantErr(t, err, "SampleSize(p2=%v)", p)
		_, err = abtest.SampleSize(0.1, 0.2, p, 0.8)
		wantErr(t, err, "SampleSize(alpha=%v)", p)
		_, err = abtest.SampleSize(0.1, 0.2, 0.05, p)
		wantErr(t, err, "SampleSize(power=%v)", p)
	}
	_, err = abtest.SampleSize(0.3, 0.3, 0.05, 0.8)
	wantErr(t, err, "SampleSize(p1 == p2)")
	assert.ErrorIs(t, err, abtest.ErrEqualRates)
}

func TestBoundariesLookLimit(t *testing.T) {
	info := make([]float64, 10001)
	for i := range info {
		info[i] = float64(i+1) / float64(len(info))
	}
	_, err := abtest.Boundaries(info, 0.05, abtest.TwoSided, abtest.PocockSpending)
	assert.ErrorIs(t, err, abtest.ErrTooLarge)
}
