package fraudgraph

import (
	"fmt"
	"math/rand/v2"
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

// fingerprintKey is a bijection for each kind: fpUnkey gives the hash back.
func TestFingerprintKeyInverts(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, kind := range []string{"device", "card", "ip", "x"} {
		salt := kindSalt(kind)
		for _, h := range []uint64{0, 1, 2, 42, 1 << 63, ^uint64(0), rng.Uint64(), rng.Uint64()} {
			if got := fpUnkey(salt, fingerprintKey(salt, h)); got != h {
				t.Errorf("fpUnkey(fingerprintKey(%q, %#x)) = %#x", kind, h, got)
			}
		}
	}
	if kindSalt("device") == kindSalt("card") {
		t.Error("two kinds share a salt")
	}
}

// Snapshots store keys, so kindSalt and fingerprintKey must never change.
func TestFingerprintKeyStable(t *testing.T) {
	for _, tt := range []struct {
		got, want uint64
	}{
		{kindSalt("card"), 0xa863fb71befcb73c},
		{kindSalt("device"), 0xa0e50af989ab69a9},
		{fingerprintKey(kindSalt("card"), 42), 0xefe22372701ec92c},
	} {
		if tt.got != tt.want {
			t.Errorf("got %#x, want %#x: fingerprint keys changed, snapshots would not load", tt.got, tt.want)
		}
	}
}
