package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/craftkit/craftkit/embeddings"
)

func TestRun(t *testing.T) {
	var out, errOut strings.Builder
	if code := run([]string{"-sessions", "1500", "-categories", "4", "-epochs", "2", "-threads", "1"}, &out, &errOut); code != 0 {
		t.Fatalf("run() = %d, stderr:\n%s", code, errOut.String())
	}
	for _, want := range []string{"a session: ", "tokens, 48 dimensions", "nearest item tokens", "item:0, IN-OUT", "precision@5 by planted category, item tokens"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr = %q, want nothing for a run shorter than 2 s", errOut.String())
	}
}

func TestRunFlags(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		code   int
		stderr string // substring
	}{
		{[]string{"-h"}, 0, "Usage: embeddings [flags]"},
		{[]string{"--help"}, 0, "-sessions int"},
		{[]string{"-help"}, 0, "-out path"},
		{[]string{"-bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"-sessions", "-5"}, 2, "-sessions -5: must be in 100..200000"},
		{[]string{"-sessions", "0"}, 2, "-sessions 0: must be in 100..200000"},
		{[]string{"-sessions", "1e9"}, 2, `invalid value "1e9" for flag -sessions`},
		{[]string{"-categories", "0"}, 2, "-categories 0: must be in 2..100"},
		{[]string{"-dim", "0"}, 2, "-dim 0: must be in 1..1024"},
		{[]string{"-dim", "100000"}, 2, "-dim 100000: must be in 1..1024"},
		{[]string{"-epochs", "-1"}, 2, "-epochs -1: must be in 1..100"},
		{[]string{"-threads", "-2"}, 2, "-threads -2: must be in 0..256"},
		{[]string{"-out", filepath.Join(t.TempDir(), "no", "dir", "m.vec"), "-sessions", "100", "-epochs", "1"}, 1, "embeddings: write "},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut strings.Builder
			code := run(tt.args, &out, &errOut)
			if code != tt.code {
				t.Errorf("run(%q) = %d, want %d; stderr:\n%s", tt.args, code, tt.code, errOut.String())
			}
			if !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("run(%q) stderr = %q, want it to contain %q", tt.args, errOut.String(), tt.stderr)
			}
			if tt.code != 1 && out.Len() != 0 {
				t.Errorf("run(%q) wrote to stdout: %q", tt.args, out.String())
			}
			if tt.code == 2 && !strings.Contains(errOut.String(), "embeddings -h") {
				t.Errorf("run(%q) stderr lacks the usage hint: %q", tt.args, errOut.String())
			}
		})
	}
}

func TestRunWritesModel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "model.bin")
	var out, errOut strings.Builder
	if code := run([]string{"-sessions", "1000", "-epochs", "1", "-threads", "1", "-out", path}, &out, &errOut); code != 0 {
		t.Fatalf("run() = %d, stderr:\n%s", code, errOut.String())
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := embeddings.ReadBinary(f)
	if err != nil {
		t.Fatalf("reading the written model: %v", err)
	}
	if !strings.Contains(out.String(), "wrote "+path) || m.Dim() != 48 {
		t.Errorf("stdout %q, model dim %d", out.String(), m.Dim())
	}
}

// TestProgress checks that training longer than the progress threshold
// reports on stderr, with a clock that advances one second per reading.
func TestProgress(t *testing.T) {
	clock := time.Unix(0, 0)
	cfg, err := parseFlags([]string{"-sessions", "1000", "-epochs", "2", "-threads", "1"}, &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	cfg.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	var out, errOut strings.Builder
	if err := train(&out, &errOut, cfg); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut.String(), "epoch 2/2") || !strings.Contains(errOut.String(), "ETA") {
		t.Errorf("stderr = %q, want progress lines", errOut.String())
	}
}
