package address

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
)

//go:generate go run ./data/gen.go ./data

//go:embed data/regions.txt
var embeddedRegions []byte

// defaultRules parses the embedded table once, on first use. It is the
// package's only package-level state: written once under sync.OnceValue
// and immutable afterwards.
var defaultRules = sync.OnceValue(func() *Rules {
	r, err := ParseRules(bytes.NewReader(embeddedRegions))
	if err != nil {
		panic("address: embedded data: " + err.Error()) // covered by tests
	}
	return r
})

// Default returns the rules built from the embedded data (Google's address
// metadata, 2023 snapshot, with the 2025 country rules overlaid). The table
// is parsed on the first call (a few milliseconds); later calls return the
// same value.
func Default() *Rules { return defaultRules() }

// ErrUnknownRegion is returned (wrapped) for a region code the rules do
// not know.
var ErrUnknownRegion = errors.New("address: unknown region")

// ParseError reports a malformed line of rules data.
type ParseError struct {
	Line int    // 1-based line number; 0 for a JSON object input
	Key  string // the node key, e.g. "data/US"
	Err  error  // the cause
}

// Error returns e.g. `address: line 12: data/US: <cause>`.
func (e *ParseError) Error() string {
	return "address: line " + itoa(e.Line) + ": " + e.Key + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// Rules is a set of per-region address rules: formats, required and
// upper-case fields, postal-code patterns and subdivisions. Build one with
// [ParseRules] or use [Default]. A Rules is immutable and safe for
// concurrent use; postal-code patterns are compiled on first use.
// The zero Rules knows no region and formats every address with the
// libaddressinput default format.
type Rules struct {
	regions [26 * 26]*region
	zz      *region
	codes   []string
}

// region holds the rules of one region.
type region struct {
	code            string
	name            string // upper-case English postal name, e.g. "UNITED STATES"
	lang            string
	languages       []string
	format          []element
	latinFormat     []element // nil when the region has no lfmt
	countryFirst    bool      // local format is big-to-small with a distinct Latin one
	require, upper  fieldSet
	used            fieldSet
	zip             string
	zipRE           func() *regexp.Regexp
	zipex           []string
	postprefix      string
	posturl         string
	stateType       string
	localityType    string
	sublocalityType string
	zipType         string
	widths          [numFields]Width
	labels          []labelOverride
	zipFirst        bool
	subs            []subdivision
	subIndex        map[string]int
	variants        map[string][]string // language -> subdivision names
}

// subdivision is a first-level administrative area.
type subdivision struct {
	key, name, lname, isoid string
	zip                     string
	zipRE                   func() *regexp.Regexp
	zipex                   []string
}

type labelOverride struct {
	Field   string `json:"field"`
	Label   string `json:"label"`
	Lang    string `json:"lang"`
	Message string `json:"message"`
}

// node is one entry of libaddressinput data.
type node struct {
	Fmt            string          `json:"fmt"`
	Lfmt           string          `json:"lfmt"`
	Require        *string         `json:"require"`
	Upper          *string         `json:"upper"`
	Name           string          `json:"name"`
	Lname          string          `json:"lname"`
	Key            string          `json:"key"`
	Isoid          string          `json:"isoid"`
	Lang           string          `json:"lang"`
	Languages      string          `json:"languages"`
	Postprefix     string          `json:"postprefix"`
	Posturl        string          `json:"posturl"`
	Zip            string          `json:"zip"`
	Zipex          string          `json:"zipex"`
	StateType      string          `json:"state_name_type"`
	LocalityType   string          `json:"locality_name_type"`
	SublocalType   string          `json:"sublocality_name_type"`
	ZipType        string          `json:"zip_name_type"`
	SubKeys        string          `json:"sub_keys"`
	SubNames       string          `json:"sub_names"`
	SubLnames      string          `json:"sub_lnames"`
	SubIsoids      string          `json:"sub_isoids"`
	SubZips        string          `json:"sub_zips"`
	SubZipexs      string          `json:"sub_zipexs"`
	WidthOverrides string          `json:"width_overrides"`
	LabelOverrides []labelOverride `json:"label_overrides"`
	ZipFirst       string          `json:"x_zipfirst"`
}

// ParseRules reads libaddressinput region data in either of its two
// published shapes: countryinfo.txt lines ("data/US={...}", one node per
// line), or a single JSON object keyed by node ("US", "US/CA" or
// "data/US"), as served by Google's address data service. Countries
// ("XX"), language variants ("XX--fr") and first-level subdivisions
// ("XX/KEY") are used; deeper nodes and other keys are ignored. Fields
// missing from a country are taken from "ZZ", as libaddressinput does.
func ParseRules(r io.Reader) (*Rules, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	nodes := map[string]*node{}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(t, &m); err != nil {
			return nil, &ParseError{Key: "{}", Err: err}
		}
		for k, v := range m {
			var n node
			if err := json.Unmarshal(v, &n); err != nil {
				return nil, &ParseError{Key: k, Err: err}
			}
			nodes[strings.TrimPrefix(k, "data/")] = &n
		}
	} else {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<22)
		for line := 1; sc.Scan(); line++ {
			text := strings.TrimSpace(sc.Text())
			if text == "" || strings.HasPrefix(text, "#") {
				continue
			}
			k, v, ok := strings.Cut(text, "=")
			if !ok {
				return nil, &ParseError{Line: line, Key: k, Err: errors.New("missing '='")}
			}
			if !strings.HasPrefix(k, "data/") {
				continue
			}
			var n node
			if err := json.Unmarshal([]byte(v), &n); err != nil {
				return nil, &ParseError{Line: line, Key: k, Err: err}
			}
			nodes[strings.TrimPrefix(k, "data/")] = &n
		}
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	return buildRules(nodes), nil
}

func buildRules(nodes map[string]*node) *Rules {
	rs := &Rules{}
	zz := nodes["ZZ"]
	if zz == nil {
		zz = &node{}
	}
	if zz.Fmt == "" {
		zz.Fmt = "%N%n%O%n%A%n%C"
	}
	if zz.Require == nil {
		s := "AC"
		zz.Require = &s
	}
	if zz.Upper == nil {
		s := "C"
		zz.Upper = &s
	}
	rs.zz = newRegion("ZZ", zz, zz, nodes)
	for k, n := range nodes {
		if len(k) != 2 || !isUpperCode(k) || k == "ZZ" {
			continue
		}
		rs.regions[regionIndex(k)] = newRegion(k, n, zz, nodes)
		rs.codes = append(rs.codes, k)
	}
	slices.Sort(rs.codes)
	return rs
}

func newRegion(code string, n, zz *node, nodes map[string]*node) *region {
	r := &region{
		code:            code,
		name:            n.Name,
		lang:            n.Lang,
		postprefix:      n.Postprefix,
		posturl:         n.Posturl,
		zip:             n.Zip,
		stateType:       or(n.StateType, zz.StateType),
		localityType:    or(n.LocalityType, zz.LocalityType),
		sublocalityType: or(n.SublocalType, zz.SublocalType),
		zipType:         or(n.ZipType, zz.ZipType),
		labels:          n.LabelOverrides,
		zipFirst:        n.ZipFirst == "true",
	}
	if n.Languages != "" {
		r.languages = strings.Split(n.Languages, "~")
	}
	if r.lang == "" && len(r.languages) > 0 {
		r.lang = r.languages[0]
	}
	r.format = compileData(or(n.Fmt, zz.Fmt))
	if n.Lfmt != "" {
		r.latinFormat = compileData(n.Lfmt)
		// A local format that ends with the recipient is big-to-small.
		r.countryFirst = n.Lfmt != or(n.Fmt, zz.Fmt) && !startsWithPerson(r.format)
	}
	r.require = parseFieldSet(derefOr(n.Require, *zz.Require))
	r.upper = parseFieldSet(derefOr(n.Upper, *zz.Upper))
	for _, es := range [][]element{r.format, r.latinFormat} {
		for _, e := range es {
			if e.kind == elemField {
				r.used |= 1 << e.field
			}
		}
	}
	r.zipRE = lazyRegexp("^(?:" + r.zip + ")$")
	if n.Zipex != "" {
		r.zipex = strings.Split(n.Zipex, ",")
	}
	parseWidths(&r.widths, n.WidthOverrides)

	if n.SubKeys != "" {
		keys := strings.Split(n.SubKeys, "~")
		names := splitN(n.SubNames, len(keys))
		lnames := splitN(n.SubLnames, len(keys))
		isoids := splitN(n.SubIsoids, len(keys))
		zips := splitN(n.SubZips, len(keys))
		zipexs := splitN(n.SubZipexs, len(keys))
		r.subs = make([]subdivision, len(keys))
		r.subIndex = make(map[string]int, 4*len(keys))
		for i, k := range keys {
			s := subdivision{key: k, name: or(names[i], k), lname: lnames[i], isoid: isoids[i], zip: zips[i]}
			zipex := zipexs[i]
			if sn := nodes[code+"/"+k]; sn != nil {
				s.name = or(sn.Name, s.name)
				s.lname = or(sn.Lname, s.lname)
				s.isoid = or(sn.Isoid, s.isoid)
				s.zip = or(sn.Zip, s.zip)
				zipex = or(sn.Zipex, zipex)
			}
			if zipex != "" {
				s.zipex = strings.Split(zipex, ",")
			}
			if s.zip != "" {
				s.zipRE = lazyRegexp("^(?:" + s.zip + ")")
			}
			r.subs[i] = s
			for _, alias := range [...]string{s.isoid, s.lname, s.name, s.key} {
				if alias != "" {
					r.subIndex[alias] = i
				}
			}
		}
		for k, vn := range nodes {
			base, lang, ok := strings.Cut(k, "--")
			if !ok || base != code || vn.SubNames == "" {
				continue
			}
			if r.variants == nil {
				r.variants = map[string][]string{}
			}
			// A variant lists its subdivisions in its own order.
			vkeys := keys
			if vn.SubKeys != "" {
				vkeys = strings.Split(vn.SubKeys, "~")
			}
			given := splitN(vn.SubNames, len(vkeys))
			vnames := make([]string, len(keys))
			for j, k := range vkeys {
				if i := slices.Index(keys, k); i >= 0 {
					vnames[i] = given[j]
				}
			}
			r.variants[lang] = vnames
			for i, name := range vnames {
				if name != "" {
					if _, dup := r.subIndex[name]; !dup {
						r.subIndex[name] = i
					}
				}
			}
		}
	}
	return r
}

// lazyRegexp returns a function compiling expr on its first call; a
// pattern Go cannot compile yields nil (no check).
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp {
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil
		}
		return re
	})
}

func splitN(s string, n int) []string {
	parts := make([]string, n)
	if s != "" {
		copy(parts, strings.Split(s, "~"))
	}
	return parts
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func derefOr(p *string, def string) string {
	if p != nil {
		return *p
	}
	return def
}

func isUpperCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

func regionIndex(code string) int {
	return int(code[0]-'A')*26 + int(code[1]-'A')
}

// lookup returns the region for an ISO code in any case, or nil.
func (rs *Rules) lookup(code string) *region {
	if len(code) != 2 {
		return nil
	}
	a, b := code[0]&^0x20, code[1]&^0x20
	if a < 'A' || a > 'Z' || b < 'A' || b > 'Z' {
		return nil
	}
	return rs.regions[int(a-'A')*26+int(b-'A')]
}

// region returns the region for code, falling back to ZZ.
func (rs *Rules) region(code string) *region {
	if r := rs.lookup(code); r != nil {
		return r
	}
	if rs.zz == nil {
		return zeroRegion()
	}
	return rs.zz
}

// zeroRegion is the ZZ region of the zero Rules.
var zeroRegion = sync.OnceValue(func() *region {
	return buildRules(map[string]*node{}).zz
})

// Regions returns the ISO codes of the regions rs knows, sorted.
func (rs *Rules) Regions() []string { return slices.Clone(rs.codes) }

// Has reports whether rs knows the region with ISO code code (any case).
func (rs *Rules) Has(code string) bool { return rs.lookup(code) != nil }

// findSub returns the index of the subdivision named by s (key, name,
// Latin name or ISO code, exact first, then case-insensitively), or -1.
func (r *region) findSub(s string) int {
	if i, ok := r.subIndex[s]; ok {
		return i
	}
	for i := range r.subs {
		sd := &r.subs[i]
		if strings.EqualFold(s, sd.key) || strings.EqualFold(s, sd.name) ||
			(sd.lname != "" && strings.EqualFold(s, sd.lname)) || (sd.isoid != "" && strings.EqualFold(s, sd.isoid)) {
			return i
		}
	}
	for _, names := range r.variants {
		for i, n := range names {
			if n != "" && strings.EqualFold(s, n) {
				return i
			}
		}
	}
	return -1
}

// startsWithPerson reports whether the first field of a format is %N or %O.
func startsWithPerson(elems []element) bool {
	for _, e := range elems {
		if e.kind == elemField {
			return e.field == Name || e.field == Organization
		}
	}
	return false
}
