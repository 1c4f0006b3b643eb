package ipdb

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
)

// The helpers of the block tests are generic over the key of the
// layout: uint32 for IPv4, the high half (uint64) for /64-granular IPv6.

// is4 reports whether K is the IPv4 key.
func is4[K blockKey]() bool {
	var k K
	_, ok := any(k).(uint32)
	return ok
}

// randKey returns a random key below n, or any key for n = 0 (drawn
// with the generator's 32-bit methods for IPv4 keys).
func randKey[K blockKey](rng *rand.Rand, n K) K {
	if is4[K]() {
		if n == 0 {
			return K(rng.Uint32())
		}
		return K(rng.Uint32N(uint32(n)))
	}
	if n == 0 {
		return K(rng.Uint64())
	}
	return K(rng.Uint64N(uint64(n)))
}

// randomRanges returns about n sorted disjoint ranges drawn from keys in
// [base, base+width), with many touching pairs and single keys.
func randomRanges[K blockKey](rng *rand.Rand, n int, base, width K) [][2]K {
	pts := make(map[K]bool)
	for len(pts) < 2*n && uint64(len(pts)) < uint64(width) {
		pts[base+randKey(rng, width)] = true
	}
	keys := make([]K, 0, len(pts))
	for k := range pts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out [][2]K
	for i := 0; i+1 < len(keys); i += 2 {
		lo, hi := keys[i], keys[i+1]
		switch rng.IntN(4) {
		case 0:
			hi = lo // single key
		case 1:
			if len(out) > 0 && out[len(out)-1][1]+1 < lo {
				lo = out[len(out)-1][1] + 1 // touching the previous range
			}
		}
		out = append(out, [2]K{lo, hi})
	}
	return out
}

// spanRange returns the table range of a span of keys: IPv4 addresses,
// or whole /64s.
func spanRange[K blockKey](s [2]K) Range {
	if is4[K]() {
		return Range{v4addr(uint32(s[0])), v4addr(uint32(s[1]))}
	}
	return Range{u128{uint64(s[0]), 0}.addr(), u128{uint64(s[1]), ^uint64(0)}.addr()}
}

// keyAddrs returns the addresses a probe key stands for: the IPv4
// address and its IPv4-mapped IPv6 form, or the first, last and a random
// address of the /64.
func keyAddrs[K blockKey](rng *rand.Rand, k K) []netip.Addr {
	if is4[K]() {
		ip := v4addr(uint32(k))
		return []netip.Addr{ip, netip.AddrFrom16(ip.As16())}
	}
	return []netip.Addr{u128{uint64(k), 0}.addr(), u128{uint64(k), ^uint64(0)}.addr(), u128{uint64(k), rng.Uint64()}.addr()}
}

// buildSpans builds the table of spans, owners named 'a', 'b', ... in
// turn.
func buildSpans[K blockKey](tb testing.TB, spans [][2]K, owners int) *Table {
	tb.Helper()
	var b Builder
	for j, s := range spans {
		b.Add(spanRange(s), Record{Owner: string(rune('a' + j%owners))})
	}
	tab, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	return tab
}

// keyRanges returns the starts, ends and owner indexes of tab's ranges
// of family K (high halves for IPv6).
func keyRanges[K blockKey](tab *Table) (lo, hi []K, own []uint32) {
	add := func(l, h K, o uint32) bool {
		lo, hi, own = append(lo, l), append(hi, h), append(own, o)
		return true
	}
	if is4[K]() {
		tab.v4.each(func(l, h, o uint32) bool { return add(K(l), K(h), o) })
	} else {
		tab.v6.each(func(l, h u128, o uint32) bool { return add(K(l.hi), K(h.hi), o) })
	}
	return lo, hi, own
}

// withBlocks returns tab (built with the flat layout) with its ranges of
// family K laid out in blocks instead.
func withBlocks[K blockKey](tb testing.TB, tab *Table) *Table {
	tb.Helper()
	lo, hi, own := keyRanges[K](tab)
	out := &Table{owners: tab.owners, v4: tab.v4, v6: tab.v6}
	var ok bool
	switch lo := any(lo).(type) {
	case []uint32:
		if tab.v4.blk != nil {
			tb.Fatal("table already in blocks")
		}
		out.v4 = table4{}
		out.v4.blk, ok = buildBlocks(lo, any(hi).([]uint32), own)
	case []uint64:
		if tab.v6.blk != nil {
			tb.Fatal("table already in blocks")
		}
		out.v6 = table6{rawKeys: rawKeysOK()}
		out.v6.blk, ok = buildBlocks6(lo, any(hi).([]uint64), own)
	}
	if !ok {
		tb.Fatal("the block builder refused the table")
	}
	return out
}

// compareLayouts checks that two tables answer alike (Lookup,
// LookupMatch, Contains) for the addresses of every probe key (see
// keyAddrs), and list and encode the same ranges.
func compareLayouts[K blockKey](tb testing.TB, flat, blk *Table, rng *rand.Rand, probes []K) {
	tb.Helper()
	for _, p := range probes {
		for _, ip := range keyAddrs(rng, p) {
			r1, ok1 := flat.Lookup(ip)
			r2, ok2 := blk.Lookup(ip)
			if r1 != r2 || ok1 != ok2 {
				tb.Fatalf("Lookup(%v) = %v, %v in blocks, want %v, %v", ip, r2, ok2, r1, ok1)
			}
			m1, ok1 := flat.LookupMatch(ip)
			m2, ok2 := blk.LookupMatch(ip)
			if m1 != m2 || ok1 != ok2 {
				tb.Fatalf("LookupMatch(%v) = %v, %v in blocks, want %v, %v", ip, m2, ok2, m1, ok1)
			}
			if ok1 && !m2.Range.Contains(ip) {
				tb.Fatalf("LookupMatch(%v).Range = %v does not hold it", ip, m2.Range)
			}
			if c := blk.Contains(ip); c != ok1 {
				tb.Fatalf("Contains(%v) = %v in blocks, want %v", ip, c, ok1)
			}
		}
	}
	if flat.Len() != blk.Len() {
		tb.Fatalf("Len() = %d in blocks, want %d", blk.Len(), flat.Len())
	}
	b1, _ := flat.MarshalBinary()
	b2, _ := blk.MarshalBinary()
	if !bytes.Equal(b1, b2) {
		tb.Fatal("MarshalBinary differs between the layouts")
	}
}

// edgeProbes returns the first and last keys, every range's bounds and
// their neighbours, and random keys in [base, base+width) and anywhere.
func edgeProbes[K blockKey](rng *rand.Rand, spans [][2]K, base, width K, n int) []K {
	probes := []K{0, 1, ^K(0), ^K(0) - 1, base, base - 1, base + width - 1, base + width}
	for _, s := range spans {
		probes = append(probes, s[0], s[1], s[0]-1, s[1]+1)
	}
	for range n {
		probes = append(probes, base+randKey(rng, max(width, 1)), randKey[K](rng, 0))
	}
	return probes
}

// blockCase is a random table for the differential tests: about n
// ranges in [base, base+width).
type blockCase[K blockKey] struct {
	name        string
	n           int
	base, width K
}

// testBlocksDifferential checks the block layout of family K against
// the flat one on the random tables of cases.
func testBlocksDifferential[K blockKey](t *testing.T, seed uint64, cases []blockCase[K]) {
	for i, l := range cases {
		t.Run(l.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(i), seed))
			spans := randomRanges(rng, l.n, l.base, l.width)
			flat := buildSpans(t, spans, 26)
			blk := withBlocks[K](t, flat)
			compareLayouts(t, flat, blk, rng, edgeProbes(rng, spans, l.base, l.width, 3000))
		})
	}
}

// TestBlocksDifferential checks the block layouts against the flat ones
// on random tables: sparse and clustered, touching ranges, single keys,
// spans at both ends of the key space and narrower than the bucket
// count (so that buckets are single keys).
func TestBlocksDifferential(t *testing.T) {
	t.Run("v4", func(t *testing.T) {
		testBlocksDifferential(t, 21, []blockCase[uint32]{
			{"one", 1, 1 << 31, 10},
			{"seven", 7, 0, 100},
			{"dense", 50, 0, 200},
			{"low", 300, 0, 5000},
			{"high", 300, ^uint32(0) - 4999, 5000},
			{"wide", 2000, 0, ^uint32(0)},
			{"many", 3000, 1 << 20, 1 << 26},
			{"cluster", 3000, 1 << 20, 1 << 14},
			{"packed", 4000, 1 << 24, 8000},
			{"top", 3000, ^uint32(0) - 1<<20 + 1, 1 << 20},
		})
	})
	t.Run("v6", func(t *testing.T) {
		testBlocksDifferential(t, 66, []blockCase[uint64]{
			{"one", 1, 0x2001_0db8 << 32, 10},
			{"dense", 50, 0x2001_0db8 << 32, 200},
			{"low", 300, 0, 5000},
			{"high", 300, ^uint64(0) - 4999, 5000},
			{"wide", 3000, 0, ^uint64(0)},
			{"region", 3000, 0x2 << 60, 1 << 61},
			{"cluster", 3000, 0x2a00 << 48, 1 << 14},
		})
	})
}

// TestBlocksNoAllocs checks that lookups in either block layout do not
// allocate.
func TestBlocksNoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 66))
	v4 := synthetic4(blockMin*2, 1)
	v6 := buildSpans(t, randomRanges[uint64](rng, blockMin+10, 0x2<<60, 1<<61), 26)
	for _, tt := range []struct {
		name   string
		tab    *Table
		blocks bool
		ip     netip.Addr
	}{
		{"v4", v4, v4.v4.blk != nil, netip.MustParseAddr("100.1.2.3")},
		{"v6", v6, v6.v6.blk != nil, netip.MustParseAddr("2400::1")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.blocks {
				t.Fatal("table not in blocks")
			}
			if n := testing.AllocsPerRun(100, func() {
				tt.tab.Lookup(tt.ip)
				tt.tab.LookupMatch(tt.ip)
			}); n != 0 {
				t.Errorf("Lookup and LookupMatch allocate %v times, want 0", n)
			}
		})
	}
}

// fuzzBlocks is FuzzBlocks and FuzzBlocks6: it decodes ranges of keys
// from bytes, pairs of a gap and a length, tiny or (from 128 up) shifted
// left by gapShift and sizeShift, starting at key at, and checks the
// block layout against the flat one.
func fuzzBlocks[K blockKey](f *testing.F, at uint64, gapShift, sizeShift uint, seed uint64) {
	f.Add([]byte{0, 0, 1, 0, 0, 0, 0, 5, 7, 1, 1, 1, 1, 2, 2, 255, 255})
	f.Add(bytes.Repeat([]byte{1, 0}, 40))
	f.Add(bytes.Repeat([]byte{200, 3, 0, 0}, 30))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		var spans [][2]K
		at := at
		for i := 0; i+1 < len(data); i += 2 {
			gap, size := uint64(data[i]), uint64(data[i+1])
			if gap >= 128 {
				gap = (gap - 127) << gapShift
			}
			if size >= 128 {
				size = (size - 127) << sizeShift
			}
			lo := at + gap
			if len(spans) > 0 && gap == 0 {
				lo++ // touching the previous range
			}
			hi := lo + size
			if lo < at || hi < lo || hi > uint64(^K(0)) {
				break // past the top of the key space
			}
			spans = append(spans, [2]K{K(lo), K(hi)})
			at = hi
		}
		if len(spans) == 0 {
			return
		}
		flat := buildSpans(t, spans, 3)
		blk := withBlocks[K](t, flat)
		rng := rand.New(rand.NewPCG(uint64(len(data)), seed))
		compareLayouts(t, flat, blk, rng, edgeProbes(rng, spans, spans[0][0], spans[len(spans)-1][1]-spans[0][0]+1, 200))
	})
}

func FuzzBlocks(f *testing.F) { fuzzBlocks[uint32](f, 0, 20, 18, 1) }

func FuzzBlocks6(f *testing.F) { fuzzBlocks[uint64](f, 0x2001<<48, 40, 36, 2) }

// TestBlocksClustered mixes a sparse table with dense clusters, so that
// buckets hold several line cuts and off-grid cuts (the slow path).
func TestBlocksClustered(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 21))
	spans := randomRanges(rng, 2000, 0, ^uint32(0))
	for _, c := range []uint32{1 << 28, 3 << 30} {
		spans = append(spans, randomRanges(rng, 500, c, 1500)...)
	}
	flat := buildSpans(t, disjointSorted(spans), 26)
	blk := withBlocks[uint32](t, flat)
	if slowBuckets(blk.v4.blk.idx) == 0 {
		t.Fatal("no bucket takes the slow path; the test does not cover it")
	}
	compareLayouts(t, flat, blk, rng, edgeProbes(rng, spans, 1<<28, 4000, 5000))
	compareLayouts(t, flat, blk, rng, edgeProbes[uint32](rng, nil, 3<<30, 4000, 5000))
}

// disjointSorted drops spans overlapping an earlier one (after sorting).
func disjointSorted(spans [][2]uint32) [][2]uint32 {
	s := append([][2]uint32(nil), spans...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j][0] < s[j-1][0]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	var out [][2]uint32
	for _, r := range s {
		if len(out) == 0 || r[0] > out[len(out)-1][1] {
			out = append(out, r)
		}
	}
	return out
}

// TestBlocksChosen checks the automatic choice: big tables with few
// owners use blocks, small ones, clustered ones and ones with more than
// 2^16 owners keep the flat layout, and all answer like the reference.
func TestBlocksChosen(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 21))
	sparse := randomRanges(rng, blockMin+100, 0, ^uint32(0))
	for _, tt := range []struct {
		name   string
		n      int
		owners int
		blocks bool
		spans  [][2]uint32
	}{
		{"small", blockMin - 1, 26, false, sparse},
		{"big", blockMin + 100, 26, true, sparse},
		{"owners", blockMin + 100, 1 << 17, false, sparse},
		{"clustered", blockMin + 100, 26, false, clustered4(blockMin+200, 4, 2)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spans := tt.spans
			var b Builder
			var rows []row[u32]
			for j, s := range spans[:tt.n] {
				b.Add(Range{v4addr(s[0]), v4addr(s[1])}, Record{Owner: strconv.Itoa(j % tt.owners)})
				rows = append(rows, row[u32]{lo: u32(s[0]), hi: u32(s[1]), val: uint32(j % tt.owners)})
			}
			tab, err := b.Build()
			if err != nil {
				t.Fatal(err)
			}
			if got := tab.v4.blk != nil; got != tt.blocks {
				t.Fatalf("blocks = %v, want %v", got, tt.blocks)
			}
			for _, p := range edgeProbes(rng, spans[:tt.n:tt.n][:200], 0, ^uint32(0), 2000) {
				got, ok := tab.Lookup(v4addr(p))
				want, wok := searchRows(rows, p)
				if ok != wok || ok && got.Owner != strconv.Itoa(int(want)) {
					t.Fatalf("Lookup(%v) = %v, %v, want %d, %v", v4addr(p), got, ok, want, wok)
				}
			}
		})
	}
}

// searchRows finds the range holding p in sorted disjoint rows.
func searchRows(rows []row[u32], p uint32) (uint32, bool) {
	lo, hi := 0, len(rows)
	for lo < hi {
		m := (lo + hi) / 2
		if uint32(rows[m].hi) < p {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(rows) && uint32(rows[lo].lo) <= p {
		return rows[lo].val, true
	}
	return 0, false
}

// flatLayout returns tab laid out without blocks (the layout of small
// tables), for comparisons.
func flatLayout(tab *Table) *Table {
	var rows []row[u32]
	tab.v4.each(func(lo, hi, own uint32) bool {
		rows = append(rows, row[u32]{lo: u32(lo), hi: u32(hi), val: own})
		return true
	})
	t := newTableLayout(tab.owners, rows, nil, false)
	t.v6 = tab.v6
	return t
}

// clustered4 returns n random ranges packed into `clusters` blocks of
// 2^20 addresses each: lists dense in a few networks.
func clustered4(n, clusters int, seed uint64) [][2]uint32 {
	rng := rand.New(rand.NewPCG(seed, 9))
	var spans [][2]uint32
	for c := range clusters {
		base := uint32(c)<<26 + 1<<20
		spans = append(spans, randomRanges(rng, n/clusters, base, 1<<20)...)
	}
	return spans
}

// BenchmarkBlocksClustered compares the block and flat layouts on
// clustered data, where many buckets take the block index's slow path.
func BenchmarkBlocksClustered(b *testing.B) {
	for _, clusters := range []int{4, 64} {
		spans := clustered4(200_000, clusters, 1)
		var rows []row[u32]
		for i, s := range spans {
			rows = append(rows, row[u32]{lo: u32(s[0]), hi: u32(s[1]), val: uint32(i % 100)})
		}
		owners := make([]Record, 100)
		flat := newTableLayout(owners, slicesClone(rows), nil, false)
		blk := withBlocks[uint32](b, flat)
		x := blk.v4.blk
		b.Logf("clusters=%d: %d ranges, %d lines, %d buckets, %d slow; %.1f B/range; clustered %v", clusters, x.n, len(x.lines), x.nb, slowBuckets(x.idx), float64(x.bytes())/float64(x.n), x.clustered())
		probes := probes4(spans, 1<<16)
		for _, tt := range []struct {
			name string
			t    *Table
		}{{"blocks", blk}, {"flat", flat}} {
			b.Run(fmt.Sprintf("clusters=%d/layout=%s", clusters, tt.name), func(b *testing.B) { benchTable(b, tt.t, probes) })
		}
	}
}

func slicesClone[T any](s []T) []T { return append([]T(nil), s...) }

// TestHeapPerRange measures the whole heap a table holds after building
// (runtime.MemStats after GC, the garbage of building freed): at most 14
// bytes a range for the block layout at 100,000 and, with CRAFTKIT_LONG,
// a million IPv4 ranges.
func TestHeapPerRange(t *testing.T) {
	if testing.Short() {
		t.Skip("builds large tables")
	}
	sizes := []int{100_000}
	if os.Getenv("CRAFTKIT_LONG") != "" {
		sizes = append(sizes, 1_000_000)
	}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for _, n := range sizes {
		spans := syntheticSpans(n, 1)
		before := heap()
		tab := synthetic4(n, 1)
		perRange := float64(int64(heap())-int64(before)) / float64(n)
		if tab.v4.blk == nil {
			t.Fatalf("n=%d: not in blocks", n)
		}
		if perRange > 14 {
			t.Errorf("n=%d: %.2f bytes of heap a range after build, want <= 14", n, perRange)
		}
		t.Logf("n=%d: %.2f bytes of heap a range", n, perRange)
		runtime.KeepAlive(tab)
		runtime.KeepAlive(spans)
	}
}
