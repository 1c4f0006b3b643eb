package shard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var itemsTable = Table{Name: "items", Object: "object_id", Key: []string{"object_id", "item_id"}}

func newTestMover(t testing.TB, r *Router, cfg *MoverConfig) *Mover {
	t.Helper()
	c := MoverConfig{Tables: []Table{itemsTable}}
	if cfg != nil {
		c.OnStep = cfg.OnStep
	}
	m, err := NewMover(r, &c)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// checkObject checks that the object's rows are exactly want (item ids),
// all on the shard the index names, and none elsewhere.
func checkObject(t *testing.T, r *Router, id uint64, want []uint64) {
	t.Helper()
	r.Invalidate(id)
	rt, err := r.Lookup(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range r.topo.Shards {
		db, _ := r.DB(p.Side(false))
		rows, err := db.Query("SELECT item_id FROM items WHERE object_id = ? ORDER BY item_id", id)
		if err != nil {
			t.Fatal(err)
		}
		var got []uint64
		for rows.Next() {
			var v uint64
			rows.Scan(&v)
			got = append(got, v)
		}
		rows.Close()
		var st int
		err = db.QueryRow("SELECT state FROM shard_objects WHERE object_id = ?", id).Scan(&st)
		if i == rt.Shard {
			if !slices.Equal(got, want) {
				t.Errorf("object %d on its shard %s: items %v, want %v", id, p.Name, got, want)
			}
			if err != nil || st != stateHome {
				t.Errorf("object %d on its shard %s: state %d, %v, want home", id, p.Name, st, err)
			}
		} else {
			if len(got) != 0 {
				t.Errorf("object %d: %d rows left on %s, which the index does not name", id, len(got), p.Name)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				t.Errorf("object %d: state row left on %s (state %d, %v)", id, p.Name, st, err)
			}
		}
	}
}

func otherShard(r *Router, id uint64) string {
	rt, _ := r.Lookup(context.Background(), id)
	return r.topo.Shards[(rt.Shard+1)%len(r.topo.Shards)].Name
}

func TestMove(t *testing.T) {
	r := newTestRouter(t, 2, nil)
	ctx := t.Context()
	const id = 3
	r.Create(ctx, id)
	for i := uint64(1); i <= 5; i++ {
		if err := r.Update(ctx, id, insertItem(id, i, "x")); err != nil {
			t.Fatal(err)
		}
	}
	var steps []MoveStep
	m := newTestMover(t, r, &MoverConfig{OnStep: func(s StepReport) error { steps = append(steps, s.Step); return nil }})
	rep, err := m.Move(ctx, id, otherShard(r, id))
	if err != nil {
		t.Fatal(err)
	}
	want := []MoveStep{StepCopied, StepLocked, StepDelta, StepVerified, StepFlipped, StepDone}
	if !slices.Equal(steps, want) || rep.Step != StepDone || rep.Rows != 5 {
		t.Errorf("steps %v, last %+v; want %v ending with 5 rows deleted", steps, rep, want)
	}
	checkObject(t, r, id, []uint64{1, 2, 3, 4, 5})
	if _, err := m.Move(ctx, id, "shard_009"); err == nil {
		t.Errorf("move to an unknown shard accepted")
	}
	rt, _ := r.Lookup(ctx, id)
	if _, err := m.Move(ctx, id, r.topo.Shards[rt.Shard].Name); err == nil {
		t.Errorf("move to the object's own shard accepted")
	}
}

// TestMoveDelta changes the source between the copy and the lock
// (insert, update, delete) and checks the destination ends equal.
func TestMoveDelta(t *testing.T) {
	r := newTestRouter(t, 2, nil)
	ctx := t.Context()
	const id = 8
	r.Create(ctx, id)
	for i := uint64(1); i <= 4; i++ {
		r.Update(ctx, id, insertItem(id, i, "v1"))
	}
	var deltaRows int
	m := newTestMover(t, r, &MoverConfig{OnStep: func(s StepReport) error {
		switch s.Step {
		case StepCopied:
			return r.Update(ctx, id, func(tx *sql.Tx) error {
				if _, err := tx.Exec("DELETE FROM items WHERE object_id = ? AND item_id = 2", id); err != nil {
					return err
				}
				if _, err := tx.Exec("UPDATE items SET body = 'v2' WHERE object_id = ? AND item_id = 3", id); err != nil {
					return err
				}
				_, err := tx.Exec("INSERT INTO items VALUES (?, 9, 'new')", id)
				return err
			})
		case StepDelta:
			deltaRows = s.Rows
		}
		return nil
	}})
	if _, err := m.Move(ctx, id, otherShard(r, id)); err != nil {
		t.Fatal(err)
	}
	if deltaRows != 3 {
		t.Errorf("delta copied %d rows, want 3 (one deleted, one updated, one inserted)", deltaRows)
	}
	checkObject(t, r, id, []uint64{1, 3, 4, 9})
	var body string
	r.View(ctx, id, func(tx *sql.Tx) error {
		return tx.QueryRow("SELECT body FROM items WHERE object_id = ? AND item_id = 3", id).Scan(&body)
	})
	if body != "v2" {
		t.Errorf("item 3 body = %q after the move, want v2", body)
	}
}

// TestMoveChecksumMismatch corrupts the destination after the delta:
// verification must refuse to flip, and Cancel must restore the source.
func TestMoveChecksumMismatch(t *testing.T) {
	r := newTestRouter(t, 2, nil)
	ctx := t.Context()
	const id = 5
	rt, _ := r.Create(ctx, id)
	r.Update(ctx, id, insertItem(id, 1, "x"))
	dst := otherShard(r, id)
	m := newTestMover(t, r, nil)
	m.beforeRecord = func(_ uint64, s MoveStep) error {
		if s == StepDelta {
			db, _ := r.DB(dst + "_A")
			_, err := db.Exec("UPDATE items SET body = 'corrupt' WHERE object_id = ?", id)
			return err
		}
		return nil
	}
	_, err := m.Move(ctx, id, dst)
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("Move with a corrupted copy = %v, want ErrChecksum", err)
	}
	if got, _ := r.Lookup(ctx, id); got.Shard != rt.Shard {
		t.Errorf("index flipped despite the mismatch")
	}
	m.beforeRecord = nil
	if err := m.Cancel(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := r.Update(ctx, id, insertItem(id, 2, "y")); err != nil {
		t.Fatalf("write after Cancel: %v", err)
	}
	checkObject(t, r, id, []uint64{1, 2})
	if p, _ := m.Pending(ctx); len(p) != 0 {
		t.Errorf("Pending after Cancel = %v", p)
	}
}

var errCrash = errors.New("injected crash")

// TestMoveCrashEveryStep crashes a move at every step, both after the
// step's work but before its record, and right after the record, then
// resumes it: no row is lost or duplicated, and writes made while the
// move was stopped before its lock are kept.
func TestMoveCrashEveryStep(t *testing.T) {
	for step := StepCopied; step <= StepDone; step++ {
		for _, recorded := range []bool{false, true} {
			t.Run(fmt.Sprintf("%v/recorded=%v", step, recorded), func(t *testing.T) {
				r := newTestRouter(t, 2, &Config{MaxWait: 2 * time.Second})
				ctx := t.Context()
				const id = 21
				r.Create(ctx, id)
				want := []uint64{1, 2, 3}
				for _, i := range want {
					r.Update(ctx, id, insertItem(id, i, "x"))
				}
				crashing := &MoverConfig{}
				if recorded {
					crashing.OnStep = func(s StepReport) error {
						if s.Step == step {
							return errCrash
						}
						return nil
					}
				}
				m := newTestMover(t, r, crashing)
				if !recorded {
					m.beforeRecord = func(_ uint64, s MoveStep) error {
						if s == step {
							return errCrash
						}
						return nil
					}
				}
				_, err := m.Move(ctx, id, otherShard(r, id))
				if !errors.Is(err, errCrash) {
					t.Fatalf("Move = %v, want the injected crash", err)
				}
				// While the move is stopped: writes succeed unless the object
				// is frozen (between lock and flip), where they wait and time out.
				frozen := step >= StepLocked && step < StepFlipped
				err = r.Update(ctx, id, insertItem(id, 4, "during"))
				if frozen {
					if !errors.Is(err, ErrMoving) {
						t.Errorf("write to a frozen object = %v, want ErrMoving", err)
					}
				} else if err != nil {
					t.Errorf("write while the move is stopped: %v", err)
				} else {
					want = append(want, 4)
				}
				// A new process resumes the move.
				m2 := newTestMover(t, r, nil)
				reps, err := m2.Resume(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if step != StepDone || !recorded {
					if len(reps) != 1 || reps[0].Step != StepDone || !reps[0].Resumed {
						t.Errorf("Resume reports %+v, want one resumed move ending done", reps)
					}
				}
				if err := r.Update(ctx, id, insertItem(id, 5, "after")); err != nil {
					t.Fatal(err)
				}
				checkObject(t, r, id, append(want, 5))
			})
		}
	}
}

// TestMovesUnderWriters runs 100 moves, two at a time, while four
// writers insert rows into random objects: every acknowledged row must
// exist exactly once, on the object's shard.
func TestMovesUnderWriters(t *testing.T) {
	if testing.Short() {
		t.Skip("100 moves under load; skipped with -short")
	}
	r := newTestRouter(t, 3, nil)
	ctx := t.Context()
	const objects = 30
	for id := uint64(1); id <= objects; id++ {
		if _, err := r.Create(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	acked := map[uint64][]uint64{}
	var item atomic.Uint64
	stop := make(chan struct{})
	var writers sync.WaitGroup
	for w := range 4 {
		writers.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(w), 1))
			for {
				select {
				case <-stop:
					return
				default:
				}
				id := 1 + rnd.Uint64N(objects)
				it := item.Add(1)
				if err := r.Update(ctx, id, insertItem(id, it, "w")); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				acked[id] = append(acked[id], it)
				mu.Unlock()
			}
		})
	}
	var pauses []time.Duration
	var pmu sync.Mutex
	m := newTestMover(t, r, &MoverConfig{OnStep: func(s StepReport) error {
		if s.Step == StepFlipped {
			pmu.Lock()
			pauses = append(pauses, s.Pause)
			pmu.Unlock()
		}
		return nil
	}})
	var movers sync.WaitGroup
	var next atomic.Int64
	for mv := range 2 {
		movers.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(mv), 2))
			for next.Add(1) <= 100 {
				// Mover mv moves odd (even) objects only, so the two never
				// pick the same object at once.
				id := uint64(2*rnd.IntN(objects/2) + 1 + mv)
				if _, err := m.Move(ctx, id, otherShard(r, id)); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	movers.Wait()
	close(stop)
	writers.Wait()
	total := 0
	for id := uint64(1); id <= objects; id++ {
		want := slices.Sorted(slices.Values(acked[id]))
		checkObject(t, r, id, want)
		total += len(want)
	}
	slices.Sort(pauses)
	if len(pauses) != 100 {
		t.Fatalf("%d moves flipped, want 100", len(pauses))
	}
	t.Logf("100 moves under 4 writers (SQLite): %d rows written, 0 lost or duplicated; write pause p50 %v, max %v",
		total, pauses[50], pauses[99])
}
