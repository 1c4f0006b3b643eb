package ipdb

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// Record is what a table knows about the owner of a range.
// The zero Record (no owner) is valid. Records are plain values, safe to
// copy and to share between goroutines.
type Record struct {
	Owner    string   // owner name, such as "Amazon AWS"
	URL      string   // owner URL, or ""
	Category Category // what kind of network, or CategoryUnknown
	Verdict  Verdict  // allow or deny its traffic, or VerdictUnknown
}

// Builder collects address ranges with their owners and freezes them into
// a [Table]. Problems are accumulated and reported by [Builder.Build]
// (the first [MaxProblems] in detail, then a count),
// each naming its rows. Its zero value is ready to use: it sorts unsorted
// input and refuses any overlap.
//
// Builder is not safe for concurrent use.
type Builder struct {
	// Strict refuses unsorted input (ErrUnsorted) instead of sorting it.
	Strict bool
	// Innermost accepts nested ranges, such as the CIDR lists of cloud
	// providers where a crawler's block lies inside its company's block,
	// and flattens them: each address takes the owner of the smallest range
	// containing it; of equal ranges the one added later wins. Ranges that
	// cross without nesting are still refused.
	Innermost bool

	rows4   []row[u32]
	rows6   []row[u128]
	owners  []Record
	ownerID map[Record]uint32
	sources []string
	probs   problems
	n       int // rows added, for default line numbers
	last    Record
	lastID  uint32 // owner index of last, valid when len(owners) > 0
}

// Grow reserves room for n more IPv4 ranges, to avoid copying when the
// number of rows is known in advance (IPv6 rows grow as needed). It
// allocates what it is asked for (12 bytes a range); n <= 0 does nothing.
func (b *Builder) Grow(n int) {
	if n <= 0 {
		return
	}
	b.rows4 = slices.Grow(b.rows4, n)
	if b.ownerID == nil && n > 0 {
		b.ownerID = make(map[Record]uint32, min(n/4, 1<<16)) // real lists: about one owner per 4 rows
	}
}

// Add appends range r owned by rec. Its line in errors is the number of
// rows added so far. Problems are reported by [Builder.Build].
func (b *Builder) Add(r Range, rec Record) {
	b.n++
	if err := b.add(0, b.n, r, rec, false); err != nil {
		b.fail(0, b.n, r.String(), err)
	}
}

// AddPrefix appends the addresses of prefix p owned by rec.
func (b *Builder) AddPrefix(p netip.Prefix, rec Record) {
	b.n++
	if !p.IsValid() {
		b.fail(0, b.n, p.String(), fmt.Errorf("%w: invalid prefix", ErrSyntax))
		return
	}
	r := RangeOf(p)
	if err := b.add(0, b.n, r, rec, false); err != nil {
		b.fail(0, b.n, r.String(), err)
	}
}

// source returns the index of a source name, registering it.
func (b *Builder) source(name string) uint32 {
	for i, s := range b.sources {
		if s == name {
			return uint32(i)
		}
	}
	if len(b.sources) == 0 && name != "" {
		b.sources = append(b.sources, "")
	}
	b.sources = append(b.sources, name)
	return uint32(len(b.sources) - 1)
}

func (b *Builder) sourceName(i uint32) string {
	if int(i) < len(b.sources) {
		return b.sources[i]
	}
	return ""
}

func (b *Builder) fail(src uint32, line int, input string, err error) {
	if len(b.probs.errs) >= MaxProblems {
		b.probs.more++ // counted, not kept
		return
	}
	b.probs.add(&ParseError{Source: b.sourceName(src), Line: line, Input: input, Err: err})
}

// owner returns the index of rec in the owner table, adding it if new.
// Strings are cloned when clone is set, so that a record read from a
// reused buffer does not pin it.
func (b *Builder) owner(rec Record, clone bool) uint32 {
	if len(b.owners) > 0 && rec == b.last { // rows of one owner often come in runs
		return b.lastID
	}
	if id, ok := b.ownerID[rec]; ok {
		b.last, b.lastID = rec, id
		return id
	}
	if b.ownerID == nil {
		b.ownerID = make(map[Record]uint32)
	}
	id := uint32(len(b.owners))
	if clone {
		rec.Owner, rec.URL = strings.Clone(rec.Owner), strings.Clone(rec.URL)
	}
	b.owners = append(b.owners, rec)
	b.ownerID[rec] = id
	b.last, b.lastID = rec, id
	return id
}

// add appends a row, or returns why it is not a valid range (start after
// end, mixed families) for the caller to report with the row's text.
func (b *Builder) add(src uint32, line int, r Range, rec Record, clone bool) error {
	from, to := r.From.Unmap(), r.To.Unmap()
	if from.Is4() && to.Is4() { // the common case, without Valid's generality
		lo, hi := v4key(from), v4key(to)
		if lo > hi {
			return ErrReversed
		}
		b.rows4 = append(b.rows4, row[u32]{lo: u32(lo), hi: u32(hi), val: b.owner(rec, clone), src: src, line: line})
		return nil
	}
	r = Range{from, to}
	if err := r.Valid(); err != nil {
		return err
	}
	b.rows6 = append(b.rows6, row[u128]{lo: v6key(from), hi: v6key(to), val: b.owner(rec, clone), src: src, line: line})
	return nil
}

// Build validates the ranges and returns the frozen, indexed table, or
// the problems found joined into one error whose parts are *ParseError
// (errors.As finds the first): malformed rows, start after end, mixed
// families, overlaps and duplicates naming both rows, unsorted rows in
// strict mode. The error lists at most [MaxProblems] problems, earliest
// lines first, and ends with a count of the others when there are more. The builder is empty afterwards and may be reused.
func (b *Builder) Build() (*Table, error) {
	rows4, rows6, owners, probs := b.rows4, b.rows6, b.owners, b.probs
	errs := probs.errs
	sources := b.sources
	*b = Builder{Strict: b.Strict, Innermost: b.Innermost}

	name := func(src uint32) string {
		if int(src) < len(sources) {
			return sources[src]
		}
		return ""
	}
	var p4 []problem[u32]
	if b.Innermost || !disjoint4(rows4) { // sorted disjoint input needs no settling
		rows4, p4 = settle(rows4, b.Strict, b.Innermost)
	}
	p4, more4 := firstProblems(p4, name)
	for _, p := range p4 {
		errs = append(errs, problemError(p, func(r row[u32]) (string, string) {
			return name(r.src), v4addr(uint32(r.lo)).String() + "-" + v4addr(uint32(r.hi)).String()
		}))
	}
	var p6 []problem[u128]
	if b.Innermost || !disjoint6(rows6) {
		rows6, p6 = settle(rows6, b.Strict, b.Innermost)
	}
	p6, more6 := firstProblems(p6, name)
	for _, p := range p6 {
		errs = append(errs, problemError(p, func(r row[u128]) (string, string) {
			return name(r.src), r.lo.addr().String() + "-" + r.hi.addr().String()
		}))
	}
	if err := report(errs, probs.more+more4+more6); err != nil {
		return nil, err
	}
	if b.Innermost {
		owners = usedOwners(owners, rows4, rows6)
	}
	return newTable(owners, rows4, rows6), nil
}

// usedOwners drops owners no segment refers to (flattening can hide a
// range completely) and renumbers the rows.
func usedOwners(owners []Record, rows4 []row[u32], rows6 []row[u128]) []Record {
	remap := make([]uint32, len(owners))
	for _, r := range rows4 {
		remap[r.val] = 1
	}
	for _, r := range rows6 {
		remap[r.val] = 1
	}
	var kept []Record
	for i, used := range remap {
		if used != 0 {
			remap[i] = uint32(len(kept))
			kept = append(kept, owners[i])
		}
	}
	for i := range rows4 {
		rows4[i].val = remap[rows4[i].val]
	}
	for i := range rows6 {
		rows6[i].val = remap[rows6[i].val]
	}
	return kept
}

// disjoint4 reports whether rows are sorted and pairwise disjoint: the
// common case, checked without the generic engine's indirect calls.
func disjoint4(rows []row[u32]) bool {
	for i := 1; i < len(rows); i++ {
		if rows[i].lo <= rows[i-1].hi {
			return false
		}
	}
	return true
}

func disjoint6(rows []row[u128]) bool {
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1].hi, rows[i].lo
		if b.hi < a.hi || b.hi == a.hi && b.lo <= a.lo {
			return false
		}
	}
	return true
}
