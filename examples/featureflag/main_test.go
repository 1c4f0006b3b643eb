package main

import (
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out, errOut strings.Builder
	if code := run(nil, &out, &errOut); code != 0 {
		t.Fatalf("run() = %d, stderr:\n%s", code, errOut.String())
	}
	for _, want := range []string{"loaded 5 flags", "ramping new_search", "change report: added [holiday_theme]; removed [legacy_banner]; ramped [dark_mode new_checkout]",
		"bad push rejected", "dark_mode.enabled: percentage 150",
		"users move between variants [search_rank: 50% of subjects A -> B", `"lanes": ["C", "B"]`, "stay in B; report: variants changed [search_rank]\n", "advance", "roll back ->     0 %"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr = %q", errOut.String())
	}
}

func TestRunFlags(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"-h"}, 0, "Usage: featureflag [flags]"},
		{[]string{"-bogus"}, 2, "flag provided but not defined"},
		{[]string{"-users", "0"}, 2, "-users 0"},
		{[]string{"-users", "5000"}, 2, "-users 5000"},
		{[]string{"-ramp", "5,1"}, 2, `"1" is not an increasing percentage`},
		{[]string{"-ramp", "1,x"}, 2, `"x"`},
		{[]string{"-ramp", "1,101"}, 2, `"101"`},
		{[]string{"-harm", "0"}, 2, "-harm 0"},
		{[]string{"-harm", "NaN"}, 2, "-harm NaN"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"-users", "3", "-ramp", "10,90"}, 0, ""},
	}
	for _, tt := range tests {
		var out, errOut strings.Builder
		code := run(tt.args, &out, &errOut)
		if code != tt.code || !strings.Contains(errOut.String(), tt.stderr) {
			t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tt.args, code, errOut.String(), tt.code, tt.stderr)
		}
	}
}
