package ipdb

import (
	"iter"
	"math/bits"
	"net/netip"
)

// Table is an immutable table of disjoint address ranges with owners,
// for IPv4 and IPv6. Build one with a [Builder], [Load], [Decode] or
// [Datacenters].
//
// # Layout
//
// IPv4 tables of blockMin (65,536) ranges or more with at most 2^16
// owners use the block layout of block.go: six ranges a 64-byte line and
// an index naming the line of each bucket, so a lookup reads one entry
// and one line; so do IPv6 tables of blockMin /64-granular ranges or
// more (block6.go). Otherwise each family keeps its ranges in flat sorted arrays: for IPv4 a []uint32
// of starts, which lookups search, and a []uint64 packing each end with
// its owner's index (12 bytes per range); for IPv6 a []uint64 of the
// starts' high halves, which lookups search, and 32-byte cells with the
// rest (40 bytes per range). Owners are stored once in a deduplicated
// table. A bucket index of at most 2^16 uint32 entries (256 KiB) per
// family maps the top bits of an address, counted from the start of the
// data's span, to the first range that can hold it; the most crowded
// buckets, at any depth, get child nodes over the part of their keys that
// their ranges occupy, within that budget. A child reference in an entry
// says where the child's buckets are and which address bits pick one, so
// each level costs one load. IPv4 tables of denseMin (65,536) ranges or
// more use a flat index of 16-bit entries with a 32-bit base per 256
// buckets instead: about 130,000 buckets in the same 256 KiB, so a bucket
// holds a handful of ranges, whose starts share a cache line. A lookup walks one to a few index levels,
// searches the one or few ranges of its bucket and checks one end.
//
// The zero Table is empty. Table is safe for concurrent use by multiple
// goroutines: it is never modified after it is built.
type Table struct {
	owners []Record
	v4     table4
	v6     table6
}

// table4 keeps IPv4 ranges as a []uint32 of starts, searched alone so
// that a bucket's candidates share a cache line or two even when there
// are dozens, and a []uint64 packing each end with its owner's index,
// read once per lookup: 12 bytes per range.
type table4 struct {
	lo  []uint32 // starts, increasing
	ho  []uint64 // end<<32 | owner index
	idx radix[uint32]
	// big is the index of tables of denseMin ranges or more when it
	// fits (then idx is empty).
	big dense
	// blk holds tables of blockMin ranges or more instead of all the
	// above (see block.go).
	blk *blocks4
}

// n returns the number of ranges.
func (t *table4) n() int {
	if t.blk != nil {
		return t.blk.n
	}
	return len(t.lo)
}

// each yields every range in increasing order.
func (t *table4) each(yield func(lo, hi, own uint32) bool) {
	if t.blk != nil {
		t.blk.each(yield)
		return
	}
	for i, lo := range t.lo {
		if !yield(lo, uint32(t.ho[i]>>32), uint32(t.ho[i])) {
			return
		}
	}
}

// table6 keeps IPv6 ranges as a []uint64 of the high halves of their
// starts, searched alone, and cells with the rest (32 bytes): 40 bytes a
// range.
type table6 struct {
	hi    []uint64      // starts' high 64 bits, increasing (ties when ranges share a /64)
	cells []cell6       // in the same order
	idx   radix[uint64] // over the high 64 bits
	// rawKeys is set when rawV6key may read lookup keys (rawKeysOK).
	rawKeys bool
	// blk holds large tables of /64-granular ranges instead of hi,
	// cells and idx (see block6.go).
	blk *blocks6
}

// n returns the number of ranges.
func (t *table6) n() int {
	if t.blk != nil {
		return t.blk.n
	}
	return len(t.hi)
}

// each yields every range in increasing order.
func (t *table6) each(yield func(lo, hi u128, own uint32) bool) {
	if t.blk != nil {
		t.blk.each(func(lo, hi uint64, own uint32) bool {
			return yield(u128{lo, 0}, u128{hi, ^uint64(0)}, own)
		})
		return
	}
	for i, c := range t.cells {
		if !yield(u128{t.hi[i], c.loLo}, u128{c.hiHi, c.hiLo}, c.own) {
			return
		}
	}
}

// key returns the key of a valid IPv6 address.
func (t *table6) key(ip *netip.Addr) u128 {
	if t.rawKeys {
		return rawV6key(ip)
	}
	return v6key(*ip)
}

// cell6 is the rest of one IPv6 range: the start's low half, the end as
// big-endian halves and the owner.
type cell6 struct {
	loLo, hiHi, hiLo uint64
	own              uint32
}

// Len returns the number of disjoint ranges (both families).
func (t *Table) Len() int { return t.v4.n() + t.v6.n() }

// Lookup returns the record of the range containing ip, and whether there
// is one. IPv4-mapped IPv6 addresses are looked up as IPv4; zones are
// ignored. Lookup does not allocate.
func (t *Table) Lookup(ip netip.Addr) (Record, bool) {
	if i, ok := t.find(ip); ok {
		return t.owners[i], true
	}
	return Record{}, false
}

// Match is a range of a [Table] with its record: what [Table.LookupMatch]
// returns. The zero Match (invalid Range, zero Record) means no match.
// Matches are plain values, safe to copy and to share between goroutines.
type Match struct {
	Range  Range  // the table's range holding the address, as stored (IPv4 for IPv4 and IPv4-mapped addresses)
	Record Record // the range's record, as Lookup returns it
}

// LookupMatch returns the range containing ip with its record, and
// whether there is one. It finds the same range as [Table.Lookup] (same
// handling of IPv4-mapped addresses and zones) and, like it, does not
// allocate; it costs Lookup plus building the two addresses of the range.
// For tables built with Innermost, the range is the flattened piece that
// holds ip, not the original nested row.
func (t *Table) LookupMatch(ip netip.Addr) (Match, bool) {
	if ip.Is4() || ip.Is4In6() {
		if x := t.v4.blk; x != nil {
			ln, s, ok := x.find(v4key(ip.Unmap()))
			if !ok {
				return Match{}, false
			}
			return Match{Range{v4addr(ln.lo[s]), v4addr(ln.hi[s])}, t.owners[ln.own[s]]}, true
		}
		k, ho, ok := t.v4.find(v4key(ip.Unmap()))
		if !ok {
			return Match{}, false
		}
		return Match{Range{v4addr(t.v4.lo[k]), v4addr(uint32(ho >> 32))}, t.owners[uint32(ho)]}, true
	}
	if !ip.IsValid() {
		return Match{}, false
	}
	if x := t.v6.blk; x != nil {
		ln, s, ok := x.find(t.v6.key(&ip).hi)
		if !ok {
			return Match{}, false
		}
		return Match{Range{u128{ln.lo[s], 0}.addr(), u128{ln.hi[s], ^uint64(0)}.addr()}, t.owners[ln.own[s]]}, true
	}
	var k uint32
	var ok bool
	if t.v6.rawKeys {
		k, ok = t.v6.find(rawV6key(&ip))
	} else {
		k, ok = t.v6.find(v6key(ip))
	}
	if !ok {
		return Match{}, false
	}
	c := &t.v6.cells[k]
	return Match{Range{u128{t.v6.hi[k], c.loLo}.addr(), u128{c.hiHi, c.hiLo}.addr()}, t.owners[c.own]}, true
}

// Contains reports whether some range holds ip.
func (t *Table) Contains(ip netip.Addr) bool {
	_, ok := t.find(ip)
	return ok
}

// find returns the owner index of the range holding ip.
func (t *Table) find(ip netip.Addr) (uint32, bool) {
	if ip.Is4() || ip.Is4In6() {
		k := v4key(ip.Unmap())
		if x := t.v4.blk; x != nil {
			ln, s, ok := x.find(k)
			if !ok {
				return 0, false
			}
			return uint32(ln.own[s]), true
		}
		_, ho, ok := t.v4.find(k)
		return uint32(ho), ok
	}
	if !ip.IsValid() {
		return 0, false
	}
	if x := t.v6.blk; x != nil {
		ln, s, ok := x.find(t.v6.key(&ip).hi)
		if !ok {
			return 0, false
		}
		return uint32(ln.own[s]), true
	}
	var k uint32
	var ok bool
	if t.v6.rawKeys {
		k, ok = t.v6.find(rawV6key(&ip))
	} else {
		k, ok = t.v6.find(v6key(ip))
	}
	if !ok {
		return 0, false
	}
	return t.v6.cells[k].own, true
}

// find returns the index k of the range holding ip and its packed end
// and owner (ho[k]), loaded with the start.
func (t *table4) find(ip uint32) (k uint32, ho uint64, ok bool) {
	var i, j uint32
	if x := &t.big; x.off != nil {
		d := ip - x.base
		if ip < x.base || d > x.span {
			return 0, 0, false
		}
		b := x.bucket(d)
		i = x.blk[b>>denseBlock] + uint32(x.off[b])
		j = x.blk[(b+1)>>denseBlock] + uint32(x.off[b+1])
	} else {
		// t.idx.window, written out: the generic method is not inlined.
		r := &t.idx
		if ip < r.base {
			return 0, 0, false
		}
		d := ip - r.base
		b := d >> r.shift
		if b >= r.nb {
			return 0, 0, false
		}
		i = r.e[b]
		if i&childFlag != 0 {
			b, i = r.descend(i, d)
		}
		j = r.e[b+1]
		if j&childFlag != 0 {
			j = r.e[j&offsetMask-1]
		}
	}
	// The candidates lo[i:j+1] all end at or after the bucket start; the
	// answer is the last of them starting at or before ip. Most windows
	// of a small table hold one or two candidates: no search loop for
	// them. Both candidates' ends are loaded with their starts, so that
	// the loads run in parallel rather than one after the other.
	if j-i <= 1 {
		k, lo, ho := i, t.lo[i], t.ho[i]
		if lj, hj := t.lo[j], t.ho[j]; lj <= ip {
			k, lo, ho = j, lj, hj
		}
		if lo > ip || uint32(ho>>32) < ip {
			return 0, 0, false
		}
		return k, ho, true
	}
	s := t.lo[i : j+1]
	n := len(s)
	m := 0
	for n > 1 {
		half := n >> 1
		if s[m+half] <= ip {
			m += half
		}
		n -= half
	}
	k = i + uint32(m)
	lo, ho := t.lo[k], t.ho[k]
	if lo > ip || uint32(ho>>32) < ip {
		return 0, 0, false
	}
	return k, ho, true
}

// find returns the index of the range holding ip.
func (t *table6) find(ip u128) (uint32, bool) {
	i, j, ok := t.idx.window(ip.hi)
	if !ok {
		return 0, false
	}
	// The last candidate whose start's high half is at most ip's: the
	// search reads only the dense high halves, 8 candidates a cache line.
	// (A branchless search was slower: predicted branches let the CPU
	// start the next loads before the compared values arrive.)
	s := t.hi[i : j+1]
	n := len(s)
	k0 := 0
	for n > 1 {
		half := n >> 1
		if s[k0+half] <= ip.hi {
			k0 += half
		}
		n -= half
	}
	k := i + uint32(k0)
	c := &t.cells[k]
	_, b := bits.Sub64(ip.lo, c.loLo, 0)
	_, below := bits.Sub64(ip.hi, t.hi[k], b) // ip < start
	_, b = bits.Sub64(c.hiLo, ip.lo, 0)
	_, above := bits.Sub64(c.hiHi, ip.hi, b) // ip > end
	if below != 0 && t.hi[k] == ip.hi {
		// Several ranges start in ip's /64 and this one after ip: rare
		// (ranges longer than /64 prefixes); search the full keys.
		return t.findLow(ip, i, k)
	}
	if below|above != 0 {
		return 0, false
	}
	return k, true
}

// findLow finds the index of the range holding ip among candidates
// [i, k], comparing full 128-bit starts: the binary search of a lookup
// falling among ranges that share its /64.
func (t *table6) findLow(ip u128, i, k uint32) (uint32, bool) {
	n := k - i + 1
	for n > 1 {
		half := n >> 1
		if m := i + half; t.hi[m] < ip.hi || t.hi[m] == ip.hi && t.cells[m].loLo <= ip.lo {
			i = m
		}
		n -= half
	}
	c := &t.cells[i]
	if t.hi[i] > ip.hi || t.hi[i] == ip.hi && c.loLo > ip.lo ||
		c.hiHi < ip.hi || c.hiHi == ip.hi && c.hiLo < ip.lo {
		return 0, false
	}
	return i, true
}

// All yields every range with its record, IPv4 first, in increasing order.
func (t *Table) All() iter.Seq2[Range, Record] {
	return func(yield func(Range, Record) bool) {
		stop := false
		t.v4.each(func(lo, hi, own uint32) bool {
			stop = !yield(Range{v4addr(lo), v4addr(hi)}, t.owners[own])
			return !stop
		})
		if stop {
			return
		}
		t.v6.each(func(lo, hi u128, own uint32) bool {
			return yield(Range{lo.addr(), hi.addr()}, t.owners[own])
		})
	}
}

// Owners returns the distinct records of the table. The caller must not
// modify the returned slice.
func (t *Table) Owners() []Record { return t.owners }

// newTable lays out settled (sorted, disjoint) rows and builds the indexes.
func newTable(owners []Record, rows4 []row[u32], rows6 []row[u128]) *Table {
	return newTableLayout(owners, rows4, rows6, true)
}

// wholeSixtyFours reports whether every row starts and ends on a /64
// boundary.
func wholeSixtyFours(rows []row[u128]) bool {
	for _, r := range rows {
		if r.lo.lo != 0 || r.hi.lo != ^uint64(0) {
			return false
		}
	}
	return true
}

// newTableLayout is newTable, with blocks for IPv4 when asked, the
// owners fit 16 bits and the data is not clustered.
func newTableLayout(owners []Record, rows4 []row[u32], rows6 []row[u128], blocks bool) *Table {
	t := &Table{owners: owners}
	if blocks && len(owners) <= 1<<16 && len(rows4) >= blockMin {
		lo := make([]uint32, len(rows4))
		hi := make([]uint32, len(rows4))
		own := make([]uint32, len(rows4))
		for i, r := range rows4 {
			lo[i], hi[i], own[i] = uint32(r.lo), uint32(r.hi), r.val
		}
		if x, ok := buildBlocks(lo, hi, own); ok && !x.clustered() {
			t.v4.blk = x
			rows4 = nil
		}
	}
	if len(rows4) > 0 {
		lo := make([]uint32, len(rows4))
		ho := make([]uint64, len(rows4))
		ends := make([]uint32, len(rows4))
		for i, r := range rows4 {
			lo[i], ho[i], ends[i] = uint32(r.lo), uint64(r.hi)<<32|uint64(r.val), uint32(r.hi)
		}
		t.v4 = table4{lo: lo, ho: ho}
		ok := false
		if len(rows4) >= denseMin {
			t.v4.big, ok = buildDense(lo[0], ends)
		}
		if !ok {
			t.v4.idx = buildRadix(lo, ends, true)
		}
	}
	if blocks && len(owners) <= 1<<16 && len(rows6) >= blockMin && wholeSixtyFours(rows6) {
		lo := make([]uint64, len(rows6))
		hi := make([]uint64, len(rows6))
		own := make([]uint32, len(rows6))
		for i, r := range rows6 {
			lo[i], hi[i], own[i] = r.lo.hi, r.hi.hi, r.val
		}
		if x, ok := buildBlocks6(lo, hi, own); ok && !x.clustered() {
			t.v6 = table6{blk: x, rawKeys: rawKeysOK()}
			rows6 = nil
		}
	}
	if len(rows6) > 0 {
		cells := make([]cell6, len(rows6))
		starts := make([]uint64, len(rows6))
		ends := make([]uint64, len(rows6))
		for i, r := range rows6 {
			cells[i] = cell6{r.lo.lo, r.hi.hi, r.hi.lo, r.val}
			starts[i], ends[i] = r.lo.hi, r.hi.hi
		}
		t.v6 = table6{hi: starts, cells: cells, idx: buildRadix(starts, ends, false), rawKeys: rawKeysOK()}
	}
	return t
}
