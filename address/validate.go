package address

import (
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"
)

// ErrInvalid is wrapped by every *ValidationError.
var ErrInvalid = errors.New("address: invalid address")

// Kind is the kind of a validation [Problem].
type Kind uint8

// The kinds of validation problems, after libaddressinput's.
const (
	MissingRequired  Kind = iota + 1 // a required field is empty
	UnusedField                      // the region does not use the field
	UnknownValue                     // the state is not a subdivision of the region
	InvalidFormat                    // the postal code does not match the region's pattern
	MismatchingValue                 // the postal code does not belong to the state
)

// String returns the kind's snake_case name, e.g. "unused_field".
func (k Kind) String() string {
	switch k {
	case MissingRequired:
		return "missing_required"
	case UnusedField:
		return "unused_field"
	case UnknownValue:
		return "unknown_value"
	case InvalidFormat:
		return "invalid_format"
	case MismatchingValue:
		return "mismatching_value"
	}
	return "kind(" + itoa(int(k)) + ")"
}

// Problem is one validation finding: which field and what is wrong.
type Problem struct {
	Field Field
	Kind  Kind
}

// String returns the field and kind, e.g. "state unused_field".
func (p Problem) String() string { return p.Field.String() + " " + p.Kind.String() }

// describe words the problem for region code, quoting the offending value
// v when it is known, e.g. `state "Berlin" not used in DE`.
func (p Problem) describe(code, v, state string) string {
	f := p.Field.String()
	if v != "" {
		f += " " + v
	}
	switch p.Kind {
	case MissingRequired:
		if p.Field == Country {
			return "country required"
		}
		return p.Field.String() + " required in " + code
	case UnusedField:
		return f + " not used in " + code
	case UnknownValue:
		if p.Field == Country {
			return "country " + v + " unknown"
		}
		return f + " not a subdivision of " + code
	case InvalidFormat:
		return f + " invalid for " + code
	case MismatchingValue:
		if state != "" {
			return f + " does not match state " + state + " in " + code
		}
		return f + " does not match state in " + code
	}
	return f + " " + p.Kind.String()
}

// ValidationError lists the problems of an invalid address. Validate
// returns a new one each time; it is safe for concurrent reads.
type ValidationError struct {
	Country  string // the address country as given
	Problems []Problem
	// Address is the address as validated. Error quotes its offending
	// values; a zero Address leaves them out.
	Address Address
}

// maxQuoted bounds the bytes of one value quoted in an error message.
const maxQuoted = 64

// quoted returns field f of e.Address quoted for a message, cut to
// maxQuoted bytes, or "" when empty.
func (e *ValidationError) quoted(f Field) string {
	var v string
	if f == StreetAddress {
		for _, l := range e.Address.StreetLines {
			if !isBlank(l) {
				v = l
				break
			}
		}
	} else {
		v = e.Address.value(f)
	}
	if v == "" {
		return ""
	}
	if len(v) > maxQuoted {
		n := maxQuoted
		for n > 0 && !utf8.RuneStart(v[n]) {
			n--
		}
		return quote(v[:n]) + "..."
	}
	return quote(v)
}

// Error returns the problems joined by "; ", with the offending values
// quoted, e.g. `address: state "Berlin" not used in DE`.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("address: ")
	code := strings.ToUpper(e.Country)
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		v, state := "", ""
		switch {
		case p.Field == Country:
			if p.Kind != MissingRequired {
				v = quote(e.Country)
			}
		case p.Kind != MissingRequired:
			v = e.quoted(p.Field)
		}
		if p.Kind == MismatchingValue {
			state = e.quoted(State)
		}
		b.WriteString(p.describe(code, v, state))
	}
	return b.String()
}

// Unwrap returns ErrInvalid.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Validate checks a against the embedded rules; see [Rules.Validate].
func Validate(a Address) error { return Default().Validate(a) }

// Validate checks a against the rules of its country, as libaddressinput's
// validator does, and returns nil or a *ValidationError listing, in field
// order: required fields that are empty (MissingRequired), non-empty fields
// the region's formats do not use (UnusedField; a German address with a
// state gets `address: state "Berlin" not used in DE`), a state that is none of the region's
// subdivisions by key, name, Latin name or ISO code (UnknownValue), a
// postal code that does not fully match the region's pattern
// (InvalidFormat) or does not start like the state's postal codes
// (MismatchingValue). An empty or unknown country is a single problem on
// the country field. The error message quotes each offending value (at
// most 64 bytes of it); an address holds personal data, so log it with
// care. Validating a valid address does not allocate.
func (rs *Rules) Validate(a Address) error {
	r := rs.lookup(a.Country)
	if r == nil {
		k := UnknownValue
		if isBlank(a.Country) {
			k = MissingRequired
		}
		return &ValidationError{Country: a.Country, Problems: []Problem{{Field: Country, Kind: k}}, Address: a}
	}
	var ps []Problem
	for f := Name; f < numFields; f++ {
		empty := a.isEmpty(f)
		switch {
		case empty && (r.require | rs.siteRequire()).has(f) && r.used.has(f):
			ps = append(ps, Problem{f, MissingRequired})
		case !empty && !r.used.has(f):
			ps = append(ps, Problem{f, UnusedField})
		}
	}
	sub := -1
	if len(r.subs) > 0 && !a.isEmpty(State) {
		// An unused state is reported above, yet still checked against the
		// postal code when it names a subdivision.
		if sub = r.findSub(a.State); sub < 0 && r.used.has(State) {
			ps = append(ps, Problem{State, UnknownValue})
		}
	}
	if r.used.has(PostalCode) && !a.isEmpty(PostalCode) {
		if r.zip != "" && !matches(r.zipRE.get(), a.PostalCode) {
			ps = append(ps, Problem{PostalCode, InvalidFormat})
		} else if sub >= 0 && r.subs[sub].zip != "" {
			if !matches(r.subs[sub].zipRE.get(), a.PostalCode) {
				ps = append(ps, Problem{PostalCode, MismatchingValue})
			}
		}
	}
	if ps == nil {
		return nil
	}
	return &ValidationError{Country: a.Country, Problems: ps, Address: a}
}

// matches reports whether re matches s; a nil pattern matches everything.
func matches(re *regexp.Regexp, s string) bool { return re == nil || re.MatchString(s) }
