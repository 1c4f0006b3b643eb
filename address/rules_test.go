package address

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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
