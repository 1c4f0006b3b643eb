package fraudgraph

import "math/bits"

// HashFingerprint returns the 64-bit identity under which a fingerprint of
// the given kind and value is stored. The graph never keeps fingerprint
// strings: two fingerprints are the same when their hashes are equal. The
// hash is FNV-1a over kind, a zero byte and value, followed by a splitmix64
// finaliser; it is stable across processes and releases of this package
// because snapshots depend on it.
//
// The fingerprint table identifies a fingerprint by 56 of these bits (the
// full hash is kept for shared fingerprints): with F distinct fingerprints
// the chance that any two merge is about F²/2⁵⁷, 0.04 for 72 million and
// 4e-4 for 7 million. A merge would link the accounts of two unrelated
// fingerprints; explanations carry the hash so a reviewer can check the
// underlying values in the system of record.
func HashFingerprint(kind, value string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i := 0; i < len(kind); i++ {
		h ^= uint64(kind[i])
		h *= prime
	}
	h *= prime // the zero separator byte
	for i := 0; i < len(value); i++ {
		h ^= uint64(value[i])
		h *= prime
	}
	h = mix64(h)
	if h == 0 { // 0 marks an empty table slot
		h = 1
	}
	return h
}

// mix64 is the splitmix64 finaliser.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// reduce maps a 64-bit hash onto [0, n) without a division (Lemire's
// fast range reduction).
func reduce(h uint64, n int) int {
	hi, _ := bits.Mul64(h, uint64(n))
	return int(hi)
}
