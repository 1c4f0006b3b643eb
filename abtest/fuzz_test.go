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
