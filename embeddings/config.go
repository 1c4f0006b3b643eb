package embeddings

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"time"
)

// ErrConfig reports a [Config] field that training cannot use.
var ErrConfig = errors.New("embeddings: invalid config")

// Defaults used for zero [Config] fields. They are word2vec's defaults for
// Skip-gram, except Threads, which defaults to runtime.GOMAXPROCS(0).
const (
	DefaultDim      = 100
	DefaultWindow   = 5
	DefaultNegative = 5
	DefaultMinCount = 5
	DefaultEpochs   = 5
	DefaultSample   = 1e-3
	DefaultAlpha    = 0.025
)

// Config holds the training hyperparameters and the session extensions.
//
// The zero Config trains plain word2vec Skip-gram with negative sampling
// with word2vec's defaults (see the Default constants) on all cores, with
// every session extension off except what the input lines carry
// (purchase and skipped sections are parsed but only used when their
// switch is on). Config is a value; Train does not modify or retain it
// except for the Progress and Now hooks, which it calls during training.
// One Config may be used by several concurrent trainings as long as its
// maps are not modified meanwhile and its hooks are safe to call
// concurrently.
type Config struct {
	// Dim is the vector dimension (default 100, at most 65536).
	Dim int
	// Window is the maximum distance between a centre token and a context
	// token; each centre token draws its own window uniformly in
	// [1, Window] as word2vec does (default 5).
	Window int
	// Negative is the number of noise tokens drawn per positive pair from
	// the unigram distribution raised to 3/4 (default 5).
	Negative int
	// MinCount drops tokens seen fewer times than this (default 5).
	// TypeMinCount overrides it per token type.
	MinCount int
	// Epochs is the number of passes over the corpus (default 5).
	Epochs int
	// Threads is the number of Hogwild training goroutines (default
	// runtime.GOMAXPROCS(0), at most 4096). With Threads 1 and a fixed
	// Seed, training is deterministic. With Threads > 1 the goroutines update
	// shared vectors without locks (Hogwild): these data races are
	// intentional and harmless for training, but a -race build reports
	// them wherever the pure-Go kernels run (not amd64 with AVX2/FMA, or
	// the purego build tag), so tests built with -race should use 1.
	Threads int
	// Sample is word2vec's frequent-token subsampling threshold
	// (default 1e-3); a negative value disables subsampling.
	Sample float64
	// Alpha is the starting learning rate (default 0.025). It decays
	// linearly over all tokens of all epochs, counted across all threads,
	// to MinAlpha.
	Alpha float64
	// MinAlpha is the learning rate reached at the end of training: the
	// rate falls linearly from Alpha to MinAlpha (gensim's min_alpha). The
	// zero value keeps word2vec's schedule, a linear fall toward 0 floored
	// at Alpha*1e-4. A MinAlpha equal to Alpha trains at a constant rate;
	// Alpha/2 reproduces, for a one-epoch run, the schedule gensim applies
	// in corpus_file mode with two workers. It must be finite, not
	// negative and at most Alpha (after Alpha's default).
	MinAlpha float64
	// Seed seeds vector initialisation and all sampling.
	Seed uint64

	// TypeMinCount sets the minimum count per token type, the part of a
	// token before its first ':' ("item" for "item:123"; "" for untyped
	// tokens). Types absent from the map use MinCount; a threshold of 1
	// keeps every token of that type.
	TypeMinCount map[string]int
	// Weights maps interaction marker names to importance weights and
	// switches interaction weighting on. With a non-nil map, a token
	// written "item:7@cart" whose suffix after the last '@' is a key of
	// the map is read as token "item:7" with weight Weights["cart"]; every
	// gradient step predicting that token (as the centre of a window)
	// is scaled by the weight. At most 255 names. With a nil map no
	// marker is recognised and '@' is an ordinary character.
	// [DefaultWeights] returns a click < cart < purchase table.
	Weights map[string]float32
	// PurchaseContext switches on the global purchase context: every
	// centre token of a session with a "purchase=" section is also
	// pulled toward the purchased token (see the package documentation
	// for the exact update).
	PurchaseContext bool
	// SkippedNegatives switches on implicit negatives: every centre token
	// of a session with a "skipped=" section is pushed away from each
	// skipped token.
	SkippedNegatives bool

	// Progress, when not nil, is called once when training starts (after
	// the vocabulary is built, with Tokens 0), from a training goroutine
	// about every ProgressEvery, and once at the end. Calls never overlap.
	// It must be fast.
	Progress func(Progress)
	// ProgressEvery is the minimum interval between Progress calls
	// (default one second).
	ProgressEvery time.Duration
	// Now returns the current time for progress reports
	// (default time.Now).
	Now func() time.Time
}

// DefaultWeights returns a fresh interaction weight table in which a click
// weighs 1, an add-to-cart 2 and a purchase 4.
func DefaultWeights() map[string]float32 {
	return map[string]float32{"click": 1, "cart": 2, "purchase": 4}
}

// Progress is a snapshot of a running training. It is a plain value,
// safe to copy and read from any goroutine.
type Progress struct {
	// Tokens is the number of corpus tokens processed so far, over all
	// epochs, before subsampling.
	Tokens int64
	// Total is the number of tokens the training will process.
	Total int64
	// Epoch is the epoch being trained, from 1.
	Epoch int
	// Alpha is the current learning rate.
	Alpha float64
	// TokensPerSecond is the average throughput since training started.
	TokensPerSecond float64
	// Elapsed is the time since training started.
	Elapsed time.Duration
	// ETA estimates the remaining time at the current throughput.
	ETA time.Duration
	// Loss is the average negative log-likelihood per positive or
	// negative example since the previous report (0 if none).
	Loss float64
}

// withDefaults returns cfg with zero fields replaced by defaults.
func (cfg Config) withDefaults() Config {
	if cfg.Dim <= 0 {
		cfg.Dim = DefaultDim
	}
	if cfg.Window <= 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.Negative <= 0 {
		cfg.Negative = DefaultNegative
	}
	if cfg.MinCount <= 0 {
		cfg.MinCount = DefaultMinCount
	}
	if cfg.Epochs <= 0 {
		cfg.Epochs = DefaultEpochs
	}
	if cfg.Threads <= 0 {
		cfg.Threads = min(runtime.GOMAXPROCS(0), maxThreads)
	}
	if cfg.Sample == 0 {
		cfg.Sample = DefaultSample
	}
	if cfg.Alpha <= 0 {
		cfg.Alpha = DefaultAlpha
	}
	if cfg.ProgressEvery <= 0 {
		cfg.ProgressEvery = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// maxThreads bounds Config.Threads: far more goroutines than cores only
// costs memory.
const maxThreads = 4096

// validate reports fields that are out of range after withDefaults.
func (cfg *Config) validate() error {
	switch {
	case cfg.Dim > maxDim:
		return fmt.Errorf("%w: Dim %d above %d", ErrConfig, cfg.Dim, maxDim)
	case cfg.Threads > maxThreads:
		return fmt.Errorf("%w: Threads %d above %d", ErrConfig, cfg.Threads, maxThreads)
	case math.IsNaN(cfg.Alpha) || math.IsInf(cfg.Alpha, 0):
		return fmt.Errorf("%w: Alpha %v", ErrConfig, cfg.Alpha)
	case math.IsNaN(cfg.Sample):
		return fmt.Errorf("%w: Sample %v", ErrConfig, cfg.Sample)
	case math.IsNaN(cfg.MinAlpha) || math.IsInf(cfg.MinAlpha, 0) || cfg.MinAlpha < 0:
		return fmt.Errorf("%w: MinAlpha %v", ErrConfig, cfg.MinAlpha)
	case cfg.MinAlpha > cfg.Alpha:
		return fmt.Errorf("%w: MinAlpha %v above Alpha %v", ErrConfig, cfg.MinAlpha, cfg.Alpha)
	}
	return nil
}
