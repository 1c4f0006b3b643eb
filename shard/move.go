package shard

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// A MoveStep is how far a move has gone. Each step is recorded in the
// index's shard_moves table once it is done, and each is safe to run
// again, so a move resumes after a crash at any point.
type MoveStep uint8

const (
	// StepPlanned: the move is recorded; nothing is copied yet.
	StepPlanned MoveStep = iota
	// StepCopied: the object's rows are copied to the destination while
	// writes go on at the source; the destination marks it incoming.
	StepCopied
	// StepLocked: the index entry is locked and the object frozen on the
	// source (writes to it wait from here to StepFlipped).
	StepLocked
	// StepDelta: the rows changed since the copy are copied again, so the
	// destination equals the frozen source.
	StepDelta
	// StepVerified: per-object checksums of every table are equal on the
	// source and the destination.
	StepVerified
	// StepFlipped: the index names the destination; the object lives
	// there and is gone from the source (writes resume, at the
	// destination).
	StepFlipped
	// StepDone: the source rows are deleted and the record removed.
	StepDone
)

var stepNames = [...]string{"planned", "copied", "locked", "delta", "verified", "flipped", "done"}

func (s MoveStep) String() string {
	if int(s) < len(stepNames) {
		return stepNames[s]
	}
	return fmt.Sprintf("MoveStep(%d)", s)
}

// A StepReport describes one finished step of a move.
type StepReport struct {
	Object   uint64
	From, To string // shard names
	Step     MoveStep
	Rows     int           // rows copied (StepCopied, StepDelta) or deleted (StepDone)
	Took     time.Duration // the step's duration
	Pause    time.Duration // at StepFlipped: how long writes to the object waited
	Resumed  bool          // the move was resumed from a persisted state
	Checksum string        // at StepVerified: the object's checksum, hex
}

// MoverConfig configures [NewMover].
type MoverConfig struct {
	// Tables are the application tables holding objects' rows; a move
	// copies an object's rows of each.
	Tables []Table
	// OnStep, if set, is called after each step is done and recorded.
	// Returning an error stops the move there (it resumes later), which
	// is how tests inject crashes.
	OnStep func(StepReport) error
	// MaxRows bounds the rows of one object per table held in memory
	// during a move; 0 means 1,000,000.
	MaxRows int
	// Retries is how often a failed step is run again before the move
	// stops (steps are idempotent); 0 means 5, negative means none.
	Retries int
	// CatchUpWait bounds how long the lock step waits for the two sides
	// of the source shard to catch up with each other (Dialect.CatchUp)
	// before it undoes the freeze and fails with ErrLagging; 0 means 10 s.
	CatchUpWait time.Duration
}

// A Mover moves objects between shards: copy, lock in the index, copy
// the delta, verify, flip the index, delete the source. A Mover is safe
// for concurrent use; moves of distinct objects run in parallel, and
// the index lock refuses a second move of one object.
type Mover struct {
	r   *Router
	cfg MoverConfig

	// beforeRecord, in tests, is called after a step's work and before
	// its record; an error there simulates a crash between the two.
	beforeRecord func(id uint64, step MoveStep) error
}

// NewMover returns a mover over r's shards.
func NewMover(r *Router, cfg *MoverConfig) (*Mover, error) {
	if cfg == nil || len(cfg.Tables) == 0 {
		return nil, errors.New("shard: NewMover: no tables")
	}
	m := &Mover{r: r, cfg: *cfg}
	m.cfg.Tables = append([]Table(nil), cfg.Tables...)
	for _, t := range m.cfg.Tables {
		if err := t.check(); err != nil {
			return nil, err
		}
	}
	if m.cfg.MaxRows <= 0 {
		m.cfg.MaxRows = 1_000_000
	}
	if m.cfg.CatchUpWait <= 0 {
		m.cfg.CatchUpWait = 10 * time.Second
	}
	switch {
	case m.cfg.Retries == 0:
		m.cfg.Retries = 5
	case m.cfg.Retries < 0:
		m.cfg.Retries = 0
	}
	return m, nil
}

// moveState is a row of shard_moves.
type moveState struct {
	id        uint64
	from, to  int
	step      MoveStep
	startedNS int64
	lockedNS  int64
	pauseNS   int64
	resumed   bool
}

// indexSide returns the side number for index operations on id.
func (m *Mover) indexSide(id uint64) int {
	ip := m.r.topo.indexPair()
	return shardSide(ip, m.r.route(id, ip).Write)
}

// loadState reads id's move record, or ok=false.
func (m *Mover) loadState(ctx context.Context, id uint64) (moveState, bool, error) {
	var st moveState
	var from, to string
	var step int
	err := m.r.queryRow(ctx, m.indexSide(id),
		"SELECT src, dst, step, started_ns, locked_ns, pause_ns FROM "+movesTable+" WHERE object_id = ?",
		[]any{id}, &from, &to, &step, &st.startedNS, &st.lockedNS, &st.pauseNS)
	if errors.Is(err, sql.ErrNoRows) {
		return st, false, nil
	}
	if err != nil {
		return st, false, fmt.Errorf("shard: reading move of %d: %w", id, err)
	}
	var ok1, ok2 bool
	st.from, ok1 = m.r.topo.shards[from]
	st.to, ok2 = m.r.topo.shards[to]
	if !ok1 || !ok2 {
		return st, false, fmt.Errorf("shard: move of %d names shards %s -> %s, not both in the topology", id, quote(from), quote(to))
	}
	st.id, st.step = id, MoveStep(step)
	return st, true, nil
}

func (m *Mover) saveState(ctx context.Context, st moveState) error {
	_, err := m.r.exec(ctx, m.indexSide(st.id),
		"REPLACE INTO "+movesTable+" (object_id, src, dst, step, started_ns, locked_ns, pause_ns) VALUES (?, ?, ?, ?, ?, ?, ?)",
		st.id, m.r.topo.Shards[st.from].Name, m.r.topo.Shards[st.to].Name, int(st.step), st.startedNS, st.lockedNS, st.pauseNS)
	return err
}

// Move moves object id to shard dst (a shard name) and reports each
// step. When id has a recorded, unfinished move, Move resumes it (and
// dst must match). It returns the report of the last step done.
func (m *Mover) Move(ctx context.Context, id uint64, dst string) (StepReport, error) {
	return m.runWith(ctx, id, dst, nil)
}

// runWith is Move with an observer of each step.
func (m *Mover) runWith(ctx context.Context, id uint64, dst string, observe func(StepReport)) (StepReport, error) {
	to, ok := m.r.topo.shards[dst]
	if !ok {
		return StepReport{}, fmt.Errorf("shard: move of %d: unknown shard %s", id, quote(dst))
	}
	st, found, err := m.loadState(ctx, id)
	if err != nil {
		return StepReport{}, err
	}
	if found {
		if st.to != to {
			return StepReport{}, fmt.Errorf("shard: object %d is already moving to %s", id, m.r.topo.Shards[st.to].Name)
		}
		st.resumed = true
		return m.run(ctx, st, observe)
	}
	rt, err := m.r.lookupIndex(ctx, id)
	if err != nil {
		return StepReport{}, err
	}
	if rt.Shard == to {
		return StepReport{}, fmt.Errorf("shard: object %d is already on %s", id, dst)
	}
	st = moveState{id: id, from: rt.Shard, to: to, step: StepPlanned, startedNS: m.r.cfg.Now().UnixNano()}
	// INSERT, not REPLACE: a concurrent Move of the same object fails here.
	if _, err := m.r.exec(ctx, m.indexSide(id),
		"INSERT INTO "+movesTable+" (object_id, src, dst, step, started_ns, locked_ns, pause_ns) VALUES (?, ?, ?, ?, ?, 0, 0)",
		id, m.r.topo.Shards[st.from].Name, dst, int(StepPlanned), st.startedNS); err != nil {
		return StepReport{}, fmt.Errorf("shard: recording move of %d: %w", id, err)
	}
	return m.run(ctx, st, observe)
}

// Pending returns the ids of recorded, unfinished moves.
func (m *Mover) Pending(ctx context.Context) ([]uint64, error) {
	var ids []uint64
	for _, side := range []SideOf{A, B} {
		s := shardSide(m.r.topo.indexPair(), side)
		if m.r.topo.sideOff(s) {
			continue
		}
		m.r.begin(s)
		rows, err := m.r.dbs[s].QueryContext(ctx, "SELECT object_id FROM "+movesTable+" ORDER BY object_id")
		if err != nil {
			m.r.end(s, err)
			return nil, fmt.Errorf("shard: listing moves on %s: %w", m.r.sideName(s), err)
		}
		for rows.Next() {
			var id uint64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				m.r.end(s, err)
				return nil, err
			}
			if m.indexSide(id) == s { // records live on the object's index side
				ids = append(ids, id)
			}
		}
		err = rows.Err()
		rows.Close()
		m.r.end(s, err)
		if err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// Resume finishes every recorded, unfinished move (after a crash or a
// cancelled context), returning the last report of each.
func (m *Mover) Resume(ctx context.Context) ([]StepReport, error) {
	ids, err := m.Pending(ctx)
	if err != nil {
		return nil, err
	}
	var out []StepReport
	var errs []error
	for _, id := range ids {
		st, found, err := m.loadState(ctx, id)
		if err != nil || !found {
			errs = append(errs, err)
			continue
		}
		st.resumed = true
		rep, err := m.run(ctx, st, nil)
		out = append(out, rep)
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// run performs the steps after st.step.
func (m *Mover) run(ctx context.Context, st moveState, observe func(StepReport)) (StepReport, error) {
	var last StepReport
	for st.step < StepDone {
		if err := ctx.Err(); err != nil {
			return last, err
		}
		next := st.step + 1
		start := m.r.cfg.Now()
		rep := StepReport{Object: st.id, From: m.r.topo.Shards[st.from].Name, To: m.r.topo.Shards[st.to].Name, Step: next, Resumed: st.resumed}
		var err error
		for attempt := 0; ; attempt++ {
			err = m.step(ctx, &st, next, &rep)
			// Steps are idempotent, so a failed one (a deadlock victim, a
			// lost connection) is simply run again, a few times.
			if err == nil || ctx.Err() != nil || errors.Is(err, ErrChecksum) || errors.Is(err, ErrLagging) || attempt >= m.cfg.Retries {
				break
			}
			if sleepCtx(ctx, time.Duration(attempt+1)*10*time.Millisecond) != nil {
				break
			}
		}
		if err != nil {
			return last, fmt.Errorf("shard: move of %d from %s to %s, step %v: %w", st.id, rep.From, rep.To, next, err)
		}
		if m.beforeRecord != nil {
			if err := m.beforeRecord(st.id, next); err != nil {
				return last, err
			}
		}
		st.step = next
		if next == StepDone {
			_, err = m.r.exec(ctx, m.indexSide(st.id), "DELETE FROM "+movesTable+" WHERE object_id = ?", st.id)
		} else {
			err = m.saveState(ctx, st)
		}
		if err != nil {
			return last, fmt.Errorf("shard: recording move of %d at %v: %w", st.id, next, err)
		}
		rep.Took = m.r.cfg.Now().Sub(start)
		last = rep
		if observe != nil {
			observe(rep)
		}
		if m.cfg.OnStep != nil {
			if err := m.cfg.OnStep(rep); err != nil {
				return last, err
			}
		}
	}
	return last, nil
}

// step does the work of step next.
func (m *Mover) step(ctx context.Context, st *moveState, next MoveStep, rep *StepReport) error {
	var err error
	switch next {
	case StepCopied:
		rep.Rows, err = m.copy(ctx, *st)
	case StepLocked:
		if err = m.lock(ctx, *st); err == nil {
			st.lockedNS = m.r.cfg.Now().UnixNano()
		}
	case StepDelta:
		rep.Rows, err = m.delta(ctx, *st)
	case StepVerified:
		rep.Checksum, err = m.verify(ctx, *st)
	case StepFlipped:
		err = m.flip(ctx, *st)
		st.pauseNS = m.r.cfg.Now().UnixNano() - st.lockedNS
		rep.Pause = time.Duration(st.pauseNS)
	case StepDone:
		rep.Rows, err = m.cleanup(ctx, *st)
	}
	return err
}

// writeSide returns the side number now taking writes for id on shard p.
func (m *Mover) writeSide(id uint64, p int) int { return shardSide(p, m.r.route(id, p).Write) }

// setState sets id's row in shard_objects on side s (inserting it when
// missing).
func (m *Mover) setState(ctx context.Context, s int, id uint64, state int) error {
	return m.r.tx(ctx, s, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE "+objectsTable+" SET state = ? WHERE object_id = ?", state, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n > 0 {
			return nil
		}
		var cur int
		err = tx.QueryRowContext(ctx, "SELECT state FROM "+objectsTable+" WHERE object_id = ?", id).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			_, err = tx.ExecContext(ctx, "INSERT INTO "+objectsTable+" (object_id, state) VALUES (?, ?)", id, state)
		}
		return err
	})
}

// copy copies every row of the object to the destination, marking it
// incoming there.
func (m *Mover) copy(ctx context.Context, st moveState) (int, error) {
	src, dst := m.writeSide(st.id, st.from), m.writeSide(st.id, st.to)
	var cur int
	err := m.r.queryRow(ctx, dst, "SELECT state FROM "+objectsTable+" WHERE object_id = ?", []any{st.id}, &cur)
	if err == nil && cur == stateHome {
		return 0, fmt.Errorf("destination %s already holds the object", m.r.sideName(dst))
	}
	if err := m.setState(ctx, dst, st.id, stateIncoming); err != nil {
		return 0, err
	}
	n := 0
	for _, t := range m.cfg.Tables {
		cols, rows, err := m.read(ctx, src, t, st.id)
		if err != nil {
			return n, err
		}
		m.r.begin(dst)
		err = replaceRows(ctx, m.r.dbs[dst], t, cols, rows)
		m.r.end(dst, err)
		if err != nil {
			return n, fmt.Errorf("writing %s on %s: %w", t.Name, m.r.sideName(dst), err)
		}
		n += len(rows)
	}
	return n, nil
}

func (m *Mover) read(ctx context.Context, s int, t Table, id uint64) ([]string, []row, error) {
	m.r.begin(s)
	cols, rows, err := readRows(ctx, m.r.dbs[s], t, t.Object+" = ?", m.cfg.MaxRows, id)
	m.r.end(s, err)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s on %s: %w", t.Name, m.r.sideName(s), err)
	}
	return cols, rows, nil
}

// lock locks the index entry and freezes the object on the source; the
// freeze waits for writes holding the object's row lock to finish. It
// then waits until the source's two sides have caught up with each
// other, so that the delta, read from either side, holds every write
// that reached the other side: one routed there while the mover's side
// was disabled, or by a process that read the disabled-sides file
// earlier or later than this one. When they do not catch up the freeze
// is undone and lock fails with ErrLagging.
func (m *Mover) lock(ctx context.Context, st moveState) error {
	if _, err := m.r.exec(ctx, m.indexSide(st.id), "UPDATE "+indexTable+" SET locked = 1 WHERE object_id = ?", st.id); err != nil {
		return err
	}
	src := m.writeSide(st.id, st.from)
	var cur int
	if err := m.r.queryRow(ctx, src, "SELECT state FROM "+objectsTable+" WHERE object_id = ?", []any{st.id}, &cur); err != nil {
		return fmt.Errorf("source %s: %w", m.r.sideName(src), err)
	}
	if cur != stateHome && cur != stateFrozen {
		return fmt.Errorf("source %s holds the object in state %d", m.r.sideName(src), cur)
	}
	if err := m.setState(ctx, src, st.id, stateFrozen); err != nil {
		return err
	}
	if err := m.catchUp(ctx, src); err != nil {
		// Writes must not wait for a pair that may stay apart for long:
		// thaw the object; a later Resume locks it again.
		uerr := m.setState(ctx, src, st.id, stateHome)
		if uerr == nil {
			_, uerr = m.r.exec(ctx, m.indexSide(st.id), "UPDATE "+indexTable+" SET locked = 0 WHERE object_id = ?", st.id)
		}
		return errors.Join(err, uerr)
	}
	return nil
}

// catchUp waits until side src's pair partner has applied everything
// src committed (the freeze included), then until src has applied
// everything the partner committed. After the first wait no write to
// the object can commit on the partner (it sees the freeze, and a write
// that held the row lock when the freeze arrived committed first); after
// the second, src holds every write that did.
func (m *Mover) catchUp(ctx context.Context, src int) error {
	cu := m.r.cfg.Dialect.CatchUp
	if cu == nil {
		return nil
	}
	other := src ^ 1 // the sides of pair p are 2p and 2p+1
	ctx, cancel := context.WithTimeout(ctx, m.cfg.CatchUpWait)
	defer cancel()
	for _, dir := range [2][2]int{{src, other}, {other, src}} {
		from, to := dir[0], dir[1]
		m.r.begin(from)
		m.r.begin(to)
		err := cu(ctx, m.r.dbs[from], m.r.dbs[to])
		m.r.end(to, err)
		m.r.end(from, err)
		if err != nil {
			return fmt.Errorf("%s has not applied the writes of %s within %v: %w: %w",
				m.r.sideName(to), m.r.sideName(from), m.cfg.CatchUpWait, ErrLagging, err)
		}
	}
	return nil
}

// delta makes the destination's rows equal to the frozen source's.
func (m *Mover) delta(ctx context.Context, st moveState) (int, error) {
	src, dst := m.writeSide(st.id, st.from), m.writeSide(st.id, st.to)
	changed := 0
	for _, t := range m.cfg.Tables {
		cols, srows, err := m.read(ctx, src, t, st.id)
		if err != nil {
			return changed, err
		}
		_, drows, err := m.read(ctx, dst, t, st.id)
		if err != nil {
			return changed, err
		}
		have := make(map[string][32]byte, len(drows))
		for _, r := range drows {
			have[r.key] = r.sum
		}
		var put []row
		for _, r := range srows {
			if sum, ok := have[r.key]; !ok || sum != r.sum {
				put = append(put, r)
			}
			delete(have, r.key)
		}
		err = m.r.tx(ctx, dst, func(tx *sql.Tx) error {
			for _, r := range drows {
				if _, extra := have[r.key]; extra {
					if err := deleteRow(ctx, tx, t, cols, r); err != nil {
						return err
					}
				}
			}
			return replaceRows(ctx, tx, t, cols, put)
		})
		if err != nil {
			return changed, fmt.Errorf("delta of %s on %s: %w", t.Name, m.r.sideName(dst), err)
		}
		changed += len(put) + len(have)
	}
	return changed, nil
}

// verify compares the object's checksum of every table on the source
// and the destination.
func (m *Mover) verify(ctx context.Context, st moveState) (string, error) {
	src, dst := m.writeSide(st.id, st.from), m.writeSide(st.id, st.to)
	var all []byte
	for _, t := range m.cfg.Tables {
		_, srows, err := m.read(ctx, src, t, st.id)
		if err != nil {
			return "", err
		}
		_, drows, err := m.read(ctx, dst, t, st.id)
		if err != nil {
			return "", err
		}
		a, b := checksum(srows), checksum(drows)
		if a != b {
			return "", fmt.Errorf("table %s: %d rows on %s, %d on %s: %w", t.Name, len(srows), m.r.sideName(src), len(drows), m.r.sideName(dst), ErrChecksum)
		}
		all = append(all, a[:]...)
	}
	sum := sha256.Sum256(all)
	return fmt.Sprintf("%x", sum[:8]), nil
}

// flip makes the destination the object's home: destination live,
// index flipped and unlocked, source gone.
func (m *Mover) flip(ctx context.Context, st moveState) error {
	dst, src := m.writeSide(st.id, st.to), m.writeSide(st.id, st.from)
	if err := m.setState(ctx, dst, st.id, stateHome); err != nil {
		return err
	}
	if _, err := m.r.exec(ctx, m.indexSide(st.id), "UPDATE "+indexTable+" SET shard = ?, locked = 0 WHERE object_id = ?", m.r.topo.Shards[st.to].Name, st.id); err != nil {
		return err
	}
	m.r.cache.put(st.id, st.to)
	return m.setState(ctx, src, st.id, stateGone)
}

// cleanup deletes the object's rows and state row on the source.
func (m *Mover) cleanup(ctx context.Context, st moveState) (int, error) {
	src := m.writeSide(st.id, st.from)
	n := 0
	err := m.r.tx(ctx, src, func(tx *sql.Tx) error {
		for _, t := range m.cfg.Tables {
			res, err := tx.ExecContext(ctx, "DELETE FROM "+t.Name+" WHERE "+t.Object+" = ?", st.id)
			if err != nil {
				return err
			}
			k, _ := res.RowsAffected()
			n += int(k)
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM "+objectsTable+" WHERE object_id = ? AND state = ?", st.id, stateGone)
		return err
	})
	return n, err
}

// Cancel undoes a recorded move that has not flipped: the source is
// unfrozen, the index unlocked, the destination's copy deleted and the
// record removed. A move at or past StepFlipped is finished instead.
func (m *Mover) Cancel(ctx context.Context, id uint64) error {
	st, found, err := m.loadState(ctx, id)
	if err != nil || !found {
		return err
	}
	if st.step >= StepFlipped {
		st.resumed = true
		_, err := m.run(ctx, st, nil)
		return err
	}
	src, dst := m.writeSide(id, st.from), m.writeSide(id, st.to)
	if err := m.setState(ctx, src, id, stateHome); err != nil {
		return err
	}
	if _, err := m.r.exec(ctx, m.indexSide(id), "UPDATE "+indexTable+" SET locked = 0 WHERE object_id = ?", id); err != nil {
		return err
	}
	err = m.r.tx(ctx, dst, func(tx *sql.Tx) error {
		for _, t := range m.cfg.Tables {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.Name+" WHERE "+t.Object+" = ?", id); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, "DELETE FROM "+objectsTable+" WHERE object_id = ? AND state = ?", id, stateIncoming)
		return err
	})
	if err != nil {
		return err
	}
	_, err = m.r.exec(ctx, m.indexSide(id), "DELETE FROM "+movesTable+" WHERE object_id = ?", id)
	return err
}
