package ipdb

import (
	"iter"
	"net/netip"
)

// Table is an immutable table of disjoint address ranges with owners,
// for IPv4 and IPv6. Build one with a [Builder], [Load], [Decode] or
// [Datacenters].
//
// # Layout
//
// Each family keeps its ranges in flat sorted arrays: for IPv4 a []uint32
// of starts, which lookups search, and a []uint64 packing each end with
// its owner's index (12 bytes per range); for IPv6 one array of cells
// holding start and end as uint64 halves and the owner index (40 bytes).
// Owners are stored once in a deduplicated table. A bucket index of at
// most 2^16 uint32 entries (256 KiB) per family maps the top bits of an
// address, counted from the start of the data's span, to the first range
// that can hold it; buckets crowded with ranges get a child index over
// their own next bits, most crowded first, within that budget. A lookup
// walks one or two index levels, binary-searches the few cells of its
// bucket and checks one end.
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
}

type table6 struct {
	cells []cell6       // increasing
	idx   radix[uint64] // over the high 64 bits
}

// cell6 is one IPv6 range as big-endian halves.
type cell6 struct {
	loHi, loLo, hiHi, hiLo uint64
	own                    uint32
}

// Len returns the number of disjoint ranges (both families).
func (t *Table) Len() int { return len(t.v4.lo) + len(t.v6.cells) }

// Lookup returns the record of the range containing ip, and whether there
// is one. IPv4-mapped IPv6 addresses are looked up as IPv4; zones are
// ignored. Lookup does not allocate.
func (t *Table) Lookup(ip netip.Addr) (Record, bool) {
	if i, ok := t.find(ip); ok {
		return t.owners[i], true
	}
	return Record{}, false
}

// Contains reports whether some range holds ip.
func (t *Table) Contains(ip netip.Addr) bool {
	_, ok := t.find(ip)
	return ok
}

func (t *Table) find(ip netip.Addr) (uint32, bool) {
	if ip.Is4() {
		return t.v4.find(v4key(ip))
	}
	if ip.Is4In6() {
		return t.v4.find(v4key(ip.Unmap()))
	}
	if !ip.IsValid() {
		return 0, false
	}
	return t.v6.find(v6key(ip))
}

func (t *table4) find(ip uint32) (uint32, bool) {
	// The root level of t.idx.window, written out: the generic method is
	// not inlined, and most lookups end here.
	rt := &t.idx.root
	if ip < rt.base {
		return 0, false
	}
	b := (ip - rt.base) >> rt.shift
	if b >= uint32(len(rt.idx)) {
		return 0, false
	}
	i, j := rt.idx[b], rt.last
	if i&childFlag != 0 {
		i, j = t.idx.descend(i, ip)
	} else if b+1 < uint32(len(rt.idx)) {
		j = rt.idx[b+1]
		if j&childFlag != 0 {
			j = t.idx.nodes[j&^childFlag].first
		}
	}
	// The candidates lo[i:j+1] all end at or after the bucket start; the
	// answer is the last of them starting at or before ip. Most windows
	// hold one or two candidates: no search loop for them.
	// Both candidates' ends are loaded with their starts, so that the
	// loads run in parallel rather than one after the other.
	if j-i <= 1 {
		lo, ho := t.lo[i], t.ho[i]
		if lj, hj := t.lo[j], t.ho[j]; lj <= ip {
			lo, ho = lj, hj
		}
		if lo > ip || uint32(ho>>32) < ip {
			return 0, false
		}
		return uint32(ho), true
	}
	s := t.lo[i : j+1]
	n := len(s)
	k := 0
	for n > 1 {
		half := n >> 1
		if s[k+half] <= ip {
			k += half
		}
		n -= half
	}
	if n == 0 || s[k] > ip {
		return 0, false
	}
	ho := t.ho[int(i)+k]
	if uint32(ho>>32) < ip {
		return 0, false
	}
	return uint32(ho), true
}

func (t *table6) find(ip u128) (uint32, bool) {
	i, j, ok := t.idx.window(ip.hi)
	if !ok {
		return 0, false
	}
	s := t.cells[i : j+1]
	n := len(s)
	k := 0
	for n > 1 {
		half := n >> 1
		c := &s[k+half]
		if c.loHi < ip.hi || c.loHi == ip.hi && c.loLo <= ip.lo {
			k += half
		}
		n -= half
	}
	if n == 0 {
		return 0, false
	}
	c := &s[k]
	if c.loHi > ip.hi || c.loHi == ip.hi && c.loLo > ip.lo ||
		c.hiHi < ip.hi || c.hiHi == ip.hi && c.hiLo < ip.lo {
		return 0, false
	}
	return c.own, true
}

// All yields every range with its record, IPv4 first, in increasing order.
func (t *Table) All() iter.Seq2[Range, Record] {
	return func(yield func(Range, Record) bool) {
		for i, lo := range t.v4.lo {
			ho := t.v4.ho[i]
			if !yield(Range{v4addr(lo), v4addr(uint32(ho >> 32))}, t.owners[uint32(ho)]) {
				return
			}
		}
		for _, c := range t.v6.cells {
			r := Range{u128{c.loHi, c.loLo}.addr(), u128{c.hiHi, c.hiLo}.addr()}
			if !yield(r, t.owners[c.own]) {
				return
			}
		}
	}
}

// Owners returns the distinct records of the table. The caller must not
// modify the returned slice.
func (t *Table) Owners() []Record { return t.owners }

// newTable lays out settled (sorted, disjoint) rows and builds the indexes.
func newTable(owners []Record, rows4 []row[u32], rows6 []row[u128]) *Table {
	t := &Table{owners: owners}
	if len(rows4) > 0 {
		lo := make([]uint32, len(rows4))
		ho := make([]uint64, len(rows4))
		ends := make([]uint32, len(rows4))
		for i, r := range rows4 {
			lo[i], ho[i], ends[i] = uint32(r.lo), uint64(r.hi)<<32|uint64(r.val), uint32(r.hi)
		}
		t.v4 = table4{lo: lo, ho: ho, idx: buildRadix(ends, lo[0], true)}
	}
	if len(rows6) > 0 {
		cells := make([]cell6, len(rows6))
		ends := make([]uint64, len(rows6))
		for i, r := range rows6 {
			cells[i] = cell6{r.lo.hi, r.lo.lo, r.hi.hi, r.hi.lo, r.val}
			ends[i] = r.hi.hi
		}
		t.v6 = table6{cells: cells, idx: buildRadix(ends, cells[0].loHi, false)}
	}
	return t
}
