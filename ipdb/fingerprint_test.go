package ipdb

import (
	"hash/fnv"
	"net/netip"
	"testing"
)

func TestFingerprint(t *testing.T) {
	tests := []struct {
		rec         Record
		kind, value string
		ok          bool
	}{
		{Record{Owner: "Amazon AWS", Category: CategoryCloud}, "ipdb-cloud", "Amazon AWS", true},
		{Record{Owner: "Googlebot", Category: CategoryCrawler, Verdict: VerdictAllow}, "ipdb-crawler", "Googlebot", true},
		{Record{Owner: "Hoster"}, "ipdb-unknown", "Hoster", true},
		{Record{}, "", "", false},
	}
	for _, tt := range tests {
		kind, value, ok := tt.rec.Fingerprint()
		if kind != tt.kind || value != tt.value || ok != tt.ok {
			t.Errorf("%+v.Fingerprint() = %q, %q, %v, want %q, %q, %v", tt.rec, kind, value, ok, tt.kind, tt.value, tt.ok)
		}
	}
	m, ok := Robots().LookupMatch(netip.MustParseAddr("66.249.66.1"))
	if !ok {
		t.Fatal("Robots has no range for 66.249.66.1")
	}
	kind, value, ok := m.Fingerprint()
	if kind != "ipdb-crawler-range" || value != "Googlebot "+m.Range.String() || !ok {
		t.Errorf("Match.Fingerprint() = %q, %q, %v", kind, value, ok)
	}
	if _, _, ok := (Match{}).Fingerprint(); ok {
		t.Error("the zero Match has a fingerprint")
	}
}

// TestKey checks Record.Key against FNV-1a from hash/fnv, pins two
// values (keys are stable across releases) and that URL and verdict do
// not change it while category and owner do.
func TestKey(t *testing.T) {
	for _, rec := range []Record{{}, {Owner: "Amazon AWS", Category: CategoryCloud}, {Owner: "Zoë", Category: CategoryVPN}} {
		h := fnv.New64a()
		h.Write([]byte{byte(rec.Category), 0})
		h.Write([]byte(rec.Owner))
		if got, want := rec.Key(), h.Sum64(); got != want {
			t.Errorf("%+v.Key() = %#x, want %#x", rec, got, want)
		}
	}
	aws := Record{Owner: "Amazon AWS", Category: CategoryCloud}
	if got := aws.Key(); got != 0xda2950e713da1ee3 {
		t.Errorf("%+v.Key() = %#x, want 0xda2950e713da1ee3 (keys must not change)", aws, got)
	}
	other := aws
	other.URL, other.Verdict = "https://aws.amazon.com/", VerdictDeny
	if aws.Key() != other.Key() {
		t.Error("Key depends on URL or verdict")
	}
	other.Category = CategoryDatacenter
	if aws.Key() == other.Key() {
		t.Error("Key ignores the category")
	}
}
