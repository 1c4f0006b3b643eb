package abtest

import (
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Looks closer than MinSpacing used to refine the integration grid
// without bound (1 ulp apart: a 37 GB allocation and a fatal out-of-memory
// error). They are now refused with an error naming both looks.
func TestCloseLooksRefused(t *testing.T) {
	half := math.Nextafter(0.5, 1)
	tests := []struct {
		name string
		info []float64
		want string // substring naming the two looks
	}{
		{"1e-10 apart", []float64{0.5, 0.5 + 1e-10, 1}, "info[1] = 0.5000000001"},
		{"1 ulp apart", []float64{0.5, half, 1}, "info[1] = 0.5000000000000001"},
		{"last two", []float64{0.2, 1 - 1e-7, 1}, "info[2] = 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Boundaries(tt.info, 0.05, TwoSided, OBrienFlemingSpending)
			if !errors.Is(err, ErrInfo) {
				t.Fatalf("Boundaries(%v) error = %v, want ErrInfo", tt.info, err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.want) || strings.Count(msg, "info[") != 2 {
				t.Errorf("Boundaries(%v) error = %q, want both looks named (%q)", tt.info, msg, tt.want)
			}
			_, err = SpendingDesign{Alpha: 0.05}.Thresholds(tt.info)
			if !errors.Is(err, ErrInfo) {
				t.Errorf("SpendingDesign.Thresholds(%v) error = %v, want ErrInfo", tt.info, err)
			}
			g, err := NewGroupSequential(0.05, TwoSided, PocockSpending)
			require.NoError(t, err)
			for i, x := range tt.info {
				_, perr := g.Peek(x)
				_, aerr := g.Append(x)
				if i == 0 || tt.info[i]-tt.info[i-1] >= MinSpacing {
					require.NoError(t, aerr)
					continue
				}
				if !errors.Is(perr, ErrInfo) || !errors.Is(aerr, ErrInfo) {
					t.Fatalf("Peek/Append(%v) after %v: errors %v, %v, want ErrInfo", x, tt.info[i-1], perr, aerr)
				}
				if !strings.Contains(aerr.Error(), "previous look") {
					t.Errorf("Append error %q does not name the previous look", aerr)
				}
				break
			}
			b := make([]float64, len(tt.info))
			for i := range b {
				b[i] = 3
			}
			if _, err := AdjustEstimate(tt.info, b, TwoSided, 0, 3.5, 0.01, 0.05); !errors.Is(err, ErrInfo) {
				t.Errorf("AdjustEstimate(%v) error = %v, want ErrInfo", tt.info, err)
			}
		})
	}
	// Exactly MinSpacing apart (up to rounding) is accepted: the 10000
	// equally spaced looks of ThresholdCurve.
	if !testing.Short() {
		if _, err := ThresholdCurve(SpendingDesign{Alpha: 0.05}, maxLooks); err != nil {
			t.Errorf("ThresholdCurve(%d looks) error = %v", maxLooks, err)
		}
	}
}

// The integration grid never holds more than maxGrid points, whatever the
// spacing of the looks, and memory stays bounded on the worst schedule the
// spacing rule allows: looks MinSpacing apart alternating with large steps.
func TestIntegrationBounded(t *testing.T) {
	var info []float64
	for x := 0.05; x+MinSpacing <= 1; x += 0.1 {
		info = append(info, x, x+MinSpacing)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b, err := Boundaries(info, 0.05, TwoSided, PocockSpending)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	for i, c := range b {
		if math.IsNaN(c) || c <= 0 {
			t.Fatalf("Boundaries look %d = %v", i, c)
		}
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
		t.Errorf("Boundaries on %d alternating looks allocated %d bytes, want ≤ 8 MiB", len(info), got)
	}
	// The grid cap holds even for a hostile spacing passed internally.
	var src, dst grid
	src.setPoint(0)
	convolve(&dst, -10, 10, 1e-12, &src, 1, 0, false)
	if dst.n() > maxGrid+1 {
		t.Errorf("convolve grid = %d points, want ≤ %d", dst.n(), maxGrid+1)
	}
}

// A Monitor merges a look whose information grew by less than MinSpacing
// into the previous one instead of failing.
func TestMonitorMergesCloseLooks(t *testing.T) {
	m, err := NewMonitor(100_000_000, &MonitorOptions{MinDays: 1, BurnIn: 2})
	require.NoError(t, err)
	r1, err := m.Observe(1, Conversions(10_000, 1000), Conversions(10_000, 1010))
	require.NoError(t, err)
	r2, err := m.Observe(2, Conversions(10_001, 1000), Conversions(10_001, 1010))
	require.NoError(t, err)
	assert.Equal(t, 1, m.Design().Len(), "looks kept")
	assert.Equal(t, r1.Threshold, r2.Threshold)
}

// Impossible sufficient statistics are refused with an error naming the arm
// and the value, by every consumer.
func TestImpossibleSamplesRefused(t *testing.T) {
	good := Conversions(1000, 100)
	tests := []struct {
		name string
		s    Sample
		want string
	}{
		{"more conversions than units", Conversions(10, 20), "20 conversions out of 10 units"},
		{"negative conversions", Conversions(10, -3), "-3 conversions"},
		{"negative units", Conversions(-10, 0), "N = -10"},
		{"sum of squares too small", Sample{N: 10, Sum: 50, SumSquares: 100}, "SumSquares = 100"},
		{"empty arm with a sum", Sample{N: 0, Sum: 1, SumSquares: 1}, "N = 0"},
		{"NaN sum", Sample{N: 10, Sum: math.NaN(), SumSquares: 1}, "Sum = NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check := func(call string, err error, arm string) {
				t.Helper()
				if !errors.Is(err, ErrSample) && !errors.Is(err, ErrArgument) {
					t.Errorf("%s error = %v, want ErrSample or ErrArgument", call, err)
					return
				}
				msg := err.Error()
				if !strings.Contains(msg, arm) || !strings.Contains(msg, tt.want) || strings.Count(msg, "abtest:") != 1 {
					t.Errorf("%s error = %q, want one prefix, %q and %q", call, msg, arm, tt.want)
				}
			}
			_, err := Compare(good, tt.s, 0.05, TwoSided)
			check("Compare", err, "treatment")
			_, err = Compare(tt.s, good, 0.05, TwoSided)
			check("Compare", err, "control")
			_, err = CompareAll(good, []Sample{good, tt.s}, 0.05, TwoSided, Holm)
			check("CompareAll", err, "variants[1]")
			_, err = MSPRT{Alpha: 0.05}.Evaluate(good, tt.s)
			check("MSPRT.Evaluate", err, "treatment")
			m, err := NewMonitor(2000, &MonitorOptions{MinDays: 1, BurnIn: 2})
			require.NoError(t, err)
			_, err = m.Observe(1, good, tt.s)
			check("Monitor.Observe", err, "treatment")
		})
	}
	// Rounding in a sum of squares of real data is not refused.
	var s Sample
	for range 1000 {
		s.N++
		s.Sum += 0.1
		s.SumSquares += 0.1 * 0.1
	}
	require.NoError(t, s.Validate())
	assert.InDelta(t, 0, s.Variance(), 1e-15)
}

// One non-finite result used to poison an AlwaysValid for good.
func TestAlwaysValidRefusesNonFinite(t *testing.T) {
	var av AlwaysValid
	require.NoError(t, av.Add(MSPRTResult{PValue: 0.5, Low: -1, High: 1}))
	for _, bad := range []MSPRTResult{
		{PValue: math.NaN(), Low: -1, High: 1},
		{PValue: 0.1, Low: math.NaN(), High: 1},
		{PValue: 0.1, Low: -1, High: math.NaN()},
		{PValue: -0.1, Low: -1, High: 1},
		{PValue: 1.5, Low: -1, High: 1},
		{PValue: 0.1, Low: 2, High: 1},
	} {
		err := av.Add(bad)
		if !errors.Is(err, ErrArgument) {
			t.Errorf("Add(%+v) error = %v, want ErrArgument", bad, err)
		}
	}
	assert.Equal(t, AlwaysValid{PValue: 0.5, Low: -1, High: 1, Looks: 1}, av)
	require.NoError(t, av.Add(MSPRTResult{PValue: 0.2, Low: -0.5, High: 2}))
	assert.Equal(t, AlwaysValid{PValue: 0.2, Low: -0.5, High: 1, Looks: 2}, av)
}

// Decide used to declare a winner after the conversion cap N was passed.
func TestMillerDecideAfterCap(t *testing.T) {
	p, err := PlanMiller(0.4, 0.05, 0.8) // N = 243, D = 31
	require.NoError(t, err)
	tests := []struct {
		c, t int
		want MillerDecision
	}{
		{0, 31, MillerTreatmentWins},
		{106, 137, MillerTreatmentWins}, // T+C = N, T−C = D: the last step still counts
		{107, 136, MillerNoWinner},      // T+C = N without crossing D
		{0, 244, MillerNoWinner},        // past the cap: the test ended at N
		{100, 200, MillerNoWinner},      // T−C = 100 ≥ D but T+C = 300 > N
		{10, 20, MillerContinue},
	}
	for _, tt := range tests {
		if got := p.Decide(tt.c, tt.t); got != tt.want {
			t.Errorf("Decide(%d, %d) = %v, want %v", tt.c, tt.t, got, tt.want)
		}
	}
	if got := (MillerPlan{}).Decide(0, 0); got == MillerTreatmentWins {
		t.Errorf("zero plan Decide(0, 0) = %v", got)
	}
	// MillerRule agrees with Decide on every state up to the cap.
	rule := MillerRule(p)
	for c := 0; c <= p.N+5; c++ {
		for tr := 0; tr <= p.N+5; tr++ {
			if rule(c+tr, c, tr) != (p.Decide(c, tr) == MillerTreatmentWins) {
				t.Fatalf("MillerRule(%d, %d) disagrees with Decide", c, tr)
			}
		}
	}
}

// Errors name what the caller passed, with one prefix.
func TestErrorsNameTheCallersArgument(t *testing.T) {
	tests := []struct {
		name string
		err  func() error
		want string
	}{
		{"Boundaries nil spend", func() error {
			_, err := Boundaries([]float64{0.5, 1}, 0.05, TwoSided, nil)
			return err
		}, "abtest: Boundaries: spending function is nil"},
		{"NewGroupSequential nil spend", func() error {
			_, err := NewGroupSequential(0.05, TwoSided, nil)
			return err
		}, "abtest: NewGroupSequential: spending function is nil"},
		{"Boundaries NaN spend", func() error {
			_, err := Boundaries([]float64{0.5, 1}, 0.05, TwoSided, PowerSpending(-1))
			return err
		}, "abtest: Boundaries: spend(info[0] = 0.5) = NaN: invalid spending function value"},
		{"ThresholdCurve nil design", func() error {
			_, err := ThresholdCurve(nil, 5)
			return err
		}, "abtest: ThresholdCurve: design is nil"},
		{"AuditConversion nil rule", func() error {
			_, err := AuditConversion(0.5, 5, nil)
			return err
		}, "abtest: AuditConversion: rule is nil"},
		{"DesignRule nil design", func() error {
			_, err := DesignRule(nil, 5, TwoSided)
			return err
		}, "abtest: DesignRule: design is nil"},
		{"NewMonitor without a target", func() error {
			_, err := NewMonitor(0, nil)
			return err
		}, "abtest: NewMonitor: targetN = 0: invalid argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err()
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

// Functions that integrate over a whole design many times refuse designs
// of more than maxRepeatedLooks looks instead of running for minutes.
func TestRepeatedIntegrationBounded(t *testing.T) {
	k := maxRepeatedLooks + 1
	if _, err := PocockConstant(k, 0.05); !errors.Is(err, ErrTooLarge) {
		t.Errorf("PocockConstant(%d) error = %v, want ErrTooLarge", k, err)
	}
	if _, err := OBrienFlemingConstant(k, 0.05); !errors.Is(err, ErrTooLarge) {
		t.Errorf("OBrienFlemingConstant(%d) error = %v, want ErrTooLarge", k, err)
	}
	info := equalFractions(k)
	b := make([]float64, k)
	for i := range b {
		b[i] = 3
	}
	if _, err := AdjustEstimate(info, b, TwoSided, 0, 3.5, 0.01, 0.05); !errors.Is(err, ErrTooLarge) {
		t.Errorf("AdjustEstimate(%d looks) error = %v, want ErrTooLarge", k, err)
	}
	// A design that long is built cheaply but refuses Inflation.
	g := &GroupSequential{alpha: 0.05, sides: TwoSided, spend: PocockSpending, info: info, bounds: b}
	if _, _, err := g.Inflation(0.8); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Inflation(%d looks) error = %v, want ErrTooLarge", k, err)
	}
}

// PlanMillerSplit's search spends a bounded number of cell updates.
func TestMillerSplitBudget(t *testing.T) {
	w := millerWalk{spent: millerSplitBudget - 1000}
	if _, _, _, err := w.run(20, 1, 0.5, 0.55, 0.05, 0.8); !errors.Is(err, ErrTooLarge) {
		t.Errorf("run with 1000 cell updates left: error = %v, want ErrTooLarge", err)
	}
	w = millerWalk{}
	n, _, _, err := w.run(21, 0.3/0.7, 0.3, 0.3*1.4/(0.3*1.4+0.7), 0.05, 0.8)
	require.NoError(t, err)
	assert.Positive(t, n)
	assert.Positive(t, w.spent)
}

// AuditConversion keeps only the band of counts holding probability: it
// matches the full-matrix computation and its memory follows the band,
// not pairs².
func TestAuditWindow(t *testing.T) {
	naive, err := DesignRule(Naive{Alpha: 0.1}, 400, TwoSided)
	require.NoError(t, err)
	seq, err := DesignRule(SpendingDesign{Alpha: 0.05, Sides: OneSided}, 300, OneSided)
	require.NoError(t, err)
	plan, err := PlanMiller(0.4, 0.05, 0.8)
	require.NoError(t, err)
	never := func(n, c, t int) bool { return false }
	tests := []struct {
		name  string
		p     float64
		pairs int
		rule  Rule
	}{
		{"naive p=0.5", 0.5, 400, naive},
		{"naive p=0.02", 0.02, 400, naive},
		{"spending p=0.3", 0.3, 300, seq},
		{"miller p=0.1", 0.1, 700, MillerRule(plan)},
		{"never p=0.9", 0.9, 350, never},
		{"one pair", 0.5, 1, naive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AuditConversion(tt.p, tt.pairs, tt.rule)
			require.NoError(t, err)
			if want := auditFull(tt.p, tt.pairs, tt.rule); got != want {
				t.Errorf("AuditConversion(%v, %d) = %v, full matrix %v", tt.p, tt.pairs, got, want)
			}
		})
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = AuditConversion(0.01, 3000, never)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	if got := after.TotalAlloc - before.TotalAlloc; got > 2<<20 {
		t.Errorf("AuditConversion(0.01, 3000) allocated %d bytes, want ≤ 2 MiB (the full matrix is %d)", got, 8*3001*3001)
	}
}

// A huge mSPRT Effect used to give NaN thresholds and p-values (found by
// FuzzDesigns); extreme but valid samples give finite results.
func TestMSPRTExtremes(t *testing.T) {
	for _, e := range []float64{1e300, 1001, math.Inf(1), math.NaN(), -1} {
		m := MSPRT{Alpha: 0.5, Effect: e, Horizon: math.MaxInt64}
		if _, err := m.Thresholds([]float64{0.5, 1}); !errors.Is(err, ErrArgument) {
			t.Errorf("Effect %v: Thresholds error = %v, want ErrArgument", e, err)
		}
		if _, err := m.Evaluate(Conversions(1000, 100), Conversions(1000, 120)); !errors.Is(err, ErrArgument) {
			t.Errorf("Effect %v: Evaluate error = %v, want ErrArgument", e, err)
		}
	}
	th, err := MSPRT{Alpha: 0.5, Effect: 1000, Horizon: math.MaxInt64}.Thresholds([]float64{0.5, 1})
	require.NoError(t, err)
	for _, v := range th {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("Thresholds = %v", th)
		}
	}
	big := Sample{N: 200, Sum: 1e152, SumSquares: 1e306}
	for _, m := range []MSPRT{{Alpha: 0.05}, {Alpha: 0.05, Effect: 1000}, {Alpha: 1e-300, Effect: 1e-9}} {
		r, err := m.Evaluate(Conversions(1000, 100), big)
		require.NoError(t, err)
		if !finite(r.PValue, r.Low, r.High) {
			t.Errorf("%+v.Evaluate = %+v, want finite", m, r)
		}
	}
}

// PlanMillerSplit's galloping search over thresholds finds the plans the
// one-by-one scan found, with far fewer runs.
func TestMillerSplitSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("slow reference scan")
	}
	for _, share := range []float64{0.1, 0.3, 0.7, 0.9266666666666787} {
		for _, c := range [][3]float64{{0.2, 0.05, 0.8}, {0.4, 0.01, 0.9}, {0.3, 1.1e-4, 0.8}, {0.2, 0.00011111111111111112, 0.8}, {0.6, 0.2, 0.5}} {
			got, err := PlanMillerSplit(c[0], c[1], c[2], share)
			want, werr := planMiller("PlanMillerSplit", c[0], c[1], c[2], share, millerLinear)
			if (err == nil) != (werr == nil) || got != want {
				t.Errorf("PlanMillerSplit(%v, %v) = %+v, %v; scan %+v, %v", c, share, got, err, want, werr)
			}
		}
	}
}
