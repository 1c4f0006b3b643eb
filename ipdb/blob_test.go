package ipdb

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"sync"
	"testing"
)

// TestDatacentersCurrent proves the embedded blob is what `go generate`
// makes of data/datacenters.csv today.
func TestDatacentersCurrent(t *testing.T) {
	checkBlob(t, loadDatacenters(t), datacentersBlob, datacentersRanges, "data/datacenters.bin")
}

func TestDatacenters(t *testing.T) {
	d := Datacenters()
	if d.Len() != 3429 {
		t.Errorf("Len() = %d, want 3429", d.Len())
	}
	tests := []struct{ ip, owner, url string }{
		{"3.0.0.0", "Amazon AWS", "http://www.amazon.com/aws/"},
		{"64.5.63.255", "ThePlanet.com Internet Services, Inc.", "http://theplanet.com"},
		{"::ffff:3.8.0.1", "Amazon AWS", "http://www.amazon.com/aws/"},
		{"8.8.8.8", "", ""},
	}
	for _, tt := range tests {
		rec, ok := d.Lookup(netip.MustParseAddr(tt.ip))
		if rec.Owner != tt.owner || rec.URL != tt.url || ok != (tt.owner != "") {
			t.Errorf("Lookup(%v) = %v, %v, want %q %q", tt.ip, rec, ok, tt.owner, tt.url)
		}
	}
	// Every row of the CSV resolves at both ends to its owner.
	f, err := os.Open("data/datacenters.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := Load(f, &LoadOptions{Category: CategoryDatacenter})
	if err != nil {
		t.Fatal(err)
	}
	for r, want := range src.All() {
		for _, ip := range []netip.Addr{r.From, r.To} {
			if got, ok := d.Lookup(ip); !ok || got != want {
				t.Fatalf("Lookup(%v) = %v, %v, want %v", ip, got, ok, want)
			}
		}
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	var b Builder
	b.Add(Range{netip.MustParseAddr("10.0.0.0"), netip.MustParseAddr("10.0.0.255")}, Record{Owner: "A", URL: "https://a.example", Category: CategoryCloud, Verdict: VerdictDeny})
	b.Add(Range{netip.MustParseAddr("2001:db8::"), netip.MustParseAddr("2001:db8::ffff")}, Record{Owner: "B", Category: CategoryCrawler, Verdict: VerdictAllow})
	b.AddPrefix(netip.MustParsePrefix("0.0.0.0/8"), Record{Owner: "zero"})
	b.AddPrefix(netip.MustParsePrefix("ffff::/16"), Record{Owner: "top"})
	tab, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	blob, err := tab.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(blob)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := got.MarshalBinary()
	if !bytes.Equal(blob, again) {
		t.Fatal("round trip changed the encoding")
	}
	for r, want := range tab.All() {
		if rec, ok := got.Lookup(r.To); !ok || rec != want {
			t.Errorf("Lookup(%v) = %v, %v, want %v", r.To, rec, ok, want)
		}
	}
	empty, err := (&Table{}).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if e, err := Decode(empty); err != nil || e.Len() != 0 {
		t.Errorf("Decode(empty) = %v, %v", e, err)
	}
}

func TestDecodeCorrupt(t *testing.T) {
	blob := datacentersBlob
	// Every single-bit flip in the embedded blob is refused.
	buf := bytes.Clone(blob)
	for i := 0; i < len(buf); i += 7 {
		for bit := range 8 {
			buf[i] ^= 1 << bit
			if _, err := Decode(buf); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("byte %d bit %d flipped: Decode error = %v, want ErrCorrupt", i, bit, err)
			}
			buf[i] ^= 1 << bit
		}
	}
	for _, n := range []int{0, 3, blobHeader, len(blob) - 1} {
		if _, err := Decode(blob[:n]); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Decode(first %d bytes) error = %v, want ErrCorrupt", n, err)
		}
	}
	if _, err := Decode(append(bytes.Clone(blob), 0)); !errors.Is(err, ErrCorrupt) {
		t.Errorf("Decode(blob+1 byte) error = %v, want ErrCorrupt", err)
	}
}

func TestLookupNoAllocs(t *testing.T) {
	d := Datacenters()
	var b Builder
	b.AddPrefix(netip.MustParsePrefix("2001:db8::/32"), Record{Owner: "doc"})
	v6, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	ips := []netip.Addr{
		netip.MustParseAddr("3.0.0.1"), netip.MustParseAddr("8.8.8.8"),
		netip.MustParseAddr("::ffff:3.0.0.1"), netip.MustParseAddr("2001:db8::1"),
	}
	var sink Record
	allocs := testing.AllocsPerRun(1000, func() {
		for _, ip := range ips {
			r, _ := d.Lookup(ip)
			r6, _ := v6.Lookup(ip)
			sink.Owner = r.Owner + r6.Owner[:0]
		}
	})
	if allocs != 0 {
		t.Errorf("Lookup allocates %v times per run, want 0", allocs)
	}
	_ = sink
}

func TestLookupMatchNoAllocs(t *testing.T) {
	d := Datacenters()
	var b Builder
	b.AddPrefix(netip.MustParsePrefix("2001:db8::/32"), Record{Owner: "doc"})
	b.AddPrefix(netip.MustParsePrefix("10.0.0.0/8"), Record{Owner: "ten"})
	both, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	ips := []netip.Addr{
		netip.MustParseAddr("3.0.0.1"), netip.MustParseAddr("8.8.8.8"),
		netip.MustParseAddr("::ffff:10.1.2.3"), netip.MustParseAddr("2001:db8::1"),
		netip.MustParseAddr("2001:db8::1%eth0"), netip.MustParseAddr("2001:db9::1"),
	}
	hits := 0
	allocs := testing.AllocsPerRun(1000, func() {
		for _, ip := range ips {
			if _, ok := d.LookupMatch(ip); ok {
				hits++
			}
			if _, ok := both.LookupMatch(ip); ok {
				hits++
			}
		}
	})
	if allocs != 0 {
		t.Errorf("LookupMatch allocates %v times per run, want 0", allocs)
	}
	if hits == 0 {
		t.Error("LookupMatch found nothing; the probes should hit")
	}
}

func TestLayoutBudget(t *testing.T) {
	for _, n := range []int{3429, 100_000, 1_000_000} {
		if n > 100_000 && os.Getenv("CRAFTKIT_LONG") == "" {
			continue
		}
		tab := synthetic4(n, 1)
		if x := tab.v4.blk; x != nil {
			// Blocks: lines and index together within 14 bytes a range.
			perRange := float64(x.bytes()) / float64(x.n)
			if perRange > 14 {
				t.Errorf("n=%d: blocks take %.2f bytes per range, want <= 14", n, perRange)
			}
			t.Logf("n=%d: blocks, %.2f bytes/range (%.2f ranges a line)", n, perRange, float64(x.n)/float64(len(x.lines)))
			continue
		}
		v := &tab.v4
		perRange := float64(4*len(v.lo)+8*len(v.ho)) / float64(len(v.lo))
		index := 4*v.idx.entries() + v.big.bytes()
		if perRange > 12 || index > 256<<10 {
			t.Errorf("n=%d: %.1f bytes per range (want <= 12), index %d bytes (want <= 256 KiB)", n, perRange, index)
		}
		t.Logf("n=%d: %.1f bytes/range, index %d children (%d bytes)", n, perRange, v.idx.children(), index)
	}
}

func TestConcurrentLookup(t *testing.T) {
	d := Datacenters()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 2000 {
				ip := v4addr(uint32(i*2654435761 + g))
				r1, ok1 := d.Lookup(ip)
				r2, ok2 := d.Lookup(ip)
				if r1 != r2 || ok1 != ok2 {
					t.Errorf("Lookup(%v) not stable", ip)
					return
				}
			}
		})
	}
	wg.Wait()
}
