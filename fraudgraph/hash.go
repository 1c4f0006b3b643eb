package fraudgraph

import "math/bits"

// HashFingerprint returns the 64-bit identity under which a fingerprint of
// the given kind and value is stored. The graph never keeps fingerprint
// strings: two fingerprints are the same when their hashes are equal. The
// hash absorbs kind and value eight bytes at a time with a multiply-xorshift
// step, separates them with their lengths and ends with the splitmix64
// finaliser; it is stable across processes and releases of this package
// because snapshots depend on it. It is not a cryptographic hash.
//
// The fingerprint table identifies a fingerprint by 56 of these bits (the
// full hash is kept for shared fingerprints): with F distinct fingerprints
// the chance that any two merge is about F²/2⁵⁷, 0.04 for 72 million and
// 4e-4 for 7 million. A merge would link the accounts of two unrelated
// fingerprints; explanations carry the hash so a reviewer can check the
// underlying values in the system of record.
func HashFingerprint(kind, value string) uint64 {
	h := uint64(len(kind))<<32 ^ uint64(len(value)) ^ 0x243f6a8885a308d3
	h = absorb(h, kind)
	h = mix64(h ^ 0x13198a2e03707344)
	h = absorb(h, value)
	h = mix64(h)
	if h == 0 { // never 0, as in every release so far (hashes are stable)
		h = 1
	}
	return h
}

// absorb mixes s into h, eight bytes per step.
func absorb(h uint64, s string) uint64 {
	const m = 0x9e3779b97f4a7c15
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		h = (h ^ w) * m
		h ^= h >> 29
		s = s[8:]
	}
	var w uint64
	for i := range len(s) {
		w |= uint64(s[i]) << (8 * i)
	}
	h = (h ^ w ^ uint64(len(s))<<59) * m
	return h ^ h>>32
}

// kindSalt returns the 64-bit value a kind's fingerprint hashes are
// combined with (see fingerprintKey). It is stable across processes and releases,
// as snapshots depend on it.
func kindSalt(kind string) uint64 {
	h := absorb(uint64(len(kind))^0x452821e638d01377, kind)
	return mix64(h ^ 0xbe5466cf34e90c6c)
}

// fingerprintKey returns the identity under which the graph stores the fingerprint
// of hash h and the kind with salt: a bijection of h for each kind, so
// that distinct hashes of one kind never merge, and the same hash under
// two kinds gives unrelated keys. The mixing spreads hashes that differ
// only in low bits (a caller's own sequential ids) over the table's 56
// identity bits. fpUnkey inverts it.
func fingerprintKey(salt, h uint64) uint64 { return mix64(h ^ salt) }

// fpUnkey returns the hash whose key, for the kind with salt, is key.
func fpUnkey(salt, key uint64) uint64 { return unmix64(key) ^ salt }

// mix64 is the splitmix64 finaliser.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// unmix64 inverts mix64: each xorshift is undone by xoring the shifted
// value back in (twice for shifts of less than 32 bits), each
// multiplication by multiplying with the inverse modulo 2⁶⁴.
func unmix64(x uint64) uint64 {
	x ^= x>>31 ^ x>>62
	x *= 0x319642b2d24d8ec3 // inverse of 0x94d049bb133111eb
	x ^= x>>27 ^ x>>54
	x *= 0x96de1b173f119089 // inverse of 0xbf58476d1ce4e5b9
	x ^= x>>30 ^ x>>60
	return x
}

// reduce maps a 64-bit hash onto [0, n) without a division (Lemire's
// fast range reduction).
func reduce(h uint64, n int) int {
	hi, _ := bits.Mul64(h, uint64(n))
	return int(hi)
}
