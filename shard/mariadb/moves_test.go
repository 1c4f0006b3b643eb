package mariadb_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/craftkit/craftkit/shard"
)

var items = shard.Table{Name: "items", Object: "object_id", Key: []string{"object_id", "item_id"}}

// itemsOn returns the sorted item ids of an object on one side.
func itemsOn(t *testing.T, r *shard.Router, side string, id uint64) []uint64 {
	t.Helper()
	db, _ := r.DB(side)
	rows, err := db.QueryContext(t.Context(), "SELECT item_id FROM items WHERE object_id = ? ORDER BY item_id", id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []uint64
	for rows.Next() {
		var v uint64
		rows.Scan(&v)
		out = append(out, v)
	}
	return out
}

// checkPlacement checks, after replication, that an object's rows are
// exactly want on both sides of the shard the index names and absent
// from every other shard.
func checkPlacement(t *testing.T, r *shard.Router, id uint64, want []uint64) {
	t.Helper()
	r.Invalidate(id)
	rt, err := r.Lookup(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range r.Topology().Shards {
		for _, side := range []string{p.Side(false), p.Side(true)} {
			got := itemsOn(t, r, side, id)
			if i == rt.Shard && !slices.Equal(got, want) {
				t.Errorf("object %d on %s: %d rows %v, want %d %v", id, side, len(got), got, len(want), want)
			}
			if i != rt.Shard && len(got) != 0 {
				t.Errorf("object %d: %d rows left on %s", id, len(got), side)
			}
		}
	}
}

type writers struct {
	mu    sync.Mutex
	acked map[uint64][]uint64
	stop  chan struct{}
	wg    sync.WaitGroup
	item  atomic.Uint64
	n     atomic.Int64
}

// startWriters runs n goroutines inserting rows into random objects of
// ids until stop is called.
func startWriters(t *testing.T, r *shard.Router, n int, ids []uint64) *writers {
	w := &writers{acked: map[uint64][]uint64{}, stop: make(chan struct{})}
	for g := range n {
		w.wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(g), 77))
			for {
				select {
				case <-w.stop:
					return
				default:
				}
				id := ids[rnd.IntN(len(ids))]
				it := w.item.Add(1)
				if err := r.Update(t.Context(), id, insertItem(id, it)); err != nil {
					t.Errorf("writer: %v", err)
					return
				}
				w.mu.Lock()
				w.acked[id] = append(w.acked[id], it)
				w.mu.Unlock()
				w.n.Add(1)
			}
		})
	}
	return w
}

func (w *writers) halt() {
	close(w.stop)
	w.wg.Wait()
	for id := range w.acked {
		slices.Sort(w.acked[id])
	}
}

func percentile(d []time.Duration, p int) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

// TestMovesUnderWriters moves objects back and forth between the two
// shards, 100 moves two at a time, while four writers insert rows: no
// acknowledged row may be lost or duplicated.
func TestMovesUnderWriters(t *testing.T) {
	r := newRouter(t, "moves", nil)
	ctx := t.Context()
	var ids []uint64
	for id := uint64(1); id <= 40; id++ {
		if _, err := r.Create(ctx, id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	w := startWriters(t, r, 4, ids)
	time.Sleep(200 * time.Millisecond)
	var pmu sync.Mutex
	var pauses []time.Duration
	var next atomic.Int64
	var movers sync.WaitGroup
	start := time.Now()
	for g := range 2 {
		movers.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(g), 5))
			for next.Add(1) <= 100 {
				id := uint64(2*rnd.IntN(20) + 1 + g) // mover 0 odd ids, mover 1 even ids
				rt, err := r.Lookup(ctx, id)
				if err != nil {
					t.Error(err)
					return
				}
				dst := r.Topology().Shards[1-rt.Shard].Name
				var pause time.Duration
				m2, _ := shard.NewMover(r, &shard.MoverConfig{Tables: []shard.Table{items}, OnStep: func(s shard.StepReport) error {
					if s.Step == shard.StepFlipped {
						pause = s.Pause
					}
					return nil
				}})
				if _, err := m2.Move(ctx, id, dst); err != nil {
					t.Error(err)
					return
				}
				pmu.Lock()
				pauses = append(pauses, pause)
				pmu.Unlock()
			}
		})
	}
	movers.Wait()
	took := time.Since(start)
	w.halt()
	waitAll(t, ctx)
	total := 0
	for _, id := range ids {
		checkPlacement(t, r, id, w.acked[id])
		total += len(w.acked[id])
	}
	if len(pauses) != 100 {
		t.Fatalf("%d moves done, want 100", len(pauses))
	}
	t.Logf("100 moves in %v under 4 writers (MariaDB): %d rows acknowledged, 0 lost or duplicated on either side; write pause p50 %v, p99 %v, max %v",
		took.Round(time.Millisecond), total, percentile(pauses, 50), percentile(pauses, 99), percentile(pauses, 100))
}

var errCrash = errors.New("injected crash")

// TestMoveCrashEveryStep stops a move right after each of its steps (as
// a crashed process would), writes where the object is writable, resumes
// with a fresh Mover and checks no row is lost.
func TestMoveCrashEveryStep(t *testing.T) {
	r := newRouter(t, "crash", &shard.Config{MaxWait: time.Second})
	ctx := t.Context()
	for step := shard.StepCopied; step <= shard.StepDone; step++ {
		t.Run(step.String(), func(t *testing.T) {
			id := uint64(1000 + int(step))
			if _, err := r.Create(ctx, id); err != nil {
				t.Fatal(err)
			}
			want := []uint64{1, 2, 3}
			for _, it := range want {
				if err := r.Update(ctx, id, insertItem(id, it)); err != nil {
					t.Fatal(err)
				}
			}
			rt, _ := r.Lookup(ctx, id)
			dst := r.Topology().Shards[1-rt.Shard].Name
			m, _ := shard.NewMover(r, &shard.MoverConfig{Tables: []shard.Table{items}, OnStep: func(s shard.StepReport) error {
				if s.Step == step {
					return errCrash
				}
				return nil
			}})
			if _, err := m.Move(ctx, id, dst); !errors.Is(err, errCrash) {
				t.Fatalf("Move = %v, want the injected crash", err)
			}
			err := r.Update(ctx, id, insertItem(id, 4))
			frozen := step >= shard.StepLocked && step < shard.StepFlipped
			switch {
			case frozen && !errors.Is(err, shard.ErrMoving):
				t.Errorf("write to a frozen object = %v, want ErrMoving", err)
			case !frozen && err != nil:
				t.Errorf("write while stopped at %v: %v", step, err)
			case !frozen:
				want = append(want, 4)
			}
			fresh, _ := shard.NewMover(r, &shard.MoverConfig{Tables: []shard.Table{items}})
			if _, err := fresh.Resume(ctx); err != nil {
				t.Fatal(err)
			}
			if err := r.Update(ctx, id, insertItem(id, 5)); err != nil {
				t.Fatal(err)
			}
			want = append(want, 5)
			waitAll(t, ctx)
			checkPlacement(t, r, id, want)
			if rt2, _ := r.Lookup(ctx, id); r.Topology().Shards[rt2.Shard].Name != dst {
				t.Errorf("object not on %s after resume", dst)
			}
		})
	}
}

// placeOn places every new object on shard 0.
type placeOn struct{}

func (placeOn) Place([]shard.Load, *rand.Rand) int { return 0 }

// TestRebalanceUnderWriters puts every object on shard_001, plans a
// rebalance within a byte bound and runs it two moves at a time while
// four writers insert rows.
func TestRebalanceUnderWriters(t *testing.T) {
	r := newRouter(t, "rebalance", &shard.Config{Placement: placeOn{}})
	ctx := t.Context()
	var ids []uint64
	for id := uint64(1); id <= 40; id++ {
		if _, err := r.Create(ctx, id); err != nil {
			t.Fatal(err)
		}
		for it := uint64(1); it <= id%5+1; it++ {
			if err := r.Update(ctx, id, insertItem(id, 1_000_000+it)); err != nil {
				t.Fatal(err)
			}
		}
		ids = append(ids, id)
	}
	m, _ := shard.NewMover(r, &shard.MoverConfig{Tables: []shard.Table{items}})
	objs, err := m.Sizes(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var all int64
	for _, o := range objs {
		all += o.Bytes
	}
	plan, err := shard.PlanMoves(2, objs, &shard.PlanOptions{MaxBytes: all / 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Moves) == 0 || plan.Bytes > all/3 {
		t.Fatalf("plan: %d moves, %d bytes (bound %d)", len(plan.Moves), plan.Bytes, all/3)
	}
	base := map[uint64][]uint64{}
	for _, id := range ids {
		for it := uint64(1); it <= id%5+1; it++ {
			base[id] = append(base[id], 1_000_000+it)
		}
	}
	w := startWriters(t, r, 4, ids)
	rn := &shard.Runner{Mover: m, Plan: plan, Concurrency: 2}
	rep, err := rn.Run(ctx)
	w.halt()
	if err != nil || rep.Done != len(plan.Moves) {
		t.Fatalf("Run = %+v, %v", rep, err)
	}
	waitAll(t, ctx)
	for _, id := range ids {
		want := slices.Sorted(slices.Values(append(slices.Clone(w.acked[id]), base[id]...)))
		checkPlacement(t, r, id, want)
	}
	loads, _ := r.Loads(ctx)
	t.Logf("rebalance: %d moves, %d of %d bytes (bound %d), loads %v -> %v objects %d/%d; %d concurrent writes, 0 lost",
		rep.Done, plan.Bytes, all, all/3, plan.Before, plan.After, loads[0].Objects, loads[1].Objects, w.n.Load())
}

// TestDivergence diverges one row on side B with binary logging off (so
// it does not replicate) and checks Compare reports exactly that key.
func TestDivergence(t *testing.T) {
	r := newRouter(t, "diverge", nil)
	ctx := t.Context()
	a, _ := r.DB("shard_001_A")
	for id := 1; id <= 100; id++ {
		if _, err := a.ExecContext(ctx, "INSERT INTO items VALUES (?, 1, ?)", id, fmt.Sprint("row ", id)); err != nil {
			t.Fatal(err)
		}
	}
	waitAll(t, ctx)
	d, err := r.Compare(ctx, "shard_001", items, nil)
	if err != nil || !d.Equal() || d.RowsA != 100 || d.RowsB != 100 {
		t.Fatalf("Compare after replication = %+v, %v; want 100 equal rows", d, err)
	}
	db := h.Pair("shard_001").B.Open(t, "diverge")
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{"SET SESSION sql_log_bin = 0", "UPDATE items SET body = 'diverged' WHERE object_id = 42", "SET SESSION sql_log_bin = 1"} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	d, err = r.Compare(ctx, "shard_001", items, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Differing != 1 || d.Keys[0] != (shard.DiffKey{Key: "42,1", Kind: shard.Differs}) || d.SumA == d.SumB {
		t.Errorf("Compare = %+v, want one differing key 42,1", d)
	}
	t.Logf("divergence check: %d rows per side, differing keys %v (checksums %s vs %s)", d.RowsA, d.Keys, d.SumA, d.SumB)
	d, _ = r.Compare(ctx, "shard_001", items, &shard.CompareOptions{From: 50, To: 101})
	if !d.Equal() {
		t.Errorf("Compare of [50, 101) = %+v, want equal", d.Keys)
	}
}
