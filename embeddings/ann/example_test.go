package ann_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/craftkit/craftkit/embeddings"
	"github.com/craftkit/craftkit/embeddings/ann"
)

// A small model: 3000 items in 30 clusters and 40 shops, 8-d vectors,
// read from word2vec's text format as a trained model would be.
func model() *embeddings.Model {
	rng := rand.New(rand.NewPCG(1, 2))
	centres := make([]float64, 30*8)
	for i := range centres {
		centres[i] = rng.NormFloat64()
	}
	var b strings.Builder
	fmt.Fprintln(&b, "3040 8")
	write := func(tok string, c int) {
		b.WriteString(tok)
		for j := range 8 {
			fmt.Fprintf(&b, " %.3f", centres[c*8+j]+0.1*rng.NormFloat64())
		}
		b.WriteByte('\n')
	}
	for i := range 3000 {
		write(fmt.Sprintf("item:%d", i), i%30)
	}
	for i := range 40 {
		write(fmt.Sprintf("shop:%d", i), i%30)
	}
	m, err := embeddings.ReadText(strings.NewReader(b.String()))
	if err != nil {
		panic(err)
	}
	return m
}

// Build an index from a model, search it with and without a type filter,
// save it and load it back.
func ExampleNew() {
	ctx := context.Background()
	m := model()
	ix, err := ann.New(ctx, m, ann.Config{Threads: 1, Seed: 1}) // defaults: M 16, EfConstruction 200
	if err != nil {
		panic(err)
	}
	similar, err := ix.Nearest("item:42", 5) // approximate; m.Nearest is the exact answer
	if err != nil {
		panic(err)
	}
	shops, err := ix.Search(ann.Query{Token: "item:42", K: 2, Type: "shop"})
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "ann-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "items.ann")
	if err := ix.WriteFile(path); err != nil { // atomic
		panic(err)
	}
	loaded, err := ann.ReadFile(path)
	if err != nil {
		panic(err)
	}
	exact, _ := m.Nearest("item:42", 5)
	fmt.Println("tokens:", loaded.Len(), "types:", loaded.Types())
	fmt.Println("same cluster:", sameCluster(similar, 42), "exact agrees:", agree(similar, exact))
	fmt.Println("shops:", len(shops), strings.HasPrefix(shops[0].Token, "shop:"))
	// Output:
	// tokens: 3040 types: [item shop]
	// same cluster: 5 exact agrees: 5
	// shops: 2 true
}

// Index raw vectors with tokens of your own, and measure the recall of a
// query against the exact scan.
func ExampleNewFromVectors() {
	rng := rand.New(rand.NewPCG(3, 4))
	const n, dim = 5000, 8
	tokens := make([]string, n)
	vecs := make([]float32, n*dim)
	for i := range tokens {
		tokens[i] = fmt.Sprintf("doc:%d", i)
		for j := range dim {
			vecs[i*dim+j] = float32(i%50+j%3) + float32(rng.NormFloat64())
		}
	}
	ix, err := ann.NewFromVectors(context.Background(), tokens, vecs, ann.Config{Seed: 1})
	if err != nil {
		panic(err)
	}
	q := ann.Query{Vector: vecs[:dim], K: 10, Ef: 100}
	got, _ := ix.Search(q)
	want, _ := ix.SearchExact(q)
	fmt.Println(len(got), "neighbours,", agree(got, want), "of them exact")
	// Output: 10 neighbours, 10 of them exact
}

func sameCluster(ns []embeddings.Neighbor, item int) int {
	c := 0
	for _, n := range ns {
		var i int
		fmt.Sscanf(n.Token, "item:%d", &i)
		if i%30 == item%30 {
			c++
		}
	}
	return c
}

func agree(a, b []embeddings.Neighbor) int {
	c := 0
	for _, x := range a {
		for _, y := range b {
			if x.Token == y.Token {
				c++
			}
		}
	}
	return c
}
