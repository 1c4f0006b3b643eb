package abtest

import (
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
		m, err := NewMonitor(&MonitorOptions{TargetN: target, LowerIsBetter: lower, MinDays: 1, BurnIn: 2})
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
