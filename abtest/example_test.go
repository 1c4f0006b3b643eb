package abtest_test

import (
	"fmt"

	"github.com/craftkit/craftkit/abtest"
)

// Example is the README's abtest snippet, line for line: boundaries of a
// five-look design, a Miller plan, and a Monitor fed one day at a time.
func Example() {
	// z-scale efficacy boundaries for 5 equally spaced looks, O'Brien-Fleming-type spending
	b, err := abtest.Boundaries([]float64{0.2, 0.4, 0.6, 0.8, 1}, 0.05, abtest.TwoSided, abtest.OBrienFlemingSpending)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("b == %.4f\n", b)

	// +40 % lift: stop at T−C = 31, give up at 243 conversions
	plan, err := abtest.PlanMiller(0.4, 0.05, 0.8)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("stop at T−C = %d, give up at %d conversions\n", plan.D, plan.N)

	m, err := abtest.NewMonitor(40000, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for day := 1; day <= 20; day++ {
		// cumulative visitors per arm, converting at 10 % and 10.9 %
		nC, nT := int64(2000*day), int64(2000*day)
		convC, convT := nC/10, nT*109/1000
		r, err := m.Observe(day, abtest.Conversions(nC, convC), abtest.Conversions(nT, convT))
		if err != nil {
			fmt.Println(err)
			return
		}
		if r.Stop {
			fmt.Println(r.Status, r.Header, r.Color)
			break
		}
	}
	// Output:
	// b == [4.8769 3.3570 2.6803 2.2898 2.0310]
	// stop at T−C = 31, give up at 243 conversions
	// +8.5 % directional change is correct but magnitude might be inflated green
}

func ExampleBoundaries() {
	info := []float64{0.2, 0.4, 0.6, 0.8, 1}
	obf, _ := abtest.Boundaries(info, 0.05, abtest.TwoSided, abtest.OBrienFlemingSpending)
	pocock, _ := abtest.Boundaries(info, 0.05, abtest.TwoSided, abtest.PocockSpending)
	fmt.Printf("OBF-type:    %.4f\n", obf)
	fmt.Printf("Pocock-type: %.4f\n", pocock)
	// Output:
	// OBF-type:    [4.8769 3.3570 2.6803 2.2898 2.0310]
	// Pocock-type: [2.4380 2.4268 2.4102 2.3966 2.3860]
}

// The two conventions for two-sided O'Brien-Fleming-type spending: this
// package (like rpact and gsDesign) spends alpha/2 per side with
// 2−2Φ(z_{1−α/4}/√t) each; Lan and DeMets' original spends
// 2−2Φ(z_{1−α/2}/√t) in total, half per side.
func ExampleOBrienFlemingSpending() {
	info := []float64{0.2, 0.4, 0.6, 0.8, 1}
	perSide, _ := abtest.Boundaries(info, 0.05, abtest.TwoSided, abtest.OBrienFlemingSpending)
	total := func(t, alpha float64) float64 { return abtest.OBrienFlemingSpending(t, 2*alpha) / 2 }
	original, _ := abtest.Boundaries(info, 0.05, abtest.TwoSided, total)
	fmt.Printf("per side:   %.4f\n", perSide)
	fmt.Printf("total/2:    %.4f\n", original)
	// Output:
	// per side:   [4.8769 3.3570 2.6803 2.2898 2.0310]
	// total/2:    [4.3826 3.0997 2.5534 2.2538 2.0635]
}

func ExamplePowerSpending() {
	b, _ := abtest.Boundaries([]float64{0.5, 1}, 0.025, abtest.OneSided, abtest.PowerSpending(3))
	fmt.Printf("%.4f\n", b)
	// Output:
	// [2.7344 1.9825]
}

func ExampleHwangShihDeCaniSpending() {
	b, _ := abtest.Boundaries([]float64{0.5, 1}, 0.05, abtest.TwoSided, abtest.HwangShihDeCaniSpending(-4))
	fmt.Printf("%.4f\n", b)
	// Output:
	// [2.7500 1.9811]
}

func ExamplePocockConstant() {
	c, _ := abtest.PocockConstant(5, 0.05)
	fmt.Printf("%.3f\n", c)
	// Output:
	// 2.413
}

func ExampleOBrienFlemingConstant() {
	c, _ := abtest.OBrienFlemingConstant(5, 0.05)
	fmt.Printf("%.3f\n", c)
	// Output:
	// 2.040
}

func ExamplePlanMiller() {
	p, _ := abtest.PlanMiller(0.4, 0.05, 0.8)
	fmt.Printf("N=%d d=%d alpha=%.4f power=%.4f\n", p.N, p.D, p.Alpha, p.Power)
	fmt.Println(p.Decide(68, 100)) // control 68, treatment 100 conversions
	// Output:
	// N=243 d=31 alpha=0.0470 power=0.8031
	// treatment wins
}

func ExamplePlanMillerSplit() {
	p, _ := abtest.PlanMillerSplit(0.4, 0.05, 0.8, 0.3)
	fmt.Printf("N=%d d=%d ratio=%.3f\n", p.N, p.D, p.Ratio)
	// Output:
	// N=263 d=21 ratio=0.429
}

func ExampleSampleSize() {
	// R: power.prop.test(p1 = .50, p2 = .75, power = .90)
	n, _ := abtest.SampleSize(0.5, 0.75, 0.05, 0.9)
	fmt.Printf("%.5f\n", n)
	// Output:
	// 76.70693
}

func ExampleSampleSizes() {
	n1, n2, _ := abtest.SampleSizes(0.10, 0.11, 0.05, 0.8, &abtest.SizeOptions{Ratio: 3})
	fmt.Printf("control %.0f, treatment %.0f\n", n1, n2)
	// Output:
	// control 9915, treatment 29745
}

func ExampleMDE() {
	d, _ := abtest.MDE(0.10, 15000, 0.05, 0.8)
	fmt.Printf("%.4f\n", d)
	// Output:
	// 0.0099
}

func ExamplePower() {
	p, _ := abtest.Power(0.10, 0.11, 15000, 0.05)
	fmt.Printf("%.3f\n", p)
	// Output:
	// 0.807
}

func ExampleSampleSizeMean() {
	n, _ := abtest.SampleSizeMean(20, 1, 0.05, 0.8)
	fmt.Printf("%.1f\n", n)
	// Output:
	// 6279.1
}

func ExampleDaysToPower() {
	d, _ := abtest.DaysToPower(15377, 1500, 0)
	fmt.Println(d)
	// Output:
	// 11
}

func ExampleGroupSequential_Append() {
	g, _ := abtest.NewGroupSequential(0.05, abtest.TwoSided, abtest.OBrienFlemingSpending)
	for _, t := range []float64{0.25, 0.5, 0.75, 1} {
		c, _ := g.Append(t)
		fmt.Printf("t=%.2f z≥%.3f p≤%.5f\n", t, c, g.Threshold(g.Len()-1))
	}
	// Output:
	// t=0.25 z≥4.333 p≤0.00001
	// t=0.50 z≥2.963 p≤0.00305
	// t=0.75 z≥2.359 p≤0.01832
	// t=1.00 z≥2.014 p≤0.04400
}

func ExampleGroupSequential_Inflation() {
	g, _ := abtest.NewGroupSequential(0.05, abtest.TwoSided, abtest.OBrienFlemingSpending)
	for i := 1; i <= 5; i++ {
		_, _ = g.Append(float64(i) / 5)
	}
	r, op, _ := g.Inflation(0.8)
	fmt.Printf("inflation %.4f, expected stop at %.3f of the maximum\n", r, op.ExpectedInfo)
	// Output:
	// inflation 1.0247, expected stop at 0.804 of the maximum
}

func ExampleCompare() {
	c, _ := abtest.Compare(abtest.Conversions(10000, 1000), abtest.Conversions(10000, 1100), 0.05, abtest.TwoSided)
	fmt.Printf("lift %+.1f %% [%+.1f %%, %+.1f %%], p=%.4f\n", 100*c.Lift, 100*c.LiftLow, 100*c.LiftHigh, c.PValue)
	// Output:
	// lift +10.0 % [+1.1 %, +18.9 %], p=0.0211
}

func ExampleSampleRatio() {
	_, p, _ := abtest.SampleRatio([]int64{10600, 9400}, nil)
	fmt.Printf("p=%.2g mismatch=%v\n", p, p < abtest.SRMThreshold)
	// Output:
	// p=2.2e-17 mismatch=true
}

func ExampleCompareAll() {
	ctrl := abtest.Conversions(10000, 1000)
	vs := []abtest.Sample{abtest.Conversions(10000, 1150), abtest.Conversions(10000, 1060)}
	res, _ := abtest.CompareAll(ctrl, vs, 0.05, abtest.TwoSided, abtest.Holm)
	for i, r := range res {
		fmt.Printf("variant %d: p=%.4f adjusted=%.4f\n", i+1, r.PValue, r.AdjustedP)
	}
	// Output:
	// variant 1: p=0.0006 adjusted=0.0012
	// variant 2: p=0.1628 adjusted=0.1628
}

func ExampleMSPRT_Evaluate() {
	m := abtest.MSPRT{Alpha: 0.05, Effect: 0.1}
	var av abtest.AlwaysValid
	for day := int64(1); day <= 5; day++ {
		n := 2000 * day
		r, err := m.Evaluate(abtest.Conversions(n, n/10), abtest.Conversions(n, n*112/1000))
		if err != nil {
			continue
		}
		av.Add(r)
		fmt.Printf("day %d: always-valid p=%.4f\n", day, av.PValue)
	}
	// Output:
	// day 1: always-valid p=1.0000
	// day 2: always-valid p=1.0000
	// day 3: always-valid p=0.6131
	// day 4: always-valid p=0.3299
	// day 5: always-valid p=0.1721
}

func ExampleAdjustEstimate() {
	info := []float64{0.2, 0.4, 0.6, 0.8, 1}
	b, _ := abtest.Boundaries(info, 0.05, abtest.TwoSided, abtest.OBrienFlemingSpending)
	// Stopped at the second look with z = 3.5; the effect's standard error there is 0.01.
	h, _ := abtest.AdjustEstimate(info, b, abtest.TwoSided, 1, 3.5, 0.01, 0.05)
	fmt.Printf("raw %.4f adjusted %.4f (×%.3f) CI [%.4f, %.4f]\n", h.Raw, h.Adjusted, h.Ratio, h.Low, h.High)
	// Output:
	// raw 0.0350 adjusted 0.0332 (×0.949) CI [0.0154, 0.0546]
}

func ExampleMonitor_Observe() {
	m, _ := abtest.NewMonitor(40000, nil)
	for day := 1; day <= 20; day++ {
		n := int64(2000 * day)
		r, _ := m.Observe(day, abtest.Conversions(n, n/10), abtest.Conversions(n, n*109/1000))
		fmt.Printf("day %2d: %-15s | %s | %s\n", r.Day, r.Status, r.Header, r.Color)
		if r.Stop {
			fmt.Printf("raw %+.1f %%, shown %+.1f %% (%s)\n", 100*r.RawLift, 100*r.Lift, r.Estimator)
			break
		}
	}
	// Output:
	// day  1: Waiting on data | metric is not powered | grey
	// day  2: Waiting on data | metric is not powered | grey
	// day  3: Waiting on data | metric is not powered | grey
	// day  4: Waiting on data | metric is not powered | grey
	// day  5: Waiting on data | metric is not powered | grey
	// day  6: Waiting on data | metric is not powered | grey
	// day  7: Not enough data | metric is not powered | grey
	// day  8: Not enough data | metric is not powered | grey
	// day  9: Not enough data | metric is not powered | grey
	// day 10: Not enough data | metric is not powered | grey
	// day 11: +8.5 %          | directional change is correct but magnitude might be inflated | green
	// raw +9.0 %, shown +8.5 % (conditional median-unbiased lift and interval)
}

func ExampleAuditConversion() {
	naive, _ := abtest.DesignRule(abtest.Naive{Alpha: 0.1}, 500, abtest.TwoSided)
	fpr, _ := abtest.AuditConversion(0.5, 500, naive)
	fmt.Printf("naive peeking: %.3f\n", fpr)
	seq, _ := abtest.DesignRule(abtest.SpendingDesign{Alpha: 0.1}, 500, abtest.TwoSided)
	fpr, _ = abtest.AuditConversion(0.5, 500, seq)
	fmt.Printf("spending design: %.3f\n", fpr)
	// Output:
	// naive peeking: 0.737
	// spending design: 0.100
}

func ExampleThresholdCurve() {
	curve, _ := abtest.ThresholdCurve(abtest.Hybrid{Alpha: 0.05}, 4)
	for _, p := range curve {
		fmt.Printf("%.2f %.5f\n", p.Fraction, p.Threshold)
	}
	// Output:
	// 0.25 0.00001
	// 0.50 0.00305
	// 0.75 0.01832
	// 1.00 0.05000
}

func ExampleSpendingDesign_Thresholds() {
	th, _ := abtest.SpendingDesign{Alpha: 0.05, Spending: abtest.PocockSpending}.Thresholds([]float64{1.0 / 3, 2.0 / 3, 1})
	fmt.Printf("%.4f\n", th)
	// Output:
	// [0.0226 0.0217 0.0217]
}

func ExampleMillerRule() {
	plan, _ := abtest.PlanMiller(0.4, 0.05, 0.8)
	fpr, _ := abtest.AuditConversion(0.1, 1500, abtest.MillerRule(plan))
	fmt.Printf("Miller N=%d d=%d: false-positive rate %.4f\n", plan.N, plan.D, fpr)
	// Output:
	// Miller N=243 d=31: false-positive rate 0.0363
}

func ExampleMSPRTRule() {
	fpr, _ := abtest.AuditConversion(0.5, 200, abtest.MSPRTRule(abtest.MSPRT{Alpha: 0.05, Horizon: 200}))
	fmt.Printf("%.4f\n", fpr)
	// Output:
	// 0.0119
}

func ExampleAdjust() {
	p := []float64{0.01, 0.04, 0.03, 0.2}
	holm, _ := abtest.Adjust(p, abtest.Holm)
	bh, _ := abtest.Adjust(p, abtest.BenjaminiHochberg)
	fmt.Printf("Holm %.4f\n", holm)
	fmt.Printf("BH   %.4f\n", bh)
	// Output:
	// Holm [0.0400 0.0900 0.0900 0.2000]
	// BH   [0.0400 0.0533 0.0533 0.2000]
}

func ExampleGroupSequential_Peek() {
	g, _ := abtest.NewGroupSequential(0.05, abtest.TwoSided, abtest.PocockSpending)
	_, _ = g.Append(0.5)
	now, _ := g.Peek(0.8)
	fmt.Printf("a look at 80 %% would need |z| ≥ %.4f; looks stored: %d\n", now, g.Len())
	// Output:
	// a look at 80 % would need |z| ≥ 2.2876; looks stored: 1
}
