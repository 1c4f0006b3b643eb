package address

// Address is a postal address, with the field model of Google's
// libaddressinput. Values are free text as the user typed them; State may
// also hold a subdivision key (for example "CA" in the US). The zero value
// is an empty address, which formats as the empty string. The package only
// reads an Address (StreetLines included), so goroutines may share one as
// long as none of them modifies it.
type Address struct {
	// Country is the ISO 3166-1 alpha-2 code, e.g. "US". Case is ignored.
	Country string
	// Language is the BCP 47 tag of the address text, e.g. "ja" or
	// "ja-Latn". It may be empty. A Latin script subtag selects the
	// region's Latin-script format.
	Language     string
	Name         string // the recipient (%N)
	Organization string // the company or institution (%O)
	// StreetLines holds the street address, one element per line (%A).
	StreetLines       []string
	DependentLocality string // a neighbourhood, suburb or district below the city (%D)
	City              string // the city, town or post town (%C)
	State             string // the first-level subdivision, by name or key (%S)
	PostalCode        string // the postal code as written, e.g. "94043" (%Z)
	SortingCode       string // a sorting code, used by a few regions such as CI (%X)
}

// Field identifies one field of an Address. Its String method prints the
// snake_case field name used in problems and HTML class names.
type Field uint8

// The fields of an Address, with their libaddressinput format letters.
const (
	Country           Field = iota // the country line (no format letter)
	Name                           // %N
	Organization                   // %O
	StreetAddress                  // %A, all of StreetLines
	DependentLocality              // %D
	City                           // %C
	State                          // %S
	PostalCode                     // %Z
	SortingCode                    // %X
	numFields
)

// fieldNameList holds the fields' snake_case names, in Field order; a
// name ends where the next begins (fieldNameEnd).
const fieldNameList = "countrynameorganizationstreet_addressdependent_localitycitystatepostal_codesorting_code"

// fieldNameEnd returns the end offset of f's name in fieldNameList.
func fieldNameEnd(f Field) int {
	return int("\x07\x0b\x17\x25\x37\x3b\x40\x4b\x57"[f])
}

// name returns f's snake_case name; f must be valid.
func (f Field) name() string {
	start := 0
	if f > 0 {
		start = fieldNameEnd(f - 1)
	}
	return fieldNameList[start:fieldNameEnd(f)]
}

// String returns the field's snake_case name, e.g. "postal_code".
func (f Field) String() string {
	if f < numFields {
		return f.name()
	}
	return "field(" + itoa(int(f)) + ")"
}

// letter returns the field's libaddressinput format letter, or 0.
func (f Field) letter() byte {
	return "\x00NOADCSZX"[f]
}

// fieldForLetter maps a libaddressinput format letter to its field.
func fieldForLetter(c byte) (Field, bool) {
	switch c {
	case 'N':
		return Name, true
	case 'O':
		return Organization, true
	case 'A':
		return StreetAddress, true
	case 'D':
		return DependentLocality, true
	case 'C':
		return City, true
	case 'S':
		return State, true
	case 'Z':
		return PostalCode, true
	case 'X':
		return SortingCode, true
	}
	return 0, false
}

// fieldSet is a bit set of fields.
type fieldSet uint16

func (s fieldSet) has(f Field) bool { return s&(1<<f) != 0 }

// parseFieldSet reads a libaddressinput field-letter list such as "ACSZ".
func parseFieldSet(letters string) fieldSet {
	var s fieldSet
	for i := 0; i < len(letters); i++ {
		if f, ok := fieldForLetter(letters[i]); ok {
			s |= 1 << f
		}
	}
	return s
}

// value returns the single-string value of f in a (not StreetAddress).
func (a *Address) value(f Field) string {
	switch f {
	case Country:
		return a.Country
	case Name:
		return a.Name
	case Organization:
		return a.Organization
	case DependentLocality:
		return a.DependentLocality
	case City:
		return a.City
	case State:
		return a.State
	case PostalCode:
		return a.PostalCode
	case SortingCode:
		return a.SortingCode
	}
	return ""
}

// isEmpty reports whether field f of a holds no visible text. As in
// libaddressinput, a value made only of white space is empty.
func (a *Address) isEmpty(f Field) bool {
	if f == StreetAddress {
		for _, l := range a.StreetLines {
			if !isBlank(l) {
				return false
			}
		}
		return true
	}
	return isBlank(a.value(f))
}

// isBlank reports whether s has no character outside RE2's \s class.
func isBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\f', '\r':
		default:
			return false
		}
	}
	return true
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
