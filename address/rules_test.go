package address

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRulesErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
		line             int
	}{
		{"bad JSON on line 3", "# rules\ndata/ZZ={\"fmt\":\"%N\"}\ndata/US={\"fmt\":,}\n",
			`address: line 3: "data/US": byte 8: invalid character ',' looking for beginning of value`, 3},
		{"missing equals", "data/ZZ={}\n\ndata/US\n", `address: line 3: "data/US": missing '='`, 3},
		{"wrong type", `data/US={"fmt":5}`,
			`address: line 1: "data/US": json: cannot unmarshal number into Go struct field jsonNode.fmt of type string`, 1},
		{"JSON object", `{"US": {"fmt": "%N"}, "DE": {"zip": 5}, "AT": {"zip": true}}`,
			`address: "AT": json: cannot unmarshal bool into Go struct field jsonNode.zip of type string`, 0},
		{"truncated JSON object", `{"US": {"fmt": "%N"`, `address: "{}": byte 19: unexpected end of JSON input`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRules(strings.NewReader(tt.data))
			pe, ok := errors.AsType[*ParseError](err)
			if !ok {
				t.Fatalf("ParseRules(%q) error = %v, want *ParseError", tt.data, err)
			}
			assert.Equal(t, tt.line, pe.Line)
			assert.EqualError(t, err, tt.want)
		})
	}
}

func TestParseRulesLongLine(t *testing.T) {
	long := `data/US={"fmt":"%N%n%A%n%C %S %Z","zip":"\\d{5}","name":"` + strings.Repeat("X", 5<<20) + `"}`
	rs, err := ParseRules(strings.NewReader(long))
	if err != nil {
		t.Fatalf("ParseRules(5 MB line) error = %v", err)
	}
	assert.True(t, rs.Has("US"))
}

// TestParseRulesRefusesBadData covers data that used to be accepted with
// a silently changed meaning: a postal-code pattern Go cannot compile
// (Validate then accepted any postal code), an unknown format token, and a
// region given twice (the last one won).
func TestParseRulesRefusesBadData(t *testing.T) {
	const zz = `data/ZZ={"fmt":"%N%n%O%n%A%n%C","require":"AC","upper":"C"}` + "\n"
	tests := []struct {
		name, data   string
		key, field   string
		line         int
		wantInErrMsg string
	}{
		{"bad zip pattern", zz + `data/US={"fmt":"%N%n%A%n%C %S %Z","zip":"(\\d{5}"}`,
			"data/US", "zip", 2, `address: line 2: "data/US": field "zip": invalid pattern "(\\d{5}"`},
		{"bad subdivision zip in sub_zips", zz + `data/US={"fmt":"%C %S %Z","zip":"\\d{5}","sub_keys":"CA~NY","sub_zips":"9~[1"}`,
			"data/US", "sub_zips", 2, `field "sub_zips": invalid pattern "[1" for subdivision "NY"`},
		{"bad subdivision zip in its node", zz + `data/US={"fmt":"%C %S %Z","sub_keys":"CA"}` + "\n" + `data/US/CA={"zip":"9("}`,
			"data/US/CA", "zip", 3, `field "zip": invalid pattern "9("`},
		{"unknown token in fmt", zz + `data/US={"fmt":"%N%n%A%n%C %Q %Z"}`,
			"data/US", "fmt", 2, `field "fmt": unknown token "%Q" at byte 11`},
		{"unknown token in lfmt", zz + `data/JP={"fmt":"%Z%n%S","lfmt":"%N%n%Y"}`,
			"data/JP", "lfmt", 2, `field "lfmt": unknown token "%Y"`},
		{"dangling percent", zz + `data/US={"fmt":"%N%n%C %"}`,
			"data/US", "fmt", 2, `field "fmt": dangling "%" at byte 7`},
		{"unknown token in ZZ", `data/ZZ={"fmt":"%N%n%K"}`, "data/ZZ", "fmt", 1, `unknown token "%K"`},
		{"duplicate line", zz + `data/US={"fmt":"%N%n%C","zip":"\\d{5}"}` + "\n" + `data/US={"fmt":"%N%n%C"}`,
			"data/US", "", 3, `address: line 3: "data/US": duplicate key (first on line 2)`},
		{"duplicate JSON key", `{"US": {"zip": "\\d{5}"}, "DE": {}, "US": {"zip": "\\d{4}"}}`,
			"US", "", 0, `address: "US": duplicate key`},
		{"same region with and without data/", `{"data/US": {"zip": "\\d{5}"}, "US": {}}`,
			"US", "", 0, `address: "US": duplicate key`},
		{"bad zip in JSON object", `{"DE": {"zip": "\\d{5"}, "US": {"zip": "+"}}`,
			"US", "zip", 0, `address: "US": field "zip": invalid pattern "+"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := ParseRules(strings.NewReader(tt.data))
			if rs == nil {
				rs = &Rules{}
			}
			pe, ok := errors.AsType[*ParseError](err)
			if !ok {
				t.Fatalf("ParseRules(%q) = %v (%d regions); want a *ParseError", tt.data, err, len(rs.Regions()))
			}
			assert.Equal(t, tt.line, pe.Line, "line")
			assert.Equal(t, tt.key, pe.Key, "key")
			assert.Equal(t, tt.field, pe.Field, "field")
			assert.Contains(t, err.Error(), tt.wantInErrMsg)
		})
	}
}

// TestParseRulesKeepsValidData checks that the checks above refuse
// nothing that libaddressinput publishes: India's 2025 landmark tokens
// (%T %F %L) are known tokens, and the 2018 snapshot parses.
func TestParseRulesKeepsValidData(t *testing.T) {
	rs, err := ParseRules(strings.NewReader(`data/IN={"fmt":"%N%n%O%n%A%n%T%n%F%n%L%n%C %Z%n%S","zip":"\\d{6}"}`))
	require.NoError(t, err)
	assert.True(t, rs.Has("IN"))
	assert.Len(t, rules2018(t).Regions(), 252)
	// Without the rejected pattern, Validate checks postal codes again.
	rs, err = ParseRules(strings.NewReader(`data/US={"fmt":"%N%n%A%n%C %S %Z","zip":"\\d{5}"}`))
	require.NoError(t, err)
	assert.Error(t, rs.Validate(Address{Country: "US", StreetLines: []string{"1 Road"}, City: "X", State: "CA", PostalCode: "NOT A ZIP AT ALL"}))
}

// TestDefaultPatternsCompile checks that every postal-code pattern of the
// embedded table compiles: a pattern that does not would check nothing.
func TestDefaultPatternsCompile(t *testing.T) {
	rs := Default()
	n := 0
	for _, code := range rs.Regions() {
		r := rs.lookup(code)
		if r.zip != "" {
			n++
			if r.zipRE.get() == nil {
				t.Errorf("%s: postal pattern %q does not compile", code, r.zip)
			}
		}
		for i := range r.subs {
			if s := &r.subs[i]; s.zip != "" {
				n++
				if s.zipRE.get() == nil {
					t.Errorf("%s/%s: postal pattern %q does not compile", code, s.key, s.zip)
				}
			}
		}
	}
	if n < 200 {
		t.Fatalf("checked %d patterns, want at least 200", n)
	}
}

func TestParseRulesRefusesExpandingPatterns(t *testing.T) {
	for _, zip := range []string{`\\pL{1000}`, `\\pL`, `[\\PN]`, `a{1000}`, `(?:\\d{30}){30}`, `a{2,}{999}`, `(?:[\\x{0}-\\x{10FFFF}]{100}){9}`} {
		_, err := ParseRules(strings.NewReader(`data/US={"zip":"` + zip + `"}`))
		pe, ok := errors.AsType[*ParseError](err)
		if !ok || pe.Field != "zip" {
			t.Errorf("ParseRules(zip %s) = %v, want a *ParseError on field zip", zip, err)
		}
	}
	// Long but honest patterns are fine.
	_, err := ParseRules(strings.NewReader(`data/US={"zip":"\\d{5}(?:[ \\-]\\d{4})?","sub_keys":"A","sub_zips":"9[0-6]|97[0-4]"}`))
	assert.NoError(t, err)
}
