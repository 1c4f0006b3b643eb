package shard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

func spread(load []float64, w []float64) float64 {
	total, sumW := 0.0, 0.0
	for i := range load {
		total += load[i]
		sumW += w[i]
	}
	s := 0.0
	for i := range load {
		s += math.Abs(load[i] - total*w[i]/sumW)
	}
	return s
}

// TestPlanMovesProperty checks random inputs: the plan respects the byte
// bound, moves each object at most once from the shard it is on, its
// After loads match the moves, and it never widens the spread.
func TestPlanMovesProperty(t *testing.T) {
	rnd := rand.New(rand.NewPCG(6, 6))
	for trial := range 500 {
		shards := 1 + rnd.IntN(6)
		var objs []ObjectSize
		hot := rnd.IntN(shards)
		for id := range uint64(rnd.IntN(200)) {
			s := rnd.IntN(shards)
			if rnd.IntN(2) == 0 {
				s = hot
			}
			size := float64(1 + rnd.IntN(100))
			objs = append(objs, ObjectSize{ID: id, Shard: s, Size: size, Bytes: int64(size) * 100})
		}
		w := make([]float64, shards)
		for i := range w {
			w[i] = float64(1 + rnd.IntN(3))
		}
		maxBytes := int64(rnd.IntN(50000))
		plan, err := PlanMoves(shards, objs, &PlanOptions{MaxBytes: maxBytes, Weights: w})
		if err != nil {
			t.Fatal(err)
		}
		if maxBytes > 0 && plan.Bytes > maxBytes {
			t.Fatalf("trial %d: plan moves %d bytes, bound %d", trial, plan.Bytes, maxBytes)
		}
		where := map[uint64]int{}
		for _, o := range objs {
			where[o.ID] = o.Shard
		}
		load := append([]float64(nil), plan.Before...)
		var bytes int64
		for _, m := range plan.Moves {
			if where[m.ID] != m.From || m.From == m.To {
				t.Fatalf("trial %d: move %+v of an object on shard %d", trial, m, where[m.ID])
			}
			where[m.ID] = -1
			load[m.From] -= m.Size
			load[m.To] += m.Size
			bytes += m.Bytes
		}
		for i := range load {
			if math.Abs(load[i]-plan.After[i]) > 1e-6 {
				t.Fatalf("trial %d: After %v, moves give %v", trial, plan.After, load)
			}
		}
		if bytes != plan.Bytes {
			t.Fatalf("trial %d: Bytes %d, moves sum to %d", trial, plan.Bytes, bytes)
		}
		if spread(plan.After, w) > spread(plan.Before, w)+1e-9 {
			t.Fatalf("trial %d: spread grew from %v to %v", trial, spread(plan.Before, w), spread(plan.After, w))
		}
	}
}

func TestPlanMovesFillsNewShard(t *testing.T) {
	var objs []ObjectSize
	for id := range uint64(90) {
		objs = append(objs, ObjectSize{ID: id, Shard: int(id % 2), Size: 10, Bytes: 1000})
	}
	plan, err := PlanMoves(3, objs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Moves) != 30 || plan.After[2] != 300 {
		t.Errorf("plan: %d moves, loads %v -> %v; want 30 moves filling shard 2 to 300", len(plan.Moves), plan.Before, plan.After)
	}
	bounded, _ := PlanMoves(3, objs, &PlanOptions{MaxBytes: 10500})
	if len(bounded.Moves) != 10 || bounded.Bytes != 10000 {
		t.Errorf("bounded plan: %d moves, %d bytes; want 10 moves, 10000 bytes", len(bounded.Moves), bounded.Bytes)
	}
}

// fixedPlacement places every new object on one of the first n shards.
type fixedPlacement struct{ n int }

func (f fixedPlacement) Place(loads []Load, rnd *rand.Rand) int { return rnd.IntN(f.n) }

// TestRebalance fills a third, empty shard: sizes, plan, a runner with
// two moves at a time under a writer, then the rows are all there.
func TestRebalance(t *testing.T) {
	r := newTestRouter(t, 3, &Config{Placement: fixedPlacement{2}, Rand: rand.New(rand.NewPCG(2, 2))})
	ctx := t.Context()
	want := map[uint64][]uint64{}
	for id := uint64(1); id <= 30; id++ {
		if _, err := r.Create(ctx, id); err != nil {
			t.Fatal(err)
		}
		for i := uint64(1); i <= id%4+1; i++ {
			r.Update(ctx, id, insertItem(id, i, strings.Repeat("b", 10)))
			want[id] = append(want[id], i)
		}
	}
	m := newTestMover(t, r, nil)
	var objs []ObjectSize
	for p := range 3 {
		o, err := m.Sizes(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, o...)
	}
	if len(objs) != 30 {
		t.Fatalf("Sizes found %d objects, want 30", len(objs))
	}
	plan, err := PlanMoves(3, objs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Before[2] != 0 || plan.After[2] == 0 {
		t.Fatalf("plan does not fill shard 3: %v -> %v", plan.Before, plan.After)
	}
	// A writer appends to object 1 throughout.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	wg.Go(func() {
		for i := uint64(100); ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := r.Update(ctx, 1, insertItem(1, i, "w")); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			want[1] = append(want[1], i)
			mu.Unlock()
		}
	})
	rn := &Runner{Mover: m, Plan: plan, Concurrency: 2}
	rep, err := rn.Run(ctx)
	close(stop)
	wg.Wait()
	if err != nil || rep.Done != len(plan.Moves) || rep.Failed != 0 {
		t.Fatalf("Run = %+v, %v; want %d moves done", rep, err, len(plan.Moves))
	}
	for id, items := range want {
		checkObject(t, r, id, items)
	}
	loads, _ := r.Loads(ctx)
	if loads[2].Objects == 0 {
		t.Errorf("shard 3 still empty after the rebalance: %+v", loads)
	}
}

func TestRunnerPauseAbort(t *testing.T) {
	r := newTestRouter(t, 2, &Config{Placement: fixedPlacement{1}})
	ctx := t.Context()
	var plan Plan
	for id := uint64(1); id <= 10; id++ {
		r.Create(ctx, id)
		plan.Moves = append(plan.Moves, PlannedMove{ID: id, From: 0, To: 1})
	}
	m := newTestMover(t, r, nil)
	rn := &Runner{Mover: m, Plan: plan}
	moved := 0
	rn.OnMove = func(pm PlannedMove, _ StepReport, err error) {
		moved++
		if moved == 3 {
			rn.Pause()
			// While paused nothing starts; abort from here.
			go func() { rn.Abort() }()
		}
	}
	rep, err := rn.Run(ctx)
	if !errors.Is(err, ErrAborted) || rep.Done != 3 || rep.NotStarted != 7 {
		t.Errorf("Run = %+v, %v; want 3 done, 7 not started, ErrAborted", rep, err)
	}
	if p, _ := m.Pending(ctx); len(p) != 0 {
		t.Errorf("aborted run left moves pending: %v", p)
	}
	// A cancelled context also stops it.
	rn2 := &Runner{Mover: m, Plan: Plan{Moves: plan.Moves[3:]}}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := rn2.Run(cctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a cancelled context = %v", err)
	}
}

// TestCompare diverges the two sides of a pair (separate SQLite files)
// and checks that exactly the changed keys are reported.
func TestCompare(t *testing.T) {
	dir := t.TempDir()
	js := fmt.Sprintf(`{"shards": [{"name": "s1", "a": %q, "b": %q}], "index": {"a": %q, "b": %q}, "tickets": [%q, %q]}`,
		sqliteDSN(dir, "a.db", "A"), sqliteDSN(dir, "b.db", "B"), sqliteDSN(dir, "i.db", "A"), sqliteDSN(dir, "i.db", "B"),
		sqliteDSN(dir, "t1.db", "A"), sqliteDSN(dir, "t2.db", "B"))
	topo, err := ParseTopology([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRouter(topo, &Config{Open: openSQLite, Dialect: SQLite})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, side := range []string{"s1_A", "s1_B"} {
		db, _ := r.DB(side)
		mustExec(t, db, itemsDDL)
		for id := 1; id <= 50; id++ {
			mustExec(t, db, "INSERT INTO items VALUES (?, 1, 'same')", id)
		}
	}
	a, _ := r.DB("s1_A")
	b, _ := r.DB("s1_B")
	ctx := t.Context()
	d, err := r.Compare(ctx, "s1", itemsTable, nil)
	if err != nil || !d.Equal() || d.SumA != d.SumB || d.RowsA != 50 {
		t.Fatalf("Compare of equal sides = %+v, %v", d, err)
	}
	mustExec(t, a, "UPDATE items SET body = 'diverged' WHERE object_id = 7")
	mustExec(t, a, "INSERT INTO items VALUES (9, 2, 'only A')")
	mustExec(t, b, "DELETE FROM items WHERE object_id = 30")
	d, err = r.Compare(ctx, "s1", itemsTable, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []DiffKey{{"30,1", OnlyA}, {"7,1", Differs}, {"9,2", OnlyA}}
	if fmt.Sprint(d.Keys) != fmt.Sprint(want) || d.SumA == d.SumB {
		t.Errorf("Compare keys = %v, want %v", d.Keys, want)
	}
	d, _ = r.Compare(ctx, "s1", itemsTable, &CompareOptions{From: 1, To: 8})
	if d.Differing != 1 || d.Keys[0].Key != "7,1" {
		t.Errorf("Compare [1, 8) = %+v, want key 7,1 only", d.Keys)
	}
	d, _ = r.Compare(ctx, "s1", itemsTable, &CompareOptions{MaxKeys: 1})
	if d.Differing != 3 || len(d.Keys) != 1 || !d.KeysTruncated {
		t.Errorf("Compare with MaxKeys 1 = %d differing, %d listed, truncated %v", d.Differing, len(d.Keys), d.KeysTruncated)
	}
	if _, err := r.Compare(ctx, "s1", itemsTable, &CompareOptions{MaxRows: 10}); err == nil {
		t.Errorf("Compare beyond MaxRows succeeded")
	}
	if _, err := r.Compare(ctx, "nope", itemsTable, nil); err == nil {
		t.Errorf("Compare of an unknown pair succeeded")
	}
	_ = sql.ErrNoRows
}

// TestPlanMovesRefusesHostileInput checks that sizes the planner cannot
// balance, and shard counts it cannot allocate for, are refused with an
// error naming the value instead of panicking or planning from NaN.
func TestPlanMovesRefusesHostileInput(t *testing.T) {
	ok := []ObjectSize{{ID: 1, Shard: 0, Size: 5, Bytes: 10}, {ID: 2, Shard: 0, Size: 3, Bytes: 10}}
	cases := []struct {
		name   string
		shards int
		objs   []ObjectSize
		w      []float64
		want   string
	}{
		{"huge shard count", 1 << 40, ok, nil, "1099511627776 shards"},
		{"max int shards", math.MaxInt, ok, nil, "shards, more than"},
		{"NaN size", 2, []ObjectSize{{ID: 7, Size: math.NaN()}}, nil, "object 7"},
		{"Inf size", 2, []ObjectSize{{ID: 8, Size: math.Inf(1)}}, nil, "object 8"},
		{"negative bytes", 2, []ObjectSize{{ID: 9, Size: 1, Bytes: -5}}, nil, "-5 bytes"},
		{"overflowing total", 2, []ObjectSize{{ID: 1, Size: math.MaxFloat64}, {ID: 2, Size: math.MaxFloat64}}, nil, "overflows"},
		{"negative weight", 2, ok, []float64{1, -2}, "Weights[1] = -2"},
		{"NaN weight", 2, ok, []float64{math.NaN()}, "Weights[0] = NaN"},
		{"Inf weight", 2, ok, []float64{1, math.Inf(1)}, "Weights[1] = +Inf"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := PlanMoves(c.shards, c.objs, &PlanOptions{Weights: c.w})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("PlanMoves: err = %v, want one containing %q", err, c.want)
			}
		})
	}
	if _, err := PlanMoves(MaxShards, ok, nil); err != nil {
		t.Fatalf("PlanMoves(MaxShards): %v", err)
	}
}

// TestPlaceEmptyLoads checks that every placement answers -1 for empty
// loads (Random panicked in rand.IntN(0)).
func TestPlaceEmptyLoads(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, p := range []Placement{LeastLoaded{}, Random{}, Weighted{}} {
		if got := p.Place(nil, rnd); got != -1 {
			t.Errorf("%T.Place(nil) = %d, want -1", p, got)
		}
	}
}
