package embeddings

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrTooLarge is wrapped by the error of [Train] and [TrainFile] when the
// vectors of the vocabulary would take more than [Config.MaxVectorBytes].
var ErrTooLarge = errors.New("embeddings: model too large")

// ErrConfig is wrapped by every [*ConfigError]: a [Config] field outside
// its documented range.
var ErrConfig = errors.New("embeddings: invalid config")

// Defaults used for zero [Config] fields. They are word2vec's defaults for
// Skip-gram, except Threads, which defaults to runtime.GOMAXPROCS(0), and
// the learning-rate schedule, which ends at Alpha/(2·Epochs) (see
// [Config.MinAlpha]).
const (
	DefaultDim      = 100
	DefaultWindow   = 5
	DefaultNegative = 5
	DefaultMinCount = 5
	DefaultEpochs   = 5
	DefaultSample   = 1e-3
	DefaultAlpha    = 0.025

	DefaultMaxVectorBytes = 16 << 30 // see Config.MaxVectorBytes
)

// Config holds the training hyperparameters and the session extensions.
//
// Every numeric field has a documented range; [Train] and [TrainFile]
// refuse a value outside it with a [*ConfigError] naming the field and the
// value, and never replace it silently. Zero means the documented default.
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
	// Dim is the vector dimension, in [0, 65536] (0 means 100).
	Dim int
	// Window is the maximum distance between a centre token and a context
	// token; each centre token draws its own window uniformly in
	// [1, Window] as word2vec does. In [0, 1<<20] (0 means 5).
	Window int
	// Negative is the number of noise tokens drawn per positive pair from
	// the unigram distribution raised to 3/4, in [0, 1000] (0 means 5).
	Negative int
	// MinCount drops tokens seen fewer times than this; >= 0 (0 means 5).
	// TypeMinCount overrides it per token type.
	MinCount int
	// Epochs is the number of passes over the corpus, in [0, 1000000]
	// (0 means 5).
	Epochs int
	// Threads is the number of Hogwild training goroutines, in [0, 4096]
	// (0 means runtime.GOMAXPROCS(0), at most 4096). With Threads 1 and a fixed
	// Seed, training is deterministic. With Threads > 1 the goroutines update
	// shared vectors without locks (Hogwild): these data races are
	// intentional and harmless for training, but a -race build reports
	// them wherever the pure-Go kernels run (not amd64 with AVX2/FMA, or
	// the purego build tag), so tests built with -race should use 1.
	Threads int
	// Sample is word2vec's frequent-token subsampling threshold, a
	// fraction of the corpus: finite and at most 1 (0 means 1e-3); a
	// negative value disables subsampling.
	Sample float64
	// Alpha is the starting learning rate, in [0, 1] (0 means 0.025);
	// larger rates make the vectors overflow. It decays linearly over all
	// tokens of all epochs, counted across all threads, to MinAlpha. A rate
	// in range can still diverge (with large Weights, say): training then
	// stops with an error wrapping [ErrDiverged] instead of returning
	// infinite or NaN vectors.
	Alpha float64
	// MinAlpha is the learning rate reached at the end of training: the
	// rate falls linearly from Alpha to MinAlpha (gensim's min_alpha). The
	// zero value means Alpha/(2·Epochs): Alpha/2 after one epoch, Alpha/10
	// after the default five. It was chosen by measurement against gensim
	// at its defaults (bench/embeddings defaults.sh and defaults_text.sh):
	// falling to Alpha/2 whatever the epochs led after one epoch but
	// trailed on text after five, falling toward 0 as word2vec does
	// trailed after one epoch; see the package documentation for the
	// figures. A negative MinAlpha selects word2vec's exact schedule, a
	// linear fall toward 0 floored at Alpha*1e-4. A MinAlpha equal to
	// Alpha trains at a constant rate. It must be finite and at most Alpha
	// (after Alpha's default).
	MinAlpha float64
	// Seed seeds vector initialisation and all sampling.
	Seed uint64

	// TypeMinCount sets the minimum count per token type, the part of a
	// token before its first ':' ("item" for "item:123"; "" for untyped
	// tokens). Types absent from the map use MinCount; a threshold of 1
	// keeps every token of that type, and so does 0. Thresholds must be
	// >= 0.
	TypeMinCount map[string]int
	// Weights maps interaction marker names to importance weights and
	// switches interaction weighting on. With a non-nil map, a token
	// written "item:7@cart" whose suffix after the last '@' is a key of
	// the map is read as token "item:7" with weight Weights["cart"]; every
	// gradient step predicting that token (as the centre of a window)
	// is scaled by the weight. At most 255 names, each non-empty and
	// without '@', '|', ',', '=' or white space (such a name could never
	// be read), each weight finite and in [0, 1000]. With a nil map no
	// marker is recognised and '@' is an ordinary character.
	// [DefaultWeights] returns a click < cart < purchase table.
	Weights map[string]float32
	// PurchaseContext switches on the global purchase context: every
	// centre token of a session with a "purchase=" section is also
	// pulled toward the output vector of each purchased token (see the
	// package documentation for the exact update); the effect shows in
	// IN–OUT scores (KeepOutputs, [Model.NearestOut]).
	PurchaseContext bool
	// SkippedNegatives switches on implicit negatives. For an action
	// written "item:7[skipped=item:4,item:5]" (see [ParseSession]), the
	// tokens within SkippedWindow of it learn to rank it above the items
	// skipped for it; see the package documentation for the update.
	// The older session-level "| skipped=" section pushes every centre
	// token of the session away from each skipped token, a weaker signal
	// that ties no skip to the action it belongs to.
	SkippedNegatives bool
	// SkippedWindow is the number of tokens on each side of an action
	// with a per-action skipped list (the search query that showed the
	// results, say) that learn to prefer the action to each skipped item,
	// at most 1<<20 (0 means 1). A negative value instead pushes the
	// action alone away from each skipped item, as a noise token.
	SkippedWindow int
	// PlainText reads the corpus as plain text: each line is a sentence of
	// tokens separated by ASCII white space, and '|', '@', ',' and '=' are
	// ordinary characters of a token. No line is refused for its content.
	// It excludes the session extensions, which need the session syntax:
	// with PlainText, Weights must be nil and PurchaseContext and
	// SkippedNegatives false. The zero value reads the session format (see
	// [ParseSession]).
	PlainText bool
	// KeepOutputs keeps the output (context) vectors in the returned
	// [Model] besides the input vectors, for [Model.Outputs] and
	// [Model.NearestOut]. It doubles the memory the model keeps, to
	// 2·Len·Dim·4 bytes (training holds both sets anyway). The zero value
	// drops them, as word2vec does.
	KeepOutputs bool

	// Progress, when not nil, is called once when training starts (after
	// the vocabulary is built, with Tokens 0), from a training goroutine
	// about every ProgressEvery, and once at the end. Calls never overlap.
	// It must be fast.
	Progress func(Progress)
	// MaxVectorBytes bounds the memory of the vectors, 2·Len·Dim·4 bytes
	// for Len kept tokens: a vocabulary that needs more is refused with an
	// error wrapping [ErrTooLarge] before anything is allocated, instead
	// of exhausting memory. It must be >= 0 (0 means 16 GiB).
	MaxVectorBytes int64

	// ProgressEvery is the minimum interval between Progress calls, >= 0
	// (0 means one second).
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

// withDefaults returns cfg with zero fields replaced by defaults. It
// expects a cfg that [Config.validate] accepted.
func (cfg Config) withDefaults() Config {
	if cfg.Dim == 0 {
		cfg.Dim = DefaultDim
	}
	if cfg.Window == 0 {
		cfg.Window = DefaultWindow
	}
	if cfg.Negative == 0 {
		cfg.Negative = DefaultNegative
	}
	if cfg.MinCount == 0 {
		cfg.MinCount = DefaultMinCount
	}
	if cfg.Epochs == 0 {
		cfg.Epochs = DefaultEpochs
	}
	if cfg.Threads == 0 {
		cfg.Threads = min(runtime.GOMAXPROCS(0), maxThreads)
	}
	if cfg.Sample == 0 {
		cfg.Sample = DefaultSample
	}
	if cfg.SkippedWindow == 0 {
		cfg.SkippedWindow = 1
	}
	if cfg.Alpha == 0 {
		cfg.Alpha = DefaultAlpha
	}
	if cfg.MinAlpha == 0 {
		cfg.MinAlpha = cfg.Alpha / (2 * float64(cfg.Epochs))
	}
	if cfg.MaxVectorBytes == 0 {
		cfg.MaxVectorBytes = DefaultMaxVectorBytes
	}
	if cfg.ProgressEvery == 0 {
		cfg.ProgressEvery = time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg
}

// Bounds of the Config fields; see the field documentation.
const (
	maxThreads  = 4096    // far more goroutines than cores only costs memory
	maxWindow   = 1 << 20 // wider than any session the line limit allows to be useful
	maxNegative = 1000    // each noise token costs one dot product per pair
	maxEpochs   = 1000000 // keeps tokens × epochs far from int64 overflow
	maxAlpha    = 1       // larger rates diverge
	maxWeight   = 1000    // Alpha × weight is the effective rate
	maxMarkers  = 255     // marker indexes are bytes; 0 means no marker
)

// ConfigError reports a [Config] or [JourneyConfig] field outside its
// documented range. It wraps [ErrConfig]. It is not modified after it is
// returned and is safe for concurrent reads.
type ConfigError struct {
	// Struct names the configuration type: "Config" or "JourneyConfig".
	Struct string
	// Field names the field as written in Go, with the map key for
	// map entries: "Dim", `Weights["cart"]`.
	Field string
	// Value is the value the caller passed.
	Value any
	// Reason says what the field must be.
	Reason string
}

// Error returns a message such as
// `embeddings: Config.Dim = -3: must be >= 0 (0 means 100)`.
func (e *ConfigError) Error() string {
	if e.Value == nil {
		return fmt.Sprintf("embeddings: %s.%s %s", e.Struct, e.Field, e.Reason)
	}
	return fmt.Sprintf("embeddings: %s.%s = %v: %s", e.Struct, e.Field, e.Value, e.Reason)
}

// Unwrap returns [ErrConfig].
func (e *ConfigError) Unwrap() error { return ErrConfig }

// validate reports the first field of cfg, as the caller passed it, that is
// outside its documented range.
func (cfg *Config) validate() error {
	bad := func(field string, value any, reason string) error {
		return &ConfigError{Struct: "Config", Field: field, Value: value, Reason: reason}
	}
	ints := []struct {
		name     string
		v, max   int
		zeroMean string
	}{
		{"Dim", cfg.Dim, maxDim, "100"},
		{"Window", cfg.Window, maxWindow, "5"},
		{"Negative", cfg.Negative, maxNegative, "5"},
		{"MinCount", cfg.MinCount, math.MaxInt, "5"},
		{"Epochs", cfg.Epochs, maxEpochs, "5"},
		{"Threads", cfg.Threads, maxThreads, "runtime.GOMAXPROCS(0)"},
		{"SkippedWindow", max(cfg.SkippedWindow, 0), maxWindow, "1"},
	}
	for _, f := range ints {
		if f.v < 0 {
			return bad(f.name, f.v, "must be >= 0 (0 means "+f.zeroMean+")")
		}
		if f.v > f.max {
			return bad(f.name, f.v, fmt.Sprintf("must be <= %d", f.max))
		}
	}
	switch {
	case math.IsNaN(cfg.Sample) || math.IsInf(cfg.Sample, 0):
		return bad("Sample", cfg.Sample, "must be finite")
	case cfg.Sample > 1:
		return bad("Sample", cfg.Sample, "must be <= 1")
	case math.IsNaN(cfg.Alpha) || math.IsInf(cfg.Alpha, 0):
		return bad("Alpha", cfg.Alpha, "must be finite")
	case cfg.Alpha < 0:
		return bad("Alpha", cfg.Alpha, fmt.Sprintf("must be >= 0 (0 means %v)", DefaultAlpha))
	case cfg.Alpha > maxAlpha:
		return bad("Alpha", cfg.Alpha, fmt.Sprintf("must be <= %v", maxAlpha))
	case math.IsNaN(cfg.MinAlpha) || math.IsInf(cfg.MinAlpha, 0):
		return bad("MinAlpha", cfg.MinAlpha, "must be finite")
	case cfg.MaxVectorBytes < 0:
		return bad("MaxVectorBytes", cfg.MaxVectorBytes, "must be >= 0 (0 means 16 GiB)")
	case cfg.ProgressEvery < 0:
		return bad("ProgressEvery", cfg.ProgressEvery, "must be >= 0 (0 means 1s)")
	}
	if alpha := cmp.Or(cfg.Alpha, DefaultAlpha); cfg.MinAlpha > alpha {
		return bad("MinAlpha", cfg.MinAlpha, fmt.Sprintf("must be <= Alpha (%v)", alpha))
	}
	for _, typ := range slices.Sorted(maps.Keys(cfg.TypeMinCount)) {
		if n := cfg.TypeMinCount[typ]; n < 0 {
			return bad(fmt.Sprintf("TypeMinCount[%q]", typ), n, "must be >= 0")
		}
	}
	if cfg.PlainText {
		switch {
		case cfg.Weights != nil:
			return bad("Weights", nil, "must be nil with PlainText: plain text has no interaction markers")
		case cfg.PurchaseContext:
			return bad("PurchaseContext", true, "must be false with PlainText: plain text has no purchase sections")
		case cfg.SkippedNegatives:
			return bad("SkippedNegatives", true, "must be false with PlainText: plain text has no skipped sections")
		}
	}
	if len(cfg.Weights) > maxMarkers {
		return bad("Weights", nil, fmt.Sprintf("has %d names: must be <= %d", len(cfg.Weights), maxMarkers))
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.Weights)) {
		w := cfg.Weights[name]
		field := fmt.Sprintf("Weights[%q]", name)
		switch {
		case name == "":
			return bad(field, w, "the marker name must not be empty")
		case strings.ContainsAny(name, "@|,=") || strings.ContainsFunc(name, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) }):
			return bad(field, w, "the marker name must not contain '@', '|', ',', '=' or white space")
		case math.IsNaN(float64(w)) || math.IsInf(float64(w), 0):
			return bad(field, w, "must be finite")
		case w < 0:
			return bad(field, w, "must be >= 0")
		case w > maxWeight:
			return bad(field, w, fmt.Sprintf("must be <= %d", maxWeight))
		}
	}
	return nil
}

// checkSize refuses a vocabulary of n tokens whose vectors would take more
// than cfg.MaxVectorBytes.
func (cfg *Config) checkSize(n int) error {
	need := 8 * float64(n) * float64(cfg.Dim) // input and output vectors, float32
	if need <= float64(cfg.MaxVectorBytes) {
		return nil
	}
	return fmt.Errorf("%w: %d tokens of Dim %d need %s of vectors, above Config.MaxVectorBytes (%s): raise MinCount or MaxVectorBytes",
		ErrTooLarge, n, cfg.Dim, mib(need), mib(float64(cfg.MaxVectorBytes)))
}

// mib formats a byte count in MiB, to one decimal.
func mib(b float64) string {
	return strconv.FormatFloat(math.Round(b/(1<<20)*10)/10, 'f', -1, 64) + " MiB"
}
