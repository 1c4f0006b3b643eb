package abtest

import (
	"math"
	"testing"
)

func benchBoundaries(b *testing.B, k int, spend SpendingFunc) {
	info := equalInfo(k)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Boundaries(info, 0.05, TwoSided, spend); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBoundaries5(b *testing.B)          { benchBoundaries(b, 5, OBrienFlemingSpending) }
func BenchmarkBoundaries20(b *testing.B)         { benchBoundaries(b, 20, OBrienFlemingSpending) }
func BenchmarkBoundaries100(b *testing.B)        { benchBoundaries(b, 100, OBrienFlemingSpending) }
func BenchmarkBoundaries1000(b *testing.B)       { benchBoundaries(b, 1000, OBrienFlemingSpending) }
func BenchmarkBoundaries1000Pocock(b *testing.B) { benchBoundaries(b, 1000, PocockSpending) }

// BenchmarkBoundariesCloseLooks measures one of the slowest schedules the
// MinSpacing rule allows: pairs of looks MinSpacing apart, 0.01 between
// pairs (200 looks), one-sided so the continuation region stays wide.
func BenchmarkBoundariesCloseLooks(b *testing.B) {
	var info []float64
	for x := 0.005; x+MinSpacing <= 1; x += 0.01 {
		info = append(info, x, x+MinSpacing)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Boundaries(info, 0.05, OneSided, PocockSpending); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBoundariesOneULP measures the refusal of looks 1 ulp apart,
// which once needed a 37 GB grid.
func BenchmarkBoundariesOneULP(b *testing.B) {
	info := []float64{0.5, math.Nextafter(0.5, 1), 1}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Boundaries(info, 0.05, TwoSided, OBrienFlemingSpending); err == nil {
			b.Fatal("accepted")
		}
	}
}

// BenchmarkAppend measures adding the 1000th look to a stored design of
// 999 looks (Peek does the same work as Append without storing it).
func BenchmarkAppend(b *testing.B) {
	g, err := NewGroupSequential(0.05, TwoSided, OBrienFlemingSpending)
	if err != nil {
		b.Fatal(err)
	}
	info := equalInfo(1000)
	for _, t := range info[:999] {
		if _, err := g.Append(t); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.Peek(1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompare(b *testing.B) {
	c, t := Conversions(100000, 10000), Conversions(100000, 10400)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(c, t, 0.05, TwoSided); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPocockConstant5(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PocockConstant(5, 0.05); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlanMiller(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PlanMiller(0.1, 0.05, 0.8); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanMillerSplit plans an unequal split whose starting
// threshold is feasible (the search gallops down) and one whose starting
// threshold is not (it gallops up).
func BenchmarkPlanMillerSplit(b *testing.B) {
	for _, bb := range []struct {
		name                     string
		mde, alpha, power, share float64
	}{
		{"down", 0.2, 0.05, 0.8, 0.3},
		{"up", 0.3, 1.1e-4, 0.8, 0.1},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := PlanMillerSplit(bb.mde, bb.alpha, bb.power, bb.share); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAuditNaive500(b *testing.B) {
	rule, err := DesignRule(Naive{Alpha: 0.1}, 500, TwoSided)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := AuditConversion(0.5, 500, rule); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMonitorObserve(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m, err := NewMonitor(40000, nil)
		if err != nil {
			b.Fatal(err)
		}
		for day := 1; day <= 14; day++ {
			n := int64(2000 * day)
			if _, err := m.Observe(day, Conversions(n, n/10), Conversions(n, n/10+int64(day))); err != nil {
				b.Fatal(err)
			}
		}
	}
}
