package shard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// Object states in a shard's shard_objects table. A write commits only
// while its object's row there says stateHome, read with a row lock in
// the write's own transaction, so a move can freeze an object on its
// source shard whatever the routers' caches say.
const (
	stateHome     = 0 // the object lives here
	stateFrozen   = 1 // a move is copying the last changes away; wait
	stateGone     = 2 // moved away; look the object up again
	stateIncoming = 3 // a move is copying it here; not yet live
	stateAbsent   = -1
)

// Tables the package creates.
const (
	indexTable   = "shard_index"
	movesTable   = "shard_moves"
	objectsTable = "shard_objects"
)

// SideOf is the letter of a side within its pair.
type SideOf uint8

// The two sides of a pair.
const (
	A SideOf = 0
	B SideOf = 1
)

func (s SideOf) String() string {
	if s == B {
		return "B"
	}
	return "A"
}

// Pin is how an object is pinned to one side of its pair for writes, so
// that the two sides never update the same row at once (which diverges
// silently under master-master replication).
type Pin uint8

const (
	// PinParity writes odd ids on side A and even ids on side B.
	PinParity Pin = iota
	// PinHash writes on the side given by a bit of a stable 64-bit hash of
	// the id, for id sources whose parity is skewed.
	PinHash
)

// A Route is where an object's queries go: its shard (a position in
// [Topology].Shards) and the side for writes and for reads. The write
// side is the object's pinned side unless that side is disabled.
type Route struct {
	Shard int
	Write SideOf
	Read  SideOf
}

// Config configures a [Router]. Zero fields mean the documented
// defaults; Open is required.
type Config struct {
	// Open opens a handle for a DSN, e.g. mariadb.Open from the nested
	// module, or a function calling sql.Open with a registered driver.
	// Errors it returns are reported without the DSN.
	Open func(dsn string) (*sql.DB, error)
	// Dialect is the servers' SQL dialect; the zero value means MySQL.
	Dialect Dialect
	// CacheSize is the number of object-to-shard entries cached, rounded
	// up to a power of two; 0 means 65,536 (1 MB), negative means none.
	CacheSize int
	// Pin chooses each object's write side; the zero value is PinParity.
	Pin Pin
	// SpreadReads sends reads to the side that is not the object's write
	// side when it is enabled. The default reads from the write side,
	// which sees the object's own writes at once.
	SpreadReads bool
	// Placement chooses the shard of new objects; nil means LeastLoaded.
	Placement Placement
	// Rand is the placement policies' randomness; nil means a generator
	// seeded from the runtime's random source. It is used under a lock.
	Rand *rand.Rand
	// Now is the clock for side counters and load refreshes; nil means
	// time.Now.
	Now func() time.Time
	// MaxWait bounds how long a write waits for an object being moved;
	// 0 means 30 s.
	MaxWait time.Duration
	// LoadRefresh is how old the shard loads used for placement may get
	// before they are counted again in the index; 0 means 10 s.
	LoadRefresh time.Duration
}

// A Router sends each object's queries to its shard and side. It keeps
// the index's answers in a bounded cache, spreads new objects by a
// placement policy and counts traffic per side. A Router is safe for
// concurrent use.
type Router struct {
	topo  *Topology
	cfg   Config
	dbs   []*sql.DB // per side number
	cache *cache
	stats []sideCounters

	randMu sync.Mutex

	loadMu   sync.Mutex
	loads    []Load
	loadedAt time.Time
}

type sideCounters struct {
	queries, errors, inflight atomic.Int64
	last                      atomic.Int64 // Now().UnixNano() of the last use
}

// NewRouter opens a handle per side with cfg.Open (which need not
// connect) and returns a router over topo. It starts no goroutines of
// its own; the handles' pools are database/sql's. Close releases them.
func NewRouter(topo *Topology, cfg *Config) (*Router, error) {
	if topo == nil || len(topo.sides) == 0 {
		return nil, errors.New("shard: NewRouter: no topology")
	}
	if cfg == nil || cfg.Open == nil {
		return nil, errors.New("shard: NewRouter: Config.Open is required")
	}
	r := &Router{topo: topo, cfg: *cfg}
	if r.cfg.Dialect.Name == "" {
		r.cfg.Dialect = MySQL
	}
	switch {
	case r.cfg.CacheSize == 0:
		r.cfg.CacheSize = 1 << 16
	case r.cfg.CacheSize > 1<<26:
		return nil, fmt.Errorf("shard: NewRouter: CacheSize %d above the 2^26 limit", r.cfg.CacheSize)
	}
	if r.cfg.Placement == nil {
		r.cfg.Placement = LeastLoaded{}
	}
	if r.cfg.Rand == nil {
		r.cfg.Rand = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	if r.cfg.Now == nil {
		r.cfg.Now = time.Now
	}
	if r.cfg.MaxWait <= 0 {
		r.cfg.MaxWait = 30 * time.Second
	}
	if r.cfg.LoadRefresh <= 0 {
		r.cfg.LoadRefresh = 10 * time.Second
	}
	r.cache = newCache(r.cfg.CacheSize)
	r.stats = make([]sideCounters, len(topo.sides))
	r.dbs = make([]*sql.DB, len(topo.sides))
	for s, name := range topo.sides {
		dsn, _ := topo.DSN(name)
		db, err := r.cfg.Open(dsn)
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("shard: opening side %s: %w", name, redactErr(err, dsn))
		}
		r.dbs[s] = db
	}
	return r, nil
}

// redactErr returns err, or a copy of its message without dsn's
// password when the message contains the DSN.
func redactErr(err error, dsn string) error {
	red := RedactDSN(dsn)
	if red == dsn {
		return err
	}
	msg := err.Error()
	if !containsAny(msg, dsn, passwordOf(dsn)) {
		return err
	}
	return errors.New(replaceSecret(msg, dsn, red))
}

// Close closes every side's handle.
func (r *Router) Close() error {
	var errs []error
	for _, db := range r.dbs {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	return errors.Join(errs...)
}

// Topology returns the router's topology.
func (r *Router) Topology() *Topology { return r.topo }

// Dialect returns the router's SQL dialect.
func (r *Router) Dialect() Dialect { return r.cfg.Dialect }

// pin returns id's pinned side.
func (r *Router) pin(id uint64) SideOf {
	if r.cfg.Pin == PinHash {
		return SideOf(mix64(id) >> 63)
	}
	return SideOf((id + 1) & 1) // odd -> A, even -> B
}

// mix64 is the SplitMix64 finaliser: a stable bijective hash.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// route computes the sides of id on pair p. It is kept small enough to
// inline into Cached.
func (r *Router) route(id uint64, p int) Route {
	off := r.topo.disabled.Load().off
	w := r.pin(id)
	if off[2*p+int(w)] {
		w ^= 1
	}
	if r.cfg.SpreadReads {
		return Route{Shard: p, Write: w, Read: spreadRead(off, p, w)}
	}
	return Route{Shard: p, Write: w, Read: w}
}

// spreadRead returns the side other than w when it is enabled.
func spreadRead(off []bool, p int, w SideOf) SideOf {
	if !off[2*p+int(w^1)] {
		return w ^ 1
	}
	return w
}

// Cached returns id's route when the cache holds its shard. It does not
// allocate and takes no locks.
func (r *Router) Cached(id uint64) (Route, bool) {
	p, ok := r.cache.get(id)
	if !ok {
		return Route{}, false
	}
	return r.route(id, p), true
}

// Invalidate drops id from the cache, so its next lookup asks the index.
func (r *Router) Invalidate(id uint64) { r.cache.invalidate(id) }

// InvalidateAll empties the cache.
func (r *Router) InvalidateAll() { r.cache.clear() }

// Lookup returns id's route, from the cache or else from the index.
// It returns an error wrapping ErrNotFound when the index does not hold
// id.
func (r *Router) Lookup(ctx context.Context, id uint64) (Route, error) {
	if rt, ok := r.Cached(id); ok {
		return rt, nil
	}
	return r.lookupIndex(ctx, id)
}

// lookupIndex reads id's shard from the index (the object's pinned side,
// or the other side when that one is disabled or fails) and caches it.
func (r *Router) lookupIndex(ctx context.Context, id uint64) (Route, error) {
	ip := r.topo.indexPair()
	irt := r.route(id, ip)
	var name string
	var locked int
	var err error
	for _, side := range []SideOf{irt.Read, irt.Read ^ 1} {
		s := 2*ip + int(side)
		if side != irt.Read && r.topo.sideOff(s) {
			break
		}
		err = r.queryRow(ctx, s, "SELECT shard, locked FROM "+indexTable+" WHERE object_id = ?", []any{id}, &name, &locked)
		if err == nil || errors.Is(err, sql.ErrNoRows) {
			break
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return Route{}, fmt.Errorf("shard: object %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Route{}, fmt.Errorf("shard: index lookup of %d: %w", id, err)
	}
	p, ok := r.topo.shards[name]
	if !ok {
		return Route{}, fmt.Errorf("shard: index maps object %d to shard %s, which is not in the topology", id, quote(name))
	}
	r.cache.put(id, p)
	return r.route(id, p), nil
}

// sideName returns the name of side s.
func (r *Router) sideName(s int) string { return r.topo.sides[s] }

// begin marks a use of side s; end must follow.
func (r *Router) begin(s int) {
	c := &r.stats[s]
	c.queries.Add(1)
	c.inflight.Add(1)
	c.last.Store(r.cfg.Now().UnixNano())
}

func (r *Router) end(s int, err error) {
	c := &r.stats[s]
	c.inflight.Add(-1)
	c.last.Store(r.cfg.Now().UnixNano())
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		c.errors.Add(1)
	}
}

func (r *Router) queryRow(ctx context.Context, s int, q string, args []any, dest ...any) error {
	r.begin(s)
	err := r.dbs[s].QueryRowContext(ctx, q, args...).Scan(dest...)
	r.end(s, err)
	return err
}

func (r *Router) exec(ctx context.Context, s int, q string, args ...any) (sql.Result, error) {
	r.begin(s)
	res, err := r.dbs[s].ExecContext(ctx, q, args...)
	r.end(s, err)
	return res, err
}

// shardSide returns the side number of side w of shard p.
func shardSide(p int, w SideOf) int { return 2*p + int(w) }

// DB returns the handle of a side by name, for queries the router does
// not make (schema changes, reports). Queries made on it are not counted.
func (r *Router) DB(side string) (*sql.DB, error) {
	s, ok := r.topo.byName[side]
	if !ok {
		return nil, &SideError{Side: side, Err: ErrUnknownSide}
	}
	return r.dbs[s], nil
}

// Setup creates the package's tables where they are missing, on every
// enabled side: shard_index and shard_moves on the index pair,
// shard_objects on every shard. Application tables are the caller's.
func (r *Router) Setup(ctx context.Context) error {
	suffix := ""
	if r.cfg.Dialect.Name == MySQL.Name {
		suffix = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
	}
	indexDDL := []string{
		"CREATE TABLE IF NOT EXISTS " + indexTable + " (object_id BIGINT UNSIGNED NOT NULL PRIMARY KEY, shard VARCHAR(64) NOT NULL, locked TINYINT NOT NULL)" + suffix,
		"CREATE TABLE IF NOT EXISTS " + movesTable + " (object_id BIGINT UNSIGNED NOT NULL PRIMARY KEY, src VARCHAR(64) NOT NULL, dst VARCHAR(64) NOT NULL, step TINYINT NOT NULL, started_ns BIGINT NOT NULL, locked_ns BIGINT NOT NULL, pause_ns BIGINT NOT NULL)" + suffix,
	}
	shardDDL := []string{
		"CREATE TABLE IF NOT EXISTS " + objectsTable + " (object_id BIGINT UNSIGNED NOT NULL PRIMARY KEY, state TINYINT NOT NULL)" + suffix,
	}
	var errs []error
	for s := range r.topo.sides {
		p := s / 2
		var ddl []string
		switch {
		case p < len(r.topo.Shards):
			ddl = shardDDL
		case p == r.topo.indexPair():
			ddl = indexDDL
		default:
			continue
		}
		if r.topo.sideOff(s) {
			continue
		}
		for _, q := range ddl {
			if _, err := r.exec(ctx, s, q); err != nil {
				errs = append(errs, fmt.Errorf("shard: setup on %s: %w", r.sideName(s), err))
				break
			}
		}
	}
	return errors.Join(errs...)
}

// Create places a new object on a shard chosen by the placement policy,
// records it there and in the index, and returns its route. It returns
// an error wrapping ErrExists when the index already holds id.
func (r *Router) Create(ctx context.Context, id uint64) (Route, error) {
	if _, err := r.lookupIndex(ctx, id); err == nil {
		return Route{}, fmt.Errorf("shard: object %d: %w", id, ErrExists)
	} else if !errors.Is(err, ErrNotFound) {
		return Route{}, err
	}
	p, err := r.place(ctx)
	if err != nil {
		return Route{}, err
	}
	rt := r.route(id, p)
	s := shardSide(p, rt.Write)
	err = r.tx(ctx, s, func(tx *sql.Tx) error {
		var st int
		err := tx.QueryRowContext(ctx, "SELECT state FROM "+objectsTable+" WHERE object_id = ?"+r.cfg.Dialect.ForUpdate, id).Scan(&st)
		if errors.Is(err, sql.ErrNoRows) {
			_, err = tx.ExecContext(ctx, "INSERT INTO "+objectsTable+" (object_id, state) VALUES (?, ?)", id, stateHome)
			return err
		}
		if err == nil && st != stateHome {
			return fmt.Errorf("shard: object %d: shard %s holds it in state %d", id, r.topo.Shards[p].Name, st)
		}
		return err
	})
	if err != nil {
		return Route{}, fmt.Errorf("shard: creating object %d on %s: %w", id, r.sideName(s), err)
	}
	irt := r.route(id, r.topo.indexPair())
	is := shardSide(r.topo.indexPair(), irt.Write)
	if _, err := r.exec(ctx, is, "INSERT INTO "+indexTable+" (object_id, shard, locked) VALUES (?, ?, 0)", id, r.topo.Shards[p].Name); err != nil {
		// Do not leave a state row the index does not point to (a
		// concurrent Create of the same id may have won).
		if rt2, lerr := r.lookupIndex(ctx, id); lerr == nil {
			if rt2.Shard != p {
				r.exec(ctx, s, "DELETE FROM "+objectsTable+" WHERE object_id = ? AND state = ?", id, stateHome)
			}
			return Route{}, fmt.Errorf("shard: object %d: %w", id, ErrExists)
		}
		return Route{}, fmt.Errorf("shard: indexing object %d on %s: %w", id, r.sideName(is), err)
	}
	r.loadMu.Lock()
	if p < len(r.loads) {
		r.loads[p].Objects++
	}
	r.loadMu.Unlock()
	r.cache.put(id, p)
	return rt, nil
}

// tx runs fn in a transaction on side s, counting it.
func (r *Router) tx(ctx context.Context, s int, fn func(*sql.Tx) error) (err error) {
	r.begin(s)
	defer func() { r.end(s, err) }()
	tx, err := r.dbs[s].BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// errRetry stops a transaction whose object is not home on the side.
type errRetry struct{ state int }

func (e *errRetry) Error() string { return fmt.Sprintf("object in state %d", e.state) }

// Update runs fn in a transaction on id's write side. The transaction
// first locks the object's row in the shard's shard_objects table and
// checks the object lives there, so fn's writes cannot reach a shard the
// object has moved from, whatever the cache said. While the object is
// being moved Update waits (up to Config.MaxWait, then ErrMoving); after
// a move it follows the index to the new shard. fn must not commit or
// roll back; its error is returned as is and rolls the transaction back.
// fn runs at most once: the waits and retries happen before it is called.
// A deadlock or lock-wait error from the server is returned as is; the
// transaction was rolled back, so the caller may run Update again.
func (r *Router) Update(ctx context.Context, id uint64, fn func(*sql.Tx) error) error {
	return r.run(ctx, id, true, fn)
}

// View runs fn in a transaction on id's read side, after checking that
// the object lives on that shard (following the index when it moved).
// A frozen object (a move in its last step) can still be read.
func (r *Router) View(ctx context.Context, id uint64, fn func(*sql.Tx) error) error {
	return r.run(ctx, id, false, fn)
}

func (r *Router) run(ctx context.Context, id uint64, write bool, fn func(*sql.Tx) error) error {
	deadline := r.cfg.Now().Add(r.cfg.MaxWait)
	wait := 500 * time.Microsecond
	fresh := false
	for {
		var rt Route
		var err error
		if fresh {
			rt, err = r.lookupIndex(ctx, id)
		} else {
			rt, err = r.Lookup(ctx, id)
		}
		if err != nil {
			return err
		}
		side := rt.Read
		if write {
			side = rt.Write
		}
		s := shardSide(rt.Shard, side)
		var appErr error
		err = r.tx(ctx, s, func(tx *sql.Tx) error {
			q := "SELECT state FROM " + objectsTable + " WHERE object_id = ?"
			if write {
				q += r.cfg.Dialect.ForUpdate
			}
			st := stateAbsent
			if err := tx.QueryRowContext(ctx, q, id).Scan(&st); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if st == stateHome || (!write && st == stateFrozen) {
				appErr = fn(tx)
				return appErr
			}
			return &errRetry{st}
		})
		if appErr != nil {
			return appErr
		}
		var retry *errRetry
		if !errors.As(err, &retry) {
			if err != nil {
				return fmt.Errorf("shard: object %d on %s: %w", id, r.sideName(s), err)
			}
			return nil
		}
		switch retry.state {
		case stateFrozen:
			if r.cfg.Now().After(deadline) {
				return fmt.Errorf("shard: object %d: %w", id, ErrMoving)
			}
			if err := sleepCtx(ctx, wait); err != nil {
				return err
			}
			wait = min(2*wait, 20*time.Millisecond)
		default: // gone, absent or incoming: the route is stale
			r.cache.invalidate(id)
			if fresh {
				if r.cfg.Now().After(deadline) {
					return fmt.Errorf("shard: object %d: index names %s, which does not hold it: %w", id, r.topo.Shards[rt.Shard].Name, ErrNotFound)
				}
				if err := sleepCtx(ctx, wait); err != nil {
					return err
				}
				wait = min(2*wait, 20*time.Millisecond)
			}
			fresh = true
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
