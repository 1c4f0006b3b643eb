package fraudgraph

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"sync"
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
	if kind == "" {
		b.fail(fmt.Errorf("%w: account %d", ErrEmptyFingerprint, account))
		return
	}
	a, err := b.g.ensure(account, 0)
	if err != nil {
		b.fail(err)
		return
	}
	k, salt, ok := uint8(0), uint64(0), false
	for _, c := range b.kindCache {
		if c.name == kind && c.name != "" {
			k, salt, ok = c.idx, c.salt, true
			break
		}
	}
	if !ok {
		if k, err = b.g.kindIndex(kind); err != nil {
			b.fail(err)
			return
		}
		salt = (*b.g.kinds.Load())[k].salt
		b.kindCache[k%uint8(len(b.kindCache))] = kindSlot{kind, k, salt}
	}
	h = fingerprintKey(salt, h)
	b.initBuckets()
	hk := h<<bucketBits | uint64(k)
	bk := &b.buckets[h>>(64-bucketBits)]
	*bk = append(*bk, fpEntry{lo: uint32(hk), hi: uint32(hk >> 32), acct: a})
	b.nPresent++
}

// resolveFingerprints turns the buffered presentations into fingerprint
// ids, the fingerprint table and membership pairs. The buckets are split
// in two halves resolved on two goroutines (which exit before it returns):
// halves touch disjoint table shards, and pass 1 tells each half where its
// fingerprint ids start.
func (b *Builder) resolveFingerprints() []pairs {
	g := b.g
	drop := g.set.cfg.DropUnshared
	b.initBuckets() // a build without fingerprints still sizes every table shard
	nb := len(b.buckets)
	var longest int
	for i := range b.buckets {
		longest = max(longest, len(b.buckets[i]))
	}
	halves := [2][2]int{{0, nb / 2}, {nb / 2, nb}}
	var local [2]localTable
	for h := range local {
		local[h].keys = make([]uint64, max(64, 2*longest))
		local[h].vals = make([]uint32, len(local[h].keys))
	}
	use := func(t *localTable, n int) {
		m := max(64, 2*n)
		t.keys, t.vals = t.keys[:cap(t.keys)][:m], t.vals[:cap(t.vals)][:m]
		clear(t.keys)
	}
	// Pass 1: count distinct and shared fingerprints per bucket, by the
	// identity the final table compares (fpIdentity), so that pass 2
	// assigns exactly the ids counted here.
	distinct := make([]int, nb)
	shared := make([]int, nb)
	var wg sync.WaitGroup
	for h, r := range halves {
		wg.Go(func() {
			t := &local[h]
			for i := r[0]; i < r[1]; i++ {
				bk := b.buckets[i]
				use(t, len(bk))
				for _, e := range bk {
					// Local tables see the hash rotated: its top bits are
					// the bucket number, the same for every key here.
					x, _ := e.parts(i)
					x = bits.RotateLeft64(fpIdentity(x), bucketBits)
					if k := t.find(x); k < 0 {
						t.insert(x, e.acct)
						distinct[i]++
					} else if v := t.vals[k]; v != noFP && v != e.acct {
						t.vals[k] = noFP
						shared[i]++
					}
				}
			}
		})
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
	// Pass 2: assign ids and memberships bucket by bucket.
	var mem [2]pairs
	var ends [2]uint32
	for h, r := range halves {
		next := base
		if h == 1 {
			next += firstB
		}
		wg.Go(func() {
			t := &local[h]
			fps := make([]uint32, 0, b.nPresent/4)
			accts := make([]uint32, 0, b.nPresent/4)
			for i := r[0]; i < r[1]; i++ {
				bk := b.buckets[i]
				if !drop {
					// Every fingerprint stays: resolve straight in the final
					// table, where a bucket is a contiguous quarter of a
					// shard and stays in cache.
					for _, e := range bk {
						x, kind := e.parts(i)
						a := e.acct
						ft := g.fps[shardOf(x)].Load()
						k, ok := ft.slot(x)
						if !ok {
							if ft.full() { // cannot happen: pass 1 sized the shard
								ft = g.growFP(shardOf(x), ft.used+1)
								k, _ = ft.slot(x)
							}
							ft.put(k, x, a|singleBit)
							continue
						}
						v := ft.value(k)
						if v&singleBit != 0 {
							o := v &^ singleBit
							if o == a {
								g.dups.Add(1)
								continue
							}
							f := next
							next++
							g.fpHash.store(f, x)
							g.fpInfo.store(f, uint32(kind)<<24)
							ft.setValue(k, f)
							fps = append(fps, f, f)
							accts = append(accts, o, a)
							continue
						}
						fps = append(fps, v)
						accts = append(accts, a)
					}
					b.buckets[i] = nil
					continue
				}
				use(t, len(bk))
				for _, e := range bk {
					x, kind := e.parts(i)
					full := x
					x = bits.RotateLeft64(fpIdentity(x), bucketBits)
					a := e.acct
					k := t.find(x)
					if k < 0 {
						t.insert(x, a|singleBit)
						continue
					}
					v := t.vals[k]
					if v&singleBit != 0 {
						o := v &^ singleBit
						if o == a {
							g.dups.Add(1)
							continue
						}
						f := next
						next++
						g.fpHash.store(f, full)
						g.fpInfo.store(f, uint32(kind)<<24)
						t.vals[k] = f
						fps = append(fps, f, f)
						accts = append(accts, o, a)
						continue
					}
					fps = append(fps, v)
					accts = append(accts, a)
				}
				// Only shared fingerprints go to the final table.
				for k, x := range t.keys {
					if x == 0 {
						continue
					}
					x = bits.RotateLeft64(x, -bucketBits)
					v := t.vals[k]
					if v&singleBit != 0 {
						continue
					}
					sh := shardOf(x)
					ft := g.fps[sh].Load()
					if ft.full() {
						ft = g.growFP(sh, ft.used+1)
					}
					if k, ok := ft.slot(x); !ok {
						ft.put(k, x, v)
					}
				}
				b.buckets[i] = nil
			}
			mem[h] = pairs{src: fps, dst: accts}
			ends[h] = next
		})
	}
	wg.Wait()
	if ends[0] != base+firstB || ends[1] != base+total {
		// Pass 1 and pass 2 compare the same identities, so this cannot
		// happen; report rather than build a corrupt graph if it does.
		b.fail(fmt.Errorf("fraudgraph: internal error: fingerprint ids %d/%d, counted %d/%d", ends[0], ends[1], base+firstB, base+total))
	}
	g.nFp.Store(base + total)
	b.buckets = nil
	return mem[:]
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
