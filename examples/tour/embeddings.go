package main

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/craftkit/craftkit/embeddings"
)

// tourEmbeddings trains vectors on synthetic shopping sessions and shows
// that neighbours share the planted category.
func tourEmbeddings(w io.Writer) error {
	fmt.Fprintln(w, "embeddings: word2vec Skip-gram over user sessions, with purchase context and skipped items")
	j := embeddings.NewJourneys(embeddings.JourneyConfig{
		Sessions: 3000, Categories: 5, ItemsPerCategory: 30, ShopsPerCategory: 4, QueriesPerCategory: 4, Seed: 7,
	})
	var corpus bytes.Buffer
	if _, err := j.WriteTo(&corpus); err != nil {
		return err
	}
	line, _ := corpus.ReadString('\n')
	fmt.Fprintf(w, "  a session: %s", line)
	var last embeddings.Progress
	m, err := embeddings.Train(context.Background(), &corpus, embeddings.Config{
		Dim: 32, Epochs: 3, MinCount: 3, Seed: 1, Threads: 1,
		Weights: embeddings.DefaultWeights(), PurchaseContext: true, SkippedNegatives: true,
		Progress: func(p embeddings.Progress) { last = p },
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  trained %d tokens x %d dims, 3 epochs over %d session tokens, final loss %.3f\n", m.Len(), m.Dim(), last.Total/3, last.Loss)
	for _, q := range []embeddings.Query{{Token: "item:0", K: 4, Type: "item"}, {Token: "query:0", K: 3, Type: "shop"}} {
		nb, err := m.Search(q)
		if err != nil {
			return err
		}
		c, _ := j.Category(q.Token)
		fmt.Fprintf(w, "  %s (category %d) -> nearest %s tokens:", q.Token, c, q.Type)
		for _, n := range nb {
			nc, _ := j.Category(n.Token)
			fmt.Fprintf(w, " %s[c%d]", n.Token, nc)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  neighbours in the planted category: items P@5 %.2f, shops P@3 %.2f (chance 0.20)\n",
		j.PrecisionAtK(m, "item", 5), j.PrecisionAtK(m, "shop", 3))
	return nil
}
