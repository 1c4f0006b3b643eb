package address

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendHTMLOptions(t *testing.T) {
	tmpl := MustParseTemplate(etsyFormat)
	a := Address{Country: "US", Name: `Jo <"Bo">`, StreetLines: []string{"1 Main St", "Apt 2", "Rear"},
		City: "Springfield", State: "IL", PostalCode: "62701"}
	tests := []struct {
		name string
		opts *HTMLOptions
		want string
	}{
		{"nil is FormatHTML's markup", nil, tmpl.FormatHTML(a)},
		{"token classes", &HTMLOptions{Classes: TokenClasses()},
			`<span class="name">Jo &lt;&#34;Bo&#34;&gt;</span><br><span class="first-line">1 Main St</span><br>` +
				`<span class="second-line">Apt 2</span><br><span class="second-line">Rear</span><br>` +
				`<span class="city">Springfield</span>, <span class="state">IL</span> <span class="zip">62701</span><br>` +
				`<span class="country-name">United States</span>`},
		{"div, own separator, default classes", &HTMLOptions{Element: "div", LineBreak: "\n"},
			"<div class=\"name\">Jo &lt;&#34;Bo&#34;&gt;</div>\n<div class=\"street_address\">1 Main St</div>\n" +
				"<div class=\"street_address\">Apt 2</div>\n<div class=\"street_address\">Rear</div>\n" +
				"<div class=\"city\">Springfield</div>, <div class=\"state\">IL</div> <div class=\"postal_code\">62701</div>\n" +
				"<div class=\"country\">United States</div>"},
		{"hostile element and class", &HTMLOptions{Element: `x onclick="alert(1)"`, Classes: Classes{Name: `a" onclick="b`}},
			`<span class="a&#34; onclick=&#34;b">Jo &lt;&#34;Bo&#34;&gt;</span><br>`},
		{"first line class for all lines", &HTMLOptions{Element: "p", Classes: Classes{FirstLine: "street"}},
			`<p class="street">1 Main St</p><br><p class="street">Apt 2</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(tmpl.AppendHTML(nil, a, tt.opts))
			if !strings.Contains(got, tt.want) {
				t.Errorf("AppendHTML(%+v) =\n%s\nwant it to contain\n%s", tt.opts, got, tt.want)
			}
		})
	}
}

func TestFormatterHTMLOptions(t *testing.T) {
	a := Address{Country: "DE", Name: "Max", StreetLines: []string{"Unter den Linden 1"}, City: "Berlin", PostalCode: "10117"}
	f := Formatter{HTML: &HTMLOptions{Element: "strong", Classes: TokenClasses(), LineBreak: "<br/>"}}
	assert.Equal(t, `<strong class="name">Max</strong><br/><strong class="first-line">Unter den Linden 1</strong><br/>`+
		`<strong class="zip">10117</strong> <strong class="city">Berlin</strong>`, f.FormatHTML(a))
	label := Formatter{PostalLabel: true, HTML: &HTMLOptions{Classes: TokenClasses()}}
	assert.Contains(t, label.FormatHTML(a), `<br><span class="country-name">GERMANY</span>`)
	// The default markup is unchanged.
	assert.Equal(t, FormatHTML(a), (&Formatter{}).FormatHTML(a))
}

func TestRulesRequire(t *testing.T) {
	a := Address{Country: "US", StreetLines: []string{"1 Main St"}, City: "Springfield", State: "IL", PostalCode: "62701"}
	site, err := Default().Require(Name)
	require.NoError(t, err)
	assert.NoError(t, Default().Validate(a), "the data does not require a name")
	assert.EqualError(t, site.Validate(a), "address: name required in US")
	a.Name = "Jo"
	assert.NoError(t, site.Validate(a))
	// A field a region does not print is not required there.
	site, err = Default().Require(Name, State)
	require.NoError(t, err)
	assert.NoError(t, site.Validate(Address{Country: "DE", Name: "Max", StreetLines: []string{"x"}, City: "Berlin", PostalCode: "10117"}))
	lay, err := site.Form("US", "en")
	require.NoError(t, err)
	assert.True(t, lay.Rows[0][0].Field == Name && lay.Rows[0][0].Required, "%+v", lay.Rows[0])
	lay, err = Form("US", "en")
	require.NoError(t, err)
	assert.False(t, lay.Rows[0][0].Required, "Default() must not change")
	_, err = Default().Require(Field(42))
	assert.True(t, errors.Is(err, ErrField), "Require(Field(42)) = %v", err)
	var none *Rules
	assert.Error(t, none.Validate(Address{Country: "US"}), "a nil *Rules is the zero Rules")
	assert.Empty(t, none.Regions())
	_, err = none.Form("US", "")
	assert.Error(t, err)
	assert.NotEmpty(t, (&Formatter{Rules: none}).Format(usAddress))
	var zero Rules
	zs, err := zero.Require(Name)
	require.NoError(t, err)
	assert.Error(t, zs.Validate(Address{Country: "US"}))
}

// TestHTMLGolden renders the seed's format string for one address per
// continent as text and with three markups, and compares with
// testdata/etsy.golden (go test -update rewrites it).
func TestHTMLGolden(t *testing.T) {
	formats := []string{
		etsyFormat,
		`%name\n%first_line\n%second_line\n%zip %city\n%country_name`,
		`%country_name\n%zip\n%state%city\n%first_line\n%second_line\n%name`,
	}
	addrs := []Address{
		{Country: "US", Language: "en", Name: "Jane Doe", StreetLines: []string{"1600 Amphitheatre Pkwy", "Bldg 41"}, City: "Mountain View", State: "CA", PostalCode: "94043"},
		{Country: "DE", Language: "de", Name: "Max Müller & Söhne", StreetLines: []string{"Unter den Linden 1"}, City: "Berlin", PostalCode: "10117"},
		{Country: "JP", Language: "ja", Name: "山田太郎", StreetLines: []string{"六本木6-10-1"}, City: "港区", State: "東京都", PostalCode: "106-6126"},
		{Country: "BR", Language: "pt", Name: "<João>", StreetLines: []string{"Av. Paulista, 1578", ""}, City: "São Paulo", State: "SP", PostalCode: "01310-200"},
	}
	markups := []struct {
		name string
		opts *HTMLOptions
	}{
		{"default", nil},
		{"token classes", &HTMLOptions{Classes: TokenClasses()}},
		{"div, new lines", &HTMLOptions{Element: "div", Classes: TokenClasses(), LineBreak: "\n"}},
	}
	var b strings.Builder
	for _, src := range formats {
		tmpl, err := ParseTemplate(src)
		require.NoError(t, err)
		b.WriteString("== " + src + "\n")
		for _, a := range addrs {
			b.WriteString("-- " + a.Country + " text:\n" + tmpl.Format(a) + "\n")
			for _, m := range markups {
				html := string(tmpl.AppendHTML(nil, a, m.opts))
				b.WriteString("-- " + a.Country + " html, " + m.name + ":\n" + html + "\n")
			}
		}
	}
	const path = "testdata/etsy.golden"
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), b.String(), "run go test -update to accept the new renderings")
}
