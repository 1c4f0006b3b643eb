package ipdb_test

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing/fstest"
	"time"

	"github.com/craftkit/craftkit/ipdb"
)

func ExampleDatacenters() {
	dc := ipdb.Datacenters()
	for _, s := range []string{"64.5.32.1", "::ffff:3.0.0.9", "192.0.2.1"} {
		if rec, ok := dc.Lookup(netip.MustParseAddr(s)); ok {
			fmt.Printf("%s: %s (%s)\n", s, rec.Owner, rec.URL)
		} else {
			fmt.Printf("%s: not a datacenter\n", s)
		}
	}
	// Output:
	// 64.5.32.1: ThePlanet.com Internet Services, Inc. (http://theplanet.com)
	// ::ffff:3.0.0.9: Amazon AWS (http://www.amazon.com/aws/)
	// 192.0.2.1: not a datacenter
}

func ExampleLoad() {
	const csv = `192.0.2.0,192.0.2.255,"Example Hosting, Inc.",https://hosting.example
198.51.100.0,198.51.100.127,Example Cloud,https://cloud.example
2001:db8::,2001:db8:0:ffff:ffff:ffff:ffff:ffff,Example Cloud,https://cloud.example
`
	t, err := ipdb.Load(strings.NewReader(csv), nil)
	if err != nil {
		panic(err)
	}
	for _, s := range []string{"192.0.2.10", "198.51.100.200", "2001:db8::1"} {
		rec, ok := t.Lookup(netip.MustParseAddr(s))
		fmt.Println(s, rec.Owner, ok)
	}
	// Output:
	// 192.0.2.10 Example Hosting, Inc. true
	// 198.51.100.200  false
	// 2001:db8::1 Example Cloud true
}

func ExampleLoad_errors() {
	const csv = `10.0.0.0,10.0.0.255,A,
10.0.0.128,10.0.1.255,B,
10.0.3.0,10.0.2.0,C,
10.0.4.0,not-an-ip,D,
`
	_, err := ipdb.Load(strings.NewReader(csv), &ipdb.LoadOptions{Source: "dc.csv"})
	fmt.Println(err)
	var pe *ipdb.ParseError
	if errors.As(err, &pe) {
		fmt.Println("first problem on line", pe.Line, errors.Is(pe, ipdb.ErrOverlap))
	}
	// Output:
	// ipdb: dc.csv line 2: "10.0.0.128-10.0.1.255": overlapping ranges: overlaps dc.csv line 1 "10.0.0.0-10.0.0.255"
	// ipdb: dc.csv line 3: "10.0.3.0,10.0.2.0,C,": start after end
	// ipdb: dc.csv line 4: "10.0.4.0,not-an-ip,D,": invalid range: ParseAddr("not-an-ip"): unable to parse IP
	// first problem on line 2 true
}

func ExampleBuilder_ReadPrefixes() {
	// Cloud-provider lists nest: a crawler's block lies inside its
	// company's block. Innermost flattening gives each address the owner of
	// the smallest range holding it.
	b := ipdb.Builder{Innermost: true}
	_ = b.ReadPrefixes(strings.NewReader("10.0.0.0/8\n2001:db8::/32\n"), "example.txt", ipdb.Record{Owner: "example"})
	_ = b.ReadPrefixes(strings.NewReader("10.9.0.0/16\n"), "examplebot.txt", ipdb.Record{Owner: "examplebot"})
	t, err := b.Build()
	if err != nil {
		panic(err)
	}
	for r, rec := range t.All() {
		fmt.Println(r, rec.Owner)
	}
	// Output:
	// 10.0.0.0-10.8.255.255 example
	// 10.9.0.0-10.9.255.255 examplebot
	// 10.10.0.0-10.255.255.255 example
	// 2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff example
}

func ExampleTable_Lookup() {
	var b ipdb.Builder
	b.AddPrefix(netip.MustParsePrefix("203.0.113.0/24"), ipdb.Record{Owner: "Example Net"})
	t, err := b.Build()
	if err != nil {
		panic(err)
	}
	rec, ok := t.Lookup(netip.MustParseAddr("203.0.113.77"))
	fmt.Println(rec.Owner, ok)
	_, ok = t.Lookup(netip.MustParseAddr("203.0.114.0"))
	fmt.Println(ok)
	// Output:
	// Example Net true
	// false
}

func ExampleLoad_integerBounds() {
	// IPv4 bounds as 32-bit integers and owners as URLs, as some lists write them.
	f := strings.NewReader("34603008,35127295,http://www.akamai.com/\n")
	t, err := ipdb.Load(f, &ipdb.LoadOptions{IntegerBounds: true, OwnerURL: true})
	if err != nil {
		panic(err)
	}
	m, ok := t.LookupMatch(netip.MustParseAddr("2.20.1.1"))
	fmt.Println(m.Range, m.Record.Owner, m.Record.URL, ok)

	_, err = ipdb.Load(strings.NewReader("4294967296,4294967296,x\n"), nil)
	fmt.Println(err)
	// Output:
	// 2.16.0.0-2.23.255.255 akamai.com http://www.akamai.com/ true
	// ipdb: line 1: "4294967296,4294967296,x": column 1: invalid range: integer address 4294967296 out of range 0..4294967295
}

func ExampleTable_LookupMatch() {
	var b ipdb.Builder
	b.AddPrefix(netip.MustParsePrefix("203.0.113.0/24"), ipdb.Record{Owner: "Example Net", URL: "https://example.com"})
	b.AddPrefix(netip.MustParsePrefix("2001:db8::/32"), ipdb.Record{Owner: "Doc Net", URL: "https://example.net"})
	t, err := b.Build()
	if err != nil {
		panic(err)
	}
	for _, s := range []string{"203.0.113.77", "::ffff:203.0.113.1", "2001:db8::1", "198.51.100.1"} {
		m, ok := t.LookupMatch(netip.MustParseAddr(s))
		if !ok {
			fmt.Println(s, "no match")
			continue
		}
		fmt.Println(s, "in", m.Range, m.Record.Owner, m.Record.URL)
	}
	// Output:
	// 203.0.113.77 in 203.0.113.0-203.0.113.255 Example Net https://example.com
	// ::ffff:203.0.113.1 in 203.0.113.0-203.0.113.255 Example Net https://example.com
	// 2001:db8::1 in 2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff Doc Net https://example.net
	// 198.51.100.1 no match
}

func ExampleTraffic_Count() {
	dc := ipdb.Datacenters()
	traffic, err := ipdb.NewTraffic(ipdb.TrafficConfig{Keys: 100, Hours: 24})
	if err != nil {
		panic(err)
	}
	// In a handler: count each request by owner at its own time.
	night := time.Date(2026, 12, 5, 3, 15, 0, 0, time.UTC)
	for i, ip := range []string{"64.5.32.1", "64.5.32.2", "192.0.2.1", "64.5.32.3"} {
		owner := "people" // not in the datacenter list
		if rec, ok := dc.Lookup(netip.MustParseAddr(ip)); ok {
			owner = rec.Owner
		}
		traffic.Count(owner, night.Add(time.Duration(i)*20*time.Minute))
	}
	h := traffic.Hourly(night.Add(time.Hour), 3) // 02:00, 03:00 and 04:00
	for k, key := range h.Keys {
		fmt.Println(key, h.Counts[k])
	}
	var svg strings.Builder
	if err := h.WriteSVG(&svg); err != nil { // serve with Content-Type image/svg+xml
		panic(err)
	}
	fmt.Println(strings.HasPrefix(svg.String(), "<svg"))
	// Output:
	// ThePlanet.com Internet Services, Inc. [0 2 1]
	// people [0 1 0]
	// true
}

func ExampleIntervalBuilder_Build() {
	// Any disjoint integer intervals: here HTTP status classes.
	var b ipdb.IntervalBuilder[int, string]
	b.Add(200, 299, "success")
	b.Add(400, 499, "client error")
	b.Add(500, 599, "server error")
	t, err := b.Build()
	if err != nil {
		panic(err)
	}
	for _, code := range []int{204, 302, 404} {
		class, ok := t.Find(code)
		fmt.Println(code, class, ok)
	}
	// Output:
	// 204 success true
	// 302  false
	// 404 client error true
}

func ExampleTimeBuilder_Build() {
	// Half-open time intervals: a shift ends exactly when the next begins.
	day := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	var b ipdb.TimeBuilder[string]
	b.Add(day.Add(6*time.Hour), day.Add(14*time.Hour), "early")
	b.Add(day.Add(14*time.Hour), day.Add(22*time.Hour), "late")
	t, err := b.Build()
	if err != nil {
		panic(err)
	}
	for _, h := range []int{5, 6, 13, 14, 22} {
		shift, ok := t.Find(day.Add(time.Duration(h) * time.Hour))
		fmt.Println(h, shift, ok)
	}
	// Output:
	// 5  false
	// 6 early true
	// 13 early true
	// 14 late true
	// 22  false
}

// Example_readme is the README's ipdb snippet, line for line (the file f
// is a string here, with one bad row).
func Example_readme() {
	dc := ipdb.Datacenters() // the embedded ipcat list, 3,429 ranges
	rec, ok := dc.Lookup(netip.MustParseAddr("64.5.32.1"))
	fmt.Println(rec.Owner, ok, dc.Len())

	f := strings.NewReader("10.0.0.0,10.0.0.255,A,\n10.0.1.0,10.0.0.9,B,\n")
	t, err := ipdb.Load(f, nil) // start,end,owner,URL CSV (IPv4 or IPv6); nil options = ipcat layout
	var pe *ipdb.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Line, err) // bad rows are named (the first 100, then a count): overlaps (both lines), start after end, bad addresses
	}
	fmt.Println(t == nil)
	// Output:
	// ThePlanet.com Internet Services, Inc. true 3429
	// 2 ipdb: line 2: "10.0.1.0,10.0.0.9,B,": start after end
	// true
}

func ExampleRobots() {
	robots := ipdb.Robots() // decode once, keep
	for _, s := range []string{"66.249.66.1", "3.5.140.1", "172.224.226.1", "127.0.0.1"} {
		rec, ok := robots.Lookup(netip.MustParseAddr(s))
		if !ok {
			fmt.Printf("%s: not a known network\n", s)
			continue
		}
		fmt.Printf("%s: %s, %v, %v\n", s, rec.Owner, rec.Category, rec.Verdict)
	}
	// Output:
	// 66.249.66.1: Googlebot, crawler, allow
	// 3.5.140.1: Amazon AWS, cloud, deny
	// 172.224.226.1: iCloud Private Relay, vpn, allow
	// 127.0.0.1: not a known network
}

func ExampleLoadOptions_categories() {
	// A crawler's published list: every row is a crawler to allow.
	// Columns may override the source's defaults row by row.
	const csv = "192.0.2.0/25,Examplebot,\n192.0.2.128/25,Examplebot staging,deny\n"
	t, err := ipdb.Load(strings.NewReader(csv), &ipdb.LoadOptions{
		Columns:  ipdb.Columns{Prefix: 1, Owner: 2, Verdict: 3},
		Category: ipdb.CategoryCrawler,
		Verdict:  ipdb.VerdictAllow,
	})
	if err != nil {
		panic(err)
	}
	for _, s := range []string{"192.0.2.1", "192.0.2.200"} {
		rec, _ := t.Lookup(netip.MustParseAddr(s))
		fmt.Println(s, rec.Owner, rec.Category, rec.Verdict)
	}
	// Output:
	// 192.0.2.1 Examplebot crawler allow
	// 192.0.2.200 Examplebot staging crawler deny
}

func ExampleRecord_Fingerprint() {
	// "Signed up from a cloud server of owner X" as a fingerprint that
	// a graph of accounts (fraudgraph's AddFingerprint(account, kind,
	// value)) links accounts by.
	robots := ipdb.Robots()
	rec, _ := robots.Lookup(netip.MustParseAddr("3.5.140.1"))
	kind, value, ok := rec.Fingerprint()
	fmt.Println(kind, value, ok)
	m, _ := robots.LookupMatch(netip.MustParseAddr("3.5.140.1"))
	kind, value, _ = m.Fingerprint()
	fmt.Println(kind, value)
	// Output:
	// ipdb-cloud Amazon AWS true
	// ipdb-cloud-range Amazon AWS 3.5.126.0-3.5.169.255
}

func ExampleTraffic_CountCategory() {
	robots := ipdb.Robots()
	tr, err := ipdb.NewTraffic(ipdb.TrafficConfig{Hours: 24})
	if err != nil {
		panic(err)
	}
	night := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	for _, s := range []string{"3.5.140.1", "3.5.140.2", "66.249.66.1"} {
		rec, _ := robots.Lookup(netip.MustParseAddr(s))
		tr.CountCategory(rec.Category, night)
	}
	h := tr.Hourly(night, 1)
	for k, key := range h.Keys {
		fmt.Println(key, h.Counts[k][0])
	}
	// h.WriteSVG(w) draws the hours, categories in fixed colours.
	// Output:
	// cloud 2
	// crawler 1
}

func ExampleBuilder_ReadLists() {
	// Published lists in the layout of github.com/lord-alfred/ipranges,
	// one directory per list, merged under an existing table of
	// datacenters; the innermost range wins.
	lists := fstest.MapFS{
		"examplecloud/ipv4_merged.txt": {Data: []byte("198.51.100.0/24\n")},
		"examplebot/ipv4_merged.txt":   {Data: []byte("198.51.100.64/26\n")},
		"examplebot/ipv6_merged.txt":   {Data: []byte("2001:db8:b07::/48\n")},
	}
	const sources = `list,owner,url,category,verdict
examplecloud,Example Cloud,https://cloud.example/,cloud,deny
examplebot,Examplebot,https://bot.example/,crawler,allow
`
	var dc ipdb.Builder
	dc.AddPrefix(netip.MustParsePrefix("198.51.0.0/16"), ipdb.Record{Owner: "Example Hosting"})
	hosting, _ := dc.Build()

	b := ipdb.Builder{Innermost: true}
	b.AddTable(hosting, ipdb.CategoryDatacenter, ipdb.VerdictDeny)
	if err := b.ReadLists(strings.NewReader(sources), lists); err != nil {
		panic(err)
	}
	t, err := b.Build()
	if err != nil {
		panic(err)
	}
	for _, s := range []string{"198.51.1.1", "198.51.100.1", "198.51.100.70", "2001:db8:b07::1"} {
		rec, _ := t.Lookup(netip.MustParseAddr(s))
		fmt.Println(s, rec.Owner, rec.Category, rec.Verdict)
	}
	// Output:
	// 198.51.1.1 Example Hosting datacenter deny
	// 198.51.100.1 Example Cloud cloud deny
	// 198.51.100.70 Examplebot crawler allow
	// 2001:db8:b07::1 Examplebot crawler allow
}
