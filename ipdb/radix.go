package ipdb

import (
	"cmp"
	"math/bits"
	"slices"
)

// Index shape. The root of a family's index has about 2 buckets per range
// (8 for a fine index), up to 2^rootBits, over the span of the data
// (2^(rootBits+1), all the budget, for more than 2^bigBits ranges); a
// bucket holding more than crowded (fine: crowdedFine) candidates gets a child index over its own key range, as long as the
// family's budget of maxIndexEntries uint32 entries (256 KiB) lasts, the
// most crowded buckets first. Clustered data (IPv6 lists packed into a
// few /32s) thus gets fine buckets where the ranges are, and sparse data
// pays for nothing.
const (
	rootBits        = 15
	childBits       = 12
	crowded         = 8
	crowdedFine     = 2
	bigBits         = 17
	maxIndexEntries = 1 << 16
	childFlag       = 1 << 31
)

// radix maps a key (an IPv4 address, or the high 64 bits of an IPv6
// address) to a window of candidate ranges [i, j]: those ending at or after
// the start of the key's bucket, up to the first one ending in a later
// bucket. The answer, if any, is the last candidate starting at or before
// the key.
type radix[K uint32 | uint64] struct {
	root  node[K]   // inline: one dependent load less per lookup
	nodes []node[K] // nodes[0] is the root again; childFlag|n refers to nodes[n]
	spare []uint32  // during the build: room for small nodes' entries
}

// node is one level of the index over keys [base, base + len(idx)<<shift).
// idx[b] is the first candidate of bucket b, or childFlag|n when bucket b
// has a child node n.
type node[K uint32 | uint64] struct {
	base        K
	shift       uint8
	first, last uint32 // candidates of the whole node
	idx         []uint32
}

// window returns the candidate window of key h, or ok false when h lies
// outside the data's span. The root level is handled inline (most lookups
// end there); crowded buckets continue in descend.
func (r *radix[K]) window(h K) (i, j uint32, ok bool) {
	n := &r.root
	if h < n.base {
		return 0, 0, false
	}
	b := (h - n.base) >> n.shift
	if b >= K(len(n.idx)) {
		return 0, 0, false
	}
	e := n.idx[b]
	if e&childFlag != 0 {
		i, j = r.descend(e, h)
		return i, j, true
	}
	j = n.last
	if b+1 < K(len(n.idx)) {
		j = n.idx[b+1]
		if j&childFlag != 0 {
			j = r.nodes[j&^childFlag].first
		}
	}
	return e, j, true
}

// descend walks child nodes from the reference e down to the bucket of h.
func (r *radix[K]) descend(e uint32, h K) (i, j uint32) {
	for {
		n := &r.nodes[e&^childFlag]
		b := (h - n.base) >> n.shift
		e = n.idx[b]
		if e&childFlag != 0 {
			continue
		}
		j = n.last
		if b+1 < K(len(n.idx)) {
			j = n.idx[b+1]
			if j&childFlag != 0 {
				j = r.nodes[j&^childFlag].first
			}
		}
		return e, j
	}
}

// entries returns the number of index entries (4 bytes each).
func (r *radix[K]) entries() int {
	total := 0
	for _, n := range r.nodes {
		total += len(n.idx)
	}
	return total
}

// buildRadix indexes ranges whose (high) end keys are ends, sorted, over
// the span [lo, ends[len-1]]. A fine index (IPv4) spends more of the
// budget so that almost every window holds one or two candidates, which
// table4.find compares without a search loop.
func buildRadix[K uint32 | uint64](ends []K, lo K, fine bool) radix[K] {
	var r radix[K]
	n := len(ends)
	if n == 0 {
		return r
	}
	span := ends[n-1] - lo
	width := bits.Len64(uint64(span))
	extra, crowd := 1, uint32(crowded)
	if fine {
		extra, crowd = 3, crowdedFine
	}
	k := min(bits.Len(uint(n))+extra, rootBits, max(width, 1))
	if n > 1<<bigBits {
		// Huge tables are rarely all clustered: the finest root serves
		// them better than a few children.
		k = min(rootBits+1, max(width, 1))
	}
	shift := max(width-k, 0)
	nb := int(uint64(span)>>shift) + 1
	budget := maxIndexEntries - nb
	r.grow(ends, lo, uint8(shift), nb, 0, uint32(n-1), crowd, &budget)
	r.root = r.nodes[0] // nodes[0] stays as the root's (unused) twin
	r.spare = nil
	return r
}

// entrySlice returns n zeroed index entries, small nodes' entries carved
// from shared chunks: a fine index has a thousand tiny children, and one
// allocation each made decoding a table three times slower.
func (r *radix[K]) entrySlice(n int) []uint32 {
	const chunk = 4096
	if n >= chunk {
		return make([]uint32, n)
	}
	if cap(r.spare)-len(r.spare) < n {
		r.spare = make([]uint32, 0, chunk)
	}
	l := len(r.spare)
	r.spare = r.spare[:l+n]
	return r.spare[l : l+n : l+n]
}

// grow adds a node over nb buckets of 2^shift keys from base, holding
// candidates [first, last], then children for its buckets of more than
// limit candidates while
// the budget lasts. It returns the node's number.
func (r *radix[K]) grow(ends []K, base K, shift uint8, nb int, first, last, limit uint32, budget *int) uint32 {
	id := uint32(len(r.nodes))
	nd := node[K]{base: base, shift: shift, first: first, last: last, idx: r.entrySlice(nb)}
	i := first
	for b := range nb {
		start := base + K(b)<<shift
		if start < base { // past the largest key (the last bucket of a span reaching it)
			i = last
		}
		for i < last && ends[i] < start {
			i++
		}
		nd.idx[b] = i
	}
	r.nodes = append(r.nodes, nd)
	if shift == 0 {
		return id
	}
	type crowd struct {
		b    int
		size uint32
	}
	var crowds []crowd
	for b := range nb {
		j := last
		if b+1 < nb {
			j = nd.idx[b+1]
		}
		if size := j - nd.idx[b] + 1; size > limit {
			crowds = append(crowds, crowd{b, size})
		}
	}
	slices.SortFunc(crowds, func(x, y crowd) int { return cmp.Compare(y.size, x.size) })
	idx := nd.idx // children are attached after every window is read
	children := make([]uint32, 0, len(crowds))
	for _, c := range crowds {
		k := min(bits.Len32(c.size)+1, childBits, int(shift))
		if *budget < 1<<k {
			break
		}
		*budget -= 1 << k
		j := last
		if c.b+1 < nb {
			j = idx[c.b+1]
		}
		start := base + K(c.b)<<shift
		child := r.grow(ends, start, shift-uint8(k), 1<<k, idx[c.b], j, limit, budget)
		children = append(children, uint32(c.b), child)
	}
	for x := 0; x < len(children); x += 2 {
		idx[children[x]] = childFlag | children[x+1]
	}
	return id
}
