// Command abtest plans a conversion experiment, feeds it one day of counts
// at a time, prints the report each day until the experiment can stop,
// and draws the design's threshold curve as a small text chart.
//
// Usage:
//
//	abtest [-baseline 0.10] [-mde 0.10] [-alpha 0.05] [-power 0.8] [-daily 1500] [-plan-days 14] [-points 20] [-svg PREFIX]
//
// With -svg it also writes PREFIX-curves.svg (the threshold curves of the
// design it monitors with, Pocock-type spending and the dashboard Hybrid,
// labelled as exceeding alpha) and PREFIX-trajectory.svg (the
// experiment's lift, interval, z and boundaries by day).
//
// The daily counts are embedded sample data (10 % baseline, treatment
// converting at 11.2 %); the flags change the plan they are judged by.
package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/craftkit/craftkit/abtest"
	"github.com/craftkit/craftkit/examples/internal/cli"
	"github.com/craftkit/craftkit/internal/atomicfile"
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

// config holds the validated flags.
type config struct {
	baseline, mde, alpha, power float64
	daily                       float64 // visitors per arm per day
	planDays, points            int
	svg                         string        // prefix of the SVG files; "" writes none
	progressAfter               time.Duration // report progress on work longer than this
}

// Flag ranges. plan-days and points are bounded so that a run stays well
// under a few seconds.
const (
	maxPlanDays = 365
	maxPoints   = 200
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args, runs the program and returns the exit status: 0 on
// success or -h, 2 for bad flags or values, 1 when the computation fails.
func run(args []string, stdout, stderr io.Writer) int {
	prog := cli.Program{Name: "abtest", Stderr: stderr, Hint: "Run 'abtest -h' for usage."}
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return prog.UsageError(err)
	}
	return prog.Exit(simulate(stdout, stderr, cfg))
}

// parseFlags parses and validates the command line. Usage goes to stderr
// on -h, -help or --help (flag.ErrHelp is returned); errors are returned
// to be reported once, by run.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := config{progressAfter: 2 * time.Second}
	fs := cli.NewFlagSet("abtest", stderr, fmt.Sprintf("Usage: abtest [flags]\n\n"+
		"Plans a conversion A/B test, replays %d days of embedded sample counts\n"+
		"through a sequential monitor and draws the design's threshold curve.\n\nFlags:\n", len(sampleDays())))
	fs.Float64Var(&cfg.baseline, "baseline", 0.10, "control conversion rate, in (0, 1)")
	fs.Float64Var(&cfg.mde, "mde", 0.10, "relative lift to detect (0.10 = +10 %); baseline·(1+mde) must stay below 1")
	fs.Float64Var(&cfg.alpha, "alpha", 0.05, "two-sided significance level, in (0, 1)")
	fs.Float64Var(&cfg.power, "power", 0.80, "power at the MDE, in (alpha/2, 1)")
	fs.Float64Var(&cfg.daily, "daily", 1500, "expected visitors per arm per day, at least 1")
	fs.IntVar(&cfg.planDays, "plan-days", 14, fmt.Sprintf("planned daily looks used to size the test, 1..%d", maxPlanDays))
	fs.IntVar(&cfg.points, "points", 20, fmt.Sprintf("points of the threshold curve, 2..%d", maxPoints))
	fs.StringVar(&cfg.svg, "svg", "", "write PREFIX-curves.svg and PREFIX-trajectory.svg")
	if err := cli.ParseQuiet(fs, args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q (all settings are flags)", fs.Arg(0))
	}
	unit := func(name string, v float64) error {
		if !(v > 0 && v < 1) {
			return fmt.Errorf("-%s %v: must be between 0 and 1 (exclusive)", name, v)
		}
		return nil
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"baseline", cfg.baseline}, {"alpha", cfg.alpha}, {"power", cfg.power}} {
		if err := unit(f.name, f.v); err != nil {
			return cfg, err
		}
	}
	switch {
	case !(cfg.mde > 0) || math.IsInf(cfg.mde, 0):
		return cfg, fmt.Errorf("-mde %v: must be a positive relative lift", cfg.mde)
	case !(cfg.baseline*(1+cfg.mde) < 1):
		return cfg, fmt.Errorf("-mde %v: the treatment rate %v·(1+%v) must stay below 1", cfg.mde, cfg.baseline, cfg.mde)
	case cfg.power <= cfg.alpha/2:
		return cfg, fmt.Errorf("-power %v: must be above alpha/2 = %v", cfg.power, cfg.alpha/2)
	case !(cfg.daily >= 1) || math.IsInf(cfg.daily, 0):
		return cfg, fmt.Errorf("-daily %v: must be at least 1 visitor per arm per day", cfg.daily)
	case cfg.planDays < 1 || cfg.planDays > maxPlanDays:
		return cfg, fmt.Errorf("-plan-days %d: must be in 1..%d", cfg.planDays, maxPlanDays)
	case cfg.points < 2 || cfg.points > maxPoints:
		return cfg, fmt.Errorf("-points %d: must be in 2..%d", cfg.points, maxPoints)
	}
	return cfg, nil
}

// withProgress runs f and, if it takes longer than after, writes a line to
// w every after until it returns.
func withProgress(w io.Writer, what string, after time.Duration, f func() error) error {
	stop := cli.Every(w, after, func(elapsed time.Duration) string {
		return fmt.Sprintf("%s: still working after %s", what, elapsed.Round(time.Second))
	})
	defer stop()
	return f()
}

func simulate(w, progress io.Writer, cfg config) error {
	n, err := abtest.SampleSize(cfg.baseline, cfg.baseline*(1+cfg.mde), cfg.alpha, cfg.power)
	if err != nil {
		return err
	}
	// Inflate for looking every day of the plan.
	gs, err := abtest.SpendingDesign{Alpha: cfg.alpha}.Start()
	if err != nil {
		return err
	}
	var inflation float64
	var op abtest.Operating
	err = withProgress(progress, fmt.Sprintf("sizing a %d-look design", cfg.planDays), cfg.progressAfter, func() error {
		for i := 1; i <= cfg.planDays; i++ {
			if _, err := gs.Append(float64(i) / float64(cfg.planDays)); err != nil {
				return err
			}
		}
		inflation, op, err = gs.Inflation(cfg.power)
		return err
	})
	if err != nil {
		return err
	}
	if target := math.Ceil(n * inflation); !(target < 1e15) {
		return fmt.Errorf("the plan needs %.3g visitors per arm: choose a larger -mde", target)
	}
	target := int64(math.Ceil(n * inflation))
	daysNeeded, err := abtest.DaysToPower(float64(target), cfg.daily, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "plan: %.0f per arm fixed, ×%.3f for daily looks = %d per arm, about %d days (expected stop at %.0f %% under the MDE)\n",
		n, inflation, target, daysNeeded, 100*op.ExpectedInfo)

	m, err := abtest.NewMonitor(max(target, 2), &abtest.MonitorOptions{Alpha: cfg.alpha})
	if err != nil {
		return err
	}
	var nc, xc, nt, xt int64
	var reports []abtest.Report
	for i, d := range sampleDays() {
		nc, xc, nt, xt = nc+d.nc, xc+d.xc, nt+d.nt, xt+d.xt
		var r abtest.Report
		err := withProgress(progress, fmt.Sprintf("day %d", i+1), cfg.progressAfter, func() (err error) {
			r, err = m.Observe(i+1, abtest.Conversions(nc, xc), abtest.Conversions(nt, xt))
			return err
		})
		if err != nil {
			return err
		}
		reports = append(reports, r)
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

	design := abtest.SpendingDesign{Alpha: cfg.alpha}
	curve, err := abtest.ThresholdCurve(design, cfg.points)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nthreshold curve of the monitored design (nominal p-value needed, log scale from 1e-6 to %g):\n", cfg.alpha)
	for _, p := range curve {
		bar := 0
		if p.Threshold > 0 {
			bar = int(math.Round(40 * (math.Log10(p.Threshold) + 6) / (math.Log10(cfg.alpha) + 6)))
			bar = min(max(bar, 0), 40)
		}
		fmt.Fprintf(w, "%4.0f %% |%-40s| %.2g\n", 100*p.Fraction, strings.Repeat("#", bar), p.Threshold)
	}
	hybrid := abtest.Hybrid{Alpha: cfg.alpha}
	daily := make([]float64, cfg.planDays)
	for i := range daily {
		daily[i] = float64(i+1) / float64(cfg.planDays)
	}
	if fp, err := abtest.FalsePositiveRate(hybrid, daily); err == nil {
		fmt.Fprintf(w, "the dashboard hybrid curve (alpha once the plan is reached) EXCEEDS ALPHA: %.4f false positives with %d daily looks, against %g\n", fp, cfg.planDays, cfg.alpha)
	}
	if cfg.svg != "" {
		curves := cfg.svg + "-curves.svg"
		err := atomicfile.Write(curves, func(f io.Writer) error {
			return abtest.WriteCurvesSVG(f, cfg.points, design, abtest.SpendingDesign{Alpha: cfg.alpha, Spending: abtest.PocockSpending}, hybrid)
		})
		if err != nil {
			return err
		}
		traj := cfg.svg + "-trajectory.svg"
		if err := atomicfile.Write(traj, func(f io.Writer) error { return abtest.WriteTrajectorySVG(f, abtest.TwoSided, reports) }); err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %s and %s\n", curves, traj)
	}
	return nil
}
