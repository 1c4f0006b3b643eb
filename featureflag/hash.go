package featureflag

import "math/bits"

// The bucketing hash is frozen: changing it would move users between
// variants on upgrade. testdata/hash_vectors.txt pins it.
//
//	h   = FNV-1a 64 over the bytes of key, then the byte '-', then id
//	      (offset basis 14695981039346656037, prime 1099511628211)
//	h  ^= h >> 33; h *= 0xff51afd7ed558ccd; h ^= h >> 33;
//	h  *= 0xc4ceb9fe1a85ec53; h ^= h >> 33        (MurmurHash3 fmix64)
//	pos = h >> 11                                   (53 bits)
//
// The position divided by 2^53 is the subject's point in [0, 1); key is
// the flag's "salt" when set, else its name, so "name-id" is hashed as
// in Etsy's feature (which uses SHA-256 instead).

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
	// posBits is the width of a bucket position; positions are in [0, posScale).
	posBits  = 53
	posScale = uint64(1) << posBits
)

// keyState returns the FNV-1a state after key and the separator, which a
// flag computes once at load.
func keyState(key string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= fnvPrime
	}
	h ^= '-'
	h *= fnvPrime
	return h
}

// position continues the hash from a key state over id and returns the
// 53-bit bucket position.
func position(state uint64, id string) uint64 {
	h := state
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= fnvPrime
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h >> (64 - posBits)
}

// Bucket returns the point in [0, 1) at which id falls for a flag whose
// bucketing key (its "salt", else its name) is key. It is the frozen hash
// described in the package documentation; a subject is in a p % rollout
// of a flag without variants when Bucket(key, id) < p/100.
func Bucket(key, id string) float64 {
	return float64(position(keyState(key), id)) / float64(posScale)
}

// anchor returns the start of lane i in the stable layout: the van der
// Corput sequence 0, 1/2, 1/4, 3/4, 1/8, ... scaled to positions.
func anchor(i int) uint64 {
	return bits.Reverse64(uint64(i)) >> (64 - posBits)
}
