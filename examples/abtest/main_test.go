package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestRun(t *testing.T) {
	var out, errOut strings.Builder
	if code := run(nil, &out, &errOut); code != 0 {
		t.Fatalf("run() = %d, stderr:\n%s", code, errOut.String())
	}
	for _, want := range []string{"Waiting on data", "directional change is correct but magnitude might be inflated", "stopped early", "threshold curve"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr = %q, want nothing", errOut.String())
	}
}

func TestRunFlags(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		stderr   string // substring
		noStdout bool
	}{
		{[]string{"-h"}, 0, "Usage: abtest [flags]", true},
		{[]string{"--help"}, 0, "-plan-days int", true},
		{[]string{"-help"}, 0, "Usage: abtest [flags]", true},
		{[]string{"-bogus"}, 2, "flag provided but not defined: -bogus", true},
		{[]string{"-alpha", "2"}, 2, "-alpha 2: must be between 0 and 1", true},
		{[]string{"-alpha", "NaN"}, 2, "-alpha NaN", true},
		{[]string{"-baseline", "0"}, 2, "-baseline 0", true},
		{[]string{"-power", "1"}, 2, "-power 1", true},
		{[]string{"-power", "0.01"}, 2, "must be above alpha/2", true},
		{[]string{"-mde", "abc"}, 2, `invalid value "abc" for flag -mde`, true},
		{[]string{"-mde", "-0.1"}, 2, "-mde -0.1: must be a positive relative lift", true},
		{[]string{"-mde", "+Inf"}, 2, "-mde +Inf", true},
		{[]string{"-mde", "9.5"}, 2, "must stay below 1", true},
		{[]string{"-daily", "0"}, 2, "-daily 0", true},
		{[]string{"-plan-days", "0"}, 2, "-plan-days 0: must be in 1..365", true},
		{[]string{"-plan-days", "100000"}, 2, "-plan-days 100000", true},
		{[]string{"-points", "1"}, 2, "-points 1: must be in 2..200", true},
		{[]string{"extra"}, 2, `unexpected argument "extra"`, true},
		{[]string{"-alpha", "0.1", "-power", "0.9", "-plan-days", "7", "-points", "5"}, 0, "", false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut strings.Builder
			code := run(tt.args, &out, &errOut)
			if code != tt.code {
				t.Errorf("run(%q) = %d, want %d; stderr:\n%s", tt.args, code, tt.code, errOut.String())
			}
			if !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("run(%q) stderr = %q, want it to contain %q", tt.args, errOut.String(), tt.stderr)
			}
			if tt.noStdout && out.Len() != 0 {
				t.Errorf("run(%q) wrote to stdout: %q", tt.args, out.String())
			}
			if tt.code == 2 && !strings.Contains(errOut.String(), "abtest -h") {
				t.Errorf("run(%q) stderr lacks the usage hint: %q", tt.args, errOut.String())
			}
		})
	}
}

func TestWithProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var b strings.Builder
		want := errors.New("boom")
		err := withProgress(&b, "sizing", 2*time.Second, func() error {
			time.Sleep(5 * time.Second) // fake time inside the bubble
			return want
		})
		if !errors.Is(err, want) {
			t.Errorf("withProgress error = %v, want %v", err, want)
		}
		if got, lines := b.String(), "sizing: still working after 2s\nsizing: still working after 4s\n"; got != lines {
			t.Errorf("progress output = %q, want %q", got, lines)
		}
		b.Reset()
		if err := withProgress(&b, "quick", 2*time.Second, func() error { time.Sleep(time.Second); return nil }); err != nil || b.Len() != 0 {
			t.Errorf("quick work: err %v, progress output %q, want none", err, b.String())
		}
	})
}

func TestRunSVG(t *testing.T) {
	prefix := filepath.Join(t.TempDir(), "exp")
	var out, errOut strings.Builder
	if code := run([]string{"-svg", prefix}, &out, &errOut); code != 0 {
		t.Fatalf("run(-svg) = %d, stderr:\n%s", code, errOut.String())
	}
	for _, name := range []string{prefix + "-curves.svg", prefix + "-trajectory.svg"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), "<svg ") || !strings.HasSuffix(string(b), "</svg>\n") {
			t.Errorf("%s is not a whole SVG document", name)
		}
	}
	if !strings.Contains(out.String(), "EXCEEDS ALPHA") {
		t.Errorf("output does not mark the hybrid curve as exceeding alpha:\n%s", out.String())
	}
	if code := run([]string{"-svg", filepath.Join(t.TempDir(), "missing", "x")}, &out, &errOut); code != 1 {
		t.Errorf("run(-svg into a missing directory) = %d, want 1", code)
	}
}
