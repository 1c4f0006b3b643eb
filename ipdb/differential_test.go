package ipdb

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"sort"
	"testing"
)

// linear is the reference: scan every range.
func linear[K any](rows []row[K], k K, cmp func(a, b K) int) (uint32, bool) {
	for _, r := range rows {
		if cmp(r.lo, k) <= 0 && cmp(k, r.hi) <= 0 {
			return r.val, true
		}
	}
	return 0, false
}

// linearRow is the reference for LookupMatch: the first row holding k.
func linearRow[K any](rows []row[K], k K, cmp func(a, b K) int) (row[K], bool) {
	for _, r := range rows {
		if cmp(r.lo, k) <= 0 && cmp(k, r.hi) <= 0 {
			return r, true
		}
	}
	return row[K]{}, false
}

// checkLookups compares tab.Lookup and tab.LookupMatch on every probe
// with a linear scan of rows, whose owners are named 'a'+val; what
// prefixes a failure. IPv6 probes that are IPv4-mapped are skipped:
// Lookup reads them as IPv4.
func checkLookups[K any](t testing.TB, what string, tab *Table, rows []row[K], probes []K, cmp func(a, b K) int, addr func(K) netip.Addr) {
	t.Helper()
	for _, p := range probes {
		ip := addr(p)
		if ip.Is4In6() {
			continue
		}
		want, wok := linearRow(rows, p, cmp)
		rec, ok := tab.Lookup(ip)
		if ok != wok || ok && rec.Owner != string(rune('a'+want.val)) {
			t.Fatalf("%sLookup(%v) = %v, %v, want %c, %v", what, ip, rec, ok, 'a'+want.val, wok)
		}
		m, ok := tab.LookupMatch(ip)
		wantM := Match{}
		if wok {
			wantM = Match{Range{addr(want.lo), addr(want.hi)}, rec}
		}
		if ok != wok || m != wantM {
			t.Fatalf("%sLookupMatch(%v) = %v, %v, want %v, %v", what, ip, m, ok, wantM, wok)
		}
	}
}

func addr6(k u128) netip.Addr { return k.addr() }

// checkLookups4 is checkLookups for IPv4 probes.
func checkLookups4(t testing.TB, tab *Table, rows []row[u32], probes []uint32) {
	t.Helper()
	keys := make([]u32, len(probes))
	for i, p := range probes {
		keys[i] = u32(p)
	}
	checkLookups(t, "", tab, rows, keys, u32.Compare, func(k u32) netip.Addr { return v4addr(uint32(k)) })
}

// uniqueKeys6 returns n distinct keys from draw, sorted.
func uniqueKeys6(n int, draw func() u128) []u128 {
	var keys []u128
	seen := make(map[u128]bool)
	for len(keys) < n {
		if k := draw(); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, u128.Compare)
	return keys
}

// build6 builds the table of IPv6 rows, owners named 'a'+val.
func build6(t testing.TB, rows []row[u128]) *Table {
	t.Helper()
	var b Builder
	for _, r := range rows {
		b.Add(Range{r.lo.addr(), r.hi.addr()}, Record{Owner: string(rune('a' + r.val))})
	}
	tab, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestDifferential4(t *testing.T) {
	if testing.Short() {
		t.Skip("random model test")
	}
	layouts := []struct {
		name        string
		n           int
		base, width uint32
	}{
		{"dense", 50, 0, 200},
		{"low", 300, 0, 5000},
		{"high", 300, ^uint32(0) - 4999, 5000},
		{"wide", 2000, 0, ^uint32(0)},
		{"one", 1, 1 << 31, 10},
		{"many", 3000, 1 << 20, 1 << 26},
		{"cluster", 3000, 1 << 20, 1 << 14},
		{"big", 70000, 0, ^uint32(0)}, // the dense index
	}
	for i, l := range layouts {
		t.Run(l.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(i), 4))
			spans := randomRanges(rng, l.n, l.base, l.width)
			var b Builder
			var rows []row[u32]
			for j := range spans {
				k := rng.IntN(len(spans)) // add shuffled: the builder sorts
				spans[j], spans[k] = spans[k], spans[j]
			}
			for j, s := range spans {
				rec := Record{Owner: string(rune('a' + j%26))}
				b.Add(Range{v4addr(s[0]), v4addr(s[1])}, rec)
				rows = append(rows, row[u32]{lo: u32(s[0]), hi: u32(s[1]), val: uint32(j % 26)})
			}
			tab, err := b.Build()
			if err != nil {
				t.Fatal(err)
			}
			probes := []uint32{0, ^uint32(0), l.base, l.base + l.width - 1}
			for _, s := range spans { // boundaries of every range
				probes = append(probes, s[0], s[1], s[0]-1, s[1]+1)
			}
			for range 5000 {
				probes = append(probes, l.base+rng.Uint32N(l.width), rng.Uint32())
			}
			ref := func(p uint32) (uint32, bool) { return linear(rows, u32(p), u32.Compare) }
			if len(rows) > 5000 { // sort.Search over a sorted copy, still independent of the table
				sorted := slices.Clone(rows)
				slices.SortFunc(sorted, func(a, b row[u32]) int { return a.lo.Compare(b.lo) })
				ref = func(p uint32) (uint32, bool) {
					i := sort.Search(len(sorted), func(i int) bool { return uint32(sorted[i].hi) >= p })
					if i < len(sorted) && uint32(sorted[i].lo) <= p {
						return sorted[i].val, true
					}
					return 0, false
				}
			}
			ends := make(map[uint32]uint32, len(spans)) // start -> end: the ranges are disjoint
			for _, s := range spans {
				ends[s[0]] = s[1]
			}
			check := func(index string) {
				for _, p := range probes {
					want, wok := ref(p)
					ip := v4addr(p)
					rec, ok := tab.Lookup(ip)
					if ok != wok || ok && rec.Owner != string(rune('a'+want)) {
						t.Fatalf("%s index: Lookup(%v) = %v, %v, want %c, %v", index, ip, rec, ok, 'a'+want, wok)
					}
					m, ok := tab.LookupMatch(ip)
					if ok != wok || m.Record != rec {
						t.Fatalf("%s index: LookupMatch(%v) = %v, %v, want record %v, %v", index, ip, m, ok, rec, wok)
					}
					if !ok {
						continue
					}
					if end, in := ends[v4key(m.Range.From)]; !in || v4key(m.Range.To) != end || !m.Range.Contains(ip) {
						t.Fatalf("%s index: LookupMatch(%v).Range = %v, not an input range holding it", index, ip, m.Range)
					}
				}
			}
			check("built")
			if tab.v4.blk != nil { // the flat layout too (with its dense index)
				tab = flatLayout(tab)
				check("flat")
			}
			if tab.v4.big.off == nil {
				// The dense index of large tables, forced on this one:
				// spans narrower than its bucket count, the top of the
				// address space, clusters, single addresses.
				ends := make([]uint32, len(tab.v4.ho))
				for j, ho := range tab.v4.ho {
					ends[j] = uint32(ho >> 32)
				}
				big, ok := buildDense(tab.v4.lo[0], ends)
				if !ok {
					t.Fatal("buildDense refused a small table")
				}
				tab.v4.big, tab.v4.idx = big, radix[uint32]{}
				check("dense")
			}
		})
	}
}

// TestIndexTopOfSpace crowds ranges into the last bucket of a span that
// reaches the largest address, so child buckets would start past it.
func TestIndexTopOfSpace(t *testing.T) {
	var b Builder
	b.Add(Range{v4addr(1_000_000), v4addr(1_000_000)}, Record{Owner: "low"})
	var rows []row[u32]
	rows = append(rows, row[u32]{lo: 1_000_000, hi: 1_000_000, val: 0})
	for i := range uint32(500) {
		lo := ^uint32(0) - 4999 + 10*i
		b.Add(Range{v4addr(lo), v4addr(lo + 4)}, Record{Owner: "top"})
		rows = append(rows, row[u32]{lo: u32(lo), hi: u32(lo + 4), val: 1})
	}
	tab, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if tab.v4.idx.children() == 0 {
		t.Fatal("no child index built")
	}
	for p := ^uint32(0) - 6000; ; p++ {
		_, want := linear(rows, u32(p), u32.Compare)
		if _, ok := tab.Lookup(v4addr(p)); ok != want {
			t.Fatalf("Lookup(%v) = %v, want %v", v4addr(p), ok, want)
		}
		if p == ^uint32(0) {
			break
		}
	}
}

// TestIndexTopOfSpace6 does the same for IPv6 (keys of the index are the
// high 64 bits), with random low starts and crowd sizes.
func TestIndexTopOfSpace6(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 66))
		var b Builder
		var rows []row[u128]
		low := u128{rng.Uint64N(1 << 40), 0}
		b.Add(Range{low.addr(), low.addr()}, Record{Owner: "a"})
		rows = append(rows, row[u128]{lo: low, hi: low, val: 0})
		n := 20 + rng.IntN(400)
		step := uint64(1) << rng.UintN(20)
		for i := range uint64(n) {
			lo := u128{^uint64(0) - uint64(n)*step + i*step, 0}
			hi := u128{lo.hi + step/2, ^uint64(0)}
			b.Add(Range{lo.addr(), hi.addr()}, Record{Owner: "b"})
			rows = append(rows, row[u128]{lo: lo, hi: hi, val: 1})
		}
		tab, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		probes := []u128{{^uint64(0), ^uint64(0)}}
		for _, r := range rows {
			probes = append(probes, r.lo, r.hi, r.lo.Prev(), r.hi.Next())
		}
		for range 2000 {
			probes = append(probes, u128{^uint64(0) - rng.Uint64N(uint64(n+1)*step), rng.Uint64()})
		}
		for _, p := range probes {
			_, want := linear(rows, p, u128.Compare)
			if _, ok := tab.Lookup(p.addr()); ok != want && !p.addr().Is4In6() {
				t.Fatalf("seed %d: Lookup(%v) = %v, want %v", seed, p.addr(), ok, want)
			}
		}
	}
}

func TestDifferential6(t *testing.T) {
	if testing.Short() {
		t.Skip("random model test")
	}
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 6))
		// Clustered data: a few /32-ish clusters, dense inside, like real lists.
		clusters := []uint64{0x2001_0db8 << 32, 0x2600_1f00 << 32, 0x2a03_2880 << 32, ^uint64(0) - 10}
		n := 50 + rng.IntN(1500)
		keys := uniqueKeys6(2*n, func() u128 {
			c := clusters[rng.IntN(len(clusters))]
			k := u128{c + rng.Uint64N(1<<uint(8+rng.IntN(30))), rng.Uint64()}
			if seed%2 == 0 {
				k.lo &^= 1<<uint(rng.IntN(64)) - 1 // aligned, many equal low halves
			}
			return k
		})
		var rows []row[u128]
		for i := 0; i+1 < len(keys); i += 2 {
			lo, hi := keys[i], keys[i+1]
			if rng.IntN(4) == 0 {
				hi = lo
			}
			rows = append(rows, row[u128]{lo: lo, hi: hi, val: uint32(len(rows) % 26)})
		}
		tab := build6(t, rows)
		var probes []u128
		for _, r := range rows {
			probes = append(probes, r.lo, r.hi, r.lo.Prev(), r.hi.Next())
		}
		for range 5000 {
			c := clusters[rng.IntN(len(clusters))]
			probes = append(probes, u128{c + rng.Uint64N(1<<38), rng.Uint64()}, u128{rng.Uint64(), rng.Uint64()})
		}
		checkLookups(t, fmt.Sprintf("seed %d: ", seed), tab, rows, probes, u128.Compare, addr6)
	}
}

// TestDifferentialInnermost checks flattening against the definition,
// exhaustively over 8-bit keys: each key takes the value of the smallest
// interval containing it, the later of equal ones; crossing is refused.
func TestDifferentialInnermost(t *testing.T) {
	if testing.Short() {
		t.Skip("random model test")
	}
	for seed := range uint64(500) {
		rng := rand.New(rand.NewPCG(seed, 8))
		var ivs [][2]uint8
		for range 1 + rng.IntN(12) {
			a, c := uint8(rng.UintN(256)), uint8(rng.UintN(256))
			if seed%3 == 0 { // small intervals cluster near the top key
				a, c = 255-uint8(rng.UintN(8)), 255-uint8(rng.UintN(8))
			}
			ivs = append(ivs, [2]uint8{min(a, c), max(a, c)})
		}
		crossing := false
		for i, x := range ivs {
			for _, y := range ivs[:i] {
				if x[0] < y[0] && y[0] <= x[1] && x[1] < y[1] || y[0] < x[0] && x[0] <= y[1] && y[1] < x[1] {
					crossing = true
				}
			}
		}
		b := IntervalBuilder[uint8, int]{Innermost: true}
		for i, iv := range ivs {
			b.Add(iv[0], iv[1], i)
		}
		tab, err := b.Build()
		if crossing != (err != nil) {
			t.Fatalf("seed %d %v: crossing %v, Build error %v", seed, ivs, crossing, err)
		}
		if err != nil {
			continue
		}
		for k := range 256 {
			want, best := -1, 1000
			for i, iv := range ivs {
				if iv[0] <= uint8(k) && uint8(k) <= iv[1] && int(iv[1]-iv[0]) <= best {
					want, best = i, int(iv[1]-iv[0])
				}
			}
			got, ok := tab.Find(uint8(k))
			if !ok {
				got = -1
			}
			if got != want {
				t.Fatalf("seed %d %v: Find(%d) = %d, want %d", seed, ivs, k, got, want)
			}
		}
	}
}

func TestDifferentialOverlap(t *testing.T) {
	// Without Innermost, Build fails exactly when two intervals share a key.
	for seed := range uint64(500) {
		rng := rand.New(rand.NewPCG(seed, 9))
		var b IntervalBuilder[int16, int]
		var ivs [][2]int16
		for i := range 1 + rng.IntN(8) {
			a, c := int16(rng.IntN(200)-100), int16(rng.IntN(200)-100)
			ivs = append(ivs, [2]int16{min(a, c), max(a, c)})
			b.Add(min(a, c), max(a, c), i)
		}
		overlap := false
		for i, x := range ivs {
			for _, y := range ivs[:i] {
				if x[0] <= y[1] && y[0] <= x[1] {
					overlap = true
				}
			}
		}
		tab, err := b.Build()
		if overlap != (err != nil) {
			t.Fatalf("seed %d %v: overlap %v, Build error %v", seed, ivs, overlap, err)
		}
		if err == nil {
			for i, iv := range ivs {
				for _, k := range []int16{iv[0], iv[1]} {
					if v, ok := tab.Find(k); !ok || v != i {
						t.Fatalf("seed %d: Find(%d) = %d, %v, want %d", seed, k, v, ok, i)
					}
				}
			}
		}
	}
}

func TestRangeOfAndPrefixes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var a, c netip.Addr
		if rng.IntN(2) == 0 {
			x, y := rng.Uint32(), rng.Uint32()
			a, c = v4addr(min(x, y)), v4addr(max(x, y))
		} else {
			x, y := u128{0x2001_0db8_0000_0000 + rng.Uint64N(1<<20), rng.Uint64()}, u128{0x2001_0db8_0000_0000 + rng.Uint64N(1<<20), rng.Uint64()}
			if x.Compare(y) > 0 {
				x, y = y, x
			}
			a, c = x.addr(), y.addr()
		}
		r := Range{a, c}
		ps := r.AppendPrefixes(nil)
		if len(ps) == 0 || ps[0].Addr() != a || RangeOf(ps[len(ps)-1]).To != c {
			t.Fatalf("%v.AppendPrefixes = %v", r, ps)
		}
		for i := 1; i < len(ps); i++ {
			if RangeOf(ps[i-1]).To.Next() != ps[i].Addr() {
				t.Fatalf("%v.AppendPrefixes: gap between %v and %v", r, ps[i-1], ps[i])
			}
		}
	}
	all := Range{netip.MustParseAddr("0.0.0.0"), netip.MustParseAddr("255.255.255.255")}
	if got := all.AppendPrefixes(nil); len(got) != 1 || got[0].String() != "0.0.0.0/0" {
		t.Errorf("AppendPrefixes(all) = %v", got)
	}
	if got := RangeOf(netip.MustParsePrefix("::ffff:10.0.0.0/104")); got.String() != "10.0.0.0-10.255.255.255" {
		t.Errorf("RangeOf(mapped) = %v", got)
	}
	if got := RangeOf(netip.MustParsePrefix("::/0")); got.String() != "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" {
		t.Errorf("RangeOf(::/0) = %v", got)
	}
}

// TestDifferential6SameHigh packs thousands of ranges into one /64 (and
// its neighbours), so that lookups must tell ranges apart by the low 64
// bits: the path a search over the high halves alone gets wrong.
func TestDifferential6SameHigh(t *testing.T) {
	rng := rand.New(rand.NewPCG(64, 6))
	const base = uint64(0x2001_0db8) << 32
	keys := uniqueKeys6(6000, func() u128 { return u128{base + rng.Uint64N(3), rng.Uint64()} })
	var rows []row[u128]
	for i := 0; i+1 < len(keys); i += 2 {
		rows = append(rows, row[u128]{lo: keys[i], hi: keys[i+1], val: uint32(len(rows) % 26)})
	}
	tab := build6(t, rows)
	var probes []u128
	for _, r := range rows {
		probes = append(probes, r.lo, r.hi, r.lo.Prev(), r.hi.Next())
	}
	for range 5000 {
		probes = append(probes, u128{base - 1 + rng.Uint64N(5), rng.Uint64()})
	}
	for _, raw := range []bool{true, false} { // keys from the representation or from As16
		tab.v6.rawKeys = raw
		checkLookups(t, fmt.Sprintf("raw keys %v: ", raw), tab, rows, probes, u128.Compare, addr6)
	}
}

// TestDenseFallback: a large table whose ranges crowd one block of the
// dense index keeps the radix, and answers the same.
func TestDenseFallback(t *testing.T) {
	var rows []row[u32]
	for k := range uint32(70000) {
		rows = append(rows, row[u32]{lo: u32(2 * k), hi: u32(2 * k), val: k % 26})
	}
	rows = append(rows, row[u32]{lo: u32(^uint32(0)), hi: u32(^uint32(0)), val: 3})
	tab := newTableLayout(make([]Record, 26), rows, nil, false) // blocks would take it
	for j := range tab.owners {
		tab.owners[j] = Record{Owner: string(rune('a' + j))}
	}
	if tab.v4.big.off != nil || tab.v4.idx.entries() == 0 {
		t.Fatal("crowded table did not fall back to the radix index")
	}
	checkLookups4(t, tab, rows, []uint32{0, 1, 2, 777, 139998, 139999, 140000, 1 << 31, ^uint32(0) - 1, ^uint32(0)})
}
