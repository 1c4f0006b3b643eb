package shard

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// A Load is one shard's size as seen by placement and rebalancing.
type Load struct {
	Shard   int     // position in Topology.Shards
	Objects int64   // objects the index maps to the shard
	Metric  float64 // caller's measure (rows, bytes); 0 when unknown
	Weight  float64 // the shard's weight from the topology, 0 read as 1
}

func (l Load) weight() float64 {
	if l.Weight <= 0 {
		return 1
	}
	return l.Weight
}

// A Placement chooses the shard of a new object from the current loads
// (one per shard, never empty when the Router calls it), returning a
// position in loads. It may draw from rnd, which is never nil. The
// placements here return -1 for empty loads, which the Router reports
// as an error.
type Placement interface {
	Place(loads []Load, rnd *rand.Rand) int
}

// LeastLoaded places new objects on the shard with the fewest objects
// per unit of weight, ties broken at random, so new or idle shards fill
// up first.
type LeastLoaded struct{}

// Place implements [Placement].
func (LeastLoaded) Place(loads []Load, rnd *rand.Rand) int {
	if len(loads) == 0 {
		return -1
	}
	best, n := 0, 0
	for i, l := range loads {
		v, b := float64(l.Objects)/l.weight(), float64(loads[best].Objects)/loads[best].weight()
		switch {
		case i == 0 || v < b:
			best, n = i, 1
		case v == b:
			n++
			if rnd.IntN(n) == 0 { // reservoir choice among equals
				best = i
			}
		}
	}
	return best
}

// Random places new objects on a shard chosen uniformly at random.
type Random struct{}

// Place implements [Placement].
func (Random) Place(loads []Load, rnd *rand.Rand) int {
	if len(loads) == 0 {
		return -1
	}
	return rnd.IntN(len(loads))
}

// Weighted places new objects at random with probability proportional
// to each shard's weight, whatever its load.
type Weighted struct{}

// Place implements [Placement].
func (Weighted) Place(loads []Load, rnd *rand.Rand) int {
	total := 0.0
	for _, l := range loads {
		total += l.weight()
	}
	x := rnd.Float64() * total
	for i, l := range loads {
		x -= l.weight()
		if x < 0 {
			return i
		}
	}
	return len(loads) - 1
}

// Loads counts the objects per shard in the index (read from the index
// side A, or B when A is disabled).
func (r *Router) Loads(ctx context.Context) ([]Load, error) {
	ip := r.topo.indexPair()
	s := 2 * ip
	if r.topo.sideOff(s) {
		s++
	}
	loads := make([]Load, len(r.topo.Shards))
	for i, p := range r.topo.Shards {
		loads[i] = Load{Shard: i, Weight: p.Weight}
	}
	r.begin(s)
	rows, err := r.dbs[s].QueryContext(ctx, "SELECT shard, COUNT(*) FROM "+indexTable+" GROUP BY shard")
	if err != nil {
		r.end(s, err)
		return nil, fmt.Errorf("shard: counting objects on %s: %w", r.sideName(s), err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			r.end(s, err)
			return nil, err
		}
		if p, ok := r.topo.shards[name]; ok {
			loads[p].Objects = n
		}
	}
	err = rows.Err()
	r.end(s, err)
	return loads, err
}

// place returns the shard for a new object, refreshing the loads when
// they are older than LoadRefresh.
func (r *Router) place(ctx context.Context) (int, error) {
	r.loadMu.Lock()
	defer r.loadMu.Unlock()
	now := r.cfg.Now()
	if r.loads == nil || now.Sub(r.loadedAt) >= r.cfg.LoadRefresh || now.Before(r.loadedAt) {
		loads, err := r.Loads(ctx)
		if err != nil {
			return 0, err
		}
		r.loads, r.loadedAt = loads, now
	}
	r.randMu.Lock()
	p := r.cfg.Placement.Place(r.loads, r.cfg.Rand)
	r.randMu.Unlock()
	if p < 0 || p >= len(r.loads) {
		return 0, fmt.Errorf("shard: placement returned shard %d of %d", p, len(r.loads))
	}
	return r.loads[p].Shard, nil
}

// SideStats are one side's counters, for dashboards. They never hold
// the DSN.
type SideStats struct {
	Side     string
	Disabled bool
	Queries  int64     // router operations started on the side
	Errors   int64     // of which failed in the database
	InFlight int64     // router operations running now
	Open     int       // open connections (database/sql pool)
	InUse    int       // connections in use
	LastUsed time.Time // start or end of the last operation; zero if none
}

// Stats returns every side's counters in topology order.
func (r *Router) Stats() []SideStats {
	out := make([]SideStats, len(r.topo.sides))
	for s := range out {
		out[s] = r.sideStats(s)
	}
	return out
}

func (r *Router) sideStats(s int) SideStats {
	c := &r.stats[s]
	ps := r.dbs[s].Stats()
	st := SideStats{
		Side: r.topo.sides[s], Disabled: r.topo.sideOff(s),
		Queries: c.queries.Load(), Errors: c.errors.Load(), InFlight: c.inflight.Load(),
		Open: ps.OpenConnections, InUse: ps.InUse,
	}
	if ns := c.last.Load(); ns != 0 {
		st.LastUsed = time.Unix(0, ns)
	}
	return st
}

// Idle reports whether traffic has left a side: nothing running on it,
// no connection in use, and no operation for at least quiet. Use it
// after disabling a side, before working on it.
func (r *Router) Idle(side string, quiet time.Duration) (bool, SideStats, error) {
	s, ok := r.topo.byName[side]
	if !ok {
		return false, SideStats{}, &SideError{Side: side, Err: ErrUnknownSide}
	}
	st := r.sideStats(s)
	idle := st.InFlight == 0 && st.InUse == 0 && (st.LastUsed.IsZero() || r.cfg.Now().Sub(st.LastUsed) >= quiet)
	return idle, st, nil
}
