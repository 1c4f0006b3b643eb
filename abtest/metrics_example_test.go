package abtest_test

import (
	"fmt"

	"github.com/craftkit/craftkit/abtest"
)

// Revenue per session, randomised by visitor: per-arm sums over visitors
// of sessions (X) and revenue (Y), their squares and products, as a
// warehouse query returns them.
func ExampleCompareRatio() {
	control := abtest.Joint{N: 3000, SumX: 7439, SumY: 36511.39, SumXX: 28891, SumYY: 3828059.04, SumXY: 145309.91}
	treatment := abtest.Joint{N: 3000, SumX: 7627, SumY: 39640.37, SumXX: 31035, SumYY: 4315455.58, SumXY: 168035.11}
	c, err := abtest.CompareRatio(control, treatment, 0.05, abtest.TwoSided)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("revenue/session %.3f -> %.3f, lift %+.1f %% [%+.1f %%, %+.1f %%], p = %.2f\n",
		c.Control, c.Treatment, 100*c.Lift, 100*c.LiftLow, 100*c.LiftHigh, c.PValue)
	// Output:
	// revenue/session 4.908 -> 5.197, lift +5.9 % [-8.0 %, +19.8 %], p = 0.39
}

// CUPED: the metric (Y) adjusted for the same metric in the weeks
// before the experiment (X).
func ExampleCompareCUPED() {
	control := abtest.Joint{N: 5000, SumX: 99822.48, SumY: 80058.09, SumXX: 2115079.60, SumYY: 1440866.58, SumXY: 1695943.92}
	treatment := abtest.Joint{N: 5000, SumX: 99386.77, SumY: 81721.59, SumXX: 2099029.28, SumYY: 1495854.46, SumXY: 1722845.46}
	r, err := abtest.CompareCUPED(control, treatment, 0.05, abtest.TwoSided)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("unadjusted: diff %.3f ± %.3f, p = %.3f\n", r.Unadjusted.Diff, r.Unadjusted.DiffHigh-r.Unadjusted.Diff, r.Unadjusted.PValue)
	fmt.Printf("CUPED:      diff %.3f ± %.3f, p = %.2g\n", r.Diff, r.DiffHigh-r.Diff, r.PValue)
	fmt.Printf("theta %.2f, correlation %.2f, variance reduced by %.0f %%\n", r.Theta, r.Correlation, 100*r.VarianceReduction)
	// Output:
	// unadjusted: diff 0.333 ± 0.221, p = 0.003
	// CUPED:      diff 0.402 ± 0.158, p = 6.2e-07
	// theta 0.80, correlation 0.70, variance reduced by 49 %
}

// Winsorised revenue: cap both arms at the 90th percentile of the pooled
// values, then compare the capped means.
func ExampleWinsorize() {
	control := []float64{0, 12, 0, 30, 8, 0, 15, 0, 22, 900}
	treatment := []float64{10, 0, 14, 25, 0, 18, 0, 30, 12, 16}
	ceiling, err := abtest.Quantile(0.9, control, treatment)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, _ := abtest.Winsorize(control, ceiling)
	t, _ := abtest.Winsorize(treatment, ceiling)
	fmt.Printf("cap %.1f: means %.2f and %.2f (raw control mean 98.70)\n", ceiling, c.Mean(), t.Mean())
	// Output:
	// cap 30.0: means 11.70 and 12.50 (raw control mean 98.70)
}
