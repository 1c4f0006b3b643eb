package embeddings

import (
	"bytes"
	"context"
	"os"
	"testing"
)

func BenchmarkDot100(b *testing.B) {
	b.ReportAllocs()
	x, y := make([]float32, 100), make([]float32, 100)
	for i := range x {
		x[i], y[i] = float32(i), float32(100-i)
	}
	var s float32
	for b.Loop() {
		s += dot(x, y)
	}
	_ = s
}

func BenchmarkDotGeneric100(b *testing.B) {
	b.ReportAllocs()
	x, y := make([]float32, 100), make([]float32, 100)
	var s float32
	for b.Loop() {
		s += dotGeneric(x, y)
	}
	_ = s
}

// BenchmarkTrain trains one epoch on 2,000 synthetic sessions with one
// thread and reports tokens per second.
func BenchmarkTrain(b *testing.B) {
	b.ReportAllocs()
	var corpus bytes.Buffer
	if _, err := testJourneys().WritePlain(&corpus); err != nil {
		b.Fatal(err)
	}
	data := corpus.Bytes()
	cfg := Config{Epochs: 1, Threads: 1, Sample: 1e-4}
	var tokens, last int64
	cfg.Progress = func(p Progress) { last = p.Tokens }
	for b.Loop() {
		if _, err := Train(context.Background(), bytes.NewReader(data), cfg); err != nil {
			b.Fatal(err)
		}
		tokens += last
	}
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkSearch1M measures one exact top-10 query over 1M × 100-d
// vectors on one core. It needs 400 MB and runs only with CRAFTKIT_LONG=1.
func BenchmarkSearch1M(b *testing.B) {
	if os.Getenv("CRAFTKIT_LONG") == "" {
		b.Skip("set CRAFTKIT_LONG=1 to allocate 1M × 100-d vectors")
	}
	benchmarkSearch(b, 1_000_000)
}

// BenchmarkSearch100k is the always-on small version of BenchmarkSearch1M.
func BenchmarkSearch100k(b *testing.B) { benchmarkSearch(b, 100_000) }

func benchmarkSearch(b *testing.B, n int) {
	m := randomModel(n, 100, 9)
	var s searcher
	q := Query{Token: m.Token(n / 2), K: 10}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.search(m, q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadBinary loads 20,000 100-d vectors; B/op is what loading
// allocates (the vectors alone are 7.6 MiB).
func BenchmarkReadBinary(b *testing.B) {
	var buf bytes.Buffer
	if err := randomModel(20000, 100, 1).WriteBinary(&buf); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := ReadBinary(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
