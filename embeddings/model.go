package embeddings

import (
	"errors"
	"fmt"
	"math"
)

// ErrUnknownToken is returned for a token that is not in the model.
var ErrUnknownToken = errors.New("embeddings: unknown token")

// ErrNoOutputs is returned by [Model.NearestOut] for a model without
// output vectors: trained without [Config.KeepOutputs], or read from a
// file.
var ErrNoOutputs = errors.New("embeddings: model has no output vectors")

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
	chunks  [][]float32 // the vectors, row-major, 1<<shift rows per chunk (the last may hold fewer)
	shift   uint
	invNorm []float32 // 1/|v|, 0 for a zero vector
	types   []string  // distinct token types
	typeOf  []uint32  // index into types, per token
	outputs *Model    // output vectors of the same tokens, or nil
}

// maxChunkBytes bounds one allocation of vector storage. The readers
// allocate the vectors a chunk at a time, so a header that claims more
// vectors than the file holds costs at most one chunk.
const maxChunkBytes = 256 << 10

// chunkShift returns log2 of the rows per chunk for dim: as many rows as
// fit in maxChunkBytes, at least one.
func chunkShift(dim int) uint {
	var s uint
	for dim > 0 && (2<<s)*dim*4 <= maxChunkBytes {
		s++
	}
	return s
}

// newModel builds a model over the row-major vectors vecs, which it
// keeps without copying.
func newModel(dim int, tokens []string, counts []int64, vecs []float32) *Model {
	shift := chunkShift(dim)
	step := (1 << shift) * dim
	chunks := make([][]float32, 0, (len(vecs)+step-1)/max(step, 1))
	for len(vecs) > 0 {
		n := min(step, len(vecs))
		chunks = append(chunks, vecs[:n:n])
		vecs = vecs[n:]
	}
	return newChunkedModel(dim, tokens, counts, chunks, shift)
}

// newChunkedModel builds a model over vectors stored in chunks of
// 1<<shift rows. A token listed twice is indexed at its first row.
func newChunkedModel(dim int, tokens []string, counts []int64, chunks [][]float32, shift uint) *Model {
	m := &Model{dim: dim, tokens: tokens, counts: counts, chunks: chunks, shift: shift}
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

func (m *Model) row(i int) []float32 {
	c := m.chunks[i>>m.shift]
	o := (i & (1<<m.shift - 1)) * m.dim
	return c[o : o+m.dim : o+m.dim]
}

// dropDuplicates keeps the first row of each token, in place: each token
// keeps its first vector, as in gensim.
func (m *Model) dropDuplicates() {
	if len(m.index) == len(m.tokens) {
		return
	}
	kept := 0
	for i, tok := range m.tokens {
		if m.index[tok] != i {
			continue
		}
		m.tokens[kept] = tok
		copy(m.row(kept), m.row(i))
		m.invNorm[kept] = m.invNorm[i]
		m.typeOf[kept] = m.typeOf[i]
		m.index[tok] = kept
		kept++
	}
	clear(m.tokens[kept:])
	m.tokens = m.tokens[:kept:kept]
	m.invNorm = m.invNorm[:kept:kept]
	m.typeOf = m.typeOf[:kept:kept]
	nc := (kept + 1<<m.shift - 1) >> m.shift
	clear(m.chunks[nc:])
	m.chunks = m.chunks[:nc:nc]
	if nc > 0 {
		last := (kept - (nc-1)<<m.shift) * m.dim
		m.chunks[nc-1] = m.chunks[nc-1][:last:last]
	}
}

// Dim returns the vector dimension.
func (m *Model) Dim() int { return m.dim }

// Len returns the number of tokens.
func (m *Model) Len() int { return len(m.tokens) }

// Token returns the i-th token, 0 <= i < Len(). It panics if i is out
// of range.
func (m *Model) Token(i int) string { return m.tokens[i] }

// Count returns how often the token was seen in the training corpora
// (summed over [Continue] calls), or 0 for a model read from a word2vec
// vector file. [ReadCheckpoint] restores the counts.
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

// withOutputs attaches the row-major output vectors vecs, which it keeps
// without copying, to m; they share m's tokens and index.
func (m *Model) withOutputs(vecs []float32) *Model {
	o := newModel(m.dim, nil, nil, vecs)
	return m.attachOutputs(o.chunks, o.shift)
}

// attachOutputs attaches output vectors stored in chunks of 1<<shift rows
// to m; they share m's tokens and index.
func (m *Model) attachOutputs(chunks [][]float32, shift uint) *Model {
	o := &Model{dim: m.dim, chunks: chunks, shift: shift}
	o.tokens, o.counts, o.index, o.types, o.typeOf = m.tokens, m.counts, m.index, m.types, m.typeOf
	o.invNorm = make([]float32, len(m.tokens))
	for i := range m.tokens {
		if v := o.row(i); dot(v, v) > 0 {
			o.invNorm[i] = float32(1 / math.Sqrt(float64(dot(v, v))))
		}
	}
	m.outputs = o
	return m
}

// Outputs returns the output (context) vectors of the model's tokens as a
// Model of their own, in the same order, or nil when the model has none
// (trained without [Config.KeepOutputs], or read from a vector file or a
// checkpoint saved without them). Use it to
// write the output set ([Model.WriteBinaryFile]), to look up an output
// vector ([Model.Vector]), or to search among output vectors. The returned
// model has no outputs itself.
func (m *Model) Outputs() *Model { return m.outputs }

// Normalized returns a copy of the model whose vectors have unit length
// (zero vectors stay zero), as cosine-based tools and vector databases
// expect. Output vectors, if any, are normalised too.
func (m *Model) Normalized() *Model {
	chunks := make([][]float32, len(m.chunks))
	for c, src := range m.chunks {
		chunks[c] = make([]float32, len(src))
	}
	for i := range m.tokens {
		c, o := i>>m.shift, (i&(1<<m.shift-1))*m.dim
		dst := chunks[c][o : o+m.dim]
		for j, x := range m.row(i) {
			dst[j] = x * m.invNorm[i]
		}
	}
	n := newChunkedModel(m.dim, m.tokens, m.counts, chunks, m.shift)
	if m.outputs != nil {
		n.outputs = m.outputs.Normalized()
	}
	return n
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
