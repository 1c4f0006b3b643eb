package rollout

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/craftkit/craftkit/abtest"
)

// binomial draws Binomial(n, p): by inversion for small means, else by
// the normal approximation with continuity rounding (the simulation's
// only approximation; n·p·(1−p) > 50 there).
func binomial(r *rand.Rand, n int64, p float64) int64 {
	if n <= 0 {
		return 0
	}
	mean, v := float64(n)*p, float64(n)*p*(1-p)
	if v > 50 {
		x := math.Round(mean + math.Sqrt(v)*r.NormFloat64())
		return int64(math.Min(math.Max(x, 0), float64(n)))
	}
	var k int64
	for range n {
		if r.Float64() < p {
			k++
		}
	}
	return k
}

// scenario is one simulated guarded ramp.
type scenario struct {
	base, harm float64 // control rate and relative harm of treatment (0 = none)
	perDay     int64   // eligible users a day (new users each day)
	days       int     // give up after this many days
}

type outcome struct {
	rolledBack   bool
	rollbackDay  int
	maxPercent   float64 // highest exposure reached before the end
	completedDay int     // day 100 % was reached (0 if not)
	beforeFifty  bool    // rolled back before reaching 50 %
}

// simulate runs one ramp of the default plan (1 → 5 → 25 → 50 → 100 %,
// two days a step) with an error-rate guardrail (harm = increase).
func simulate(sc scenario, seed uint64) (outcome, error) {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c, err := NewController(DefaultPlan(sc.base, 0.10, true, 48*time.Hour), start)
	if err != nil {
		return outcome{}, err
	}
	var ctl, trt abtest.Sample
	var out outcome
	for day := 1; day <= sc.days; day++ {
		pct := c.Percent()
		out.maxPercent = math.Max(out.maxPercent, pct)
		nt := int64(math.Round(float64(sc.perDay) * pct / 100))
		nc := sc.perDay - nt
		ct := binomial(r, nt, sc.base*(1+sc.harm))
		cc := binomial(r, nc, sc.base)
		trt.N += nt
		trt.Sum += float64(ct)
		trt.SumSquares += float64(ct)
		ctl.N += nc
		ctl.Sum += float64(cc)
		ctl.SumSquares += float64(cc)
		d, err := c.Observe(Observation{Time: start.Add(time.Duration(day) * 24 * time.Hour), Control: ctl, Treatment: trt})
		if err != nil {
			return outcome{}, err
		}
		switch d.Action {
		case RollBack:
			out.rolledBack, out.rollbackDay = true, day
			out.beforeFifty = out.maxPercent < 50
			return out, nil
		case Done:
			out.completedDay = day
			return out, nil
		}
	}
	return out, nil
}

type summary struct {
	runs, rolledBack, beforeFifty, completed int
	rollbackDays, completeDays               []int
}

func runMany(t testing.TB, sc scenario, runs int, seed uint64) summary {
	var s summary
	s.runs = runs
	for i := range runs {
		o, err := simulate(sc, seed+uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		if o.rolledBack {
			s.rolledBack++
			s.rollbackDays = append(s.rollbackDays, o.rollbackDay)
			if o.beforeFifty {
				s.beforeFifty++
			}
		}
		if o.completedDay > 0 {
			s.completed++
			s.completeDays = append(s.completeDays, o.completedDay)
		}
	}
	return s
}

func median(x []int) int {
	if len(x) == 0 {
		return 0
	}
	x = slices.Clone(x)
	slices.Sort(x)
	return x[len(x)/2]
}

func (s summary) String() string {
	return fmt.Sprintf("runs %d: rolled back %.2f %% (before 50 %%: %.2f %%, median day %d), completed %.2f %% (median day %d)",
		s.runs, 100*float64(s.rolledBack)/float64(s.runs), 100*float64(s.beforeFifty)/float64(s.runs), median(s.rollbackDays),
		100*float64(s.completed)/float64(s.runs), median(s.completeDays))
}

// TestGuardedRolloutDirection checks on fixed seeds that the controller
// rolls back rarely without harm and mostly before 50 % with harm.
func TestGuardedRolloutDirection(t *testing.T) {
	runs := 150
	if testing.Short() {
		runs = 40
	}
	null := runMany(t, scenario{base: 0.05, perDay: 20000, days: 60}, runs, 1)
	harm := runMany(t, scenario{base: 0.05, harm: 0.10, perDay: 20000, days: 60}, runs, 1_000_000)
	t.Logf("no harm: %v", null)
	t.Logf("10 %% harm: %v", harm)
	if frac := float64(null.rolledBack) / float64(runs); frac > 0.15 {
		t.Errorf("no harm: rolled back in %.2f of runs, want rarely (design level 0.05)", frac)
	}
	if frac := float64(harm.beforeFifty) / float64(runs); frac < 0.75 {
		t.Errorf("10 %% harm: rolled back before 50 %% in %.2f of runs, want most", frac)
	}
	if null.completed < runs*3/4 {
		t.Errorf("no harm: %d of %d ramps completed", null.completed, runs)
	}
}

// TestGuardedRolloutSimulation is the full simulation (10,000 runs per
// case), run with CRAFTKIT_LONG=1: false rollbacks without harm (target
// ≤ 5 %), rollbacks before 50 % exposure with 10 % relative harm on a
// 5 % base at 20,000 users a day (target ≥ 90 %), and how both move with
// traffic.
func TestGuardedRolloutSimulation(t *testing.T) {
	if os.Getenv("CRAFTKIT_LONG") != "1" {
		t.Skip("set CRAFTKIT_LONG=1 for the 10,000-run simulation")
	}
	const runs = 10_000
	for _, perDay := range []int64{5000, 20000, 80000} {
		null := runMany(t, scenario{base: 0.05, perDay: perDay, days: 120}, runs, 1)
		harm := runMany(t, scenario{base: 0.05, harm: 0.10, perDay: perDay, days: 120}, runs, 1_000_000)
		t.Logf("%6d users/day, no harm:    %v", perDay, null)
		t.Logf("%6d users/day, 10 %% harm: %v", perDay, harm)
		if perDay == 20000 {
			if frac := float64(null.rolledBack) / runs; frac > 0.05 {
				t.Errorf("no harm: rolled back in %.4f of runs, want ≤ 0.05", frac)
			}
			if frac := float64(harm.beforeFifty) / runs; frac < 0.90 {
				t.Errorf("10 %% harm: rolled back before 50 %% in %.4f of runs, want ≥ 0.90", frac)
			}
		}
	}
}
