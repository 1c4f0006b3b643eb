package ann

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/craftkit/craftkit/embeddings"
)

// Query describes an approximate cosine k-nearest-neighbour search. The
// zero Query is invalid: set Token or Vector. Searches only read a Query,
// so one may be shared by concurrent searches while nobody modifies it.
type Query struct {
	// Token queries with a token's vector; the token itself is excluded
	// from the results. Ignored when Vector is set.
	Token string
	// Vector queries with an arbitrary vector of the index's dimension;
	// it need not have unit length.
	Vector []float32
	// K is the number of neighbours to return (default 10).
	K int
	// Type keeps only tokens of this type (the part before the first ':',
	// e.g. "item"); "" keeps all tokens.
	Type string
	// Exclude lists tokens never returned.
	Exclude []string
	// Ef is the candidate list size of each graph search (default
	// [Config.EfSearch]; raised to K when smaller, at most 65536): larger
	// is slower and finds more of the true neighbours.
	Ef int
}

// Nearest returns about the k tokens with the highest cosine similarity to
// token, best first, excluding token itself (k <= 0 means 10). It returns
// an error wrapping [embeddings.ErrUnknownToken] for a token not in the
// index.
func (ix *Index) Nearest(token string, k int) ([]embeddings.Neighbor, error) {
	return ix.Search(Query{Token: token, K: k})
}

// Search runs one approximate query on the calling goroutine: a search
// of each graph that may hold matching tokens, and an exact scan of the
// matching tokens that have none (types under [Config.ExactBelow]). The
// result has at most K neighbours, best first; it may miss some of the
// true nearest ones (see the package doc for measured recall).
//
// It returns an error wrapping [embeddings.ErrUnknownToken] for an
// unknown Token, [embeddings.ErrDimension] for a Vector of the wrong
// length and [embeddings.ErrQuery] for one with a NaN or infinite
// component. An unknown Type gives an empty result.
func (ix *Index) Search(q Query) ([]embeddings.Neighbor, error) {
	return ix.search(q, false)
}

// SearchExact answers q like [Index.Search] but by scanning every matching
// vector: the reference for measuring the index's recall. It costs
// Len()·Dim() multiply-adds per query.
func (ix *Index) SearchExact(q Query) ([]embeddings.Neighbor, error) {
	return ix.search(q, true)
}

func (ix *Index) search(q Query, exact bool) ([]embeddings.Neighbor, error) {
	k := q.K
	if k <= 0 {
		k = 10
	}
	ef := q.Ef
	if ef <= 0 {
		ef = ix.efSearch
	}
	ef = min(max(ef, k), maxEf)
	s, _ := ix.pool.Get().(*searcher)
	if s == nil {
		s = new(searcher)
	}
	defer ix.pool.Put(s)
	s.exclude = s.exclude[:0]
	vec := q.Vector
	if vec == nil {
		r := ix.lookup(q.Token)
		if r < 0 {
			return nil, fmt.Errorf("%w %q", embeddings.ErrUnknownToken, q.Token)
		}
		vec = ix.row(r)
		s.exclude = append(s.exclude, r)
	}
	if len(vec) != ix.dim {
		return nil, fmt.Errorf("%w: query has %d, index %d", embeddings.ErrDimension, len(vec), ix.dim)
	}
	for j, x := range vec {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil, fmt.Errorf("%w: component %d of the query vector is %v", embeddings.ErrQuery, j+1, x)
		}
	}
	for _, t := range q.Exclude {
		if r := ix.lookup(t); r >= 0 {
			s.exclude = append(s.exclude, r)
		}
	}
	slices.Sort(s.exclude)
	s.q = append(s.q[:0], vec...)
	normalize(s.q)

	s.hits = s.hits[:0]
	scan := func(lo, hi int) {
		h := &s.res
		h.reset()
		for r := lo; r < hi; r++ {
			d := -embeddings.Dot(s.q, ix.row(r))
			if h.len() == k+len(s.exclude) && d >= h.top() {
				continue
			}
			h.push(item{d, int32(r)})
			if h.len() > k+len(s.exclude) {
				h.pop()
			}
		}
		for _, x := range h.h {
			s.hits = append(s.hits, item{-x.d, x.id})
		}
	}
	graph := func(g *graph) {
		if exact {
			scan(g.lo, g.lo+g.n)
			return
		}
		for _, it := range s.searchGraph(ix, g, s.q, min(ef+len(s.exclude), g.n)) {
			s.hits = append(s.hits, item{it.d, it.id + int32(g.lo)})
		}
	}
	if q.Type != "" {
		i := slices.IndexFunc(ix.types, func(t typeRange) bool { return t.name == q.Type })
		if i < 0 {
			return []embeddings.Neighbor{}, nil
		}
		t := ix.types[i]
		if t.graph >= 0 {
			graph(ix.graphs[t.graph])
		} else {
			scan(t.lo, t.hi)
		}
	} else {
		for _, g := range ix.graphs {
			graph(g)
		}
		if !ix.restOK {
			scan(ix.rest, ix.Len())
		}
	}
	slices.SortFunc(s.hits, func(a, b item) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.id, b.id)) })
	res := make([]embeddings.Neighbor, 0, min(k, len(s.hits)))
	for _, h := range s.hits {
		if len(res) == k {
			break
		}
		if _, found := slices.BinarySearch(s.exclude, int(h.id)); found {
			continue
		}
		res = append(res, embeddings.Neighbor{Token: ix.token(int(h.id)), Score: -h.d})
	}
	return res, nil
}
