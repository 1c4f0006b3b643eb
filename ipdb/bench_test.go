package ipdb

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"sort"
	"testing"
)

// Baselines over the same ranges. The naive layout is what a first
// version holds: a slice of {Range, Record} searched with sort.Search or
// with the three-way search for disjoint intervals, comparing netip.Addr
// values. The packed layout (uint32 ends, owner index) isolates the cost
// of the search itself.
type naiveRow struct {
	r   Range
	rec Record
}

func searchNaiveAddr(s []naiveRow, ip netip.Addr) (Record, bool) {
	i := sort.Search(len(s), func(i int) bool { return s[i].r.To.Compare(ip) >= 0 })
	if i < len(s) && s[i].r.From.Compare(ip) <= 0 {
		return s[i].rec, true
	}
	return Record{}, false
}

func searchThreeWayAddr(s []naiveRow, ip netip.Addr) (Record, bool) {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch {
		case s[m].r.From.Compare(ip) > 0:
			hi = m
		case s[m].r.To.Compare(ip) < 0:
			lo = m + 1
		default:
			return s[m].rec, true
		}
	}
	return Record{}, false
}

type span4 struct {
	lo, hi uint32
	owner  uint32
}

func searchNaive(s []span4, ip uint32) (uint32, bool) {
	i := sort.Search(len(s), func(i int) bool { return s[i].hi >= ip })
	if i < len(s) && s[i].lo <= ip {
		return s[i].owner, true
	}
	return 0, false
}

func searchThreeWay(s []span4, ip uint32) (uint32, bool) {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch {
		case s[m].lo > ip:
			hi = m
		case s[m].hi < ip:
			lo = m + 1
		default:
			return s[m].owner, true
		}
	}
	return 0, false
}

// probes4 returns addresses for lookups: half inside random ranges, half
// uniformly random (mostly misses in sparse tables).
func probes4(spans [][2]uint32, n int) []netip.Addr {
	rng := rand.New(rand.NewPCG(7, 7))
	out := make([]netip.Addr, n)
	for i := range out {
		if i%2 == 0 {
			s := spans[rng.IntN(len(spans))]
			out[i] = v4addr(s[0] + uint32(rng.Uint64N(uint64(s[1]-s[0])+1)))
		} else {
			out[i] = v4addr(rng.Uint32())
		}
	}
	return out
}

var benchSizes = []int{3429, 100_000, 1_000_000}

// lookupImpl is one implementation BenchmarkLookup4 times: whether an
// address is in some range.
type lookupImpl struct {
	name   string
	lookup func(netip.Addr) bool
}

func BenchmarkLookup4(b *testing.B) {
	for _, n := range benchSizes {
		spans := syntheticSpans(n, 1)
		tab := synthetic4(n, 1)
		packed := make([]span4, len(spans))
		naive := make([]naiveRow, len(spans))
		for i, s := range spans {
			packed[i] = span4{s[0], s[1], uint32(i % 1000)}
			naive[i] = naiveRow{Range{v4addr(s[0]), v4addr(s[1])}, Record{Owner: fmt.Sprint("owner", i/4%1000)}}
		}
		probes := probes4(spans, 1<<16)
		impls := []lookupImpl{{"table", func(ip netip.Addr) bool { _, ok := tab.Lookup(ip); return ok }}}
		if tab.v4.blk != nil {
			flat := flatLayout(tab)
			impls = append(impls, lookupImpl{"table-flat", func(ip netip.Addr) bool { _, ok := flat.Lookup(ip); return ok }})
		}
		impls = append(impls, []lookupImpl{
			{"table-match", func(ip netip.Addr) bool { _, ok := tab.LookupMatch(ip); return ok }},
			{"sort.Search", func(ip netip.Addr) bool { _, ok := searchNaiveAddr(naive, ip); return ok }},
			{"threeway", func(ip netip.Addr) bool { _, ok := searchThreeWayAddr(naive, ip); return ok }},
			{"sort.Search-packed", func(ip netip.Addr) bool { _, ok := searchNaive(packed, v4key(ip)); return ok }},
			{"threeway-packed", func(ip netip.Addr) bool { _, ok := searchThreeWay(packed, v4key(ip)); return ok }},
		}...)
		for _, impl := range impls {
			b.Run(fmt.Sprintf("n=%d/impl=%s", n, impl.name), func(b *testing.B) { benchLookups(b, probes, impl.lookup) })
		}
	}
}

// BenchmarkBuild measures validating and indexing sorted ranges (the
// Builder's work after Add): the build-time figure.
func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes {
		spans := syntheticSpans(n, 1)
		ranges := make([]Range, len(spans))
		recs := make([]Record, 1000)
		for i := range recs {
			recs[i] = Record{Owner: fmt.Sprint("owner", i)}
		}
		// Owners come in runs of four rows, as in real lists (ipcat: 3,429
		// rows, 757 owners; provider lists: one owner per file).
		for i, s := range spans {
			ranges[i] = Range{v4addr(s[0]), v4addr(s[1])}
		}
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var bl Builder
				bl.Grow(len(ranges))
				for i, r := range ranges {
					bl.Add(r, recs[i/4%len(recs)])
				}
				if _, err := bl.Build(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDatacenters(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Datacenters()
	}
}

func BenchmarkLoadCSV(b *testing.B) {
	data := datacentersCSV(b)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Load(bytesReader(data), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// benchLookups times lookup over probes (a power of two of them), every
// implementation alike through one indirect call.
func benchLookups(b *testing.B, probes []netip.Addr, lookup func(netip.Addr) bool) {
	b.ReportAllocs()
	i, hits := 0, 0
	for b.Loop() {
		if lookup(probes[i&(len(probes)-1)]) {
			hits++
		}
		i++
	}
}

// benchTable times tab.Lookup over probes (a power of two of them),
// called directly.
func benchTable(b *testing.B, tab *Table, probes []netip.Addr) {
	b.ReportAllocs()
	i, hits := 0, 0
	for b.Loop() {
		if _, ok := tab.Lookup(probes[i&(len(probes)-1)]); ok {
			hits++
		}
		i++
	}
}

func BenchmarkLookupMatchProviders6(b *testing.B) {
	tab, err := loadProviders("ipv6_merged.txt")
	if err != nil {
		b.Skip(err)
	}
	var probes []netip.Addr
	for r := range tab.All() {
		probes = append(probes, r.From, r.To, r.To.Next())
	}
	b.ReportAllocs()
	i, hits := 0, 0
	for b.Loop() {
		if _, ok := tab.LookupMatch(probes[i%len(probes)]); ok {
			hits++
		}
		i++
	}
}

func BenchmarkLookupDatacenters(b *testing.B) {
	tab := Datacenters()
	var spans [][2]uint32
	for r := range tab.All() {
		spans = append(spans, [2]uint32{v4key(r.From), v4key(r.To)})
	}
	benchTable(b, tab, probes4(spans, 1<<16))
}

func BenchmarkLookupProviders6(b *testing.B) {
	tab, err := loadProviders("ipv6_merged.txt")
	if err != nil {
		b.Skip(err)
	}
	rng := rand.New(rand.NewPCG(7, 10))
	var rs []Range
	for r := range tab.All() {
		rs = append(rs, r)
	}
	probes := make([]netip.Addr, 1<<16)
	for i := range probes {
		r := rs[rng.IntN(len(rs))]
		lo, hi := v6key(r.From), v6key(r.To)
		if i%2 == 1 { // near the data: anywhere in the same /32
			lo.hi &^= 1<<32 - 1
			hi = u128{lo.hi | (1<<32 - 1), ^uint64(0)}
		}
		k := lo
		if d := hi.hi - lo.hi; d > 0 {
			k = u128{lo.hi + rng.Uint64N(d), rng.Uint64()}
		} else if w := hi.lo - lo.lo; w == ^uint64(0) {
			k.lo = rng.Uint64()
		} else {
			k.lo += rng.Uint64N(w + 1)
		}
		probes[i] = k.addr()
	}
	benchTable(b, tab, probes)
}

func BenchmarkRobots(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Robots()
	}
}
