package abtest

import (
	"errors"
	"math"
	"testing"
)

// FuzzMonitorObserve feeds arbitrary sufficient statistics to a Monitor:
// it must never panic and user-facing fields must be finite.
func FuzzMonitorObserve(f *testing.F) {
	f.Add(int64(20000), int64(2000), int64(20000), int64(2200), 8, int64(20000), false)
	f.Add(int64(0), int64(0), int64(0), int64(0), 1, int64(2), false)
	f.Add(int64(100), int64(100), int64(100), int64(0), 9, int64(100), true)
	f.Add(int64(10600), int64(1000), int64(9400), int64(1000), 8, int64(20000), false)
	f.Add(int64(100), int64(10), int64(100), int64(30), 1, int64(10_000_000), false)
	f.Fuzz(func(t *testing.T, nc, xc, nt, xt int64, day int, target int64, lower bool) {
		m, err := NewMonitor(target, &MonitorOptions{LowerIsBetter: lower, MinDays: 1, BurnIn: 2})
		if err != nil {
			return
		}
		for _, d := range []int{day, day + 1} {
			r, err := m.Observe(d, Conversions(nc, xc), Conversions(nt, xt))
			if err != nil {
				return
			}
			checkReport(t, r)
		}
	})
}

// FuzzCompare checks that Compare never panics and returns finite
// numbers whenever it succeeds.
func FuzzCompare(f *testing.F) {
	f.Add(int64(10000), 1000.0, 1000.0, int64(10000), 1100.0, 1100.0)
	f.Add(int64(2), 0.0, 0.0, int64(2), 1.0, 1.0)
	f.Add(int64(10), 55.0, 385.0, int64(10), 65.0, 505.0)
	f.Fuzz(func(t *testing.T, nc int64, sc, qc float64, nt int64, st, qt float64) {
		r, err := Compare(Sample{nc, sc, qc}, Sample{nt, st, qt}, 0.05, TwoSided)
		if err != nil {
			return
		}
		for _, v := range []float64{r.Diff, r.DiffLow, r.DiffHigh, r.Lift, r.LiftLow, r.LiftHigh, r.SE, r.Z, r.PValue} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("Compare = %+v", r)
			}
		}
	})
}

// FuzzBoundaries checks that Boundaries never panics or returns NaN.
func FuzzBoundaries(f *testing.F) {
	f.Add(0.3, 0.7, 1.0, 0.05, true, uint8(0), 1.0)
	f.Add(0.001, 0.002, 0.5, 0.01, false, uint8(2), 3.0)
	f.Add(0.5, 0.5, 1.0, 0.05, true, uint8(3), -4.0)
	f.Fuzz(func(t *testing.T, a, b, c, alpha float64, two bool, kind uint8, par float64) {
		sides := OneSided
		if two {
			sides = TwoSided
		}
		spend := []SpendingFunc{OBrienFlemingSpending, PocockSpending, PowerSpending(par), HwangShihDeCaniSpending(par)}[kind%4]
		got, err := Boundaries([]float64{a, b, c}, alpha, sides, spend)
		if err != nil {
			return
		}
		if b-a < MinSpacing*(1-1e-9) || c-b < MinSpacing*(1-1e-9) {
			t.Fatalf("Boundaries accepted looks %v closer than MinSpacing", []float64{a, b, c})
		}
		for _, x := range got {
			if math.IsNaN(x) {
				t.Fatalf("Boundaries = %v", got)
			}
		}
	})
}

// FuzzPlanning feeds arbitrary rates, levels and sizes to the planning
// functions: they must never panic and must return finite, positive
// numbers (power in [0, 1]) whenever they succeed.
func FuzzPlanning(f *testing.F) {
	f.Add(0.5, 0.75, 0.05, 0.9, 15000.0, 1.0, false, false)
	f.Add(0.10, 0.11, 0.05, 0.8, 15000.0, 3.0, true, true)
	f.Add(0.3, 0.3, 0.05, 0.8, 1.0, 0.0, false, false)
	f.Add(1e-300, 0.5, 1e-9, 0.999, 1e300, 1e-6, false, true)
	f.Fuzz(func(t *testing.T, p1, p2, alpha, power, n, ratio float64, unpooled, one bool) {
		sides := TwoSided
		if one {
			sides = OneSided
		}
		if got, err := SampleSize(p1, p2, alpha, power); err == nil && !(got > 0 && finite(got)) {
			t.Fatalf("SampleSize(%v, %v, %v, %v) = %v", p1, p2, alpha, power, got)
		}
		o := &SizeOptions{Sides: sides, Ratio: ratio, Unpooled: unpooled}
		if n1, n2, err := SampleSizes(p1, p2, alpha, power, o); err == nil && !(n1 > 0 && n2 > 0 && finite(n1, n2)) {
			t.Fatalf("SampleSizes(%v, %v, %v, %v, %+v) = %v, %v", p1, p2, alpha, power, o, n1, n2)
		}
		if got, err := Power(p1, p2, n, alpha); err == nil && !(got >= 0 && got <= 1) {
			t.Fatalf("Power(%v, %v, %v, %v) = %v", p1, p2, n, alpha, got)
		}
		if got, err := MDE(p1, n, alpha, power); err == nil && !(got > 0 && got < 1) {
			t.Fatalf("MDE(%v, %v, %v, %v) = %v", p1, n, alpha, power, got)
		}
		if got, err := Adjust([]float64{p1, p2, alpha, power}, Correction(int(ratio)%4)); err == nil {
			for _, v := range got {
				if !(v >= 0 && v <= 1) {
					t.Fatalf("Adjust = %v", got)
				}
			}
		}
	})
}

// FuzzGroupSequential appends arbitrary fractions to a design: it must
// never panic, hang or return NaN; accepted looks are increasing, at most
// 1 and at least MinSpacing apart; Peek agrees with Append.
func FuzzGroupSequential(f *testing.F) {
	f.Add(0.25, 0.5, 0.75, 1.0, 0.05, true, uint8(0), 2.0)
	f.Add(0.5, math.Nextafter(0.5, 1), 0.9, 1.0, 0.05, true, uint8(1), 1.0)
	f.Add(1e-300, 1e-4, 0.5, 1.0, 0.01, false, uint8(2), 3.0)
	f.Add(0.1, 0.1001, 0.9, 0.9001, 0.05, false, uint8(3), -4.0)
	f.Fuzz(func(t *testing.T, a, b, c, d, alpha float64, two bool, kind uint8, par float64) {
		sides := OneSided
		if two {
			sides = TwoSided
		}
		spend := []SpendingFunc{OBrienFlemingSpending, PocockSpending, PowerSpending(par), HwangShihDeCaniSpending(par)}[kind%4]
		g, err := NewGroupSequential(alpha, sides, spend)
		if err != nil {
			return
		}
		for _, x := range []float64{a, b, c, d} {
			p, perr := g.Peek(x)
			got, err := g.Append(x)
			if (err == nil) != (perr == nil) || err == nil && p != got && !(math.IsNaN(p) && math.IsNaN(got)) {
				t.Fatalf("Peek(%v) = %v, %v but Append = %v, %v", x, p, perr, got, err)
			}
			if err != nil {
				continue
			}
			if math.IsNaN(got) || got <= 0 && sides == TwoSided {
				t.Fatalf("Append(%v) = %v", x, got)
			}
		}
		info := g.Info()
		for i := 1; i < len(info); i++ {
			if info[i]-info[i-1] < MinSpacing*(1-1e-9) || info[i] > 1 {
				t.Fatalf("looks %v accepted", info)
			}
		}
	})
}

// FuzzSample feeds arbitrary sufficient statistics to the functions that
// take them: impossible samples are refused by every one, possible ones
// give finite results, and an AlwaysValid never holds NaN.
func FuzzSample(f *testing.F) {
	f.Add(int64(1000), 100.0, 100.0, int64(1000), 120.0, 120.0)
	f.Add(int64(10), 20.0, 20.0, int64(10), 1.0, 1.0)
	f.Add(int64(10), 50.0, 100.0, int64(10), 55.0, 385.0)
	f.Add(int64(0), 1.0, 1.0, int64(5), -3.0, -3.0)
	f.Add(int64(200), 20.0, math.NaN(), int64(200), math.Inf(1), 1.0)
	f.Fuzz(func(t *testing.T, nc int64, sc, qc float64, nt int64, st, qt float64) {
		c, tr := Sample{nc, sc, qc}, Sample{nt, st, qt}
		bad := c.Validate() != nil || tr.Validate() != nil
		if c.Validate() == nil && c.Variance() < 0 {
			t.Fatalf("Variance(%+v) = %v", c, c.Variance())
		}
		_, cerr := Compare(c, tr, 0.05, TwoSided)
		_, aerr := CompareAll(c, []Sample{tr}, 0.05, TwoSided, Holm)
		r, merr := MSPRT{Alpha: 0.05}.Evaluate(c, tr)
		for name, err := range map[string]error{"Compare": cerr, "CompareAll": aerr, "MSPRT.Evaluate": merr} {
			if bad && (err == nil || errors.Is(err, ErrNoData)) {
				t.Fatalf("%s(%+v, %+v) accepted an impossible sample: %v", name, c, tr, err)
			}
		}
		var av AlwaysValid
		if err := av.Add(r); merr == nil && err != nil {
			t.Fatalf("AlwaysValid.Add(%+v) = %v for a valid evaluation", r, err)
		}
		if math.IsNaN(av.PValue) || math.IsNaN(av.Low) || math.IsNaN(av.High) {
			t.Fatalf("AlwaysValid = %+v after Add(%+v)", av, r)
		}
		m, err := NewMonitor(1000, &MonitorOptions{MinDays: 1, BurnIn: 2})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := m.Observe(1, c, tr)
		if bad && err == nil {
			t.Fatalf("Monitor.Observe(%+v, %+v) = %+v, want an error", c, tr, rep)
		}
		if err == nil {
			checkReport(t, rep)
		}
	})
}

// FuzzAdjustEstimate feeds arbitrary stopping statistics to AdjustEstimate
// on a fixed five-look design: no panic, finite results when it succeeds,
// and the interval holds the adjusted estimate.
func FuzzAdjustEstimate(f *testing.F) {
	f.Add(1, 3.5, 0.01, 0.05, true)
	f.Add(4, -2.1, 1e-300, 0.5, true)
	f.Add(0, 40.0, 1e300, 1e-9, false)
	f.Add(-1, math.NaN(), 1.0, 0.05, false)
	info, bounds := fiveLookBounds(f)
	f.Fuzz(func(t *testing.T, look int, z, se, alpha float64, two bool) {
		sides := OneSided
		if two {
			sides = TwoSided
		}
		h, err := AdjustEstimate(info, bounds[two], sides, look, z, se, alpha)
		if err != nil {
			return
		}
		if !finite(h.Raw, h.Adjusted, h.Ratio, h.Low, h.High) || h.Low > h.High {
			t.Fatalf("AdjustEstimate(look %d, z %v, se %v, alpha %v, %v) = %+v", look, z, se, alpha, sides, h)
		}
	})
}

// fiveLookBounds returns the information fractions of the five-look
// design the estimate fuzzers stop in and its O'Brien-Fleming boundaries
// for alpha 0.05, one-sided (bounds[false]) and two-sided (bounds[true]).
func fiveLookBounds(f *testing.F) (info []float64, bounds map[bool][]float64) {
	f.Helper()
	info = []float64{0.2, 0.4, 0.6, 0.8, 1}
	bounds = map[bool][]float64{}
	for _, two := range []bool{false, true} {
		sides := OneSided
		if two {
			sides = TwoSided
		}
		b, err := Boundaries(info, 0.05, sides, OBrienFlemingSpending)
		if err != nil {
			f.Fatal(err)
		}
		bounds[two] = b
	}
	return info, bounds
}

// FuzzDesigns evaluates the cheap designs and threshold curves with
// arbitrary parameters: no panic, thresholds in [0, 1].
func FuzzDesigns(f *testing.F) {
	f.Add(0.05, 0.1, int64(100), int64(1000), 243, 31, 1.0, 20)
	f.Add(1e-300, 0.0, int64(0), int64(1), 1, 1, 0.0, 1)
	f.Add(0.5, 1e300, int64(-1), int64(math.MaxInt64), math.MaxInt, math.MinInt, math.Inf(1), 10001)
	f.Fuzz(func(t *testing.T, alpha, effect float64, burn, horizon int64, n, d int, ratio float64, points int) {
		fr := []float64{0.25, 0.5, 0.75, 1}
		designs := []Design{
			MSPRT{Alpha: alpha, Effect: effect, BurnIn: burn, Horizon: horizon},
			MillerPlan{N: n, D: d, Ratio: ratio},
			FixedHorizon{Alpha: alpha}, Naive{Alpha: alpha}, Hybrid{Alpha: alpha},
		}
		for _, ds := range designs {
			th, err := ds.Thresholds(fr)
			if err == nil {
				for _, v := range th {
					if !(v >= 0 && v <= 1) {
						t.Fatalf("%+v.Thresholds = %v", ds, th)
					}
				}
			}
		}
		if points < 1000 { // larger curves are valid but slow for a fuzz iteration
			if curve, err := ThresholdCurve(designs[0], points); err == nil && len(curve) != points {
				t.Fatalf("ThresholdCurve(%d) has %d points", points, len(curve))
			}
		}
	})
}

// FuzzAudit audits arbitrary small peeking plans: the rate is a
// probability and the windowed computation matches the full matrix.
func FuzzAudit(f *testing.F) {
	f.Add(0.5, 40, 0.1, 0.01, true, 243, 31, 1.0)
	f.Add(1e-9, 1, 1.0, 0.0, false, 0, 0, 0.0)
	f.Add(0.999, 59, math.NaN(), -1.0, true, math.MaxInt, math.MinInt, math.Inf(1))
	f.Fuzz(func(t *testing.T, p float64, pairs int, th1, th2 float64, two bool, n, d int, ratio float64) {
		pairs %= 60 // the cost grows like pairs³
		sides := OneSided
		if two {
			sides = TwoSided
		}
		th := make([]float64, max(pairs, 0))
		for i := range th {
			th[i] = th1
			if i%2 == 1 {
				th[i] = th2
			}
		}
		for _, rule := range []Rule{ZTestRule(th, sides), MillerRule(MillerPlan{N: n, D: d, Ratio: ratio})} {
			got, err := AuditConversion(p, pairs, rule)
			if err != nil {
				continue
			}
			if !(got >= 0 && got <= 1+1e-12) {
				t.Fatalf("AuditConversion(%v, %d) = %v", p, pairs, got)
			}
			if want := auditFull(p, pairs, rule); got != want {
				t.Fatalf("AuditConversion(%v, %d) = %v, full matrix %v", p, pairs, got, want)
			}
		}
	})
}

// FuzzMiller plans Miller tests with arbitrary inputs and checks Decide on
// arbitrary counts: never a winner past N, and a plan's exact rates
// respect its inputs. Effects below 0.2 and shares outside [0.02, 0.98]
// are folded back so that an iteration stays cheap (searches that spend
// PlanMillerSplit's whole work limit take seconds each).
func FuzzMiller(f *testing.F) {
	f.Add(0.4, 0.05, 0.8, 0.5, 68, 100)
	f.Add(0.4, 0.05, 0.8, 0.3, 0, 300)
	f.Add(1e9, 1e-9, 0.999999, 0.9, math.MaxInt, math.MaxInt)
	f.Add(math.NaN(), 0.5, 0.5, 0.0, -1, 5)
	f.Fuzz(func(t *testing.T, mde, alpha, power, share float64, c, tr int) {
		if !(mde >= 0.2) && !math.IsNaN(mde) {
			mde = 0.2 + math.Abs(math.Mod(mde, 1)) // keep plans small
		}
		if share < 0.02 || share > 0.98 {
			share = 0.02 + 0.96*math.Abs(math.Mod(share, 1))
		}
		p, err := PlanMillerSplit(mde, alpha, power, share)
		if err != nil {
			return
		}
		if p.N < 1 || p.D < 1 || p.Alpha > alpha || p.Power < power {
			t.Fatalf("PlanMillerSplit(%v, %v, %v, %v) = %+v", mde, alpha, power, share, p)
		}
		dec := p.Decide(c, tr)
		if c >= 0 && tr >= 0 && int64(c)+int64(tr) > int64(p.N) && dec == MillerTreatmentWins {
			t.Fatalf("%+v.Decide(%d, %d) = %v past N", p, c, tr, dec)
		}
	})
}
