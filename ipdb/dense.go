package ipdb

// Large IPv4 tables get a flat index of 16-bit entries instead of the
// radix: four times the radix root's buckets at these sizes in the same
// 256 KiB, so a bucket of a million-range table holds about 8 candidates
// where the radix root held 30 — a window of starts that fits one cache
// line instead of two or three. Buckets need not be a
// power of two: bucket b of key offset d is d*mult>>32, which is
// monotonic, so the window of b is, as in the radix, the ranges from the
// first one ending in bucket b or later to the first one ending after it.
// Entries count from a 32-bit base per block of 256 buckets; a table
// with 2^16 or more ranges ending in one block (clustered data) keeps the
// radix.
const (
	denseMin     = 1 << 16      // ranges from which a table tries the dense index
	denseBuckets = 1<<17 - 1024 // buckets: entries + block bases stay within 256 KiB
	denseBlock   = 8            // log2 of the buckets per block base
)

// dense is the flat 16-bit index of a large IPv4 table.
type dense struct {
	base uint32   // the first key of the span
	span uint32   // last key - base
	mult uint64   // bucket of offset d: d*mult >> 32
	blk  []uint32 // first candidate of every block of 256 buckets
	off  []uint16 // nb+1 entries: window start of bucket b is blk[b>>8] + off[b]
}

// buildDense returns the dense index of ranges starting at lo[0] with
// sorted ends, and false when a block would hold 2^16 or more of them.
func buildDense(first uint32, ends []uint32) (dense, bool) {
	n := len(ends)
	span := ends[n-1] - first
	nb := uint64(denseBuckets)
	if uint64(span)+1 < nb {
		nb = uint64(span) + 1
	}
	// mult = floor(nb * 2^32 / (span+1)) keeps every bucket below nb and
	// the product below 2^64.
	x := dense{base: first, span: span, mult: nb << 32 / (uint64(span) + 1)}
	e := make([]uint32, nb+1) // e[b]: first range whose end's bucket is >= b
	i := 0
	for b := range nb {
		for i < n && x.bucket(ends[i]-first) < uint32(b) {
			i++
		}
		e[b] = uint32(min(i, n-1)) // trailing buckets no key reaches
	}
	e[nb] = uint32(n - 1)
	x.blk = make([]uint32, (nb>>denseBlock)+1)
	x.off = make([]uint16, nb+1)
	for b, v := range e {
		k := b >> denseBlock
		if b&(1<<denseBlock-1) == 0 {
			x.blk[k] = v
		}
		d := v - x.blk[k]
		if d > 1<<16-1 {
			return dense{}, false
		}
		x.off[b] = uint16(d)
	}
	return x, true
}

// bucket returns the bucket of key offset d (d <= span).
func (x *dense) bucket(d uint32) uint32 { return uint32(uint64(d) * x.mult >> 32) }

// bytes returns the index size in bytes.
func (x *dense) bytes() int { return 2*len(x.off) + 4*len(x.blk) }
