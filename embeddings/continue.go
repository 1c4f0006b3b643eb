package embeddings

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Continue trains the model m further on a corpus of new sessions read
// once from r (in the format [Train] reads), as gensim's
// build_vocab(update=True) followed by train does, and returns the new
// model; m is not modified.
//
// The vocabulary is m's tokens in m's order followed by the corpus's new
// tokens whose count in the new corpus reaches their minimum count
// (MinCount, TypeMinCount), most frequent first. Every token of m is kept,
// however rare in the new corpus. Tokens of m start from their vectors in
// m; new tokens start from fresh random vectors drawn from Seed as in
// [Train]. Output vectors start from m's when m has them (trained with
// [Config.KeepOutputs], or read from a checkpoint saved with them); when m
// has none they start at zero for every token, as in a fresh training,
// and the first updates re-learn them, which moves the input vectors of m
// more than a continuation from saved output vectors does. Counts are
// summed: a token's count is its count in m plus its count in the new
// corpus; the noise distribution of negative sampling (counts^0.75) and
// the subsampling probabilities are computed from the summed counts.
//
// The learning rate falls from Alpha to MinAlpha over the new corpus's
// tokens times Epochs, as in a fresh training (gensim does the same); a
// lower Alpha keeps the vectors of m closer to where they were. cfg.Dim
// must be 0 or m.Dim(). Other fields apply as in [Train] (KeepOutputs
// decides whether the result keeps output vectors for a later
// continuation). With Threads 1 and a fixed Seed the result is
// deterministic, and continuing a model read back with [ReadCheckpoint]
// gives bit for bit the model continued in memory.
//
// Continue returns an error wrapping [ErrNoCounts] for a model without
// counts (read from a word2vec vector file), a [*ConfigError] for an
// invalid cfg or a Dim other than m's, and otherwise the errors of
// [Train]. An empty corpus returns a copy of m's vectors.
func Continue(ctx context.Context, m *Model, r io.Reader, cfg Config) (*Model, error) {
	cfg, err := continueConfig(m, cfg)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("embeddings: train: %w", err)
	}
	mc, err := readCorpusWith(ctx, r, &cfg, func(names []string, counts []int64) (*vocabulary, []int32) {
		return extendVocabulary(&cfg, m, names, counts)
	})
	if err != nil {
		return nil, err
	}
	if len(mc.vocab.tokens) == 0 {
		return nil, emptyVocabulary(&cfg)
	}
	if err := cfg.checkSize(len(mc.vocab.tokens)); err != nil {
		return nil, err
	}
	t := newTrainer(&cfg, mc.vocab, mc.tokens)
	startFrom(t, m)
	return trainMem(ctx, t, mc)
}

// ContinueFile is like [Continue] for a corpus file too large for memory,
// streamed as [TrainFile] streams it. With one thread and a fixed Seed it
// returns the model Continue returns for the same corpus.
func ContinueFile(ctx context.Context, m *Model, path string, cfg Config) (*Model, error) {
	cfg, err := continueConfig(m, cfg)
	if err != nil {
		return nil, err
	}
	return trainFile(ctx, path, cfg, func(names []string, counts []int64) (*vocabulary, []int32) {
		return extendVocabulary(&cfg, m, names, counts)
	}, func(t *trainer) { startFrom(t, m) })
}

// continueConfig checks m and cfg for a continuation and returns cfg with
// m's dimension and the defaults.
func continueConfig(m *Model, cfg Config) (Config, error) {
	if m == nil || (m.counts == nil && len(m.tokens) > 0) {
		return cfg, fmt.Errorf("%w", ErrNoCounts)
	}
	if err := cfg.validate(); err != nil {
		return cfg, err
	}
	if cfg.Dim != 0 && cfg.Dim != m.dim {
		return cfg, &ConfigError{Struct: "Config", Field: "Dim", Value: cfg.Dim,
			Reason: fmt.Sprintf("must be 0 or the continued model's dimension %d", m.dim)}
	}
	if m.dim > 0 {
		cfg.Dim = m.dim
	}
	return cfg.withDefaults(), nil
}

// startFrom sets the vectors of m's tokens, the first rows of t, to m's
// input vectors and, when m has them, its output vectors.
func startFrom(t *trainer, m *Model) {
	dim := t.dim
	for i := range m.tokens {
		copy(t.in[i*dim:(i+1)*dim], m.row(i))
	}
	if m.outputs != nil {
		for i := range m.tokens {
			copy(t.out[i*dim:(i+1)*dim], m.outputs.row(i))
		}
	}
}

// extendVocabulary returns m's tokens followed by the new tokens of names
// that reach their minimum count, with counts summed, and the map from a
// position in names to its id or -1.
func extendVocabulary(cfg *Config, m *Model, names []string, counts []int64) (*vocabulary, []int32) {
	v := &vocabulary{
		tokens: slices.Clone(m.tokens),
		counts: slices.Clone(m.counts),
		index:  make(map[string]uint32, len(m.tokens)),
	}
	for i, tok := range m.tokens {
		v.index[tok] = uint32(i)
	}
	remap := make([]int32, len(names))
	var fresh []int32
	for i, name := range names {
		if id, ok := v.index[name]; ok {
			v.counts[id] += counts[i]
			remap[i] = int32(id)
			continue
		}
		remap[i] = -1
		if counts[i] > 0 && counts[i] >= cfg.minCountFor(name) {
			fresh = append(fresh, int32(i))
		}
	}
	slices.SortFunc(fresh, func(a, b int32) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return strings.Compare(names[a], names[b])
	})
	for _, i := range fresh {
		id := uint32(len(v.tokens))
		v.tokens = append(v.tokens, names[i])
		v.counts = append(v.counts, counts[i])
		v.index[names[i]] = id
		remap[i] = int32(id)
	}
	return v, remap
}
