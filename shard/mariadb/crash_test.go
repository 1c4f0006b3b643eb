package mariadb_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/craftkit/craftkit/shard"
)

// TestMoveCrashAnywhere stops moves at random instants — mid-step, with
// statements in flight — by cancelling their context, as a process
// dying would, while four writers keep writing; a fresh Mover then
// resumes them. No acknowledged row may be lost or duplicated.
func TestMoveCrashAnywhere(t *testing.T) {
	r := newRouter(t, "anywhere", &shard.Config{MaxWait: 20 * time.Second})
	ctx := t.Context()
	var ids []uint64
	for id := uint64(1); id <= 20; id++ {
		if _, err := r.Create(ctx, id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	w := startWriters(t, r, 4, ids)
	rnd := rand.New(rand.NewPCG(4, 4))
	interrupted, finished := 0, 0
	stoppedAfter := map[shard.MoveStep]int{}
	var mu sync.Mutex
	for i := range 30 {
		id := ids[i%len(ids)]
		rt, err := r.Lookup(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		dst := r.Topology().Shards[1-rt.Shard].Name
		last := shard.StepPlanned
		m, _ := shard.NewMover(r, &shard.MoverConfig{Tables: []shard.Table{items}, OnStep: func(s shard.StepReport) error {
			last = s.Step
			return nil
		}})
		mctx, cancel := context.WithCancel(ctx)
		timer := time.AfterFunc(time.Duration(rnd.IntN(300_000))*time.Microsecond, cancel)
		_, err = m.Move(mctx, id, dst)
		timer.Stop()
		cancel()
		mu.Lock()
		if err != nil {
			if !errors.Is(err, context.Canceled) && ctx.Err() == nil {
				// A statement cut off by the cancel surfaces as the driver's
				// error; the move is resumed all the same.
				t.Logf("move of %d stopped: %v", id, err)
			}
			interrupted++
			stoppedAfter[last]++
		} else {
			finished++
		}
		mu.Unlock()
		fresh, _ := shard.NewMover(r, &shard.MoverConfig{Tables: []shard.Table{items}})
		if _, err := fresh.Resume(ctx); err != nil {
			t.Fatalf("resume after the stop of %d: %v", id, err)
		}
	}
	w.halt()
	waitAll(t, ctx)
	for _, id := range ids {
		checkPlacement(t, r, id, w.acked[id])
	}
	if interrupted == 0 {
		t.Errorf("no move was interrupted; the test exercised nothing")
	}
	t.Logf("30 moves stopped at random instants (%d interrupted, after steps %v; %d finished first) and resumed under 4 writers: %d rows, 0 lost",
		interrupted, stoppedAfter, finished, w.n.Load())
}
