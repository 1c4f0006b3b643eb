package ipdb

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// withBlocks returns tab (built with the flat layout) laid out in blocks
// instead, and the flat original.
func withBlocks(tb testing.TB, tab *Table) *Table {
	tb.Helper()
	if tab.v4.blk != nil {
		tb.Fatal("table already in blocks")
	}
	var lo, hi, own []uint32
	tab.v4.each(func(l, h, o uint32) bool {
		lo, hi, own = append(lo, l), append(hi, h), append(own, o)
		return true
	})
	x, ok := buildBlocks(lo, hi, own)
	if !ok {
		tb.Fatal("buildBlocks refused the table")
	}
	return &Table{owners: tab.owners, v4: table4{blk: x}, v6: tab.v6}
}

// compareLayouts checks that two tables answer every probe alike
// (Lookup, LookupMatch, Contains, for the IPv4 address and its
// IPv4-mapped IPv6 form), and list and encode the same ranges.
func compareLayouts(tb testing.TB, flat, blk *Table, probes []uint32) {
	tb.Helper()
	for _, p := range probes {
		for _, ip := range []netip.Addr{v4addr(p), netip.AddrFrom16(v4addr(p).As16())} {
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

// edgeProbes returns the first and last addresses, every range's bounds
// and their neighbours, and random addresses in [base, base+width).
func edgeProbes(rng *rand.Rand, spans [][2]uint32, base, width uint32, n int) []uint32 {
	probes := []uint32{0, 1, ^uint32(0), ^uint32(0) - 1, base, base - 1, base + width - 1, base + width}
	for _, s := range spans {
		probes = append(probes, s[0], s[1], s[0]-1, s[1]+1)
	}
	for range n {
		probes = append(probes, base+rng.Uint32N(max(width, 1)), rng.Uint32())
	}
	return probes
}

func buildSpans(tb testing.TB, spans [][2]uint32, owners int) *Table {
	tb.Helper()
	var b Builder
	for j, s := range spans {
		b.Add(Range{v4addr(s[0]), v4addr(s[1])}, Record{Owner: string(rune('a' + j%owners))})
	}
	tab, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	return tab
}

// TestBlocksDifferential checks the block layout against the flat one on
// random tables: sparse and clustered, touching ranges, single
// addresses, spans at both ends of the address space and narrower than
// the bucket count (so that buckets are single keys).
func TestBlocksDifferential(t *testing.T) {
	layouts := []struct {
		name        string
		n           int
		base, width uint32
	}{
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
	}
	for i, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(i), 21))
			spans := randomRanges4(rng, l.n, l.base, l.width)
			flat := buildSpans(t, spans, 26)
			blk := withBlocks(t, flat)
			compareLayouts(t, flat, blk, edgeProbes(rng, spans, l.base, l.width, 3000))
		})
	}
}

// TestBlocksClustered mixes a sparse table with dense clusters, so that
// buckets hold several line cuts and off-grid cuts (the slow path).
func TestBlocksClustered(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 21))
	spans := randomRanges4(rng, 2000, 0, ^uint32(0))
	for _, c := range []uint32{1 << 28, 3 << 30} {
		spans = append(spans, randomRanges4(rng, 500, c, 1500)...)
	}
	flat := buildSpans(t, disjointSorted(spans), 26)
	blk := withBlocks(t, flat)
	slow := 0
	for _, e := range blk.v4.blk.idx {
		if e>>24 == blockSlow {
			slow++
		}
	}
	if slow == 0 {
		t.Fatal("no bucket takes the slow path; the test does not cover it")
	}
	compareLayouts(t, flat, blk, edgeProbes(rng, spans, 1<<28, 4000, 5000))
	compareLayouts(t, flat, blk, edgeProbes(rng, nil, 3<<30, 4000, 5000))
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
	sparse := randomRanges4(rng, blockMin+100, 0, ^uint32(0))
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

func TestBlocksNoAllocs(t *testing.T) {
	tab := synthetic4(blockMin*2, 1)
	if tab.v4.blk == nil {
		t.Fatal("synthetic table not in blocks")
	}
	ip := netip.MustParseAddr("100.1.2.3")
	if n := testing.AllocsPerRun(100, func() {
		tab.Lookup(ip)
		tab.LookupMatch(ip)
	}); n != 0 {
		t.Errorf("Lookup and LookupMatch allocate %v times, want 0", n)
	}
}

// FuzzBlocks decodes ranges from bytes (pairs of a gap and a length,
// tiny or large) and checks the block layout against the flat one.
func FuzzBlocks(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 0, 0, 0, 5, 7, 1, 1, 1, 1, 2, 2, 255, 255})
	f.Add(bytes.Repeat([]byte{1, 0}, 40))
	f.Add(bytes.Repeat([]byte{200, 3, 0, 0}, 30))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		var spans [][2]uint32
		var at uint64
		for i := 0; i+1 < len(data); i += 2 {
			gap, size := uint64(data[i]), uint64(data[i+1])
			if gap >= 128 {
				gap = (gap - 127) << 20
			}
			if size >= 128 {
				size = (size - 127) << 18
			}
			lo := at + gap
			hi := lo + size
			if len(spans) > 0 && gap == 0 {
				lo++ // touching the previous range
				hi++
			}
			if hi > 1<<32-1 {
				break
			}
			spans = append(spans, [2]uint32{uint32(lo), uint32(hi)})
			at = hi
		}
		if len(spans) == 0 {
			return
		}
		flat := buildSpans(t, spans, 3)
		blk := withBlocks(t, flat)
		rng := rand.New(rand.NewPCG(uint64(len(data)), 1))
		compareLayouts(t, flat, blk, edgeProbes(rng, spans, spans[0][0], spans[len(spans)-1][1]-spans[0][0]+1, 200))
	})
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
		spans = append(spans, randomRanges4(rng, n/clusters, base, 1<<20)...)
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
		blk := withBlocks(b, flat)
		x := blk.v4.blk
		slow := 0
		for _, e := range x.idx {
			if e>>24 == blockSlow {
				slow++
			}
		}
		b.Logf("clusters=%d: %d ranges, %d lines, %d buckets, %d slow; %.1f B/range; clustered %v", clusters, x.n, len(x.lines), x.nb, slow, float64(x.bytes())/float64(x.n), x.clustered())
		probes := probes4(spans, 1<<16)
		for _, tt := range []struct {
			name string
			t    *Table
		}{{"blocks", blk}, {"flat", flat}} {
			b.Run(fmt.Sprintf("clusters=%d/layout=%s", clusters, tt.name), func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					tt.t.Lookup(probes[i&(len(probes)-1)])
					i++
				}
			})
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
