package address

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{
		"%N%n%O%n%A%n%C, %S %Z", "%name%n%first_line%n%second_line%n%city, %state %zip%n%country_name",
		"〒%Z%n%S%n%A%n%O%n%N", "%O%n%N%n%A%nAX-%Z %C%nÅLAND", "%", "%%", "%n" + "ame", "%Q", "a\nb",
		etsyFormat, `a\\b\\nc\`, `\name%%\n%%`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 256 {
			return
		}
		tmpl, err := ParseTemplate(s)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("ParseTemplate(%q) error %T, want *SyntaxError", s, err)
			}
			return
		}
		again, err := ParseTemplate(tmpl.String())
		if err != nil {
			t.Fatalf("ParseTemplate(String()=%q) of %q: %v", tmpl.String(), s, err)
		}
		if len(again.elems) != len(tmpl.elems) {
			t.Fatalf("round trip of %q via %q: %d elements, want %d", s, tmpl.String(), len(again.elems), len(tmpl.elems))
		}
		for i := range again.elems {
			if again.elems[i] != tmpl.elems[i] {
				t.Fatalf("round trip of %q via %q: element %d = %+v, want %+v", s, tmpl.String(), i, again.elems[i], tmpl.elems[i])
			}
		}
		out := tmpl.Format(usAddress)
		if strings.Contains(out, "\n\n") || strings.HasPrefix(out, "\n") || strings.HasSuffix(out, "\n") {
			t.Fatalf("Format with %q = %q has an empty line", s, out)
		}
		checkHTML(t, tmpl.FormatHTML(usAddress))
		checkMarkup(t, string(tmpl.AppendHTML(nil, usAddress, &HTMLOptions{Classes: TokenClasses()})), tokenTags)
	})
}

// allowedTags are the only markup FormatHTML writes.
var allowedTags = func() []string {
	tags := []string{"<br>", "</span>"}
	for f := Country; f < numFields; f++ {
		tags = append(tags, `<span class="`+f.String()+`">`)
	}
	return tags
}()

// checkHTML fails unless every '<' in html starts one of the tags the
// formatter writes, and no '>', quote, NUL or invalid UTF-8 appears
// outside them: user data cannot open a tag or an attribute.
func checkHTML(t *testing.T, html string) {
	t.Helper()
	checkMarkup(t, html, allowedTags)
}

// tokenTags are the only markup of HTMLOptions{Classes: TokenClasses()}.
var tokenTags = func() []string {
	c := TokenClasses()
	tags := []string{"<br>", "</span>"}
	for _, name := range []string{c.Name, c.Organization, c.FirstLine, c.OtherLines, c.DependentLocality,
		c.City, c.State, c.PostalCode, c.SortingCode, c.Country} {
		tags = append(tags, `<span class="`+name+`">`)
	}
	return tags
}()

// checkMarkup is checkHTML with the given set of tags.
func checkMarkup(t *testing.T, html string, allowedTags []string) {
	t.Helper()
	if !utf8.ValidString(html) {
		t.Fatalf("invalid UTF-8 in %q", html)
	}
	rest := html
	for rest != "" {
		i := strings.IndexAny(rest, "<>\"'\x00")
		if i < 0 {
			break
		}
		if rest[i] != '<' {
			t.Fatalf("stray %q at %d in %q", rest[i], len(html)-len(rest)+i, html)
		}
		rest = rest[i:]
		ok := false
		for _, tag := range allowedTags {
			if strings.HasPrefix(rest, tag) {
				rest = rest[len(tag):]
				ok = true
				break
			}
		}
		if !ok {
			t.Fatalf("unexpected markup at %q in %q", rest[:min(len(rest), 20)], html)
		}
	}
	if strings.Count(html, "<span") != strings.Count(html, "</span>") {
		t.Fatalf("unbalanced spans in %q", html)
	}
}

// FuzzFormatHTML feeds arbitrary bytes (markup characters, NUL, invalid
// UTF-8) into every field of addresses of several regions and checks the
// HTML safety invariant, that plain text keeps the input unchanged, and
// that Validate and Form neither panic nor write invalid UTF-8 in errors.
func FuzzFormatHTML(f *testing.F) {
	f.Add("US", "ja-Latn", `<script>alert("x")</script>`, "'onload='x", "a&b", "\x00\xff\xfe", "<", ">")
	f.Add("JP", "ja", "\"", "'", "</span><span class=\"x\">", "&amp;", "\xc3", "東京都")
	f.Add("CH", "", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, country, lang, s1, s2, s3, s4, s5, s6 string) {
		if len(s1)+len(s2)+len(s3)+len(s4)+len(s5)+len(s6) > 1024 {
			return
		}
		a := Address{Country: country, Language: lang, Name: s1, Organization: s2, StreetLines: []string{s3, s4},
			DependentLocality: s5, City: s6, State: s1 + s2, PostalCode: s4, SortingCode: s5}
		for _, fm := range []Formatter{{}, {SingleLine: true}, {PostalLabel: true}} {
			checkHTML(t, fm.FormatHTML(a))
		}
		tokens := Formatter{PostalLabel: true, HTML: &HTMLOptions{Classes: TokenClasses()}}
		checkMarkup(t, tokens.FormatHTML(a), tokenTags)
		if err := Validate(a); err != nil && !utf8.ValidString(err.Error()) {
			t.Fatalf("Validate error message is not valid UTF-8: %q", err.Error())
		}
		if _, err := Form(country, lang); err != nil && !utf8.ValidString(err.Error()) {
			t.Fatalf("Form error message is not valid UTF-8: %q", err.Error())
		}
		text := Format(a)
		if !strings.Contains(text, strings.TrimSpace(s6)) && !isBlank(s6) && Default().region(country).used.has(City) {
			// The city is printed unchanged wherever the format uses it.
			if strings.Contains(Template{elems: Default().region(country).formatFor(lang)}.String(), "%C") {
				t.Fatalf("Format lost the city %q: %q", s6, text)
			}
		}
	})
}

// FuzzParseRules feeds arbitrary rule data to ParseRules and uses the
// result: no input may make parsing, formatting, validation or forms panic.
func FuzzParseRules(f *testing.F) {
	f.Add("data/ZZ={\"fmt\":\"%N%n%O%n%A%n%C\",\"require\":\"AC\",\"upper\":\"C\"}\ndata/US={\"fmt\":\"%C, %S %Z\",\"zip\":\"\\\\d{5}\",\"sub_keys\":\"CA~NY\",\"sub_zips\":\"9~1\"}")
	f.Add(`{"US": {"fmt": "%N%n%A%n%C %S %Z", "zip": "(", "sub_keys": "CA", "width_overrides": "%S:S%"}, "US/CA": {"zip": "["}, "US--fr": {"sub_keys": "CA", "sub_names": "Californie"}}`)
	f.Add("data/JP={\"fmt\":\"〒%Z%n%S%n%A\",\"lfmt\":\"%N%n%A, %S%n%Z\",\"label_overrides\":[{\"field\":\"S\",\"label\":\"x\"}]}\n# comment\nexamples/US=1")
	f.Add("data/XX=not json")
	f.Fuzz(func(t *testing.T, data string) {
		if len(data) > 4096 {
			return
		}
		rs, err := ParseRules(strings.NewReader(data))
		if err != nil {
			if _, ok := errors.AsType[*ParseError](err); !ok {
				t.Fatalf("ParseRules error %T %v, want *ParseError", err, err)
			}
			return
		}
		// Every pattern ParseRules accepted compiles: checkPattern's
		// syntax.Parse fails wherever regexp.Compile would.
		for _, code := range rs.Regions() {
			r := rs.lookup(code)
			if r.zip != "" && r.zipRE.get() == nil {
				t.Fatalf("%s: accepted pattern %q does not compile", code, r.zip)
			}
			for i := range r.subs {
				if s := &r.subs[i]; s.zip != "" && s.zipRE.get() == nil {
					t.Fatalf("%s/%s: accepted pattern %q does not compile", code, s.key, s.zip)
				}
			}
		}
		fm := Formatter{Rules: rs}
		label := Formatter{Rules: rs, PostalLabel: true, SingleLine: true}
		for _, code := range append(rs.Regions(), "ZZ", "QZ") {
			for _, lang := range []string{"", "en-Latn"} {
				a := Address{Country: code, Language: lang, Name: "N", StreetLines: []string{"A"}, City: "C", State: "CA", PostalCode: "12345"}
				_ = fm.Format(a)
				checkHTML(t, label.FormatHTML(a))
				_ = rs.Validate(a)
				_, _ = rs.Form(code, lang)
			}
		}
	})
}

// FuzzEscape checks appendEscaped against a naive byte-by-byte reference.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "Mountain View", "a<b>&\"c'd\x00", "Zürich\xff12345678<", "12345678abcdefgh"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want []byte
		for i := 0; i < len(s); {
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && n == 1, r == 0:
				want = append(want, "\uFFFD"...)
			case r == '&':
				want = append(want, "&amp;"...)
			case r == '<':
				want = append(want, "&lt;"...)
			case r == '>':
				want = append(want, "&gt;"...)
			case r == '"':
				want = append(want, "&#34;"...)
			case r == '\'':
				want = append(want, "&#39;"...)
			default:
				want = append(want, s[i:i+n]...)
			}
			i += n
		}
		if got := appendEscaped(nil, s, false); string(got) != string(want) {
			t.Fatalf("appendEscaped(%q) = %q, want %q", s, got, want)
		}
	})
}
