// Command embeddings generates synthetic marketplace journeys, trains
// token vectors on them with every session extension on, printing a
// progress line, and shows the nearest neighbours of a few items, shops
// and search queries together with their planted categories.
//
//	go run ./examples/embeddings
package main

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/craftkit/craftkit/embeddings"
)

func main() {
	journeys := embeddings.NewJourneys(embeddings.JourneyConfig{
		Sessions: 6000, Categories: 8, ItemsPerCategory: 60, ShopsPerCategory: 6, QueriesPerCategory: 6, Seed: 7,
	})
	var corpus bytes.Buffer
	if _, err := journeys.WriteTo(&corpus); err != nil {
		log.Fatal(err)
	}
	first, _, _ := strings.Cut(corpus.String(), "\n")
	fmt.Println("a session:", first)

	cfg := embeddings.Config{
		Dim: 48, Epochs: 5, MinCount: 3, Seed: 1,
		TypeMinCount:     map[string]int{"shop": 1, "cat": 1}, // keep every shop and category
		Weights:          embeddings.DefaultWeights(),         // click 1 < cart 2 < purchase 4
		PurchaseContext:  true,
		SkippedNegatives: true,
		ProgressEvery:    100 * time.Millisecond,
		Progress: func(p embeddings.Progress) {
			fmt.Fprintf(os.Stderr, "\repoch %d/5 %5.1f%%  %4.0fk tokens/s  alpha %.4f  loss %.3f  ETA %v   ",
				p.Epoch, 100*float64(p.Tokens)/float64(p.Total), p.TokensPerSecond/1000, p.Alpha, p.Loss, p.ETA.Round(time.Millisecond))
		},
	}
	m, err := embeddings.Train(context.Background(), &corpus, cfg)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d tokens, %d dimensions\n", m.Len(), m.Dim())

	for _, q := range []embeddings.Query{
		{Token: "item:0", K: 5, Type: "item"},
		{Token: "item:130", K: 5, Type: "item"},
		{Token: "shop:0", K: 4, Type: "shop"},
		{Token: "query:13", K: 4, Type: "query"},
		{Token: "query:13", K: 4, Type: "item"}, // items to show for a search
	} {
		nb, err := m.Search(q)
		if err != nil {
			log.Fatal(err)
		}
		cat, _ := journeys.Category(q.Token)
		fmt.Printf("%s (category %d), nearest %s tokens:\n ", q.Token, cat, q.Type)
		for _, n := range nb {
			c, _ := journeys.Category(n.Token)
			fmt.Printf(" %s[c%d] %.2f", n.Token, c, n.Score)
		}
		fmt.Println()
	}
	for _, typ := range []string{"item", "shop", "query"} {
		fmt.Printf("precision@5 by planted category, %s tokens: %.3f\n", typ, journeys.PrecisionAtK(m, typ, 5))
	}
}
