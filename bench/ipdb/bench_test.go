// Package ipdbbench compares ipdb's table with a naive sorted slice, the
// three-way search, gaissmai/bart, a MaxMind DB (mmdbwriter +
// maxminddb-golang/v2), netipx.IPSet and cidranger on the same ranges and
// the same probes, in one run.
//
//	IPBENCH_SIZES=3429,100000,1000000 flock /tmp/craftkit-bench.lock go test -run '^$' -bench . -count 5 ./ipdb/
//
// IPBENCH_SIZES lists the synthetic IPv4 sizes; the default, 3429, keeps
// `-benchtime 1x` smoke runs small (the full run builds peers of a million
// ranges: minutes and several GB). The 100K IPv6 set is built when 100000
// is listed. IPBENCH_PEERS=0 skips building the peers; IPBENCH_PEERS=bart,mmdb
// builds only those (ipdb, sort.Search and threeway always run).
package ipdbbench

import (
	"bytes"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gaissmai/bart"
	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
	"github.com/oschwald/maxminddb-golang/v2"
	"github.com/yl2chen/cidranger"
	"go4.org/netipx"

	"github.com/craftkit/craftkit/ipdb"
)

// impl is one implementation under test: build returns a lookup
// function (owner name or "") for the dataset, used to verify answers and
// in the timed loop. Every implementation pays the same indirect call.
type impl struct {
	name  string
	v6    bool // usable for IPv6 datasets
	build func(*dataset) (func(netip.Addr) (string, bool), error)
}

type naiveRow struct {
	r     ipdb.Range
	owner string
}

var impls = []impl{
	{"ipdb", true, func(d *dataset) (func(netip.Addr) (string, bool), error) {
		var b ipdb.Builder
		for i, r := range d.ranges {
			b.Add(r, ipdb.Record{Owner: d.names[d.owners[i]]})
		}
		t, err := b.Build()
		if err != nil {
			return nil, err
		}
		return func(ip netip.Addr) (string, bool) {
			r, ok := t.Lookup(ip)
			return r.Owner, ok
		}, nil
	}},
	{"sort.Search", true, func(d *dataset) (func(netip.Addr) (string, bool), error) {
		s := naiveRows(d)
		return func(ip netip.Addr) (string, bool) {
			i := sort.Search(len(s), func(i int) bool { return s[i].r.To.Compare(ip) >= 0 })
			if i < len(s) && s[i].r.From.Compare(ip) <= 0 {
				return s[i].owner, true
			}
			return "", false
		}, nil
	}},
	{"threeway", true, func(d *dataset) (func(netip.Addr) (string, bool), error) {
		s := naiveRows(d)
		return func(ip netip.Addr) (string, bool) {
			lo, hi := 0, len(s)
			for lo < hi {
				m := int(uint(lo+hi) >> 1)
				switch {
				case s[m].r.From.Compare(ip) > 0:
					hi = m
				case s[m].r.To.Compare(ip) < 0:
					lo = m + 1
				default:
					return s[m].owner, true
				}
			}
			return "", false
		}, nil
	}},
	{"bart", true, func(d *dataset) (func(netip.Addr) (string, bool), error) {
		t := new(bart.Table[int32])
		for i, p := range d.prefixes {
			t.Insert(p, int32(d.pfxOwner[i]))
		}
		names := d.names
		return func(ip netip.Addr) (string, bool) {
			v, ok := t.Lookup(ip)
			if !ok {
				return "", false
			}
			return names[v], true
		}, nil
	}},
	{"mmdb", false, func(d *dataset) (func(netip.Addr) (string, bool), error) {
		db, err := openMMDB(d)
		if err != nil {
			return nil, err
		}
		return func(ip netip.Addr) (string, bool) {
			var rec struct {
				Owner string `maxminddb:"owner"`
			}
			res := db.Lookup(ip)
			if !res.Found() {
				return "", false
			}
			if err := res.Decode(&rec); err != nil {
				panic(err)
			}
			return rec.Owner, true
		}, nil
	}},
	// mmdb-cached decodes each record once and keeps it by its offset in
	// the database, as applications with few distinct records do: what
	// is left is mmdb's tree walk plus a map lookup.
	{"mmdb-cached", false, func(d *dataset) (func(netip.Addr) (string, bool), error) {
		db, err := openMMDB(d)
		if err != nil {
			return nil, err
		}
		owners := make(map[uintptr]string)
		return func(ip netip.Addr) (string, bool) {
			res := db.Lookup(ip)
			if !res.Found() {
				return "", false
			}
			if o, ok := owners[res.Offset()]; ok {
				return o, true
			}
			var rec struct {
				Owner string `maxminddb:"owner"`
			}
			if err := res.Decode(&rec); err != nil {
				panic(err)
			}
			owners[res.Offset()] = rec.Owner
			return rec.Owner, true
		}, nil
	}},
	{"netipx.IPSet", true, func(d *dataset) (func(netip.Addr) (string, bool), error) {
		var b netipx.IPSetBuilder
		for _, r := range d.ranges {
			b.AddRange(netipx.IPRangeFrom(r.From, r.To))
		}
		s, err := b.IPSet()
		if err != nil {
			return nil, err
		}
		return func(ip netip.Addr) (string, bool) { return "", s.Contains(ip) }, nil // membership only
	}},
	{"cidranger", false, func(d *dataset) (func(netip.Addr) (string, bool), error) {
		r := cidranger.NewPCTrieRanger()
		for i, p := range d.prefixes {
			n := net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
			if err := r.Insert(ownedEntry{n, d.pfxOwner[i]}); err != nil {
				return nil, err
			}
		}
		names := d.names
		return func(ip netip.Addr) (string, bool) {
			es, err := r.ContainingNetworks(ip.AsSlice())
			if err != nil || len(es) == 0 {
				return "", false
			}
			return names[es[len(es)-1].(ownedEntry).owner], true
		}, nil
	}},
}

// openMMDB writes the dataset's prefixes as a MaxMind DB (once per
// dataset; mmdb and mmdb-cached share it) and opens it.
func openMMDB(d *dataset) (*maxminddb.Reader, error) {
	mmdbMu.Lock()
	defer mmdbMu.Unlock()
	if db, ok := mmdbs[d.name]; ok {
		return db, nil
	}
	w, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            "craftkit-bench",
		IPVersion:               4,
		RecordSize:              28,
		IncludeReservedNetworks: true,
	})
	if err != nil {
		return nil, err
	}
	vals := make([]mmdbtype.Map, len(d.names))
	for i, n := range d.names {
		vals[i] = mmdbtype.Map{"owner": mmdbtype.String(n)}
	}
	for i, p := range d.prefixes {
		if err := w.Insert(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}, vals[d.pfxOwner[i]]); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, err
	}
	db, err := maxminddb.OpenBytes(buf.Bytes())
	if err != nil {
		return nil, err
	}
	mmdbs[d.name] = db
	return db, nil
}

type ownedEntry struct {
	n     net.IPNet
	owner int
}

func (e ownedEntry) Network() net.IPNet { return e.n }

func naiveRows(d *dataset) []naiveRow {
	s := make([]naiveRow, len(d.ranges))
	for i, r := range d.ranges {
		s[i] = naiveRow{r, d.names[d.owners[i]]}
	}
	return s
}

// built is an implementation built on a dataset, with the heap it holds.
type built struct {
	lookup  func(netip.Addr) (string, bool)
	bytes   float64 // heap bytes per range
	skipped string
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*built{}
	sets    = map[string]*dataset{}

	mmdbMu sync.Mutex
	mmdbs  = map[string]*maxminddb.Reader{}
)

func datasets(tb testing.TB) []*dataset {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if len(sets) == 0 {
		sets["v4/ipcat"] = ipcat()
		for _, n := range sizes() {
			d := synthetic4(n)
			sets[d.name] = d
		}
		if p, err := providers6(); err == nil {
			sets[p.name] = p
		} else {
			tb.Logf("IPv6 provider lists unavailable: %v", err)
		}
		if slices.Contains(sizes(), 100_000) {
			d := synthetic6(100_000)
			sets[d.name] = d
		}
	}
	names := make([]string, 0, len(sets))
	for n := range sets {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return order(names[i]) < order(names[j]) })
	out := make([]*dataset, len(names))
	for i, n := range names {
		out[i] = sets[n]
	}
	return out
}

func order(name string) string {
	v, n, _ := strings.Cut(name, "/n=")
	if k, err := strconv.Atoi(n); err == nil {
		return fmt.Sprintf("%s/%09d", v, k)
	}
	return name
}

func sizes() []int {
	s := os.Getenv("IPBENCH_SIZES")
	if s == "" {
		return []int{3429}
	}
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		if n, err := strconv.Atoi(f); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// peerWanted reports whether IPBENCH_PEERS (unset: all; "0": none; else a
// comma-separated list of names such as "bart,mmdb") asks for peer name.
func peerWanted(name string) bool {
	s, ok := os.LookupEnv("IPBENCH_PEERS")
	if !ok || s == "" {
		return true
	}
	return slices.Contains(strings.Split(s, ","), name)
}

func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func build(tb testing.TB, im impl, d *dataset) *built {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	key := im.name + "@" + d.name
	if b, ok := cache[key]; ok {
		return b
	}
	b := &built{}
	switch {
	case im.name != "ipdb" && im.name != "sort.Search" && im.name != "threeway" && !peerWanted(strings.TrimSuffix(im.name, "-cached")):
		b.skipped = "IPBENCH_PEERS=" + os.Getenv("IPBENCH_PEERS")
	default:
		before := heap()
		f, err := im.build(d)
		if err != nil {
			tb.Fatalf("%s on %s: %v", im.name, d.name, err)
		}
		b.lookup = f
		b.bytes = float64(int64(heap())-int64(before)) / float64(len(d.ranges))
		verify(tb, im, d, f)
	}
	cache[key] = b
	return b
}

// verify checks an implementation against ipdb's answers on the probes.
func verify(tb testing.TB, im impl, d *dataset, f func(netip.Addr) (string, bool)) {
	s := naiveRows(d)
	for _, ip := range d.probes[:2048] {
		i := sort.Search(len(s), func(i int) bool { return s[i].r.To.Compare(ip) >= 0 })
		want, wok := "", i < len(s) && s[i].r.From.Compare(ip) <= 0
		if wok {
			want = s[i].owner
		}
		got, ok := f(ip)
		if ok != wok || im.name != "netipx.IPSet" && got != want {
			tb.Fatalf("%s on %s: lookup(%v) = %q, %v, want %q, %v", im.name, d.name, ip, got, ok, want, wok)
		}
	}
}

var sink int

func BenchmarkLookup(b *testing.B) {
	for _, d := range datasets(b) {
		for _, im := range impls {
			if !im.v6 && strings.HasPrefix(d.name, "v6") {
				continue
			}
			b.Run(d.name+"/impl="+im.name, func(b *testing.B) {
				bt := build(b, im, d)
				if bt.skipped != "" {
					b.Skip(bt.skipped)
				}
				probes := d.probes
				b.ReportAllocs()
				i, hits := 0, 0
				for b.Loop() {
					if _, ok := bt.lookup(probes[i&(len(probes)-1)]); ok {
						hits++
					}
					i++
				}
				sink += hits
				b.ReportMetric(bt.bytes, "B/range")
			})
		}
	}
}
