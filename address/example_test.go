package address_test

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/craftkit/craftkit/address"
)

func ExampleFormat() {
	a := address.Address{
		Country:     "US",
		Name:        "Jane Doe",
		StreetLines: []string{"1600 Amphitheatre Pkwy"},
		City:        "Mountain View",
		State:       "CA",
		PostalCode:  "94043",
	}
	fmt.Println(address.Format(a))
	a.City = "" // no dangling comma
	fmt.Println(address.Format(a))
	// Output:
	// Jane Doe
	// 1600 Amphitheatre Pkwy
	// Mountain View, CA 94043
	// Jane Doe
	// 1600 Amphitheatre Pkwy
	// CA 94043
}

func ExampleFormat_japan() {
	local := address.Address{Country: "JP", Language: "ja", Name: "山田太郎",
		StreetLines: []string{"六本木6-10-1"}, State: "東京都", PostalCode: "106-6126"}
	latin := address.Address{Country: "JP", Language: "ja-Latn", Name: "Taro Yamada",
		StreetLines: []string{"6-10-1 Roppongi"}, State: "Tokyo", PostalCode: "106-6126"}
	fmt.Println(address.Format(local))
	fmt.Println(address.Format(latin))
	// Output:
	// 〒106-6126
	// 東京都
	// 六本木6-10-1
	// 山田太郎
	// Taro Yamada
	// 6-10-1 Roppongi, Tokyo
	// 106-6126
}

func ExampleFormatHTML() {
	a := address.Address{Country: "DE", Name: "<b>Max</b>", StreetLines: []string{"Unter den Linden 1"},
		City: "Berlin", PostalCode: "10117"}
	fmt.Println(address.FormatHTML(a))
	// Output:
	// <span class="name">&lt;b&gt;Max&lt;/b&gt;</span><br><span class="street_address">Unter den Linden 1</span><br><span class="postal_code">10117</span> <span class="city">Berlin</span>
}

func ExampleAppendFormat() {
	buf := make([]byte, 0, 256)
	a := address.Address{Country: "CH", StreetLines: []string{"Brandschenkestrasse 110"}, City: "Zürich", PostalCode: "8002"}
	buf = address.AppendFormat(buf[:0], a)
	os.Stdout.Write(append(buf, '\n'))
	// Output:
	// Brandschenkestrasse 110
	// CH-8002 Zürich
}

func ExampleFormatter_Format() {
	a := address.Address{Country: "US", Name: "Jane Doe", StreetLines: []string{"1600 Amphitheatre Pkwy"},
		City: "Mountain View", State: "California", PostalCode: "94043"}
	label := address.Formatter{PostalLabel: true, Origin: "DE"}
	fmt.Println(label.Format(a))
	oneLine := address.Formatter{SingleLine: true}
	fmt.Println(oneLine.Format(a))
	// Output:
	// Jane Doe
	// 1600 Amphitheatre Pkwy
	// MOUNTAIN VIEW, CA 94043
	// UNITED STATES
	// Jane Doe, 1600 Amphitheatre Pkwy, Mountain View, California 94043
}

func ExampleValidate() {
	a := address.Address{Country: "DE", StreetLines: []string{"Unter den Linden 1"},
		City: "Berlin", State: "Berlin", PostalCode: "1011"}
	err := address.Validate(a)
	fmt.Println(err)
	var ve *address.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p.Field, p.Kind)
		}
	}
	// Output:
	// address: state "Berlin" not used in DE; postal_code "1011" invalid for DE
	// state unused_field
	// postal_code invalid_format
}

func ExampleForm() {
	layout, err := address.Form("JP", "ja")
	if err != nil {
		panic(err)
	}
	for _, row := range layout.Rows {
		var cells []string
		for _, f := range row {
			cell := f.LabelText
			if f.Required {
				cell += "*"
			}
			cells = append(cells, cell)
		}
		fmt.Println(strings.Join(cells, " | "))
	}
	fmt.Println(len(layout.Subdivisions), layout.Subdivisions[12], layout.PostalExamples[0])
	// Output:
	// Organization
	// Name
	// Postal code*
	// Prefecture*
	// Street address*
	// 47 {東京都 東京都 Tokyo 13} 154-0023
}

func ExampleParseTemplate() {
	t, err := address.ParseTemplate("%name%n%first_line%n%city, %state %zip%n%country_name")
	if err != nil {
		panic(err)
	}
	fmt.Println(t.Format(address.Address{Country: "US", Language: "fr", Name: "Jane Doe",
		StreetLines: []string{"1600 Amphitheatre Pkwy"}, City: "Mountain View", State: "CA"}))
	// Output:
	// Jane Doe
	// 1600 Amphitheatre Pkwy
	// Mountain View, CA
	// États-Unis
}

func ExampleCountryName() {
	for _, lang := range []string{"en", "de", "ja", "zh-TW", "ar"} {
		name, _ := address.CountryName("CH", lang)
		fmt.Println(lang, name)
	}
	// Output:
	// en Switzerland
	// de Schweiz
	// ja スイス
	// zh-TW 瑞士
	// ar سويسرا
}

func ExampleParseRules() {
	data := `data/ZZ={"fmt":"%N%n%O%n%A%n%C","require":"AC","upper":"C"}
data/US={"fmt":"%N%n%O%n%A%n%C %S %Z","require":"ACSZ","zip":"\\d{5}"}`
	rules, err := address.ParseRules(strings.NewReader(data))
	if err != nil {
		panic(err)
	}
	f := address.Formatter{Rules: rules}
	fmt.Println(f.Format(address.Address{Country: "US", City: "Mountain View", State: "CA", PostalCode: "94043"}))
	fmt.Println(rules.Validate(address.Address{Country: "US", StreetLines: []string{"x"}, City: "y", State: "CA", PostalCode: "123"}))
	// Output:
	// Mountain View CA 94043
	// address: postal_code "123" invalid for US
}

// ExampleFormat_readme is the README's address snippet, line for line,
// with its outputs checked.
func ExampleFormat_readme() {
	a := address.Address{Country: "US", Name: "Jane Doe", StreetLines: []string{"1600 Amphitheatre Pkwy"},
		City: "Mountain View", State: "CA", PostalCode: "94043"}
	fmt.Println(address.Format(a))     // Jane Doe\n1600 Amphitheatre Pkwy\nMountain View, CA 94043
	fmt.Println(address.FormatHTML(a)) // <span class="name">Jane Doe</span><br>…, every value escaped
	err := address.Validate(address.Address{Country: "DE", StreetLines: []string{"Unter den Linden 1"},
		City: "Berlin", State: "Berlin", PostalCode: "1011"})
	fmt.Println(err)                      // address: state "Berlin" not used in DE; postal_code "1011" invalid for DE
	form, err := address.Form("JP", "ja") // input rows: postal code first, prefecture options, pattern, examples
	fmt.Println(form.Rows[2][0].LabelText, len(form.Subdivisions), form.PostalPattern, err)
	t, err := address.ParseTemplate(`%name\n%first_line\n%city, %state %zip`) // a format stored with \n
	fmt.Println(string(t.AppendHTML(nil, a, &address.HTMLOptions{Classes: address.TokenClasses()})), err)
	// Output:
	// Jane Doe
	// 1600 Amphitheatre Pkwy
	// Mountain View, CA 94043
	// <span class="name">Jane Doe</span><br><span class="street_address">1600 Amphitheatre Pkwy</span><br><span class="city">Mountain View</span>, <span class="state">CA</span> <span class="postal_code">94043</span>
	// address: state "Berlin" not used in DE; postal_code "1011" invalid for DE
	// Postal code 47 ^(?:\d{3}-?\d{4})$ <nil>
	// <span class="name">Jane Doe</span><br><span class="first-line">1600 Amphitheatre Pkwy</span><br><span class="city">Mountain View</span>, <span class="state">CA</span> <span class="zip">94043</span> <nil>
}

// ExampleTemplate_AppendHTML renders a stored format string with the
// class names of its tokens, in div elements, one per line.
func ExampleTemplate_AppendHTML() {
	t := address.MustParseTemplate(`%name\n%first_line\n%second_line\n%city, %state %zip`)
	a := address.Address{Country: "US", Name: "Jo <Bo>", StreetLines: []string{"1 Main St", "Apt 2"},
		City: "Springfield", State: "IL", PostalCode: "62701"}
	opts := &address.HTMLOptions{Element: "div", Classes: address.TokenClasses(), LineBreak: "\n"}
	fmt.Println(string(t.AppendHTML(nil, a, opts)))
	// Output:
	// <div class="name">Jo &lt;Bo&gt;</div>
	// <div class="first-line">1 Main St</div>
	// <div class="second-line">Apt 2</div>
	// <div class="city">Springfield</div>, <div class="state">IL</div> <div class="zip">62701</div>
}

// ExampleRules_Require adds a site rule, a required recipient name, on
// top of the embedded data.
func ExampleRules_Require() {
	site, err := address.Default().Require(address.Name)
	if err != nil {
		panic(err)
	}
	a := address.Address{Country: "US", StreetLines: []string{"1 Main St"}, City: "Springfield", State: "IL", PostalCode: "62701"}
	fmt.Println(address.Validate(a))
	fmt.Println(site.Validate(a))
	// Output:
	// <nil>
	// address: name required in US
}
