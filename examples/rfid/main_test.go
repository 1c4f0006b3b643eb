package main

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/screen.golden")

// TestReplay checks the lab screen printed for the embedded capture.
func TestReplay(t *testing.T) {
	var buf bytes.Buffer
	if err := replay(&buf, labCapture); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("testdata/screen.golden", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/screen.golden")
	if err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != string(want) {
		t.Errorf("replay output differs from testdata/screen.golden (run with -update):\n%s", got)
	}
}
