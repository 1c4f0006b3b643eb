// Package addressbench compares craftkit/address with
// github.com/Boostport/address v0.9.0: line-for-line agreement on random
// fully filled addresses of every region, the differences on sparse
// addresses (Boostport's bugs), and speed.
package addressbench

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	boost "github.com/Boostport/address"
	"github.com/craftkit/craftkit/address"
)

// boostRules builds craftkit rules from the formats Boostport ships, so
// that the two formatters can be compared on the same data.
func boostRules(t testing.TB) *address.Rules {
	t.Helper()
	var b strings.Builder
	for _, code := range append(address.Default().Regions(), "ZZ") {
		c := boost.GetCountry(code)
		node := map[string]string{}
		if c.Format != "" {
			node["fmt"] = c.Format
		}
		if c.LatinizedFormat != "" {
			node["lfmt"] = c.LatinizedFormat
		}
		j, err := json.Marshal(node)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "data/%s=%s\n", code, j)
	}
	rs, err := address.ParseRules(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func word(r *rand.Rand) string {
	n := 1 + r.IntN(10)
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[r.IntN(len(alnum))]
	}
	return string(b)
}

func words(r *rand.Rand) string {
	n := 1 + r.IntN(3)
	w := make([]string, n)
	for i := range w {
		w[i] = word(r)
	}
	return strings.Join(w, " ")
}

// randomAddress returns an address of country with every field filled
// (fill = 1) or each field filled with probability fill.
func randomAddress(r *rand.Rand, country string, fill float64) address.Address {
	pick := func() string {
		if r.Float64() < fill {
			return words(r)
		}
		return ""
	}
	a := address.Address{Country: country, Name: pick(), Organization: pick(),
		DependentLocality: pick(), City: pick(), State: pick(), PostalCode: pick(), SortingCode: pick()}
	for range 1 + r.IntN(3) {
		if l := pick(); l != "" {
			a.StreetLines = append(a.StreetLines, l)
		}
	}
	return a
}

func toBoost(a address.Address) boost.Address {
	return boost.Address{Country: a.Country, Name: a.Name, Organization: a.Organization, StreetAddress: a.StreetLines,
		DependentLocality: a.DependentLocality, Locality: a.City, AdministrativeArea: a.State,
		PostCode: a.PostalCode, SortingCode: a.SortingCode}
}

var boostText = boost.DefaultFormatter{Output: boost.StringOutputter{}}

// boostLines formats a with Boostport and removes the country line it
// always adds: first when the region has a Latin-script format (the local
// one is then used), last otherwise.
func boostLines(a address.Address) []string {
	out := boostText.Format(toBoost(a), "")
	lines := strings.Split(out, "\n")
	if boost.GetCountry(a.Country).LatinizedFormat != "" {
		lines = lines[1:]
	} else {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil
	}
	return lines
}

// regions2025 are the regions whose 2025 format adds a field to the 2023
// format Boostport ships: with every field filled they print one more value.
var regions2025 = map[string]bool{"CO": true, "EE": true, "LT": true, "LV": true, "PK": true, "RO": true, "TT": true}

// TestAgreementFullyFilled formats random fully filled addresses of every
// region with both libraries and requires identical lines: with the same
// data (Boostport's formats) for all regions, and with craftkit's embedded
// data for every region whose format did not change since Boostport's.
func TestAgreementFullyFilled(t *testing.T) {
	rsBoost := boostRules(t)
	codes := address.Default().Regions()
	r := rand.New(rand.NewPCG(1, 2))
	const perRegion = 24 // 252 regions x 24 = 6,048 addresses
	fBoost := address.Formatter{Rules: rsBoost}
	var total, sameData, sameEmbedded, embeddedChecked int
	for _, code := range codes {
		for range perRegion {
			a := randomAddress(r, code, 1)
			want := boostLines(a)
			total++
			if got := fBoost.Lines(a); equal(got, want) {
				sameData++
			} else {
				t.Errorf("%s same data:\n got %q\nwant %q", code, got, want)
			}
			if regions2025[code] {
				continue
			}
			embeddedChecked++
			if got := (&address.Formatter{}).Lines(a); equal(got, want) {
				sameEmbedded++
			} else {
				t.Errorf("%s embedded data:\n got %q\nwant %q", code, got, want)
			}
		}
	}
	t.Logf("fully filled: %d addresses over %d regions; same data: %d/%d identical; embedded data: %d/%d identical (%d regions with new 2025 fields excluded)",
		total, len(codes), sameData, total, sameEmbedded, embeddedChecked, len(regions2025))
	if total < 5000 {
		t.Fatalf("only %d addresses", total)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSparseDifferences lists how Boostport differs on sparse addresses
// (each field empty with probability 1/2) and on values with HTML
// metacharacters. These are Boostport's bugs: dangling separators next to
// empty fields, and HTML entities in plain text.
func TestSparseDifferences(t *testing.T) {
	f := address.Formatter{Rules: boostRules(t)}
	r := rand.New(rand.NewPCG(3, 4))
	var total, diff int
	examples := map[string]string{}
	for _, code := range address.Default().Regions() {
		for range 20 {
			a := randomAddress(r, code, 0.5)
			got, want := f.Lines(a), boostLines(a)
			total++
			if !equal(got, want) {
				diff++
				if _, ok := examples[code]; !ok && len(examples) < 8 {
					examples[code] = fmt.Sprintf("craftkit %q, Boostport %q", got, want)
				}
			}
		}
	}
	t.Logf("sparse: %d of %d addresses differ", diff, total)
	for c, e := range examples {
		t.Logf("  %s: %s", c, e)
	}
	ent := address.Address{Country: "US", Name: `Tom & "Jerry" <O'Neil>`, StreetLines: []string{"1 Main St"}, City: "Springfield", State: "IL", PostalCode: "62701"}
	t.Logf("metacharacters: craftkit %q, Boostport %q", f.Lines(ent), boostLines(ent))
}

// corpus returns n random fully filled addresses over every region.
func corpus(n int) []address.Address {
	r := rand.New(rand.NewPCG(5, 6))
	codes := address.Default().Regions()
	out := make([]address.Address, n)
	for i := range out {
		out[i] = randomAddress(r, codes[r.IntN(len(codes))], 1)
	}
	return out
}

func BenchmarkFormat(b *testing.B) {
	addrs := corpus(1024)
	boostAddrs := make([]boost.Address, len(addrs))
	for i, a := range addrs {
		boostAddrs[i] = toBoost(a)
	}
	b.Run("craftkit", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_ = address.Format(addrs[i%len(addrs)])
			i++
		}
	})
	b.Run("craftkit-append", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 1024)
		i := 0
		for b.Loop() {
			buf = address.AppendFormat(buf[:0], addrs[i%len(addrs)])
			i++
		}
	})
	b.Run("craftkit-html", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_ = address.FormatHTML(addrs[i%len(addrs)])
			i++
		}
	})
	b.Run("boostport", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_ = boostText.Format(boostAddrs[i%len(boostAddrs)], "")
			i++
		}
	})
	htmlOut := boost.DefaultFormatter{Output: boost.HTMLOutputter{}}
	b.Run("boostport-html", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_ = htmlOut.Format(boostAddrs[i%len(boostAddrs)], "")
			i++
		}
	})
}

func BenchmarkValidate(b *testing.B) {
	a := address.Address{Country: "US", Name: "Jane Doe", StreetLines: []string{"1600 Amphitheatre Pkwy"}, City: "Mountain View", State: "CA", PostalCode: "94043"}
	ba := toBoost(a)
	b.Run("craftkit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if address.Validate(a) != nil {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("boostport", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if boost.Validate(ba) != nil {
				b.Fatal("invalid")
			}
		}
	})
}

// BenchmarkHTMLOverText interleaves batches of text and HTML formatting of
// the random corpus and reports the ratio of their times, which stays
// meaningful on a loaded machine.
func BenchmarkHTMLOverText(b *testing.B) {
	addrs := corpus(1024)
	b.ReportAllocs()
	const batch = 64
	var text, html time.Duration
	i := 0
	for b.Loop() {
		t0 := time.Now()
		for k := range batch {
			_ = address.Format(addrs[(i+k)%len(addrs)])
		}
		t1 := time.Now()
		for k := range batch {
			_ = address.FormatHTML(addrs[(i+k)%len(addrs)])
		}
		t2 := time.Now()
		i += batch
		text += t1.Sub(t0)
		html += t2.Sub(t1)
	}
	b.ReportMetric(float64(html)/float64(text), "html/text")
}
