package ipdbbench

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"github.com/craftkit/craftkit/ipdb"
)

// dataset is one table's input, prepared once and shared by every
// implementation: disjoint ranges with owners (for interval tables), the
// CIDR list the tries insert (the ranges' exact covers, or the original
// nested lists, whose longest match is the innermost owner) and probes.
type dataset struct {
	name     string
	ranges   []ipdb.Range
	owners   []int // owner index of each range
	prefixes []netip.Prefix
	pfxOwner []int
	names    []string // owner names
	probes   []netip.Addr
	nested   bool // ranges come from flattening nested lists
}

// syntheticSpans4 returns n sorted disjoint IPv4 ranges shaped like real
// lists: the space is cut into n equal slots; in each, nine ranges in ten
// are one aligned CIDR block of up to half the slot, the rest arbitrary
// start and end; one range in eight touches its predecessor. (The same
// generator as ipdb's in-package benchmarks.)
func syntheticSpans4(n int, seed uint64) [][2]uint32 {
	rng := rand.New(rand.NewPCG(seed, 0x1bd8))
	slot := uint64(1<<32) / uint64(n)
	out := make([][2]uint32, 0, n)
	for i := range n {
		lo, hi := slotRange(rng, uint64(i)*slot, slot)
		if len(out) > 0 && rng.IntN(8) == 0 {
			lo = uint64(out[len(out)-1][1]) + 1
			hi = max(hi, lo)
		}
		out = append(out, [2]uint32{uint32(lo), uint32(hi)})
	}
	return out
}

// slotRange draws one range in the slot [base, base+slot): nine times in
// ten an aligned block of a random power-of-two size up to half the
// slot, otherwise between two random keys.
func slotRange(rng *rand.Rand, base, slot uint64) (lo, hi uint64) {
	if rng.IntN(10) < 9 {
		size := uint64(1) << rng.UintN(uint(log2(slot/2)))
		lo = base + rng.Uint64N(slot/size)*size
		return lo, min(lo+size-1, base+slot-1)
	}
	a, b := base+rng.Uint64N(slot), base+rng.Uint64N(slot)
	return min(a, b), max(a, b)
}

func log2(x uint64) int {
	n := 0
	for ; x > 1; x >>= 1 {
		n++
	}
	return max(n, 1)
}

func addr4(k uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(k >> 24), byte(k >> 16), byte(k >> 8), byte(k)})
}

func addr6(hi, lo uint64) netip.Addr {
	var b [16]byte
	for i := range 8 {
		b[i] = byte(hi >> (56 - 8*i))
		b[8+i] = byte(lo >> (56 - 8*i))
	}
	return netip.AddrFrom16(b)
}

func ownerNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("owner %d", i)
	}
	return names
}

// fromRanges fills prefixes (exact covers) and probes: half inside random
// ranges, half from miss(rng).
func (d *dataset) fromRanges(rng *rand.Rand, miss func(*rand.Rand) netip.Addr) *dataset {
	for i, r := range d.ranges {
		n := len(d.prefixes)
		d.prefixes = r.AppendPrefixes(d.prefixes)
		for range len(d.prefixes) - n {
			d.pfxOwner = append(d.pfxOwner, d.owners[i])
		}
	}
	d.probes = make([]netip.Addr, 1<<16)
	for i := range d.probes {
		if i%2 == 0 {
			d.probes[i] = inside(rng, d.ranges[rng.IntN(len(d.ranges))])
		} else {
			d.probes[i] = miss(rng)
		}
	}
	return d
}

// inside returns a random address of r.
func inside(rng *rand.Rand, r ipdb.Range) netip.Addr {
	ps := r.AppendPrefixes(nil)
	p := ps[rng.IntN(len(ps))]
	a := p.Addr().As16()
	host := p.Addr().BitLen() - p.Bits()
	off := 16 - p.Addr().BitLen()/8
	for i := len(a) - 1; i >= off && host > 0; i-- {
		bits := min(host, 8)
		a[i] |= byte(rng.UintN(1<<bits)) & byte(1<<bits-1)
		host -= bits
	}
	if p.Addr().Is4() {
		return netip.AddrFrom4([4]byte(a[12:]))
	}
	return netip.AddrFrom16(a)
}

func synthetic4(n int) *dataset {
	d := &dataset{name: fmt.Sprintf("v4/n=%d", n), names: ownerNames(1000)}
	for i, s := range syntheticSpans4(n, 1) {
		d.ranges = append(d.ranges, ipdb.Range{From: addr4(s[0]), To: addr4(s[1])})
		d.owners = append(d.owners, i/4%1000)
	}
	return d.fromRanges(rand.New(rand.NewPCG(7, 7)), func(rng *rand.Rand) netip.Addr { return addr4(rng.Uint32()) })
}

// ipcat is the real datacenter list embedded in ipdb (3,429 ranges).
func ipcat() *dataset {
	d := &dataset{name: "v4/ipcat"}
	ids := make(map[ipdb.Record]int)
	for r, rec := range ipdb.Datacenters().All() {
		id, ok := ids[rec]
		if !ok {
			id = len(d.names)
			ids[rec] = id
			d.names = append(d.names, rec.Owner)
		}
		d.ranges = append(d.ranges, r)
		d.owners = append(d.owners, id)
	}
	return d.fromRanges(rand.New(rand.NewPCG(7, 8)), func(rng *rand.Rand) netip.Addr { return addr4(rng.Uint32()) })
}

// synthetic6 returns n disjoint IPv6 ranges in 2000::/3 laid out like
// synthetic4 over the high 64 bits: nine in ten one aligned prefix of /67
// to /64-ish size classes, the rest spanning whole /64s.
func synthetic6(n int) *dataset {
	rng := rand.New(rand.NewPCG(6, 0x1bd8))
	d := &dataset{name: fmt.Sprintf("v6/n=%d", n), names: ownerNames(1000)}
	const region = uint64(0x2000) << 48
	slot := (uint64(1) << 61) / uint64(n)
	for i := range n {
		lo, hi := slotRange(rng, region+uint64(i)*slot, slot)
		d.ranges = append(d.ranges, ipdb.Range{From: addr6(lo, 0), To: addr6(hi, ^uint64(0))})
		d.owners = append(d.owners, i/4%1000)
	}
	return d.fromRanges(rand.New(rand.NewPCG(7, 9)), func(rng *rand.Rand) netip.Addr {
		return addr6(region+rng.Uint64N(1<<61), rng.Uint64())
	})
}

// providers6 is the real IPv6 cloud-provider list from ipdb/testdata:
// 14,356 nested CIDRs flattened to 9,411 disjoint segments. The tries get
// the original CIDRs (longest match = innermost owner).
func providers6() (*dataset, error) {
	dir := filepath.Join("..", "..", "ipdb", "testdata", "ipranges")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	d := &dataset{name: "v6/providers", nested: true}
	b := ipdb.Builder{Innermost: true}
	ids := make(map[string]int)
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name(), "ipv6_merged.txt"))
		if err != nil {
			continue
		}
		ids[e.Name()] = len(d.names)
		d.names = append(d.names, e.Name())
		if err := b.ReadPrefixes(f, e.Name(), ipdb.Record{Owner: e.Name()}); err != nil {
			return nil, err
		}
		f.Close()
	}
	t, err := b.Build()
	if err != nil {
		return nil, err
	}
	for r, rec := range t.All() {
		d.ranges = append(d.ranges, r)
		d.owners = append(d.owners, ids[rec.Owner])
	}
	rng := rand.New(rand.NewPCG(7, 10))
	d.probes = make([]netip.Addr, 1<<16)
	for i := range d.probes {
		r := d.ranges[rng.IntN(len(d.ranges))]
		if i%2 == 0 {
			d.probes[i] = inside(rng, r)
		} else { // a miss or hit near the data: same /32 as some range
			p := netip.PrefixFrom(r.From, 32).Masked()
			d.probes[i] = inside(rng, ipdb.RangeOf(p))
		}
	}
	// Original nested CIDRs for the tries, in file order (later files win ties, as in ipdb).
	for _, e := range entries {
		if _, ok := ids[e.Name()]; !ok {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name(), "ipv6_merged.txt"))
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Fields(string(data)) {
			p, err := netip.ParsePrefix(line)
			if err != nil {
				return nil, err
			}
			d.prefixes = append(d.prefixes, p.Masked())
			d.pfxOwner = append(d.pfxOwner, ids[e.Name()])
		}
	}
	return d, nil
}
