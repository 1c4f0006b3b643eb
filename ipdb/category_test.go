package ipdb

import (
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"
)

func TestParseCategory(t *testing.T) {
	tests := []struct {
		in   string
		want Category
		err  bool
	}{
		{"", CategoryUnknown, false},
		{"datacenter", CategoryDatacenter, false},
		{" Hosting ", CategoryDatacenter, false},
		{"Search Engine", CategoryCrawler, false},
		{"crawler", CategoryCrawler, false},
		{"rented cpu", CategoryCloud, false},
		{"cloud", CategoryCloud, false},
		{"Proxy", CategoryVPN, false},
		{"other", CategoryOther, false},
		{"robot army", CategoryUnknown, true},
	}
	for _, tt := range tests {
		got, err := ParseCategory(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("ParseCategory(%q) = %v, %v, want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
		if err != nil && !errors.Is(err, ErrField) {
			t.Errorf("ParseCategory(%q) error %v does not wrap ErrField", tt.in, err)
		}
		if err == nil && tt.in != "" {
			if back, _ := ParseCategory(got.String()); back != got {
				t.Errorf("ParseCategory(%q.String()) = %v", got, back)
			}
		}
	}
	if s := Category(200).String(); s != "category(200)" {
		t.Errorf("Category(200).String() = %q", s)
	}
}

func TestParseVerdict(t *testing.T) {
	tests := []struct {
		in   string
		want Verdict
		err  bool
	}{
		{"", VerdictUnknown, false},
		{"allow", VerdictAllow, false},
		{"DENY", VerdictDeny, false},
		{"block", VerdictDeny, false},
		{"good", VerdictAllow, false},
		{"maybe", VerdictUnknown, true},
	}
	for _, tt := range tests {
		got, err := ParseVerdict(tt.in)
		if got != tt.want || (err != nil) != tt.err {
			t.Errorf("ParseVerdict(%q) = %v, %v, want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
	if s := VerdictDeny.String(); s != "deny" {
		t.Errorf("VerdictDeny.String() = %q", s)
	}
}

// TestLoadCategories reads categories and verdicts from columns, with
// the source's defaults for empty fields, and refuses unknown values
// naming line and column.
func TestLoadCategories(t *testing.T) {
	in := "10.0.0.0,10.0.0.255,Search Co,crawler,allow\n" +
		"10.0.1.0,10.0.1.255,Cloud Co,,\n" +
		"10.0.2.0,10.0.2.255,VPN Co,vpn,\n"
	opts := &LoadOptions{
		Columns:  Columns{From: 1, To: 2, Owner: 3, Category: 4, Verdict: 5},
		Category: CategoryCloud, Verdict: VerdictDeny,
	}
	tab, err := Load(strings.NewReader(in), opts)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ip      string
		cat     Category
		verdict Verdict
	}{
		{"10.0.0.1", CategoryCrawler, VerdictAllow},
		{"10.0.1.1", CategoryCloud, VerdictDeny},
		{"10.0.2.1", CategoryVPN, VerdictDeny},
	}
	for _, tt := range tests {
		rec, ok := tab.Lookup(netip.MustParseAddr(tt.ip))
		if !ok || rec.Category != tt.cat || rec.Verdict != tt.verdict {
			t.Errorf("Lookup(%s) = %+v, %v, want category %v, verdict %v", tt.ip, rec, ok, tt.cat, tt.verdict)
		}
	}
	_, err = Load(strings.NewReader("10.0.0.0,10.0.0.255,X,spaceship,allow\n10.0.1.0,10.0.1.255,Y,cloud,perhaps\n"), opts)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 1 || !errors.Is(err, ErrField) {
		t.Fatalf("Load with an unknown category: %v, want a ParseError on line 1 wrapping ErrField", err)
	}
	for _, want := range []string{
		`line 1: "10.0.0.0,10.0.0.255,X,spaceship,allow": column 4: invalid field: unknown category "spaceship"`,
		`line 2: "10.0.1.0,10.0.1.255,Y,cloud,perhaps": column 5: invalid field: unknown verdict "perhaps"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// TestDecodeVersion1 decodes a blob of the first format (the datacenter
// table as embedded before records had categories): same ranges and
// owners, categories and verdicts unknown.
func TestDecodeVersion1(t *testing.T) {
	old, err := os.ReadFile("testdata/datacenters-v1.bin")
	if err != nil {
		t.Fatal(err)
	}
	v1, err := Decode(old)
	if err != nil {
		t.Fatal(err)
	}
	cur := Datacenters()
	if v1.Len() != cur.Len() {
		t.Fatalf("version 1 Len() = %d, want %d", v1.Len(), cur.Len())
	}
	next, stop := iterPull(cur)
	defer stop()
	for r, rec := range v1.All() {
		r2, rec2, ok := next()
		if !ok || r != r2 || rec.Owner != rec2.Owner || rec.URL != rec2.URL || rec.Category != CategoryUnknown || rec2.Category != CategoryDatacenter {
			t.Fatalf("version 1 range %v %+v, current %v %+v", r, rec, r2, rec2)
		}
	}
}

func iterPull(t *Table) (func() (Range, Record, bool), func()) {
	var rs []Range
	var recs []Record
	for r, rec := range t.All() {
		rs, recs = append(rs, r), append(recs, rec)
	}
	i := 0
	return func() (Range, Record, bool) {
		if i >= len(rs) {
			return Range{}, Record{}, false
		}
		i++
		return rs[i-1], recs[i-1], true
	}, func() {}
}

// TestRobotsCurrent proves the embedded robots blob is what `go
// generate` makes of the data today.
func TestRobotsCurrent(t *testing.T) {
	dc := loadDatacenters(t)
	b := Builder{Innermost: true}
	b.AddTable(dc, CategoryDatacenter, VerdictDeny)
	src, err := os.Open("data/robots.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := b.ReadLists(src, os.DirFS("testdata/ipranges")); err != nil {
		t.Fatal(err)
	}
	tab, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	checkBlob(t, tab, robotsBlob, robotsRanges, "data/robots.bin")
}

func TestRobots(t *testing.T) {
	r := Robots()
	tests := []struct {
		ip      string
		owner   string
		cat     Category
		verdict Verdict
	}{
		{"66.249.66.1", "Googlebot", CategoryCrawler, VerdictAllow}, // googlebot inside Google's cloud
		{"2001:4860:4801:10::1", "Googlebot", CategoryCrawler, VerdictAllow},
		{"3.5.140.1", "Amazon AWS", CategoryCloud, VerdictDeny},                                   // listed by ipcat and by Amazon: the later list
		{"40.77.167.1", "Bingbot", CategoryCrawler, VerdictAllow},                                 // inside Microsoft's list
		{"64.5.63.255", "ThePlanet.com Internet Services, Inc.", CategoryDatacenter, VerdictDeny}, // ipcat only
		{"8.8.8.8", "Google Cloud", CategoryCloud, VerdictDeny},                                   // Google's list holds its public resolver
		{"127.0.0.1", "", CategoryUnknown, VerdictUnknown},
	}
	for _, tt := range tests {
		rec, ok := r.Lookup(netip.MustParseAddr(tt.ip))
		if ok != (tt.owner != "") || rec.Owner != tt.owner || rec.Category != tt.cat || rec.Verdict != tt.verdict {
			t.Errorf("Lookup(%s) = %+v, %v, want %s, %v, %v", tt.ip, rec, ok, tt.owner, tt.cat, tt.verdict)
		}
	}
	// Every list's ranges answer with some record of a known category.
	n := 0
	for _, rec := range r.All() {
		if rec.Category == CategoryUnknown {
			t.Fatalf("record %+v without a category", rec)
		}
		n++
	}
	if n != robotsRanges {
		t.Errorf("All yields %d ranges, want %d", n, robotsRanges)
	}
}
