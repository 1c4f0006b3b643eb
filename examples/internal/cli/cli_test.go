package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"testing"
)

func TestProgram(t *testing.T) {
	tests := []struct {
		name       string
		prog       Program
		usageError bool // call UsageError, else Exit
		err        error
		wantStatus int
		wantStderr string
	}{
		{"exit nil", Program{Name: "tool"}, false, nil, StatusOK, ""},
		{"exit error", Program{Name: "tool"}, false, errors.New("disk full"), StatusError, "tool: disk full\n"},
		{"name once", Program{Name: "tool"}, false, errors.New("tool: bad table"), StatusError, "tool: bad table\n"},
		{"other package's prefix kept", Program{Name: "tool"}, false, errors.New("tools: x"), StatusError, "tool: tools: x\n"},
		{"name as a word only", Program{Name: "tool"}, false, errors.New("tool:x"), StatusError, "tool: tool:x\n"},
		{"no name", Program{}, false, errors.New("pkg: x"), StatusError, "pkg: x\n"},
		{"exit ignores hint", Program{Name: "tool", Hint: "see -h"}, false, errors.New("x"), StatusError, "tool: x\n"},
		{"usage nil", Program{Name: "tool", Hint: "see -h"}, true, nil, StatusOK, ""},
		{"usage help", Program{Name: "tool", Hint: "see -h"}, true, flag.ErrHelp, StatusOK, ""},
		{"usage wrapped help", Program{Name: "tool"}, true, fmt.Errorf("parsing: %w", flag.ErrHelp), StatusOK, ""},
		{"usage error", Program{Name: "tool"}, true, errors.New("-n 0: want 1 to 9"), StatusUsage, "tool: -n 0: want 1 to 9\n"},
		{"usage hint", Program{Name: "tool", Hint: "Run 'tool -h' for usage."}, true, errors.New("-n 0"), StatusUsage,
			"tool: -n 0\nRun 'tool -h' for usage.\n"},
		{"usage func", Program{Name: "tool", Hint: "hint"}, true, errors.New("-n 0"), StatusUsage, "tool: -n 0\nhint\nUSAGE\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			p := tt.prog
			p.Stderr = &stderr
			if tt.name == "usage func" {
				p.Usage = func() { fmt.Fprintln(&stderr, "USAGE") }
			}
			var got int
			if tt.usageError {
				got = p.UsageError(tt.err)
			} else {
				got = p.Exit(tt.err)
			}
			if got != tt.wantStatus || stderr.String() != tt.wantStderr {
				t.Errorf("status %d, stderr %q; want %d, %q", got, stderr.String(), tt.wantStatus, tt.wantStderr)
			}
		})
	}
}

func TestProgramWithoutStderr(t *testing.T) {
	p := Program{Name: "tool", Hint: "hint"}
	if got := p.Exit(errors.New("x")); got != StatusError {
		t.Errorf("Exit = %d, want %d", got, StatusError)
	}
	if got := p.UsageError(errors.New("x")); got != StatusUsage {
		t.Errorf("UsageError = %d, want %d", got, StatusUsage)
	}
}

func TestParseStatus(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{flag.ErrHelp, StatusOK},
		{fmt.Errorf("wrapped: %w", flag.ErrHelp), StatusOK},
		{errors.New("flag provided but not defined: -x"), StatusUsage},
	}
	for _, tt := range tests {
		if got := ParseStatus(tt.err); got != tt.want {
			t.Errorf("ParseStatus(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

const usage = "Usage: tool [flags]\n\nFlags:\n"

const defaults = "  -n int\n    \titems (default 10)\n"

func TestFlagSet(t *testing.T) {
	tests := []struct {
		name       string
		quiet      bool
		args       []string
		wantErr    string // "" for none
		wantN      int    // after the parse; a bad value sets 0
		wantNArg   int
		wantStderr string
	}{
		{"values", false, []string{"-n", "3", "rest"}, "", 3, 1, ""},
		{"help", false, []string{"-h"}, flag.ErrHelp.Error(), 10, 0, usage + defaults},
		{"long help", false, []string{"--help"}, flag.ErrHelp.Error(), 10, 0, usage + defaults},
		{"unknown flag", false, []string{"-x"}, "flag provided but not defined: -x", 10, 0,
			"flag provided but not defined: -x\n" + usage + defaults},
		{"bad value", false, []string{"-n", "many"}, `invalid value "many" for flag -n: parse error`, 0, 0,
			"invalid value \"many\" for flag -n: parse error\n" + usage + defaults},
		{"quiet values", true, []string{"-n", "3"}, "", 3, 0, ""},
		{"quiet help", true, []string{"-help"}, flag.ErrHelp.Error(), 10, 0, usage + defaults},
		{"quiet unknown flag", true, []string{"-x"}, "flag provided but not defined: -x", 10, 0, ""},
		{"quiet bad value", true, []string{"-n", "many"}, `invalid value "many" for flag -n: parse error`, 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr strings.Builder
			fs := NewFlagSet("tool", &stderr, usage)
			n := fs.Int("n", 10, "items")
			var err error
			if tt.quiet {
				err = ParseQuiet(fs, tt.args)
			} else {
				err = fs.Parse(tt.args)
			}
			if got := fmt.Sprint(err); tt.wantErr == "" && err != nil || tt.wantErr != "" && got != tt.wantErr {
				t.Errorf("Parse(%q) error = %v, want %q", tt.args, err, tt.wantErr)
			}
			if *n != tt.wantN || fs.NArg() != tt.wantNArg {
				t.Errorf("Parse(%q): n = %d, %d args; want %d, %d", tt.args, *n, fs.NArg(), tt.wantN, tt.wantNArg)
			}
			if stderr.String() != tt.wantStderr {
				t.Errorf("Parse(%q) wrote %q, want %q", tt.args, stderr.String(), tt.wantStderr)
			}
		})
	}
}

// After ParseQuiet the flag set reports as NewFlagSet made it: a program
// may print the usage itself later.
func TestParseQuietRestores(t *testing.T) {
	var stderr strings.Builder
	fs := NewFlagSet("tool", &stderr, usage)
	fs.Int("n", 10, "items")
	if err := ParseQuiet(fs, []string{"-x"}); err == nil {
		t.Fatal("ParseQuiet(-x) = nil, want an error")
	}
	fs.Usage()
	if got := stderr.String(); got != usage+defaults {
		t.Errorf("usage after ParseQuiet = %q, want %q", got, usage+defaults)
	}
}
