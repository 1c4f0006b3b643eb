package shard

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// An ObjectSize is one object's share of its shard's load.
type ObjectSize struct {
	ID    uint64
	Shard int     // position in Topology.Shards
	Size  float64 // the balanced metric: rows, bytes or the caller's
	Bytes int64   // what moving it copies
}

// Sizes returns the size of every object on shard p: Size is its row
// count over the mover's tables and Bytes the encoded size of those
// rows. It reads the whole shard (the write side of each object's
// pair, side A unless disabled); callers with a cheaper metric can build
// ObjectSizes themselves.
func (m *Mover) Sizes(ctx context.Context, p int) ([]ObjectSize, error) {
	if p < 0 || p >= len(m.r.topo.Shards) {
		return nil, fmt.Errorf("shard: Sizes: shard %d of %d", p, len(m.r.topo.Shards))
	}
	s := shardSide(p, A)
	if m.r.topo.sideOff(s) {
		s++
	}
	by := map[uint64]*ObjectSize{}
	m.r.begin(s)
	rows, err := m.r.dbs[s].QueryContext(ctx, "SELECT object_id FROM "+objectsTable+" WHERE state = ?", stateHome)
	if err != nil {
		m.r.end(s, err)
		return nil, err
	}
	for rows.Next() {
		var id uint64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			m.r.end(s, err)
			return nil, err
		}
		by[id] = &ObjectSize{ID: id, Shard: p}
	}
	err = rows.Err()
	rows.Close()
	m.r.end(s, err)
	if err != nil {
		return nil, err
	}
	for _, t := range m.cfg.Tables {
		m.r.begin(s)
		_, all, err := readRows(ctx, m.r.dbs[s], t, "1 = 1", 10*m.cfg.MaxRows)
		m.r.end(s, err)
		if err != nil {
			return nil, fmt.Errorf("shard: sizing %s on %s: %w", t.Name, m.r.sideName(s), err)
		}
		for _, rw := range all {
			id, ok := objectOf(rw, t)
			if o := by[id]; ok && o != nil {
				o.Size++
				for _, v := range rw.values {
					o.Bytes += int64(len(appendValue(nil, v)))
				}
			}
		}
	}
	out := make([]ObjectSize, 0, len(by))
	for _, o := range by {
		out = append(out, *o)
	}
	slices.SortFunc(out, func(a, b ObjectSize) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// objectOf returns the object id of a row: the first key column must be
// the object column (as in the Table's Key for tables keyed by object).
func objectOf(rw row, t Table) (uint64, bool) {
	if len(t.Key) == 0 || t.Key[0] != t.Object {
		return 0, false
	}
	switch v := rw.values[0].(type) {
	case int64:
		return uint64(v), true
	case uint64:
		return v, true
	case []byte:
		var n uint64
		for _, c := range v {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + uint64(c-'0')
		}
		return n, true
	}
	return 0, false
}

// PlanOptions bounds a plan.
type PlanOptions struct {
	// MaxBytes bounds the bytes the plan moves; 0 means no bound.
	MaxBytes int64
	// Weights are the shards' shares (see Pair.Weight); nil or 0 entries
	// mean 1. Negative, NaN and infinite weights are refused.
	Weights []float64
}

// A PlannedMove is one object to move.
type PlannedMove struct {
	ID       uint64
	From, To int
	Size     float64
	Bytes    int64
}

// A Plan is a list of moves and the loads before and after them.
type Plan struct {
	Moves         []PlannedMove
	Bytes         int64
	Before, After []float64 // load per shard (sum of Size)
}

// PlanMoves proposes moves that bring every shard toward its weighted
// share of the total load, within MaxBytes. It is greedy: while a shard
// is above its share and another below, it moves the largest object from
// the most loaded shard that does not overshoot the gap (or, failing
// that, the smallest that still narrows it) to the least loaded shard.
// Objects are moved at most once. Cost: O(moves × (objects + shards)),
// memory O(objects + shards). shards must be in [1, MaxShards]; objects
// with a negative, NaN or infinite Size, or negative Bytes, are refused.
func PlanMoves(shards int, objects []ObjectSize, opts *PlanOptions) (Plan, error) {
	var o PlanOptions
	if opts != nil {
		o = *opts
	}
	if shards <= 0 {
		return Plan{}, errors.New("shard: PlanMoves: no shards")
	}
	if shards > MaxShards {
		return Plan{}, fmt.Errorf("shard: PlanMoves: %d shards, more than the %d limit", shards, MaxShards)
	}
	w := make([]float64, shards)
	sumW := 0.0
	for i := range w {
		w[i] = 1
		if i < len(o.Weights) {
			if x := o.Weights[i]; x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
				return Plan{}, fmt.Errorf("shard: PlanMoves: Weights[%d] = %v, want a finite value >= 0", i, x)
			} else if x > 0 {
				w[i] = x
			}
		}
		sumW += w[i]
	}
	load := make([]float64, shards)
	byShard := make([][]ObjectSize, shards)
	total := 0.0
	for _, ob := range objects {
		if ob.Shard < 0 || ob.Shard >= shards || !(ob.Size >= 0) || math.IsInf(ob.Size, 0) || ob.Bytes < 0 {
			return Plan{}, fmt.Errorf("shard: PlanMoves: object %d on shard %d with size %v and %d bytes (want a shard in [0, %d), a finite size >= 0, bytes >= 0)", ob.ID, ob.Shard, ob.Size, ob.Bytes, shards)
		}
		load[ob.Shard] += ob.Size
		byShard[ob.Shard] = append(byShard[ob.Shard], ob)
		total += ob.Size
	}
	if math.IsInf(total, 0) || math.IsInf(sumW, 0) {
		return Plan{}, fmt.Errorf("shard: PlanMoves: total size %v or weight %v overflows float64", total, sumW)
	}
	for i := range byShard { // largest first
		slices.SortFunc(byShard[i], func(a, b ObjectSize) int {
			if a.Size != b.Size {
				if a.Size > b.Size {
					return -1
				}
				return 1
			}
			return cmp.Compare(a.ID, b.ID)
		})
	}
	plan := Plan{Before: slices.Clone(load)}
	dev := func(i int) float64 { return load[i] - total*w[i]/sumW }
	exhausted := make([]bool, shards)
	for range len(objects) {
		donor, recv := -1, -1
		for i := range shards {
			if !exhausted[i] && dev(i) > 0 && (donor < 0 || dev(i) > dev(donor)) {
				donor = i
			}
			if recv < 0 || dev(i) < dev(recv) {
				recv = i
			}
		}
		if donor < 0 || recv < 0 || dev(recv) >= 0 {
			break
		}
		gap := min(dev(donor), -dev(recv))
		limit := dev(donor) - dev(recv) // moving less than this narrows the spread
		pick := -1
		for k, ob := range byShard[donor] {
			if o.MaxBytes > 0 && plan.Bytes+ob.Bytes > o.MaxBytes || ob.Size <= 0 {
				continue
			}
			if ob.Size <= gap {
				pick = k
				break
			}
			if ob.Size < limit {
				pick = k // keep looking for one within the gap
			}
		}
		if pick < 0 {
			exhausted[donor] = true
			continue
		}
		ob := byShard[donor][pick]
		byShard[donor] = slices.Delete(byShard[donor], pick, pick+1)
		load[donor] -= ob.Size
		load[recv] += ob.Size
		plan.Bytes += ob.Bytes
		plan.Moves = append(plan.Moves, PlannedMove{ID: ob.ID, From: donor, To: recv, Size: ob.Size, Bytes: ob.Bytes})
	}
	plan.After = load
	return plan, nil
}

// A Runner executes a plan's moves with a concurrency limit, and can be
// paused, resumed and aborted from other goroutines while Run blocks.
// Set the fields before Run; a Runner runs once. Its methods are safe
// for concurrent use.
type Runner struct {
	Mover *Mover
	Plan  Plan
	// Concurrency is the number of moves in flight; 0 means 1.
	Concurrency int
	// OnMove, if set, is called after each move with its last report and
	// error (from the runner's goroutines, one at a time).
	OnMove func(PlannedMove, StepReport, error)

	mu      sync.Mutex
	paused  bool
	resume  chan struct{}
	aborted bool
	abort   chan struct{}
}

// RunReport sums up a run.
type RunReport struct {
	Done, Failed, NotStarted int
	Bytes                    int64
	Pauses                   []time.Duration // write pause of each finished move
}

func (rn *Runner) init() {
	if rn.abort == nil {
		rn.abort = make(chan struct{})
	}
}

// Pause stops the runner from starting moves until Resume; moves in
// flight finish.
func (rn *Runner) Pause() {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	if !rn.paused {
		rn.paused, rn.resume = true, make(chan struct{})
	}
}

// Resume undoes Pause.
func (rn *Runner) Resume() {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	if rn.paused {
		rn.paused = false
		close(rn.resume)
	}
}

// Abort stops the runner from starting moves; moves in flight finish (so
// no object stays frozen), then Run returns an error wrapping
// ErrAborted.
func (rn *Runner) Abort() {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	rn.init()
	if !rn.aborted {
		rn.aborted = true
		close(rn.abort)
	}
}

// wait blocks while paused; it reports whether to go on.
func (rn *Runner) wait(ctx context.Context) bool {
	for {
		rn.mu.Lock()
		paused, ch, aborted := rn.paused, rn.resume, rn.aborted
		rn.mu.Unlock()
		if aborted || ctx.Err() != nil {
			return false
		}
		if !paused {
			return true
		}
		select {
		case <-ch:
		case <-rn.abort:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

// Run executes the plan and blocks until every move has finished, the
// runner is aborted or ctx is done. A cancelled context stops moves in
// flight at a step boundary with their state recorded: call
// [Mover.Resume] later to finish them (their objects stay frozen until
// then if they had passed StepLocked).
func (rn *Runner) Run(ctx context.Context) (RunReport, error) {
	if rn.Mover == nil {
		return RunReport{}, errors.New("shard: Runner has no Mover")
	}
	rn.mu.Lock()
	rn.init()
	rn.mu.Unlock()
	n := max(rn.Concurrency, 1)
	var rep RunReport
	var mu sync.Mutex
	next := 0
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for {
				if !rn.wait(ctx) {
					return
				}
				mu.Lock()
				if next >= len(rn.Plan.Moves) {
					mu.Unlock()
					return
				}
				pm := rn.Plan.Moves[next]
				next++
				mu.Unlock()
				last, err := rn.Mover.moveAndPause(ctx, pm)
				mu.Lock()
				if err != nil {
					rep.Failed++
				} else {
					rep.Done++
					rep.Bytes += pm.Bytes
					rep.Pauses = append(rep.Pauses, last.pause)
				}
				if rn.OnMove != nil {
					rn.OnMove(pm, last.StepReport, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	rep.NotStarted = len(rn.Plan.Moves) - next
	rn.mu.Lock()
	aborted := rn.aborted
	rn.mu.Unlock()
	switch {
	case ctx.Err() != nil:
		return rep, ctx.Err()
	case aborted:
		return rep, fmt.Errorf("%w: %d moves done, %d not started", ErrAborted, rep.Done, rep.NotStarted)
	}
	return rep, nil
}

type moveResult struct {
	StepReport
	pause time.Duration
}

// moveAndPause runs one planned move, capturing its write pause.
func (m *Mover) moveAndPause(ctx context.Context, pm PlannedMove) (moveResult, error) {
	var res moveResult
	st, err := m.runWith(ctx, pm.ID, m.r.topo.Shards[pm.To].Name, func(r StepReport) {
		if r.Step == StepFlipped {
			res.pause = r.Pause
		}
	})
	res.StepReport = st
	return res, err
}
