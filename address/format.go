package address

import "strings"

// Formatter formats addresses with a set of rules and options. The zero
// value formats like [Format]: the embedded rules, multi-line text, no
// country line. A Formatter is safe for concurrent use as long as its
// fields are not modified.
type Formatter struct {
	// Rules supplies the region formats; nil means [Default].
	Rules *Rules
	// SingleLine joins the lines with the separator of the address
	// language (", " for most languages and when Language is empty, "، "
	// for Arabic-script ones, " " for Korean and Thai, nothing for Chinese
	// and Japanese unless the tag has a Latn script), as libaddressinput's
	// GetFormattedNationalAddressLine does.
	SingleLine bool
	// PostalLabel upper-cases the fields the region lists as upper case,
	// replaces a subdivision name by its Latin postal key (e.g.
	// "California" by "CA") and adds the destination country in upper-case
	// English, first for big-to-small local formats (CN, JP, KR, TW...)
	// and last otherwise, as the UPU recommends for international mail.
	PostalLabel bool
	// Origin is the ISO code of the sending country. With PostalLabel, the
	// country line is left out when Origin equals the address country.
	Origin string
	// HTML chooses the element, class names and line break of
	// [Formatter.FormatHTML] and [Formatter.AppendHTML]; nil means the
	// markup of [FormatHTML]. With SingleLine, lines are joined by the
	// language's separator instead of the line break.
	HTML *HTMLOptions
}

// Format returns a as multi-line display text: lines joined by "\n", no
// trailing new line, no country line. It uses the embedded rules; an
// unknown or empty country uses the "ZZ" default format. The text holds
// exactly the characters of the address values (no escaping).
func Format(a Address) string {
	var buf [256]byte
	o := renderOptions{sep: "\n"}
	r := Default().region(a.Country)
	return string(render(buf[:0], r.formatFor(a.Language), &a, &o))
}

// AppendFormat appends the result of [Format] to dst and returns the
// extended buffer. It does not allocate when dst has room.
func AppendFormat(dst []byte, a Address) []byte {
	o := renderOptions{sep: "\n"}
	r := Default().region(a.Country)
	return render(dst, r.formatFor(a.Language), &a, &o)
}

// FormatHTML returns a as an HTML fragment: the lines of [Format] joined
// by "<br>", each field value wrapped in a span whose class is the field
// name ([Field.String]): name, organization, street_address (one span per
// line), dependent_locality, city, state, postal_code, sorting_code and
// country. Every value and literal is escaped (& < > " ' as references,
// NUL and invalid UTF-8 as U+FFFD), so user data never opens a tag or an
// attribute.
func FormatHTML(a Address) string {
	var buf [512]byte
	o := renderOptions{sep: "<br>", html: true}
	r := Default().region(a.Country)
	return string(render(buf[:0], r.formatFor(a.Language), &a, &o))
}

// Format returns a formatted as text with f's rules and options.
func (f *Formatter) Format(a Address) string {
	var buf [256]byte
	return string(f.AppendFormat(buf[:0], a))
}

// AppendFormat appends a formatted as text to dst.
func (f *Formatter) AppendFormat(dst []byte, a Address) []byte {
	return f.append(dst, &a, false)
}

// FormatHTML returns a formatted as HTML; see [FormatHTML].
func (f *Formatter) FormatHTML(a Address) string {
	var buf [512]byte
	return string(f.AppendHTML(buf[:0], a))
}

// AppendHTML appends a formatted as HTML to dst.
func (f *Formatter) AppendHTML(dst []byte, a Address) []byte {
	return f.append(dst, &a, true)
}

// Lines returns the formatted text lines of a.
func (f *Formatter) Lines(a Address) []string {
	g := *f
	g.SingleLine = false
	s := g.Format(a)
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func (f *Formatter) append(dst []byte, a *Address, html bool) []byte {
	rs := f.Rules
	if rs == nil {
		rs = Default()
	}
	r := rs.region(a.Country)
	latin := hasLatinScript(a.Language)
	elems := r.formatFor(a.Language)
	o := renderOptions{sep: "\n", html: html}
	if f.SingleLine {
		o.sep = lineSeparator(a.Language)
	}
	if html && !f.SingleLine {
		o.sep = "<br>" // the single-line separators need no escaping
		if f.HTML != nil && f.HTML.LineBreak != "" {
			o.sep = f.HTML.LineBreak
		}
	}
	if html {
		o.markup = newMarkup(f.HTML)
	}
	if !f.PostalLabel {
		return render(dst, elems, a, &o)
	}
	o.upper = r.upper
	if i := r.findSubIfAny(a.State); i >= 0 && isASCIILetters(r.subs[i].key) {
		o.state = r.subs[i].key
	}
	country := ""
	if r.code != "ZZ" && !strings.EqualFold(a.Country, f.Origin) {
		country = r.name
		if country == "" {
			country = strings.ToUpper(countryName(r.code, "en"))
		}
	}
	w := lineWriter{opts: &o}
	first := r.countryFirst && !(latin && r.latinFormat != nil)
	if country != "" && first {
		o.country = country
		dst = w.value(dst, Country, country)
		w.newline()
	}
	dst = w.elements(dst, elems, a)
	if country != "" && !first {
		o.country = country
		w.newline()
		dst = w.value(dst, Country, country)
	}
	return w.finish(dst)
}

// findSubIfAny is findSub for a non-blank value of a region with subdivisions.
func (r *region) findSubIfAny(s string) int {
	if len(r.subs) == 0 || isBlank(s) {
		return -1
	}
	return r.findSub(s)
}

func isASCIILetters(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// formatFor returns the display format for an address language: the
// Latin-script format when the language tag has a Latn script subtag and
// the region has one, the local format otherwise.
func (r *region) formatFor(language string) []element {
	if r.latinFormat != nil && language != "" && hasLatinScript(language) {
		return r.latinFormat
	}
	return r.format
}

// hasLatinScript reports whether a BCP 47 tag has "Latn" as its second or
// third subtag ("ja-Latn", "zh-Latn-pinyin", "sr-RS-Latn"), with
// '_' accepted as a separator, as libaddressinput's Language does.
func hasLatinScript(tag string) bool {
	n := 0
	for i := 0; i < len(tag) && n < 3; {
		j := i
		for j < len(tag) && tag[j] != '-' && tag[j] != '_' {
			j++
		}
		if n > 0 && j-i == 4 && strings.EqualFold(tag[i:j], "latn") {
			return true
		}
		n++
		i = j + 1
	}
	return false
}

// baseLanguage returns the lower-case primary subtag of a BCP 47 tag.
func baseLanguage(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}

// lineSeparator returns the separator between address lines on a single
// line for a language, following libaddressinput.
func lineSeparator(language string) string {
	if hasLatinScript(language) {
		return ", "
	}
	switch baseLanguage(language) {
	case "th", "ko":
		return " "
	case "ja", "zh":
		return ""
	case "ar", "fa", "ku", "ps", "ur":
		return "، "
	}
	return ", "
}

// StreetLine returns the street lines of a joined on one line with the
// separator of a.Language, as libaddressinput's
// GetStreetAddressLinesAsSingleLine does; blank lines are skipped.
func StreetLine(a Address) string {
	sep := lineSeparator(a.Language)
	var b strings.Builder
	for _, l := range a.StreetLines {
		if isBlank(l) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(l)
	}
	return b.String()
}
