package mariadb_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/craftkit/craftkit/shard"
)

// TestMoveWhileSidesFlip moves objects off shard_001 while the disabled
// sides change mid-move and replication into one side lags (its SQL
// thread stopped for lagFor, as a busy replica would): a write routed to
// side B of the source must arrive on the destination. Each trial
// writes once to B, either before the lock (while A does not apply B's
// events) or after it (while B does not apply A's, so B has not seen the
// freeze yet when the write arrives); the write is retried until
// acknowledged, and then must be on both sides of the destination and
// on neither side of the source. CRAFTKIT_LONG=1 runs 100 trials of
// each kind instead of 10.
func TestMoveWhileSidesFlip(t *testing.T) {
	r := newRouter(t, "sideflip", &shard.Config{Placement: placeOn{}})
	ctx := t.Context()
	topo := r.Topology()
	src := h.Pair("shard_001")
	trials := 10
	if os.Getenv("CRAFTKIT_LONG") == "1" {
		trials = 100
	}
	const lagFor = 300 * time.Millisecond
	lost := 0
	for trial := range 2 * trials {
		afterLock := trial%2 == 1
		id := uint64(2*trial + 1) // odd: pinned to side A
		if _, err := r.Create(ctx, id); err != nil {
			t.Fatal(err)
		}
		want := []uint64{1, 2, 3}
		for _, it := range want {
			if err := r.Update(ctx, id, insertItem(id, it)); err != nil {
				t.Fatal(err)
			}
		}
		waitAll(t, ctx)
		// The replica that lags: A (applying B's writes) when the write
		// comes before the lock, B (applying A's freeze) when after.
		lagging := src.A
		if afterLock {
			lagging = src.B
		}
		const late = 100
		written := make(chan error, 1)
		var resume *time.Timer
		m, err := shard.NewMover(r, &shard.MoverConfig{Tables: []shard.Table{items}, OnStep: func(s shard.StepReport) error {
			switch {
			case s.Step == shard.StepCopied:
				if err := lagging.Exec(ctx, "STOP SLAVE SQL_THREAD"); err != nil {
					return err
				}
				resume = time.AfterFunc(lagFor, func() { lagging.Exec(context.Background(), "START SLAVE SQL_THREAD") })
				if afterLock {
					return nil
				}
			case s.Step == shard.StepLocked && afterLock:
			default:
				return nil
			}
			if err := topo.Disable([]string{"shard_001_A"}); err != nil {
				return err
			}
			go func() { written <- r.Update(ctx, id, insertItem(id, late)) }()
			// Put A back once the write is acknowledged or held back.
			select {
			case err := <-written:
				written <- err
			case <-time.After(100 * time.Millisecond):
			}
			return topo.Enable([]string{"shard_001_A"})
		}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = m.Move(ctx, id, "shard_002")
		if resume != nil && resume.Stop() {
			lagging.Exec(ctx, "START SLAVE SQL_THREAD")
		}
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if err := <-written; err != nil {
			t.Fatalf("trial %d: write to B: %v", trial, err)
		}
		waitAll(t, ctx)
		want = append(want, late)
		before := t.Failed()
		checkPlacement(t, r, id, want)
		if !before && t.Failed() {
			lost++
			t.Logf("trial %d (write %s the lock): the write to B did not arrive", trial, map[bool]string{false: "before", true: "after"}[afterLock])
		}
	}
	t.Logf("%d trials (%d with the write to B before the lock, %d after), replication held back %v per trial: %d lost writes",
		2*trials, trials, trials, lagFor, lost)
}
