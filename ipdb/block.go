package ipdb

import "math/bits"

// Large IPv4 tables use a block layout: ranges are packed six to a
// 64-byte line holding their starts, ends and 16-bit owner indexes (the
// line is the unit the memory system moves), and a bucket index maps an
// address straight to the one line that can hold it. A lookup reads one
// 4-byte index entry and one line: two cache misses on a big table,
// where the flat layout pays for the index, one or two lines of starts
// and a line of ends.
//
// Each line covers a run of keys [key, next line's key) and holds every
// range meeting that run (the range crossing its first key too, so that
// range is stored twice, in this line and the one before). Lines are cut
// greedily: a line takes six ranges and the next one starts at the
// seventh's start, rounded down to a grid of 1/128 of a bucket when that
// still drops the line's first range. An index entry packs the line
// covering the start of its bucket (24 bits) and where in the bucket the
// next line begins (8 bits: the grid step from which a key belongs to the
// next line, blockNoCut when no line begins inside the bucket, blockSlow
// when several do or the cut is off the grid; such buckets search the
// line keys, which only clustered data produces).
//
// Memory: 64/6 = 10.7 bytes per range when lines are full, plus 4 bytes
// per bucket at one bucket per two to four ranges (1 to 2 bytes a
// range).
// Clustered data, where many lines begin in few buckets, keeps the flat
// layout (see clustered).
const (
	blockMin   = 1 << 16 // ranges from which an IPv4 table uses blocks
	blockSlots = 6
	blockGrid  = 7   // log2 of the grid steps per bucket
	blockNoCut = 128 // above every grid step
	blockSlow  = 255
	blockLine  = 1<<24 - 1 // line number mask of an entry
)

// blockKey is the key of a block layout: an IPv4 address, or the high
// half of an IPv6 address.
type blockKey interface{ uint32 | uint64 }

// blockIndex is the part of a block layout that does not depend on the
// line format: the buckets and their index entries. The IPv4 and IPv6
// layouts (blocks4, blocks6) share their building (plan, then
// lineView.fill) and listing (eachRange) through it; each keeps its own
// find and slowLine, written against its line's arrays, because lookups
// are the hot path and shared code would reach the slots through slices
// or calls.
type blockIndex[K blockKey] struct {
	base   K      // first key of the span
	nb     uint32 // buckets
	shift  uint8  // bucket of key offset d: d >> shift
	gshift uint8  // grid step of d within its bucket: d >> gshift & mask
	mask   K
	n      int      // distinct ranges
	idx    []uint32 // per bucket: cut<<24 | line
}

// lineView is one line of a block layout seen through slices of its
// slots, and its key: what the code shared by the two line formats
// writes and reads (the lookups read the lines' arrays directly).
type lineView[K blockKey] struct {
	lo, hi []K
	own    []uint16
	key    *K
}

// line4 is one 64-byte line: up to six ranges in increasing order,
// unused slots repeating the last used one, and the first key the line
// covers.
type line4 struct {
	lo  [blockSlots]uint32
	hi  [blockSlots]uint32
	own [blockSlots]uint16
	key uint32
}

// view returns the line as the shared code sees it.
func (ln *line4) view() lineView[uint32] {
	return lineView[uint32]{ln.lo[:], ln.hi[:], ln.own[:], &ln.key}
}

// blocks4 is the block layout of an IPv4 table.
type blocks4 struct {
	blockIndex[uint32]
	lines []line4
}

// find returns the line and slot of the range holding ip.
func (x *blocks4) find(ip uint32) (*line4, int, bool) {
	d := ip - x.base
	b := d >> x.shift
	if ip < x.base || b >= x.nb {
		return nil, 0, false
	}
	e := x.idx[b]
	l, cut := e&blockLine, e>>24
	if cut == blockSlow {
		l = x.slowLine(l, b, ip)
	}
	l += b2u(d>>x.gshift&x.mask >= cut) // blockSlow is above every step
	ln := &x.lines[l]
	// The slot is the number of starts at or below ip, less one: six
	// independent comparisons, no branch to mispredict.
	k := b2u(ln.lo[0] <= ip) + b2u(ln.lo[1] <= ip) + b2u(ln.lo[2] <= ip) +
		b2u(ln.lo[3] <= ip) + b2u(ln.lo[4] <= ip) + b2u(ln.lo[5] <= ip)
	if k == 0 || ln.hi[k-1] < ip {
		return nil, 0, false
	}
	return ln, int(k - 1), true
}

// b2u returns 1 for true and 0 for false (compiled to a flag move).
func b2u(b bool) uint32 {
	var x uint32
	if b {
		x = 1
	}
	return x
}

// slowLine returns the line covering ip among those beginning in bucket
// b, the first of which is l: a binary search over their keys.
func (x *blocks4) slowLine(l, b, ip uint32) uint32 {
	hi := uint32(len(x.lines)) - 1
	if b+1 < x.nb {
		hi = x.idx[b+1] & blockLine // the line covering the next bucket's first key
	}
	// The last line in [l, hi] whose key is at most ip (lines[l].key is).
	for l < hi {
		m := l + (hi-l+1)/2
		if x.lines[m].key <= ip {
			l = m
		} else {
			hi = m - 1
		}
	}
	return l
}

// each yields every distinct range in increasing order.
func (x *blocks4) each(yield func(lo, hi, own uint32) bool) {
	eachRange(x.lines, (*line4).view, yield)
}

// bytes returns the layout's size in bytes.
func (x *blocks4) bytes() int { return 64*len(x.lines) + 4*len(x.idx) }

// clustered reports whether the slow buckets' binary searches would cost
// lookups more than a quarter of a line read on average (lookups spread
// over the lines): clustered data, many lines beginning in few buckets.
// The flat layout's radix index, with child nodes over the clusters,
// serves it faster.
func (x *blocks4) clustered() bool { return x.blockIndex.clustered(len(x.lines)) }

// buildBlocks lays out sorted disjoint ranges (starts lo, ends hi, owner
// indexes own, all below 2^16) in blocks, or returns false when there
// are too many lines for the index entries.
func buildBlocks(lo, hi, own []uint32) (*blocks4, bool) {
	x := new(blocks4)
	// 2^k buckets, n/4 < 2^k <= n/2.
	cuts, ok := x.plan(lo, hi, blockSlots, bits.Len(uint(len(lo)/4)))
	if !ok {
		return nil, false
	}
	x.lines = make([]line4, len(cuts))
	for j, c := range cuts {
		x.lines[j].view().fill(c, lo, hi, own)
	}
	return x, true
}

// lineCut is where a line begins: its first key and its first range.
type lineCut[K blockKey] struct {
	key   K
	first int
}

// plan sets x to the index of sorted disjoint ranges (starts lo, ends
// hi) laid out `slots` to a line in at most 2^logb buckets, and returns
// the lines' cuts, or false when there are too many lines for the index
// entries. Filling the lines (lineView.fill) is the caller's part.
func (x *blockIndex[K]) plan(lo, hi []K, slots, logb int) ([]lineCut[K], bool) {
	n := len(lo)
	if n == 0 || (n+slots-1)/slots > blockLine { // not even full lines would fit
		return nil, false
	}
	base := lo[0]
	span := hi[n-1] - base
	shift := max(bits.Len64(uint64(span))-logb, 0)
	gshift := max(shift-blockGrid, 0)
	*x = blockIndex[K]{
		base: base, shift: uint8(shift), gshift: uint8(gshift),
		mask: K(1)<<(shift-gshift) - 1,
		nb:   uint32(span>>shift) + 1, n: n,
	}
	cuts, ok := x.cut(lo, hi, slots)
	if !ok {
		return nil, false
	}
	x.idx = x.index(cuts, hi[n-1])
	return cuts, true
}

// cut cuts sorted disjoint ranges into lines of `slots` ranges, or
// returns false when there are more lines than index entries can name.
// Lines are cut greedily: a line takes `slots` ranges and the next one
// begins at or before the following range's start, on the grid of
// 2^gshift keys from base if that still drops the line's first range,
// exactly there if not.
func (x *blockIndex[K]) cut(lo, hi []K, slots int) ([]lineCut[K], bool) {
	n := len(lo)
	cuts := make([]lineCut[K], 0, n/(slots-1)+1)
	c := lineCut[K]{key: x.base}
	for {
		cuts = append(cuts, c)
		f := c.first
		if f+slots >= n {
			return cuts, true
		}
		if len(cuts) > blockLine {
			return nil, false
		}
		next := lo[f+slots]
		if g := x.base + (next-x.base)>>x.gshift<<x.gshift; g > hi[f] {
			next = g
		}
		for hi[f] < next {
			f++
		}
		c = lineCut[K]{key: next, first: f}
	}
}

// index returns the index entries of lines cut at cuts, over a span
// ending at last: the line covering each bucket's first key, and the
// cut.
func (x *blockIndex[K]) index(cuts []lineCut[K], last K) []uint32 {
	idx := make([]uint32, x.nb)
	l := 0
	for b := range x.nb {
		from := x.base + K(b)<<x.shift
		to := from + (K(1)<<x.shift - 1)
		if b == x.nb-1 || to < from {
			to = last // the last bucket ends with the span
		}
		for l+1 < len(cuts) && cuts[l+1].key <= from {
			l++
		}
		cut := uint32(blockNoCut)
		c := l + 1
		switch {
		case c >= len(cuts) || cuts[c].key > to:
		case c+1 < len(cuts) && cuts[c+1].key <= to,
			(cuts[c].key-from)&(K(1)<<x.gshift-1) != 0:
			cut = blockSlow
		default:
			cut = uint32((cuts[c].key - from) >> x.gshift)
		}
		idx[b] = cut<<24 | uint32(l)
	}
	return idx
}

// fill writes the line cut at c: ranges c.first, c.first+1, ... of lo,
// hi and own in its slots, the last range repeated in unused ones, and
// its key.
func (v lineView[K]) fill(c lineCut[K], lo, hi []K, own []uint32) {
	m := min(len(lo)-c.first, len(v.lo))
	for s := range v.lo {
		i := c.first + min(s, m-1)
		v.lo[s], v.hi[s], v.own[s] = lo[i], hi[i], uint16(own[i])
	}
	*v.key = c.key
}

// eachRange yields every distinct range of lines in increasing order.
func eachRange[K blockKey, L any](lines []L, view func(*L) lineView[K], yield func(lo, hi K, own uint32) bool) {
	seen := false
	var last K
	for i := range lines {
		v := view(&lines[i])
		for s := range v.lo {
			if seen && v.lo[s] <= last {
				continue // a range also in the line before, or padding
			}
			seen, last = true, v.lo[s]
			if !yield(v.lo[s], v.hi[s], uint32(v.own[s])) {
				return
			}
		}
	}
}

// clustered is blocks4.clustered for an index over `lines` lines.
func (x *blockIndex[K]) clustered(lines int) bool {
	extra := 0 // line reads of the binary searches, summed over lines
	for b, e := range x.idx {
		if e>>24 == blockSlow {
			last := lines - 1
			if b+1 < len(x.idx) {
				last = int(x.idx[b+1] & blockLine)
			}
			k := last - int(e&blockLine) + 1
			extra += k * bits.Len(uint(k))
		}
	}
	return extra*4 > lines
}
