package fraudgraph

import (
	"fmt"
	"testing"
)

func TestHashFingerprint(t *testing.T) {
	// Stable values: snapshots depend on them.
	if got, want := HashFingerprint("card", "4111"), HashFingerprint("card", "4111"); got != want {
		t.Fatalf("HashFingerprint not deterministic: %x != %x", got, want)
	}
	// Boundaries between kind and value, and lengths, matter.
	seen := map[uint64]string{}
	add := func(kind, value string) {
		h := HashFingerprint(kind, value)
		key := kind + "\\x00" + value
		if prev, dup := seen[h]; dup && prev != key {
			t.Fatalf("HashFingerprint(%q, %q) collides with %q", kind, value, prev)
		}
		seen[h] = key
	}
	add("ab", "c")
	add("a", "bc")
	add("abc", "")
	add("", "abc")
	for i := range 200_000 {
		add("ip", fmt.Sprint(i))
		add("device", fmt.Sprintf("%016x", i))
		add("card", fmt.Sprint(i, "\\x00"))
	}
	// Top bits (shards) and tag bits spread evenly.
	var shards [256]int
	for h := range seen {
		shards[h>>56]++
	}
	for i, c := range shards {
		if c < len(seen)/256/2 || c > len(seen)/256*2 {
			t.Fatalf("shard %d holds %d of %d hashes", i, c, len(seen))
		}
	}
}

func BenchmarkHashFingerprint(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		HashFingerprint("device", "10000000003fa2b1")
	}
}
