package address

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

//go:generate go run ./data/gen.go ./data

// defaultRules builds the rules of the generated table (regions_gen.go)
// once, on first use. It is the package's only package-level state:
// written once under sync.OnceValue and immutable afterwards.
var defaultRules = sync.OnceValue(func() *Rules { //nolint:gochecknoglobals // immutable once built, see above
	nodes := make(map[string]*node, len(embeddedNodes))
	for i := range embeddedNodes {
		nodes[embeddedNodes[i].key] = &embeddedNodes[i].n // read only
	}
	return buildRules(nodes)
})

// Default returns the rules built from the embedded data (Google's address
// metadata, 2023 snapshot, with the 2025 country rules overlaid). The table
// is built on the first call (a few milliseconds); later calls return
// the same value.
func Default() *Rules { return defaultRules() }

// ErrUnknownRegion is returned (wrapped) for a region code the rules do
// not know.
var ErrUnknownRegion = errors.New("address: unknown region")

// ParseError reports a malformed line or node of rules data.
type ParseError struct {
	Line  int    // 1-based line number; 0 for a JSON object input
	Key   string // the node key as written, e.g. "data/US"; "{}" for the object itself
	Field string // the JSON field at fault, e.g. "zip"; empty when the node as a whole is
	Err   error  // the cause
}

// Error returns e.g. `address: line 12: "data/US": byte 9: <cause>` or
// `address: line 3: "data/US": field "zip": invalid pattern "(": <cause>`;
// the line is left out for a JSON object input.
func (e *ParseError) Error() string {
	s := "address: "
	if e.Line > 0 {
		s += "line " + itoa(e.Line) + ": "
	}
	s += quote(e.Key) + ": "
	if e.Field != "" {
		s += "field " + quote(e.Field) + ": "
	}
	return s + e.Err.Error()
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// Rules is a set of per-region address rules: formats, required and
// upper-case fields, postal-code patterns and subdivisions. Build one with
// [ParseRules] or use [Default]. A Rules is immutable and safe for
// concurrent use; postal-code patterns are compiled on first use.
// The zero Rules, like a nil *Rules, knows no region and formats every
// address with the libaddressinput default format.
type Rules struct {
	regions [26 * 26]*region
	zz      *region
	codes   []string
	require fieldSet // fields required on top of each region's own (Require)
}

// ErrField is returned (wrapped) for a Field value that is not one of the
// fields of an Address.
var ErrField = errors.New("address: invalid field")

// Require returns rules that are rs plus site rules: fields are also
// required in every region whose format prints them, as a shop that needs
// the recipient's name requires [Name] everywhere. A field a region does
// not print stays optional there (a state in Germany), and the country is
// always required. The regions are shared with rs, not copied, and rs is
// not changed. Require returns an error matching [ErrField] for a value
// that is not a field of an Address.
func (rs *Rules) Require(fields ...Field) (*Rules, error) {
	var c Rules
	if rs != nil {
		c = *rs
	}
	for _, f := range fields {
		if f == Country || f >= numFields {
			return nil, fmt.Errorf("%w: %d", ErrField, uint8(f))
		}
		c.require |= 1 << f
	}
	return &c, nil
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
	zipRE           lazyRegexp
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
	zipRE                   lazyRegexp
	zipex                   []string
}

type labelOverride struct {
	Field   string `json:"field"`
	Label   string `json:"label"`
	Lang    string `json:"lang"`
	Message string `json:"message"`
}

// node is one entry of libaddressinput data, as decoded from JSON or
// written by the generator. HasRequire and HasUpper tell an empty list
// from a missing one.
type node struct {
	Fmt, Lfmt                                      string
	Require, Upper                                 string
	HasRequire, HasUpper                           bool
	Name, Lname, Key, Isoid                        string
	Lang, Languages, Postprefix, Posturl           string
	Zip, Zipex                                     string
	StateType, LocalityType, SublocalType, ZipType string
	SubKeys, SubNames, SubLnames, SubIsoids        string
	SubZips, SubZipexs                             string
	WidthOverrides                                 string
	LabelOverrides                                 []labelOverride
	ZipFirst                                       string
}

// keyedNode is a node with its key (without "data/"), as generated.
type keyedNode struct {
	key string
	n   node
}

// jsonNode is the JSON shape of a node.
type jsonNode struct {
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

func decodeNode(b []byte) (*node, error) {
	var j jsonNode
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, jsonPosition(err)
	}
	n := &node{
		Fmt: j.Fmt, Lfmt: j.Lfmt, Name: j.Name, Lname: j.Lname, Key: j.Key, Isoid: j.Isoid,
		Lang: j.Lang, Languages: j.Languages, Postprefix: j.Postprefix, Posturl: j.Posturl,
		Zip: j.Zip, Zipex: j.Zipex, StateType: j.StateType, LocalityType: j.LocalityType,
		SublocalType: j.SublocalType, ZipType: j.ZipType, SubKeys: j.SubKeys, SubNames: j.SubNames,
		SubLnames: j.SubLnames, SubIsoids: j.SubIsoids, SubZips: j.SubZips, SubZipexs: j.SubZipexs,
		WidthOverrides: j.WidthOverrides, LabelOverrides: j.LabelOverrides, ZipFirst: j.ZipFirst,
	}
	if j.Require != nil {
		n.Require, n.HasRequire = *j.Require, true
	}
	if j.Upper != nil {
		n.Upper, n.HasUpper = *j.Upper, true
	}
	return n, nil
}

// jsonPosition prefixes a JSON syntax error with its byte offset.
func jsonPosition(err error) error {
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return fmt.Errorf("byte %d: %w", se.Offset, err)
	}
	return err
}

// ParseRules reads libaddressinput region data in either of its two
// published shapes: countryinfo.txt lines ("data/US={...}", one node per
// line), or a single JSON object keyed by node ("US", "US/CA" or
// "data/US"), as served by Google's address data service. Countries
// ("XX"), language variants ("XX--fr") and first-level subdivisions
// ("XX/KEY") are used; deeper nodes and other keys are ignored. Fields
// missing from a country are taken from "ZZ", as libaddressinput does.
//
// Data that would silently change meaning is refused with a *[ParseError]
// naming the line (for the line shape), the node key and the field: a
// node given twice (also "US" beside "data/US"), a format (fmt, lfmt)
// with a token other than %N %O %A %D %C %S %Z %X %n and India's %T %F %L,
// or a postal-code pattern (zip, sub_zips) that Go's regexp package
// cannot compile, that uses a Unicode class (\p, \P: kilobytes each) or
// that expands to more than 4 regexp instructions per byte of its text
// (plus 16; "a{1000}" would compile to 100 KB; the published data needs
// at most 3), and an empty subdivision key. ParseRules reads the whole
// input; its time is linear in the input and it allocates at most 512
// bytes per input byte (about 300 for the worst shape known, one-letter
// subdivisions; checked by TestParseRulesAllocBound). Postal patterns are
// compiled on first use, each at most a few KB per byte of pattern.
func ParseRules(r io.Reader) (*Rules, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("address: reading rules: %w", err)
	}
	var nodes map[string]*node
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		nodes, err = parseRulesObject(t)
	} else {
		nodes, err = parseRulesLines(data)
	}
	if err != nil {
		return nil, err
	}
	return buildRules(nodes), nil
}

// parseRulesObject reads the JSON object shape of ParseRules.
func parseRulesObject(t []byte) (map[string]*node, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(t, &m); err != nil {
		return nil, &ParseError{Key: "{}", Err: jsonPosition(err)}
	}
	// json.Unmarshal keeps the last of two equal keys: look for them in
	// input order, so that the second one is named.
	if k, ok := duplicateKey(t); ok {
		return nil, &ParseError{Key: k, Err: errors.New("duplicate key")}
	}
	nodes := make(map[string]*node, len(m))
	// Sorted, so that the first bad node reported is always the same.
	for _, k := range slices.Sorted(maps.Keys(m)) {
		n, err := decodeNode(m[k])
		if err != nil {
			return nil, &ParseError{Key: k, Err: err}
		}
		key := strings.TrimPrefix(k, "data/")
		if field, err := checkNode(key, n); err != nil {
			return nil, &ParseError{Key: k, Field: field, Err: err}
		}
		nodes[key] = n
	}
	return nodes, nil
}

// duplicateKey returns the first top-level key of a valid JSON object that
// names a node already named before it ("US" and "data/US" are the same
// node).
func duplicateKey(t []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(t))
	if _, err := dec.Token(); err != nil { // '{'
		return "", false
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		k, _ := tok.(string)
		key := strings.TrimPrefix(k, "data/")
		if seen[key] {
			return k, true
		}
		seen[key] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return "", false
		}
	}
	return "", false
}

// parseRulesLines reads the countryinfo.txt shape of ParseRules.
func parseRulesLines(data []byte) (map[string]*node, error) {
	nodes := map[string]*node{}
	lines := map[string]int{} // node key -> line where it was given
	line := 0
	for text := range strings.Lines(string(data)) {
		line++
		text = strings.TrimSpace(text)
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		k, v, ok := strings.Cut(text, "=")
		if !ok {
			return nil, &ParseError{Line: line, Key: k[:min(len(k), 64)], Err: errors.New("missing '='")}
		}
		if !strings.HasPrefix(k, "data/") {
			continue
		}
		key := strings.TrimPrefix(k, "data/")
		if first, dup := lines[key]; dup {
			return nil, &ParseError{Line: line, Key: k, Err: fmt.Errorf("duplicate key (first on line %d)", first)}
		}
		lines[key] = line
		n, err := decodeNode([]byte(v))
		if err != nil {
			return nil, &ParseError{Line: line, Key: k, Err: err}
		}
		if field, err := checkNode(key, n); err != nil {
			return nil, &ParseError{Line: line, Key: k, Field: field, Err: err}
		}
		nodes[key] = n
	}
	return nodes, nil
}

// checkNode checks the formats and postal-code patterns of a node that
// ParseRules uses (a country, a language variant or a first-level
// subdivision) and returns the JSON name of the faulty field with the
// cause. Other nodes are ignored, so they are not checked.
func checkNode(key string, n *node) (field string, err error) {
	base, _, _ := strings.Cut(key, "--")
	country, sub, isSub := strings.Cut(base, "/")
	if len(country) != 2 || !isUpperCode(country) || strings.Contains(sub, "/") || (isSub && sub == "") {
		return "", nil
	}
	if err := checkDataFormat(n.Fmt); err != nil {
		return "fmt", err
	}
	if err := checkDataFormat(n.Lfmt); err != nil {
		return "lfmt", err
	}
	if n.Zip != "" {
		expr := "^(?:" + n.Zip + ")$"
		if isSub {
			expr = "^(?:" + n.Zip + ")" // a prefix, as newRegion compiles it
		}
		if err := checkPattern(n.Zip, expr); err != nil {
			return "zip", fmt.Errorf("invalid pattern %s: %w", quote(n.Zip), err)
		}
	}
	if n.SubKeys != "" {
		for i, k := range strings.Split(n.SubKeys, "~") {
			if k == "" {
				return "sub_keys", fmt.Errorf("empty key at position %d", i+1)
			}
		}
	}
	if n.SubZips != "" {
		keys := strings.Split(n.SubKeys, "~")
		for i, z := range strings.Split(n.SubZips, "~") {
			if z == "" {
				continue
			}
			if err := checkPattern(z, "^(?:"+z+")"); err != nil {
				k := ""
				if i < len(keys) {
					k = keys[i]
				}
				return "sub_zips", fmt.Errorf("invalid pattern %s for subdivision %s: %w", quote(z), quote(k), err)
			}
		}
	}
	return "", nil
}

// maxPatternGrowth bounds the regexp instructions of a postal-code
// pattern per byte of its text (plus patternSlack): RE2 compiles
// "\pL{1000}" (9 bytes) to a thousand instructions, about 120 KB, while
// the patterns of libaddressinput's data need at most 3 per byte.
const (
	maxPatternGrowth = 4
	patternSlack     = 16
)

// checkPattern checks that pattern z, compiled as expr, is valid for Go's
// regexp package and small once expanded: at most maxPatternGrowth
// instructions per byte (plus patternSlack), counted on the parsed tree
// before anything is expanded.
func checkPattern(z, expr string) error {
	if strings.Contains(z, `\p`) || strings.Contains(z, `\P`) {
		// Each Unicode class is kilobytes of ranges; postal codes need none.
		return errors.New(`postal patterns may not use Unicode classes (\p, \P)`)
	}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return err
	}
	limit := maxPatternGrowth*len(z) + patternSlack
	if n := patternSize(re, limit); n > limit {
		return fmt.Errorf("pattern expands to more than %d regexp instructions (%d per byte)", limit, maxPatternGrowth)
	}
	return nil // regexp.Compile fails only where syntax.Parse does
}

// patternSize returns an upper estimate of the instructions RE2 compiles
// re to, or a value above limit as soon as it exceeds limit.
func patternSize(re *syntax.Regexp, limit int) int {
	sum := func(subs []*syntax.Regexp, each int) int {
		n := 0
		for _, sub := range subs {
			if n += patternSize(sub, limit) + each; n > limit {
				return limit + 1
			}
		}
		return n
	}
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpConcat:
		return sum(re.Sub, 0)
	case syntax.OpAlternate:
		return sum(re.Sub, 1)
	case syntax.OpCapture:
		return sum(re.Sub, 2)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest:
		return sum(re.Sub, 1)
	case syntax.OpRepeat:
		times := re.Max
		if times < re.Min {
			times = re.Min + 1 // {n,}: n copies and a star
		}
		per := sum(re.Sub, 1)
		if per > 0 && times > limit/per {
			return limit + 1
		}
		return times * per
	}
	return 1
}

// checkDataFormat reports a token of a libaddressinput format that
// compileData would skip although it is not one of the tokens the data
// uses: the field letters, %n, and India's landmark tokens %T %F %L.
func checkDataFormat(s string) error {
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+1 >= len(s) {
			return fmt.Errorf("dangling \"%%\" at byte %d", i)
		}
		i++
		c := s[i]
		if _, ok := fieldForLetter(c); ok || c == 'n' || c == 'T' || c == 'F' || c == 'L' {
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		return fmt.Errorf("unknown token %s at byte %d", quote(s[i-1:i+size]), i-1)
	}
	return nil
}

func buildRules(nodes map[string]*node) *Rules {
	rs := &Rules{}
	zz := &node{}
	if n := nodes["ZZ"]; n != nil {
		copied := *n // the defaults below must not change the caller's node
		zz = &copied
	}
	if zz.Fmt == "" {
		zz.Fmt = "%N%n%O%n%A%n%C"
	}
	if !zz.HasRequire {
		zz.Require, zz.HasRequire = "AC", true
	}
	if !zz.HasUpper {
		zz.Upper, zz.HasUpper = "C", true
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
	r.require, r.upper = parseFieldSet(zz.Require), parseFieldSet(zz.Upper)
	if n.HasRequire {
		r.require = parseFieldSet(n.Require)
	}
	if n.HasUpper {
		r.upper = parseFieldSet(n.Upper)
	}
	for _, es := range [][]element{r.format, r.latinFormat} {
		for _, e := range es {
			if e.kind == elemField {
				r.used |= 1 << e.field
			}
		}
	}
	r.zipRE.expr = "^(?:" + r.zip + ")$"
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
			s := &r.subs[i]
			s.key, s.name, s.lname, s.isoid, s.zip = k, or(names[i], k), lnames[i], isoids[i], zips[i]
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
				s.zipRE.expr = "^(?:" + s.zip + ")"
			}
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

// lazyRegexp compiles its expression on first use. A pattern Go cannot
// compile would yield nil (no check); ParseRules refuses such patterns and
// TestDefaultPatternsCompile checks the embedded ones. The fast path is one atomic load and does
// not allocate.
type lazyRegexp struct {
	expr string
	done atomic.Bool
	mu   sync.Mutex
	re   *regexp.Regexp
}

func (l *lazyRegexp) get() *regexp.Regexp {
	if l.done.Load() {
		return l.re
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.done.Load() {
		l.re, _ = regexp.Compile(l.expr)
		l.done.Store(true)
	}
	return l.re
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

func isUpperCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

func regionIndex(code string) int {
	return int(code[0]-'A')*26 + int(code[1]-'A')
}

// siteRequire returns the fields Require added; none for a nil rs.
func (rs *Rules) siteRequire() fieldSet {
	if rs == nil {
		return 0
	}
	return rs.require
}

// lookup returns the region for an ISO code in any case, or nil.
func (rs *Rules) lookup(code string) *region {
	if rs == nil || len(code) != 2 {
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
	if rs == nil || rs.zz == nil {
		return zeroRegion()
	}
	return rs.zz
}

// zeroRegion is the ZZ region of the zero Rules, built once on first use.
var zeroRegion = sync.OnceValue(func() *region { //nolint:gochecknoglobals // immutable once built
	return buildRules(map[string]*node{}).zz
})

// Regions returns the ISO codes of the regions rs knows, sorted.
func (rs *Rules) Regions() []string {
	if rs == nil {
		return nil
	}
	return slices.Clone(rs.codes)
}

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
