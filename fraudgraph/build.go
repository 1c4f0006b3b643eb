package fraudgraph

import (
	"errors"
	"fmt"
	"slices"
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
	memFP     []uint32
	memAcct   []uint32
	errs      []error
	errCount  int
	lastKind  string
	lastIndex uint8
}

// maxBuildErrors is how many errors Builder.Graph reports in detail.
const maxBuildErrors = 10

// NewBuilder returns a builder for a graph configured by cfg.
func NewBuilder(cfg Config) *Builder {
	return &Builder{g: New(cfg)}
}

// Grow preallocates room for the given numbers of accounts, invites and
// fingerprint presentations.
func (b *Builder) Grow(accounts, invites, fingerprints int) {
	if t := b.g.ids.Load(); t.used == 0 && accounts > 0 {
		b.g.ids.Store(newIDTable(accounts))
	}
	if t := b.g.fps.Load(); t.used == 0 && fingerprints > 0 {
		b.g.fps.Store(newFPTable(fingerprints))
	}
	b.invFrom = slices.Grow(b.invFrom, invites)
	b.invTo = slices.Grow(b.invTo, invites)
}

func (b *Builder) fail(err error) {
	b.errCount++
	if len(b.errs) < maxBuildErrors {
		b.errs = append(b.errs, err)
	}
}

// AddAccount records a signup; see [Graph.AddAccount].
func (b *Builder) AddAccount(id uint64, at time.Time) {
	s, err := secs(at)
	if err != nil {
		b.fail(fmt.Errorf("fraudgraph: account %d: %w", id, err))
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
	s, err := secs(at)
	if err != nil {
		b.fail(fmt.Errorf("fraudgraph: invite %d->%d: %w", inviter, invitee, err))
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
	if h == 0 {
		h = 1
	}
	a, err := b.g.ensure(account, 0)
	if err != nil {
		b.fail(err)
		return
	}
	k := b.lastIndex
	if kind != b.lastKind || b.lastKind == "" {
		if k, err = b.g.kindIndex(kind); err != nil {
			b.fail(err)
			return
		}
		b.lastKind, b.lastIndex = kind, k
	}
	fp, owner, err := b.g.linkFingerprint(a, k, h, nil)
	if err != nil {
		b.fail(err)
		return
	}
	if fp == noFP {
		return
	}
	if owner != noFP {
		b.memFP = append(b.memFP, fp)
		b.memAcct = append(b.memAcct, owner)
	}
	b.memFP = append(b.memFP, fp)
	b.memAcct = append(b.memAcct, a)
}

// Graph builds the graph. The builder must not be used afterwards. The
// graph is returned even when some input was refused; the error then joins
// the first few problems and counts the rest.
func (b *Builder) Graph() (*Graph, error) {
	g := b.g
	nAcc, nFp := g.nAcc.Load(), g.nFp.Load()
	st := &state{d: new(delta)}
	var dups int
	st.inv, dups = pairCSR(nAcc, b.invFrom, b.invTo, inviterBit, b.invTo, b.invFrom, 0)
	g.dups.Add(uint64(dups / 2))
	b.invFrom, b.invTo = nil, nil
	st.afp, dups = pairCSR(nAcc, b.memAcct, b.memFP, 0, nil, nil, 0)
	g.dups.Add(uint64(dups))
	st.fpa, _ = pairCSR(nFp, b.memFP, b.memAcct, 0, nil, nil, 0)
	b.memFP, b.memAcct = nil, nil
	for f := range nFp {
		n := min(len(st.fpa.row(f)), countMask)
		p := g.fpInfo.slot(f)
		p.Store(p.Load()&^countMask | uint32(n))
	}
	if g.set.cfg.DropUnshared {
		g.dropUnshared()
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

// pairCSR builds a CSR over n nodes from the pairs (src[i], dst[i]|tagA)
// and, when src2 is not nil, (src2[i], dst2[i]|tagB); rows are sorted and
// duplicates removed. It returns the CSR and the number of duplicates.
func pairCSR(n uint32, src, dst []uint32, tagA uint32, src2, dst2 []uint32, tagB uint32) (csr, int) {
	off := make([]uint32, n+1)
	for _, s := range src {
		off[s+1]++
	}
	for _, s := range src2 {
		off[s+1]++
	}
	for i := uint32(1); i <= n; i++ {
		off[i] += off[i-1]
	}
	adj := make([]uint32, off[n])
	pos := make([]uint32, n)
	copy(pos, off[:n])
	for i, s := range src {
		adj[pos[s]] = dst[i] | tagA
		pos[s]++
	}
	for i, s := range src2 {
		adj[pos[s]] = dst2[i] | tagB
		pos[s]++
	}
	pos = nil
	// Sort rows and drop duplicates, packing in place.
	w := uint32(0)
	dups := 0
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
				}
			}
			dups += len(row) - k
			row = row[:k]
		}
		w += uint32(copy(adj[w:], row))
	}
	off[n] = w
	if int(w) < len(adj) {
		adj = slices.Clip(adj[:w])
	}
	return csr{off: off, adj: adj}, dups
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
