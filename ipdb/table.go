package ipdb

import (
	"iter"
	"math/bits"
	"net/netip"
)

// maxIndexBits bounds a family's bucket index to 2^16 uint32 entries (256 KiB).
const maxIndexBits = 16

// Table is an immutable table of disjoint address ranges with owners,
// for IPv4 and IPv6. Build one with a [Builder], [Load], [Decode] or
// [Datacenters].
//
// # Layout
//
// Each family keeps its ranges in flat sorted arrays: for IPv4 a []uint32
// of starts and a []uint64 packing each end with its owner's index
// (12 bytes per range); for IPv6 the starts and ends as uint64 halves and
// a []uint32 of owner indices (36 bytes per range). Owners are stored once
// in a deduplicated table. A bucket index of at most 2^16 entries maps the
// top bits of an address, counted from the start of the data's span, to
// the first range that can hold it; a lookup then binary-searches the few
// starts of its bucket (or the many of a crowded IPv6 bucket) and checks
// one end.
//
// The zero Table is empty. Table is safe for concurrent use by multiple
// goroutines: it is never modified after it is built.
type Table struct {
	owners []Record
	v4     table4
	v6     table6
}

type table4 struct {
	lo    []uint32 // starts, increasing
	ho    []uint64 // end<<32 | owner index
	idx   []uint32 // bucket -> first range whose end >= bucket start
	base  uint32   // first start
	shift uint8
}

type table6 struct {
	loHi, loLo []uint64 // starts, increasing
	hiHi, hiLo []uint64 // ends
	own        []uint32
	idx        []uint32 // bucket over the high 64 bits
	base       uint64
	shift      uint8
}

// Len returns the number of disjoint ranges (both families).
func (t *Table) Len() int { return len(t.v4.lo) + len(t.v6.loHi) }

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
	d := ip - t.base
	b := d >> t.shift
	if ip < t.base || b >= uint32(len(t.idx)) {
		return 0, false
	}
	i := t.idx[b]
	j := uint32(len(t.lo)) // one past the last candidate
	if b+1 < uint32(len(t.idx)) {
		j = t.idx[b+1] + 1
	}
	// The candidates lo[i:j] all end at or after the bucket start; the
	// answer is the last of them starting at or before ip.
	s := t.lo[i:j]
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
	d := ip.hi - t.base
	b := d >> t.shift
	if ip.hi < t.base || b >= uint64(len(t.idx)) {
		return 0, false
	}
	i := t.idx[b]
	j := uint32(len(t.loHi))
	if b+1 < uint64(len(t.idx)) {
		j = t.idx[b+1] + 1
	}
	hs, ls := t.loHi[i:j], t.loLo[i:j]
	ls = ls[:len(hs)]
	n := len(hs)
	k := 0
	for n > 1 {
		half := n >> 1
		m := k + half
		if hs[m] < ip.hi || hs[m] == ip.hi && ls[m] <= ip.lo {
			k = m
		}
		n -= half
	}
	if n == 0 || hs[k] > ip.hi || hs[k] == ip.hi && ls[k] > ip.lo {
		return 0, false
	}
	m := int(i) + k
	if eh := t.hiHi[m]; eh < ip.hi || eh == ip.hi && t.hiLo[m] < ip.lo {
		return 0, false
	}
	return t.own[m], true
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
		v := &t.v6
		for i := range v.loHi {
			r := Range{u128{v.loHi[i], v.loLo[i]}.addr(), u128{v.hiHi[i], v.hiLo[i]}.addr()}
			if !yield(r, t.owners[v.own[i]]) {
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
	v := &t.v4
	v.lo = make([]uint32, len(rows4))
	v.ho = make([]uint64, len(rows4))
	for i, r := range rows4 {
		v.lo[i] = uint32(r.lo)
		v.ho[i] = uint64(r.hi)<<32 | uint64(r.val)
	}
	v.index()
	w := &t.v6
	w.loHi, w.loLo = make([]uint64, len(rows6)), make([]uint64, len(rows6))
	w.hiHi, w.hiLo = make([]uint64, len(rows6)), make([]uint64, len(rows6))
	w.own = make([]uint32, len(rows6))
	for i, r := range rows6 {
		w.loHi[i], w.loLo[i], w.hiHi[i], w.hiLo[i] = r.lo.hi, r.lo.lo, r.hi.hi, r.hi.lo
		w.own[i] = r.val
	}
	w.index()
	return t
}

// indexBits picks the bucket count for n ranges: about two buckets per
// range, at most 2^maxIndexBits.
func indexBits(n int) int {
	return min(bits.Len(uint(n))+1, maxIndexBits)
}

func (v *table4) index() {
	n := len(v.lo)
	if n == 0 {
		v.idx = nil
		return
	}
	v.base = v.lo[0]
	span := uint32(v.ho[n-1]>>32) - v.base
	k := indexBits(n)
	v.shift = uint8(max(bits.Len32(span)-k, 0))
	nb := int(span>>v.shift) + 1
	v.idx = make([]uint32, nb)
	i := 0
	for b := range nb {
		start := v.base + uint32(b)<<v.shift
		for i < n && uint32(v.ho[i]>>32) < start {
			i++
		}
		v.idx[b] = uint32(i)
	}
}

func (v *table6) index() {
	n := len(v.loHi)
	if n == 0 {
		v.idx = nil
		return
	}
	v.base = v.loHi[0]
	span := v.hiHi[n-1] - v.base
	k := indexBits(n)
	v.shift = uint8(max(bits.Len64(span)-k, 0))
	nb := int(span>>v.shift) + 1
	v.idx = make([]uint32, nb)
	i := 0
	for b := range nb {
		start := v.base + uint64(b)<<v.shift
		for i < n && v.hiHi[i] < start {
			i++
		}
		v.idx[b] = uint32(i)
	}
}
