package ipdb

import "math/bits"

// Index shape. The root of a family's index has about 2 buckets per range
// (8 for a fine index), up to 2^rootBits, over the span of the data
// (2^(rootBits+1) for more than 2^bigBits ranges). A bucket holding more
// than crowded (fine: crowdedFine) candidates gets a child node of up to
// 2^childBits buckets over the keys its candidates can hold, the most
// crowded buckets first, at any depth, as long as the family's budget of
// maxIndexEntries uint32 entries (256 KiB) lasts. Clustered data (IPv6
// lists packed into a few /32s) thus gets fine buckets where the ranges
// are, and sparse data pays for nothing.
const (
	rootBits        = 15
	childBits       = 12
	crowded         = 8
	crowdedFine     = 2
	bigBits         = 17
	maxIndexEntries = 1 << 16
)

// Index entries. A plain entry is a range index (the first candidate of
// its bucket). A child reference has the top bit set and packs where the
// child's buckets are and how a key picks one, so that a lookup goes down
// a level with a single load and no node header:
//
//	1 | shift (6 bits) | bits (5 bits) | offset (20 bits)
//
// the child's bucket of a key k is e[offset + (k-base)>>shift & (2^bits-1)].
const (
	childFlag  = 1 << 31
	offsetBits = 20
	offsetMask = 1<<offsetBits - 1
)

// radix maps a key (an IPv4 address, or the high 64 bits of an IPv6
// address) to a window of candidate ranges [i, j]: those ending at or after
// the start of the key's bucket, up to the first one ending in a later
// bucket. The answer, if any, is the last candidate starting at or before
// the key.
//
// All nodes live in e, each as [first, bucket 0, ..., bucket n-1, last]:
// first and last are the node's first and last candidates, so that the
// window of bucket b is always [e[p], e[p+1]] (resolving a child
// reference at p+1 to its first). Keys are counted from base; the root
// has nb buckets of 2^shift keys at e[0:nb] and no first. A child covers the
// smallest aligned block of keys holding everything its candidates can
// hold; a key of its parent's bucket outside that block is a miss whatever
// window it gets, so the bucket bits are masked rather than checked.
type radix[K uint32 | uint64] struct {
	base  K
	shift uint8
	nb    uint32
	e     []uint32
}

// window returns the candidate window of key h, or ok false when h lies
// outside the data's span.
func (r *radix[K]) window(h K) (i, j uint32, ok bool) {
	if h < r.base {
		return 0, 0, false
	}
	d := h - r.base
	b := d >> r.shift
	if b >= K(r.nb) {
		return 0, 0, false
	}
	p := uint32(b)
	i = r.e[p]
	if i&childFlag != 0 {
		p, i = r.descend(i, d)
	}
	return i, r.next(p), true
}

// descend follows the child reference e down to the bucket of the key
// d (counted from base), returning the bucket's position and entry.
func (r *radix[K]) descend(e uint32, d K) (p, i uint32) {
	for {
		shift, nbits := e>>(offsetBits+5)&63, e>>offsetBits&31
		p = e&offsetMask + uint32(d>>shift)&(1<<nbits-1)
		e = r.e[p]
		if e&childFlag == 0 {
			return p, e
		}
	}
}

// next returns the last candidate of the window whose first is at p.
func (r *radix[K]) next(p uint32) uint32 {
	j := r.e[p+1]
	if j&childFlag != 0 {
		j = r.e[j&offsetMask-1] // the child's first candidate
	}
	return j
}

// entries returns the number of index entries (4 bytes each).
func (r *radix[K]) entries() int { return len(r.e) }

// children returns the number of child nodes.
func (r *radix[K]) children() int {
	n := 0
	for _, e := range r.e {
		if e&childFlag != 0 {
			n++
		}
	}
	return n
}

// buildRadix indexes ranges whose (high) start and end keys are starts
// and ends, both sorted, over the span [starts[0], ends[len-1]]. A fine
// index (IPv4) spends more of the budget so that almost every window
// holds one or two candidates, which table4.find compares without a
// search loop.
func buildRadix[K uint32 | uint64](starts, ends []K, fine bool) radix[K] {
	n := len(ends)
	if n == 0 {
		return radix[K]{}
	}
	base := starts[0]
	span := ends[n-1] - base
	width := bits.Len64(uint64(span))
	extra, limit := 1, uint32(crowded)
	if fine {
		extra, limit = 3, crowdedFine
	}
	k := min(bits.Len(uint(n))+extra, rootBits, max(width, 1))
	if n > 1<<bigBits {
		// Huge tables are rarely all clustered: the finest root serves
		// them better than a few children.
		k = min(rootBits+1, max(width, 1))
	}
	shift := max(width-k, 0)
	nb := int(uint64(span)>>shift) + 1
	if nb+1 > maxIndexEntries { // a span of exactly 2^16 buckets: no room for last
		shift++
		nb = int(uint64(span)>>shift) + 1
	}
	r := radix[K]{base: base, shift: uint8(shift), nb: uint32(nb)}
	budget := maxIndexEntries - (nb + 1)
	// The smallest child: limit+1 candidates, two buckets each.
	smallest := childEntries(limit + 1)
	var crowds crowdHeap[K]
	r.e = make([]uint32, 0, min(maxIndexEntries, nb+1+nb/2))
	if budget < smallest {
		budget = 0 // no child fits: do not queue crowds at all
	}
	r.grow(ends, base, uint8(shift), nb, 0, uint32(n-1), limit, budget, &crowds)
	// Children for the most crowded buckets first, at any depth, while
	// the budget lasts. A child covers the smallest aligned block holding
	// the keys its candidates can hold (clustered data: a small part of
	// its bucket), in at most 2^childBits buckets of about two per
	// candidate.
	for len(crowds) > 0 && budget >= smallest {
		c := crowds.pop()
		if childEntries(c.j-c.i+1) > budget {
			continue // as in grow: a child over a small block might fit, not worth the reads
		}
		from, to := max(c.from, starts[c.i])-base, min(c.to, ends[c.j])-base
		block := bits.Len64(uint64(from ^ to))
		k := min(bits.Len32(c.j-c.i+1)+1, childBits, block)
		nb := 1 << k
		if k == 0 || nb+2 > budget {
			continue
		}
		budget -= nb + 2
		shift := block - k
		start := base + from>>block<<block // block is below 64: from and to differ
		off := r.grow(ends, start, uint8(shift), nb, c.i, c.j, limit, budget, &crowds)
		r.e[c.p] = childFlag | uint32(shift)<<(offsetBits+5) | uint32(k)<<offsetBits | off
	}
	return r
}

// grow appends a node over nb buckets of 2^shift keys from the key start,
// holding candidates [first, last], and queues its buckets of more than
// limit candidates whose children fit the budget left. It returns
// the position of bucket 0.
func (r *radix[K]) grow(ends []K, start K, shift uint8, nb int, first, last, limit uint32, budget int, crowds *crowdHeap[K]) uint32 {
	if len(r.e) > 0 { // not the root
		r.e = append(r.e, first)
	}
	off := uint32(len(r.e))
	i := first
	for b := range nb {
		from := start + K(b)<<shift
		if from < start { // past the largest key (the last bucket of a span reaching it)
			i = last
		}
		for i < last && ends[i] < from {
			i++
		}
		r.e = append(r.e, i)
	}
	r.e = append(r.e, last)
	if shift == 0 || budget == 0 {
		return off
	}
	for b := range uint32(nb) {
		i, j := r.e[off+b], r.e[off+b+1]
		if j-i+1 <= limit || childEntries(j-i+1) > budget {
			continue // not crowded, or its child would not fit (the budget only shrinks)
		}
		from := start + K(b)<<shift
		to := from + (K(1)<<shift - 1)
		if to < from { // the last bucket of a span reaching the largest key
			to = ^K(0)
		}
		if from < start {
			continue // wholly past the largest key
		}
		crowds.push(crowd[K]{p: off + b, i: i, j: j, from: from, to: to})
	}
	return off
}

// childEntries returns the index entries of a child node for n
// candidates at most: two buckets a candidate, up to 2^childBits, plus
// its first and last.
func childEntries(n uint32) int { return 1<<min(bits.Len32(n)+1, childBits) + 2 }

// crowd is a bucket, at position p of the entries, holding candidates
// [i, j] over keys [from, to]: a candidate for a child node.
type crowd[K uint32 | uint64] struct {
	p, i, j  uint32
	from, to K
}

// crowdHeap is a max-heap of crowds by number of candidates (written out
// rather than container/heap, whose interface boxes every crowd pushed).
type crowdHeap[K uint32 | uint64] []crowd[K]

func (h crowdHeap[K]) less(a, b int) bool { return h[a].j-h[a].i > h[b].j-h[b].i }

func (h *crowdHeap[K]) push(c crowd[K]) {
	*h = append(*h, c)
	s := *h
	for x := len(s) - 1; x > 0; {
		p := (x - 1) / 2
		if !s.less(x, p) {
			break
		}
		s[x], s[p] = s[p], s[x]
		x = p
	}
}

func (h *crowdHeap[K]) pop() crowd[K] {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	s = s[:n]
	for x := 0; ; {
		l, m := 2*x+1, x
		if l < n && s.less(l, m) {
			m = l
		}
		if l+1 < n && s.less(l+1, m) {
			m = l + 1
		}
		if m == x {
			break
		}
		s[x], s[m] = s[m], s[x]
		x = m
	}
	*h = s
	return top
}
