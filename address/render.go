package address

import (
	"unicode"
	"unicode/utf8"
)

// renderOptions control one rendering of a compiled format.
type renderOptions struct {
	sep     string   // written between output lines
	html    bool     // escape text and wrap field values in spans
	upper   fieldSet // fields written in upper case
	country string   // value of the Country field (%country_name)
	state   string   // replacement State value, if not empty
	markup  *markup  // HTML markup other than the default; nil for the default
}

// lineWriter appends output lines, writing the separator lazily so that
// empty lines never appear (libaddressinput drops them).
type lineWriter struct {
	opts     *renderOptions
	lineHas  bool // the current line has content
	pending  bool // a separator is due before the next content
	spanOpen bool // HTML: the last value's </span> is not written yet
	rest     bool // the street line being written is not the address's first
}

// finish closes an open span; call it once at the end.
func (w *lineWriter) finish(dst []byte) []byte {
	if w.spanOpen {
		w.spanOpen = false
		if m := w.opts.markup; m != nil {
			return append(dst, m.close...)
		}
		return append(dst, "</span>"...)
	}
	return dst
}

func (w *lineWriter) newline() {
	if w.lineHas {
		w.pending = true
		w.lineHas = false
	}
}

func (w *lineWriter) begin(dst []byte) []byte {
	if w.pending {
		dst = append(dst, w.opts.sep...)
		w.pending = false
	}
	w.lineHas = true
	return dst
}

func (w *lineWriter) literal(dst []byte, e *element) []byte {
	if e.lit == "" {
		return dst
	}
	if !w.opts.html {
		dst = w.begin(dst)
		return append(dst, e.lit...)
	}
	if w.spanOpen && !w.pending && w.opts.markup == nil {
		// Close the previous value and write the literal in one append.
		w.spanOpen = false
		w.lineHas = true
		return append(append(dst, "</span>"...), e.litHTML...)
	}
	dst = w.finish(dst)
	dst = w.begin(dst)
	return append(dst, e.litHTML...)
}

func (w *lineWriter) value(dst []byte, f Field, s string) []byte {
	up := w.opts.upper.has(f)
	if !w.opts.html {
		dst = w.begin(dst)
		if up {
			return appendUpper(dst, s)
		}
		return append(dst, s...)
	}
	if m := w.opts.markup; m != nil {
		dst = w.finish(dst)
		dst = w.begin(dst)
		dst = append(dst, m.openTag(f, w.rest)...)
	} else if w.pending && w.opts.sep == "<br>" {
		// One append for closing the previous value, the line break and
		// the opening tag; the closing tag of this value is written by the
		// next piece (or finish).
		if w.spanOpen {
			dst = append(dst, f.closeBrOpenTag()...)
		} else {
			dst = append(dst, f.brOpenTag()...)
		}
		w.pending = false
		w.lineHas = true
	} else {
		dst = w.finish(dst)
		dst = w.begin(dst)
		dst = append(dst, f.openTag()...)
	}
	w.spanOpen = true
	return appendEscaped(dst, s, up)
}

// fieldValue returns the text of field f for rendering.
func (o *renderOptions) fieldValue(a *Address, f Field) string {
	switch f {
	case Country:
		return o.country
	case State:
		if o.state != "" {
			return o.state
		}
	}
	return a.value(f)
}

// empty reports whether element e (a field) has nothing to print.
func (o *renderOptions) empty(a *Address, e *element) bool {
	if e.field != StreetAddress {
		return isBlank(o.fieldValue(a, e.field))
	}
	switch e.lines {
	case linesFirst:
		return len(a.StreetLines) == 0 || isBlank(a.StreetLines[0])
	case linesRest:
		for i := 1; i < len(a.StreetLines); i++ {
			if !isBlank(a.StreetLines[i]) {
				return false
			}
		}
		return true
	}
	return a.isEmpty(StreetAddress)
}

// render appends a formatted with elems. It follows libaddressinput's
// GetFormattedNationalAddress: new lines are always kept, fields only when
// not empty, and a literal only when it neither precedes an empty field
// nor follows a field that was dropped. Lines left empty are not written.
func render(dst []byte, elems []element, a *Address, o *renderOptions) []byte {
	w := lineWriter{opts: o}
	dst = w.elements(dst, elems, a)
	return w.finish(dst)
}

func (w *lineWriter) elements(dst []byte, elems []element, a *Address) []byte {
	o := w.opts
	lastKeptField := false // the last kept element is a field
	for i := range elems {
		e := &elems[i]
		switch e.kind {
		case elemNewline:
			lastKeptField = false
			w.newline()
		case elemField:
			if o.empty(a, e) {
				continue
			}
			lastKeptField = true
			if e.field != StreetAddress {
				dst = w.value(dst, e.field, o.fieldValue(a, e.field))
				continue
			}
			dst = w.street(dst, a, e.lines)
		case elemLiteral:
			if i+1 < len(elems) && elems[i+1].kind == elemField && o.empty(a, &elems[i+1]) {
				continue
			}
			if i > 0 && elems[i-1].kind == elemField && !lastKeptField {
				continue
			}
			lastKeptField = false
			dst = w.literal(dst, e)
		}
	}
	return dst
}

// street writes the selected street lines; the first continues the current
// line and each further one starts a new line. Blank lines are skipped.
func (w *lineWriter) street(dst []byte, a *Address, sel uint8) []byte {
	lines, index := a.StreetLines, 0
	switch sel {
	case linesFirst:
		lines = lines[:1]
	case linesRest:
		lines, index = lines[1:], 1
	}
	first := true
	for i, l := range lines {
		if isBlank(l) {
			continue
		}
		if !first {
			w.newline()
		}
		first = false
		w.rest = index+i > 0
		dst = w.value(dst, StreetAddress, l)
	}
	w.rest = false
	return dst
}

// appendUpper appends s in upper case, rune by rune (no special casing);
// bytes that are not valid UTF-8 are copied unchanged.
func appendUpper(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, c)
		} else {
			dst = utf8.AppendRune(dst, unicode.ToUpper(r))
		}
		i += n
	}
	return dst
}

// htmlClass classifies each byte for appendEscaped: 0 is copied as is,
// 1 (NUL, the double quote, the ampersand, the apostrophe, < and >) is
// replaced, 2 starts a multi-byte UTF-8 sequence that must be checked.
const htmlClass = "\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x01\x00\x00\x00\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02" +
	"\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02" +
	"\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02" +
	"\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02"

// needsEscape reports whether appendEscaped would change s.
func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		switch htmlClass[s[i]] {
		case 0:
			i++
		case 1:
			return true
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				return true
			}
			i += n
		}
	}
	return false
}

// escapedLen returns an upper bound of the length of s escaped.
func escapedLen(s string) int { return 5 * len(s) }

// htmlSafe reports whether ASCII byte c is copied unchanged.
func htmlSafe(c byte) bool { return htmlClass[c] == 0 }

// appendEscaped appends s escaped for HTML text and attribute values:
// & < > " ' are written as references, NUL and invalid UTF-8 as U+FFFD.
// Runs of safe text are copied in bulk.
func appendEscaped(dst []byte, s string, upper bool) []byte {
	if upper {
		return appendEscapedUpper(dst, s)
	}
	start := 0
	for i := 0; i < len(s); {
		switch htmlClass[s[i]] {
		case 0:
			i++
		case 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, htmlEscape(s[i])...)
			i++
			start = i
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, "\uFFFD"...)
				start = i + 1
			}
			i += n
		}
	}
	return append(dst, s[start:]...)
}

// htmlEscape returns the replacement of a byte that is not htmlSafe.
func htmlEscape(c byte) string {
	switch c {
	case '&':
		return "&amp;"
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	case '"':
		return "&#34;"
	case '\'':
		return "&#39;"
	}
	return "\uFFFD"
}

// appendEscapedUpper is appendEscaped writing letters in upper case.
func appendEscapedUpper(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case !htmlSafe(c):
				dst = append(dst, htmlEscape(c)...)
			case 'a' <= c && c <= 'z':
				dst = append(dst, c-('a'-'A'))
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		dst = utf8.AppendRune(dst, unicode.ToUpper(r)) // RuneError becomes U+FFFD
		i += n
	}
	return dst
}

// openTag returns the opening span tag of a field's value.
func (f Field) openTag() string {
	return f.closeBrOpenTag()[len("</span><br>"):]
}

// brOpenTag returns "<br>" followed by the opening span tag of a field.
func (f Field) brOpenTag() string {
	return f.closeBrOpenTag()[len("</span>"):]
}

// closeBrOpenTag returns "</span><br>" followed by the opening span tag of
// a field. The three tag methods share these constant strings, so none
// of them allocates.
func (f Field) closeBrOpenTag() string {
	switch f {
	case Country:
		return `</span><br><span class="country">`
	case Name:
		return `</span><br><span class="name">`
	case Organization:
		return `</span><br><span class="organization">`
	case StreetAddress:
		return `</span><br><span class="street_address">`
	case DependentLocality:
		return `</span><br><span class="dependent_locality">`
	case City:
		return `</span><br><span class="city">`
	case State:
		return `</span><br><span class="state">`
	case PostalCode:
		return `</span><br><span class="postal_code">`
	case SortingCode:
		return `</span><br><span class="sorting_code">`
	}
	return `</span><br><span class="` + f.String() + `">`
}
