package main

import (
	"bytes"
	"flag"
	"strings"
	"testing"

	"github.com/craftkit/craftkit/internal/golden"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// checkGolden compares got with testdata/name, rewriting it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, "testdata/"+name, []byte(got), *update)
}

func TestOutput(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"default.golden", nil},
		{"template.golden", []string{"-country", "us,JP", "-template", `%name\n%first_line\n%second_line\n%city, %state %zip\n%country_name`,
			"-classes", "tokens", "-element", "div", "-require", "name,organization", "-origin", "US"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tt.args, &out, &errOut); code != 0 {
				t.Fatalf("run(%q) = %d, stderr %q", tt.args, code, errOut.String())
			}
			if errOut.Len() > 0 {
				t.Errorf("stderr = %q, want nothing", errOut.String())
			}
			checkGolden(t, tt.name, out.String())
		})
	}
}

func TestFlags(t *testing.T) {
	tests := []struct {
		args       []string
		code       int
		wantStderr string
	}{
		{[]string{"-h"}, 0, "Usage: address [flags]"},
		{[]string{"--help"}, 0, "-template"},
		{[]string{"-bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"-country", "US,XX"}, 2, `address: -country "US,XX": no sample for "XX"`},
		{[]string{"-template", "%Q"}, 2, `address: -template: template "%Q": offset 0: unknown token "%Q"`},
		{[]string{"-classes", "etsy"}, 2, `address: -classes "etsy": want fields or tokens`},
		{[]string{"-element", `span onclick="x"`}, 2, `address: -element "span onclick=\"x\"": want an HTML tag name`},
		{[]string{"-require", "name,zip"}, 2, `address: -require "name,zip": unknown field "zip"`},
		{[]string{"-origin", "Q1"}, 2, `address: -origin "Q1": not an ISO country code`},
		{[]string{"US"}, 2, `address: unexpected argument "US"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tt.args, &out, &errOut)
			if code != tt.code || !strings.Contains(errOut.String(), tt.wantStderr) {
				t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tt.args, code, errOut.String(), tt.code, tt.wantStderr)
			}
			if strings.HasPrefix(tt.wantStderr, "address: ") && strings.Count(errOut.String(), "address: ") != 1 {
				t.Errorf("stderr %q: want the prefix once", errOut.String())
			}
		})
	}
}
