package abtest

import (
	"errors"
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// evenDay draws the control count of a day with perDay units split by a
// fair coin each, exactly (a Binomial(perDay, 1/2) from random bits).
func evenDay(rng *rand.Rand, perDay int) int64 {
	n := 0
	for k := perDay; k > 0; k -= 64 {
		w := rng.Uint64()
		if k < 64 {
			w &= 1<<uint(k) - 1
		}
		n += bits.OnesCount64(w)
	}
	return int64(n)
}

// skewDay draws the control count of a day with share p by the normal
// approximation to Binomial(perDay, p) (exact enough at 40000 a day).
func skewDay(rng *rand.Rand, perDay int, p float64) int64 {
	n := float64(perDay)
	c := math.Round(n*p + math.Sqrt(n*p*(1-p))*rng.NormFloat64())
	return int64(math.Max(0, math.Min(n, c)))
}

// srmRuns runs experiments of 28 daily checks and returns how many the
// sequential test and a daily chi-square at the same level flag.
func srmRuns(t *testing.T, runs, perDay int, alpha float64, day func(*rand.Rand) int64, seed uint64) (seq, naive int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 8))
	counts := make([]int64, 2)
	for range runs {
		s, err := NewSequentialSRM([]float64{1, 1}, &SRMOptions{Alpha: alpha})
		require.NoError(t, err)
		counts[0], counts[1] = 0, 0
		var seqHit, naiveHit bool
		for range 28 {
			c := day(rng)
			counts[0] += c
			counts[1] += int64(perDay) - c
			r, err := s.Check(counts)
			require.NoError(t, err)
			seqHit = seqHit || r.Mismatch
			if _, p, _ := SampleRatio(counts, nil); p < alpha {
				naiveHit = true
			}
		}
		if seqHit {
			seq++
		}
		if naiveHit {
			naive++
		}
	}
	return seq, naive
}

// wilson returns the 95 % Wilson interval of k successes in n.
func wilson(k, n int) (lo, hi float64) {
	const z = 1.959963984540054
	p, nf := float64(k)/float64(n), float64(n)
	c := (p + z*z/(2*nf)) / (1 + z*z/nf)
	h := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / (1 + z*z/nf)
	return c - h, c + h
}

// Healthy traffic, 20000 units per arm per day (exact fair coin per unit),
// checked daily for 28 days: the sequential test keeps its false-alarm
// level where a daily chi-square does not.
func TestSequentialSRMFalseAlarms(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	runs := longRuns(2000, 20000)
	const perDay = 40000
	for _, alpha := range []float64{SRMThreshold, 0.05} {
		seq, naive := srmRuns(t, runs, perDay, alpha, func(r *rand.Rand) int64 { return evenDay(r, perDay) }, 28)
		lo, hi := wilson(seq, runs)
		t.Logf("alpha %v, %d healthy runs x 28 daily checks: sequential false alarms %.4f [%.4f, %.4f], daily chi-square %.4f",
			alpha, runs, float64(seq)/float64(runs), lo, hi, float64(naive)/float64(runs))
		// Could fail: an invalid test (like the daily chi-square) exceeds
		// alpha by several standard errors.
		limit := alpha + 3*math.Sqrt(alpha*(1-alpha)/float64(runs))
		if float64(seq)/float64(runs) > limit {
			t.Errorf("alpha %v: false-alarm rate %v above %v", alpha, float64(seq)/float64(runs), limit)
		}
	}
}

// A 1 % imbalance (20100 against 19900 a day, shares 0.5025/0.4975) at
// 20000 units per arm per day is flagged within 28 days.
func TestSequentialSRMPower(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	runs := longRuns(2000, 20000)
	const perDay = 40000
	for _, p := range []float64{0.5025, 0.505} {
		seq, naive := srmRuns(t, runs, perDay, SRMThreshold, func(r *rand.Rand) int64 { return skewDay(r, perDay, p) }, 29)
		lo, hi := wilson(seq, runs)
		t.Logf("control share %v, %d runs: sequential power %.4f [%.4f, %.4f] within 28 days (daily chi-square %.4f)",
			p, runs, float64(seq)/float64(runs), lo, hi, float64(naive)/float64(runs))
		if float64(seq)/float64(runs) < 0.8 {
			t.Errorf("share %v: power %v, want >= 0.8", p, float64(seq)/float64(runs))
		}
	}
}

func TestSequentialSRMErrors(t *testing.T) {
	for _, tt := range []struct {
		name     string
		weights  []float64
		o        *SRMOptions
		sentinel error
	}{
		{"one arm", []float64{1}, nil, ErrArgument},
		{"zero weight", []float64{1, 0}, nil, ErrArgument},
		{"NaN weight", []float64{1, math.NaN()}, nil, ErrArgument},
		{"alpha", []float64{1, 1}, &SRMOptions{Alpha: 2}, ErrAlpha},
		{"concentration", []float64{1, 1}, &SRMOptions{Concentration: -1}, ErrArgument},
		{"too many arms", make([]float64, 1001), nil, ErrArgument},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewSequentialSRM(tt.weights, tt.o); !errors.Is(err, tt.sentinel) {
				t.Errorf("NewSequentialSRM error = %v, want %v", err, tt.sentinel)
			}
		})
	}
	s, err := NewSequentialSRM([]float64{1, 1}, nil)
	require.NoError(t, err)
	_, err = s.Check([]int64{100, 90})
	require.NoError(t, err)
	for _, tt := range []struct {
		counts   []int64
		sentinel error
	}{{[]int64{1}, ErrArgument}, {[]int64{-1, 100}, ErrArgument}, {[]int64{99, 100}, ErrSample}} {
		if _, err := s.Check(tt.counts); !errors.Is(err, tt.sentinel) {
			t.Errorf("Check(%v) error = %v, want %v", tt.counts, err, tt.sentinel)
		}
	}
	r, err := s.Check([]int64{100, 90})
	require.NoError(t, err)
	if r.Looks != 2 {
		t.Errorf("Looks = %d after refused checks, want 2", r.Looks)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = s.Check([]int64{100, 90}) }); n != 0 {
		t.Errorf("Check allocs = %v, want 0", n)
	}
}

// The Bayes factor matches the Beta-binomial closed form for two arms,
// and the p-value is the reciprocal of its running maximum.
func TestSequentialSRMKnown(t *testing.T) {
	s, err := NewSequentialSRM([]float64{1, 1}, &SRMOptions{Concentration: 2})
	require.NoError(t, err)
	// Dirichlet(1, 1) = uniform prior: marginal of a given sequence with
	// k of n in arm 0 is k!(n−k)!/(n+1)!, against 2^−n.
	r, err := s.Check([]int64{7, 3})
	require.NoError(t, err)
	want := math.Log(5040.0 * 6 / 39916800 * 1024)
	if math.Abs(r.LogBayesFactor-want) > 1e-12 {
		t.Errorf("LogBayesFactor = %v, want %v", r.LogBayesFactor, want)
	}
	if math.Abs(r.PValue-math.Min(1, math.Exp(-want))) > 1e-12 {
		t.Errorf("PValue = %v, want %v", r.PValue, math.Exp(-want))
	}
	r2, err := s.Check([]int64{8, 8})
	require.NoError(t, err)
	if r2.PValue > r.PValue {
		t.Errorf("PValue rose from %v to %v", r.PValue, r2.PValue)
	}
}
