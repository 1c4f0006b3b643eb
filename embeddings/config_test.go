package embeddings

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConfigRanges checks that every numeric Config field outside its
// documented range is refused with an error that wraps ErrConfig and names
// the field and the value, through both training entry points.
func TestConfigRanges(t *testing.T) {
	corpus := "a b c a b c\nc b a c b a\n"
	path := filepath.Join(t.TempDir(), "corpus.txt")
	if err := os.WriteFile(path, []byte(corpus), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		cfg   Config
		field string
		want  string // the whole error message
	}{
		{"negative dim", Config{Dim: -3}, "Dim", "embeddings: Config.Dim = -3: must be >= 0 (0 means 100)"},
		{"dim above limit", Config{Dim: maxDim + 1}, "Dim", "embeddings: Config.Dim = 65537: must be <= 65536"},
		{"negative window", Config{Window: -1}, "Window", "embeddings: Config.Window = -1: must be >= 0 (0 means 5)"},
		{"huge window", Config{Window: math.MaxInt}, "Window", "embeddings: Config.Window = 9223372036854775807: must be <= 1048576"},
		{"negative negative", Config{Negative: -2}, "Negative", "embeddings: Config.Negative = -2: must be >= 0 (0 means 5)"},
		{"huge negative", Config{Negative: 1 << 20}, "Negative", "embeddings: Config.Negative = 1048576: must be <= 1000"},
		{"negative min count", Config{MinCount: -1}, "MinCount", "embeddings: Config.MinCount = -1: must be >= 0 (0 means 5)"},
		{"negative epochs", Config{Epochs: -1}, "Epochs", "embeddings: Config.Epochs = -1: must be >= 0 (0 means 5)"},
		{"huge epochs", Config{Epochs: 1 << 30}, "Epochs", "embeddings: Config.Epochs = 1073741824: must be <= 1000000"},
		{"negative threads", Config{Threads: -1}, "Threads", "embeddings: Config.Threads = -1: must be >= 0 (0 means runtime.GOMAXPROCS(0))"},
		{"too many threads", Config{Threads: 1 << 20}, "Threads", "embeddings: Config.Threads = 1048576: must be <= 4096"},
		{"NaN sample", Config{Sample: math.NaN()}, "Sample", "embeddings: Config.Sample = NaN: must be finite"},
		{"infinite sample", Config{Sample: math.Inf(1)}, "Sample", "embeddings: Config.Sample = +Inf: must be finite"},
		{"sample above one", Config{Sample: 2}, "Sample", "embeddings: Config.Sample = 2: must be <= 1"},
		{"negative alpha", Config{Alpha: -1}, "Alpha", "embeddings: Config.Alpha = -1: must be >= 0 (0 means 0.025)"},
		{"NaN alpha", Config{Alpha: math.NaN()}, "Alpha", "embeddings: Config.Alpha = NaN: must be finite"},
		{"infinite alpha", Config{Alpha: math.Inf(1)}, "Alpha", "embeddings: Config.Alpha = +Inf: must be finite"},
		{"huge alpha", Config{Alpha: 1e12}, "Alpha", "embeddings: Config.Alpha = 1e+12: must be <= 1"},
		{"alpha 1e15", Config{Alpha: 1e15}, "Alpha", "embeddings: Config.Alpha = 1e+15: must be <= 1"},
		{"NaN min alpha", Config{MinAlpha: math.NaN()}, "MinAlpha", "embeddings: Config.MinAlpha = NaN: must be finite"},
		{"min alpha above alpha", Config{Alpha: 0.01, MinAlpha: 0.02}, "MinAlpha", "embeddings: Config.MinAlpha = 0.02: must be <= Alpha (0.01)"},
		{"min alpha above default alpha", Config{MinAlpha: 0.03}, "MinAlpha", "embeddings: Config.MinAlpha = 0.03: must be <= Alpha (0.025)"},
		{"negative progress interval", Config{ProgressEvery: -time.Second}, "ProgressEvery", "embeddings: Config.ProgressEvery = -1s: must be >= 0 (0 means 1s)"},
		{"negative type min count", Config{TypeMinCount: map[string]int{"shop": -1}}, `TypeMinCount["shop"]`, `embeddings: Config.TypeMinCount["shop"] = -1: must be >= 0`},
		{"negative weight", Config{Weights: map[string]float32{"cart": -2}}, `Weights["cart"]`, `embeddings: Config.Weights["cart"] = -2: must be >= 0`},
		{"NaN weight", Config{Weights: map[string]float32{"cart": float32(math.NaN())}}, `Weights["cart"]`, `embeddings: Config.Weights["cart"] = NaN: must be finite`},
		{"infinite weight", Config{Weights: map[string]float32{"cart": float32(math.Inf(1))}}, `Weights["cart"]`, `embeddings: Config.Weights["cart"] = +Inf: must be finite`},
		{"huge weight", Config{Weights: map[string]float32{"cart": 1e6}}, `Weights["cart"]`, `embeddings: Config.Weights["cart"] = 1e+06: must be <= 1000`},
		{"plain text with weights", Config{PlainText: true, Weights: DefaultWeights()}, "Weights", "embeddings: Config.Weights must be nil with PlainText: plain text has no interaction markers"},
		{"plain text with purchase context", Config{PlainText: true, PurchaseContext: true}, "PurchaseContext", "embeddings: Config.PurchaseContext = true: must be false with PlainText: plain text has no purchase sections"},
		{"plain text with skipped negatives", Config{PlainText: true, SkippedNegatives: true}, "SkippedNegatives", "embeddings: Config.SkippedNegatives = true: must be false with PlainText: plain text has no skipped sections"},
		{"empty weight name", Config{Weights: map[string]float32{"": 3}}, `Weights[""]`, `embeddings: Config.Weights[""] = 3: the marker name must not be empty`},
		{"weight name with @", Config{Weights: map[string]float32{"a@b": 3}}, `Weights["a@b"]`, `embeddings: Config.Weights["a@b"] = 3: the marker name must not contain '@', '|', ',', '=' or white space`},
		{"too many weights", Config{Weights: manyWeights(256)}, "Weights", "embeddings: Config.Weights has 256 names: must be <= 255"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			if cfg.Threads == 0 {
				cfg.Threads = 1
			}
			if cfg.MinCount == 0 {
				cfg.MinCount = 1
			}
			for name, train := range map[string]func() (*Model, error){
				"Train":     func() (*Model, error) { return Train(context.Background(), strings.NewReader(corpus), cfg) },
				"TrainFile": func() (*Model, error) { return TrainFile(context.Background(), path, cfg) },
			} {
				_, err := train()
				if err == nil {
					t.Fatalf("%s(%s) succeeded, want %q", name, tt.name, tt.want)
				}
				if err.Error() != tt.want {
					t.Errorf("%s error = %q, want %q", name, err, tt.want)
				}
				if !errors.Is(err, ErrConfig) {
					t.Errorf("%s error %v does not wrap ErrConfig", name, err)
				}
				ce, ok := errors.AsType[*ConfigError](err)
				if !ok || ce.Field != tt.field {
					t.Errorf("%s error %#v is not a *ConfigError for field %s", name, err, tt.field)
				}
			}
		})
	}
}

func manyWeights(n int) map[string]float32 {
	w := make(map[string]float32, n)
	for i := range n {
		w[string(rune('A'+i%26))+strings.Repeat("x", i/26)] = 1
	}
	return w
}

// TestConfigRangeEdges checks that the ends of each documented range are
// accepted.
func TestConfigRangeEdges(t *testing.T) {
	corpus := "a b c a b c\nc b a c b a\n"
	for _, cfg := range []Config{
		{Dim: 1},
		{Window: 1 << 20},
		{Negative: 1000},
		{Alpha: 1, MinAlpha: 1},
		{Sample: 1},
		{Sample: -1}, // negative disables subsampling
		{Weights: map[string]float32{"cart": 0, "buy": 1000}},
		{TypeMinCount: map[string]int{"": 0}},
	} {
		cfg.Threads, cfg.MinCount, cfg.Epochs = 1, 1, 1
		if cfg.Dim == 0 {
			cfg.Dim = 4
		}
		m, err := Train(context.Background(), strings.NewReader(corpus), cfg)
		if err != nil && !errors.Is(err, ErrDiverged) {
			t.Errorf("Train(%+v): %v", cfg, err)
			continue
		}
		if err == nil {
			assertFinite(t, m)
		}
	}
}

// TestTrainerGuardsNonFinite drives the trainer with learning rates far
// beyond Config's range, bypassing validation: it must neither panic (an
// index out of the sigmoid table in a worker goroutine would kill the
// process) nor return a model with non-finite components.
func TestTrainerGuardsNonFinite(t *testing.T) {
	corpus := strings.Repeat("a b c d e f g h\nh g f e d c b a\n", 50)
	for _, alpha := range []float64{1e3, 1e12, 1e15, 1e20, 1e38, 1e300} {
		cfg := Config{Dim: 8, MinCount: 1, Epochs: 2, Threads: 1, Alpha: alpha, Seed: 1}.withDefaults()
		m, err := trainReader(context.Background(), strings.NewReader(corpus), &cfg)
		if err == nil {
			assertFinite(t, m)
			continue
		}
		if !errors.Is(err, ErrDiverged) {
			t.Errorf("Alpha %g: error %v does not wrap ErrDiverged", alpha, err)
		}
		if strings.Count(err.Error(), "embeddings:") != 1 {
			t.Errorf("Alpha %g: error %q repeats its prefix", alpha, err)
		}
	}
}

// TestStepSigmoidIndex feeds step the dot products that overflowed the
// sigmoid table: NaN, infinities and the edges of [-maxExp, maxExp].
func TestStepSigmoidIndex(t *testing.T) {
	cfg := Config{Dim: 1, MinCount: 1, Threads: 1}.withDefaults()
	vocab, _ := buildVocabulary(&cfg, []string{"a"}, []int64{1})
	tr := newTrainer(&cfg, vocab, 1)
	w := &worker{t: tr, neu1e: make([]float32, 1)}
	for _, f := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), maxExp, -maxExp,
		math.Nextafter32(maxExp, 0), math.Nextafter32(-maxExp, 0), math.MaxFloat32, -math.MaxFloat32} {
		tr.in[0], tr.out[0] = 1, f
		l1 := tr.in[0:1]
		w.step(l1, w.neu1e, 0, 1, 0.025) // must not panic
		w.step(l1, w.neu1e, 0, 0, 0.025)
	}
}

// TestMaxVectorBytes checks that a vocabulary whose vectors would exceed
// Config.MaxVectorBytes is refused before they are allocated.
func TestMaxVectorBytes(t *testing.T) {
	var b strings.Builder
	for i := range 40000 {
		fmt.Fprintf(&b, "t%d ", i)
	}
	corpus := b.String() // 40,000 distinct tokens in 269 KB
	path := filepath.Join(t.TempDir(), "corpus.txt")
	if err := os.WriteFile(path, []byte(corpus), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		cfg  Config
		want string
	}{
		{Config{Dim: maxDim, MinCount: 1, Threads: 1},
			"embeddings: model too large: 40000 tokens of Dim 65536 need 20000 MiB of vectors, above Config.MaxVectorBytes (16384 MiB): raise MinCount or MaxVectorBytes"},
		{Config{Dim: 100, MinCount: 1, Threads: 1, MaxVectorBytes: 1 << 20},
			"embeddings: model too large: 40000 tokens of Dim 100 need 30.5 MiB of vectors, above Config.MaxVectorBytes (1 MiB): raise MinCount or MaxVectorBytes"},
	} {
		for name, train := range map[string]func() (*Model, error){
			"Train":     func() (*Model, error) { return Train(context.Background(), strings.NewReader(corpus), tt.cfg) },
			"TrainFile": func() (*Model, error) { return TrainFile(context.Background(), path, tt.cfg) },
		} {
			_, err := train()
			if err == nil || err.Error() != tt.want || !errors.Is(err, ErrTooLarge) {
				t.Errorf("%s: error %v, want %q wrapping ErrTooLarge", name, err, tt.want)
			}
		}
	}
	_, err := Train(context.Background(), strings.NewReader(corpus), Config{MaxVectorBytes: -1})
	if want := "embeddings: Config.MaxVectorBytes = -1: must be >= 0 (0 means 16 GiB)"; err == nil || err.Error() != want {
		t.Errorf("negative MaxVectorBytes: %v, want %q", err, want)
	}
}

// TestTrainDivergesWithError trains with the largest rate and weight the
// ranges allow, through both entry points and with two Hogwild threads:
// the vectors overflow, and training must say so rather than return them.
func TestTrainDivergesWithError(t *testing.T) {
	corpus := strings.Repeat("a@x b@x c@x d@x e@x f@x g@x h@x\nh@x g@x f@x e@x d@x c@x b@x a@x\n", 50)
	path := filepath.Join(t.TempDir(), "corpus.txt")
	if err := os.WriteFile(path, []byte(corpus), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, threads := range []int{1, hogwildThreads(2)} {
		cfg := Config{Dim: 16, MinCount: 1, Epochs: 3, Threads: threads, Seed: 1, Alpha: maxAlpha, Weights: map[string]float32{"x": maxWeight}}
		for name, train := range map[string]func() (*Model, error){
			"Train":     func() (*Model, error) { return Train(context.Background(), strings.NewReader(corpus), cfg) },
			"TrainFile": func() (*Model, error) { return TrainFile(context.Background(), path, cfg) },
		} {
			m, err := train()
			if !errors.Is(err, ErrDiverged) {
				t.Errorf("%s with %d threads: model %v, error %v, want ErrDiverged", name, threads, m != nil, err)
				continue
			}
			if want := "embeddings: training diverged in epoch "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("%s: error %q, want it to start with %q", name, err, want)
			}
		}
	}
}
