package ipdb

import (
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
