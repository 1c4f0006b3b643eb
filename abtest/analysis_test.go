package abtest

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompareConversion(t *testing.T) {
	c, tr := Conversions(10000, 1000), Conversions(10000, 1100)
	got, err := Compare(c, tr, 0.05, TwoSided)
	require.NoError(t, err)
	vc := 0.1 * 0.9 * 10000 / 9999 / 10000
	vt := 0.11 * 0.89 * 10000 / 9999 / 10000
	se := math.Sqrt(vc + vt)
	assert.InDelta(t, 0.01, got.Diff, 1e-15)
	assert.InDelta(t, se, got.SE, 1e-15)
	assert.InDelta(t, 0.01/se, got.Z, 1e-12)
	assert.InDelta(t, 2*normSF(0.01/se), got.PValue, 1e-15)
	assert.InDelta(t, 0.1, got.Lift, 1e-12)
	sl := math.Sqrt(vt/0.01 + 0.0121*vc/0.0001)
	assert.InDelta(t, 0.1-1.959963984540054*sl, got.LiftLow, 1e-12)
	assert.InDelta(t, 0.1+1.959963984540054*sl, got.LiftHigh, 1e-12)
	one, err := Compare(c, tr, 0.05, OneSided)
	require.NoError(t, err)
	assert.InDelta(t, got.PValue/2, one.PValue, 1e-15)
}

func TestCompareMean(t *testing.T) {
	// values 1..10 and 2..11
	var a, b Sample
	for i := 1; i <= 10; i++ {
		a.N++
		a.Sum += float64(i)
		a.SumSquares += float64(i * i)
		b.N++
		b.Sum += float64(i + 1)
		b.SumSquares += float64((i + 1) * (i + 1))
	}
	assert.InDelta(t, 5.5, a.Mean(), 1e-15)
	assert.InDelta(t, 55.0/6, a.Variance(), 1e-12)
	got, err := Compare(a, b, 0.05, TwoSided)
	require.NoError(t, err)
	assert.InDelta(t, 1, got.Diff, 1e-12)
	assert.InDelta(t, math.Sqrt(2*55.0/6/10), got.SE, 1e-12)
}

func TestCompareErrors(t *testing.T) {
	tests := []struct {
		name string
		c, t Sample
		want error
	}{
		{"empty", Sample{}, Conversions(10, 1), ErrNoData},
		{"no variance", Conversions(10, 0), Conversions(10, 0), ErrNoData},
		{"negative N", Sample{N: -1}, Conversions(10, 1), ErrArgument},
		{"NaN sum", Sample{N: 5, Sum: math.NaN()}, Conversions(10, 1), ErrArgument},
		{"Inf squares", Sample{N: 5, Sum: 1, SumSquares: math.Inf(1)}, Conversions(10, 1), ErrArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compare(tt.c, tt.t, 0.05, TwoSided)
			if !errors.Is(err, tt.want) {
				t.Errorf("Compare() error = %v, want %v", err, tt.want)
			}
		})
	}
	_, err := Compare(Conversions(10, 1), Conversions(10, 2), 0, TwoSided)
	assert.ErrorIs(t, err, ErrAlpha)
	_, err = Compare(Conversions(10, 1), Conversions(10, 2), 0.05, 3)
	assert.ErrorIs(t, err, ErrSides)
}

func TestCompareNoAllocs(t *testing.T) {
	c, tr := Conversions(10000, 1000), Conversions(10000, 1100)
	var sink Comparison
	allocs := testing.AllocsPerRun(1000, func() {
		sink, _ = Compare(c, tr, 0.05, TwoSided)
	})
	if allocs != 0 {
		t.Errorf("Compare allocates %v times per run, want 0", allocs)
	}
	_ = sink
}

func TestSampleRatio(t *testing.T) {
	chi2, p, err := SampleRatio([]int64{5000, 5000}, nil)
	require.NoError(t, err)
	assert.Zero(t, chi2)
	assert.InDelta(t, 1, p, 1e-15)
	// 1 df: p = erfc(sqrt(chi2/2))
	chi2, p, err = SampleRatio([]int64{5100, 4900}, nil)
	require.NoError(t, err)
	assert.InDelta(t, 4.0, chi2, 1e-12)
	assert.InDelta(t, math.Erfc(math.Sqrt(2)), p, 1e-12)
	_, p, err = SampleRatio([]int64{5300, 4700}, nil)
	require.NoError(t, err)
	assert.Less(t, p, SRMThreshold)
	// weighted 3-arm: expected 2000/4000/4000
	chi2, p, err = SampleRatio([]int64{2000, 4000, 4000}, []float64{1, 2, 2})
	require.NoError(t, err)
	assert.Zero(t, chi2)
	assert.InDelta(t, 1, p, 1e-12)
	_, _, err = SampleRatio([]int64{1}, nil)
	assert.ErrorIs(t, err, ErrArgument)
	_, _, err = SampleRatio([]int64{1, 2}, []float64{1, 0})
	assert.ErrorIs(t, err, ErrArgument)
}

func TestAdjust(t *testing.T) {
	p := []float64{0.01, 0.04, 0.03, 0.2}
	must := func(out []float64, err error) []float64 {
		t.Helper()
		require.NoError(t, err)
		return out
	}
	// Holm: sorted 0.01,0.03,0.04,0.2 → 0.04, 0.09, 0.09 (max), 0.2
	assert.InDeltaSlice(t, []float64{0.04, 0.09, 0.09, 0.2}, must(Adjust(p, Holm)), 1e-15)
	// BH: 0.01*4/1=0.04, 0.03*4/2=0.06, 0.04*4/3=0.0533, 0.2 → running min from the top
	assert.InDeltaSlice(t, []float64{0.04, 4 * 0.04 / 3, 4 * 0.04 / 3, 0.2}, must(Adjust(p, BenjaminiHochberg)), 1e-15)
	assert.Equal(t, p, must(Adjust(p, NoCorrection)))
	for _, bad := range []struct {
		p    []float64
		corr Correction
	}{{p, Correction(3)}, {p, Correction(-1)}, {[]float64{0.1, math.NaN()}, Holm}, {[]float64{1.5}, BenjaminiHochberg}, {[]float64{-0.1}, NoCorrection}} {
		_, err := Adjust(bad.p, bad.corr)
		assert.Error(t, err, "Adjust(%v, %d)", bad.p, bad.corr)
	}
}

func TestCompareAll(t *testing.T) {
	ctrl := Conversions(10000, 1000)
	vs := []Sample{Conversions(10000, 1150), Conversions(10000, 1010), Conversions(10000, 1060)}
	got, err := CompareAll(ctrl, vs, 0.05, TwoSided, Holm)
	require.NoError(t, err)
	require.Len(t, got, 3)
	for i := range got {
		assert.GreaterOrEqual(t, got[i].AdjustedP, got[i].PValue)
	}
	assert.Less(t, got[0].AdjustedP, 0.05)
	_, err = CompareAll(ctrl, vs, 0.05, TwoSided, Correction(9))
	assert.ErrorIs(t, err, ErrArgument)
}

func TestConcurrentReaders(t *testing.T) {
	g, err := NewGroupSequential(0.05, TwoSided, OBrienFlemingSpending)
	require.NoError(t, err)
	for _, x := range equalInfo(10)[:9] {
		_, err := g.Append(x)
		require.NoError(t, err)
	}
	want, err := g.Peek(1)
	require.NoError(t, err)
	d := SpendingDesign{Alpha: 0.05}
	done := make(chan error, 4)
	for range 4 {
		go func() {
			c, err := g.Peek(1)
			if err == nil && c != want {
				err = errors.New("Peek differs")
			}
			if err == nil {
				_, err = d.Thresholds([]float64{0.5, 1})
			}
			if err == nil {
				_, err = Compare(Conversions(1000, 100), Conversions(1000, 120), 0.05, TwoSided)
			}
			done <- err
		}()
	}
	for range 4 {
		assert.NoError(t, <-done)
	}
}

func TestSampleRatioExtremeWeights(t *testing.T) {
	chi2, p, err := SampleRatio([]int64{math.MaxInt64, math.MaxInt64}, []float64{1e-300, 1e300})
	require.NoError(t, err)
	assert.True(t, math.IsInf(chi2, 1), "chi2 = %v", chi2)
	assert.Zero(t, p)
	_, p, err = SampleRatio([]int64{0, 100}, []float64{1e-300, 1e300})
	require.NoError(t, err)
	assert.False(t, math.IsNaN(p))
}
