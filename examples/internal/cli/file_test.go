package cli

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFileOrTemp(t *testing.T) {
	given := filepath.Join(t.TempDir(), "mine.jsonl")
	path, cleanup, err := FileOrTemp(given, "cli-test-", "store.jsonl")
	if err != nil || path != given {
		t.Fatalf("FileOrTemp(%q) = %q, %v; want the path itself", given, path, err)
	}
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cleanup()
	if _, err := os.Stat(given); err != nil {
		t.Errorf("the cleanup of a given path removed it: %v", err)
	}

	path, cleanup, err = FileOrTemp("", "cli-test-", "store.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	if filepath.Base(path) != "store.jsonl" || filepath.Dir(dir) != filepath.Clean(os.TempDir()) {
		t.Errorf("FileOrTemp(\"\") = %q, want store.jsonl in a new directory under %s", path, os.TempDir())
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the file exists before it is written: %v", err)
	}
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatalf("the temporary directory cannot hold the file: %v", err)
	}
	cleanup()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("cleanup left %s: %v", dir, err)
	}
}

func TestFileOrTempFails(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	if _, _, err := FileOrTemp("", "cli-test-", "x"); err == nil {
		t.Error("FileOrTemp with a missing temporary directory = nil error, want one")
	}
}
