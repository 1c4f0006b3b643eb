package embeddings

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// FuzzTrain trains on fuzzer-chosen corpora and configurations: every
// outcome is a model with finite vectors or an error of the package, never
// a panic. Sizes are capped so that one input trains in milliseconds.
func FuzzTrain(f *testing.F) {
	for _, tt := range sessionTests {
		f.Add(tt.line+"\n"+tt.line, 4, 2, 2, 1, 0.025, float32(2), true)
	}
	f.Add("a b c a b c\nc b a c b a\n", 8, 5, 5, 1, 1e12, float32(1), false)
	f.Add("a@cart b@purchase c | purchase=a | skipped=b\n", 2, 1, 1, 1, 1.0, float32(1000), true)
	f.Add("a b |\n", 4, 1, 1, 1, 0.0, float32(0), false)
	f.Fuzz(func(t *testing.T, corpus string, dim, window, negative, minCount int, alpha float64, weight float32, ext bool) {
		if len(corpus) > 1<<12 || dim > 16 || window > 64 || negative > 16 {
			return
		}
		cfg := Config{
			Dim: dim, Window: window, Negative: negative, MinCount: minCount, Epochs: 2, Threads: 1, Seed: 1,
			Alpha: alpha, Weights: map[string]float32{"cart": weight, "purchase": 4},
			PurchaseContext: ext, SkippedNegatives: ext, KeepOutputs: ext,
		}
		m, err := Train(context.Background(), strings.NewReader(corpus), cfg)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "embeddings: ") || strings.Count(err.Error(), "embeddings:") != 1 {
				t.Fatalf("error %q does not name the package exactly once", err)
			}
			var ce *ConfigError
			if errors.As(err, &ce) != errors.Is(err, ErrConfig) {
				t.Fatalf("error %v: ConfigError and ErrConfig disagree", err)
			}
			return
		}
		if err := cfg.validate(); err != nil {
			t.Fatalf("Train accepted a config validate refuses: %v", err)
		}
		assertFinite(t, m)
		if ext != (m.Outputs() != nil) {
			t.Fatalf("KeepOutputs %v, Outputs() = %v", ext, m.Outputs())
		}
		if ext {
			assertFinite(t, m.Outputs())
		}
		var b bytes.Buffer
		if err := m.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadText(&b); err != nil {
			t.Fatalf("ReadText(WriteText(model)): %v", err)
		}
	})
}

// FuzzEvaluateAnalogies reads fuzzer-chosen analogy files against a small
// model: no panic, and the counts add up.
func FuzzEvaluateAnalogies(f *testing.F) {
	f.Add(": capital\nathens greece baghdad iraq\nathens greece x iraq\n")
	f.Add("a b c d\n: s\n:\n\n a  b  c  d \n")
	f.Add(strings.Repeat("ATHENS greece Baghdad iraq\n", 3))
	m, err := ReadText(strings.NewReader("5 2\nathens 1 0\ngreece 1 1\nbaghdad 0 -1\niraq 0 0\nATHENS 0.5 0.5\n"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if len(in) > 1<<14 {
			return
		}
		for _, restrict := range []int{0, 2} {
			res, err := EvaluateAnalogies(m, strings.NewReader(in), restrict)
			if err != nil {
				t.Fatalf("EvaluateAnalogies: %v", err)
			}
			sum := 0
			for _, s := range res.Sections {
				sum += s.Total
				if s.Correct > s.Total {
					t.Fatalf("section %+v", s)
				}
			}
			if sum != res.Total || res.Correct > res.Total || math.IsNaN(res.Accuracy()) {
				t.Fatalf("result %+v", res)
			}
		}
	})
}

// FuzzContinue continues a small trained model on fuzzer-chosen corpora
// and configurations: every outcome is a model with finite vectors that
// starts with the base model's tokens, or an error of the package.
func FuzzContinue(f *testing.F) {
	f.Add("a b c a b c\nnew new a new b\nnew x new\n", 1, 2, 1.0, true)
	f.Add("a@cart b | purchase=a | skipped=zz\n", 0, 3, 0.0, false)
	f.Add("", 2, 1, 0.025, true)
	base, err := Train(context.Background(), strings.NewReader(strings.Repeat("a b c d\nd c b a\n", 5)),
		Config{Dim: 4, Epochs: 1, Threads: 1, MinCount: 1, Seed: 1, KeepOutputs: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, corpus string, minCount, epochs int, alpha float64, ext bool) {
		if len(corpus) > 1<<12 || epochs > 4 {
			return
		}
		cfg := Config{MinCount: minCount, Epochs: epochs, Threads: 1, Seed: 2, Alpha: alpha,
			Weights: map[string]float32{"cart": 2}, PurchaseContext: ext, SkippedNegatives: ext, KeepOutputs: ext}
		m, err := Continue(context.Background(), base, strings.NewReader(corpus), cfg)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "embeddings: ") || strings.Count(err.Error(), "embeddings:") != 1 {
				t.Fatalf("error %q does not name the package exactly once", err)
			}
			return
		}
		assertFinite(t, m)
		if m.Len() < base.Len() || m.Dim() != base.Dim() {
			t.Fatalf("continued model %d×%d from a %d×%d base", m.Len(), m.Dim(), base.Len(), base.Dim())
		}
		for i := range base.Len() {
			if m.Token(i) != base.Token(i) || m.Count(m.Token(i)) < base.Count(base.Token(i)) {
				t.Fatalf("token %d: %q count %d, base %q count %d", i, m.Token(i), m.Count(m.Token(i)), base.Token(i), base.Count(base.Token(i)))
			}
		}
	})
}
