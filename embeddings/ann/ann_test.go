package ann

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/craftkit/craftkit/embeddings"
)

// clustered returns n tokens prefix+i and n·dim components drawn from a
// mixture of Gaussians: centres N(0, I), points centre + N(0, spread² I).
func clustered(prefix string, n, dim, clusters int, spread float64, seed uint64) ([]string, []float32) {
	rng := rand.New(rand.NewPCG(seed, 1))
	centres := make([]float32, clusters*dim)
	for i := range centres {
		centres[i] = float32(rng.NormFloat64())
	}
	tokens := make([]string, n)
	vecs := make([]float32, n*dim)
	for i := range n {
		tokens[i] = fmt.Sprintf("%s%d", prefix, i)
		c := rng.IntN(clusters)
		for j := range dim {
			vecs[i*dim+j] = centres[c*dim+j] + float32(spread*rng.NormFloat64())
		}
	}
	return tokens, vecs
}

func vectorQueries(vecs []float32, dim int, typ string) []Query {
	qs := make([]Query, len(vecs)/dim)
	for i := range qs {
		qs[i] = Query{Vector: vecs[i*dim : (i+1)*dim], Type: typ}
	}
	return qs
}

// recall returns the fraction of the exact answers' tokens that Search
// finds.
func recall(t testing.TB, ix *Index, queries []Query) float64 {
	t.Helper()
	var hit, all int
	for _, q := range queries {
		want, err := ix.SearchExact(q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ix.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range want {
			if slices.ContainsFunc(got, func(g embeddings.Neighbor) bool { return g.Token == n.Token }) {
				hit++
			}
		}
		all += len(want)
	}
	return float64(hit) / float64(all)
}

func TestRecall5k(t *testing.T) {
	const dim = 16
	tokens, vecs := clustered("item:", 5000, dim, 50, 0.5, 1)
	ix, err := NewFromVectors(context.Background(), tokens, vecs, Config{EfConstruction: 64, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	_, qv := clustered("", 200, dim, 50, 0.5, 1) // same centres, other points: the first 200 draws differ from none, so perturb
	rng := rand.New(rand.NewPCG(9, 9))
	for i := range qv {
		qv[i] += float32(0.3 * rng.NormFloat64())
	}
	r := recall(t, ix, vectorQueries(qv, dim, ""))
	t.Logf("recall@10 = %.4f", r)
	if r < 0.9 {
		t.Errorf("recall@10 = %.4f, want >= 0.9", r)
	}
}

// mixed returns an input of four types: items and shops (one graph each
// with ExactBelow 500), 100 queries and 50 untyped tokens (searched
// exactly).
func mixed(items, shops int) ([]string, []float32) {
	const dim = 16
	var tokens []string
	var vecs []float32
	for i, part := range []struct {
		prefix string
		n      int
	}{{"query:", 100}, {"item:", items}, {"", 50}, {"shop:", shops}} {
		t, v := clustered(part.prefix, part.n, dim, 20, 0.6, uint64(i+1))
		tokens = append(tokens, t...)
		vecs = append(vecs, v...)
	}
	return tokens, vecs
}

func TestTypeFilter(t *testing.T) {
	tokens, vecs := mixed(3000, 2500)
	ix, err := NewFromVectors(context.Background(), tokens, vecs, Config{EfConstruction: 64, ExactBelow: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ix.Types(), []string{"item", "shop", "query", ""}; !slices.Equal(got, want) {
		t.Fatalf("Types() = %q, want %q", got, want)
	}
	if len(ix.graphs) != 2 {
		t.Fatalf("%d graphs, want 2 (item, shop; 150 others under ExactBelow)", len(ix.graphs))
	}
	_, qv := clustered("", 100, 16, 20, 0.6, 2) // near the items' clusters
	for _, typ := range []string{"", "item", "shop", "query"} {
		t.Run("type="+typ, func(t *testing.T) {
			qs := vectorQueries(qv, 16, typ)
			for _, q := range qs[:20] {
				got, err := ix.Search(q)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 10 {
					t.Fatalf("Search(Type %q) returned %d neighbours, want 10", typ, len(got))
				}
				for _, n := range got {
					if typ != "" && tokenType(n.Token) != typ {
						t.Fatalf("Search(Type %q) returned %q", typ, n.Token)
					}
				}
			}
			r := recall(t, ix, qs)
			if typ == "query" && r != 1 {
				t.Errorf("recall of the exactly searched type = %v, want 1", r)
			}
			if r < 0.9 {
				t.Errorf("recall@10 with Type %q = %.4f, want >= 0.9", typ, r)
			}
		})
	}
	got, err := ix.Search(Query{Vector: qv[:16], Type: "category"})
	if err != nil || len(got) != 0 {
		t.Errorf("Search(unknown type) = %v, %v; want empty, nil", got, err)
	}
}

func TestTokenQueryAndExclude(t *testing.T) {
	tokens, vecs := mixed(1000, 600)
	ix, err := NewFromVectors(context.Background(), tokens, vecs, Config{EfConstruction: 32, ExactBelow: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ix.Nearest("item:7", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || slices.ContainsFunc(got, func(n embeddings.Neighbor) bool { return n.Token == "item:7" }) {
		t.Fatalf("Nearest(item:7, 5) = %v, want 5 neighbours without item:7", got)
	}
	ex, err := ix.Search(Query{Token: "item:7", K: 5, Exclude: []string{got[0].Token, "nope"}})
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(ex, func(n embeddings.Neighbor) bool { return n.Token == got[0].Token }) || ex[0] != got[1] {
		t.Errorf("Search(Exclude %q) = %v, want it left out of %v", got[0].Token, ex, got)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Score > got[i-1].Score {
			t.Errorf("results not best first: %v", got)
		}
	}
	v, _ := ix.Vector("item:7")
	if s := embeddings.Dot(v, v); math.Abs(float64(s)-1) > 1e-5 {
		t.Errorf("|Vector(item:7)|² = %v, want 1", s)
	}
	for _, tt := range []struct {
		name string
		q    Query
		want error
	}{
		{"unknown token", Query{Token: "item:999999"}, embeddings.ErrUnknownToken},
		{"short vector", Query{Vector: []float32{1, 2}}, embeddings.ErrDimension},
		{"NaN", Query{Vector: append(make([]float32, 15), float32(math.NaN()))}, embeddings.ErrQuery},
	} {
		if _, err := ix.Search(tt.q); !errors.Is(err, tt.want) {
			t.Errorf("Search(%s) error = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestNewFromModel(t *testing.T) {
	tokens, vecs := clustered("item:", 2000, 8, 10, 0.5, 3)
	var text strings.Builder
	fmt.Fprintf(&text, "%d 8\n", len(tokens))
	for i, tok := range tokens {
		text.WriteString(tok)
		for _, x := range vecs[i*8 : (i+1)*8] {
			fmt.Fprintf(&text, " %g", x)
		}
		text.WriteByte('\n')
	}
	m, err := embeddings.ReadText(strings.NewReader(text.String()))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := New(context.Background(), m, Config{EfConstruction: 32, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if ix.Len() != m.Len() || ix.Dim() != m.Dim() {
		t.Fatalf("index has %d × %d, model %d × %d", ix.Len(), ix.Dim(), m.Len(), m.Dim())
	}
	// The model's exact search is the reference.
	hit, all := 0, 0
	for i := range 200 {
		want, err := m.Nearest(tokens[i], 10)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ix.Nearest(tokens[i], 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range want {
			all++
			if slices.ContainsFunc(got, func(g embeddings.Neighbor) bool { return g.Token == n.Token }) {
				hit++
			}
		}
	}
	if r := float64(hit) / float64(all); r < 0.9 {
		t.Errorf("recall@10 against Model.Nearest = %.4f, want >= 0.9", r)
	}
}

func TestConcurrentSearch(t *testing.T) {
	tokens, vecs := mixed(2000, 1000)
	ix, err := NewFromVectors(context.Background(), tokens, vecs, Config{EfConstruction: 32, ExactBelow: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	qs := make([]Query, 80)
	for i := range qs {
		qs[i] = Query{Token: tokens[i*35], Type: []string{"", "item", "shop", "query"}[i%4]}
	}
	want := make([][]embeddings.Neighbor, len(qs))
	for i, q := range qs {
		if want[i], err = ix.Search(q); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for j := range qs {
				i := (j + g*10) % len(qs)
				got, err := ix.Search(qs[i])
				if err != nil {
					t.Error(err)
					return
				}
				if !slices.Equal(got, want[i]) {
					t.Errorf("concurrent Search(%+v) = %v, want %v", qs[i], got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestSaveLoad(t *testing.T) {
	tokens, vecs := mixed(1000, 600)
	ix, err := NewFromVectors(context.Background(), tokens, vecs, Config{EfConstruction: 32, ExactBelow: 500, Threads: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "index.ann")
	if err := ix.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	back, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.Len() != ix.Len() || back.Dim() != ix.Dim() || back.Bytes() != ix.Bytes() || !slices.Equal(back.Types(), ix.Types()) {
		t.Fatalf("reloaded index: %d × %d, %d bytes, types %q; want %d × %d, %d bytes, types %q",
			back.Len(), back.Dim(), back.Bytes(), back.Types(), ix.Len(), ix.Dim(), ix.Bytes(), ix.Types())
	}
	for i := 0; i < len(tokens); i += 17 {
		q := Query{Token: tokens[i], Exclude: []string{tokens[(i+1)%len(tokens)]}}
		want, _ := ix.Search(q)
		got, err := back.Search(q)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("reloaded Search(%q) = %v, %v; want %v", tokens[i], got, err, want)
		}
	}
	// Deterministic with one thread: a second build writes the same bytes.
	again, err := NewFromVectors(context.Background(), tokens, vecs, Config{EfConstruction: 32, ExactBelow: 500, Threads: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if _, err := ix.WriteTo(&a); err != nil {
		t.Fatal(err)
	}
	if _, err := again.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two single-threaded builds with one seed differ")
	}
}

func TestEmpty(t *testing.T) {
	ix, err := NewFromVectors(context.Background(), nil, nil, Config{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ix.Search(Query{Vector: []float32{1}})
	if err != nil || len(got) != 0 {
		t.Errorf("Search on an empty index = %v, %v; want empty, nil", got, err)
	}
	var buf bytes.Buffer
	if _, err := ix.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if back, err := Read(&buf); err != nil || back.Len() != 0 {
		t.Errorf("Read(empty index) = %v, %v", back, err)
	}
	var zero Index
	if _, err := zero.Search(Query{Vector: []float32{1}}); !errors.Is(err, embeddings.ErrDimension) {
		t.Errorf("zero Index Search error = %v, want ErrDimension", err)
	}
}

func TestInvalid(t *testing.T) {
	ctx := context.Background()
	two := []string{"a", "b"}
	for _, tt := range []struct {
		name   string
		tokens []string
		vecs   []float32
		cfg    Config
		want   error
	}{
		{"M 1", two, []float32{1, 2}, Config{M: 1}, ErrConfig},
		{"M 257", two, []float32{1, 2}, Config{M: 257}, ErrConfig},
		{"negative ef", two, []float32{1, 2}, Config{EfConstruction: -1}, ErrConfig},
		{"threads", two, []float32{1, 2}, Config{Threads: 5000}, ErrConfig},
		{"ragged", two, []float32{1, 2, 3}, Config{}, ErrInput},
		{"vectors without tokens", nil, []float32{1}, Config{}, ErrInput},
		{"duplicate", []string{"a", "a"}, []float32{1, 2}, Config{}, ErrInput},
		{"NaN", two, []float32{1, float32(math.NaN())}, Config{}, ErrInput},
		{"Inf", two, []float32{float32(math.Inf(1)), 1}, Config{}, ErrInput},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewFromVectors(ctx, tt.tokens, tt.vecs, tt.cfg); !errors.Is(err, tt.want) {
				t.Errorf("NewFromVectors error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	tokens, vecs := clustered("item:", 4000, 16, 20, 0.5, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewFromVectors(ctx, tokens, vecs, Config{}); !errors.Is(err, context.Canceled) {
		t.Errorf("build with a cancelled context: error %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var calls []int
	_, err := NewFromVectors(ctx, tokens, vecs, Config{Threads: 2, Progress: func(done, total int) {
		calls = append(calls, done)
		if done >= total/10 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("build cancelled from Progress: error %v, want context.Canceled", err)
	}
	if last := calls[len(calls)-1]; last > len(tokens)/2 {
		t.Errorf("build went on to %d of %d nodes after cancellation at 10%%", last, len(tokens))
	}
}

func TestProgress(t *testing.T) {
	tokens, vecs := mixed(3000, 2500)
	var calls [][2]int
	_, err := NewFromVectors(context.Background(), tokens, vecs, Config{EfConstruction: 16, ExactBelow: 500, Progress: func(done, total int) {
		calls = append(calls, [2]int{done, total})
	}})
	if err != nil {
		t.Fatal(err)
	}
	total := 5500 // 3000 items + 2500 shops in graphs; the 150 others are searched exactly
	if len(calls) < 50 || calls[len(calls)-1] != [2]int{total, total} {
		t.Fatalf("Progress called %d times, last %v; want about 100 calls ending at %d", len(calls), calls[len(calls)-1], total)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i][0] <= calls[i-1][0] {
			t.Fatalf("Progress not increasing: %v then %v", calls[i-1], calls[i])
		}
	}
}

func TestSearchAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop entries at random")
	}
	tokens, vecs := clustered("item:", 3000, 16, 20, 0.5, 1)
	ix, err := NewFromVectors(context.Background(), tokens, vecs, Config{EfConstruction: 32})
	if err != nil {
		t.Fatal(err)
	}
	q := Query{Vector: vecs[:16]}
	ix.Search(q)
	// The result slice; the pool may drop a searcher at a collection.
	if n := testing.AllocsPerRun(100, func() { ix.Search(q) }); n > 1.5 {
		t.Errorf("Search allocates %v times, want 1", n)
	}
}
