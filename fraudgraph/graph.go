package fraudgraph

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// Errors returned by [Graph] methods. They are always returned wrapped with
// the offending values; test for them with [errors.Is].
var (
	// ErrSelfInvite reports an invite whose inviter and invitee are the same.
	ErrSelfInvite = errors.New("fraudgraph: account invited itself")
	// ErrUnknownAccount reports a query about an account never added.
	ErrUnknownAccount = errors.New("fraudgraph: unknown account")
	// ErrEmptyFingerprint reports an empty fingerprint kind or value.
	ErrEmptyFingerprint = errors.New("fraudgraph: empty fingerprint kind or value")
	// ErrTime reports a time outside 1970-01-01 to 2106-02-07 UTC, the
	// range stored (seconds in 32 bits).
	ErrTime = errors.New("fraudgraph: time out of range")
	// ErrCapacity reports more than 2³⁰-1 accounts or shared fingerprints, or
	// more than 255 fingerprint kinds.
	ErrCapacity = errors.New("fraudgraph: capacity exceeded")
	// ErrQuery reports an invalid [Query].
	ErrQuery = errors.New("fraudgraph: invalid query")
)

// Graph is a graph of accounts linked by invites and shared fingerprints.
//
// Internally accounts get dense 32-bit ids; the adjacency lives in an
// immutable compressed-sparse-row base plus a small append-only delta that
// absorbs live inserts until the next compaction. Readers load the current
// base and delta with one atomic pointer load and never wait for writers.
//
// The zero Graph is not usable; call [New] or [Builder.Graph]. A Graph is
// safe for concurrent use: queries run in parallel with each other and
// with inserts; inserts are serialised among themselves.
type Graph struct {
	set settings

	mu sync.Mutex // serialises writers

	ids idShards
	// Accounts 0..seqLen-1 have external ids seqBase+dense and are not in
	// ids: sequential ids (as from an auto-increment column) cost nothing
	// to map. seqBase is written once, before seqLen becomes non-zero.
	seqBase uint64
	seqLen  atomic.Uint32
	ext     u64s // dense -> external id
	joined  u32s // dense -> join time, seconds since 1970, 0 unknown
	flags   u32s // 8 bits per account, 4 accounts per word
	nAcc    atomic.Uint32

	fps    fpShards
	fpHash u64s // fingerprint id -> hash
	fpInfo u32s // fingerprint id -> kind<<24 | accounts (saturating)
	nFp    atomic.Uint32

	kinds   atomic.Pointer[[]kindInfo] // by kind index; 0 is "invite"
	kindIdx map[string]uint8           // writer only

	st atomic.Pointer[state]

	dups, cycles, compactions atomic.Uint64

	searchers, explainers sync.Pool
}

type kindInfo struct {
	name string
	Kind
	cap  uint32 // accounts above which a fingerprint is a supernode
	salt uint64 // kindSalt(name): fingerprints are keyed by fingerprintKey(salt, hash)
}

// Account rows hold invites and fingerprints together. inviterBit marks
// an invite entry whose neighbour invited the row's account; fpBit marks a
// fingerprint entry (the rest is the fingerprint id).
const (
	inviterBit = 1 << 31
	fpBit      = 1 << 30
	idMask     = fpBit - 1
)

const countMask = 1<<24 - 1

// csr is a compressed sparse row adjacency: the neighbours of node u are
// adj[off[u]:off[u+1]]. Nodes at or beyond len(off)-1 have none.
type csr struct {
	off []uint32
	adj []uint32
}

func (c *csr) row(u uint32) []uint32 {
	if int(u)+1 >= len(c.off) {
		return nil
	}
	return c.adj[c.off[u]:c.off[u+1]]
}

func (c *csr) bytes() int64 { return int64(len(c.off)+len(c.adj)) * 4 }

// state is one immutable base plus the live delta written since. acc
// holds each account's invites and fingerprints, fpa each fingerprint's
// accounts.
type state struct {
	acc, fpa csr
	d        *delta
}

// delta is an append-only log of adjacency entries. Each node's entries
// form a linked list, newest first, through next; heads hold 1+index of a
// node's newest entry (0: none). Entries are fully written before the head
// that makes them reachable is published.
type delta struct {
	acc, fpa  u32s // heads
	tgt, next u32s
	n         uint32 // entries used; writer only
}

func (d *delta) add(heads *u32s, node, tgt uint32) {
	i := d.n
	d.tgt.store(i, tgt)
	d.next.store(i, heads.load(node))
	heads.store(node, i+1)
	d.n++
}

// New returns an empty graph configured by cfg. It starts no goroutines.
func New(cfg Config) *Graph {
	g := &Graph{set: resolve(cfg), kindIdx: map[string]uint8{}}
	g.ids.reset(func(int) int { return 0 })
	g.fps.reset(func(int) int { return 0 })
	ks := []kindInfo{{name: KindInvite, Kind: Kind{Weight: g.set.inviteWeight}, cap: math.MaxUint32}}
	g.kinds.Store(&ks)
	g.st.Store(&state{d: new(delta)})
	return g
}

// KindInvite is the kind name reported for invite links.
const KindInvite = "invite"

// secs converts t to stored seconds; the zero Time means unknown (0).
// The first second of 1970 is stored as 1970-01-01T00:00:01, since 0 is
// taken. Times before 1970 or after 2106-02-07 do not fit and return false.
func secs(t time.Time) (uint32, bool) {
	if t.IsZero() {
		return 0, true
	}
	u := t.Unix()
	if u < 0 || u > math.MaxUint32 {
		return 0, false
	}
	return uint32(max(u, 1)), true
}

func fromSecs(s uint32) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(int64(s), 0).UTC()
}

// lookup returns the dense id of an external account id.
func (g *Graph) lookup(id uint64) (uint32, bool) {
	n := g.seqLen.Load()
	if n > 0 && id-g.seqBase < uint64(n) {
		return uint32(id - g.seqBase), true
	}
	if n == g.nAcc.Load() { // every account is sequential: the table is empty
		return 0, false
	}
	return g.ids.lookup(id, &g.ext)
}

// extID returns the external id of dense account d.
func (g *Graph) extID(d uint32) uint64 {
	if d < g.seqLen.Load() {
		return g.seqBase + uint64(d)
	}
	return g.ext.load(d)
}

func (g *Graph) dense(id uint64) (uint32, error) {
	d, ok := g.lookup(id)
	if !ok {
		return 0, fmt.Errorf("%w: %d", ErrUnknownAccount, id)
	}
	return d, nil
}

// ensure returns the dense id of id, creating the account if needed and
// setting its join time when unknown. Writer only.
func (g *Graph) ensure(id uint64, joined uint32) (uint32, error) {
	if d, ok := g.lookup(id); ok {
		if joined != 0 {
			if p := g.joined.slot(d); p.Load() == 0 {
				p.Store(joined)
			}
		}
		return d, nil
	}
	d := g.nAcc.Load()
	if d >= idMask {
		return 0, fmt.Errorf("%w: more than %d accounts", ErrCapacity, idMask)
	}
	g.joined.store(d, joined)
	g.flags.slot(d >> 2)
	seq := g.seqLen.Load()
	switch {
	case d == 0:
		g.seqBase = id
		g.seqLen.Store(1)
	case seq == d && id == g.seqBase+uint64(d):
		g.seqLen.Store(d + 1)
	default:
		g.ext.store(d, id)
		h := mix64(id)
		sh := idShardOf(h)
		t := g.ids[sh].Load()
		if t.full() {
			t = t.regrow((t.used+1)*3/2, &g.ext)
			g.ids[sh].Store(t)
		}
		t.insert(h, d)
	}
	g.nAcc.Store(d + 1)
	return d, nil
}

// kindIndex returns the index of a kind name, registering it. Writer only.
func (g *Graph) kindIndex(name string) (uint8, error) {
	if k, ok := g.kindIdx[name]; ok {
		return k, nil
	}
	old := *g.kinds.Load()
	if len(old) > 255 {
		return 0, fmt.Errorf("%w: more than 255 fingerprint kinds", ErrCapacity)
	}
	k := g.set.kindOf(name)
	c := uint32(math.MaxUint32)
	if k.Cap > 0 {
		c = uint32(min(k.Cap, countMask))
	}
	nk := append(old[:len(old):len(old)], kindInfo{name: name, Kind: k, cap: c, salt: kindSalt(name)})
	g.kinds.Store(&nk)
	idx := uint8(len(nk) - 1)
	g.kindIdx[name] = idx
	return idx, nil
}

// AddAccount records a signup: the account and the time it joined. Adding
// an existing account is not an error; its join time is set only if it was
// unknown (accounts first seen through an invite get the invite time).
func (g *Graph) AddAccount(id uint64, at time.Time) error {
	s, ok := secs(at)
	if !ok {
		return fmt.Errorf("%w: account %d at %v", ErrTime, id, at)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	_, err := g.ensure(id, s)
	return err
}

// AddInvite records that inviter invited invitee at the given time.
// Unknown accounts are created; the invitee's join time is set to at when
// unknown. A self-invite returns [ErrSelfInvite]. Adding the same invite
// twice is a no-op (counted in [Stats].Duplicates). Invite cycles, such as
// two accounts that invited each other, and invitees with several
// inviters are kept and counted in [Stats].Cycles for direct reversals:
// they are data errors worth a look, and searches treat invite links as
// undirected with a visited set, so cycles cannot loop. A time that is
// not the zero Time must lie in 1970..2106 ([ErrTime]); the zero Time
// means the join time is unknown.
func (g *Graph) AddInvite(inviter, invitee uint64, at time.Time) error {
	if inviter == invitee {
		return fmt.Errorf("%w: account %d", ErrSelfInvite, inviter)
	}
	s, ok := secs(at)
	if !ok {
		return fmt.Errorf("%w: invite %d->%d at %v", ErrTime, inviter, invitee, at)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	a, err := g.ensure(inviter, 0)
	if err != nil {
		return err
	}
	b, err := g.ensure(invitee, s)
	if err != nil {
		return err
	}
	st := g.st.Load()
	dup, rev := false, false
	st.eachInvite(b, func(v uint32) bool {
		if v == a|inviterBit {
			dup = true
		} else if v == a {
			rev = true
		}
		return !dup
	})
	if dup {
		g.dups.Add(1)
		return nil
	}
	if rev {
		g.cycles.Add(1)
	}
	st.d.add(&st.d.acc, b, a|inviterBit)
	st.d.add(&st.d.acc, a, b)
	g.maybeCompact()
	return nil
}

// AddFingerprint records that account presented a fingerprint of the given
// kind ("device", "card", "ip", ...) and value. The value is hashed with
// [HashFingerprint] and never stored. Unknown accounts are created;
// repeating a fingerprint on the same account is a no-op.
func (g *Graph) AddFingerprint(account uint64, kind, value string) error {
	if kind == "" || value == "" {
		return fmt.Errorf("%w: account %d kind %q", ErrEmptyFingerprint, account, kind)
	}
	return g.AddFingerprintHash(account, kind, HashFingerprint(kind, value))
}

// AddFingerprintHash is [Graph.AddFingerprint] for a value already hashed
// with [HashFingerprint] (or any 64-bit identity the caller keeps stable).
func (g *Graph) AddFingerprintHash(account uint64, kind string, h uint64) error {
	if kind == "" {
		return fmt.Errorf("%w: account %d", ErrEmptyFingerprint, account)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	a, err := g.ensure(account, 0)
	if err != nil {
		return err
	}
	k, err := g.kindIndex(kind)
	if err != nil {
		return err
	}
	st := g.st.Load()
	key := fingerprintKey((*g.kinds.Load())[k].salt, h)
	fp, owner, err := g.linkFingerprint(a, k, key, func(fp uint32) bool {
		found := false
		st.eachFingerprint(a, func(f uint32) bool {
			found = f == fp
			return !found
		})
		return found
	})
	if err != nil || fp == noFP {
		return err
	}
	if owner != noFP {
		st.d.add(&st.d.acc, owner, fp|fpBit)
		st.d.add(&st.d.fpa, fp, owner)
	}
	st.d.add(&st.d.acc, a, fp|fpBit)
	st.d.add(&st.d.fpa, fp, a)
	g.maybeCompact()
	return nil
}

const noFP = math.MaxUint32

// linkFingerprint resolves hash h presented by account a. It returns the
// fingerprint id to link a to (noFP: nothing to link) and, when the
// fingerprint just became shared, its first owner to link as well. has
// reports whether a already links to a fingerprint id. Writer only.
func (g *Graph) linkFingerprint(a uint32, k uint8, h uint64, has func(fp uint32) bool) (fp, owner uint32, err error) {
	sh := shardOf(h)
	t := g.fps[sh].Load()
	i := t.find(h)
	if i < 0 {
		if t.full() {
			t = g.growFP(sh, t.used+1)
		}
		t.insert(h, a|singleBit)
		return noFP, noFP, nil
	}
	v := t.value(i)
	if v&singleBit != 0 {
		o := v &^ singleBit
		if o == a {
			g.dups.Add(1)
			return noFP, noFP, nil
		}
		f := g.nFp.Load()
		if f >= idMask {
			return noFP, noFP, fmt.Errorf("%w: more than %d shared fingerprints", ErrCapacity, idMask)
		}
		g.fpHash.store(f, h)
		g.fpInfo.store(f, uint32(k)<<24|2)
		g.nFp.Store(f + 1)
		t.setValue(i, f)
		return f, o, nil
	}
	if has != nil && has(v) {
		g.dups.Add(1)
		return noFP, noFP, nil
	}
	p := g.fpInfo.slot(v)
	if info := p.Load(); info&countMask != countMask {
		p.Store(info + 1)
	}
	return v, noFP, nil
}

// growFP publishes a copy of fingerprint table shard sh sized for n
// entries.
func (g *Graph) growFP(sh, n int) *fpTable {
	old := g.fps[sh].Load()
	nt := newFPTable(max(n*3/2, 16), sh)
	for i, k := range old.keys {
		if k != 0 {
			nt.insertTag(k>>16, old.value(i))
		}
	}
	g.fps[sh].Store(nt)
	return nt
}

// eachInvite calls f with the invite entries of account u (neighbour id,
// with inviterBit when the neighbour invited u) until f returns false.
func (s *state) eachInvite(u uint32, f func(uint32) bool) {
	for _, v := range s.acc.row(u) {
		if v&fpBit == 0 && !f(v) {
			return
		}
	}
	for e := s.d.acc.load(u); e != 0; e = s.d.next.load(e - 1) {
		if v := s.d.tgt.load(e - 1); v&fpBit == 0 && !f(v) {
			return
		}
	}
}

// eachFingerprint calls f with the shared fingerprints of account u.
func (s *state) eachFingerprint(u uint32, f func(uint32) bool) {
	for _, v := range s.acc.row(u) {
		if v&fpBit != 0 && !f(v&idMask) {
			return
		}
	}
	for e := s.d.acc.load(u); e != 0; e = s.d.next.load(e - 1) {
		if v := s.d.tgt.load(e - 1); v&fpBit != 0 && !f(v&idMask) {
			return
		}
	}
}

// eachMember calls f with the accounts sharing fingerprint fp.
func (s *state) eachMember(fp uint32, f func(uint32) bool) {
	for _, v := range s.fpa.row(fp) {
		if !f(v) {
			return
		}
	}
	for e := s.d.fpa.load(fp); e != 0; e = s.d.next.load(e - 1) {
		if !f(s.d.tgt.load(e - 1)) {
			return
		}
	}
}

func (g *Graph) maybeCompact() {
	st := g.st.Load()
	limit := max(g.set.deltaLimit, (len(st.acc.adj)+len(st.fpa.adj))/8)
	if g.set.deltaLimit > 0 && int(st.d.n) >= limit {
		g.compactLocked()
	}
}

// Compact folds the live delta into a new immutable base. Queries keep
// running on the previous base meanwhile; inserts wait. Inserts compact
// automatically once Config.DeltaLimit entries are pending.
func (g *Graph) Compact() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.compactLocked()
}

func (g *Graph) compactLocked() {
	old := g.st.Load()
	nAcc, nFp := g.nAcc.Load(), g.nFp.Load()
	ns := &state{d: new(delta)}
	ns.acc = mergeCSR(&old.acc, &old.d.acc, old.d, nAcc)
	ns.fpa = mergeCSR(&old.fpa, &old.d.fpa, old.d, nFp)
	if g.set.cfg.DropUnshared {
		g.dropUnshared()
	}
	g.st.Store(ns)
	g.compactions.Add(1)
}

// mergeCSR returns base plus the delta lists of heads for n nodes.
func mergeCSR(base *csr, heads *u32s, d *delta, n uint32) csr {
	off := make([]uint32, n+1)
	total := uint32(0)
	for u := range n {
		off[u] = total
		total += uint32(len(base.row(u)))
		for e := heads.load(u); e != 0; e = d.next.load(e - 1) {
			total++
		}
	}
	off[n] = total
	adj := make([]uint32, total)
	for u := range n {
		w := off[u]
		w += uint32(copy(adj[w:], base.row(u)))
		for e := heads.load(u); e != 0; e = d.next.load(e - 1) {
			adj[w] = d.tgt.load(e - 1)
			w++
		}
	}
	return csr{off: off, adj: adj}
}

// dropUnshared rebuilds the fingerprint table with shared fingerprints
// only. Writer only.
func (g *Graph) dropUnshared() {
	n := g.nFp.Load()
	var count [len(g.fps)]int
	for f := range n {
		count[shardOf(g.fpHash.load(f))]++
	}
	var nt [len(g.fps)]*fpTable
	for i := range nt {
		nt[i] = newFPTable(count[i], i)
	}
	for f := range n {
		h := g.fpHash.load(f)
		nt[shardOf(h)].insert(h, f)
	}
	for i := range nt {
		g.fps[i].Store(nt[i])
	}
}

// Flags are per-account markers used by [Signals] and the decision layer.
type Flags uint8

// Account flags.
const (
	// FlagRedeemed marks an account that redeemed referral credits.
	FlagRedeemed Flags = 1 << iota
	// FlagFlagged marks an account a check flagged (review or worse).
	FlagFlagged
	// FlagBanned marks a banned account.
	FlagBanned
	// FlagNoReferral marks an account whose referral ability was removed.
	FlagNoReferral
	// FlagConfirmedFraud marks an account a reviewer confirmed as fraud.
	FlagConfirmedFraud
)

// SetFlags sets the flags f on account (leaving others unchanged). It is
// lock-free and may run concurrently with anything.
func (g *Graph) SetFlags(account uint64, f Flags) error {
	return g.updateFlags(account, func(old Flags) Flags { return old | f })
}

// ClearFlags clears the flags f on account.
func (g *Graph) ClearFlags(account uint64, f Flags) error {
	return g.updateFlags(account, func(old Flags) Flags { return old &^ f })
}

func (g *Graph) updateFlags(account uint64, up func(Flags) Flags) error {
	d, err := g.dense(account)
	if err != nil {
		return err
	}
	p := g.flagWord(d)
	sh := (d & 3) * 8
	for {
		w := p.Load()
		nf := up(Flags(w >> sh))
		nw := w&^(0xff<<sh) | uint32(nf)<<sh
		if p.CompareAndSwap(w, nw) {
			return nil
		}
	}
}

func (g *Graph) flagWord(d uint32) *atomic.Uint32 {
	dir := *g.flags.dir.Load()
	w := d >> 2
	return &dir[w>>chunkShift][w&chunkMask]
}

func (g *Graph) flagsOf(d uint32) Flags {
	return Flags(g.flags.load(d>>2) >> ((d & 3) * 8))
}

// Flags returns the flags of account.
func (g *Graph) Flags(account uint64) (Flags, error) {
	d, err := g.dense(account)
	if err != nil {
		return 0, err
	}
	return g.flagsOf(d), nil
}

// Joined returns the join time of account (the zero Time if unknown).
func (g *Graph) Joined(account uint64) (time.Time, error) {
	d, err := g.dense(account)
	if err != nil {
		return time.Time{}, err
	}
	return fromSecs(g.joined.load(d)), nil
}

// Stats describes the size of a graph.
type Stats struct {
	Accounts           int   // accounts
	SharedFingerprints int   // fingerprints linking two or more accounts
	Fingerprints       int   // entries in the fingerprint table (shared plus remembered unshared)
	InviteEntries      int   // invite adjacency entries (two per invite)
	MemberEntries      int   // account-fingerprint links (counted once)
	DeltaEntries       int   // live entries not yet compacted
	Duplicates         int64 // duplicate invites and fingerprints ignored
	Cycles             int64 // invites that reverse an existing invite
	Compactions        int64 // compactions so far
	Bytes              int64 // bytes held by the graph's arrays and tables
	TableBytes         int64 // of which the fingerprint table
}

// Stats returns the current size of g. It waits for a running insert.
func (g *Graph) Stats() Stats {
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.st.Load()
	s := Stats{
		Accounts:           int(g.nAcc.Load()),
		SharedFingerprints: int(g.nFp.Load()),
		Fingerprints:       g.fps.used(),
		MemberEntries:      len(st.fpa.adj),
		DeltaEntries:       int(st.d.n),
		Duplicates:         int64(g.dups.Load()),
		Cycles:             int64(g.cycles.Load()),
		Compactions:        int64(g.compactions.Load()),
	}
	s.InviteEntries = len(st.acc.adj) - len(st.fpa.adj)
	s.TableBytes = g.fps.bytes()
	s.Bytes = st.acc.bytes() + st.fpa.bytes() + g.fps.bytes() + int64(g.ids.slots())*4 +
		g.ext.bytes() + g.joined.bytes() + g.flags.bytes() + g.fpHash.bytes() + g.fpInfo.bytes() +
		st.d.tgt.bytes() + st.d.next.bytes() + st.d.acc.bytes() + st.d.fpa.bytes()
	return s
}

// fpHashOf returns the caller's hash of shared fingerprint fp (the graph
// stores its key, see fingerprintKey).
func (g *Graph) fpHashOf(kinds []kindInfo, fp uint32) uint64 {
	return fpUnkey(kinds[g.fpInfo.load(fp)>>24].salt, g.fpHash.load(fp))
}
