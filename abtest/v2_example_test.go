package abtest_test

import (
	"fmt"
	"math"
	"strings"

	"github.com/craftkit/craftkit/abtest"
)

// Every design says how its thresholds are read, and designs of
// different scales are not mixed.
func ExampleDesign_scale() {
	plan, _ := abtest.PlanMiller(0.4, 0.05, 0.8)
	fmt.Println(abtest.SpendingDesign{}.Scale())
	fmt.Println(plan.Scale())
	_, err := abtest.Hybrid{Sequential: plan}.Thresholds([]float64{0.5, 1})
	fmt.Println(err)
	// Output:
	// two-sided, visitors
	// one-sided, conversions
	// abtest: Hybrid.Thresholds: Sequential reads its thresholds as one-sided, conversions, not two-sided, visitors: designs of different sides or units cannot be combined
}

// The dashboard Hybrid curve does not keep its level.
func ExampleFalsePositiveRate() {
	daily := make([]float64, 14)
	for i := range daily {
		daily[i] = float64(i+1) / 14
	}
	for _, d := range []abtest.Design{abtest.SpendingDesign{}, abtest.Hybrid{}, abtest.Naive{}} {
		fp, _ := abtest.FalsePositiveRate(d, daily)
		fmt.Printf("%T: %.4f\n", d, fp)
	}
	// Output:
	// abtest.SpendingDesign: 0.0500
	// abtest.Hybrid: 0.0601
	// abtest.Naive: 0.2196
}

// Plan an mSPRT for +5 % on a 3 % conversion rate, checked daily for four
// weeks, and see what the fixed-horizon sample would cost it.
func ExamplePlanMSPRT() {
	p1, p2 := 0.03, 0.0315
	pb := (p1 + p2) / 2
	effect := (p2 - p1) / math.Sqrt(pb*(1-pb))
	plan, _ := abtest.PlanMSPRT(effect, 0.05, 0.8, nil)
	fmt.Printf("horizon %d per arm (fixed horizon %.0f), power %.2f\n", plan.MSPRT.Horizon, plan.FixedN, plan.Power)
	short, _ := abtest.PlanMSPRT(effect, 0.05, 0.8, &abtest.MSPRTOptions{Horizon: int64(plan.FixedN)})
	fmt.Printf("at %d per arm: power %.2f\n", short.MSPRT.Horizon, short.Power)
	fmt.Println(short.Warning != "")
	// Output:
	// horizon 357269 per arm (fixed horizon 207939), power 0.80
	// at 207939 per arm: power 0.50
	// true
}

// A primary metric with two guardrails and two variants, one day's look.
func ExampleScorecard_Observe() {
	metrics := []abtest.Metric{
		{Name: "orders", Role: abtest.Primary, Practical: 0.01},
		{Name: "revenue", Role: abtest.Guardrail, Margin: 0.02},
		{Name: "latency", Role: abtest.Guardrail, Margin: 0.05, LowerIsBetter: true},
	}
	sc, _ := abtest.NewScorecard(metrics, 2, 20000, nil)
	fmt.Printf("each test at %.4f\n", sc.PairAlpha())
	arm := func(orders, revenue, latency float64) []abtest.Sample {
		const n = 20000
		s := func(mean, sd float64) abtest.Sample {
			return abtest.Sample{N: n, Sum: n * mean, SumSquares: n*mean*mean + (n-1)*sd*sd}
		}
		return []abtest.Sample{abtest.Conversions(n, int64(orders*n)), s(revenue, 8), s(latency, 100)}
	}
	rep, _ := sc.Observe(28, [][]abtest.Sample{
		arm(0.100, 10.0, 500),
		arm(0.112, 10.1, 498), // better, guardrails fine
		arm(0.112, 9.0, 500),  // better, but revenue −10 %
	})
	for _, v := range rep.Variants {
		var st []string
		for _, m := range v.Metrics {
			st = append(st, fmt.Sprintf("%s %s %+.1f %%", m.Name, m.Status, 100*m.Lift))
		}
		fmt.Printf("variant %d: %s (%s)\n", v.Variant, v.Verdict, strings.Join(st, ", "))
	}
	// Output:
	// each test at 0.0083
	// variant 1: ship (orders better +12.0 %, revenue passed +1.0 %, latency passed -0.4 %)
	// variant 2: stop: a guardrail failed (orders better +12.0 %, revenue failed -10.0 %, latency passed +0.0 %)
}

// Draw the threshold curves of two designs as SVG.
func ExampleWriteCurvesSVG() {
	var b strings.Builder
	err := abtest.WriteCurvesSVG(&b, 20, abtest.SpendingDesign{}, abtest.Hybrid{})
	fmt.Println(err, strings.Count(b.String(), "<path"), strings.Contains(b.String(), "EXCEEDS ALPHA"))
	// Output:
	// <nil> 2 true
}
