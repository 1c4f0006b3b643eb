package embeddings

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomModel returns n random vectors; every third token is a "shop".
func randomModel(n, dim int, seed uint64) *Model {
	r := rng{s: seed}
	tokens := make([]string, n)
	vecs := make([]float32, n*dim)
	for i := range tokens {
		typ := "item:"
		if i%3 == 0 {
			typ = "shop:"
		}
		tokens[i] = typ + strconv.Itoa(i)
	}
	for i := range vecs {
		vecs[i] = float32(r.next()>>40)/(1<<23) - 1
	}
	return newModel(dim, tokens, nil, vecs)
}

// naiveSearch is the reference: float64 cosines, full sort.
func naiveSearch(m *Model, q []float32, k int, typ string, exclude map[string]bool) []Neighbor {
	type scored struct {
		i int
		s float64
	}
	var all []scored
	var qn float64
	for _, x := range q {
		qn += float64(x) * float64(x)
	}
	for i, tok := range m.tokens {
		if exclude[tok] || (typ != "" && tokenType(tok) != typ) {
			continue
		}
		var d, n float64
		for j, x := range m.row(i) {
			d += float64(x) * float64(q[j])
			n += float64(x) * float64(x)
		}
		all = append(all, scored{i, d / math.Sqrt(n*qn)})
	}
	slices.SortStableFunc(all, func(a, b scored) int { return cmp.Compare(b.s, a.s) })
	var out []Neighbor
	for _, s := range all[:min(k, len(all))] {
		out = append(out, Neighbor{Token: m.tokens[s.i], Score: float32(s.s)})
	}
	return out
}

func TestSearchMatchesNaive(t *testing.T) {
	m := randomModel(2000, 37, 1)
	for _, tt := range []struct {
		name string
		k    int
		typ  string
	}{{"k1", 1, ""}, {"k10", 10, ""}, {"shops", 10, "shop"}, {"k larger than candidates", 5000, "shop"}} {
		t.Run(tt.name, func(t *testing.T) {
			for _, tok := range []string{"item:1", "shop:3", "item:1999"} {
				got, err := m.Search(Query{Token: tok, K: tt.k, Type: tt.typ})
				require.NoError(t, err)
				v, _ := m.Vector(tok)
				want := naiveSearch(m, v, tt.k, tt.typ, map[string]bool{tok: true})
				require.Len(t, got, len(want))
				for i := range want {
					if got[i].Token != want[i].Token || math.Abs(float64(got[i].Score-want[i].Score)) > 1e-5 {
						t.Fatalf("Search(%s)[%d] = %v, want %v", tok, i, got[i], want[i])
					}
				}
			}
		})
	}
}

func TestSearchBatchMatchesSearch(t *testing.T) {
	m := randomModel(500, 16, 2)
	var qs []Query
	for i := range 40 {
		qs = append(qs, Query{Token: m.Token(i), K: 7, Type: []string{"", "item", "shop"}[i%3]})
	}
	qs = append(qs, Query{Token: "nope"})
	got, err := m.SearchBatch(qs, 3)
	assert.ErrorIs(t, err, ErrUnknownToken)
	for i, q := range qs[:40] {
		want, err := m.Search(q)
		require.NoError(t, err)
		assert.Equal(t, want, got[i])
	}
	assert.Nil(t, got[40])
}

func TestNearest(t *testing.T) {
	m := smallModel()
	got, err := m.Nearest("item:1", 2)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "item:2", got[0].Token)
	assert.InDelta(t, 0.9/math.Sqrt(0.82), got[0].Score, 1e-6)
	assert.Equal(t, "shop:1", got[1].Token)

	_, err = m.Nearest("item:9", 2)
	assert.ErrorIs(t, err, ErrUnknownToken)

	got, err = m.Search(Query{Token: "item:1", Type: "shop"})
	require.NoError(t, err)
	assert.Equal(t, []Neighbor{{Token: "shop:1", Score: 0}}, got)

	got, err = m.Search(Query{Token: "item:1", Type: "category"})
	require.NoError(t, err)
	assert.Empty(t, got)

	_, err = m.Search(Query{Vector: []float32{1, 2}})
	assert.ErrorIs(t, err, ErrDimension)

	got, err = m.Search(Query{Vector: []float32{0, 2, 0}, K: 1, Exclude: []string{"shop:1"}, Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, "item:2", got[0].Token)
}

func TestAnalogy(t *testing.T) {
	// man→king is the same offset as woman→queen.
	text := "6 3\nman 1 0 0\nwoman 1 1 0\nking 1 0 1\nqueen 1 1 1\napple -1 0 0\npear -1 -0.2 0.1\n"
	m, err := ReadText(strings.NewReader(text))
	require.NoError(t, err)
	got, err := m.Analogy("man", "king", "woman", 1)
	require.NoError(t, err)
	assert.Equal(t, "queen", got[0].Token)
	_, err = m.Analogy("man", "king", "robot", 1)
	assert.ErrorIs(t, err, ErrUnknownToken)

	res, err := EvaluateAnalogies(m, strings.NewReader(": royals\nMAN KING WOMAN QUEEN\nman king woman apple\nman king robot queen\n: fruit\napple pear man woman\n"), 0)
	require.NoError(t, err)
	assert.Equal(t, 1, res.Correct)
	assert.Equal(t, 3, res.Total)
	assert.Equal(t, 1, res.Skipped)
	assert.Equal(t, []AnalogySection{{"royals", 1, 2}, {"fruit", 0, 1}}, res.Sections)
	assert.InDelta(t, 1.0/3, res.Accuracy(), 1e-9)
}

func TestNormalized(t *testing.T) {
	m := smallModel().Normalized()
	for i := range m.Len() {
		v := m.row(i)
		assert.InDelta(t, 1, math.Sqrt(float64(dot(v, v))), 1e-6, m.Token(i))
	}
	assert.Equal(t, []string{"item", "shop", ""}, m.Types())
}

func TestSearchAllocs(t *testing.T) {
	m := randomModel(1000, 32, 3)
	var s searcher
	q := Query{Token: "item:1", K: 10}
	_, _ = s.search(m, q)
	if n := testing.AllocsPerRun(20, func() { _, _ = s.search(m, q) }); n > 1 {
		t.Errorf("search allocates %v times, want <= 1 (the result)", n)
	}
}

func TestSearchTypeFilterManyTypes(t *testing.T) {
	const n = 70000 // more types than a uint16 index holds
	tokens := make([]string, n)
	vecs := make([]float32, n)
	for i := range tokens {
		tokens[i] = "t" + strconv.Itoa(i) + ":x"
		vecs[i] = 1
	}
	m := newModel(1, tokens, nil, vecs)
	assert.Len(t, m.Types(), n)
	for _, typ := range []string{"t0", "t65535", "t69999"} {
		got, err := m.Search(Query{Vector: []float32{1}, Type: typ})
		require.NoError(t, err)
		assert.Equal(t, []Neighbor{{Token: typ + ":x", Score: 1}}, got, "Search(Type %q)", typ)
	}
}

func TestSearchRefusesNonFiniteQuery(t *testing.T) {
	m := randomModel(10, 3, 1)
	for _, x := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
		_, err := m.Search(Query{Vector: []float32{1, x, 0}})
		if !errors.Is(err, ErrQuery) || !strings.Contains(err.Error(), "component 2 of the query vector") {
			t.Errorf("Search with component %v: error %v, want ErrQuery naming component 2", x, err)
		}
	}
}

// TestEvaluateAnalogiesBatches checks that files longer than one batch of
// questions count every question once.
func TestEvaluateAnalogiesBatches(t *testing.T) {
	m, err := ReadText(strings.NewReader("4 2\nathens 1 0\ngreece 1 1\nbaghdad 0 -1\niraq 0 0\n"))
	require.NoError(t, err)
	n := 2*analogyBatch + 7
	in := ": one\n" + strings.Repeat("athens greece baghdad iraq\n", n) + ": two\nathens greece baghdad athens\nx y z w\n"
	res, err := EvaluateAnalogies(m, strings.NewReader(in), 0)
	require.NoError(t, err)
	assert.Equal(t, AnalogyResult{Correct: n, Total: n + 1, Skipped: 1, Sections: []AnalogySection{
		{Name: "one", Correct: n, Total: n}, {Name: "two", Correct: 0, Total: 1},
	}}, res)
}

// TestSearchLongExclude checks exclusion lists longer than the model, with
// unknown and repeated tokens, against the naive search.
func TestSearchLongExclude(t *testing.T) {
	m := randomModel(500, 8, 3)
	exclude := map[string]bool{}
	var list []string
	for i := 0; i < 500; i += 2 {
		tok := m.Token(i)
		exclude[tok] = true
		list = append(list, tok, tok, "nope:"+strconv.Itoa(i))
	}
	q, _ := m.Vector("item:7")
	got, err := m.Search(Query{Vector: q, K: 20, Exclude: list})
	require.NoError(t, err)
	want := naiveSearch(m, q, 20, "", exclude)
	require.Len(t, got, len(want))
	for i := range want {
		if got[i].Token != want[i].Token || math.Abs(float64(got[i].Score-want[i].Score)) > 1e-5 {
			t.Fatalf("Search[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}
