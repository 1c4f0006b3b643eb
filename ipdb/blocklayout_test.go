package ipdb

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// layoutSpans returns about n sorted disjoint ranges in `clusters` equal
// groups of width keys each, spread evenly over [base, base+span): some
// single keys, some touching their predecessor. Seeded, so the same
// arguments give the same ranges on every run.
func layoutSpans(seed uint64, n int, base, span, width uint64, clusters int) [][2]uint64 {
	rng := rand.New(rand.NewPCG(seed, 0x1a70))
	step := span / uint64(clusters)
	pts := make([]uint64, 0, 2*n)
	for c := range uint64(clusters) {
		for range 2 * n / clusters {
			pts = append(pts, base+c*step+rng.Uint64N(width))
		}
	}
	slices.Sort(pts)
	pts = slices.Compact(pts)
	var out [][2]uint64
	for i := 0; i+1 < len(pts); i += 2 {
		lo, hi := pts[i], pts[i+1]
		switch rng.IntN(4) {
		case 0:
			hi = lo
		case 1:
			if len(out) > 0 && out[len(out)-1][1]+1 < lo {
				lo = out[len(out)-1][1] + 1
			}
		}
		out = append(out, [2]uint64{lo, hi})
	}
	return out
}

// splitSpans returns the starts and ends of spans as keys of type K.
func splitSpans[K blockKey](spans [][2]uint64) (lo, hi []K) {
	lo, hi = make([]K, len(spans)), make([]K, len(spans))
	for j, s := range spans {
		lo[j], hi[j] = K(s[0]), K(s[1])
	}
	return lo, hi
}

// describeLayout returns a line naming a block layout, its sizes and the
// digest of its geometry, index entries and lines.
func describeLayout[K blockKey](name string, x *blockIndex[K], lines any, nlines int) string {
	geom := []uint64{uint64(x.base), uint64(x.nb), uint64(x.shift), uint64(x.gshift), uint64(x.mask), uint64(x.n)}
	return fmt.Sprintf("%s ranges=%d lines=%d buckets=%d slow=%d clustered=%v sha256=%s",
		name, x.n, nlines, x.nb, slowBuckets(x.idx), x.clustered(nlines), layoutHash(geom, x.idx, lines))
}

// layoutHash returns a digest of everything a block layout holds: its
// geometry, index entries and lines, byte for byte.
func layoutHash(geom []uint64, idx []uint32, lines any) string {
	var b []byte
	var err error
	for _, v := range []any{geom, idx, lines} {
		if b, err = binary.Append(b, binary.LittleEndian, v); err != nil {
			panic(err)
		}
	}
	return fmt.Sprintf("%x", sha256.Sum256(b))
}

// slowBuckets returns the number of index entries that send lookups to
// slowLine.
func slowBuckets(idx []uint32) int {
	slow := 0
	for _, e := range idx {
		if e>>24 == blockSlow {
			slow++
		}
	}
	return slow
}

// TestBlockLayoutGolden pins the IPv4 and IPv6 block layouts built from
// fixed random tables (sparse, dense, clustered with slow buckets, at
// both ends of the key space) to testdata/blocks.golden: a change to the
// builders that moves a line cut, a range or an index entry fails here.
// Run with -update to rewrite the file after a deliberate change.
func TestBlockLayoutGolden(t *testing.T) {
	const top4 = 1 << 32
	cases := []struct {
		name              string
		v6                bool
		n                 int
		base, span, width uint64
		clusters          int
	}{
		{"one", false, 1, 1 << 31, 10, 10, 1},
		{"seven", false, 7, 0, 100, 100, 1},
		{"dense", false, 50, 0, 200, 200, 1},
		{"low", false, 300, 0, 5000, 5000, 1},
		{"high", false, 300, top4 - 5000, 5000, 5000, 1},
		{"wide", false, 2000, 0, top4, top4, 1},
		{"packed", false, 4000, 1 << 24, 8000, 8000, 1},
		{"top", false, 3000, top4 - 1<<20, 1 << 20, 1 << 20, 1},
		{"sparse", false, 100_000, 0, top4, top4, 1},
		{"clusters64", false, 200_000, 0, top4, 1 << 20, 64},
		{"clusters4", false, 70_000, 0, top4, 1 << 20, 4},
		{"mixed", false, 3000, 1 << 28, 1 << 30, 1500, 8},
		{"one", true, 1, 0x2001_0db8 << 32, 10, 10, 1},
		{"dense", true, 50, 0x2001_0db8 << 32, 200, 200, 1},
		{"low", true, 300, 0, 5000, 5000, 1},
		{"high", true, 300, ^uint64(0) - 4999, 5000, 5000, 1},
		{"wide", true, 3000, 0, 1 << 63, 1 << 63, 2},
		{"region", true, 100_000, 0x2 << 60, 1 << 61, 1 << 61, 1},
		{"clusters", true, 70_000, 0x2 << 60, 1 << 60, 1 << 20, 4},
		{"mixed", true, 3000, 0x2a00 << 48, 1 << 40, 1 << 14, 8},
	}
	var out bytes.Buffer
	for i, c := range cases {
		spans := layoutSpans(uint64(i), c.n, c.base, c.span, c.width, c.clusters)
		own := make([]uint32, len(spans))
		for j := range own {
			own[j] = uint32(j*7) % 1000
		}
		var line string
		if !c.v6 {
			lo, hi := splitSpans[uint32](spans)
			x, ok := buildBlocks(lo, hi, own)
			if !ok {
				t.Fatalf("v4 %s: buildBlocks refused the table", c.name)
			}
			line = describeLayout("v4 "+c.name, &x.blockIndex, x.lines, len(x.lines))
		} else {
			lo, hi := splitSpans[uint64](spans)
			x, ok := buildBlocks6(lo, hi, own)
			if !ok {
				t.Fatalf("v6 %s: buildBlocks6 refused the table", c.name)
			}
			line = describeLayout("v6 "+c.name, &x.blockIndex, x.lines, len(x.lines))
		}
		fmt.Fprintln(&out, line)
	}
	checkGolden(t, "testdata/blocks.golden", out.Bytes())
}
