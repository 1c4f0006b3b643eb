package golden

import (
	"bytes"
	"os"
	"testing"
)

// maxShown bounds the differing lines a failed check reports.
const maxShown = 5

// Check compares got with the file at path and reports, through tb, the
// first differing lines (at most five) and how to accept the change.
// With update it first writes got to path, creating or replacing the
// file, so that the comparison passes. A missing or unreadable file
// fails the test.
func Check(tb testing.TB, path string, got []byte, update bool) {
	tb.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run the test with -update to create it)", err)
	}
	for _, d := range diff(got, want, maxShown) {
		tb.Errorf("%s line %d differs (run the test with -update to accept):\n got  %s\n want %s", path, d.line, d.got, d.want)
	}
}

// difference is one differing line, numbered from 1.
type difference struct {
	line      int
	got, want []byte
}

// diff returns the first n lines that differ between got and want, line
// by line; a line missing from one side is empty there.
func diff(got, want []byte, n int) []difference {
	if bytes.Equal(got, want) {
		return nil
	}
	gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	var out []difference
	for i := 0; i < max(len(gl), len(wl)) && len(out) < n; i++ {
		var g, w []byte
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if !bytes.Equal(g, w) {
			out = append(out, difference{i + 1, g, w})
		}
	}
	return out
}
