package address

import "strings"

// countryNameRow is one country of the generated name table.
type countryNameRow struct {
	code  string
	names [len(nameLanguages)]string
}

// CountryName returns the display name of a country (ISO code, any case)
// in a language: one of en, de, fr, es, pt, it, ja, ko, zh, zh-Hant, ru,
// ar and nl (CLDR names). Other tags fall back by primary language
// ("de-AT" to "de", "zh-TW", "zh-HK" and "zh-Hant-*" to "zh-Hant"), then
// to English. The boolean is false for an unknown code.
func CountryName(code, language string) (string, bool) {
	s := countryName(code, language)
	return s, s != ""
}

func countryName(code, language string) string {
	if len(code) != 2 {
		return ""
	}
	var up [2]byte
	up[0], up[1] = code[0]&^0x20, code[1]&^0x20
	lo, hi := 0, len(countryNames)
	for lo < hi {
		m := (lo + hi) / 2
		if countryNames[m].code < string(up[:]) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == len(countryNames) || countryNames[lo].code != string(up[:]) {
		return ""
	}
	row := &countryNames[lo]
	if n := row.names[nameColumn(language)]; n != "" {
		return n
	}
	return row.names[0]
}

// nameColumn maps a BCP 47 tag to a column of the name table.
func nameColumn(tag string) int {
	base := tag
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		base = tag[:i]
	}
	if strings.EqualFold(base, "zh") {
		rest := strings.ToLower(strings.ReplaceAll(tag[len(base):], "_", "-"))
		if strings.HasPrefix(rest, "-hant") || strings.HasPrefix(rest, "-tw") || strings.HasPrefix(rest, "-hk") || strings.HasPrefix(rest, "-mo") {
			return 9
		}
		return 8
	}
	for i, l := range nameLanguages {
		if strings.EqualFold(l, base) {
			return i
		}
	}
	return 0
}
