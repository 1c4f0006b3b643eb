package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "table.bin")
	if err := WriteBytes(name, []byte("first")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(name, []byte("second")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(name)
	if err != nil || string(got) != "second" {
		t.Fatalf("ReadFile = %q, %v, want \"second\"", got, err)
	}
	fi, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want the replaced file's 0600", fi.Mode().Perm())
	}
	assertOnlyFile(t, dir, "table.bin")
}

func TestWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "model.txt")
	if err := WriteBytes(name, []byte("good")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := Write(name, func(w io.Writer) error {
		if _, err := w.Write([]byte("half a mod")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write = %v, want the writer's error", err)
	}
	got, err := os.ReadFile(name)
	if err != nil || string(got) != "good" {
		t.Fatalf("after a failed write ReadFile = %q, %v, want the old \"good\"", got, err)
	}
	assertOnlyFile(t, dir, "model.txt")
}

func TestWriteMissingDir(t *testing.T) {
	if err := WriteBytes(filepath.Join(t.TempDir(), "no", "such", "f"), nil); err == nil {
		t.Fatal("Write into a missing directory succeeded")
	}
}

func assertOnlyFile(t *testing.T, dir, want string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 1 || ents[0].Name() != want {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Fatalf("directory holds %q, want only %q (no temporary file left)", names, want)
	}
}
