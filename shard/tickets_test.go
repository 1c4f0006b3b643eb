package shard

import (
	"errors"
	"sync"
	"testing"
)

func newTestTickets(t *testing.T, cfg *TicketConfig) (*Router, *Tickets) {
	t.Helper()
	r := newTestRouter(t, 1, nil)
	tk, err := NewTickets(r, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := tk.Setup(t.Context()); err != nil {
		t.Fatal(err)
	}
	return r, tk
}

// drawIDs takes n ids from each of workers goroutines and fails on any
// duplicate.
func drawIDs(t *testing.T, tk *Tickets, workers, n int, mid func()) map[uint64]bool {
	t.Helper()
	var mu sync.Mutex
	seen := make(map[uint64]bool, workers*n)
	var wg sync.WaitGroup
	var once sync.Once
	for w := range workers {
		wg.Go(func() {
			for i := range n {
				if w == 0 && i == n/2 && mid != nil {
					once.Do(mid)
				}
				id, err := tk.Next(t.Context())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[id] {
					t.Errorf("duplicate id %d", id)
				}
				seen[id] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return seen
}

func TestTicketsUniqueAndAlternating(t *testing.T) {
	_, tk := newTestTickets(t, nil)
	var ids []uint64
	for range 6 {
		id, err := tk.Next(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	want := []uint64{1, 2, 3, 4, 5, 6}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("ids = %v, want %v (odd from A, even from B, in turn)", ids, want)
		}
	}
	seen := drawIDs(t, tk, 4, 500, nil)
	if len(seen) != 2000 {
		t.Errorf("%d distinct ids, want 2000", len(seen))
	}
}

// TestTicketsFailover breaks server A half way through and checks that
// ids keep coming, from B only, without duplicates.
func TestTicketsFailover(t *testing.T) {
	r, tk := newTestTickets(t, nil)
	sA := 2 * r.topo.ticketPair()
	before := 0
	seen := drawIDs(t, tk, 4, 400, func() {
		before = int(r.stats[sA].queries.Load())
		r.dbs[sA].Close() // the server "dies"
	})
	if len(seen) != 1600 {
		t.Errorf("%d distinct ids, want 1600", len(seen))
	}
	// After the failure, A is tried at most once per cool-off (1 s).
	if after := int(r.stats[sA].queries.Load()); after-before > 8 {
		t.Errorf("dead server A tried %d times after it failed", after-before)
	}
	// Disabling the live server leaves none.
	r.topo.Disable([]string{"tickets_B"})
	if _, err := tk.Next(t.Context()); !errors.Is(err, ErrTicket) {
		t.Errorf("Next with A dead and B disabled = %v, want ErrTicket", err)
	}
}

func TestTicketsDisabledServer(t *testing.T) {
	r, tk := newTestTickets(t, nil)
	r.topo.Disable([]string{"tickets_A"})
	for range 10 {
		id, err := tk.Next(t.Context())
		if err != nil || id%2 != 0 {
			t.Fatalf("Next with tickets_A disabled = %d, %v, want even ids", id, err)
		}
	}
}

func TestTicketsBlocks(t *testing.T) {
	_, tk := newTestTickets(t, &TicketConfig{Block: 100})
	seen := drawIDs(t, tk, 4, 2500, nil)
	if len(seen) != 10000 {
		t.Errorf("%d distinct ids, want 10000", len(seen))
	}
	// A second allocator on the same table gets other blocks.
	tk2, _ := NewTickets(tk.r, &TicketConfig{Block: 100})
	id, err := tk2.Next(t.Context())
	if err != nil || seen[id] {
		t.Errorf("second allocator: %d, %v (seen before: %v)", id, err, seen[id])
	}
	if _, err := NewTickets(tk.r, &TicketConfig{Block: -1}); err == nil {
		t.Errorf("Block -1 accepted")
	}
}
