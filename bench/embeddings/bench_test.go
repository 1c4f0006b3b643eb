// Package embeddingsbench holds the side-by-side benchmarks of craftkit's
// embeddings trainer; compare.sh runs gensim and fastText on the same
// corpus files that embbench writes.
package embeddingsbench

import (
	"bytes"
	"context"
	"testing"

	"github.com/craftkit/craftkit/embeddings"
)

// BenchmarkTrainSessions trains one epoch with the comparison
// hyperparameters (dim 100, window 5, negative 5, sample 1e-4, min-count 5)
// on 20,000 synthetic sessions (about 240,000 tokens) and reports tokens
// per second of wall time, for 1 and 2 threads.
func BenchmarkTrainSessions(b *testing.B) {
	var corpus bytes.Buffer
	j := embeddings.NewJourneys(embeddings.JourneyConfig{Sessions: 20000, Seed: 1})
	if _, err := j.WritePlain(&corpus); err != nil {
		b.Fatal(err)
	}
	data := corpus.Bytes()
	for _, threads := range []int{1, 2} {
		b.Run(map[int]string{1: "threads=1", 2: "threads=2"}[threads], func(b *testing.B) {
			b.ReportAllocs()
			var tokens, last int64
			cfg := embeddings.Config{
				Dim: 100, Window: 5, Negative: 5, Sample: 1e-4, MinCount: 5, Epochs: 1, Threads: threads, Seed: 1,
				Progress: func(p embeddings.Progress) { last = p.Tokens },
			}
			for b.Loop() {
				if _, err := embeddings.Train(context.Background(), bytes.NewReader(data), cfg); err != nil {
					b.Fatal(err)
				}
				tokens += last
			}
			b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
