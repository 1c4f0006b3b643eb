package embeddings

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testJourneys() *Journeys {
	return NewJourneys(JourneyConfig{
		Sessions: 2000, Categories: 8, ItemsPerCategory: 30, ShopsPerCategory: 4,
		QueriesPerCategory: 4, Wander: 0.1, Seed: 3,
	})
}

func journeyText(t testing.TB, j *Journeys, plain bool) string {
	var b bytes.Buffer
	var err error
	if plain {
		_, err = j.WritePlain(&b)
	} else {
		_, err = j.WriteTo(&b)
	}
	require.NoError(t, err)
	return b.String()
}

func testConfig() Config {
	return Config{Dim: 24, Epochs: 3, Threads: 1, Seed: 42, MinCount: 3}
}

// racyHogwild reports whether the race detector would report the Hogwild
// updates of training with Threads > 1. They are unsynchronised by design;
// the detector cannot see them inside the amd64 assembly kernels but does
// see them in the pure-Go kernels (other architectures, CPUs without
// AVX2/FMA, the purego build tag).
func racyHogwild() bool { return raceEnabled && !hasAVX2FMA }

// hogwildThreads returns n, or 1 when [racyHogwild] holds.
func hogwildThreads(n int) int {
	if racyHogwild() {
		return 1
	}
	return n
}

func modelText(t testing.TB, m *Model) string {
	var b bytes.Buffer
	require.NoError(t, m.WriteText(&b))
	return b.String()
}

func TestTrainDeterministic(t *testing.T) {
	corpus := journeyText(t, testJourneys(), true)
	a, err := Train(context.Background(), strings.NewReader(corpus), testConfig())
	require.NoError(t, err)
	b, err := Train(context.Background(), strings.NewReader(corpus), testConfig())
	require.NoError(t, err)
	assert.Equal(t, modelText(t, a), modelText(t, b))

	cfg := testConfig()
	cfg.Seed++
	c, err := Train(context.Background(), strings.NewReader(corpus), cfg)
	require.NoError(t, err)
	assert.NotEqual(t, modelText(t, a), modelText(t, c), "a different seed gave the same vectors")
}

func TestTrainFileMatchesTrain(t *testing.T) {
	j := testJourneys()
	corpus := journeyText(t, j, false)
	path := filepath.Join(t.TempDir(), "corpus.txt")
	require.NoError(t, os.WriteFile(path, []byte(corpus), 0o644))
	for _, ext := range []struct {
		name string
		set  func(*Config)
	}{
		{"plain", func(*Config) {}},
		{"all extensions", func(c *Config) {
			c.Weights, c.PurchaseContext, c.SkippedNegatives = DefaultWeights(), true, true
			c.TypeMinCount = map[string]int{"shop": 1}
		}},
	} {
		t.Run(ext.name, func(t *testing.T) {
			cfg := testConfig()
			ext.set(&cfg)
			a, err := Train(context.Background(), strings.NewReader(corpus), cfg)
			require.NoError(t, err)
			b, err := TrainFile(context.Background(), path, cfg)
			require.NoError(t, err)
			ta, tb := modelText(t, a), modelText(t, b)
			if ta != tb {
				la, lb := strings.Split(ta, "\n"), strings.Split(tb, "\n")
				for i := range min(len(la), len(lb)) {
					if la[i] != lb[i] {
						t.Fatalf("Train and TrainFile differ at line %d:\n%.80s\n%.80s", i+1, la[i], lb[i])
					}
				}
				t.Fatalf("Train and TrainFile differ in length")
			}
		})
	}
}

func TestTrainQuality(t *testing.T) {
	j := testJourneys()
	corpus := journeyText(t, j, false)
	for _, tt := range []struct {
		name string
		set  func(*Config)
	}{
		{"plain", func(*Config) {}},
		{"weights", func(c *Config) { c.Weights = DefaultWeights() }},
		{"purchase", func(c *Config) { c.Weights, c.PurchaseContext = DefaultWeights(), true }},
		{"skipped", func(c *Config) { c.Weights, c.SkippedNegatives = DefaultWeights(), true }},
		{"two threads", func(c *Config) { c.Threads = 2 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			tt.set(&cfg)
			if cfg.Threads > 1 && racyHogwild() {
				t.Skip("Hogwild races are intentional; the race detector sees them in the pure-Go kernels")
			}
			m, err := Train(context.Background(), strings.NewReader(corpus), cfg)
			require.NoError(t, err)
			for _, typ := range []string{"item", "shop", "query"} {
				// Chance level is 1/8.
				if p := j.PrecisionAtK(m, typ, 3); p < 0.5 {
					t.Errorf("PrecisionAtK(%s, 3) = %.3f, want >= 0.5", typ, p)
				}
			}
		})
	}
}

func TestTrainTypeMinCount(t *testing.T) {
	corpus := "shop:1 a a a query:x\nshop:2 a b b query:y\na b b b query:x\n"
	cfg := Config{Dim: 4, MinCount: 3, Threads: 1, TypeMinCount: map[string]int{"shop": 1, "query": 2}}
	m, err := Train(context.Background(), strings.NewReader(corpus), cfg)
	require.NoError(t, err)
	var got []string
	for i := range m.Len() {
		got = append(got, m.Token(i))
	}
	assert.Equal(t, []string{"a", "b", "query:x", "shop:1", "shop:2"}, got)
	assert.Equal(t, int64(5), m.Count("a"))
}

func TestTrainExtensionsOffIgnoreSections(t *testing.T) {
	plain := "a b c d a b\nc d a b c d\n"
	sections := "a b c d a b | purchase=c | skipped=d\nc d a b c d | skipped=a,b\n"
	cfg := Config{Dim: 8, MinCount: 1, Threads: 1, Epochs: 2}
	a, err := Train(context.Background(), strings.NewReader(plain), cfg)
	require.NoError(t, err)
	b, err := Train(context.Background(), strings.NewReader(sections), cfg)
	require.NoError(t, err)
	assert.Equal(t, modelText(t, a), modelText(t, b))
	cfg.PurchaseContext, cfg.SkippedNegatives = true, true
	c, err := Train(context.Background(), strings.NewReader(sections), cfg)
	require.NoError(t, err)
	assert.NotEqual(t, modelText(t, a), modelText(t, c))
}

func TestTrainErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Train(ctx, strings.NewReader("a b c\n"), Config{MinCount: 1})
	assert.ErrorIs(t, err, context.Canceled)

	_, err = Train(context.Background(), strings.NewReader("a b c\n"), Config{})
	assert.ErrorIs(t, err, ErrEmptyVocabulary)

	_, err = Train(context.Background(), strings.NewReader("a b\nc | nope=1\n"), Config{MinCount: 1})
	pe, ok := errors.AsType[*ParseError](err)
	require.True(t, ok, "Train error %v is not a *ParseError", err)
	assert.Equal(t, 2, pe.Line)
	assert.ErrorIs(t, err, ErrSection)

	_, err = TrainFile(context.Background(), filepath.Join(t.TempDir(), "missing"), Config{})
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestTrainCancelDuringTraining(t *testing.T) {
	corpus := journeyText(t, testJourneys(), true)
	path := filepath.Join(t.TempDir(), "corpus.txt")
	require.NoError(t, os.WriteFile(path, []byte(corpus), 0o644))
	for _, tt := range []struct {
		name  string
		train func(context.Context, Config) (*Model, error)
	}{
		{"Train", func(ctx context.Context, c Config) (*Model, error) { return Train(ctx, strings.NewReader(corpus), c) }},
		{"TrainFile", func(ctx context.Context, c Config) (*Model, error) { return TrainFile(ctx, path, c) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cfg := testConfig()
			cfg.Epochs = 1000
			cfg.Threads = hogwildThreads(2)
			cfg.ProgressEvery = time.Nanosecond
			cfg.Progress = func(p Progress) {
				if p.Tokens > 0 {
					cancel()
				}
			}
			_, err := tt.train(ctx, cfg)
			assert.ErrorIs(t, err, context.Canceled)
		})
	}
}

func TestTrainProgress(t *testing.T) {
	corpus := journeyText(t, testJourneys(), true)
	var got []Progress
	cfg := testConfig()
	clock := time.Unix(0, 0)
	cfg.Now = func() time.Time { clock = clock.Add(100 * time.Millisecond); return clock }
	cfg.ProgressEvery = 100 * time.Millisecond
	cfg.Progress = func(p Progress) { got = append(got, p) }
	_, err := Train(context.Background(), strings.NewReader(corpus), cfg)
	require.NoError(t, err)
	require.Greater(t, len(got), 2)
	last := got[len(got)-1]
	assert.Equal(t, last.Total, last.Tokens)
	assert.Equal(t, cfg.Epochs, last.Epoch)
	assert.Zero(t, last.ETA)
	assert.Zero(t, got[0].Tokens)
	assert.InDelta(t, DefaultAlpha, got[0].Alpha, 1e-9)
	got = got[1:]
	for i, p := range got {
		if p.TokensPerSecond <= 0 || p.Alpha <= 0 || p.Alpha > DefaultAlpha || p.Loss <= 0 {
			t.Errorf("progress %d = %+v", i, p)
		}
		if i > 0 && (p.Tokens < got[i-1].Tokens || p.Alpha > got[i-1].Alpha) {
			t.Errorf("progress %d = %+v after %+v", i, p, got[i-1])
		}
	}
	// The loss falls as training proceeds.
	assert.Less(t, last.Loss, got[0].Loss)
}

func TestAlphaSchedule(t *testing.T) {
	for _, tt := range []struct {
		name           string
		alpha0, alpha1 float64
		total, done    int64
		want           float64
	}{
		{"word2vec start", 0.025, 0, 1000, 0, 0.025},
		{"word2vec half", 0.025, 0, 1000, 500, 0.025 * (1 - 500.0/1001)},
		{"word2vec end", 0.025, 0, 1000, 1000, 0.025 / 1001},
		{"word2vec floor", 0.025, 0, 1 << 40, 1 << 40, 0.025 * 1e-4},
		{"word2vec past the end", 0.025, 0, 1000, 5000, 0.025 * 1e-4},
		{"min start", 0.025, 0.0125, 1000, 0, 0.025},
		{"min half", 0.025, 0.0125, 1000, 500, 0.025 - 0.0125*500.0/1001},
		{"min end", 0.025, 0.0125, 1 << 40, 1 << 40, 0.0125},
		{"min past the end", 0.025, 0.0125, 1000, 5000, 0.0125},
		{"min below word2vec floor", 0.025, 1e-7, 1000, 1000, 0.025 - (0.025-1e-7)*1000.0/1001},
		{"min past the end below word2vec floor", 0.025, 1e-7, 1000, 5000, 1e-7},
		{"constant", 0.025, 0.025, 1000, 700, 0.025},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tr := &trainer{alpha0: tt.alpha0, alpha1: tt.alpha1, total: tt.total}
			assert.InDelta(t, tt.want, tr.alphaAt(tt.done), 1e-9)
		})
	}
}

// TestMinAlphaProgress checks that Config.MinAlpha reaches the trainer:
// the last progress report shows the rate decayed to MinAlpha rather
// than to word2vec's floor.
func TestMinAlphaProgress(t *testing.T) {
	corpus := strings.Repeat("a b c d e f\n", 200)
	for _, tt := range []struct {
		name     string
		minAlpha float64
		want     float64
	}{
		{"word2vec", -1, 0.05 / 1201},
		{"default", 0, 0.025 + 0.025/1201},
		{"half", 0.025, 0.025 + 0.025/1201},
		{"constant", 0.05, 0.05},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var last Progress
			cfg := Config{Dim: 8, MinCount: 1, Epochs: 1, Threads: 1, Alpha: 0.05, MinAlpha: tt.minAlpha, Sample: -1,
				Progress: func(p Progress) { last = p }}
			_, err := Train(context.Background(), strings.NewReader(corpus), cfg)
			require.NoError(t, err)
			assert.Equal(t, int64(1200), last.Tokens)
			assert.InDelta(t, tt.want, last.Alpha, 1e-7)
		})
	}
}

func TestNoiseSampler(t *testing.T) {
	counts := []int64{1000, 100, 10, 1}
	s := newNoiseSampler(counts, 0.75)
	r := rng{s: 1}
	hist := make([]int, len(counts))
	const n = 200000
	for range n {
		hist[s.draw(r.next())]++
	}
	var z float64
	for _, c := range counts {
		z += pow075(c)
	}
	for i, c := range counts {
		want := pow075(c) / z
		assert.InDelta(t, want, float64(hist[i])/n, 0.01, "token %d", i)
	}
}

func TestTrainNoAllocsPerToken(t *testing.T) {
	corpus := journeyText(t, testJourneys(), false)
	cfg := testConfig().withDefaults()
	cfg.Weights, cfg.PurchaseContext, cfg.SkippedNegatives = DefaultWeights(), true, true
	mc, err := readCorpus(context.Background(), strings.NewReader(corpus), &cfg)
	require.NoError(t, err)
	tr := newTrainer(&cfg, mc.vocab, mc.tokens)
	w := &worker{t: tr, r: rng{s: 1}, neu1e: make([]float32, cfg.Dim)}
	blocks := mc.blocks
	w.trainBlock(&blocks[0]) // grow the sentence buffers
	if n := testing.AllocsPerRun(5, func() { w.trainBlock(&blocks[0]) }); n != 0 {
		t.Errorf("trainBlock allocates %v times per block, want 0", n)
	}
}
