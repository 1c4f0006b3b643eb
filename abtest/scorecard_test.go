package abtest

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func scorecardMetrics(margin float64) []Metric {
	return []Metric{
		{Name: "orders per visitor", Role: Primary, Practical: 0.01},
		{Name: "revenue per visitor", Role: Guardrail, Margin: margin},
		{Name: "latency", Role: Guardrail, Margin: margin, LowerIsBetter: true},
		{Name: "refunds", Role: Guardrail, Margin: margin, LowerIsBetter: true},
		{Name: "sessions", Role: Guardrail, Margin: margin},
	}
}

// addDay adds n units with mean mu and standard deviation sd to s: the
// day's sum is drawn exactly (normal), its sum of squares at the true
// variance (a warehouse's aggregates of a large day).
func addDay(r *rand.Rand, s *Sample, n int64, mu, sd float64) {
	nf := float64(n)
	sum := nf*mu + math.Sqrt(nf)*sd*r.NormFloat64()
	s.N += n
	s.Sum += sum
	s.SumSquares += sum*sum/nf + (nf-1)*sd*sd
}

// simScorecard runs one experiment of days looks and reports whether any
// metric of any variant reached a wrong conclusion. lift[i] is the true
// relative lift of metric i in every variant.
func simScorecard(t testing.TB, r *rand.Rand, metrics []Metric, variants, days int, perDay int64, lift []float64) bool {
	sc, err := NewScorecard(metrics, variants, int64(days)*perDay, nil)
	require.NoError(t, err)
	arms := make([][]Sample, variants+1)
	for a := range arms {
		arms[a] = make([]Sample, len(metrics))
	}
	wrong := false
	for d := 1; d <= days; d++ {
		for a := range arms {
			for i := range metrics {
				mu := 10.0
				if a > 0 {
					mu *= 1 + lift[i]
				}
				addDay(r, &arms[a][i], perDay, mu, 20)
			}
		}
		rep, err := sc.Observe(d, arms)
		require.NoError(t, err)
		if d < days {
			continue
		}
		for _, v := range rep.Variants {
			for i, m := range v.Metrics {
				dir := 1.0
				if metrics[i].LowerIsBetter {
					dir = -1
				}
				l := dir * lift[i]
				switch m.Status {
				case MetricBetter:
					wrong = wrong || l <= 0
				case MetricWorse, MetricFailed:
					wrong = wrong || l >= 0
				case MetricPassed:
					wrong = wrong || l <= -metrics[i].Margin
				}
			}
		}
	}
	return wrong
}

// The family-wise false-positive rate over 5 metrics, every variant and
// 14 daily looks stays at alpha: with no effect anywhere, and with every
// guardrail exactly at its margin (where passing is the error).
func TestScorecardFamilyWise(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	runs := longRuns(300, 20000)
	tests := []struct {
		name     string
		variants int
		lift     []float64
	}{
		{"no effect, 1 variant", 1, []float64{0, 0, 0, 0, 0}},
		{"no effect, 3 variants", 3, []float64{0, 0, 0, 0, 0}},
		{"guardrails at the margin", 1, []float64{0, -0.02, 0.02, 0.02, -0.02}},
	}
	for k, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.variants > 1 && runs < 20000 {
				t.Skip("three variants: CRAFTKIT_LONG=1")
			}
			r := rand.New(rand.NewPCG(19, uint64(k)))
			wrong := 0
			for range runs {
				if simScorecard(t, r, scorecardMetrics(0.02), tt.variants, 14, 2000, tt.lift) {
					wrong++
				}
			}
			lo, hi := wilson(wrong, runs)
			t.Logf("%s: family-wise false-positive rate %.4f [%.4f, %.4f] over %d runs (alpha 0.05)", tt.name, float64(wrong)/float64(runs), lo, hi, runs)
			// Could fail: an uncorrected family (5 metrics at 0.05 each)
			// is wrong in about 0.2 of runs.
			if lo > 0.05 {
				t.Errorf("family-wise false-positive rate %.4f [%.4f, %.4f] above 0.05", float64(wrong)/float64(runs), lo, hi)
			}
		})
	}
}

// With real effects the scorecard ships a good variant and stops a
// harmful one.
func TestScorecardDecides(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	ms := scorecardMetrics(0.05)
	sc, err := NewScorecard(ms, 2, 28000, &ScorecardOptions{Alpha: 0.05})
	require.NoError(t, err)
	if got := sc.PairAlpha(); math.Abs(got-0.005) > 1e-15 {
		t.Errorf("PairAlpha() = %v, want 0.005", got)
	}
	arms := [][]Sample{make([]Sample, 5), make([]Sample, 5), make([]Sample, 5)}
	good := []float64{0.08, 0, 0, 0, 0}    // +8 % primary, guardrails flat
	bad := []float64{0.08, -0.10, 0, 0, 0} // revenue −10 %
	var rep ScorecardReport
	for d := 1; d <= 14; d++ {
		for i := range ms {
			addDay(r, &arms[0][i], 2000, 10, 20)
			addDay(r, &arms[1][i], 2000, 10*(1+good[i]), 20)
			addDay(r, &arms[2][i], 2000, 10*(1+bad[i]), 20)
		}
		rep, err = sc.Observe(d, arms)
		require.NoError(t, err)
	}
	if v := rep.Variants[0]; v.Verdict != VerdictShip {
		t.Errorf("good variant: verdict %q, want %q (%+v)", v.Verdict, VerdictShip, v.Metrics)
	}
	if v := rep.Variants[1]; v.Verdict != VerdictGuardrail || v.Metrics[1].Status != MetricFailed {
		t.Errorf("harmful variant: verdict %q, revenue %v, want %q, failed", v.Verdict, v.Metrics[1].Status, VerdictGuardrail)
	}
}

func TestScorecardErrors(t *testing.T) {
	ok := scorecardMetrics(0.01)
	tests := []struct {
		name     string
		metrics  []Metric
		variants int
		n        int64
		o        *ScorecardOptions
	}{
		{"no metrics", nil, 1, 100, nil},
		{"no primary", ok[1:], 1, 100, nil},
		{"two primaries", append([]Metric{{Name: "x", Role: Primary}}, ok...), 1, 100, nil},
		{"zero role", []Metric{{Name: "x"}}, 1, 100, nil},
		{"margin 1", []Metric{ok[0], {Role: Guardrail, Margin: 1}}, 1, 100, nil},
		{"NaN margin", []Metric{ok[0], {Role: Guardrail, Margin: math.NaN()}}, 1, 100, nil},
		{"primary margin", []Metric{{Role: Primary, Margin: 0.1}}, 1, 100, nil},
		{"negative practical", []Metric{{Role: Primary, Practical: -1}}, 1, 100, nil},
		{"no variants", ok, 0, 100, nil},
		{"targetN 1", ok, 1, 1, nil},
		{"alpha 1", ok, 1, 100, &ScorecardOptions{Alpha: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewScorecard(tt.metrics, tt.variants, tt.n, tt.o)
			if _, isArg := errors.AsType[*ArgError](err); !isArg {
				t.Errorf("NewScorecard = %v, want an *ArgError", err)
			}
		})
	}
	sc, err := NewScorecard(ok, 1, 1000, nil)
	require.NoError(t, err)
	good := [][]Sample{make([]Sample, 5), make([]Sample, 5)}
	for a := range good {
		for i := range good[a] {
			good[a][i] = Sample{N: 100, Sum: 100, SumSquares: 300}
		}
	}
	_, err = sc.Observe(1, good[:1])
	require.Error(t, err)
	bad := [][]Sample{good[0], append([]Sample(nil), good[1]...)}
	bad[1][2] = Sample{N: 10, Sum: 5, SumSquares: 0}
	_, err = sc.Observe(1, bad)
	require.ErrorIs(t, err, ErrSample)
	_, err = sc.Observe(1, good)
	require.NoError(t, err)
	_, err = sc.Observe(1, good)
	require.Error(t, err, "same day again")
	shrunk := [][]Sample{make([]Sample, 5), make([]Sample, 5)}
	for a := range shrunk {
		for i := range shrunk[a] {
			shrunk[a][i] = Sample{N: 50, Sum: 50, SumSquares: 150}
		}
	}
	_, err = sc.Observe(2, shrunk)
	require.ErrorIs(t, err, ErrInfo)
}

// BenchmarkScorecardObserve is one daily update of 5 metrics and one
// variant (two boundary integrations).
func BenchmarkScorecardObserve(b *testing.B) {
	b.ReportAllocs()
	r := rand.New(rand.NewPCG(1, 2))
	ms := scorecardMetrics(0.02)
	var days [][][]Sample
	arms := [][]Sample{make([]Sample, 5), make([]Sample, 5)}
	for range 28 {
		for a := range arms {
			for i := range ms {
				addDay(r, &arms[a][i], 2000, 10, 20)
			}
		}
		days = append(days, [][]Sample{append([]Sample(nil), arms[0]...), append([]Sample(nil), arms[1]...)})
	}
	var sc *Scorecard
	d := 0
	for b.Loop() {
		if d%28 == 0 {
			b.StopTimer()
			var err error
			sc, err = NewScorecard(ms, 1, 28*2000, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		if _, err := sc.Observe(d%28+1, days[d%28]); err != nil {
			b.Fatal(err)
		}
		d++
	}
}

// The scorecard's sample-ratio check flags unequal arms.
func TestScorecardSRM(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	ms := scorecardMetrics(0.05)
	sc, err := NewScorecard(ms, 1, 28000, nil)
	require.NoError(t, err)
	arms := [][]Sample{make([]Sample, 5), make([]Sample, 5)}
	var rep ScorecardReport
	for d := 1; d <= 7; d++ {
		for i := range ms {
			addDay(r, &arms[0][i], 2100, 10, 20)
			addDay(r, &arms[1][i], 1900, 10, 20)
		}
		rep, err = sc.Observe(d, arms)
		require.NoError(t, err)
	}
	if !rep.SRM.Mismatch || rep.SRM.Looks != 7 {
		t.Errorf("SRM = %+v, want a mismatch after 7 looks of 2100 against 1900", rep.SRM)
	}
	_, err = NewScorecard(ms, 1, 28000, &ScorecardOptions{Weights: []float64{1, 1, 1}})
	require.ErrorIs(t, err, ErrArgument)
}

// Ratio and CUPED metrics enter a Scorecard as arm estimates that agree
// with CompareRatio and CompareCUPED.
func TestScorecardMeans(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	var ratio, cuped [2]Joint
	for a := range 2 {
		for range 3000 {
			sessions := float64(1 + r.IntN(4))
			ratio[a].Add(sessions, sessions*(2+r.NormFloat64()))
			x := r.NormFloat64()
			cuped[a].Add(x, 1+0.7*x+0.7*r.NormFloat64()+0.05*float64(a))
		}
	}
	rc, err := RatioMean(ratio[0])
	require.NoError(t, err)
	rt, err := RatioMean(ratio[1])
	require.NoError(t, err)
	want, err := CompareRatio(ratio[0], ratio[1], 0.05, TwoSided)
	require.NoError(t, err)
	if d, se := rt.Mean-rc.Mean, math.Sqrt(rc.Var+rt.Var); math.Abs(d-want.Diff) > 1e-12 || math.Abs(se-want.SE) > 1e-12 {
		t.Errorf("RatioMean: diff %v se %v, CompareRatio %v %v", d, se, want.Diff, want.SE)
	}
	cm, err := CUPEDMeans(cuped[:])
	require.NoError(t, err)
	wc, err := CompareCUPED(cuped[0], cuped[1], 0.05, TwoSided)
	require.NoError(t, err)
	if d, se := cm[1].Mean-cm[0].Mean, math.Sqrt(cm[0].Var+cm[1].Var); math.Abs(d-wc.Diff) > 1e-12 || math.Abs(se-wc.SE) > 1e-12 {
		t.Errorf("CUPEDMeans: diff %v se %v, CompareCUPED %v %v", d, se, wc.Diff, wc.SE)
	}

	sc, err := NewScorecard([]Metric{{Name: "cuped", Role: Primary}, {Name: "revenue per session", Role: Guardrail, Margin: 0.05}}, 1, 6000, nil)
	require.NoError(t, err)
	rep, err := sc.ObserveMeans(1, []int64{3000, 3000}, [][]ArmMean{{cm[0], rc}, {cm[1], rt}})
	require.NoError(t, err)
	if got := rep.Variants[0].Metrics[0].Z; math.Abs(got-wc.Z) > 1e-9 {
		t.Errorf("primary Z = %v, CompareCUPED's %v", got, wc.Z)
	}
	for _, bad := range [][][]ArmMean{
		{{cm[0], rc}},
		{{cm[0], rc}, {cm[1]}},
		{{cm[0], rc}, {cm[1], {Mean: math.NaN()}}},
		{{cm[0], rc}, {cm[1], {Mean: 1, Var: -1}}},
	} {
		if _, err := sc.ObserveMeans(2, []int64{3000, 3000}, bad); err == nil {
			t.Errorf("ObserveMeans(%v) succeeded", bad)
		}
	}
	if _, err := sc.ObserveMeans(2, []int64{-1, 3000}, [][]ArmMean{{cm[0], rc}, {cm[1], rt}}); err == nil {
		t.Error("negative units accepted")
	}
	if _, err := CUPEDMeans(cuped[:1]); err == nil {
		t.Error("CUPEDMeans of one arm succeeded")
	}
	if _, err := RatioMean(Joint{N: 1, SumX: 1, SumY: 1, SumXX: 1, SumYY: 1, SumXY: 1}); !errors.Is(err, ErrNoData) {
		t.Errorf("RatioMean of one unit = %v, want ErrNoData", err)
	}
}
