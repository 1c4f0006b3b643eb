package embeddings

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTrainHostileInput checks that odd corpora and configurations give a
// model or an error naming the problem, never a panic, through both entry
// points. TestConfigRanges covers every Config field.
func TestTrainHostileInput(t *testing.T) {
	small := "a b c a b c\nc b a c b a\n"
	for _, tt := range []struct {
		name    string
		corpus  string
		cfg     Config
		wantErr string // substring of the error; "" means success
	}{
		{"empty corpus", "", Config{MinCount: 1}, "no token reaches MinCount 1"},
		{"blank lines", "\n \n\t\r\n", Config{MinCount: 1}, "no token reaches MinCount 1"},
		{"all below min count", "a b c\n", Config{MinCount: 2}, "no token reaches MinCount 2"},
		{"zero dim", small, Config{Dim: 0, MinCount: 1, Epochs: 1}, ""},
		{"negative everything", small, Config{Dim: 4, Window: -1, Negative: -1, MinCount: -1, Epochs: -1, Threads: -1, Alpha: -1}, "Config.Window = -1: must be >= 0"},
		{"dim above limit", small, Config{Dim: maxDim + 1, MinCount: 1}, "Config.Dim = 65537: must be <= 65536"},
		{"weight name never read", "a@ b c@x a\n", Config{Dim: 4, MinCount: 1, Epochs: 1, Weights: map[string]float32{"cart": 1, "": 3}}, `Config.Weights[""] = 3`},
		{"pipe in plain text", "the cat\nfish | chips\n", Config{MinCount: 1}, `line 2, column 6: "fish | chips": invalid section "chips" after the '|' at byte 5`},
		{"min alpha equal to alpha", small, Config{Dim: 4, MinCount: 1, Epochs: 1, Alpha: 0.01, MinAlpha: 0.01}, ""},
		{"markers only", "@cart @click\n", Config{Dim: 4, MinCount: 1, Weights: DefaultWeights()}, ""},
		{"sections only", "| purchase=a\n| skipped=a,b\n", Config{Dim: 4, MinCount: 1, PurchaseContext: true, SkippedNegatives: true}, "no token reaches MinCount 1"},
		{"unknown section", "a b\na | colour=red\n", Config{MinCount: 1}, "line 2"},
		{"empty section", "a b |\n", Config{MinCount: 1}, "line 1"},
		{"unknown purchase and skipped", "a b a b | purchase=zz | skipped=yy,a\n", Config{Dim: 4, MinCount: 1, Epochs: 1, PurchaseContext: true, SkippedNegatives: true}, ""},
		{"one token", "a\n", Config{Dim: 4, MinCount: 1, Epochs: 1}, ""},
		{"invalid UTF-8", "\xff\xfe a \xff\n", Config{Dim: 4, MinCount: 1, Epochs: 1}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			if cfg.Threads <= maxThreads {
				cfg.Threads = min(cfg.Threads, 1)
			}
			path := filepath.Join(t.TempDir(), "corpus.txt")
			require.NoError(t, os.WriteFile(path, []byte(tt.corpus), 0o644))
			for name, train := range map[string]func() (*Model, error){
				"Train":     func() (*Model, error) { return Train(context.Background(), strings.NewReader(tt.corpus), cfg) },
				"TrainFile": func() (*Model, error) { return TrainFile(context.Background(), path, cfg) },
			} {
				m, err := train()
				if tt.wantErr != "" {
					if assert.Error(t, err, name) {
						assert.Contains(t, err.Error(), tt.wantErr, name)
					}
					continue
				}
				if assert.NoError(t, err, name) {
					assert.Positive(t, m.Len(), name)
					for i := range m.Len() {
						v, _ := m.Vector(m.Token(i))
						for _, x := range v {
							if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
								t.Fatalf("%s: vector of %q has %v", name, m.Token(i), x)
							}
						}
					}
				}
			}
		})
	}
}
