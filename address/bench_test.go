package address

import (
	"bytes"
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

func BenchmarkParseRulesEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseRules(bytesReader(embeddedRegions)); err != nil {
			b.Fatal(err)
		}
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
