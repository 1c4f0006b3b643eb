package address

// HTMLOptions chooses the markup of an HTML rendering ([Template.AppendHTML],
// [Formatter].HTML). A nil *HTMLOptions, like the zero value, gives the
// markup of [FormatHTML]: each value in a span whose class is the field
// name, lines joined by "<br>". Whatever the options, every value is
// escaped. HTMLOptions are read, never modified, so one value may be
// shared by concurrent renderings. A rendering with non-nil options
// builds its tags first (about ten small allocations); the default
// markup allocates nothing beyond the output.
type HTMLOptions struct {
	// Element is the element that wraps each value: "span" when empty,
	// or e.g. "div", "strong". It must be an HTML tag name (an ASCII
	// letter, then ASCII letters, digits or '-'); any other value is
	// written as "span", so it can never open an attribute or a tag of
	// its own.
	Element string
	// Classes names the class of each field's element; an empty name
	// means the field name ([Field.String]). Class names are escaped like
	// values.
	Classes Classes
	// LineBreak is written between lines: "<br>" when empty. It is
	// markup, written as given (for example "<br/>" or "\n"): set it from
	// a constant of the program, never from user data.
	LineBreak string
}

// Classes holds the class names of the elements of an HTML rendering, one
// per field; street lines after the first may have their own. An empty
// name means the field name ([Field.String]); an empty OtherLines means
// the class of FirstLine. The zero Classes is the default of [FormatHTML].
// Classes is a value, safe to share.
type Classes struct {
	Name, Organization string
	FirstLine          string // the first street line
	OtherLines         string // the street lines after the first
	DependentLocality  string
	City, State        string
	PostalCode         string
	SortingCode        string
	Country            string
}

// TokenClasses returns the class names of the named tokens of
// [ParseTemplate], with '-' for '_': name, organization, first-line,
// second-line, dependent-locality, city, state, zip, sorting-code and
// country-name, the classes of Etsy's address markup.
func TokenClasses() Classes {
	return Classes{Name: "name", Organization: "organization", FirstLine: "first-line", OtherLines: "second-line",
		DependentLocality: "dependent-locality", City: "city", State: "state", PostalCode: "zip",
		SortingCode: "sorting-code", Country: "country-name"}
}

// markup is the compiled form of an HTMLOptions for one rendering.
type markup struct {
	open  [numFields + 1]string // opening tag per field; [numFields]: street lines after the first
	close string
}

// newMarkup compiles o; nil means the default markup, rendered by the
// constant-string path of lineWriter (nil markup).
func newMarkup(o *HTMLOptions) *markup {
	if o == nil {
		return nil
	}
	el := o.Element
	if !isTagName(el) {
		el = "span"
	}
	m := &markup{close: "</" + el + ">"}
	c := &o.Classes
	names := [numFields + 1]string{Country: c.Country, Name: c.Name, Organization: c.Organization,
		StreetAddress: c.FirstLine, DependentLocality: c.DependentLocality, City: c.City, State: c.State,
		PostalCode: c.PostalCode, SortingCode: c.SortingCode, numFields: or(c.OtherLines, c.FirstLine)}
	for f := range m.open {
		name := names[f]
		switch {
		case name != "":
		case f == int(numFields):
			name = StreetAddress.String()
		default:
			name = Field(f).String()
		}
		m.open[f] = string(appendEscaped([]byte("<"+el+` class="`), name, false)) + `">`
	}
	return m
}

// isTagName reports whether s is an HTML tag name: an ASCII letter, then
// ASCII letters, digits or '-'.
func isTagName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		switch {
		case 'a' <= c && c <= 'z':
		case i > 0 && ('0' <= s[i] && s[i] <= '9' || s[i] == '-'):
		default:
			return false
		}
	}
	return true
}

// openTag returns the opening tag of a value of field f; rest marks a
// street line after the first.
func (m *markup) openTag(f Field, rest bool) string {
	if f == StreetAddress && rest {
		return m.open[numFields]
	}
	return m.open[f]
}
