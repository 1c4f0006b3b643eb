package address

import (
	"flag"
	"strings"
	"testing"

	"github.com/craftkit/craftkit/internal/golden"
)

var update = flag.Bool("update", false, "rewrite testdata/renderings.txt")

// TestRenderingsGolden renders one fully filled address per region, in the
// local and the Latin-script language, as text, single line, postal label
// and HTML, and compares with testdata/renderings.txt (go test -update
// rewrites it).
func TestRenderingsGolden(t *testing.T) {
	var b strings.Builder
	label := Formatter{PostalLabel: true}
	single := Formatter{SingleLine: true}
	for _, code := range append(Default().Regions(), "ZZ") {
		r := Default().region(code)
		langs := []string{r.lang}
		if r.latinFormat != nil {
			langs = append(langs, baseLanguage(r.lang)+"-Latn")
		}
		for _, lang := range langs {
			a := Address{Country: code, Language: lang, Name: "Name", Organization: "Org & Co",
				StreetLines: []string{"Street 1", "Street 2"}, DependentLocality: "District", City: "City",
				State: "State", PostalCode: "12345", SortingCode: "CEDEX 9"}
			b.WriteString("== " + code + " " + lang + "\n")
			b.WriteString(Format(a) + "\n")
			b.WriteString("-- single line: " + single.Format(a) + "\n")
			b.WriteString("-- postal label:\n" + label.Format(a) + "\n")
			b.WriteString("-- html: " + FormatHTML(a) + "\n")
		}
	}
	const path = "testdata/renderings.txt"
	golden.Check(t, path, []byte(b.String()), *update)
}
