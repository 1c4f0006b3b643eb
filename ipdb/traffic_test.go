package ipdb

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

var day0 = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func hour(h int) time.Time { return day0.Add(time.Duration(h) * time.Hour) }

func newTraffic(t testing.TB, cfg TrafficConfig) *Traffic {
	t.Helper()
	tr, err := NewTraffic(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestTrafficConcurrent counts from 8 goroutines that each walk 48
// hours of a 24-hour counter at their own pace, so hours start and are
// dropped while others count; the 24 hours kept must hold every count
// made for them, by key, with the keys past Keys in other.
func TestTrafficConcurrent(t *testing.T) {
	const (
		goroutines = 8
		hours      = 48
		perHour    = 300
	)
	names := []string{"alpha", "beta", "gamma", "delta", "extra1", "extra2"}
	tr := newTraffic(t, TrafficConfig{Keys: 4, Hours: 24})
	for _, n := range names[:4] { // admit the first four, in order
		tr.Count(n, hour(0))
	}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for h := range hours {
				at := hour(h).Add(time.Duration(g) * time.Minute)
				for i := range perHour {
					tr.Count(names[(i+g)%len(names)], at)
				}
			}
		})
	}
	wg.Wait()
	got := tr.Hourly(hour(hours-1), 24)
	if !got.Start.Equal(hour(24)) {
		t.Fatalf("Hourly start = %v, want %v", got.Start, hour(24))
	}
	// Per hour and goroutine, (i+g)%6 spreads perHour counts evenly: 50 a name.
	want := uint64(goroutines * perHour / len(names))
	for k, name := range got.Keys {
		for j, c := range got.Counts[k] {
			if c != want {
				t.Fatalf("%s at hour %d = %d, want %d", name, 24+j, c, want)
			}
		}
	}
	for j, c := range got.Other {
		if c != 2*want {
			t.Fatalf("other at hour %d = %d, want %d", 24+j, c, 2*want)
		}
	}
	if total, all := got.Total()+tr.Late(), uint64(goroutines*hours*perHour+4); total > all {
		t.Errorf("window %d + late %d counts more than the %d made", got.Total(), tr.Late(), all)
	}
}

func TestTrafficBounds(t *testing.T) {
	for _, cfg := range []TrafficConfig{{Keys: -1}, {Hours: -1}, {Keys: MaxTrafficKeys + 1}, {Hours: MaxTrafficHours + 1}} {
		if _, err := NewTraffic(cfg); !errors.Is(err, ErrTrafficConfig) {
			t.Errorf("NewTraffic(%+v) error = %v, want ErrTrafficConfig", cfg, err)
		}
	}
	tr := newTraffic(t, TrafficConfig{Keys: 2, Hours: 3})
	tr.Count("a", hour(10))
	tr.Count("b", hour(10))
	tr.Count("c", hour(10))                                  // third key: other
	tr.Count(strings.Repeat("x", MaxTrafficKey+1), hour(10)) // too long: other
	tr.Add("a", hour(11).Add(59*time.Minute), 5)
	tr.Count("a", hour(12))
	tr.Count("a", hour(9)) // 3 hours before 12: late
	tr.Count("a", hour(7)) // older: late
	tr.Count("a", hour(-100000))
	h := tr.Hourly(hour(12), 0) // 0: all 3 hours
	if h.Hours() != 3 || !h.Start.Equal(hour(10)) {
		t.Fatalf("Hourly(12, 0) covers %d hours from %v, want 3 from %v", h.Hours(), h.Start, hour(10))
	}
	wantCounts := [][]uint64{{1, 5, 1}, {1, 0, 0}}
	if fmt.Sprint(h.Keys, h.Counts, h.Other, h.Late) != fmt.Sprint([]string{"a", "b"}, wantCounts, []uint64{2, 0, 0}, 3) {
		t.Errorf("Hourly = %v %v %v late %d, want [a b] %v [2 0 0] late 3", h.Keys, h.Counts, h.Other, h.Late, wantCounts)
	}
	tr.Count("b", hour(13)) // hour 10 leaves the window
	h = tr.Hourly(hour(13), 5)
	if h.Hours() != 3 || h.Counts[0][0] != 5 || h.Counts[1][2] != 1 || h.Total() != 7 {
		t.Errorf("after hour 13: %v %v %v, want hours 11..13 with a=5,1 b=1", h.Start, h.Counts, h.Other)
	}
	if h := tr.Hourly(hour(100), 3); h.Total() != 0 {
		t.Errorf("Hourly of hours never counted = %d, want 0", h.Total())
	}
	// The snapshot is the caller's: changing it changes nothing inside.
	h.Keys[0] = "changed"
	if tr.Hourly(hour(13), 3).Keys[0] != "a" {
		t.Error("Hourly shares its Keys with the counter")
	}
}

func TestTrafficNoAllocs(t *testing.T) {
	tr := newTraffic(t, TrafficConfig{Keys: 2})
	at := hour(5)
	tr.Count("Amazon AWS", at)
	tr.Count("Google", at)
	tr.Count("third", at)
	allocs := testing.AllocsPerRun(1000, func() {
		tr.Count("Amazon AWS", at)
		tr.Count("third", at.Add(time.Minute)) // other
		tr.Count("fourth", at)                 // other, once full
	})
	if allocs != 0 {
		t.Errorf("Count allocates %v times per run, want 0", allocs)
	}
}

func TestTrafficMerge(t *testing.T) {
	a := newTraffic(t, TrafficConfig{Keys: 3, Hours: 24})
	b := newTraffic(t, TrafficConfig{Keys: 3, Hours: 24})
	for i := range 2000 {
		key := []string{"a", "b", "c", "d"}[i*7%4]
		at := hour(i * 13 % 30)
		if i%3 == 0 {
			a.Count(key, at)
		} else {
			b.Count(key, at)
		}
	}
	// The reference: a's and b's windows, summed by name.
	ah := a.Hourly(hour(29), 24)
	bh := b.Hourly(hour(29), 24)
	a.Merge(b)
	got := a.Hourly(hour(29), 24)
	for k, name := range got.Keys {
		var want uint64
		for j := range got.Hours() {
			want = 0
			for kk, n := range ah.Keys {
				if n == name {
					want += ah.Counts[kk][j]
				}
			}
			for kk, n := range bh.Keys {
				if n == name {
					want += bh.Counts[kk][j]
				}
			}
			if got.Counts[k][j] != want {
				t.Fatalf("merged %s hour %d = %d, want %d", name, j, got.Counts[k][j], want)
			}
		}
	}
	if wantTotal := ah.Total() + bh.Total(); got.Total() != wantTotal {
		t.Errorf("merged total = %d, want %d", got.Total(), wantTotal)
	}
	if got.Late != ah.Late+bh.Late {
		t.Errorf("merged late = %d, want %d", got.Late, ah.Late+bh.Late)
	}
	before := a.Hourly(hour(29), 24).Total()
	a.Merge(a)
	if after := a.Hourly(hour(29), 24).Total(); after != 2*before {
		t.Errorf("Merge with itself: total %d, want %d", after, 2*before)
	}
}

// nightTraffic is the chart's input: robots busy at night, people by day.
func nightTraffic(t testing.TB) *Hourly {
	tr := newTraffic(t, TrafficConfig{Keys: 10, Hours: 48})
	for h := range 24 {
		night := h < 6 || h >= 22
		for i := range 20 {
			if night {
				tr.Count("Crawler <&\"bot'>", hour(h))
				tr.Count("Amazon AWS", hour(h))
			}
			if i < 5+h%4 {
				tr.Count("Google", hour(h))
			}
		}
		tr.Add("bad\xffutf8 and a name longer than twenty characters", hour(h), uint64(h))
		for k := range 9 {
			tr.Add(fmt.Sprintf("small%d", k), hour(h), 1)
		}
		tr.Add(fmt.Sprintf("over%d", h), hour(h), 2) // past Keys: other
	}
	return tr.Hourly(hour(23), 24)
}

func TestTrafficSVG(t *testing.T) {
	var buf bytes.Buffer
	if err := nightTraffic(t).WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	var texts []string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG does not parse: %v", err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			texts = append(texts, string(cd))
		}
	}
	joined := strings.Join(texts, "|")
	for _, want := range []string{`Crawler <&"bot'>`, "other (", "Amazon AWS", "00:00", "18:00"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the SVG's text lacks %q", want)
		}
	}
	if strings.Contains(buf.String(), "<&") {
		t.Error("the SVG holds an unescaped name")
	}
	var again bytes.Buffer
	nightTraffic(t).WriteSVG(&again)
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Error("WriteSVG is not deterministic")
	}
	checkGolden(t, "testdata/traffic.svg", buf.Bytes())
	// A hand-made, ragged snapshot is drawn, not a panic.
	ragged := &Hourly{Start: day0, Keys: []string{"a", "b"}, Counts: [][]uint64{{1, 2, 3}}, Other: make([]uint64, 2)}
	if err := ragged.WriteSVG(io.Discard); err != nil {
		t.Error(err)
	}
	if err := (&Hourly{}).WriteSVG(io.Discard); err != nil {
		t.Error(err)
	}
}

func BenchmarkTrafficCount(b *testing.B) {
	tr := newTraffic(b, TrafficConfig{})
	keys := []string{"Amazon AWS", "Google", "Microsoft Azure", "Hetzner Online", "OVH", "DigitalOcean", "Linode", "Crawler"}
	at := hour(3)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		tr.Count(keys[i&7], at)
		i++
	}
}

func BenchmarkTrafficCountParallel(b *testing.B) {
	tr := newTraffic(b, TrafficConfig{})
	keys := []string{"Amazon AWS", "Google", "Microsoft Azure", "Hetzner Online", "OVH", "DigitalOcean", "Linode", "Crawler"}
	at := hour(3)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			tr.Count(keys[i&7], at)
			i++
		}
	})
}

// robotNight counts a day of requests from the Robots table's ranges by
// category: crawlers all day, rented clouds mostly between 01:00 and
// 05:00 UTC, the pattern a chart should show.
func robotNight(t testing.TB) (*Traffic, map[Category]uint64) {
	t.Helper()
	r := Robots()
	tr := newTraffic(t, TrafficConfig{Hours: 24})
	ips := map[Category]string{CategoryCrawler: "66.249.66.1", CategoryCloud: "3.5.140.1", CategoryDatacenter: "64.5.63.255", CategoryVPN: "172.224.226.1"}
	want := make(map[Category]uint64)
	for h := range 24 {
		for cat, ip := range ips {
			n := 10
			if cat == CategoryCloud && h >= 1 && h <= 5 {
				n = 200
			}
			for range n {
				rec, ok := r.Lookup(netip.MustParseAddr(ip))
				if !ok {
					t.Fatalf("Robots has no range for %s", ip)
				}
				tr.CountCategory(rec.Category, hour(h))
				want[rec.Category]++
			}
		}
	}
	return tr, want
}

func TestTrafficCategories(t *testing.T) {
	tr, want := robotNight(t)
	got := tr.Hourly(hour(23), 24)
	sums := make(map[string]uint64)
	for k, name := range got.Keys {
		for _, c := range got.Counts[k] {
			sums[name] += c
		}
	}
	for cat, n := range want {
		if sums[cat.String()] != n {
			t.Errorf("count of %v = %d, want %d", cat, sums[cat.String()], n)
		}
	}
	var buf bytes.Buffer
	if err := got.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	for cat, color := range map[Category]string{CategoryCloud: "#f28e2b", CategoryCrawler: "#59a14f"} {
		if !strings.Contains(buf.String(), `fill="`+color+`"><title>`+cat.String()) {
			t.Errorf("the %v layer is not drawn in %s", cat, color)
		}
	}
	checkGolden(t, "testdata/traffic-category.svg", buf.Bytes())
}

// TestTrafficCategoryConcurrent counts categories from 8 goroutines;
// every count is kept.
func TestTrafficCategoryConcurrent(t *testing.T) {
	tr := newTraffic(t, TrafficConfig{})
	const per = 2000
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range per {
				tr.CountCategory(Category(1+(i+g)%5), hour(g%3))
			}
		})
	}
	wg.Wait()
	if got := tr.Hourly(hour(2), 3).Total(); got != 8*per {
		t.Errorf("Total() = %d, want %d", got, 8*per)
	}
}

func BenchmarkTrafficCountCategory(b *testing.B) {
	tr := newTraffic(b, TrafficConfig{})
	at := hour(3)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		tr.CountCategory(Category(1+i%5), at)
		i++
	}
}

func BenchmarkTrafficCountCategoryParallel(b *testing.B) {
	tr := newTraffic(b, TrafficConfig{})
	at := hour(3)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			tr.CountCategory(Category(1+i%5), at)
			i++
		}
	})
}
