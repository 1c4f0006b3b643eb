package address

import (
	"errors"
	"strconv"
	"strings"
)

// MaxTemplateSize is the length of the longest template [ParseTemplate]
// accepts, in bytes; an address format is a few dozen.
const MaxTemplateSize = 16 << 10

// ErrSyntax is wrapped by every *SyntaxError.
var ErrSyntax = errors.New("address: invalid template")

// SyntaxError reports an invalid user-supplied format template.
type SyntaxError struct {
	Template string // the template as given
	Offset   int    // byte offset of the offending '%'
	Msg      string // what is wrong
}

// Error returns e.g. `address: template "%Q": offset 0: unknown token "%Q"`.
func (e *SyntaxError) Error() string {
	return "address: template " + quote(e.Template) + ": offset " + itoa(e.Offset) + ": " + e.Msg
}

// Unwrap returns ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

type elemKind uint8

const (
	elemLiteral elemKind = iota
	elemField
	elemNewline
)

// Street line selections of an element of field StreetAddress.
const (
	linesAll   uint8 = iota // %A: every line, one per output line
	linesFirst              // %first_line
	linesRest               // %second_line: lines 2..n, one per output line
)

// element is one item of a compiled format: a literal, a field or a newline.
type element struct {
	kind    elemKind
	field   Field
	lines   uint8
	lit     string
	litHTML string // lit escaped for HTML, computed once by escapeLiterals
}

// escapeLiterals fills in the HTML form of every literal of elems; a
// literal with nothing to escape shares its text.
func escapeLiterals(elems []element) []element {
	for i := range elems {
		if e := &elems[i]; e.kind == elemLiteral {
			e.litHTML = e.lit
			if needsEscape(e.lit) {
				e.litHTML = string(appendEscaped(make([]byte, 0, escapedLen(e.lit)), e.lit, false))
			}
		}
	}
	return elems
}

// Template is a compiled address format. It is built by [ParseTemplate]
// from a libaddressinput-style format string, optionally using named
// tokens. The zero Template formats every address as the empty string.
// A Template is immutable and safe for concurrent use.
type Template struct {
	src   string
	elems []element
}

// namedToken is a named (Etsy-style) token of ParseTemplate.
type namedToken struct {
	name string
	elem element
}

// namedTokens returns the named tokens, longest first where one is a
// prefix of another.
func namedTokens() [7]namedToken {
	return [...]namedToken{
		{"country_name", element{kind: elemField, field: Country}},
		{"second_line", element{kind: elemField, field: StreetAddress, lines: linesRest}},
		{"first_line", element{kind: elemField, field: StreetAddress, lines: linesFirst}},
		{"state", element{kind: elemField, field: State}},
		{"name", element{kind: elemField, field: Name}},
		{"city", element{kind: elemField, field: City}},
		{"zip", element{kind: elemField, field: PostalCode}},
	}
}

// ParseTemplate compiles a format string. It accepts libaddressinput's
// tokens (%N name, %O organization, %A street lines, %D dependent locality,
// %C city, %S state, %Z postal code, %X sorting code, %n new line), the
// named tokens %name, %first_line, %second_line (street lines 2 and
// later), %city, %state, %zip and %country_name (the country's name in the
// address language), and %% for a literal percent sign. A new line is
// %n, a new-line character, or the two characters '\' 'n' as format
// strings stored in databases and configuration files write it (Etsy's
// `%name\n%first_line\n...`); `\\` is a literal backslash, and a
// backslash before any other character is kept as is. Named tokens win
// over single letters, so "%name" is the name and never a new line
// followed by "ame". Any other '%' sequence is a *SyntaxError. Literal
// text between tokens is kept, and dropped next to empty fields exactly as
// libaddressinput does.
//
// A template longer than [MaxTemplateSize] is a *SyntaxError.
// ParseTemplate takes time linear in len(s) and allocates at most 64
// bytes per byte of s (one element per token, the literals once as text
// and twice escaped for HTML; checked by TestParseTemplateAllocBound).
func ParseTemplate(s string) (Template, error) {
	if len(s) > MaxTemplateSize {
		return Template{}, &SyntaxError{Template: s[:64], Offset: MaxTemplateSize, Msg: "template longer than " + itoa(MaxTemplateSize) + " bytes"}
	}
	// Two passes: the first counts the elements, so that the second
	// allocates them once.
	var p templateParser
	if err := p.parse(s); err != nil {
		return Template{}, err
	}
	p.elems = make([]element, 0, p.n)
	p.n = 0
	_ = p.parse(s)
	return Template{src: s, elems: escapeLiterals(p.elems)}, nil
}

// templateParser is one pass of ParseTemplate: it counts elements in n
// and, when elems has room, appends them.
type templateParser struct {
	elems  []element
	n      int             // elements so far
	lit    strings.Builder // the literal being gathered
	inLit  bool            // a literal is being gathered
	litBeg int             // where it started in the source, if it is one run
	litEnd int             // where that run ends; -1 once it is not one run
}

// literal adds literal text; src is where it is in the source, or -1.
func (p *templateParser) literal(s string, text string, src int) {
	if text == "" {
		return
	}
	if !p.inLit {
		p.inLit, p.litBeg, p.litEnd = true, src, src
	}
	if p.litEnd >= 0 && src == p.litEnd {
		p.litEnd += len(text) // still one run of the source: no copy needed
		return
	}
	if p.litEnd >= 0 {
		p.lit.WriteString(s[p.litBeg:p.litEnd])
		p.litEnd = -1
	}
	p.lit.WriteString(text)
}

// flush ends the literal being gathered.
func (p *templateParser) flush(s string) {
	if !p.inLit {
		return
	}
	p.inLit = false
	p.n++
	if cap(p.elems) == 0 {
		p.lit.Reset()
		return
	}
	lit := ""
	if p.litEnd >= 0 {
		lit = s[p.litBeg:p.litEnd]
	} else {
		lit = p.lit.String()
		p.lit = strings.Builder{}
	}
	p.elems = append(p.elems, element{kind: elemLiteral, lit: lit})
}

// add adds a newline or field element.
func (p *templateParser) add(s string, e element) {
	p.flush(s)
	p.n++
	if cap(p.elems) > 0 {
		p.elems = append(p.elems, e)
	}
}

func (p *templateParser) parse(s string) error {
	i := 0
	for i < len(s) {
		j := strings.IndexAny(s[i:], "%\n\\")
		if j < 0 {
			p.literal(s, s[i:], i)
			break
		}
		p.literal(s, s[i:i+j], i)
		i += j
		switch {
		case s[i] == '\n':
			p.add(s, element{kind: elemNewline})
			i++
			continue
		case strings.HasPrefix(s[i:], `\n`):
			p.add(s, element{kind: elemNewline})
			i += 2
			continue
		case strings.HasPrefix(s[i:], `\\`):
			p.literal(s, `\`, i)
			i += 2
			continue
		case s[i] == '\\':
			p.literal(s, `\`, i)
			i++
			continue
		}
		rest := s[i+1:]
		matched := false
		for _, t := range namedTokens() {
			if strings.HasPrefix(rest, t.name) {
				p.add(s, t.elem)
				i += 1 + len(t.name)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		if rest == "" {
			return &SyntaxError{Template: s, Offset: i, Msg: "dangling %"}
		}
		switch c := rest[0]; {
		case c == 'n':
			p.add(s, element{kind: elemNewline})
		case c == '%':
			p.literal(s, "%", i+1)
		default:
			f, ok := fieldForLetter(c)
			if !ok {
				end := 2
				for end < len(s)-i && end < 8 && s[i+end] >= 'a' && s[i+end] <= 'z' {
					end++
				}
				return &SyntaxError{Template: s, Offset: i, Msg: "unknown token " + quote(s[i:i+min(end, len(s)-i)])}
			}
			p.add(s, element{kind: elemField, field: f})
		}
		i += 2
	}
	p.flush(s)
	return nil
}

// MustParseTemplate is like [ParseTemplate] but panics on error. It is for
// use in tests and with hard-coded templates.
func MustParseTemplate(s string) Template {
	t, err := ParseTemplate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// compileData compiles a format string from libaddressinput data exactly as
// its C++ parser does: %n is a new line, the eight field letters are
// fields, any other "%x" pair is skipped (India's 2025 %T %F %L landmark
// tokens among them), and literal runs are kept as separate elements.
func compileData(s string) []element {
	n := 0
	compileDataPass(s, func(element) { n++ })
	elems := make([]element, 0, n)
	compileDataPass(s, func(e element) { elems = append(elems, e) })
	return escapeLiterals(elems)
}

// compileDataPass calls emit with each element of a data format.
func compileDataPass(s string, emit func(element)) {
	prev := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if prev < i {
			emit(element{kind: elemLiteral, lit: s[prev:i]})
		}
		if i+1 >= len(s) {
			prev = len(s)
			break
		}
		i++
		if s[i] == 'n' {
			emit(element{kind: elemNewline})
		} else if f, ok := fieldForLetter(s[i]); ok {
			emit(element{kind: elemField, field: f})
		}
		prev = i + 1
	}
	if prev < len(s) {
		emit(element{kind: elemLiteral, lit: s[prev:]})
	}
}

// String returns a template source that parses back to t: libaddressinput
// letters for plain fields, named tokens for the others, %% for '%' and
// `\\` for a backslash.
func (t Template) String() string {
	var b strings.Builder
	for i, e := range t.elems {
		switch e.kind {
		case elemLiteral:
			b.WriteString(strings.NewReplacer("%", "%%", `\`, `\\`).Replace(e.lit))
		case elemNewline:
			if i+1 < len(t.elems) && t.elems[i+1].kind == elemLiteral && startsLikeName(t.elems[i+1].lit) {
				b.WriteByte('\n')
			} else {
				b.WriteString("%n")
			}
		case elemField:
			switch {
			case e.field == Country:
				b.WriteString("%country_name")
			case e.field == StreetAddress && e.lines == linesFirst:
				b.WriteString("%first_line")
			case e.field == StreetAddress && e.lines == linesRest:
				b.WriteString("%second_line")
			default:
				b.WriteByte('%')
				b.WriteByte(e.field.letter())
			}
		}
	}
	return b.String()
}

// startsLikeName reports whether "%n"+lit would read as a named token.
func startsLikeName(lit string) bool {
	for _, t := range namedTokens() {
		if t.name[0] == 'n' && strings.HasPrefix(t.name[1:], lit[:min(len(lit), len(t.name)-1)]) {
			return true
		}
	}
	return false
}

// Fields returns the fields t prints, in order of first use.
func (t Template) Fields() []Field {
	var seen fieldSet
	var fs []Field
	for _, e := range t.elems {
		if e.kind == elemField && !seen.has(e.field) {
			seen |= 1 << e.field
			fs = append(fs, e.field)
		}
	}
	return fs
}

// Format returns a formatted with t, lines joined by "\n".
func (t Template) Format(a Address) string {
	var buf [256]byte
	return string(t.AppendFormat(buf[:0], a))
}

// AppendFormat appends a formatted with t to dst and returns the result.
func (t Template) AppendFormat(dst []byte, a Address) []byte {
	o := renderOptions{sep: "\n", country: countryName(a.Country, a.Language)}
	return render(dst, t.elems, &a, &o)
}

// FormatHTML returns a formatted with t as an HTML fragment; see
// [FormatHTML] for the markup.
func (t Template) FormatHTML(a Address) string {
	var buf [512]byte
	return string(t.AppendHTML(buf[:0], a, nil))
}

// AppendHTML appends a formatted with t as an HTML fragment to dst, with
// the markup chosen by opts (nil: the markup of [FormatHTML]), and returns
// the extended buffer. Every value is escaped.
func (t Template) AppendHTML(dst []byte, a Address, opts *HTMLOptions) []byte {
	o := renderOptions{sep: "<br>", html: true, country: countryName(a.Country, a.Language), markup: newMarkup(opts)}
	if opts != nil && opts.LineBreak != "" {
		o.sep = opts.LineBreak
	}
	return render(dst, t.elems, &a, &o)
}

// quote returns s as a Go string literal, so that control characters and
// invalid UTF-8 in an error message show as escapes.
func quote(s string) string { return strconv.Quote(s) }
