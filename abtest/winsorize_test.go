package abtest

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestQuantile(t *testing.T) {
	tests := []struct {
		q    float64
		vs   [][]float64
		want float64
	}{
		// R: quantile(c(1, 2, 3, 4, 5), c(0, 0.3, 0.5, 0.99, 1))
		{0, [][]float64{{5, 1, 3}, {2, 4}}, 1},
		{0.3, [][]float64{{5, 1, 3}, {2, 4}}, 2.2},
		{0.5, [][]float64{{5, 1, 3}, {2, 4}}, 3},
		{0.99, [][]float64{{5, 1, 3}, {2, 4}}, 4.96},
		{1, [][]float64{{5, 1, 3}, {2, 4}}, 5},
		{0.7, [][]float64{{7}}, 7},
	}
	for _, tt := range tests {
		got, err := Quantile(tt.q, tt.vs...)
		require.NoError(t, err)
		if math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Quantile(%v, %v) = %v, want %v", tt.q, tt.vs, got, tt.want)
		}
	}
	for _, tt := range []struct {
		q        float64
		vs       [][]float64
		sentinel error
	}{
		{1.5, [][]float64{{1}}, ErrProbability},
		{math.NaN(), [][]float64{{1}}, ErrProbability},
		{0.5, [][]float64{{1}, {math.Inf(1)}}, ErrArgument},
		{0.5, nil, ErrNoData},
	} {
		if _, err := Quantile(tt.q, tt.vs...); !errors.Is(err, tt.sentinel) {
			t.Errorf("Quantile(%v, %v) error = %v, want %v", tt.q, tt.vs, err, tt.sentinel)
		}
	}
}

func TestWinsorize(t *testing.T) {
	got, err := Winsorize([]float64{1, 5, 2, 100}, 5)
	require.NoError(t, err)
	if want := (Sample{N: 4, Sum: 13, SumSquares: 55}); got != want {
		t.Errorf("Winsorize = %+v, want %+v", got, want)
	}
	if _, err := Winsorize([]float64{1, math.NaN()}, 5); !errors.Is(err, ErrArgument) {
		t.Errorf("Winsorize(NaN value) error = %v, want ErrArgument", err)
	}
	if _, err := Winsorize([]float64{1}, math.NaN()); !errors.Is(err, ErrArgument) {
		t.Errorf("Winsorize(NaN cap) error = %v, want ErrArgument", err)
	}
	vs := []float64{1, 2, 3}
	if n := testing.AllocsPerRun(100, func() { _, _ = Winsorize(vs, 2) }); n != 0 {
		t.Errorf("Winsorize allocs = %v, want 0", n)
	}
}

// Heavy-tailed revenue (log-normal, σ = 1.5) capped at the pooled 99th
// percentile: the false-positive rate stays at alpha and the standard
// error of the difference shrinks.
func TestWinsorizeNull(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	reps := longRuns(2000, 20000)
	const perArm, alpha = 500, 0.05
	rng := rand.New(rand.NewPCG(99, 1))
	arms := [2][]float64{make([]float64, perArm), make([]float64, perArm)}
	rej := 0
	var seRatio float64
	for range reps {
		for a := range arms {
			for i := range arms[a] {
				arms[a][i] = math.Exp(1.5 * rng.NormFloat64())
			}
		}
		c, err := Quantile(0.99, arms[0], arms[1])
		require.NoError(t, err)
		s0, err := Winsorize(arms[0], c)
		require.NoError(t, err)
		s1, err := Winsorize(arms[1], c)
		require.NoError(t, err)
		w, err := Compare(s0, s1, alpha, TwoSided)
		require.NoError(t, err)
		r0, _ := Winsorize(arms[0], math.Inf(1))
		r1, _ := Winsorize(arms[1], math.Inf(1))
		raw, err := Compare(r0, r1, alpha, TwoSided)
		require.NoError(t, err)
		if w.PValue <= alpha {
			rej++
		}
		seRatio += w.SE / raw.SE
	}
	n := float64(reps)
	fpr := float64(rej) / n
	lo, hi := wilson(rej, reps)
	t.Logf("winsorised at the pooled 99th percentile, %d null runs of %d/arm: false-positive rate %.4f [%.4f, %.4f], mean SE ratio to raw %.3f",
		reps, perArm, fpr, lo, hi, seRatio/n)
	if math.Abs(fpr-alpha) > 0.015 {
		t.Errorf("false-positive rate %v, want %v ± 0.015", fpr, alpha)
	}
	if seRatio/n > 0.9 {
		t.Errorf("mean SE ratio %v, want a reduction of at least 10 %%", seRatio/n)
	}
}
