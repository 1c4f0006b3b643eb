package fraudgraph

import (
	"errors"
	"fmt"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Builder bulk-loads a [Graph] much faster than individual inserts: links
// are collected in flat arrays and turned into the compressed base in one
// pass by [Builder.Graph]. Errors in the input are collected and returned
// by Graph; the offending items are skipped.
//
// The zero Builder is not usable; call [NewBuilder]. A Builder is not safe
// for concurrent use.
type Builder struct {
	g         *Graph
	invFrom   []uint32 // invitee dense ids
	invTo     []uint32 // inviter dense ids
	buckets   []fpBucket
	nPresent  int
	errs      []error
	errCount  int
	kindCache [8]kindSlot
}

type kindSlot struct {
	name string
	idx  uint8
	salt uint64
}

// Fingerprint presentations are partitioned by the top bits of their hash.
// All presentations of one fingerprint land in one bucket, which is
// resolved with a cache-sized table; buckets are then inserted into the
// final table in hash order, so its accesses stay local too.
const bucketBits = 10

// fpEntry is one buffered presentation: the hash shifted left by
// bucketBits (the bucket holds the top bits) with the kind index in the
// freed low bits, and the account. Three uint32s keep it at 12 bytes.
type fpEntry struct {
	lo, hi, acct uint32
}

func (e fpEntry) parts(bucket int) (h uint64, kind uint8) {
	hk := uint64(e.hi)<<32 | uint64(e.lo)
	return hk>>bucketBits | uint64(bucket)<<(64-bucketBits), uint8(hk & (1<<bucketBits - 1))
}

type fpBucket []fpEntry

// maxBuildErrors is how many errors Builder.Graph reports in detail.
const maxBuildErrors = 10

// NewBuilder returns a builder for a graph configured by cfg.
func NewBuilder(cfg Config) *Builder {
	return &Builder{g: New(cfg)}
}

// Grow preallocates room for the given numbers of accounts, invites and
// fingerprint presentations. It allocates what it is asked for (about 8
// bytes per invite and 12 per presentation, plus the id table); negative
// numbers count as 0.
func (b *Builder) Grow(accounts, invites, fingerprints int) {
	accounts, invites, fingerprints = max(accounts, 0), max(invites, 0), max(fingerprints, 0)
	if b.g.nAcc.Load() == 0 && accounts > 0 {
		b.g.ids.reset(func(int) int { return accounts >> idShardBits })
	}
	b.invFrom = slices.Grow(b.invFrom, invites)
	b.invTo = slices.Grow(b.invTo, invites)
	if fingerprints > 0 {
		b.initBuckets()
		per := fingerprints>>bucketBits + fingerprints>>(bucketBits+3) + 8
		for i := range b.buckets {
			b.buckets[i] = slices.Grow(b.buckets[i], per)
		}
	}
}

func (b *Builder) initBuckets() {
	if b.buckets == nil {
		b.buckets = make([]fpBucket, 1<<bucketBits)
	}
}

func (b *Builder) fail(err error) {
	b.errCount++
	if len(b.errs) < maxBuildErrors {
		b.errs = append(b.errs, err)
	}
}

// AddAccount records a signup; see [Graph.AddAccount].
func (b *Builder) AddAccount(id uint64, at time.Time) {
	s, ok := secs(at)
	if !ok {
		b.fail(fmt.Errorf("%w: account %d at %v", ErrTime, id, at))
		return
	}
	if _, err := b.g.ensure(id, s); err != nil {
		b.fail(err)
	}
}

// AddInvite records an invite; see [Graph.AddInvite]. Duplicates are
// removed when the graph is built.
func (b *Builder) AddInvite(inviter, invitee uint64, at time.Time) {
	if inviter == invitee {
		b.fail(fmt.Errorf("%w: account %d", ErrSelfInvite, inviter))
		return
	}
	s, ok := secs(at)
	if !ok {
		b.fail(fmt.Errorf("%w: invite %d->%d at %v", ErrTime, inviter, invitee, at))
		return
	}
	a, err := b.g.ensure(inviter, 0)
	if err != nil {
		b.fail(err)
		return
	}
	c, err := b.g.ensure(invitee, s)
	if err != nil {
		b.fail(err)
		return
	}
	b.invTo = append(b.invTo, a)
	b.invFrom = append(b.invFrom, c)
}

// AddFingerprint records a fingerprint; see [Graph.AddFingerprint].
func (b *Builder) AddFingerprint(account uint64, kind, value string) {
	if kind == "" || value == "" {
		b.fail(fmt.Errorf("%w: account %d kind %q", ErrEmptyFingerprint, account, kind))
		return
	}
	b.AddFingerprintHash(account, kind, HashFingerprint(kind, value))
}

// AddFingerprintHash records a hashed fingerprint; see
// [Graph.AddFingerprintHash].
func (b *Builder) AddFingerprintHash(account uint64, kind string, h uint64) {
	if it, ok := b.item(account, kind, h); ok {
		b.initBuckets()
		b.push(it)
	}
}

// batchItem is a presentation ready for its bucket.
type batchItem struct {
	e      fpEntry
	bucket uint16
}

// Markers in batchItem.bucket beyond the last bucket.
const (
	itemSlow = 1<<16 - 1 // AddFingerprints: resolve on the builder's goroutine
	itemSkip = 1<<16 - 2 // refused; the error is recorded
)

// entry returns the item for account a presenting the fingerprint with
// key h (see fingerprintKey) of kind k.
func entry(a uint32, k uint8, h uint64) batchItem {
	hk := h<<bucketBits | uint64(k)
	return batchItem{e: fpEntry{lo: uint32(hk), hi: uint32(hk >> 32), acct: a}, bucket: uint16(h >> (64 - bucketBits))}
}

// item resolves a presentation, creating its account and registering its
// kind when new. It records the error and returns false for bad input.
func (b *Builder) item(account uint64, kind string, h uint64) (batchItem, bool) {
	if kind == "" {
		b.fail(fmt.Errorf("%w: account %d", ErrEmptyFingerprint, account))
		return batchItem{}, false
	}
	a, err := b.g.ensure(account, 0)
	if err != nil {
		b.fail(err)
		return batchItem{}, false
	}
	for _, c := range b.kindCache {
		if c.name == kind && c.name != "" {
			return entry(a, c.idx, fingerprintKey(c.salt, h)), true
		}
	}
	k, err := b.g.kindIndex(kind)
	if err != nil {
		b.fail(err)
		return batchItem{}, false
	}
	salt := (*b.g.kinds.Load())[k].salt
	b.kindCache[k%uint8(len(b.kindCache))] = kindSlot{kind, k, salt}
	return entry(a, k, fingerprintKey(salt, h)), true
}

func (b *Builder) push(it batchItem) {
	bk := &b.buckets[it.bucket]
	*bk = append(*bk, it.e)
	b.nPresent++
}

// Presentation is one fingerprint presented by an account, an input of
// [Builder.AddFingerprints]. The zero Presentation is refused (empty kind
// and value).
type Presentation struct {
	Account uint64
	Kind    string // "device", "card", "ip", ...
	Value   string // hashed with HashFingerprint, never stored
}

// batchBlock is how many presentations AddFingerprints prepares at a time
// (16 bytes of scratch each).
const batchBlock = 1 << 16

// AddFingerprints records a batch of fingerprints exactly as calling
// [Builder.AddFingerprint] for each in order would (the graph built is the
// same), but hashes them on up to GOMAXPROCS goroutines, which exit
// before it returns, while the calling goroutine files the previous block
// of hashes. Presentations of accounts or kinds not seen before, and
// refused ones, are handled one by one on the calling goroutine; adding
// the accounts first ([Builder.AddAccount]) keeps the whole batch
// parallel.
func (b *Builder) AddFingerprints(ps []Presentation) {
	if len(ps) == 0 {
		return
	}
	b.initBuckets()
	workers := max(1, min(runtime.GOMAXPROCS(0), len(ps)/4096))
	blocks := (len(ps) + batchBlock - 1) / batchBlock
	block := func(k int) []Presentation { return ps[k*batchBlock : min(len(ps), (k+1)*batchBlock)] }
	cur := &preparation{items: make([]batchItem, min(len(ps), batchBlock))}
	next := &preparation{}
	if blocks > 1 {
		next.items = make([]batchItem, batchBlock)
	}
	b.prepareAsync(cur, block(0), workers)
	for k := range blocks {
		cur.wg.Wait()
		// Slow presentations change the graph's tables, which preparing
		// reads: the next block starts early only when there are none.
		more, early := k+1 < blocks, !cur.slow.Load()
		if more && early {
			b.prepareAsync(next, block(k+1), workers)
		}
		b.fileBlock(block(k), cur.items)
		if more && !early {
			b.prepareAsync(next, block(k+1), workers)
		}
		cur, next = next, cur
	}
}

// preparation is a block of presentations being hashed.
type preparation struct {
	wg    sync.WaitGroup
	items []batchItem
	slow  atomic.Bool // some items are itemSlow
}

// prepareAsync starts preparing ps into p on workers goroutines.
func (b *Builder) prepareAsync(p *preparation, ps []Presentation, workers int) {
	p.items = p.items[:len(ps)]
	p.slow.Store(false)
	for w := range workers {
		lo, hi := w*len(ps)/workers, (w+1)*len(ps)/workers
		p.wg.Go(func() {
			if b.prepare(ps[lo:hi], p.items[lo:hi]) {
				p.slow.Store(true)
			}
		})
	}
}

// fileBlock resolves the slow items of a prepared block in order and
// appends every accepted item to its bucket.
func (b *Builder) fileBlock(ps []Presentation, items []batchItem) {
	for i, it := range items {
		if it.bucket == itemSlow {
			it = b.prepareSlow(ps[i])
		}
		if it.bucket != itemSkip {
			b.push(it)
		}
	}
}

// prepare hashes presentations whose kind and account exist, marking the
// others itemSlow, and reports whether it marked any. It only reads the
// graph, so several run at once.
func (b *Builder) prepare(ps []Presentation, out []batchItem) (slow bool) {
	g := b.g
	kinds := *g.kinds.Load()
	var last kindSlot
	for i := range ps {
		p := &ps[i]
		out[i].bucket = itemSlow
		if p.Kind == "" || p.Value == "" {
			slow = true
			continue
		}
		if p.Kind != last.name || last.name == "" {
			k, ok := g.kindIdx[p.Kind]
			if !ok {
				slow = true
				continue
			}
			last = kindSlot{p.Kind, k, kinds[k].salt}
		}
		a, ok := g.lookup(p.Account)
		if !ok {
			slow = true
			continue
		}
		out[i] = entry(a, last.idx, fingerprintKey(last.salt, HashFingerprint(p.Kind, p.Value)))
	}
	return slow
}

// prepareSlow resolves one presentation as AddFingerprint does.
func (b *Builder) prepareSlow(p Presentation) batchItem {
	if p.Kind == "" || p.Value == "" {
		b.fail(fmt.Errorf("%w: account %d kind %q", ErrEmptyFingerprint, p.Account, p.Kind))
		return batchItem{bucket: itemSkip}
	}
	it, ok := b.item(p.Account, p.Kind, HashFingerprint(p.Kind, p.Value))
	if !ok {
		return batchItem{bucket: itemSkip}
	}
	return it
}

// resolveFingerprints turns the buffered presentations into fingerprint
// ids, the fingerprint table and membership pairs. The buckets are split
// in two halves resolved on two goroutines (which exit before it returns):
// halves touch disjoint table shards, and pass 1 (counting) tells each
// half where its fingerprint ids start in pass 2 (assigning).
func (b *Builder) resolveFingerprints() []pairs {
	g := b.g
	drop := g.set.cfg.DropUnshared
	b.initBuckets() // a build without fingerprints still sizes every table shard
	nb := len(b.buckets)
	halves := b.halves()
	distinct := make([]int, nb)
	shared := make([]int, nb)
	var wg sync.WaitGroup
	for _, h := range halves {
		wg.Go(func() { h.count(distinct, shared) })
	}
	wg.Wait()
	want := distinct
	if drop {
		want = shared
	}
	const per = 1 << (bucketBits - fpShardBits) // buckets per shard
	g.fps.reset(func(sh int) int {
		n := 0
		for _, c := range want[sh*per : (sh+1)*per] {
			n += c
		}
		return n
	})
	base := g.nFp.Load()
	firstB, total := uint32(0), uint32(0)
	for i, c := range shared {
		if i == nb/2 {
			firstB = total
		}
		total += uint32(c)
	}
	g.fpHash.reserve(base + total)
	g.fpInfo.reserve(base + total)
	halves[0].next, halves[1].next = base, base+firstB
	for _, h := range halves {
		wg.Go(func() { h.assign(drop) })
	}
	wg.Wait()
	if halves[0].next != base+firstB || halves[1].next != base+total {
		// Pass 1 and pass 2 compare the same identities, so this cannot
		// happen; report rather than build a corrupt graph if it does.
		b.fail(fmt.Errorf("fraudgraph: internal error: fingerprint ids %d/%d, counted %d/%d",
			halves[0].next, halves[1].next, base+firstB, base+total))
	}
	g.nFp.Store(base + total)
	b.buckets = nil
	return []pairs{{src: halves[0].fps, dst: halves[0].accts}, {src: halves[1].fps, dst: halves[1].accts}}
}

// half resolves a range of buckets on its own goroutine, with a local
// table sized for the largest bucket.
type half struct {
	b          *Builder
	from, to   int // buckets
	t          localTable
	next       uint32   // next fingerprint id to assign (pass 2)
	fps, accts []uint32 // membership pairs found (pass 2)
}

// halves splits the buckets in two.
func (b *Builder) halves() [2]*half {
	longest := 0
	for i := range b.buckets {
		longest = max(longest, len(b.buckets[i]))
	}
	nb := len(b.buckets)
	hs := [2]*half{{b: b, from: 0, to: nb / 2}, {b: b, from: nb / 2, to: nb}}
	for _, h := range hs {
		h.t.keys = make([]uint64, max(64, 2*longest))
		h.t.vals = make([]uint32, len(h.t.keys))
	}
	return hs
}

// use clears the local table for a bucket of n presentations.
func (h *half) use(n int) {
	m := max(64, 2*n)
	h.t.keys, h.t.vals = h.t.keys[:cap(h.t.keys)][:m], h.t.vals[:cap(h.t.vals)][:m]
	clear(h.t.keys)
}

// localKey returns the key of presentation e of bucket i in a local
// table: the identity the final table compares (fpIdentity), rotated so
// that its top bits, the bucket number and the same for every key of the
// bucket, do not feed the slot choice.
func localKey(e fpEntry, i int) uint64 {
	x, _ := e.parts(i)
	return bits.RotateLeft64(fpIdentity(x), bucketBits)
}

// count is pass 1: it counts distinct and shared fingerprints per bucket,
// by the identity the final table compares, so that pass 2 assigns
// exactly the ids counted here.
func (h *half) count(distinct, shared []int) {
	for i := h.from; i < h.to; i++ {
		bk := h.b.buckets[i]
		h.use(len(bk))
		for _, e := range bk {
			x := localKey(e, i)
			if k := h.t.find(x); k < 0 {
				h.t.insert(x, e.acct)
				distinct[i]++
			} else if v := h.t.vals[k]; v != noFP && v != e.acct {
				h.t.vals[k] = noFP
				shared[i]++
			}
		}
	}
}

// assign is pass 2: it assigns fingerprint ids and collects memberships
// bucket by bucket, releasing each bucket when done.
func (h *half) assign(drop bool) {
	n := h.b.nPresent / 4
	h.fps, h.accts = make([]uint32, 0, n), make([]uint32, 0, n)
	const per = 1 << (bucketBits - fpShardBits) // buckets per shard
	for sh := h.from / per; sh < (h.to+per-1)/per; sh++ {
		h.b.g.fps[sh].Load().touch()
	}
	for i := h.from; i < h.to; i++ {
		if drop {
			h.assignShared(i)
		} else {
			h.assignAll(i)
		}
		h.b.buckets[i] = nil
	}
}

// assignAll resolves bucket i straight in the final table, as every
// fingerprint stays: a bucket is a contiguous quarter of a shard and stays
// in cache.
func (h *half) assignAll(i int) {
	g := h.b.g
	for _, e := range h.b.buckets[i] {
		x, kind := e.parts(i)
		ft := g.fps[shardOf(x)].Load()
		k, ok := ft.slot(x)
		if ok {
			if v := ft.value(k); h.link(v, x, kind, e.acct) {
				ft.setValue(k, h.next-1)
			}
			continue
		}
		if ft.full() { // cannot happen: pass 1 sized the shard
			ft = g.growFP(shardOf(x), ft.used+1)
			k, _ = ft.slot(x)
		}
		ft.put(k, x, e.acct|singleBit)
	}
}

// assignShared resolves bucket i in the local table and moves only its
// shared fingerprints to the final table (Config.DropUnshared).
func (h *half) assignShared(i int) {
	bk := h.b.buckets[i]
	h.use(len(bk))
	for _, e := range bk {
		x, kind := e.parts(i)
		lx := localKey(e, i)
		k := h.t.find(lx)
		if k < 0 {
			h.t.insert(lx, e.acct|singleBit)
			continue
		}
		if h.link(h.t.vals[k], x, kind, e.acct) {
			h.t.vals[k] = h.next - 1
		}
	}
	g := h.b.g
	for k, lx := range h.t.keys {
		if lx == 0 || h.t.vals[k]&singleBit != 0 {
			continue
		}
		x := bits.RotateLeft64(lx, -bucketBits)
		sh := shardOf(x)
		ft := g.fps[sh].Load()
		if ft.full() {
			ft = g.growFP(sh, ft.used+1)
		}
		if s, ok := ft.slot(x); !ok {
			ft.put(s, x, h.t.vals[k])
		}
	}
}

// link records that account a presented fingerprint x of the given kind,
// whose table value is v: a fingerprint id, or the single account seen
// so far with singleBit. A second account promotes the fingerprint to a
// new shared id, h.next-1, and link returns true: the caller stores that
// id in its table. A repeat by the single account is a duplicate.
func (h *half) link(v uint32, x uint64, kind uint8, a uint32) (promoted bool) {
	if v&singleBit == 0 {
		h.fps = append(h.fps, v)
		h.accts = append(h.accts, a)
		return false
	}
	o := v &^ singleBit
	if o == a {
		h.b.g.dups.Add(1)
		return false
	}
	f := h.next
	h.next++
	h.b.g.fpHash.store(f, x)
	h.b.g.fpInfo.store(f, uint32(kind)<<24)
	h.fps = append(h.fps, f, f)
	h.accts = append(h.accts, o, a)
	return true
}

// Graph builds the graph. The builder must not be used afterwards. The
// graph is returned even when some input was refused; the error then joins
// the first few problems and counts the rest.
func (b *Builder) Graph() (*Graph, error) {
	g := b.g
	nAcc, nFp := g.nAcc.Load(), g.nFp.Load()
	// Grow sized the id table for every account; shrink it when the ids
	// turned out sequential and need no table.
	for sh := range g.ids {
		if it := g.ids[sh].Load(); len(it.slots) > 2*int(float64(it.used)/idLoad)+16 {
			g.ids[sh].Store(it.regrow(it.used, &g.ext))
		}
	}
	st := &state{d: new(delta)}
	mem := b.resolveFingerprints() // pairs fingerprint -> account
	nFp = g.nFp.Load()
	// The two CSRs share no output; build them on two goroutines, which
	// exit before Graph returns.
	var wg sync.WaitGroup
	wg.Go(func() { st.fpa, _, _ = pairCSR(nFp, mem...) })
	var invDups, fpDups int
	st.acc, invDups, fpDups = pairCSR(nAcc, pairs{b.invFrom, b.invTo, inviterBit}, pairs{b.invTo, b.invFrom, 0},
		pairs{mem[0].dst, mem[0].src, fpBit}, pairs{mem[1].dst, mem[1].src, fpBit})
	b.invFrom, b.invTo = nil, nil
	wg.Wait()
	g.dups.Add(uint64(invDups/2 + fpDups))
	for f := range nFp {
		n := min(len(st.fpa.row(f)), countMask)
		p := g.fpInfo.slot(f)
		p.Store(p.Load()&^countMask | uint32(n))
	}
	g.st.Store(st)
	b.g = nil
	if b.errCount == 0 {
		return g, nil
	}
	errs := b.errs
	if more := b.errCount - len(errs); more > 0 {
		errs = append(errs, fmt.Errorf("fraudgraph: and %d more errors", more))
	}
	return g, errors.Join(errs...)
}

// pairs are the entries (src[i], dst[i]|tag) of a CSR under construction.
type pairs struct {
	src, dst []uint32
	tag      uint32
}

// pairCSR builds a CSR over n nodes from groups of pairs; rows are sorted
// and duplicates removed. It returns the CSR and the numbers of duplicates
// without and with fpBit.
func pairCSR(n uint32, groups ...pairs) (csr, int, int) {
	off := make([]uint32, n+1)
	for _, p := range groups {
		for _, s := range p.src {
			off[s+1]++
		}
	}
	for i := uint32(1); i <= n; i++ {
		off[i] += off[i-1]
	}
	adj := make([]uint32, off[n])
	pos := make([]uint32, n)
	copy(pos, off[:n])
	for _, p := range groups {
		for i, s := range p.src {
			adj[pos[s]] = p.dst[i] | p.tag
			pos[s]++
		}
	}
	pos = nil
	// Sort rows and drop duplicates, packing in place.
	w := uint32(0)
	dups, fpDups := 0, 0
	start := uint32(0)
	for u := range n {
		row := adj[start:off[u+1]]
		start = off[u+1]
		off[u] = w
		if len(row) > 1 {
			sortSmall(row)
			k := 1
			for j := 1; j < len(row); j++ {
				if row[j] != row[k-1] {
					row[k] = row[j]
					k++
				} else if row[j]&fpBit != 0 {
					fpDups++
				} else {
					dups++
				}
			}
			row = row[:k]
		}
		w += uint32(copy(adj[w:], row))
	}
	off[n] = w
	if int(w) < len(adj) {
		adj = slices.Clip(adj[:w])
	}
	return csr{off: off, adj: adj}, dups, fpDups
}

func sortSmall(s []uint32) {
	if len(s) > 24 {
		slices.Sort(s)
		return
	}
	for i := 1; i < len(s); i++ {
		v := s[i]
		j := i
		for ; j > 0 && s[j-1] > v; j-- {
			s[j] = s[j-1]
		}
		s[j] = v
	}
}
