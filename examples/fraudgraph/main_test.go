package main

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string // in stderr
	}{
		{"negative n", []string{"-n", "-5"}, 2, "-n -5 out of range: want 100 to 10000000 accounts"},
		{"zero n", []string{"-n", "0"}, 2, "-n 0 out of range"},
		{"too few", []string{"-n", "99"}, 2, "-n 99 out of range"},
		{"too many", []string{"-n", "10000001"}, 2, "-n 10000001 out of range"},
		{"not a number", []string{"-n", "many"}, 2, `invalid value "many" for flag -n`},
		{"bad seed", []string{"-seed", "-1"}, 2, `invalid value "-1" for flag -seed`},
		{"unknown flag", []string{"-x"}, 2, "flag provided but not defined: -x"},
		{"stray argument", []string{"1000"}, 2, `unexpected argument "1000"`},
		{"help", []string{"-h"}, 0, "usage: fraudgraph"},
		{"long help", []string{"--help"}, 0, "usage: fraudgraph"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errw strings.Builder
			code := run(tt.args, &out, &errw, time.Hour)
			assert.Equal(t, tt.code, code, "exit status; stderr:\n%s", errw.String())
			assert.Contains(t, errw.String(), tt.wantErr)
			assert.Contains(t, errw.String(), "-n accounts", "usage shown")
			assert.Empty(t, out.String(), "nothing on stdout")
		})
	}
}

func TestRun(t *testing.T) {
	var out, errw strings.Builder
	code := run([]string{"-n", "5000", "-seed", "3"}, &out, &errw, time.Hour)
	assert.Equal(t, 0, code, errw.String())
	assert.Contains(t, out.String(), "generated and built 5000 accounts")
	assert.Contains(t, out.String(), "checked 100 signups and checkouts")
	assert.Contains(t, out.String(), "ring detection")
	for _, want := range []string{"referral programme: discount 10.00 EUR", "tolerated household:", "household-tolerance:",
		"budget hit:", "exposure ", "review task ", "status block-credit by programme", "top inviters", "backtest against the planted rings", "protected "} {
		assert.Contains(t, out.String(), want)
	}
	assert.Empty(t, errw.String(), "a run shorter than a tick reports no progress")

	out.Reset()
	code = run([]string{"-n", "100"}, &out, &errw, time.Hour)
	assert.Equal(t, 0, code, errw.String())
	assert.Contains(t, out.String(), "checked 2 signups")
}

// A run longer than a tick reports its stage on stderr.
func TestProgress(t *testing.T) {
	var out, errw syncBuilder
	code := run([]string{"-n", "20000"}, &out, &errw, time.Millisecond)
	assert.Equal(t, 0, code)
	assert.Contains(t, errw.String(), "fraudgraph: ")
	assert.Regexp(t, `fraudgraph: (generating|building|checking|detecting) .*\(\d`, errw.String())
}

// syncBuilder is a strings.Builder safe for the progress goroutine and
// the test to use together.
type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
