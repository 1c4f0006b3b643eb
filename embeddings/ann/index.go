package ann

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/craftkit/craftkit/embeddings"
)

// Limits on the configuration and on the data an index holds.
const (
	maxM       = 256
	maxEf      = 1 << 16
	maxThreads = 4096
	maxDim     = 65536
	maxLen     = math.MaxInt32 - 1 // node ids are int32
	maxLevel   = 30
)

// ErrConfig is wrapped by every error about an invalid [Config] field.
var ErrConfig = errors.New("ann: invalid config")

// ErrInput is wrapped by every error about invalid vectors or tokens given
// to [NewFromVectors].
var ErrInput = errors.New("ann: invalid input")

// Config sets how an index is built. The zero Config builds with the
// documented defaults.
type Config struct {
	// M is the number of links a node keeps on the upper layers of the
	// graph; the bottom layer keeps 2·M (default 16, at most 256). Larger
	// M raises recall at a given EfSearch and costs 8·M bytes per vector
	// and proportionally more build time.
	M int
	// EfConstruction is the size of the candidate list while inserting
	// (default 200, at most 65536): larger builds slower and better.
	EfConstruction int
	// EfSearch is the default size of the candidate list of a query
	// (default 64, at most 65536); [Query.Ef] overrides it per query.
	EfSearch int
	// ExactBelow is the size under which a token type gets no graph of
	// its own and is searched exactly (default 2048, at least 1).
	ExactBelow int
	// Threads is the number of goroutines inserting at once (default
	// runtime.GOMAXPROCS(0), at most 4096). With Threads 1 the index is a
	// deterministic function of its input and Seed.
	Threads int
	// Seed drives the random layer assignment.
	Seed uint64
	// Progress, when set, is called with the number of vectors inserted
	// into graphs so far and their total (the tokens of types searched
	// exactly need no insertion), about every 1% and once at the end. It is
	// called from the building goroutines, one call at a time, with done
	// increasing; it must not block for long.
	Progress func(done, total int)
}

func (c Config) withDefaults() Config {
	if c.M == 0 {
		c.M = 16
	}
	if c.EfConstruction == 0 {
		c.EfConstruction = 200
	}
	if c.EfSearch == 0 {
		c.EfSearch = 64
	}
	if c.ExactBelow == 0 {
		c.ExactBelow = 2048
	}
	if c.Threads == 0 {
		c.Threads = min(runtime.GOMAXPROCS(0), maxThreads)
	}
	return c
}

func (c Config) validate() error {
	for _, f := range []struct {
		name      string
		v, lo, hi int
	}{
		{"M", c.M, 2, maxM},
		{"EfConstruction", c.EfConstruction, 1, maxEf},
		{"EfSearch", c.EfSearch, 1, maxEf},
		{"ExactBelow", c.ExactBelow, 1, maxLen},
		{"Threads", c.Threads, 1, maxThreads},
	} {
		if f.v < f.lo || f.v > f.hi {
			return fmt.Errorf("%w: %s %d outside [%d, %d]", ErrConfig, f.name, f.v, f.lo, f.hi)
		}
	}
	return nil
}

// Index is an approximate cosine nearest-neighbour index over token
// vectors: one HNSW graph per token type with at least
// [Config.ExactBelow] tokens, one more over the tokens of all smaller
// types, and the unit vectors.
//
// An Index is immutable once built or read and safe for concurrent use:
// any number of goroutines may search it at once. The zero Index holds no
// tokens.
type Index struct {
	dim      int
	m, m0    int
	efSearch int
	exactMin int // Config.ExactBelow
	vecs     []float32
	names    string   // the tokens, concatenated
	ends     []uint64 // ends[i] is the end of token i in names
	byName   []int32  // rows sorted by token
	types    []typeRange
	graphs   []*graph
	rest     int       // first row of the types without a graph of their own
	restOK   bool      // whether the rows from rest on have a graph
	pool     sync.Pool // *searcher
}

// typeRange is the rows [lo, hi) of one token type, and the graph that
// covers them (-1 when they are searched exactly).
type typeRange struct {
	name   string
	lo, hi int
	graph  int
}

// tokenType returns the type of tok, the text before its first ':', as
// the embeddings package defines it.
func tokenType(tok string) string {
	if i := strings.IndexByte(tok, ':'); i > 0 {
		return tok[:i]
	}
	return ""
}

// New builds an index over the input vectors of m (see
// [embeddings.Model.Outputs] to index output vectors instead). It copies
// and normalises the vectors: m may be dropped afterwards. It returns
// ctx's error if ctx is cancelled before the build completes.
func New(ctx context.Context, m *embeddings.Model, cfg Config) (*Index, error) {
	tokens := make([]string, m.Len())
	for i := range tokens {
		tokens[i] = m.Token(i)
	}
	return build(ctx, tokens, m.Dim(), func(i int) []float32 {
		v, _ := m.Vector(tokens[i])
		return v
	}, cfg)
}

// NewFromVectors builds an index over the row-major vectors vecs, one row
// of len(vecs)/len(tokens) components per token. Tokens must be distinct
// and rows finite; zero rows are allowed (their cosine with anything is
// 0). It copies and normalises the vectors: vecs may be reused afterwards.
func NewFromVectors(ctx context.Context, tokens []string, vecs []float32, cfg Config) (*Index, error) {
	if len(tokens) == 0 {
		if len(vecs) != 0 {
			return nil, fmt.Errorf("%w: %d vector components for no tokens", ErrInput, len(vecs))
		}
		return build(ctx, nil, 1, nil, cfg)
	}
	if len(vecs)%len(tokens) != 0 || len(vecs) == 0 {
		return nil, fmt.Errorf("%w: %d vector components are not a whole number of rows for %d tokens", ErrInput, len(vecs), len(tokens))
	}
	dim := len(vecs) / len(tokens)
	return build(ctx, tokens, dim, func(i int) []float32 { return vecs[i*dim : (i+1)*dim] }, cfg)
}

// build indexes tokens, whose vectors row returns.
func build(ctx context.Context, tokens []string, dim int, row func(int) []float32, cfg Config) (*Index, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if dim < 1 || dim > maxDim {
		return nil, fmt.Errorf("%w: dimension %d outside [1, %d]", ErrInput, dim, maxDim)
	}
	if len(tokens) > maxLen {
		return nil, fmt.Errorf("%w: %d tokens, at most %d", ErrInput, len(tokens), maxLen)
	}
	for i, tok := range tokens {
		for j, x := range row(i) {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, fmt.Errorf("%w: component %d of the vector of %q is %v", ErrInput, j+1, tok, x)
			}
		}
	}
	ix := &Index{dim: dim, m: cfg.M, m0: 2 * cfg.M, efSearch: cfg.EfSearch, exactMin: cfg.ExactBelow}
	order := groupByType(tokens, cfg.ExactBelow)
	ix.arrange(tokens, row, order)
	if err := ix.checkDistinct(); err != nil {
		return nil, err
	}
	b := builder{ix: ix, cfg: cfg, ctx: ctx}
	for _, g := range ix.graphs {
		b.total += g.n
	}
	for _, g := range ix.graphs {
		if err := b.build(g); err != nil {
			return nil, err
		}
	}
	if cfg.Progress != nil && b.total == 0 {
		cfg.Progress(0, 0)
	}
	return ix, nil
}

// groupByType returns the order in which rows are stored: the types with
// at least exactMin tokens first, largest first, then the other types,
// largest first; rows of one type keep their input order.
func groupByType(tokens []string, exactMin int) []int32 {
	count := map[string]int{}
	for _, t := range tokens {
		count[tokenType(t)]++
	}
	names := make([]string, 0, len(count))
	for name := range count {
		names = append(names, name)
	}
	rank := func(name string) (bool, int) { return count[name] < exactMin, -count[name] }
	slices.SortFunc(names, func(a, b string) int {
		sa, ca := rank(a)
		sb, cb := rank(b)
		if sa != sb {
			if sa {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(ca, cb), strings.Compare(a, b))
	})
	pos := make(map[string]int, len(names))
	for i, name := range names {
		pos[name] = i
	}
	order := make([]int32, len(tokens))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		return cmp.Compare(pos[tokenType(tokens[a])], pos[tokenType(tokens[b])])
	})
	return order
}

// arrange stores tokens and vecs in the given order, normalises the
// vectors and lays out the type ranges and graphs.
func (ix *Index) arrange(tokens []string, row func(int) []float32, order []int32) {
	n, dim := len(tokens), ix.dim
	ix.vecs = make([]float32, n*dim)
	ix.ends = make([]uint64, n)
	var sb strings.Builder
	for r, i := range order {
		sb.WriteString(tokens[i])
		ix.ends[r] = uint64(sb.Len())
		dst := ix.vecs[r*dim : (r+1)*dim]
		copy(dst, row(int(i)))
		normalize(dst)
	}
	ix.names = sb.String()
	ix.layout()
}

// layout derives the type ranges, the graphs (empty) and the name order
// from names and ends.
func (ix *Index) layout() {
	n := len(ix.ends)
	ix.types = ix.types[:0]
	for r := 0; r < n; r++ {
		t := tokenType(ix.token(r))
		if len(ix.types) == 0 || ix.types[len(ix.types)-1].name != t {
			ix.types = append(ix.types, typeRange{name: t, lo: r, hi: r, graph: -1})
		}
		ix.types[len(ix.types)-1].hi = r + 1
	}
	ix.graphs = ix.graphs[:0]
	rest := n
	for i := range ix.types {
		t := &ix.types[i]
		if t.hi-t.lo >= ix.exactMin {
			t.graph = len(ix.graphs)
			ix.graphs = append(ix.graphs, &graph{lo: t.lo, n: t.hi - t.lo})
		} else if rest == n {
			rest = t.lo
		}
	}
	ix.rest, ix.restOK = rest, n-rest >= ix.exactMin
	if ix.restOK {
		ix.graphs = append(ix.graphs, &graph{lo: rest, n: n - rest})
	}
}

func (ix *Index) sortNames() {
	ix.byName = make([]int32, len(ix.ends))
	for i := range ix.byName {
		ix.byName[i] = int32(i)
	}
	slices.SortFunc(ix.byName, func(a, b int32) int { return strings.Compare(ix.token(int(a)), ix.token(int(b))) })
}

func (ix *Index) checkDistinct() error {
	ix.sortNames()
	for i := 1; i < len(ix.byName); i++ {
		if t := ix.token(int(ix.byName[i])); t == ix.token(int(ix.byName[i-1])) {
			return fmt.Errorf("%w: token %q listed twice", ErrInput, t)
		}
	}
	return nil
}

func normalize(v []float32) {
	if n := embeddings.Dot(v, v); n > 0 {
		inv := float32(1 / math.Sqrt(float64(n)))
		for j := range v {
			v[j] *= inv
		}
	}
}

func (ix *Index) token(r int) string {
	lo := uint64(0)
	if r > 0 {
		lo = ix.ends[r-1]
	}
	return ix.names[lo:ix.ends[r]]
}

func (ix *Index) row(r int) []float32 {
	return ix.vecs[r*ix.dim : (r+1)*ix.dim : (r+1)*ix.dim]
}

// lookup returns the row of token, or -1.
func (ix *Index) lookup(token string) int {
	i, ok := slices.BinarySearchFunc(ix.byName, token, func(r int32, t string) int {
		return strings.Compare(ix.token(int(r)), t)
	})
	if !ok {
		return -1
	}
	return int(ix.byName[i])
}

// Len returns the number of tokens.
func (ix *Index) Len() int { return len(ix.ends) }

// Dim returns the vector dimension.
func (ix *Index) Dim() int { return ix.dim }

// Types returns the distinct token types, those with the most tokens first
// ("" for untyped tokens).
func (ix *Index) Types() []string {
	out := make([]string, len(ix.types))
	for i, t := range ix.types {
		out[i] = t.name
	}
	return out
}

// Vector returns the unit vector the index keeps for token and whether
// the token is indexed. The slice aliases the index and must not be
// modified.
func (ix *Index) Vector(token string) ([]float32, bool) {
	r := ix.lookup(token)
	if r < 0 {
		return nil, false
	}
	return ix.row(r), true
}

// Bytes returns the heap bytes the index's data occupies: vectors, links,
// tokens and lookup tables (not the per-query buffers).
func (ix *Index) Bytes() int64 {
	b := int64(len(ix.vecs))*4 + int64(len(ix.names)) + int64(len(ix.ends))*8 + int64(len(ix.byName))*4
	for _, g := range ix.graphs {
		b += int64(len(g.levels)) + int64(len(g.links0))*4 + int64(len(g.upperAt))*4 + int64(len(g.upper))*4
	}
	return b
}
