package mariadb_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/craftkit/craftkit/shard"
)

// TestTicketsFailover draws 1,000,000 ids through the local block
// allocator (64 ids per ticket) with three goroutines, and plain tickets
// (one round trip per id) with a fourth for as long as they run, while
// ticket server A is killed a third of the way in and restarted a second
// later. Not one id may repeat.
func TestTicketsFailover(t *testing.T) {
	r := newRouter(t, "tickets", &shard.Config{})
	ctx := t.Context()
	total := 1_000_000
	if testing.Short() {
		total = 100_000
	}
	plain, err := shard.NewTickets(r, &shard.TicketConfig{Cooloff: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := plain.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	blocks, _ := shard.NewTickets(r, &shard.TicketConfig{Table: "tickets64_blocks", Block: 64, Cooloff: 200 * time.Millisecond})
	if err := blocks.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	// Plain and block ids come from different tables and overlap by
	// design (one table, one block size); plain ids are shifted into a
	// range of their own so both namespaces are checked in one set.
	const plainBase = 1 << 62
	seen := make(map[uint64]struct{}, total+total/10)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var drawn, plainDrawn, dups atomic.Int64
	done := make(chan struct{})
	record := func(buf []uint64) {
		mu.Lock()
		for _, id := range buf {
			if _, ok := seen[id]; ok {
				dups.Add(1)
			}
			seen[id] = struct{}{}
		}
		mu.Unlock()
	}
	start := time.Now()
	var blockers sync.WaitGroup
	for w := range 3 {
		blockers.Go(func() {
			quota := total / 3
			if w == 0 {
				quota += total % 3
			}
			buf := make([]uint64, 0, 4096)
			for range quota {
				id, err := blocks.Next(ctx)
				if err != nil {
					t.Error(err)
					break
				}
				buf = append(buf, id)
				if len(buf) == cap(buf) {
					record(buf)
					buf = buf[:0]
				}
				drawn.Add(1)
			}
			record(buf)
		})
	}
	wg.Go(func() {
		var buf []uint64
		for {
			select {
			case <-done:
				record(buf)
				return
			default:
			}
			id, err := plain.Next(ctx)
			if err != nil {
				t.Error(err)
				record(buf)
				return
			}
			buf = append(buf, id+plainBase)
			plainDrawn.Add(1)
		}
	})
	for drawn.Load() < int64(total/3) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := tickets[0].Kill(); err != nil {
		t.Fatal(err)
	}
	killedAt, plainAtKill := drawn.Load(), plainDrawn.Load()
	time.Sleep(time.Second)
	if err := tickets[0].Restart(); err != nil {
		t.Fatal(err)
	}
	blockers.Wait()
	close(done)
	wg.Wait()
	var errsA int64
	for _, s := range r.Stats() {
		if s.Side == "tickets_A" {
			errsA = s.Errors
		}
	}
	want := int64(total) + plainDrawn.Load()
	if int64(len(seen)) != want || dups.Load() != 0 {
		t.Errorf("%d distinct ids of %d drawn, %d duplicates", len(seen), want, dups.Load())
	}
	if errsA == 0 {
		t.Errorf("no failed requests on tickets_A: the failover was not exercised")
	}
	if plainDrawn.Load() <= plainAtKill {
		t.Errorf("no plain tickets after the kill")
	}
	t.Logf("%d block ids and %d plain ticket ids in %v, tickets_A killed after %d block and %d plain ids and restarted 1 s later: 0 duplicates (%d failed requests on A)",
		total, plainDrawn.Load(), time.Since(start).Round(time.Millisecond), killedAt, plainAtKill, errsA)
}
