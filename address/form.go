package address

import (
	"slices"
	"strings"
)

// Width is an input-field width hint.
type Width uint8

// Width hints, after libaddressinput's LengthHint.
const (
	Long  Width = iota + 1 // the field takes a whole row
	Short                  // the field shares its row
)

// String returns "long" or "short".
func (w Width) String() string {
	switch w {
	case Long:
		return "long"
	case Short:
		return "short"
	}
	return "width(" + itoa(int(w)) + ")"
}

// parseWidths reads width overrides such as "%C:L%S:S".
func parseWidths(ws *[numFields]Width, s string) {
	for i := 0; i+3 < len(s); i++ {
		if s[i] != '%' || s[i+2] != ':' {
			continue
		}
		if f, ok := fieldForLetter(s[i+1]); ok {
			switch s[i+3] {
			case 'L':
				ws[f] = Long
			case 'S':
				ws[f] = Short
			}
		}
	}
}

// FormField is one input field of a [FormLayout].
type FormField struct {
	Field Field
	// Label is the kind of label the region uses for the field, one of:
	// name, organization, street_address, sorting_code; for State: area,
	// county, department, district, do_si, emirate, island, oblast,
	// parish, prefecture, province, state; for City: city, district,
	// post_town, suburb; for DependentLocality: district, neighborhood,
	// suburb, townland, village_township; for PostalCode: eircode, pin,
	// postal, zip.
	Label string
	// LabelText is the English label ("ZIP code", "Prefecture"), or the
	// region's own label for the form language where the data has one.
	LabelText string
	Required  bool
	Uppercase bool // the region writes this field in upper case
	Width     Width
}

// Subdivision is a first-level administrative area offered for the State
// field.
type Subdivision struct {
	Key       string // the value libaddressinput stores, e.g. "CA" or "東京都"
	Name      string // the name in the form language, or the local name
	LatinName string // the Latin-script name, when the data has one
	ISOCode   string // the ISO 3166-2 suffix, e.g. "CA" or "13", if known
}

// FormLayout describes the input form of a region in a language. Each call
// to Form returns a new layout that shares nothing with the rules, so the
// caller may modify it; it is safe for concurrent reads.
type FormLayout struct {
	Country  string
	Language string // the language the layout was built for
	// Rows are the rows of input fields, in input order. Input order is
	// the display order, except that name and organization rows come
	// first, and the postal code gets its own row before the other address
	// rows where the region asks for it first (the local formats of CN,
	// JP, KP and TW start with it; Shopify's forms ask it first for BR,
	// HU, JP, KG, KR and TM).
	Rows           [][]FormField
	Subdivisions   []Subdivision
	PostalPattern  string   // Go regexp matching a whole postal code; empty when none
	PostalExamples []string // example postal codes
	PostalPrefix   string   // printed before the postal code, e.g. "CH-"
	PostalURL      string   // postal-code lookup page
}

// Form returns the input-form layout of a region (ISO code, any case) in
// a language (BCP 47, may be empty) with the embedded rules.
func Form(country, language string) (FormLayout, error) {
	return Default().Form(country, language)
}

// labelText returns the English label of a label kind, from
// libaddressinput's messages.
func labelText(kind string) string {
	switch kind {
	case "name":
		return "Name"
	case "organization":
		return "Organization"
	case "street_address":
		return "Street address"
	case "sorting_code":
		return "Sorting code"
	case "city":
		return "City"
	case "post_town":
		return "Post town"
	case "suburb":
		return "Suburb"
	case "district":
		return "District"
	case "townland":
		return "Townland"
	case "village_township":
		return "Village / Township"
	case "neighborhood":
		return "Neighborhood"
	case "eircode":
		return "Eircode"
	case "pin":
		return "PIN code"
	case "postal":
		return "Postal code"
	case "zip":
		return "ZIP code"
	case "area":
		return "Area"
	case "county":
		return "County"
	case "department":
		return "Department"
	case "do_si":
		return "Do/Si"
	case "emirate":
		return "Emirate"
	case "island":
		return "Island"
	case "oblast":
		return "Oblast"
	case "parish":
		return "Parish"
	case "prefecture":
		return "Prefecture"
	case "province":
		return "Province"
	case "state":
		return "State"
	}
	return ""
}

// Form returns the input-form layout of a region in a language. Rows come
// from the display format (the Latin-script one for a Latn language tag),
// reordered for input as described at [FormLayout.Rows]. A field is Long
// when alone in its row and Short otherwise, unless the region overrides
// it. An unknown region returns ErrUnknownRegion.
func (rs *Rules) Form(country, language string) (FormLayout, error) {
	r := rs.lookup(country)
	if r == nil {
		return FormLayout{}, &regionError{code: country}
	}
	latin := r.latinFormat != nil && hasLatinScript(language)
	elems := r.formatFor(language)
	var rows [][]Field
	var row []Field
	var seen fieldSet
	for _, e := range elems {
		switch e.kind {
		case elemNewline:
			if len(row) > 0 {
				rows = append(rows, row)
				row = nil
			}
		case elemField:
			if !seen.has(e.field) {
				seen |= 1 << e.field
				row = append(row, e.field)
			}
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	// Name and organization rows first, in display order.
	var ordered [][]Field
	for _, rw := range rows {
		if onlyPerson(rw) {
			ordered = append(ordered, rw)
		}
	}
	zipFirst := r.zipFirst || (!latin && len(r.format) > 0 && startsWithPostal(r.format))
	if zipFirst && seen.has(PostalCode) {
		ordered = append(ordered, []Field{PostalCode})
	}
	for _, rw := range rows {
		if onlyPerson(rw) {
			continue
		}
		if zipFirst {
			rw = without(rw, PostalCode)
			if len(rw) == 0 {
				continue
			}
		}
		ordered = append(ordered, rw)
	}

	lay := FormLayout{
		Country:        r.code,
		Language:       language,
		PostalPattern:  r.zip,
		PostalExamples: slices.Clone(r.zipex), // the caller may modify the layout
		PostalPrefix:   r.postprefix,
		PostalURL:      r.posturl,
	}
	if lay.PostalPattern != "" {
		lay.PostalPattern = "^(?:" + r.zip + ")$"
	}
	for _, rw := range ordered {
		out := make([]FormField, len(rw))
		for i, f := range rw {
			ff := FormField{Field: f, Required: (r.require | rs.siteRequire()).has(f), Uppercase: r.upper.has(f), Width: Long}
			if len(rw) > 1 {
				ff.Width = Short
			}
			if w := r.widths[f]; w != 0 {
				ff.Width = w
			}
			ff.Label = r.labelType(f)
			ff.LabelText = r.labelText(f, ff.Label, language)
			out[i] = ff
		}
		lay.Rows = append(lay.Rows, out)
	}
	names := r.variants[baseLanguage(language)]
	if names == nil {
		names = r.variants[language]
	}
	for i := range r.subs {
		s := &r.subs[i]
		name := s.name
		if i < len(names) && names[i] != "" {
			name = names[i]
		} else if latin && s.lname != "" {
			name = s.lname
		}
		lay.Subdivisions = append(lay.Subdivisions, Subdivision{Key: s.key, Name: name, LatinName: s.lname, ISOCode: s.isoid})
	}
	return lay, nil
}

func onlyPerson(rw []Field) bool {
	for _, f := range rw {
		if f != Name && f != Organization {
			return false
		}
	}
	return true
}

func without(rw []Field, f Field) []Field {
	var out []Field
	for _, g := range rw {
		if g != f {
			out = append(out, g)
		}
	}
	return out
}

// startsWithPostal reports whether the first field of a format is %Z.
func startsWithPostal(elems []element) bool {
	for _, e := range elems {
		if e.kind == elemField {
			return e.field == PostalCode
		}
	}
	return false
}

func (r *region) labelType(f Field) string {
	switch f {
	case State:
		return r.stateType
	case City:
		return r.localityType
	case DependentLocality:
		return r.sublocalityType
	case PostalCode:
		return r.zipType
	}
	return f.String()
}

// labelText returns the region's label override that best fits the
// language, if any, else the English text of the label type. An override
// for the exact tag ("zh-TW") wins over one for a Traditional Chinese
// equivalent ("zh-HK" for "zh-Hant"), which wins over one for the primary
// language ("zh"); an override without a language applies otherwise.
func (r *region) labelText(f Field, label, language string) string {
	letter := string(f.letter())
	best, bestScore := "", 0
	for _, o := range r.labels {
		if o.Field != letter || o.Label == "" {
			continue
		}
		if s := languageMatch(o.Lang, language); s > bestScore {
			best, bestScore = o.Label, s
		}
	}
	if best != "" {
		return best
	}
	return labelText(label)
}

// languageMatch scores how well a data language tag fits a requested
// one: 4 the same tag ('-' and '_' alike, any case), 3 both Traditional
// Chinese, 2 the same primary language, 1 a data tag without language
// (the default), 0 no match.
func languageMatch(data, want string) int {
	switch {
	case data == "":
		return 1
	case want == "":
		return 0
	case len(data) == len(want) && strings.EqualFold(strings.ReplaceAll(data, "_", "-"), strings.ReplaceAll(want, "_", "-")):
		return 4
	case baseLanguage(data) != baseLanguage(want):
		return 0
	case nameColumn(data) == nameColumn(want) && baseLanguage(want) == "zh" && nameColumn(want) != nameColumn("zh"):
		return 3
	case !strings.ContainsAny(data, "-_"):
		return 2
	}
	return 0
}

// regionError wraps ErrUnknownRegion with the code.
type regionError struct{ code string }

func (e *regionError) Error() string { return "address: unknown region " + quote(e.code) }
func (e *regionError) Unwrap() error { return ErrUnknownRegion }
