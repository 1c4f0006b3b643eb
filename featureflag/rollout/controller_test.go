package rollout

import (
	"errors"
	"testing"
	"time"

	"github.com/craftkit/craftkit/abtest"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }

func TestPlanCheck(t *testing.T) {
	good := DefaultPlan(0.05, 0.1, true, 48*time.Hour)
	bad := []func(p *Plan){
		func(p *Plan) { p.Steps = nil },
		func(p *Plan) { p.Steps[1].Percent = 1 },
		func(p *Plan) { p.Steps[4].Percent = 101 },
		func(p *Plan) { p.Steps[0].Info = 2 },
		func(p *Plan) { p.Baseline = 0 },
		func(p *Plan) { p.Harm = -1 },
		func(p *Plan) { p.Alpha = 0.7 },
	}
	for i, f := range bad {
		p := good
		p.Steps = append([]Step(nil), good.Steps...)
		f(&p)
		if _, err := NewController(p, t0); !errors.Is(err, ErrPlan) {
			t.Errorf("case %d: NewController = %v, want ErrPlan", i, err)
		}
	}
	if _, err := NewController(good, t0); err != nil {
		t.Fatal(err)
	}
}

// rates builds a cumulative observation with n units per arm a day.
func obs(d int, nc, nt int64, rc, rt float64) Observation {
	return Observation{Time: day(d), Control: abtest.Conversions(nc, int64(rc*float64(nc))), Treatment: abtest.Conversions(nt, int64(rt*float64(nt)))}
}

func TestControllerAdvancesWithoutHarm(t *testing.T) {
	c, err := NewController(DefaultPlan(0.05, 0.1, true, 48*time.Hour), t0)
	if err != nil {
		t.Fatal(err)
	}
	// Equal rates: the ramp advances every two days once the 25 % step has
	// the planned information, then completes.
	var got []float64
	var nc, nt int64
	for d := 1; d <= 40; d++ {
		pct := c.Percent()
		nt += int64(20000 * pct / 100)
		nc += 20000 - int64(20000*pct/100)
		dec, err := c.Observe(obs(d, nc, nt, 0.05, 0.05))
		if err != nil {
			t.Fatal(err)
		}
		if dec.Action == RollBack {
			t.Fatalf("day %d: rolled back without harm: %s", d, dec.Why)
		}
		if dec.Action == Advance {
			got = append(got, dec.Percent)
		}
		if dec.Action == Done {
			break
		}
	}
	want := []float64{5, 25, 50, 100}
	if len(got) != len(want) {
		t.Fatalf("advanced through %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("advanced through %v, want %v", got, want)
		}
	}
	if _, err := c.Observe(obs(0, 1, 1, 0, 0)); !errors.Is(err, ErrObservation) {
		t.Errorf("observation back in time: %v, want ErrObservation", err)
	}
}

func TestControllerRollsBackOnHarm(t *testing.T) {
	for _, stepBack := range []bool{false, true} {
		p := DefaultPlan(0.05, 0.1, true, 48*time.Hour)
		p.StepBack = stepBack
		c, err := NewController(p, t0)
		if err != nil {
			t.Fatal(err)
		}
		var dec Decision
		var nc, nt int64
		for d := 1; d <= 30 && dec.Action != RollBack; d++ {
			pct := c.Percent()
			nt += int64(20000 * pct / 100)
			nc += 20000 - int64(20000*pct/100)
			// Treatment doubles the error rate: caught early.
			if dec, err = c.Observe(obs(d, nc, nt, 0.05, 0.10)); err != nil {
				t.Fatal(err)
			}
		}
		if dec.Action != RollBack || dec.Z < dec.Bound {
			t.Fatalf("StepBack %v: last decision %+v, want a rollback with z ≥ bound", stepBack, dec)
		}
		wantPct := 0.0
		if stepBack && dec.Step >= 0 {
			wantPct = p.Steps[dec.Step].Percent
		}
		if dec.Percent != wantPct || c.Percent() != wantPct {
			t.Errorf("StepBack %v: after rollback percent %v, want %v", stepBack, dec.Percent, wantPct)
		}
		again, _ := c.Observe(obs(40, 1e6, 1e6, 0.05, 0.05))
		if again.Action != RollBack {
			t.Errorf("after rollback: %+v, want it to stay rolled back", again)
		}
	}
}

// TestControllerBetterIsNotHarm: a treatment that lowers the error rate
// never triggers a rollback (one-sided harm test).
func TestControllerBetterIsNotHarm(t *testing.T) {
	c, err := NewController(DefaultPlan(0.05, 0.1, true, 0), t0)
	if err != nil {
		t.Fatal(err)
	}
	for d := 1; d <= 20; d++ {
		dec, err := c.Observe(obs(d, int64(d)*20000, int64(d)*20000, 0.05, 0.02))
		if err != nil {
			t.Fatal(err)
		}
		if dec.Action == RollBack {
			t.Fatalf("day %d: rolled back an improvement: %s", d, dec.Why)
		}
	}
}
