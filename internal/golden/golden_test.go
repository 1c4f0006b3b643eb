package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

func TestDiff(t *testing.T) {
	for _, tt := range []struct {
		name, got, want string
		lines           []int
	}{
		{"equal", "a\nb\n", "a\nb\n", nil},
		{"one line", "a\nx\nc", "a\nb\nc", []int{2}},
		{"got shorter", "a", "a\nb", []int{2}},
		{"want shorter", "a\nb\nc", "a", []int{2, 3}},
		{"bounded", "1\n2\n3\n4\n5\n6\n7", "a\nb\nc\nd\ne\nf\ng", []int{1, 2, 3, 4, 5}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var lines []int
			for _, d := range diff([]byte(tt.got), []byte(tt.want), maxShown) {
				lines = append(lines, d.line)
			}
			if !slices.Equal(lines, tt.lines) {
				t.Errorf("differing lines %v, want %v", lines, tt.lines)
			}
		})
	}
}

// recorder is a testing.TB that records failures instead of reporting
// them; Fatal and Fatalf end the calling goroutine as testing's do.
type recorder struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, a...))
}
func (r *recorder) Fatal(a ...any)                 { r.fatal = true; runtime.Goexit() }
func (r *recorder) Fatalf(format string, a ...any) { r.fatal = true; runtime.Goexit() }

// check runs Check with a recorder in its own goroutine.
func check(t *testing.T, path string, got []byte, update bool) *recorder {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Check(r, path, got, update)
	}()
	<-done
	return r
}

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.golden")
	if r := check(t, path, []byte("a\n"), false); !r.fatal {
		t.Error("a missing golden file did not fail the test")
	}
	if r := check(t, path, []byte("a\nb\n"), true); r.fatal || len(r.errors) > 0 {
		t.Errorf("update failed: fatal %v, errors %q", r.fatal, r.errors)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "a\nb\n" {
		t.Errorf("update wrote %q, %v", b, err)
	}
	if r := check(t, path, []byte("a\nb\n"), false); r.fatal || len(r.errors) > 0 {
		t.Errorf("equal output failed: fatal %v, errors %q", r.fatal, r.errors)
	}
	r := check(t, path, []byte("a\nc\n"), false)
	if len(r.errors) != 1 {
		t.Fatalf("one differing line gave %d errors: %q", len(r.errors), r.errors)
	}
	if want := path + " line 2 differs (run the test with -update to accept):\n got  c\n want b"; r.errors[0] != want {
		t.Errorf("error %q, want %q", r.errors[0], want)
	}
}
