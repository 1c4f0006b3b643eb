package embeddings

import (
	"errors"
	"fmt"
	"math"
)

// ErrUnknownToken is returned for a token that is not in the model.
var ErrUnknownToken = errors.New("embeddings: unknown token")

// Model is a trained or loaded set of token vectors, ordered as they were
// trained or read (most frequent first after training).
//
// A Model is immutable and safe for concurrent use. The zero Model holds
// no tokens.
type Model struct {
	dim     int
	tokens  []string
	counts  []int64 // nil when read from a file
	index   map[string]int
	vecs    []float32 // len(tokens)*dim, row-major
	invNorm []float32 // 1/|v|, 0 for a zero vector
	types   []string  // distinct token types
	typeOf  []uint32  // index into types, per token
}

func newModel(dim int, tokens []string, counts []int64, vecs []float32) *Model {
	m := &Model{dim: dim, tokens: tokens, counts: counts, vecs: vecs}
	m.index = make(map[string]int, len(tokens))
	typeIndex := map[string]uint32{}
	m.typeOf = make([]uint32, len(tokens))
	m.invNorm = make([]float32, len(tokens))
	for i, tok := range tokens {
		if _, dup := m.index[tok]; !dup {
			m.index[tok] = i
		}
		typ := tokenType(tok)
		ti, ok := typeIndex[typ]
		if !ok {
			ti = uint32(len(m.types))
			typeIndex[typ] = ti
			m.types = append(m.types, typ)
		}
		m.typeOf[i] = ti
		v := m.row(i)
		if n := dot(v, v); n > 0 {
			m.invNorm[i] = float32(1 / math.Sqrt(float64(n)))
		}
	}
	return m
}

func (m *Model) row(i int) []float32 { return m.vecs[i*m.dim : (i+1)*m.dim : (i+1)*m.dim] }

// Dim returns the vector dimension.
func (m *Model) Dim() int { return m.dim }

// Len returns the number of tokens.
func (m *Model) Len() int { return len(m.tokens) }

// Token returns the i-th token, 0 <= i < Len(). It panics if i is out
// of range.
func (m *Model) Token(i int) string { return m.tokens[i] }

// Count returns how often the token was seen in the training corpus, or 0
// for a model read from a file.
func (m *Model) Count(token string) int64 {
	i, ok := m.index[token]
	if !ok || m.counts == nil {
		return 0
	}
	return m.counts[i]
}

// Vector returns the vector of token and whether the token is known. The
// returned slice aliases the model and must not be modified.
func (m *Model) Vector(token string) ([]float32, bool) {
	i, ok := m.index[token]
	if !ok {
		return nil, false
	}
	return m.row(i), true
}

// Normalized returns a copy of the model whose vectors have unit length
// (zero vectors stay zero), as cosine-based tools and vector databases
// expect.
func (m *Model) Normalized() *Model {
	vecs := make([]float32, len(m.vecs))
	for i := range m.tokens {
		dst := vecs[i*m.dim : (i+1)*m.dim]
		for j, x := range m.row(i) {
			dst[j] = x * m.invNorm[i]
		}
	}
	return newModel(m.dim, m.tokens, m.counts, vecs)
}

// Types returns the distinct token types in order of first appearance
// ("" for untyped tokens).
func (m *Model) Types() []string { return append([]string(nil), m.types...) }

func (m *Model) lookup(token string) (int, error) {
	i, ok := m.index[token]
	if !ok {
		return 0, fmt.Errorf("%w %q", ErrUnknownToken, token)
	}
	return i, nil
}
