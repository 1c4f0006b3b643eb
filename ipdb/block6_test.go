package ipdb

import (
	"bytes"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
)

// randomRanges64 returns about n sorted disjoint ranges of high halves in
// [base, base+width), some touching, some single /64s.
func randomRanges64(rng *rand.Rand, n int, base, width uint64) [][2]uint64 {
	pts := make(map[uint64]bool)
	for len(pts) < 2*n && uint64(len(pts)) < width {
		pts[base+rng.Uint64N(width)] = true
	}
	keys := make([]uint64, 0, len(pts))
	for k := range pts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out [][2]uint64
	for i := 0; i+1 < len(keys); i += 2 {
		lo, hi := keys[i], keys[i+1]
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

func buildSpans6(tb testing.TB, spans [][2]uint64, owners int) *Table {
	tb.Helper()
	var b Builder
	for j, s := range spans {
		b.Add(Range{u128{s[0], 0}.addr(), u128{s[1], ^uint64(0)}.addr()}, Record{Owner: string(rune('a' + j%owners))})
	}
	tab, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	return tab
}

// withBlocks6 returns tab's IPv6 ranges laid out in blocks.
func withBlocks6(tb testing.TB, tab *Table) *Table {
	tb.Helper()
	var lo, hi []uint64
	var own []uint32
	tab.v6.each(func(l, h u128, o uint32) bool {
		lo, hi, own = append(lo, l.hi), append(hi, h.hi), append(own, o)
		return true
	})
	x, ok := buildBlocks6(lo, hi, own)
	if !ok {
		tb.Fatal("buildBlocks6 refused the table")
	}
	return &Table{owners: tab.owners, v4: tab.v4, v6: table6{blk: x, rawKeys: rawKeysOK()}}
}

// compareLayouts6 checks that two tables answer alike for addresses in
// the /64s of probes (first, last and a random address of each).
func compareLayouts6(tb testing.TB, flat, blk *Table, rng *rand.Rand, probes []uint64) {
	tb.Helper()
	for _, p := range probes {
		for _, lo := range []uint64{0, ^uint64(0), rng.Uint64()} {
			ip := u128{p, lo}.addr()
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

func probes64(rng *rand.Rand, spans [][2]uint64, base, width uint64, n int) []uint64 {
	probes := []uint64{0, 1, ^uint64(0), base, base - 1, base + width - 1, base + width}
	for _, s := range spans {
		probes = append(probes, s[0], s[1], s[0]-1, s[1]+1)
	}
	for range n {
		probes = append(probes, base+rng.Uint64N(max(width, 1)), rng.Uint64())
	}
	return probes
}

// TestBlocks6Differential checks the IPv6 block layout against the flat
// one on random /64-granular tables: sparse, dense, at both ends of the
// address space.
func TestBlocks6Differential(t *testing.T) {
	layouts := []struct {
		name        string
		n           int
		base, width uint64
	}{
		{"one", 1, 0x2001_0db8 << 32, 10},
		{"dense", 50, 0x2001_0db8 << 32, 200},
		{"low", 300, 0, 5000},
		{"high", 300, ^uint64(0) - 4999, 5000},
		{"wide", 3000, 0, ^uint64(0)},
		{"region", 3000, 0x2 << 60, 1 << 61},
		{"cluster", 3000, 0x2a00 << 48, 1 << 14},
	}
	for i, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(i), 66))
			spans := randomRanges64(rng, l.n, l.base, l.width)
			flat := buildSpans6(t, spans, 26)
			if flat.v6.blk != nil {
				t.Fatal("small table in blocks")
			}
			blk := withBlocks6(t, flat)
			compareLayouts6(t, flat, blk, rng, probes64(rng, spans, l.base, l.width, 3000))
		})
	}
}

// TestBlocks6Chosen checks the automatic choice: a big /64-granular
// table uses blocks, one longer prefix or clustering keeps the flat
// layout; IPv4-mapped and IPv4 lookups are unaffected.
func TestBlocks6Chosen(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 66))
	spans := randomRanges64(rng, blockMin+10, 0x2<<60, 1<<61)
	tab := buildSpans6(t, spans, 26)
	if tab.v6.blk == nil {
		t.Fatal("big /64-granular table not in blocks")
	}
	var rows []row[u128]
	for j, s := range spans {
		rows = append(rows, row[u128]{lo: u128{s[0], 0}, hi: u128{s[1], ^uint64(0)}, val: uint32(j % 26)})
	}
	flat := newTableLayout(tab.owners, nil, slices.Clone(rows), false)
	if flat.v6.blk != nil {
		t.Fatal("flat layout in blocks")
	}
	compareLayouts6(t, flat, tab, rng, probes64(rng, spans[:500], 0x2<<60, 1<<61, 2000))
	if _, ok := tab.Lookup(netip.MustParseAddr("::ffff:1.2.3.4")); ok {
		t.Error("an IPv4-mapped address found in an IPv6-only table")
	}
	// One range shorter than a /64 keeps the flat layout.
	var b Builder
	for j, s := range spans {
		to := u128{s[1], ^uint64(0)}
		if j == 100 {
			to.lo = 5
		}
		b.Add(Range{u128{s[0], 0}.addr(), to.addr()}, Record{Owner: "x"})
	}
	mixed, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if mixed.v6.blk != nil {
		t.Error("a table with a range inside a /64 is in blocks")
	}
	// Clustered: ranges packed in four small blocks of a wide span.
	var cl [][2]uint64
	for c := range uint64(4) {
		cl = append(cl, randomRanges64(rng, (blockMin+400)/4, (0x2<<60)+c<<56, 1<<20)...)
	}
	if tab := buildSpans6(t, cl, 26); tab.v6.blk != nil {
		t.Error("clustered table in blocks")
	}
}

func TestBlocks6NoAllocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 66))
	tab := buildSpans6(t, randomRanges64(rng, blockMin+10, 0x2<<60, 1<<61), 26)
	if tab.v6.blk == nil {
		t.Fatal("not in blocks")
	}
	ip := netip.MustParseAddr("2400::1")
	if n := testing.AllocsPerRun(100, func() {
		tab.Lookup(ip)
		tab.LookupMatch(ip)
	}); n != 0 {
		t.Errorf("Lookup and LookupMatch allocate %v times, want 0", n)
	}
}

// FuzzBlocks6 decodes /64-granular ranges from bytes (gaps and lengths,
// tiny or large) and checks the IPv6 block layout against the flat one.
func FuzzBlocks6(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 0, 0, 0, 5, 7, 1, 1, 1, 1, 2, 2, 255, 255})
	f.Add(bytes.Repeat([]byte{1, 0}, 40))
	f.Add(bytes.Repeat([]byte{200, 3, 0, 0}, 30))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		var spans [][2]uint64
		at := uint64(0x2001) << 48
		for i := 0; i+1 < len(data); i += 2 {
			gap, size := uint64(data[i]), uint64(data[i+1])
			if gap >= 128 {
				gap = (gap - 127) << 40
			}
			if size >= 128 {
				size = (size - 127) << 36
			}
			lo := at + gap
			if len(spans) > 0 && gap == 0 {
				lo++
			}
			hi := lo + size
			if lo < at || hi < lo {
				break // past the top of the address space
			}
			spans = append(spans, [2]uint64{lo, hi})
			at = hi
		}
		if len(spans) == 0 {
			return
		}
		flat := buildSpans6(t, spans, 3)
		blk := withBlocks6(t, flat)
		rng := rand.New(rand.NewPCG(uint64(len(data)), 2))
		compareLayouts6(t, flat, blk, rng, probes64(rng, spans, spans[0][0], spans[len(spans)-1][1]-spans[0][0]+1, 200))
	})
}

// BenchmarkLookup6Layouts compares the IPv6 block and flat layouts on
// 100,000 /64-granular ranges spread over 2000::/3, half the probes
// hits.
func BenchmarkLookup6Layouts(b *testing.B) {
	rng := rand.New(rand.NewPCG(10, 66))
	spans := randomRanges64(rng, 100_000, 0x2<<60, 1<<61)
	blk := buildSpans6(b, spans, 26)
	var rows []row[u128]
	for j, s := range spans {
		rows = append(rows, row[u128]{lo: u128{s[0], 0}, hi: u128{s[1], ^uint64(0)}, val: uint32(j % 26)})
	}
	flat := newTableLayout(blk.owners, nil, rows, false)
	probes := make([]netip.Addr, 1<<16)
	for i := range probes {
		if i%2 == 0 {
			s := spans[rng.IntN(len(spans))]
			probes[i] = u128{s[0] + rng.Uint64N(s[1]-s[0]+1), rng.Uint64()}.addr()
		} else {
			probes[i] = u128{0x2<<60 + rng.Uint64N(1<<61), rng.Uint64()}.addr()
		}
	}
	b.Logf("blocks: %.1f B/range; flat: 40 B/range + index", float64(blk.v6.blk.bytes())/float64(blk.Len()))
	for _, tt := range []struct {
		name string
		t    *Table
	}{{"blocks", blk}, {"flat", flat}} {
		b.Run("layout="+tt.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				tt.t.Lookup(probes[i&(len(probes)-1)])
				i++
			}
		})
	}
}
