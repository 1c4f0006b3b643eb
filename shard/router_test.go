package shard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func insertItem(id, item uint64, body string) func(*sql.Tx) error {
	return func(tx *sql.Tx) error {
		_, err := tx.Exec("INSERT INTO items (object_id, item_id, body) VALUES (?, ?, ?)", id, item, body)
		return err
	}
}

func TestRouterCreateUpdateView(t *testing.T) {
	r := newTestRouter(t, 3, &Config{Rand: rand.New(rand.NewPCG(1, 1))})
	ctx := t.Context()
	perShard := make([]int, 3)
	for id := uint64(1); id <= 30; id++ {
		rt, err := r.Create(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		perShard[rt.Shard]++
		if want := SideOf((id + 1) % 2); rt.Write != want {
			t.Errorf("Create(%d).Write = %v, want %v (parity)", id, rt.Write, want)
		}
		if err := r.Update(ctx, id, insertItem(id, 1, "x")); err != nil {
			t.Fatal(err)
		}
	}
	for i, n := range perShard {
		if n != 10 {
			t.Errorf("LeastLoaded put %d objects on shard %d, want 10 (%v)", n, i, perShard)
		}
	}
	if _, err := r.Create(ctx, 7); !errors.Is(err, ErrExists) {
		t.Errorf("Create(7) again = %v, want ErrExists", err)
	}
	var body string
	err := r.View(ctx, 7, func(tx *sql.Tx) error {
		return tx.QueryRow("SELECT body FROM items WHERE object_id = ?", 7).Scan(&body)
	})
	if err != nil || body != "x" {
		t.Errorf("View(7) = %q, %v", body, err)
	}
	if err := r.Update(ctx, 999, insertItem(999, 1, "x")); !errors.Is(err, ErrNotFound) {
		t.Errorf("Update(999) = %v, want ErrNotFound", err)
	}
	appErr := errors.New("app says no")
	if err := r.Update(ctx, 7, func(*sql.Tx) error { return appErr }); err != appErr {
		t.Errorf("Update with failing fn = %v, want the fn's error", err)
	}
	loads, err := r.Loads(ctx)
	if err != nil || loads[0].Objects+loads[1].Objects+loads[2].Objects != 30 {
		t.Errorf("Loads = %v, %v", loads, err)
	}
}

func TestRouterDisabledSide(t *testing.T) {
	r := newTestRouter(t, 2, nil)
	ctx := t.Context()
	const id = 11 // odd: pinned to A
	rt, err := r.Create(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	name := r.topo.Shards[rt.Shard].Name
	if err := r.topo.Disable([]string{name + "_A"}); err != nil {
		t.Fatal(err)
	}
	before := r.Stats()
	if err := r.Update(ctx, id, insertItem(id, 1, "on B")); err != nil {
		t.Fatal(err)
	}
	after := r.Stats()
	a, b := 2*rt.Shard, 2*rt.Shard+1
	if after[a].Queries != before[a].Queries || after[b].Queries != before[b].Queries+1 {
		t.Errorf("with %s_A disabled: A queries %d->%d, B %d->%d; want A unchanged, B +1",
			name, before[a].Queries, after[a].Queries, before[b].Queries, after[b].Queries)
	}
	if rt2, _ := r.Cached(id); rt2.Write != B || rt2.Read != B {
		t.Errorf("Cached route = %+v, want write and read on B", rt2)
	}
	if err := r.topo.Enable([]string{name + "_A"}); err != nil {
		t.Fatal(err)
	}
	if rt2, _ := r.Cached(id); rt2.Write != A {
		t.Errorf("after Enable, route = %+v, want write on A", rt2)
	}
}

func TestRouterSpreadReadsAndPinHash(t *testing.T) {
	r := newTestRouter(t, 1, &Config{SpreadReads: true, Pin: PinHash})
	ctx := t.Context()
	counts := [2]int{}
	for id := uint64(1); id <= 200; id++ {
		rt, err := r.Create(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if rt.Read == rt.Write {
			t.Fatalf("SpreadReads: read side %v equals write side", rt.Read)
		}
		counts[rt.Write]++
	}
	// A fair coin gives 100 ± 3 sigma (21) per side.
	if counts[0] < 79 || counts[0] > 121 {
		t.Errorf("PinHash wrote %v per side, want about 100 each", counts)
	}
}

// TestRouterStaleCache moves an object's index entry behind the router's
// back (as another process's move would) and checks that writes follow
// the index, never landing on the old shard.
func TestRouterStaleCache(t *testing.T) {
	r := newTestRouter(t, 2, nil)
	ctx := t.Context()
	const id = 5
	rt, err := r.Create(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	from, to := rt.Shard, 1-rt.Shard
	// What a move does, without the router knowing.
	fromDB, _ := r.DB(r.topo.Shards[from].Side(false))
	toDB, _ := r.DB(r.topo.Shards[to].Side(false))
	idxDB, _ := r.DB("index_A")
	mustExec(t, toDB, "INSERT INTO shard_objects (object_id, state) VALUES (?, 0)", id)
	mustExec(t, idxDB, "UPDATE shard_index SET shard = ? WHERE object_id = ?", r.topo.Shards[to].Name, id)
	mustExec(t, fromDB, "UPDATE shard_objects SET state = 2 WHERE object_id = ?", id)
	if got, _ := r.Cached(id); got.Shard != from {
		t.Fatalf("cache already updated")
	}
	if err := r.Update(ctx, id, insertItem(id, 1, "x")); err != nil {
		t.Fatal(err)
	}
	if c := countItems(t, r, id); c[from] != 0 || c[to] != 1 {
		t.Errorf("rows per shard = %v, want the new shard only", c)
	}
	if got, _ := r.Cached(id); got.Shard != to {
		t.Errorf("cache not refreshed: shard %d", got.Shard)
	}
}

func mustExec(t testing.TB, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestRouterCacheInvalidate(t *testing.T) {
	r := newTestRouter(t, 2, &Config{CacheSize: 4})
	ctx := t.Context()
	for id := uint64(1); id <= 20; id++ {
		if _, err := r.Create(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	hits := 0
	for id := uint64(1); id <= 20; id++ {
		if _, ok := r.Cached(id); ok {
			hits++
		}
	}
	if hits > 4 {
		t.Errorf("%d cached entries in a 4-slot cache", hits)
	}
	if _, err := r.Lookup(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if _, ok := r.Cached(3); !ok {
		t.Errorf("Cached(3) missed right after Lookup")
	}
	r.Invalidate(3)
	if _, ok := r.Cached(3); ok {
		t.Errorf("Cached(3) hit after Invalidate")
	}
	r.Lookup(ctx, 3)
	r.InvalidateAll()
	if _, ok := r.Cached(3); ok {
		t.Errorf("Cached(3) hit after InvalidateAll")
	}
}

func TestCachedNoAllocs(t *testing.T) {
	r := newTestRouter(t, 2, nil)
	if _, err := r.Create(t.Context(), 42); err != nil {
		t.Fatal(err)
	}
	var sink Route
	allocs := testing.AllocsPerRun(1000, func() {
		rt, ok := r.Cached(42)
		if !ok {
			panic("miss")
		}
		sink = rt
	})
	if allocs != 0 {
		t.Errorf("Cached allocates %v times per call, want 0", allocs)
	}
	_ = sink
}

func TestPlacementPolicies(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	loads := []Load{{Shard: 0, Objects: 10, Weight: 1}, {Shard: 1, Objects: 4, Weight: 1}, {Shard: 2, Objects: 9, Weight: 3}}
	if got := (LeastLoaded{}).Place(loads, rnd); got != 2 {
		t.Errorf("LeastLoaded = %d, want 2 (9/3 objects per weight)", got)
	}
	const n = 60000
	for _, tt := range []struct {
		name string
		p    Placement
		want []float64
	}{
		{"random", Random{}, []float64{1. / 3, 1. / 3, 1. / 3}},
		{"weighted", Weighted{}, []float64{0.2, 0.2, 0.6}},
	} {
		count := make([]float64, 3)
		for range n {
			count[tt.p.Place(loads, rnd)]++
		}
		for i, c := range count {
			p := tt.want[i]
			sigma := math.Sqrt(n * p * (1 - p))
			if math.Abs(c-n*p) > 4*sigma {
				t.Errorf("%s: shard %d got %v of %d, want %v ± %v", tt.name, i, c, n, n*p, 4*sigma)
			}
		}
	}
	// Ties are broken at random, all tied shards reachable.
	tied := []Load{{Objects: 1}, {Objects: 1}, {Objects: 1}}
	seen := map[int]bool{}
	for range 100 {
		seen[(LeastLoaded{}).Place(tied, rnd)] = true
	}
	if len(seen) != 3 {
		t.Errorf("LeastLoaded ties reached %v, want all 3", seen)
	}
}

func TestIdle(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()) }
	r := newTestRouter(t, 1, &Config{Now: clock})
	ctx := t.Context()
	if _, err := r.Create(ctx, 1); err != nil { // odd: shard_001_A
		t.Fatal(err)
	}
	idle, st, err := r.Idle("shard_001_A", 5*time.Second)
	if err != nil || idle {
		t.Errorf("Idle right after use = %v (%+v), %v, want false", idle, st, err)
	}
	r.topo.Disable([]string{"shard_001_A"})
	now.Add(int64(3 * time.Second))
	r.Update(ctx, 1, insertItem(1, 1, "x")) // goes to B
	now.Add(int64(3 * time.Second))
	if idle, st, _ := r.Idle("shard_001_A", 5*time.Second); !idle {
		t.Errorf("A not idle 6 s after its last use: %+v", st)
	}
	if idle, _, _ := r.Idle("shard_001_B", 5*time.Second); idle {
		t.Errorf("B idle 3 s after use with quiet 5 s")
	}
	if _, _, err := r.Idle("nope", time.Second); !errors.Is(err, ErrUnknownSide) {
		t.Errorf("Idle(nope) = %v", err)
	}
}

// TestNoPasswordInOutput checks that errors from a failing Open and the
// stats never show a DSN's password.
func TestNoPasswordInOutput(t *testing.T) {
	topo := mustTopology(t, 2)
	_, err := NewRouter(topo, &Config{Open: func(dsn string) (*sql.DB, error) {
		return nil, fmt.Errorf("cannot parse %q (password %s)", dsn, secret)
	}})
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("NewRouter error = %v, want one without the password", err)
	}
	r, err := NewRouter(topo, &Config{Open: openSQLite})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	_, err = r.Lookup(ctx, 1) // the DSNs are not SQLite files: fails
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("Lookup error = %v, want one without the password", err)
	}
	if s := fmt.Sprintf("%+v", r.Stats()); strings.Contains(s, secret) {
		t.Errorf("Stats show the password: %s", s)
	}
}

// TestCreateRace creates the same id from several routers at once: one
// wins, the others get ErrExists, and only the winner's shard keeps a
// state row.
func TestCreateRace(t *testing.T) {
	r := newTestRouter(t, 4, &Config{Placement: Random{}, Rand: rand.New(rand.NewPCG(9, 9))})
	ctx := t.Context()
	for id := uint64(1); id <= 20; id++ {
		errs := make(chan error, 4)
		for g := range 4 {
			go func() {
				r2, err := NewRouter(r.topo, &Config{Open: openSQLite, Dialect: SQLite, Placement: Random{}, Rand: rand.New(rand.NewPCG(id, uint64(g)))})
				if err != nil {
					errs <- err
					return
				}
				defer r2.Close()
				_, err = r2.Create(ctx, id)
				errs <- err
			}()
		}
		won := 0
		for range 4 {
			err := <-errs
			switch {
			case err == nil:
				won++
			case !errors.Is(err, ErrExists):
				t.Fatalf("Create(%d): %v", id, err)
			}
		}
		if won != 1 {
			t.Fatalf("Create(%d) succeeded %d times, want 1", id, won)
		}
		rt, err := r.Lookup(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range r.topo.Shards {
			db, _ := r.DB(p.Side(false))
			var n int
			db.QueryRow("SELECT COUNT(*) FROM shard_objects WHERE object_id = ?", id).Scan(&n)
			if want := map[bool]int{true: 1, false: 0}[i == rt.Shard]; n != want {
				t.Errorf("object %d: %d state rows on %s, want %d", id, n, p.Name, want)
			}
		}
	}
}
