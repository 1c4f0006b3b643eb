package ipdb

import (
	"errors"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileRoundTrip(t *testing.T) {
	var b Builder
	b.AddPrefix(netip.MustParsePrefix("10.0.0.0/8"), Record{Owner: "a"})
	tab, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "t.ipdb")
	if err := tab.WriteFile(name); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if rec, ok := back.Lookup(netip.MustParseAddr("10.1.2.3")); !ok || rec.Owner != "a" {
		t.Errorf("Lookup(10.1.2.3) = %v, %v after WriteFile, want a, true", rec, ok)
	}
	if fi, _ := os.Stat(name); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
}

// A write that fails part way leaves the previous file as it was and no
// temporary file behind.
func TestWriteFileFailureKeepsOld(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "t.ipdb")
	if err := os.WriteFile(name, []byte("old contents"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := writeFileAtomic(name, func(w io.Writer) error {
		w.Write([]byte("new contents, half written"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("writeFileAtomic error = %v, want %v", err, boom)
	}
	if got, _ := os.ReadFile(name); string(got) != "old contents" {
		t.Errorf("file holds %q after a failed write, want the old contents", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("directory holds %d entries after a failed write, want only the old file", len(ents))
	}
	// A successful write keeps the old file's permissions.
	if err := writeFileAtomic(name, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(name); string(got) != "new" {
		t.Errorf("file holds %q, want new", got)
	}
	if fi, _ := os.Stat(name); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the old file's 0600", fi.Mode().Perm())
	}
	// A missing directory is an error naming the file.
	if err := writeFileAtomic(filepath.Join(dir, "no", "such"), func(io.Writer) error { return nil }); err == nil {
		t.Error("writeFileAtomic into a missing directory succeeded")
	}
}
