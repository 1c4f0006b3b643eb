// Command address prints one address per continent as plain text, as a
// postal label, as HTML and as the input-form layout of its country,
// using the package's embedded data only. Flags pick the samples, add a
// format template of your own (with \n line breaks, as format strings are
// stored), choose the HTML markup and add site rules:
//
//	go run ./examples/address
//	go run ./examples/address -country US,JP -template '%name\n%first_line\n%city, %state %zip' -classes tokens
//	go run ./examples/address -require name -country AQ
package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/craftkit/craftkit/address"
	"github.com/craftkit/craftkit/examples/internal/cli"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// sample is one sample address.
type sample struct {
	continent string
	a         address.Address
}

// samples returns one address per continent.
func samples() []sample {
	return []sample{
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
}

const usageText = `Usage: address [flags]

Prints one sample address per continent as plain text, as a postal label,
as HTML and as the input form of its country, from the embedded data.

Flags:
`

// options are the validated flags.
type options struct {
	samples  []sample
	template *address.Template
	html     *address.HTMLOptions
	rules    *address.Rules
	origin   string
}

// run is main with its outputs injected; it returns the exit code: 0
// done, 1 failed, 2 bad flags.
func run(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlagSet("address", stderr, usageText)
	countries := fs.String("country", "", "comma-separated ISO codes of the samples to print: ZA, JP, DE, US, BR, AU, AQ (default all)")
	template := fs.String("template", "", `also format each sample with this template, e.g. '%name\n%first_line\n%city, %state %zip'`)
	classes := fs.String("classes", "fields", "HTML class names: fields (name, street_address, postal_code...) or tokens (name, first-line, zip...)")
	element := fs.String("element", "span", "HTML element around each value, e.g. span, div, strong")
	require := fs.String("require", "", "comma-separated fields a site requires on top of the data, e.g. name,organization")
	origin := fs.String("origin", "GB", "ISO code of the sending country, for the postal label")
	if err := fs.Parse(args); err != nil {
		return cli.ParseStatus(err)
	}
	// The package's errors carry "address: " already; the program's name
	// is written once.
	prog := cli.Program{Name: "address", Stderr: stderr, Hint: "run 'address -h' for usage"}
	o, err := parseFlags(fs.Args(), *countries, *template, *classes, *element, *require, *origin)
	if err != nil {
		return prog.UsageError(err)
	}
	return prog.Exit(o.print(stdout))
}

// parseFlags validates the flag values.
func parseFlags(rest []string, countries, template, classes, element, require, origin string) (*options, error) {
	if len(rest) > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags only)", rest[0])
	}
	o := &options{samples: samples(), rules: address.Default(), origin: origin}
	if countries != "" {
		var picked []sample
		for code := range strings.SplitSeq(countries, ",") {
			code = strings.ToUpper(strings.TrimSpace(code))
			i := slices.IndexFunc(o.samples, func(s sample) bool { return s.a.Country == code })
			if i < 0 {
				return nil, fmt.Errorf("-country %q: no sample for %q (have ZA, JP, DE, US, BR, AU, AQ)", countries, code)
			}
			picked = append(picked, o.samples[i])
		}
		o.samples = picked
	}
	if template != "" {
		t, err := address.ParseTemplate(template)
		if err != nil {
			return nil, fmt.Errorf("-template: %s", strings.TrimPrefix(err.Error(), "address: "))
		}
		o.template = &t
	}
	if !isTagName(element) {
		return nil, fmt.Errorf("-element %q: want an HTML tag name such as span or div", element)
	}
	o.html = &address.HTMLOptions{Element: element}
	switch classes {
	case "fields":
	case "tokens":
		o.html.Classes = address.TokenClasses()
	default:
		return nil, fmt.Errorf("-classes %q: want fields or tokens", classes)
	}
	if require != "" {
		var fields []address.Field
		for name := range strings.SplitSeq(require, ",") {
			f, ok := fieldByName(strings.TrimSpace(name))
			if !ok {
				return nil, fmt.Errorf("-require %q: unknown field %q (want name, organization, street_address, dependent_locality, city, state, postal_code or sorting_code)", require, name)
			}
			fields = append(fields, f)
		}
		rs, err := o.rules.Require(fields...)
		if err != nil {
			return nil, fmt.Errorf("-require: %s", strings.TrimPrefix(err.Error(), "address: "))
		}
		o.rules = rs
	}
	if !address.Default().Has(origin) {
		return nil, fmt.Errorf("-origin %q: not an ISO country code the data knows", origin)
	}
	return o, nil
}

// fieldByName returns the field whose name (Field.String) is name.
func fieldByName(name string) (address.Field, bool) {
	for f := address.Name; f <= address.SortingCode; f++ {
		if f.String() == name {
			return f, true
		}
	}
	return 0, false
}

// isTagName reports whether s is an HTML tag name.
func isTagName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i, c := range s {
		letter := 'a' <= c|0x20 && c|0x20 <= 'z'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '-')) {
			return false
		}
	}
	return true
}

// print writes every sample.
func (o *options) print(w io.Writer) error {
	label := address.Formatter{PostalLabel: true, Origin: o.origin}
	html := address.Formatter{HTML: o.html}
	for _, s := range o.samples {
		a := s.a
		name, _ := address.CountryName(a.Country, "en")
		fmt.Fprintf(w, "== %s: %s ==\n", s.continent, name)
		fmt.Fprintln(w, address.Format(a))
		if o.template != nil {
			fmt.Fprintln(w, "-- template:")
			fmt.Fprintln(w, o.template.Format(a))
		}
		fmt.Fprintf(w, "-- postal label from %s:\n", strings.ToUpper(o.origin))
		fmt.Fprintln(w, label.Format(a))
		fmt.Fprintln(w, "-- HTML:")
		if o.template != nil {
			fmt.Fprintln(w, string(o.template.AppendHTML(nil, a, o.html)))
		} else {
			fmt.Fprintln(w, html.FormatHTML(a))
		}
		if err := o.rules.Validate(a); err != nil {
			fmt.Fprintln(w, "-- validation:", err)
		}
		layout, err := o.rules.Form(a.Country, a.Language)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, "-- input form:")
		for _, row := range layout.Rows {
			var cells []string
			for _, f := range row {
				cell := fmt.Sprintf("[%s", f.LabelText)
				if f.Required {
					cell += "*"
				}
				cells = append(cells, cell+" "+f.Width.String()+"]")
			}
			fmt.Fprintln(w, "   ", strings.Join(cells, " "))
		}
		if len(layout.Subdivisions) > 0 {
			fmt.Fprintf(w, "    %d subdivisions, e.g. %s\n", len(layout.Subdivisions), layout.Subdivisions[0].Name)
		}
		if len(layout.PostalExamples) > 0 {
			fmt.Fprintf(w, "    postal code like %s, pattern %s\n", layout.PostalExamples[0], layout.PostalPattern)
		}
		fmt.Fprintln(w)
	}
	return nil
}
