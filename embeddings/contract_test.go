package embeddings_test

import (
	"bytes"
	"context"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/craftkit/craftkit/embeddings"
)

// The contract of issue 8, checked from outside the package with the names
// and signatures it states.
var (
	_ func(context.Context, io.Reader, embeddings.Config) (*embeddings.Model, error) = embeddings.Train
	_ func(*embeddings.Model, string, int) ([]embeddings.Neighbor, error)            = (*embeddings.Model).Nearest
	_ func(*embeddings.Model, io.Writer) error                                       = (*embeddings.Model).WriteText
	_ func(io.Reader) (*embeddings.Model, error)                                     = embeddings.ReadText
	_                                                                                = func(n embeddings.Neighbor) (string, float64) { return n.Token, float64(n.Score) }
)

// contractConfig sets every field the contract names, with types checked
// by the compiler: Dim, Window, Negative, MinCount, Epochs, Threads int;
// Sample, Alpha float64; Seed uint64. Threads is 1 so that the test is
// deterministic and race-free on every platform.
func contractConfig() embeddings.Config {
	var (
		dim, window, negative, minCount, epochs, threads int     = 16, 3, 4, 2, 3, 1
		sample, alpha                                    float64 = 0.1, 0
		seed                                             uint64  = 7
	)
	return embeddings.Config{
		Dim: dim, Window: window, Negative: negative, MinCount: minCount, Epochs: epochs, Threads: threads,
		Sample: sample, Alpha: alpha, Seed: seed,
	}
}

func contractCorpus() string {
	var b strings.Builder
	for i := range 300 {
		// Two topics that never share a session.
		if i%2 == 0 {
			b.WriteString("apple pear plum fig apple pear plum fig\n")
		} else {
			b.WriteString("car bus train bike car bus train bike\n")
		}
	}
	return b.String()
}

func TestContractTrainNearest(t *testing.T) {
	m, err := embeddings.Train(context.Background(), strings.NewReader(contractCorpus()), contractConfig())
	require.NoError(t, err)
	got, err := m.Nearest("apple", 3)
	require.NoError(t, err)
	require.Len(t, got, 3)
	score := float64(got[0].Score)
	for i, n := range got {
		if n.Token == "apple" {
			t.Errorf("Nearest(apple)[%d] is apple itself", i)
		}
		if !strings.Contains("pear plum fig", n.Token) {
			t.Errorf("Nearest(apple)[%d] = %+v, want a fruit", i, n)
		}
		if i > 0 && n.Score > got[i-1].Score {
			t.Errorf("Nearest(apple) not sorted: %+v", got)
		}
	}
	if score < -1-1e-6 || score > 1+1e-6 {
		t.Errorf("Score %v is not a cosine", score)
	}
	// Score is the cosine of the two vectors.
	a, _ := m.Vector("apple")
	b, _ := m.Vector(got[0].Token)
	assert.InDelta(t, cosine(a, b), score, 1e-5)

	_, err = m.Nearest("no-such-token", 3)
	assert.ErrorIs(t, err, embeddings.ErrUnknownToken)
}

func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}

func TestContractAlphaZeroIsDefault(t *testing.T) {
	cfg := contractConfig()
	a, err := embeddings.Train(context.Background(), strings.NewReader(contractCorpus()), cfg)
	require.NoError(t, err)
	cfg.Alpha = 0.025
	b, err := embeddings.Train(context.Background(), strings.NewReader(contractCorpus()), cfg)
	require.NoError(t, err)
	assert.Equal(t, textOf(t, a), textOf(t, b), "Alpha 0 trained differently from Alpha 0.025")
}

func textOf(t *testing.T, m *embeddings.Model) string {
	var b bytes.Buffer
	require.NoError(t, m.WriteText(&b))
	return b.String()
}

func TestContractWriteTextReadText(t *testing.T) {
	m, err := embeddings.Train(context.Background(), strings.NewReader(contractCorpus()), contractConfig())
	require.NoError(t, err)
	text := textOf(t, m)
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	assert.Equal(t, strconv.Itoa(m.Len())+" 16", lines[0], "header is <vocab> <dim>")
	require.Len(t, lines, m.Len()+1)
	for _, l := range lines[1:] {
		assert.Len(t, strings.Fields(l), 1+16, "line %q", l)
	}
	back, err := embeddings.ReadText(strings.NewReader(text))
	require.NoError(t, err)
	assert.Equal(t, text, textOf(t, back))
	want, err := m.Nearest("car", 3)
	require.NoError(t, err)
	got, err := back.Nearest("car", 3)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

func TestContractCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m, err := embeddings.Train(ctx, strings.NewReader(contractCorpus()), contractConfig())
	assert.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Nil(t, m)
}
