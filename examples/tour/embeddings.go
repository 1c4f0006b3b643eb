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
	return tourEmbeddingExtensions(w)
}

// tourEmbeddingExtensions trains twice on planted sessions, with and
// without each extension, and measures its claim on held-out sessions:
// skipped results rank below the click, and the purchase context ranks the
// bought item near what the session viewed.
func tourEmbeddingExtensions(w io.Writer) error {
	train := func(jc embeddings.JourneyConfig, cfg embeddings.Config) (*embeddings.Model, error) {
		var corpus bytes.Buffer
		if _, err := embeddings.NewJourneys(jc).WriteTo(&corpus); err != nil {
			return nil, err
		}
		return embeddings.Train(context.Background(), &corpus, cfg)
	}
	skips := embeddings.JourneyConfig{Sessions: 3000, Categories: 5, ItemsPerCategory: 60, SearchSkips: 2, Skipped: -1, Seed: 7}
	held := skips
	held.Seed = 8
	for _, on := range []bool{false, true} {
		m, err := train(skips, embeddings.Config{Dim: 16, Epochs: 3, Threads: 1, MinCount: 2, Seed: 7, SkippedNegatives: on})
		if err != nil {
			return err
		}
		frac, pairs := embeddings.NewJourneys(held).ClickedOverSkipped(m)
		fmt.Fprintf(w, "  skipped results as negatives %-5v: held-out clicks rank above the skipped results in %.0f %% of %d pairs\n", on, 100*frac, pairs)
	}
	funnels := embeddings.JourneyConfig{Sessions: 3000, Categories: 5, ItemsPerCategory: 60, Funnels: true, PurchaseRate: 0.5, Skipped: -1, Seed: 7}
	held = funnels
	held.Seed = 8
	for _, on := range []bool{false, true} {
		m, err := train(funnels, embeddings.Config{Dim: 16, Epochs: 3, Threads: 1, MinCount: 2, Seed: 7, KeepOutputs: true, PurchaseContext: on})
		if err != nil {
			return err
		}
		hits, n := embeddings.NewJourneys(held).PurchaseHits(m, 10)
		fmt.Fprintf(w, "  purchase context %-5v: held-out bought item in the IN-OUT top 10 in %.0f %% of %d sessions\n", on, 100*hits, n)
	}
	return nil
}
