// Command abtest plans a conversion experiment, feeds it one day of counts
// at a time, prints the report each day until the experiment can stop,
// and draws the design's threshold curve as a small text chart.
package main

import (
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"strings"

	"github.com/craftkit/craftkit/abtest"
)

// day holds one day's visitors and conversions per arm.
type day struct{ nc, xc, nt, xt int64 }

// sampleDays returns a simulated experiment: 10 % baseline, treatment
// converting at 11.2 %.
func sampleDays() []day {
	return []day{
		{1546, 153, 1564, 145}, {1454, 163, 1440, 175}, {1540, 164, 1536, 172},
		{1483, 159, 1500, 151}, {1485, 174, 1499, 169}, {1516, 132, 1504, 153},
		{1491, 133, 1493, 162}, {1546, 169, 1529, 192}, {1489, 160, 1496, 185},
		{1503, 142, 1493, 198}, {1512, 150, 1520, 166}, {1498, 147, 1505, 170},
		{1530, 155, 1517, 173}, {1477, 149, 1481, 160},
	}
}

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	const (
		baseline = 0.10
		mde      = 0.10 // relative: detect 10 % → 11 %
		alpha    = 0.05
		power    = 0.80
	)
	n, err := abtest.SampleSize(baseline, baseline*(1+mde), alpha, power)
	if err != nil {
		return err
	}
	// Inflate for looking every day of a two-week plan.
	gs, err := abtest.SpendingDesign{Alpha: alpha}.Start()
	if err != nil {
		return err
	}
	for i := 1; i <= 14; i++ {
		if _, err := gs.Append(float64(i) / 14); err != nil {
			return err
		}
	}
	inflation, op, err := gs.Inflation(power)
	if err != nil {
		return err
	}
	target := int64(math.Ceil(n * inflation))
	daysNeeded, err := abtest.DaysToPower(float64(target), 1500, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "plan: %.0f per arm fixed, ×%.3f for daily looks = %d per arm, about %d days (expected stop at %.0f %% under the MDE)\n",
		n, inflation, target, daysNeeded, 100*op.ExpectedInfo)

	m, err := abtest.NewMonitor(&abtest.MonitorOptions{Alpha: alpha, TargetN: target})
	if err != nil {
		return err
	}
	var nc, xc, nt, xt int64
	for i, d := range sampleDays() {
		nc, xc, nt, xt = nc+d.nc, xc+d.xc, nt+d.nt, xt+d.xt
		r, err := m.Observe(i+1, abtest.Conversions(nc, xc), abtest.Conversions(nt, xt))
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "day %2d  %-16s %-62s CI [%+5.1f %%, %+5.1f %%] %-5s p=%.4f threshold=%.4f info=%3.0f %%\n",
			r.Day, r.Status, r.Header, 100*r.LiftLow, 100*r.LiftHigh, r.Color, r.PValue, r.Threshold, 100*r.Fraction)
		for _, warn := range r.Warnings {
			fmt.Fprintf(w, "        warning: %s\n", warn)
		}
		if r.Stop {
			if r.Haircut != 1 {
				fmt.Fprintf(w, "stopped early: raw lift %+.1f %%, haircut estimate %+.1f %% (×%.2f)\n", 100*r.RawLift, 100*r.Lift, r.Haircut)
			}
			break
		}
	}

	curve, err := abtest.ThresholdCurve(abtest.Hybrid{Alpha: alpha}, 20)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nthreshold curve (nominal p-value needed, log scale from 1e-6 to 0.05):")
	for _, p := range curve {
		bar := 0
		if p.Threshold > 0 {
			bar = int(math.Round(40 * (math.Log10(p.Threshold) + 6) / (math.Log10(alpha) + 6)))
			bar = max(bar, 0)
		}
		fmt.Fprintf(w, "%4.0f %% |%-40s| %.2g\n", 100*p.Fraction, strings.Repeat("#", bar), p.Threshold)
	}
	return nil
}
