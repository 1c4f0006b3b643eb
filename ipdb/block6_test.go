package ipdb

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
)

// TestBlocks6Chosen checks the automatic choice: a big /64-granular
// table uses blocks, one longer prefix or clustering keeps the flat
// layout; IPv4-mapped and IPv4 lookups are unaffected.
func TestBlocks6Chosen(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 66))
	spans := randomRanges[uint64](rng, blockMin+10, 0x2<<60, 1<<61)
	tab := buildSpans(t, spans, 26)
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
	compareLayouts(t, flat, tab, rng, edgeProbes(rng, spans[:500], 0x2<<60, 1<<61, 2000))
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
		cl = append(cl, randomRanges(rng, (blockMin+400)/4, (0x2<<60)+c<<56, 1<<20)...)
	}
	if tab := buildSpans(t, cl, 26); tab.v6.blk != nil {
		t.Error("clustered table in blocks")
	}
}

// BenchmarkLookup6Layouts compares the IPv6 block and flat layouts on
// 100,000 /64-granular ranges spread over 2000::/3, half the probes
// hits.
func BenchmarkLookup6Layouts(b *testing.B) {
	rng := rand.New(rand.NewPCG(10, 66))
	spans := randomRanges[uint64](rng, 100_000, 0x2<<60, 1<<61)
	blk := buildSpans(b, spans, 26)
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
		b.Run("layout="+tt.name, func(b *testing.B) { benchTable(b, tt.t, probes) })
	}
}
