package embeddings

import (
	"math"
	"math/bits"
)

// rng is a small, fast generator (wyrand) owned by one goroutine.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.s, r.s^0xe7037ed1a0b428db)
	return hi ^ lo
}

// aliasEntry is one bucket of Walker's alias method: keep the bucket's own
// id when the coin (32 random bits) is below threshold, else take alias.
type aliasEntry struct {
	threshold uint32
	alias     uint32
}

// noiseSampler draws token ids from counts^0.75 in O(1) with 8 bytes per
// token, instead of word2vec's 100-million-entry table.
type noiseSampler struct {
	table []aliasEntry
	n     uint64
}

func newNoiseSampler(counts []int64, power float64) noiseSampler {
	n := len(counts)
	p := make([]float64, n)
	var sum float64
	for i, c := range counts {
		p[i] = math.Pow(float64(c), power)
		sum += p[i]
	}
	table := make([]aliasEntry, n)
	small := make([]int32, 0, n)
	large := make([]int32, 0, n)
	for i := range p {
		p[i] *= float64(n) / sum
		if p[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s := small[len(small)-1]
		small = small[:len(small)-1]
		l := large[len(large)-1]
		table[s] = aliasEntry{threshold: prob32(p[s]), alias: uint32(l)}
		p[l] -= 1 - p[s]
		if p[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range large {
		table[i] = aliasEntry{threshold: math.MaxUint32, alias: uint32(i)}
	}
	for _, i := range small { // rounding leftovers
		table[i] = aliasEntry{threshold: math.MaxUint32, alias: uint32(i)}
	}
	return noiseSampler{table: table, n: uint64(n)}
}

func prob32(p float64) uint32 {
	if p >= 1 {
		return math.MaxUint32
	}
	if p <= 0 {
		return 0
	}
	return uint32(p * (1 << 32))
}

// draw maps 64 random bits to a token id.
func (s *noiseSampler) draw(r uint64) uint32 {
	i := ((r >> 32) * s.n) >> 32
	e := s.table[i]
	if uint32(r) < e.threshold {
		return uint32(i)
	}
	return e.alias
}
