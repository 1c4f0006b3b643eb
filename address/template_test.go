package address

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTemplate(t *testing.T) {
	tests := []struct {
		name, tmpl string
		a          Address
		want       string
	}{
		{"named tokens", "%name%n%first_line%n%second_line%n%city, %state %zip%n%country_name", usAddress,
			"John Doe\n1098 Alta Ave\nSuite 2\nMountain View, CA 94043\nUnited States"},
		{"letters", "%N%n%O%n%A%n%C, %S %Z", usAddress, "John Doe\nGoogle\n1098 Alta Ave\nSuite 2\nMountain View, CA 94043"},
		{"pruning with named tokens", "%city, %state %zip", Address{Country: "US", State: "CA"}, "CA"},
		{"second line empty", "%first_line%n%second_line%n%city", Address{StreetLines: []string{"1 Road"}, City: "X"}, "1 Road\nX"},
		{"second line and later", "%second_line", Address{StreetLines: []string{"a", "b", "c"}}, "b\nc"},
		{"literal newline", "%name\n%city", usAddress, "John Doe\nMountain View"},
		{"percent", "%zip 100%%", usAddress, "94043 100%"},
		{"country name in language", "%country_name", Address{Country: "DE", Language: "fr"}, "Allemagne"},
		// As in libaddressinput, only the literal before an empty field is
		// dropped: the one after it survives when the field before that
		// was kept.
		{"unknown country name empty", "%name (%country_name)", Address{Country: "QZ", Name: "A"}, "A)"},
		{"newline then ame", "%n" + "ame", Address{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := ParseTemplate(tt.tmpl)
			require.NoError(t, err)
			assert.Equal(t, tt.want, tmpl.Format(tt.a))
			again, err := ParseTemplate(tmpl.String())
			require.NoError(t, err)
			assert.Equal(t, tmpl.elems, again.elems, "round trip of %q via %q", tt.tmpl, tmpl.String())
		})
	}
}

func TestParseTemplateErrors(t *testing.T) {
	for _, s := range []string{"%", "abc%", "%Q", "%cit", "%nam%", "%country"} {
		_, err := ParseTemplate(s)
		var se *SyntaxError
		if !errors.As(err, &se) || !errors.Is(err, ErrSyntax) {
			t.Errorf("ParseTemplate(%q) error = %v, want *SyntaxError", s, err)
		}
	}
	_, err := ParseTemplate("%Q")
	assert.EqualError(t, err, `address: template "%Q": offset 0: unknown token "%Q"`)
	assert.Panics(t, func() { MustParseTemplate("%") })
}

func TestTemplateFields(t *testing.T) {
	tmpl := MustParseTemplate("%zip %city%n%first_line%n%zip")
	assert.Equal(t, []Field{PostalCode, City, StreetAddress}, tmpl.Fields())
}

// TestDataFormatsAsTemplates checks that every region format, parsed as a
// user template, formats like the region itself (no named token collides
// with the data).
func TestDataFormatsAsTemplates(t *testing.T) {
	rs := Default()
	for _, code := range rs.Regions() {
		r := rs.lookup(code)
		tmpl, err := ParseTemplate(Template{elems: r.format}.String())
		require.NoError(t, err, code)
		a := Address{Country: code, Name: "N", Organization: "O", StreetLines: []string{"A1", "A2"}, DependentLocality: "D", City: "C", State: "S", PostalCode: "Z", SortingCode: "X"}
		assert.Equal(t, Format(a), tmpl.Format(a), code)
	}
}

// etsyFormat is the seed's US format string as stored: the line breaks
// are the two characters '\' and 'n', not a new-line character.
const etsyFormat = `%name\n%first_line\n%second_line\n%city, %state %zip\n%country_name`

func TestParseTemplateBackslashEscapes(t *testing.T) {
	tests := []struct {
		name, tmpl string
		a          Address
		want       string
	}{
		{"escaped new lines", etsyFormat, usAddress,
			"John Doe\n1098 Alta Ave\nSuite 2\nMountain View, CA 94043\nUnited States"},
		{"escaped backslash", `%city\\n%zip`, usAddress, `Mountain View\n94043`},
		{"backslash before another letter", `%city\t%zip`, usAddress, `Mountain View\t94043`},
		{"trailing backslash", `%city\`, usAddress, `Mountain View\`},
		{"escaped new line then ame", `\name`, usAddress, "ame"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl, err := ParseTemplate(tt.tmpl)
			require.NoError(t, err)
			assert.Equal(t, tt.want, tmpl.Format(tt.a))
			again, err := ParseTemplate(tmpl.String())
			require.NoError(t, err)
			assert.Equal(t, tmpl.elems, again.elems, "round trip of %q via %q", tt.tmpl, tmpl.String())
		})
	}
	html := MustParseTemplate(etsyFormat).FormatHTML(usAddress)
	assert.NotContains(t, html, `\n`)
	assert.Equal(t, 4, strings.Count(html, "<br>"), html)
}
