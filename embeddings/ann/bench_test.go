package ann

import (
	"context"
	"testing"

	"github.com/craftkit/craftkit/embeddings"
)

// BenchmarkSearch compares one approximate query with the exact scan of
// the same 20,000 100-d vectors.
func BenchmarkSearch(b *testing.B) {
	tokens, vecs := clustered("item:", 20000, 100, 100, 0.5, 1)
	ix, err := NewFromVectors(context.Background(), tokens, vecs, Config{EfConstruction: 100, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	_, qv := clustered("", 100, 100, 100, 0.5, 2)
	qs := vectorQueries(qv, 100, "")
	for _, bb := range []struct {
		name   string
		search func(Query) error
	}{
		{"ann", func(q Query) error { _, err := ix.Search(q); return err }},
		{"exact", func(q Query) error { _, err := ix.SearchExact(q); return err }},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := bb.search(qs[i%len(qs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkBuild reports the cost of indexing 5,000 100-d vectors.
func BenchmarkBuild(b *testing.B) {
	tokens, vecs := clustered("item:", 5000, 100, 50, 0.5, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewFromVectors(context.Background(), tokens, vecs, Config{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDot(b *testing.B) {
	x, y := make([]float32, 100), make([]float32, 100)
	for i := range x {
		x[i], y[i] = float32(i), float32(100-i)
	}
	b.ReportAllocs()
	var s float32
	for b.Loop() {
		s += embeddings.Dot(x, y)
	}
	_ = s
}
