package abtest

import (
	"math"
	"testing"
)

// FuzzScorecard feeds arbitrary sufficient statistics and settings to a
// Scorecard: no panic, every reported number finite, statuses valid.
func FuzzScorecard(f *testing.F) {
	f.Add(0.02, 0.01, int64(1000), int64(500), 10.0, 120.0, int64(520), 11.0, 130.0, 2)
	f.Add(0.0, 0.0, int64(2), int64(0), 0.0, 0.0, int64(0), 0.0, 0.0, 1)
	f.Add(0.999, math.Inf(1), int64(math.MaxInt64), int64(math.MaxInt64), 1e300, math.Inf(1), int64(-1), math.NaN(), -1.0, 3)
	f.Fuzz(func(t *testing.T, margin, practical float64, target, nc int64, sc, ssc float64, nt int64, st, sst float64, days int) {
		ms := []Metric{{Name: "p", Role: Primary, Practical: practical}, {Name: "g", Role: Guardrail, Margin: margin}}
		s, err := NewScorecard(ms, 1, target, nil)
		if err != nil {
			return
		}
		days = min(max(days, 1), 5)
		for d := 1; d <= days; d++ {
			k := int64(d)
			c := Sample{N: nc * k, Sum: sc * float64(k), SumSquares: ssc * float64(k)}
			tr := Sample{N: nt * k, Sum: st * float64(k), SumSquares: sst * float64(k)}
			rep, err := s.Observe(d, [][]Sample{{c, c}, {tr, tr}})
			if err != nil {
				continue
			}
			for _, v := range rep.Variants {
				if !(v.Fraction >= 0 && v.Fraction <= 1) {
					t.Fatalf("Fraction = %v", v.Fraction)
				}
				for _, m := range v.Metrics {
					if !finite(m.Lift, m.LiftLow, m.LiftHigh, m.Z, m.Bound) || m.Status < MetricPending || m.Status > MetricFailed {
						t.Fatalf("metric result %+v", m)
					}
				}
			}
		}
	})
}
