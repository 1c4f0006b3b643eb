// Package ann_test compares craftkit's embeddings/ann with
// github.com/coder/hnsw and the exact scan on a small input in one
// process; annbench (./annbench, ./compare.sh) runs the large
// comparison with recall and the Python peers.
package ann_test

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/coder/hnsw"
	"github.com/craftkit/craftkit/embeddings/ann"
)

const n, dim = 10000, 100

func data() ([]string, []float32) {
	rng := rand.New(rand.NewPCG(1, 1))
	centres := make([]float32, 100*dim)
	for i := range centres {
		centres[i] = float32(rng.NormFloat64())
	}
	tokens := make([]string, n+100)
	vecs := make([]float32, (n+100)*dim)
	for i := range tokens {
		tokens[i] = "item:" + strconv.Itoa(i)
		c := rng.IntN(100)
		for j := range dim {
			vecs[i*dim+j] = centres[c*dim+j] + float32(0.5*rng.NormFloat64())
		}
	}
	return tokens, vecs
}

func BenchmarkSearch(b *testing.B) {
	tokens, vecs := data()
	base, queries := vecs[:n*dim], vecs[n*dim:]
	q := func(i int) []float32 { i %= 100; return queries[i*dim : (i+1)*dim] }
	ix, err := ann.NewFromVectors(context.Background(), tokens[:n], base, ann.Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	g := hnsw.NewGraph[int]()
	g.Distance = hnsw.CosineDistance
	for i := range n {
		g.Add(hnsw.MakeNode(i, base[i*dim:(i+1)*dim]))
	}
	g.EfSearch = 64
	b.Run("impl=craftkit", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := ix.Search(ann.Query{Vector: q(i)}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("impl=coder", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			g.Search(q(i), 10)
			i++
		}
	})
	b.Run("impl=exact", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := ix.SearchExact(ann.Query{Vector: q(i)}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
