package embeddings

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFile(t *testing.T) {
	m := smallModel()
	for _, tt := range []struct {
		name  string
		write func(*Model, string) error
		read  func(io.Reader) (*Model, error)
	}{
		{"text", (*Model).WriteTextFile, ReadText},
		{"binary", (*Model).WriteBinaryFile, ReadBinary},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "model.vec")
			if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
				t.Fatal(err)
			}
			if err := tt.write(m, path); err != nil {
				t.Fatalf("write: %v", err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := tt.read(f)
			if err != nil {
				t.Fatalf("reading back: %v", err)
			}
			if !equalFloats(got.flat(), m.flat()) {
				t.Errorf("read back %v, want %v", got.flat(), m.flat())
			}
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o640 {
				t.Errorf("mode after replacing a 0640 file = %v (%v), want 0640", fi.Mode(), err)
			}
			assertOnlyFile(t, dir, "model.vec")
		})
	}
}

// TestWriteFileFailureKeepsOldFile checks that a write failing half way
// leaves the previous file as it was and no temporary file behind.
func TestWriteFileFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.bin")
	old := []byte("the previous good model\n")
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	disk := errors.New("disk full")
	err := writeFile(path, func(w io.Writer) error {
		if _, err := w.Write([]byte("1 100\nhalf a model")); err != nil {
			return err
		}
		return disk
	})
	if !errors.Is(err, disk) {
		t.Fatalf("writeFile error = %v, want %v", err, disk)
	}
	if want := "embeddings: write " + path + ": disk full"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, old) {
		t.Errorf("file after a failed write = %q, want the old %q", got, old)
	}
	assertOnlyFile(t, dir, "model.bin")

	// A directory in the way of the rename: the temporary file goes too.
	blocked := filepath.Join(dir, "taken")
	if err := os.Mkdir(blocked, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := smallModel().WriteTextFile(blocked); err == nil {
		t.Error("WriteTextFile over a directory succeeded")
	}
	if err := smallModel().WriteTextFile(filepath.Join(dir, "no", "such", "dir")); err == nil {
		t.Error("WriteTextFile into a missing directory succeeded")
	}
	assertOnlyFile(t, dir, "model.bin", "taken")
}

func assertOnlyFile(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if len(got) != len(names) {
		t.Fatalf("directory holds %q, want %q", got, names)
	}
	for i := range got {
		if got[i] != names[i] {
			t.Fatalf("directory holds %q, want %q", got, names)
		}
	}
}

func equalFloats(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
