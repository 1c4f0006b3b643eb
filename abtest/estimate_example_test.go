package abtest_test

import (
	"fmt"
	"math"

	"github.com/craftkit/craftkit/abtest"
)

func ExampleEstimateStop() {
	// Five planned looks; the experiment crossed the O'Brien-Fleming-type
	// boundary (3.357) at the second look with z = 3.5, where the effect's
	// standard error is 0.01.
	info := []float64{0.2, 0.4, 0.6, 0.8, 1}
	b, _ := abtest.Boundaries(info, 0.05, abtest.TwoSided, abtest.OBrienFlemingSpending)
	e, _ := abtest.EstimateStop(abtest.Stop{Info: info, Look: 1, Bounds: b, Z: 3.5, SE: 0.01}, 0.05)
	fmt.Printf("raw         %.4f repeated CI [%.4f, %.4f]\n", e.Raw, e.Repeated.Low, e.Repeated.High)
	fmt.Printf("stagewise   %.4f CI [%.4f, %.4f]\n", e.Stagewise.Estimate, e.Stagewise.Low, e.Stagewise.High)
	fmt.Printf("conditional %.4f CI [%.4f, %.4f]\n", e.Conditional.Estimate, e.Conditional.Low, e.Conditional.High)
	fmt.Printf("given look  %.4f CI [%.4f, %.4f]\n", e.ConditionalLook.Estimate, e.ConditionalLook.Low, e.ConditionalLook.High)
	// Output:
	// raw         0.0350 repeated CI [0.0014, 0.0686]
	// stagewise   0.0350 CI [0.0154, 0.0546]
	// conditional 0.0350 CI [0.0070, 0.0546]
	// given look  0.0021 CI [-0.0042, 0.0483]
}

func ExamplePlanFutility() {
	// gsDesign's default design: three looks, one-sided 0.025, power 0.9.
	p, _ := abtest.PlanFutility(
		abtest.SpendingDesign{Alpha: 0.025, Sides: abtest.OneSided, Spending: abtest.HwangShihDeCaniSpending(-4)},
		abtest.HwangShihDeCaniSpending(-2), 0.9, []float64{1.0 / 3, 2.0 / 3, 1})
	fmt.Printf("efficacy %.2f\nfutility %.2f\n", p.Efficacy, p.Futility)
	fmt.Printf("maximum sample ×%.3f; expected ×%.2f with no effect (×%.2f without futility), ×%.2f with the planned one\n",
		p.Inflation, p.Inflation*p.ExpectedNull, p.Inflation*p.ExpectedNullNoFutility, p.Inflation*p.ExpectedAlt)
	// Output:
	// efficacy [3.01 2.55 2.00]
	// futility [-0.24 0.94 2.00]
	// maximum sample ×1.070; expected ×0.62 with no effect (×1.07 without futility), ×0.79 with the planned one
}

func ExampleMonitor_Final() {
	// Planned for 100000 visitors per arm at 6250 a day; the experiment
	// ends on day 8, half way.
	m, _ := abtest.NewMonitor(100000, &abtest.MonitorOptions{MDE: 0.05})
	for day := 1; day <= 7; day++ {
		n := int64(6250 * day)
		if _, err := m.Observe(day, abtest.Conversions(n, n/10), abtest.Conversions(n, n*1045/10000)); err != nil {
			fmt.Println(err)
			return
		}
	}
	peek, _ := m.Design().Peek(0.5) // what the spending function alone would allow
	r, err := m.Final(8, abtest.Conversions(50000, 5000), abtest.Conversions(50000, 5230))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s | %s | threshold p %.4f (not %.4f)\n", r.Status, r.Header, r.Threshold, 2*(1-normalCDF(peek)))
	fmt.Printf("power now %.2f, planned %.2f, %d days short\n", r.Power, r.PlannedPower, r.DaysToPower)
	fmt.Printf("shown: %s [%+.1f %%, %+.1f %%]\n", r.Estimator, 100*r.LiftLow, 100*r.LiftHigh)
	// Output:
	// +5.2 % | we're confident we detected a change | threshold p 0.0500 (not 0.0026)
	// power now 0.74, planned 0.96, 8 days short
	// shown: conditional median-unbiased lift and interval [+0.9 %, +11.2 %]
}

func normalCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
