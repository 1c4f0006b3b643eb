package address

import (
	"bytes"
	"os"
	"testing"
	"time"
)

var benchDE = Address{Country: "DE", Name: "Max Mustermann", StreetLines: []string{"Unter den Linden 1"}, City: "Berlin", PostalCode: "10117"}

func BenchmarkFormat(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Format(usAddress)
	}
}

func BenchmarkAppendFormat(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 512)
	for b.Loop() {
		buf = AppendFormat(buf[:0], usAddress)
	}
}

func BenchmarkFormatHTML(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = FormatHTML(usAddress)
	}
}

func BenchmarkFormatterPostalLabel(b *testing.B) {
	b.ReportAllocs()
	f := Formatter{PostalLabel: true}
	for b.Loop() {
		_ = f.Format(usAddress)
	}
}

func BenchmarkValidate(b *testing.B) {
	for _, a := range []Address{usAddress, benchDE} {
		b.Run(a.Country, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if Validate(a) != nil {
					b.Fatal("invalid")
				}
			}
		})
	}
}

func BenchmarkForm(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Form("US", "en")
	}
}

func BenchmarkBuildDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		nodes := make(map[string]*node, len(embeddedNodes))
		for i := range embeddedNodes {
			nodes[embeddedNodes[i].key] = &embeddedNodes[i].n
		}
		_ = buildRules(nodes)
	}
}

func BenchmarkParseRules2018(b *testing.B) {
	data, err := os.ReadFile("testdata/countryinfo-2018.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseRules(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHTMLOverText interleaves batches of Format and FormatHTML calls
// on the same address and reports the ratio of their times, which stays
// meaningful on a loaded machine where absolute timings drift.
func BenchmarkHTMLOverText(b *testing.B) {
	b.ReportAllocs()
	const batch = 64
	var text, html time.Duration
	for b.Loop() {
		t0 := time.Now()
		for range batch {
			_ = Format(usAddress)
		}
		t1 := time.Now()
		for range batch {
			_ = FormatHTML(usAddress)
		}
		t2 := time.Now()
		text += t1.Sub(t0)
		html += t2.Sub(t1)
	}
	b.ReportMetric(float64(html)/float64(text), "html/text")
	b.ReportMetric(float64(text.Nanoseconds())/float64(b.N*batch), "text-ns/addr")
	b.ReportMetric(float64(html.Nanoseconds())/float64(b.N*batch), "html-ns/addr")
}

func BenchmarkAppendHTML(b *testing.B) {
	b.ReportAllocs()
	buf := make([]byte, 0, 1024)
	var f Formatter
	for b.Loop() {
		buf = f.AppendHTML(buf[:0], usAddress)
	}
}
