package ipdb

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
	"slices"
	"testing"
)

// FuzzIndex builds tables whose shape the fuzzer controls — how wide the
// gaps and ranges are, how tightly they cluster, where the span starts —
// and checks every lookup against a linear scan: the index's crowded
// buckets, masked child nodes and top-of-space buckets are where a wrong
// window would hide. Each 3-byte step of data adds one range: a gap and
// a length, scaled by 2^scale, skipped where it would leave the address
// space; IPv6 tables reuse the same steps scaled by 2^scale6 (small
// scales pack thousands of ranges into one /64).
func FuzzIndex(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 2, 1, 0, 0, 0, 5, 0, 0}, uint8(0), uint8(0), uint32(0))
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, uint8(8), uint8(3), uint32(1<<31))
	f.Add([]byte{255, 255, 255, 0, 0, 0, 1, 1, 1, 0, 0, 1}, uint8(20), uint8(40), ^uint32(0)-1000)
	// Thousands of ranges in a few crowded clusters: child nodes at
	// several depths in both families.
	many := make([]byte, 3*3000)
	for i := range many {
		many[i] = byte(i * 7 % 13)
		if i%300 == 0 {
			many[i] = 255
		}
	}
	f.Add(many, uint8(2), uint8(30), uint32(10<<24))
	clustered := make([]byte, 3*3000)
	for i := 0; i < len(clustered); i += 3 {
		clustered[i+1] = byte(1 + i%13)
		if i%300 == 0 {
			clustered[i] = 255 // a far jump: the next cluster
		}
	}
	f.Add(clustered, uint8(6), uint8(80), uint32(1<<24))
	f.Fuzz(func(t *testing.T, data []byte, scale, scale6 uint8, start uint32) {
		if len(data) > 3*4096 {
			return
		}
		sh4, sh6 := uint(scale%24), uint(scale6%128)
		var rows4 []row[u32]
		var rows6 []row[u128]
		var b Builder
		// IPv6 keys start past ::/64, so no row is an IPv4-mapped address.
		at4, at6, at6End := uint64(start), u128{uint64(start)<<32 + 1, 0}, false
		for i := 0; i+2 < len(data); i += 3 {
			gap, n := uint64(data[i]), uint64(binary.LittleEndian.Uint16(data[i+1:]))
			v := uint32(len(rows4) + len(rows6))
			rec := Record{Owner: string(rune('a' + v%26))}
			if lo, hi := at4+gap<<sh4, at4+gap<<sh4+n<<sh4>>8; hi <= 1<<32-1 {
				rows4 = append(rows4, row[u32]{lo: u32(lo), hi: u32(hi), val: v % 26})
				b.Add(Range{v4addr(uint32(lo)), v4addr(uint32(hi))}, rec)
				at4 = hi + 1
			}
			lo6, c1 := add128(at6, shl128(gap, sh6))
			hi6, c2 := add128(lo6, shl128(n, max(sh6, 8)-8))
			if c1|c2 == 0 && !at6End {
				rows6 = append(rows6, row[u128]{lo: lo6, hi: hi6, val: v % 26})
				b.Add(Range{lo6.addr(), hi6.addr()}, rec)
				at6, at6End = hi6.Next(), hi6 == u128{^uint64(0), ^uint64(0)}
			}
		}
		tab, err := b.Build()
		if err != nil {
			t.Fatalf("Build: %v", err)
		}
		var probes4 []uint32
		for _, r := range rows4 {
			probes4 = append(probes4, uint32(r.lo), uint32(r.hi), uint32(r.lo)-1, uint32(r.hi)+1, uint32(r.lo)+(uint32(r.hi)-uint32(r.lo))/2)
		}
		probes4 = append(probes4, 0, ^uint32(0), start)
		keys4 := make([]u32, len(probes4))
		for i, p := range probes4 {
			keys4[i] = u32(p)
		}
		checkSweep(t, tab, rows4, keys4, u32.Compare, func(k u32) netip.Addr { return v4addr(uint32(k)) })
		var probes6 []u128
		for _, r := range rows6 {
			probes6 = append(probes6, r.lo, r.hi, r.lo.Prev(), r.hi.Next(), u128{r.lo.hi, r.hi.lo}, u128{r.hi.hi, r.lo.lo})
		}
		checkSweep(t, tab, rows6, probes6, u128.Compare, addr6)
	})
}

// checkSweep checks lookups of probes against rows, which are sorted and
// disjoint by construction: it sorts the probes and walks both lists
// once, so that large fuzzed tables cost O((rows+probes) log probes)
// instead of a linear scan per probe (which made single inputs take
// seconds, and fuzz workers time out under load).
func checkSweep[K any](t *testing.T, tab *Table, rows []row[K], probes []K, cmp func(a, b K) int, addr func(K) netip.Addr) {
	t.Helper()
	for i := 1; i < len(rows); i++ {
		if cmp(rows[i].lo, rows[i-1].hi) <= 0 {
			t.Fatalf("rows %d and %d not sorted and disjoint", i-1, i)
		}
	}
	probes = slices.Clone(probes)
	slices.SortFunc(probes, cmp)
	j := 0
	for _, p := range probes {
		for j < len(rows) && cmp(rows[j].hi, p) < 0 {
			j++
		}
		wok := j < len(rows) && cmp(rows[j].lo, p) <= 0
		ip := addr(p)
		if ip.Is4In6() {
			continue
		}
		rec, ok := tab.Lookup(ip)
		if ok != wok || ok && rec.Owner != string(rune('a'+rows[j].val)) {
			want := uint32(0)
			if wok {
				want = rows[j].val
			}
			t.Fatalf("Lookup(%v) = %v, %v, want %c, %v", ip, rec, ok, 'a'+want, wok)
		}
	}
}

// shl128 returns x<<s as a 128-bit key (s < 128).
func shl128(x uint64, s uint) u128 {
	if s >= 64 {
		return u128{x << (s - 64), 0}
	}
	if s == 0 {
		return u128{0, x}
	}
	return u128{x >> (64 - s), x << s}
}

// add128 returns a+b and the carry out of the top bit.
func add128(a, b u128) (u128, uint64) {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, c := bits.Add64(a.hi, b.hi, c)
	return u128{hi, lo}, c
}
