package embeddings

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// ErrDimension is returned for a query vector whose length is not the
// model's dimension.
var ErrDimension = errors.New("embeddings: dimension mismatch")

// ErrQuery is returned for a query vector with a NaN or infinite
// component, which has no cosine with anything.
var ErrQuery = errors.New("embeddings: invalid query")

// Neighbor is one result of a nearest-neighbour query. It is a plain
// value, safe for concurrent reads.
type Neighbor struct {
	// Token is the neighbouring token.
	Token string
	// Score is the cosine similarity to the query, in [-1, 1].
	Score float32
}

// Query describes an exact cosine k-nearest-neighbour search. The zero
// Query is invalid: set Token or Vector. Searches only read a Query, so
// one may be shared by concurrent searches while nobody modifies it.
type Query struct {
	// Token queries with a token's vector; the token itself is excluded
	// from the results. Ignored when Vector is set.
	Token string
	// Vector queries with an arbitrary vector of the model's dimension;
	// it need not have unit length.
	Vector []float32
	// K is the number of neighbours to return (default 10).
	K int
	// Type keeps only tokens of this type (the part before the first ':',
	// e.g. "shop"); "" keeps all tokens.
	Type string
	// Exclude lists tokens never returned.
	Exclude []string
	// Limit, when positive, searches only the Limit first tokens of the
	// model (the most frequent ones after training).
	Limit int
}

// Nearest returns the k tokens with the highest cosine similarity to
// token, best first, excluding token itself (k <= 0 means 10). It
// returns an error wrapping [ErrUnknownToken] for a token not in the
// model.
func (m *Model) Nearest(token string, k int) ([]Neighbor, error) {
	return m.Search(Query{Token: token, K: k})
}

// NearestOut returns the k tokens whose output (context) vectors have the
// highest cosine with the input vector of token, best first, excluding
// token itself (k <= 0 means 10): the IN–OUT similarity of Nalisnick et
// al. ("Improving Document Ranking with Dual Word Embeddings", WWW 2016).
// Input–input similarity ([Model.Nearest]) ranks tokens used in the same
// way, substitutes; IN–OUT ranks tokens that occur around token, and,
// with [Config.PurchaseContext], the items bought in sessions that
// viewed it. For the reverse question, the items whose sessions lead to
// purchasing X, search the input vectors with X's output vector:
//
//	u, _ := m.Outputs().Vector("item:9")
//	m.Search(embeddings.Query{Vector: u, Exclude: []string{"item:9"}})
//
// It returns [ErrNoOutputs] for a model without output vectors (see
// [Config.KeepOutputs]) and an error wrapping [ErrUnknownToken] for a
// token not in the model. It costs what [Model.Nearest] costs.
func (m *Model) NearestOut(token string, k int) ([]Neighbor, error) {
	return m.SearchOut(Query{Token: token, K: k})
}

// SearchOut is [Model.Search] with IN–OUT scores (see [Model.NearestOut]):
// it ranks the output vectors of the candidates by cosine with the input
// vector of q.Token (excluded from the results), or with q.Vector when it
// is set; Type, Exclude and Limit filter the candidates as in Search. It
// returns [ErrNoOutputs] for a model without output vectors.
func (m *Model) SearchOut(q Query) ([]Neighbor, error) {
	if m.outputs == nil {
		return nil, ErrNoOutputs
	}
	if q.Vector == nil {
		i, err := m.lookup(q.Token)
		if err != nil {
			return nil, err
		}
		q.Vector = m.row(i)
		q.Exclude = append(slices.Clip(q.Exclude), q.Token)
	}
	return m.outputs.Search(q)
}

// Analogy answers "a is to b as c is to ?" with the 3CosAdd rule: the
// tokens nearest to unit(b) − unit(a) + unit(c), excluding a, b and c.
// For the classic king − man + woman call Analogy("man", "king", "woman", k).
func (m *Model) Analogy(a, b, c string, k int) ([]Neighbor, error) {
	q, err := m.analogyQuery(a, b, c)
	if err != nil {
		return nil, err
	}
	q.K = k
	return m.Search(q)
}

func (m *Model) analogyQuery(a, b, c string) (Query, error) {
	v := make([]float32, m.dim)
	for _, t := range []struct {
		tok string
		w   float32
	}{{a, -1}, {b, 1}, {c, 1}} {
		i, err := m.lookup(t.tok)
		if err != nil {
			return Query{}, err
		}
		axpy(t.w*m.invNorm[i], m.row(i), v)
	}
	return Query{Vector: v, Exclude: []string{a, b, c}}, nil
}

// Search runs one exact k-NN query on the calling goroutine. It costs one
// dot product per candidate token: about Len()*Dim multiply-adds.
func (m *Model) Search(q Query) ([]Neighbor, error) {
	var s searcher
	return s.search(m, q)
}

// SearchBatch runs the queries on threads goroutines (runtime.GOMAXPROCS(0)
// when threads <= 0, at most 4096 and at most one per query) and returns
// their results in order. It returns the
// errors of failed queries joined; their result is nil.
func (m *Model) SearchBatch(qs []Query, threads int) ([][]Neighbor, error) {
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	threads = min(threads, maxThreads)
	out := make([][]Neighbor, len(qs))
	errs := make([]error, len(qs))
	var cursor atomic.Int64
	var wg sync.WaitGroup
	for range min(threads, len(qs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var s searcher
			for {
				i := int(cursor.Add(1) - 1)
				if i >= len(qs) {
					return
				}
				out[i], errs[i] = s.search(m, qs[i])
			}
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// candidate is a heap entry.
type candidate struct {
	score float32
	index int32
}

// worse reports whether a ranks below b: lower score, or equal score and
// later token.
func worse(a, b candidate) bool {
	return a.score < b.score || (a.score == b.score && a.index > b.index)
}

// searcher holds reusable buffers of one goroutine.
type searcher struct {
	heap    []candidate
	exclude []int
	q       []float32
}

func (s *searcher) search(m *Model, q Query) ([]Neighbor, error) {
	k := q.K
	if k <= 0 {
		k = 10
	}
	s.exclude = s.exclude[:0]
	vec := q.Vector
	if vec == nil {
		i, err := m.lookup(q.Token)
		if err != nil {
			return nil, err
		}
		vec = m.row(i)
		s.exclude = append(s.exclude, i)
	}
	if len(vec) != m.dim {
		return nil, fmt.Errorf("%w: query has %d, model %d", ErrDimension, len(vec), m.dim)
	}
	for j, x := range vec {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil, fmt.Errorf("%w: component %d of the query vector is %v", ErrQuery, j+1, x)
		}
	}
	for _, t := range q.Exclude {
		if i, ok := m.index[t]; ok {
			s.exclude = append(s.exclude, i)
		}
	}
	slices.Sort(s.exclude) // binary search: long exclusion lists stay cheap
	// Unit query, so that scores are cosines.
	s.q = append(s.q[:0], vec...)
	if n := dot(s.q, s.q); n > 0 {
		inv := float32(1 / math.Sqrt(float64(n)))
		for i := range s.q {
			s.q[i] *= inv
		}
	}
	n := len(m.tokens)
	if q.Limit > 0 && q.Limit < n {
		n = q.Limit
	}
	typ, typed := -1, q.Type != ""
	if typed {
		typ = slices.Index(m.types, q.Type)
		if typ < 0 {
			return []Neighbor{}, nil
		}
	}
	h := s.heap[:0]
	qv := s.q
	floor := float32(math.Inf(-1))
	dim := m.dim
	for ci, chunk := range m.chunks {
		base := ci << m.shift
		if base >= n {
			break
		}
		end := min(base+len(chunk)/dim, n)
		for i := base; i < end; i++ {
			if typed && int(m.typeOf[i]) != typ {
				continue
			}
			o := (i - base) * dim
			sc := dot(qv, chunk[o:o+dim:o+dim]) * m.invNorm[i]
			if sc < floor || (len(h) == k && sc == floor) {
				continue
			}
			if _, found := slices.BinarySearch(s.exclude, i); found {
				continue
			}
			c := candidate{sc, int32(i)}
			if len(h) < k {
				h = append(h, c)
				siftUp(h, len(h)-1)
				if len(h) == k {
					floor = h[0].score
				}
				continue
			}
			h[0] = c
			siftDown(h, 0)
			floor = h[0].score
		}
	}
	s.heap = h
	res := make([]Neighbor, len(h))
	slices.SortFunc(h, func(a, b candidate) int {
		switch {
		case worse(b, a):
			return -1
		case worse(a, b):
			return 1
		}
		return 0
	})
	for i, c := range h {
		res[i] = Neighbor{Token: m.tokens[c.index], Score: c.score}
	}
	return res, nil
}

// The heap is a min-heap under worse: h[0] is the worst kept candidate.
func siftUp(h []candidate, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !worse(h[i], h[p]) {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func siftDown(h []candidate, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		c := l
		if r := l + 1; r < len(h) && worse(h[r], h[l]) {
			c = r
		}
		if !worse(h[c], h[i]) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}
