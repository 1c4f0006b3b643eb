package address

import (
	"bytes"
	"os"
	"testing"
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
