package ipdb

import (
	"fmt"
	"math/rand/v2"
)

// syntheticSpans returns n sorted disjoint IPv4 ranges shaped like real
// lists: the space is cut into n equal slots; in each, nine ranges in ten
// are one aligned CIDR block of up to half the slot, the rest arbitrary
// start and end; one range in eight touches its predecessor.
func syntheticSpans(n int, seed uint64) [][2]uint32 {
	rng := rand.New(rand.NewPCG(seed, 0x1bd8))
	slot := uint64(1<<32) / uint64(n)
	out := make([][2]uint32, 0, n)
	for i := range n {
		base := uint64(i) * slot
		var lo, hi uint64
		if rng.IntN(10) < 9 {
			size := uint64(1) << rng.UintN(uint(bitsLen(slot/2)))
			lo = base + rng.Uint64N(slot/size)*size
			hi = lo + size - 1
			if hi >= base+slot {
				hi = base + slot - 1
			}
		} else {
			a, b := base+rng.Uint64N(slot), base+rng.Uint64N(slot)
			lo, hi = min(a, b), max(a, b)
		}
		if len(out) > 0 && rng.IntN(8) == 0 {
			lo = uint64(out[len(out)-1][1]) + 1
			hi = max(hi, lo)
		}
		out = append(out, [2]uint32{uint32(lo), uint32(hi)})
	}
	return out
}

func bitsLen(x uint64) int {
	n := 0
	for ; x > 1; x >>= 1 {
		n++
	}
	return max(n, 1)
}

func synthetic4(n int, seed uint64) *Table {
	var b Builder
	for i, s := range syntheticSpans(n, seed) {
		b.Add(Range{v4addr(s[0]), v4addr(s[1])}, Record{Owner: fmt.Sprint("owner", i/4%1000)})
	}
	t, err := b.Build()
	if err != nil {
		panic(err)
	}
	return t
}
