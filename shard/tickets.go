package shard

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"
)

// TicketConfig configures [NewTickets]. Zero fields mean the documented
// defaults.
type TicketConfig struct {
	// Table is the ticket table on both servers; "" means "tickets64".
	Table string
	// Block, when above 1, turns on the local block allocator: each
	// ticket t reserves the ids t*Block to t*Block+Block-1, handed out
	// from memory. Every allocator of one table must use the same Block
	// (plain tickets and blocks from one table overlap). A crash loses
	// the rest of a block: gaps, never duplicates. 0 or 1 means one
	// ticket per id. At most 1<<20.
	Block int
	// Cooloff is how long a failed server is skipped before it is tried
	// again; 0 means one second.
	Cooloff time.Duration
}

// Tickets hands out 64-bit ids from two ticket servers in the Flickr
// style: server A (side tickets_A) gives odd ids, B even ones, each from
// a one-row table updated with REPLACE INTO, so the two never collide and
// either can serve alone when the other is down or disabled. Ids are
// BIGINT UNSIGNED; an id with the wrong parity for its server (a
// misconfigured auto_increment_offset) is refused, never returned.
//
// The MySQL dialect expects each server to step by two itself
// (auto_increment_increment=2, auto_increment_offset=1 on A and 2 on B,
// set in the server configuration). With SQLite, which cannot, the
// client maps the server's n-th ticket to the n-th odd or even number.
//
// Tickets is safe for concurrent use.
type Tickets struct {
	r     *Router
	table string
	block uint64
	cool  time.Duration

	mu       sync.Mutex
	next     int // server to try first (round robin)
	downTill [2]time.Time
	cur, end uint64 // the local block: next id and one past the last
}

// NewTickets returns a ticket allocator on r's ticket servers.
func NewTickets(r *Router, cfg *TicketConfig) (*Tickets, error) {
	t := &Tickets{r: r, table: "tickets64", block: 1, cool: time.Second}
	if cfg != nil {
		if cfg.Table != "" {
			if err := checkName(cfg.Table); err != nil {
				return nil, fmt.Errorf("shard: ticket table: %w", err)
			}
			t.table = cfg.Table
		}
		if cfg.Block < 0 || cfg.Block > 1<<20 {
			return nil, fmt.Errorf("shard: ticket Block %d outside [0, 2^20]", cfg.Block)
		}
		if cfg.Block > 1 {
			t.block = uint64(cfg.Block)
		}
		if cfg.Cooloff > 0 {
			t.cool = cfg.Cooloff
		}
	}
	return t, nil
}

// Setup creates the ticket table on both servers where it is missing.
func (t *Tickets) Setup(ctx context.Context) error {
	var ddl string
	if t.r.cfg.Dialect.Name == MySQL.Name {
		ddl = "CREATE TABLE IF NOT EXISTS " + t.table + " (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, stub CHAR(1) NOT NULL, PRIMARY KEY (id), UNIQUE KEY stub (stub)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
	} else {
		ddl = "CREATE TABLE IF NOT EXISTS " + t.table + " (id INTEGER PRIMARY KEY " + t.r.cfg.Dialect.AutoIncrement + ", stub CHAR(1) NOT NULL UNIQUE)"
	}
	var errs []error
	for i := range 2 {
		s := 2*t.r.topo.ticketPair() + i
		if _, err := t.r.exec(ctx, s, ddl); err != nil {
			errs = append(errs, fmt.Errorf("shard: ticket table on %s: %w", t.r.sideName(s), err))
		}
	}
	return errors.Join(errs...)
}

// Next returns a new id. It tries the servers in turn, skipping a
// disabled one and, for Cooloff, one that failed; it returns an error
// wrapping ErrTicket when neither gives a valid id.
func (t *Tickets) Next(ctx context.Context) (uint64, error) {
	if t.block == 1 {
		return t.ticket(ctx)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cur < t.end {
		id := t.cur
		t.cur++
		return id, nil
	}
	tk, err := t.ticketLocked(ctx)
	if err != nil {
		return 0, err
	}
	if tk > math.MaxUint64/t.block-1 {
		return 0, fmt.Errorf("%w: ticket %d times block %d overflows 64 bits", ErrTicket, tk, t.block)
	}
	t.cur, t.end = tk*t.block+1, tk*t.block+t.block
	return tk * t.block, nil
}

func (t *Tickets) ticket(ctx context.Context) (uint64, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ticketLocked(ctx)
}

// ticketLocked gets one ticket; t.mu is held (it serialises the choice
// of server, not the round trip's cost, which dominates anyway).
func (t *Tickets) ticketLocked(ctx context.Context) (uint64, error) {
	now := t.r.cfg.Now()
	first := t.next
	t.next ^= 1
	var errs []error
	for _, i := range []int{first, first ^ 1, first} {
		s := 2*t.r.topo.ticketPair() + i
		if t.r.topo.sideOff(s) {
			continue
		}
		if now.Before(t.downTill[i]) && len(errs) == 0 && i == first {
			continue // cooling off; the other server goes first
		}
		id, err := t.fetch(ctx, i, s)
		if err == nil {
			return id, nil
		}
		t.downTill[i] = now.Add(t.cool)
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	if len(errs) == 0 {
		errs = append(errs, errors.New("no ticket server enabled"))
	}
	return 0, fmt.Errorf("%w: %w", ErrTicket, errors.Join(errs...))
}

// fetch takes one ticket from server i (side number s).
func (t *Tickets) fetch(ctx context.Context, i, s int) (uint64, error) {
	res, err := t.r.exec(ctx, s, "REPLACE INTO "+t.table+" (stub) VALUES ('a')")
	if err != nil {
		return 0, fmt.Errorf("%s: %w", t.r.sideName(s), err)
	}
	raw, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("%s: %w", t.r.sideName(s), err)
	}
	n := uint64(raw) // drivers return BIGINT UNSIGNED ids as int64 bits
	if n == 0 {
		return 0, fmt.Errorf("%s: server returned id 0", t.r.sideName(s))
	}
	if !t.r.cfg.Dialect.StepsTickets {
		if n > math.MaxUint64/2 {
			return 0, fmt.Errorf("%s: ticket %d overflows", t.r.sideName(s), n)
		}
		n = 2*n - 1 + uint64(i) // n-th odd (A) or even (B) number
	}
	if n%2 != uint64(1-i) {
		return 0, fmt.Errorf("%s: id %d has the wrong parity for this server (check auto_increment_increment=2 and auto_increment_offset=%d)", t.r.sideName(s), n, i+1)
	}
	return n, nil
}
