package main

import (
	"fmt"
	"io"

	"github.com/craftkit/craftkit/address"
)

// tourAddress formats the same kind of address for three countries, shows
// separator pruning, HTML escaping and validation, and a Japanese form.
func tourAddress(w io.Writer) error {
	fmt.Fprintln(w, "address: every country's address format, validation and input form (libaddressinput rules)")
	us := address.Address{Country: "US", Name: "Jane Doe", StreetLines: []string{"1600 Amphitheatre Pkwy"},
		City: "Mountain View", State: "CA", PostalCode: "94043"}
	jp := address.Address{Country: "JP", Language: "ja", Name: "山田太郎", StreetLines: []string{"六本木6-10-1"},
		State: "東京都", PostalCode: "106-6126"}
	for _, a := range []address.Address{us, jp} {
		fmt.Fprintf(w, "  %s, one line: %s\n", a.Country, (&address.Formatter{SingleLine: true}).Format(a))
	}
	jp.Language = "ja-Latn"
	jp.Name, jp.StreetLines, jp.State = "Taro Yamada", []string{"6-10-1 Roppongi"}, "Tokyo"
	fmt.Fprintf(w, "  JP in Latin script: %q\n", address.Format(jp))
	us.City = ""
	fmt.Fprintf(w, "  US without a city, no dangling comma: %q\n", address.Format(us))
	fmt.Fprintf(w, "  HTML escapes user data: %s\n", address.FormatHTML(address.Address{Country: "FR", City: "<b>Paris</b>"}))
	de := address.Address{Country: "DE", StreetLines: []string{"Unter den Linden 1"}, City: "Berlin", State: "Berlin", PostalCode: "1011"}
	fmt.Fprintf(w, "  validate a German address with a state: %v\n", address.Validate(de))
	form, err := address.Form("JP", "ja")
	if err != nil {
		return err
	}
	fmt.Fprint(w, "  JP input form rows:")
	for _, row := range form.Rows {
		for _, f := range row {
			fmt.Fprintf(w, " [%s]", f.LabelText)
		}
	}
	fmt.Fprintf(w, "\n  %d prefectures, postal code like %s\n", len(form.Subdivisions), form.PostalExamples[0])
	return nil
}
