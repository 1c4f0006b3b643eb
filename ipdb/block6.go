package ipdb

import "math/bits"

// Large IPv6 tables whose ranges all start and end on /64 boundaries
// (start's low half 0, end's all ones: the shape of allocation and
// provider lists) use the block layout of block.go on the high 64 bits:
// such ranges are disjoint intervals of high halves, so the high halves
// alone decide a lookup. A 64-byte line holds three ranges (start and
// end high halves, 16-bit owners) and its first key: 21 bytes a range
// against 40 in the flat layout. Tables with a longer prefix anywhere
// keep the flat layout, as do clustered ones.
const block6Slots = 3

// line6 is one 64-byte line of IPv6 ranges, in increasing order, unused
// slots repeating the last used one.
type line6 struct {
	lo  [block6Slots]uint64 // starts' high halves
	hi  [block6Slots]uint64 // ends' high halves
	own [block6Slots]uint16
	_   uint16
	key uint64
}

// view returns the line as the shared code sees it.
func (ln *line6) view() lineView[uint64] {
	return lineView[uint64]{ln.lo[:], ln.hi[:], ln.own[:], &ln.key}
}

// blocks6 is the block layout of an IPv6 table.
type blocks6 struct {
	blockIndex[uint64]
	lines []line6
}

// find returns the line and slot of the range holding the address whose
// high half is ip.
func (x *blocks6) find(ip uint64) (*line6, int, bool) {
	d := ip - x.base
	b := d >> x.shift
	if ip < x.base || b >= uint64(x.nb) {
		return nil, 0, false
	}
	e := x.idx[b]
	l, cut := e&blockLine, e>>24
	if cut == blockSlow {
		l = x.slowLine(l, uint32(b), ip)
	}
	l += b2u(d>>x.gshift&x.mask >= uint64(cut))
	ln := &x.lines[l]
	k := b2u(ln.lo[0] <= ip) + b2u(ln.lo[1] <= ip) + b2u(ln.lo[2] <= ip)
	if k == 0 || ln.hi[k-1] < ip {
		return nil, 0, false
	}
	return ln, int(k - 1), true
}

// slowLine returns the line covering ip among those beginning in bucket
// b, the first of which is l (see blocks4.slowLine; the lookups keep one
// copy per line format, reading the lines' keys directly).
func (x *blocks6) slowLine(l, b uint32, ip uint64) uint32 {
	hi := uint32(len(x.lines)) - 1
	if b+1 < x.nb {
		hi = x.idx[b+1] & blockLine
	}
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

// each yields every distinct range in increasing order (high halves).
func (x *blocks6) each(yield func(lo, hi uint64, own uint32) bool) {
	eachRange(x.lines, (*line6).view, yield)
}

func (x *blocks6) bytes() int { return 64*len(x.lines) + 4*len(x.idx) }

// clustered reports whether slow buckets would cost lookups more than a
// quarter of a line read on average (see blocks4.clustered).
func (x *blocks6) clustered() bool { return x.blockIndex.clustered(len(x.lines)) }

// buildBlocks6 lays out sorted disjoint /64-granular ranges given by the
// high halves of their starts and ends and their owner indexes (below
// 2^16), or returns false when there are too many lines.
func buildBlocks6(lo, hi []uint64, own []uint32) (*blocks6, bool) {
	x := new(blocks6)
	// Buckets: about one per two ranges, at most 2^24 (entries hold 24-bit
	// line numbers, and nb must fit 32 bits).
	cuts, ok := x.plan(lo, hi, block6Slots, min(bits.Len(uint(len(lo)/2)), 24))
	if !ok {
		return nil, false
	}
	x.lines = make([]line6, len(cuts))
	for j, c := range cuts {
		x.lines[j].view().fill(c, lo, hi, own)
	}
	return x, true
}
