package abtest_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/craftkit/craftkit/abtest"
)

// simCase runs experiments as users run them: 20000 visitors per arm per
// day converting at base and base·(1+lift), a Monitor planned for days
// days (target 20000·days) looked at daily, and collects what its
// stopping report shows.
type simResult struct {
	runs, early            int
	shown, earlyShown      []float64 // shown lift / true lift
	earlyRaw, earlyMean    []float64
	allMean                []float64
	cover, earlyCover      int
	stageCover, stageEarly int
}

func simulateMonitor(t *testing.T, seed uint64, runs int, base, lift float64, days int) simResult {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	const perDay = 20000
	var res simResult
	binom := func(n int64, p float64) int64 { // normal approximation, np ≥ 400
		x := math.Round(float64(n)*p + r.NormFloat64()*math.Sqrt(float64(n)*p*(1-p)))
		return int64(max(0, min(float64(n), x)))
	}
	for range runs {
		m, err := abtest.NewMonitor(perDay*int64(days), nil)
		if err != nil {
			t.Fatal(err)
		}
		var cc, ct int64
		for day := 1; day <= days; day++ {
			cc += binom(perDay, base)
			ct += binom(perDay, base*(1+lift))
			n := int64(perDay * day)
			rep, err := m.Observe(day, abtest.Conversions(n, cc), abtest.Conversions(n, ct))
			if err != nil {
				t.Fatal(err)
			}
			if !rep.Stop {
				continue
			}
			res.runs++
			// Relative lift measured against the observed control mean.
			ratio := rep.Lift / lift
			covered := rep.LiftLow <= lift && lift <= rep.LiftHigh
			e := rep.Estimates.Stagewise
			ctl := rep.Comparison.Control
			sCovered := e.Low/ctl <= lift && lift <= e.High/ctl
			res.shown = append(res.shown, ratio)
			res.allMean = append(res.allMean, rep.Estimates.ConditionalLook.Estimate/ctl/lift)
			if covered {
				res.cover++
			}
			if sCovered {
				res.stageCover++
			}
			if day < days {
				res.early++
				res.earlyShown = append(res.earlyShown, ratio)
				res.earlyRaw = append(res.earlyRaw, rep.RawLift/lift)
				res.earlyMean = append(res.earlyMean, rep.Estimates.ConditionalLook.Estimate/ctl/lift)
				if covered {
					res.earlyCover++
				}
				if sCovered {
					res.stageEarly++
				}
			}
			break
		}
	}
	return res
}

func median(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := slices.Clone(x)
	slices.Sort(s)
	return s[len(s)/2]
}

// medianCI returns the median of x with a 95 % distribution-free
// interval (order statistics n/2 ± 1.96·√n/2).
func medianCI(x []float64) string {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return "-"
	}
	h := int(math.Ceil(1.96 * math.Sqrt(float64(n)) / 2))
	return fmt.Sprintf("%.3f [%.3f, %.3f]", s[n/2], s[max(0, n/2-h)], s[min(n-1, n/2+h)])
}

// meanCI returns the mean of x with a 95 % normal interval.
func meanCI(x []float64) string {
	m := mean(x)
	v := 0.0
	for _, y := range x {
		v += (y - m) * (y - m)
	}
	h := 1.96 * math.Sqrt(v/float64(len(x)-1)/float64(len(x)))
	return fmt.Sprintf("%.3f [%.3f, %.3f]", m, m-h, m+h)
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// wilson returns the 95 % Wilson interval of k successes in n.
func wilson(k, n int) (float64, float64) {
	z := 1.959963984540054
	p := float64(k) / float64(n)
	d := 1 + z*z/float64(n)
	c := (p + z*z/(2*float64(n))) / d
	h := z * math.Sqrt(p*(1-p)/float64(n)+z*z/(4*float64(n)*float64(n))) / d
	return c - h, c + h
}

// TestMonitorEstimateSimulation measures what the Monitor shows after it
// stops (2 % baseline, 14 days, 20000 visitors per arm per day, daily
// looks): over all runs the shown lift's median and its interval's
// coverage, and among early stops the inflation (shown lift / true lift)
// and coverage. 20000 runs per case with CRAFTKIT_LONG=1, 100 otherwise.
func TestMonitorEstimateSimulation(t *testing.T) {
	runs := 100
	if os.Getenv("CRAFTKIT_LONG") == "1" {
		runs = 20000
	}
	if testing.Short() {
		t.Skip("simulation")
	}
	for _, tc := range []struct {
		name string
		lift float64
		seed uint64
	}{{"+5 %", 0.05, 11}, {"+2 %", 0.02, 12}} {
		t.Run(tc.name, func(t *testing.T) {
			res := simulateMonitor(t, tc.seed, runs, 0.02, tc.lift, 14)
			med := median(res.shown)
			lo, hi := wilson(res.cover, res.runs)
			t.Logf("%s: %d runs, shown median %s× truth, coverage %.4f [%.4f, %.4f] (stagewise %.4f)",
				tc.name, res.runs, medianCI(res.shown), float64(res.cover)/float64(res.runs), lo, hi, float64(res.stageCover)/float64(res.runs))
			t.Logf("%s: conditional given the look: all runs median %s×; early median %s× mean %s×", tc.name,
				medianCI(res.allMean), medianCI(res.earlyMean), meanCI(res.earlyMean))
			if res.early > 1 {
				elo, ehi := wilson(res.earlyCover, res.early)
				t.Logf("%s: %d early stops, shown median %s× mean %s× (raw median %s× mean %s×), coverage %.4f [%.4f, %.4f] (stagewise %.4f)",
					tc.name, res.early, medianCI(res.earlyShown), meanCI(res.earlyShown), medianCI(res.earlyRaw), meanCI(res.earlyRaw),
					float64(res.earlyCover)/float64(res.early), elo, ehi, float64(res.stageEarly)/float64(res.early))
			}
			// 100 runs: the median of the shown ratio has a standard
			// error of about 0.2 at +5 %; the checks are loose there.
			tol := 0.6
			if runs >= 20000 {
				tol = 0.02
			}
			if tc.lift == 0.05 && math.Abs(med-1) > tol {
				t.Errorf("median shown lift = %.4f× truth, want within %.2f", med, tol)
			}
			if runs >= 20000 && tc.lift == 0.05 {
				if e := mean(res.earlyShown); e > 1.10 {
					t.Errorf("mean shown lift among early stops = %.3f× truth, want ≤ 1.10", e)
				}
			}
			if c := float64(res.cover) / float64(res.runs); c < 0.94-3*math.Sqrt(0.05*0.95/float64(res.runs)) {
				t.Errorf("coverage = %.4f, want ≥ 0.94", c)
			}
		})
	}
}
