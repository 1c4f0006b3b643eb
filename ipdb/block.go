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

// line4 is one 64-byte line: up to six ranges in increasing order,
// unused slots repeating the last used one, and the first key the line
// covers.
type line4 struct {
	lo  [blockSlots]uint32
	hi  [blockSlots]uint32
	own [blockSlots]uint16
	key uint32
}

// blocks4 is the block layout of an IPv4 table.
type blocks4 struct {
	base   uint32 // first key of the span
	nb     uint32 // buckets
	shift  uint8  // bucket of key offset d: d >> shift
	gshift uint8  // grid step of d within its bucket: d >> gshift & mask
	mask   uint32
	n      int      // distinct ranges
	idx    []uint32 // per bucket: cut<<24 | line
	lines  []line4
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
	seen := false
	var last uint32
	for i := range x.lines {
		ln := &x.lines[i]
		for s := range blockSlots {
			if seen && ln.lo[s] <= last {
				continue // a range also in the line before, or padding
			}
			seen, last = true, ln.lo[s]
			if !yield(ln.lo[s], ln.hi[s], uint32(ln.own[s])) {
				return
			}
		}
	}
}

// bytes returns the layout's size in bytes.
func (x *blocks4) bytes() int { return 64*len(x.lines) + 4*len(x.idx) }

// buildBlocks lays out sorted disjoint ranges (starts lo, ends hi, owner
// indexes own, all below 2^16) in blocks, or returns false when there
// are too many lines for the index entries.
func buildBlocks(lo, hi, own []uint32) (*blocks4, bool) {
	n := len(lo)
	if n == 0 {
		return nil, false
	}
	base := lo[0]
	span := hi[n-1] - base
	width := bits.Len32(span)
	shift := max(width-bits.Len(uint(n/4)), 0) // 2^k buckets, n/4 < 2^k <= n/2
	gshift := max(shift-blockGrid, 0)
	x := &blocks4{
		base: base, shift: uint8(shift), gshift: uint8(gshift),
		mask: uint32(1)<<(shift-gshift) - 1,
		nb:   span>>shift + 1, n: n,
	}
	if (n+blockSlots-1)/blockSlots > blockLine { // not even full lines would fit
		return nil, false
	}
	x.lines = make([]line4, 0, n/(blockSlots-1)+1)
	key, f := base, 0
	for {
		var ln line4
		m := min(n-f, blockSlots)
		for s := range blockSlots {
			i := f + min(s, m-1)
			ln.lo[s], ln.hi[s], ln.own[s] = lo[i], hi[i], uint16(own[i])
		}
		ln.key = key
		x.lines = append(x.lines, ln)
		if f+blockSlots >= n {
			break
		}
		if len(x.lines) > blockLine {
			return nil, false
		}
		// The next line begins at or before the seventh range's start:
		// on the grid if that still drops range f, exactly there if not.
		next := lo[f+blockSlots]
		g := base + (next-base)>>gshift<<gshift
		if g > hi[f] {
			next = g
		}
		key = next
		for hi[f] < key {
			f++
		}
	}
	if cap(x.lines) > len(x.lines) { // keep no spare capacity on the heap
		x.lines = append([]line4(nil), x.lines...)
	}
	// Index: the line covering each bucket's first key, and the cut.
	x.idx = make([]uint32, x.nb)
	l := 0
	for b := range x.nb {
		from := base + b<<shift
		to := from + (uint32(1)<<shift - 1)
		if b == x.nb-1 || to < from {
			to = hi[n-1] // the last bucket ends with the span
		}
		for l+1 < len(x.lines) && x.lines[l+1].key <= from {
			l++
		}
		cut := uint32(blockNoCut)
		c := l + 1
		switch {
		case c >= len(x.lines) || x.lines[c].key > to:
		case c+1 < len(x.lines) && x.lines[c+1].key <= to,
			(x.lines[c].key-from)&(uint32(1)<<gshift-1) != 0:
			cut = blockSlow
		default:
			cut = (x.lines[c].key - from) >> gshift
		}
		x.idx[b] = cut<<24 | uint32(l)
	}
	return x, true
}

// clustered reports whether the slow buckets' binary searches would cost
// lookups more than a quarter of a line read on average (lookups spread
// over the lines): clustered data, many lines beginning in few buckets.
// The flat layout's radix index, with child nodes over the clusters,
// serves it faster.
func (x *blocks4) clustered() bool { return clusteredIndex(x.idx, len(x.lines)) }

// clusteredIndex is clustered for an index of entries idx over lines.
func clusteredIndex(idx []uint32, lines int) bool {
	extra := 0 // line reads of the binary searches, summed over lines
	for b, e := range idx {
		if e>>24 == blockSlow {
			last := lines - 1
			if b+1 < len(idx) {
				last = int(idx[b+1] & blockLine)
			}
			k := last - int(e&blockLine) + 1
			extra += k * bits.Len(uint(k))
		}
	}
	return extra*4 > lines
}
