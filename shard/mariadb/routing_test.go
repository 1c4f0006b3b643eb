package mariadb_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/craftkit/craftkit/shard"
)

func insertItem(id, item uint64) func(*sql.Tx) error {
	return func(tx *sql.Tx) error {
		_, err := tx.Exec("INSERT INTO items (object_id, item_id, body) VALUES (?, ?, ?)", id, item, fmt.Sprintf("item %d of %d", item, id))
		return err
	}
}

// countOn counts items rows of an object on one side.
func countOn(t *testing.T, r *shard.Router, side string, id uint64) int {
	t.Helper()
	db, _ := r.DB(side)
	var n int
	if err := db.QueryRowContext(t.Context(), "SELECT COUNT(*) FROM items WHERE object_id = ?", id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRouting creates objects with ticket ids, writes through the
// router, and checks every row sits on the shard the index names, on
// both sides after replication, and nowhere else. It reports the index
// lookup latency on a cache miss.
func TestRouting(t *testing.T) {
	r := newRouter(t, "routing", &shard.Config{Rand: rand.New(rand.NewPCG(1, 2))})
	ctx := t.Context()
	tk, err := shard.NewTickets(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tk.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	var ids []uint64
	for range 200 {
		id, err := tk.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Create(ctx, id); err != nil {
			t.Fatal(err)
		}
		if err := r.Update(ctx, id, insertItem(id, 1)); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	waitAll(t, ctx)
	loads, err := r.Loads(ctx)
	if err != nil || loads[0].Objects != 100 || loads[1].Objects != 100 {
		t.Errorf("Loads = %+v, %v, want 100 objects per shard", loads, err)
	}
	topo := r.Topology()
	for _, id := range ids {
		rt, err := r.Lookup(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range topo.Shards {
			want := 0
			if i == rt.Shard {
				want = 1
			}
			for _, side := range []string{p.Side(false), p.Side(true)} {
				if n := countOn(t, r, side, id); n != want {
					t.Fatalf("object %d: %d rows on %s, want %d", id, n, side, want)
				}
			}
		}
	}
	// Index lookups on a cache miss, over the unix socket.
	var lat []time.Duration
	for range 5 {
		r.InvalidateAll()
		for _, id := range ids {
			start := time.Now()
			if _, err := r.Lookup(ctx, id); err != nil {
				t.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
	}
	slices.Sort(lat)
	t.Logf("index lookup on a cache miss (MariaDB, unix socket, %d lookups): p50 %v, p99 %v",
		len(lat), lat[len(lat)/2], lat[len(lat)*99/100])
}

// TestDisableDuringWrites runs four writers while a side is taken out
// through the disabled-sides file and put back: no write fails, the
// pulled side goes idle, every acknowledged row is on both sides after
// replication.
func TestDisableDuringWrites(t *testing.T) {
	r := newRouter(t, "disable", nil)
	ctx := t.Context()
	topo := r.Topology()
	var ids []uint64
	for id := uint64(1); id <= 40; id++ { // odd and even: both sides pinned
		if _, err := r.Create(ctx, id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	path := filepath.Join(t.TempDir(), "disabled_sides")
	sf := &shard.SideFile{Path: path, Topology: topo}
	stop := make(chan struct{})
	var acked, failed atomic.Int64
	var wg sync.WaitGroup
	var item atomic.Uint64
	for w := range 4 {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(w), 9))
			for {
				select {
				case <-stop:
					return
				default:
				}
				id := ids[rnd.IntN(len(ids))]
				if err := r.Update(ctx, id, insertItem(id, item.Add(1))); err != nil {
					failed.Add(1)
					t.Error(err)
					return
				}
				acked.Add(1)
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	for _, side := range []string{"shard_001_A", "shard_002_B"} {
		if err := shard.WriteSideFile(path, []string{side}); err != nil {
			t.Fatal(err)
		}
		if _, err := sf.Reload(); err != nil {
			t.Fatal(err)
		}
		before := acked.Load()
		deadline := time.Now().Add(10 * time.Second)
		for {
			idle, st, _ := r.Idle(side, 200*time.Millisecond)
			if idle {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("traffic did not leave %s: %+v", side, st)
			}
			time.Sleep(20 * time.Millisecond)
		}
		// A refused file (both sides) keeps the state.
		other := side[:len(side)-1] + "A"
		if side[len(side)-1] == 'A' {
			other = side[:len(side)-1] + "B"
		}
		shard.WriteSideFile(path, []string{side, other})
		if _, err := sf.Reload(); err == nil || !topo.IsDisabled(side) || topo.IsDisabled(other) {
			t.Fatalf("both-sides file applied: err %v, disabled %v", err, topo.Disabled())
		}
		time.Sleep(300 * time.Millisecond)
		if acked.Load() == before {
			t.Errorf("no writes acknowledged while %s was out", side)
		}
		shard.WriteSideFile(path, nil)
		if _, err := sf.Reload(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	waitAll(t, ctx)
	total := 0
	for _, id := range ids {
		rt, _ := r.Lookup(ctx, id)
		p := topo.Shards[rt.Shard]
		a, b := countOn(t, r, p.Side(false), id), countOn(t, r, p.Side(true), id)
		if a != b {
			t.Errorf("object %d: %d rows on A, %d on B", id, a, b)
		}
		total += a
	}
	if int64(total) != acked.Load() || failed.Load() != 0 {
		t.Errorf("%d rows stored, %d writes acknowledged, %d failed", total, acked.Load(), failed.Load())
	}
	t.Logf("%d writes during two side pulls, 0 failed", acked.Load())
}
