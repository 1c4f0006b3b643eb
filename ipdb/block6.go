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

// blocks6 is the block layout of an IPv6 table.
type blocks6 struct {
	base   uint64
	nb     uint32
	shift  uint8
	gshift uint8
	mask   uint64
	n      int
	idx    []uint32
	lines  []line6
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
// b, the first of which is l.
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
	seen := false
	var last uint64
	for i := range x.lines {
		ln := &x.lines[i]
		for s := range block6Slots {
			if seen && ln.lo[s] <= last {
				continue
			}
			seen, last = true, ln.lo[s]
			if !yield(ln.lo[s], ln.hi[s], uint32(ln.own[s])) {
				return
			}
		}
	}
}

func (x *blocks6) bytes() int { return 64*len(x.lines) + 4*len(x.idx) }

// clustered reports whether slow buckets would cost lookups more than a
// quarter of a line read on average (see blocks4.clustered).
func (x *blocks6) clustered() bool { return clusteredIndex(x.idx, len(x.lines)) }

// buildBlocks6 lays out sorted disjoint /64-granular ranges given by the
// high halves of their starts and ends and their owner indexes (below
// 2^16), or returns false when there are too many lines.
func buildBlocks6(lo, hi []uint64, own []uint32) (*blocks6, bool) {
	n := len(lo)
	if n == 0 || (n+block6Slots-1)/block6Slots > blockLine {
		return nil, false
	}
	base := lo[0]
	span := hi[n-1] - base
	width := bits.Len64(span)
	// Buckets: about one per two ranges, at most 2^24 (entries hold 24-bit
	// line numbers, and nb must fit 32 bits).
	shift := max(width-min(bits.Len(uint(n/2)), 24), 0)
	gshift := max(shift-blockGrid, 0)
	x := &blocks6{
		base: base, shift: uint8(shift), gshift: uint8(gshift),
		mask: uint64(1)<<(shift-gshift) - 1,
		nb:   uint32(span>>shift) + 1, n: n,
	}
	x.lines = make([]line6, 0, n/(block6Slots-1)+1)
	key, f := base, 0
	for {
		var ln line6
		m := min(n-f, block6Slots)
		for s := range block6Slots {
			i := f + min(s, m-1)
			ln.lo[s], ln.hi[s], ln.own[s] = lo[i], hi[i], uint16(own[i])
		}
		ln.key = key
		x.lines = append(x.lines, ln)
		if f+block6Slots >= n {
			break
		}
		if len(x.lines) > blockLine {
			return nil, false
		}
		next := lo[f+block6Slots]
		if g := base + (next-base)>>gshift<<gshift; g > hi[f] {
			next = g
		}
		key = next
		for hi[f] < key {
			f++
		}
	}
	if cap(x.lines) > len(x.lines) {
		x.lines = append([]line6(nil), x.lines...)
	}
	x.idx = make([]uint32, x.nb)
	l := 0
	for b := range uint64(x.nb) {
		from := base + b<<shift
		to := from + (uint64(1)<<shift - 1)
		if b == uint64(x.nb)-1 || to < from {
			to = hi[n-1]
		}
		for l+1 < len(x.lines) && x.lines[l+1].key <= from {
			l++
		}
		cut := uint32(blockNoCut)
		c := l + 1
		switch {
		case c >= len(x.lines) || x.lines[c].key > to:
		case c+1 < len(x.lines) && x.lines[c+1].key <= to,
			(x.lines[c].key-from)&(uint64(1)<<gshift-1) != 0:
			cut = blockSlow
		default:
			cut = uint32((x.lines[c].key - from) >> gshift)
		}
		x.idx[b] = cut<<24 | uint32(l)
	}
	return x, true
}
