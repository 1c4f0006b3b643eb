// Command address prints one address per continent as plain text, as HTML
// and as the input-form layout of its country, using the package's
// embedded data only.
//
//	go run ./examples/address
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/craftkit/craftkit/address"
)

func main() {
	samples := []struct {
		continent string
		a         address.Address
	}{
		{"Africa", address.Address{Country: "ZA", Name: "Thandi Nkosi", StreetLines: []string{"1 Long Street"},
			DependentLocality: "City Centre", City: "Cape Town", PostalCode: "8001"}},
		{"Asia", address.Address{Country: "JP", Language: "ja", Name: "山田太郎",
			StreetLines: []string{"港区六本木6-10-1"}, State: "東京都", PostalCode: "106-6126"}},
		{"Europe", address.Address{Country: "DE", Name: "Max Mustermann", Organization: "Muster & Söhne",
			StreetLines: []string{"Unter den Linden 1"}, City: "Berlin", PostalCode: "10117"}},
		{"North America", address.Address{Country: "US", Name: "Jane Doe", StreetLines: []string{"1600 Amphitheatre Pkwy", "Bldg 41"},
			City: "Mountain View", State: "CA", PostalCode: "94043"}},
		{"South America", address.Address{Country: "BR", Language: "pt", Name: "João Silva",
			StreetLines: []string{"Av. Paulista, 1578"}, DependentLocality: "Bela Vista", City: "São Paulo", State: "SP", PostalCode: "01310-200"}},
		{"Oceania", address.Address{Country: "AU", Name: "Jack Smith", StreetLines: []string{"1 Bondi Rd"},
			City: "Bondi Beach", State: "NSW", PostalCode: "2026"}},
		{"Antarctica", address.Address{Country: "AQ", Name: "McMurdo Station", City: "Ross Island"}},
	}
	label := address.Formatter{PostalLabel: true, Origin: "GB"}
	for _, s := range samples {
		a := s.a
		name, _ := address.CountryName(a.Country, "en")
		fmt.Printf("== %s: %s ==\n", s.continent, name)
		fmt.Println(address.Format(a))
		fmt.Println("-- postal label from GB:")
		fmt.Println(label.Format(a))
		fmt.Println("-- HTML:")
		fmt.Println(address.FormatHTML(a))
		if err := address.Validate(a); err != nil {
			fmt.Println("-- validation:", err)
		}
		layout, err := address.Form(a.Country, a.Language)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("-- input form:")
		for _, row := range layout.Rows {
			var cells []string
			for _, f := range row {
				cell := fmt.Sprintf("[%s", f.LabelText)
				if f.Required {
					cell += "*"
				}
				cells = append(cells, cell+" "+f.Width.String()+"]")
			}
			fmt.Println("   ", strings.Join(cells, " "))
		}
		if len(layout.Subdivisions) > 0 {
			fmt.Printf("    %d subdivisions, e.g. %s\n", len(layout.Subdivisions), layout.Subdivisions[0].Name)
		}
		if len(layout.PostalExamples) > 0 {
			fmt.Printf("    postal code like %s, pattern %s\n", layout.PostalExamples[0], layout.PostalPattern)
		}
		fmt.Println()
	}
}
