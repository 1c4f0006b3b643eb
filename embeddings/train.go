package embeddings

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// ErrDiverged is wrapped by the error of [Train] and [TrainFile] when the
// vectors overflow float32 (a learning rate or weights far too high for
// the corpus): training stops instead of returning infinite or NaN
// vectors.
var ErrDiverged = errors.New("embeddings: training diverged")

const (
	blockTokens = 10000 // tokens per unit of work, as word2vec's progress step
	maxExp      = 6     // sigmoid argument clamp, as word2vec
	sigTable    = 1024  // sigmoid table entries over [-maxExp, maxExp]
)

// Train learns token vectors from a corpus of one session (or sentence)
// per line, read once from r; see [ParseSession] for the line format. The
// corpus is kept in memory as 4-byte token ids; use [TrainFile] for
// corpora larger than memory.
//
// Train returns ctx.Err() (wrapped) when ctx is cancelled, a *ParseError
// for a malformed line, an error wrapping [ErrEmptyVocabulary] when no
// token reaches its minimum count, a [*ConfigError] for a Config field
// outside its documented range, an error wrapping [ErrTooLarge] when the
// vocabulary's vectors would take more than Config.MaxVectorBytes, and an
// error wrapping [ErrDiverged] when the vectors overflow. It never panics
// and never returns a model with a NaN or infinite component.
func Train(ctx context.Context, r io.Reader, cfg Config) (*Model, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	return trainReader(ctx, r, &cfg)
}

// trainReader is Train after validation; tests call it with values
// outside Config's ranges to check the trainer's own guards.
func trainReader(ctx context.Context, r io.Reader, cfg *Config) (*Model, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("embeddings: train: %w", err)
	}
	mc, err := readCorpus(ctx, r, cfg)
	if err != nil {
		return nil, err
	}
	if len(mc.vocab.tokens) == 0 {
		return nil, emptyVocabulary(cfg)
	}
	if err := cfg.checkSize(len(mc.vocab.tokens)); err != nil {
		return nil, err
	}
	// Return the memory of the long tail of the vocabulary before the
	// vectors are allocated: it lowers the peak by the size of the
	// interning map.
	debug.FreeOSMemory()
	return trainMem(ctx, newTrainer(cfg, mc.vocab, mc.tokens), mc)
}

// trainMem runs t over the in-memory corpus mc for t.cfg.Epochs epochs.
func trainMem(ctx context.Context, t *trainer, mc *memCorpus) (*Model, error) {
	cfg := t.cfg
	blocks := mc.blocks
	var cursor atomic.Int64
	n := int64(len(blocks))
	next := func() (*block, int, bool) {
		i := cursor.Add(1) - 1
		if n == 0 || i >= n*int64(cfg.Epochs) {
			return nil, 0, false
		}
		return &blocks[i%n], int(i/n) + 1, true
	}
	if err := t.run(ctx, next, func(*block) {}); err != nil {
		return nil, err
	}
	return t.model()
}

// TrainFile is like [Train] for a corpus file too large for memory: it
// streams the file once to build the vocabulary and once per epoch to
// train, holding only the vectors, the vocabulary and a few blocks of
// sessions in memory.
func TrainFile(ctx context.Context, path string, cfg Config) (*Model, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	return trainFile(ctx, path, cfg, func(names []string, counts []int64) (*vocabulary, []int32) {
		return buildVocabulary(&cfg, names, counts)
	}, func(*trainer) {})
}

// trainFile is TrainFile after validation, with the vocabulary built by
// build from the file's tokens and counts and the vectors set by init
// before training.
func trainFile(ctx context.Context, path string, cfg Config, build func(names []string, counts []int64) (*vocabulary, []int32), init func(*trainer)) (*Model, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("embeddings: train: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("embeddings: train: %w", err) // *PathError names the file
	}
	defer f.Close()

	// Pass 1: vocabulary.
	lr := newLineReader(f)
	p := newLineParser(&cfg)
	c := newCounter()
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, readError(path, err)
		}
		if lr.line&0xfff == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("embeddings: train: %w", ctx.Err())
		}
		if err := p.parse(line); err != nil {
			return nil, p.fail(lr.line, line, err).in(path)
		}
		countLine(p, c)
	}
	vocab, remap := build(c.names, c.counts)
	if len(vocab.tokens) == 0 {
		return nil, emptyVocabulary(&cfg)
	}
	if err := cfg.checkSize(len(vocab.tokens)); err != nil {
		return nil, err
	}
	// Tokens per epoch: those of the file that are in the vocabulary.
	var perEpoch int64
	for i, id := range remap {
		if id >= 0 {
			perEpoch += c.counts[i]
		}
	}
	c = nil
	debug.FreeOSMemory() // as in Train: free the long tail before allocating vectors
	t := newTrainer(&cfg, vocab, perEpoch)
	init(t)

	// Pass 2..: one stream per epoch, parsed by a producer goroutine into
	// pooled blocks.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	nbuf := 2*cfg.Threads + 1
	free := make(chan *block, nbuf)
	for range nbuf {
		free <- &block{}
	}
	work := make(chan *block, nbuf)
	var prodErr error
	var prodWG sync.WaitGroup
	prodWG.Add(1)
	go func() {
		defer prodWG.Done()
		defer close(work)
		prodErr = produce(ctx, f, path, &cfg, vocab, free, work)
		if prodErr != nil {
			cancel(prodErr)
		}
	}()
	next := func() (*block, int, bool) {
		b, ok := <-work
		if !ok {
			return nil, 0, false
		}
		return b, b.epoch, true
	}
	release := func(b *block) { free <- b }
	err = t.run(ctx, next, release)
	cancel(nil)
	for range work { // unblock the producer
	}
	prodWG.Wait()
	if prodErr != nil {
		return nil, prodErr
	}
	if err != nil {
		return nil, err
	}
	return t.model()
}

// produce streams f once per epoch into blocks.
func produce(ctx context.Context, f *os.File, path string, cfg *Config, vocab *vocabulary, free <-chan *block, work chan<- *block) error {
	p := newLineParser(cfg)
	lookup := func(t []byte) (uint32, bool) {
		id, ok := vocab.index[string(t)]
		return id, ok
	}
	for epoch := 1; epoch <= cfg.Epochs; epoch++ {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("embeddings: train: %w", err)
		}
		lr := newLineReader(f)
		var b *block
		for {
			if b == nil {
				select {
				case b = <-free:
				case <-ctx.Done():
					return nil
				}
				b.reset()
				if p.markers == nil {
					b.marks = nil
				}
				b.epoch = epoch
			}
			line, err := lr.next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return readError(path, err)
			}
			if err := p.parse(line); err != nil {
				return p.fail(lr.line, line, err).in(path)
			}
			b.appendSession(cfg, p, lookup, lookup)
			if b.full() {
				select {
				case work <- b:
				case <-ctx.Done():
					return nil
				}
				b = nil
			}
		}
		if b != nil {
			select {
			case work <- b:
			case <-ctx.Done():
				return nil
			}
		}
	}
	return nil
}

// trainer holds the shared state of one training run. Workers update in
// and out without locks (Hogwild).
type trainer struct {
	cfg     *Config
	vocab   *vocabulary
	dim     int
	in, out []float32
	noise   noiseSampler
	keep    []uint32  // subsampling: keep a token when 32 random bits <= keep[id]
	weights []float32 // interaction weight by marker index; nil when off
	total   int64     // tokens to process over all epochs
	alpha0  float64
	alpha1  float64               // Config.MinAlpha; negative selects word2vec's schedule
	sig     [sigTable + 1]float32 // sigmoid over [-maxExp, maxExp]
	sp      [sigTable + 1]float32 // softplus over [-maxExp, maxExp], for the loss

	done atomic.Int64

	mu         sync.Mutex // guards the fields below
	start      time.Time
	lastReport time.Time
	lossSum    float64
	lossN      int64
	lastLoss   float64
}

func newTrainer(cfg *Config, vocab *vocabulary, perEpoch int64) *trainer {
	v, dim := len(vocab.tokens), cfg.Dim
	t := &trainer{
		cfg:    cfg,
		vocab:  vocab,
		dim:    dim,
		in:     make([]float32, v*dim),
		out:    make([]float32, v*dim),
		noise:  newNoiseSampler(vocab.counts, 0.75),
		keep:   make([]uint32, v),
		total:  perEpoch * int64(cfg.Epochs),
		alpha0: cfg.Alpha,
		alpha1: cfg.MinAlpha,
	}
	r := rng{s: cfg.Seed}
	for i := range t.in {
		// Uniform in [-1, 1) / dim, as gensim 4 (word2vec draws from
		// [-0.5, 0.5) / dim).
		t.in[i] = (float32(r.next()>>40)/(1<<23) - 1) / float32(dim)
	}
	var sum float64
	for _, c := range vocab.counts {
		sum += float64(c)
	}
	for i, c := range vocab.counts {
		keep := 1.0
		if cfg.Sample > 0 {
			// word2vec: keep with probability (sqrt(f/t)+1)*t/f, where
			// f is the token's count and t the threshold in counts.
			th := cfg.Sample * sum
			keep = (math.Sqrt(float64(c)/th) + 1) * th / float64(c)
		}
		t.keep[i] = prob32(keep)
	}
	if ms := newMarkerSet(cfg.Weights); ms != nil {
		t.weights = ms.weights
	}
	for i := range t.sig {
		x := (float64(i)/sigTable*2 - 1) * maxExp
		t.sig[i] = float32(1 / (1 + math.Exp(-x)))
		t.sp[i] = float32(math.Log1p(math.Exp(x)))
	}
	return t
}

// alphaAt returns the learning rate after done tokens of all epochs and
// threads. Without a MinAlpha it is word2vec's schedule, a linear decay
// toward 0 floored at alpha0*1e-4; with one, a linear decay from alpha0
// to alpha1 (gensim's min_alpha), never below alpha1.
func (t *trainer) alphaAt(done int64) float32 {
	frac := float64(done) / float64(t.total+1)
	if t.alpha1 > 0 {
		return float32(max(t.alpha0-(t.alpha0-t.alpha1)*frac, t.alpha1))
	}
	a := t.alpha0 * (1 - frac)
	if a < t.alpha0*1e-4 {
		a = t.alpha0 * 1e-4
	}
	return float32(a)
}

// run trains with cfg.Threads workers pulling blocks from next.
func (t *trainer) run(ctx context.Context, next func() (*block, int, bool), release func(*block)) error {
	t.start = t.cfg.Now()
	t.lastReport = t.start
	if t.cfg.Progress != nil {
		t.report(1, t.start)
	}
	// A worker that fails stops the others through ctx.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, t.cfg.Threads)
	var wg sync.WaitGroup
	for id := range t.cfg.Threads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[id] = t.work(ctx, id, next, release); errs[id] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err // the first worker's; the others report the same problem
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("embeddings: train: %w", context.Cause(ctx))
	}
	if t.cfg.Progress != nil {
		t.mu.Lock()
		t.report(t.cfg.Epochs, t.cfg.Now())
		t.mu.Unlock()
	}
	return nil
}

// worker is one training goroutine's private state.
type worker struct {
	t       *trainer
	r       rng
	neu1e   []float32
	sen     []uint32
	marks   []uint8
	lossSum float64
	lossN   int64
}

func (t *trainer) work(ctx context.Context, id int, next func() (*block, int, bool), release func(*block)) error {
	w := &worker{
		t:     t,
		r:     rng{s: t.cfg.Seed ^ (uint64(id+1) * 0x9e3779b97f4a7c15)},
		neu1e: make([]float32, t.dim),
	}
	for {
		if ctx.Err() != nil {
			return nil // run reports the cause
		}
		b, epoch, ok := next()
		if !ok {
			return nil
		}
		w.trainBlock(b)
		n := b.tokens
		release(b) // b belongs to the producer from here on
		if math.IsNaN(w.lossSum) || math.IsInf(w.lossSum, 0) {
			// A dot product overflowed: the vectors are no longer finite.
			return t.diverged(epoch)
		}
		t.done.Add(n)
		t.mu.Lock()
		t.lossSum += w.lossSum
		t.lossN += w.lossN
		w.lossSum, w.lossN = 0, 0
		if t.cfg.Progress != nil {
			if now := t.cfg.Now(); now.Sub(t.lastReport) >= t.cfg.ProgressEvery {
				t.report(epoch, now)
			}
		}
		t.mu.Unlock()
	}
}

// report calls the progress hook; t.mu must be held.
func (t *trainer) report(epoch int, now time.Time) {
	done := t.done.Load()
	el := now.Sub(t.start)
	pr := Progress{Tokens: done, Total: t.total, Epoch: epoch, Alpha: float64(t.alphaAt(done)), Elapsed: el}
	if s := el.Seconds(); s > 0 {
		pr.TokensPerSecond = float64(done) / s
		if pr.TokensPerSecond > 0 && done < t.total {
			pr.ETA = time.Duration(float64(t.total-done) / pr.TokensPerSecond * float64(time.Second))
		}
	}
	if t.lossN > 0 {
		t.lastLoss = t.lossSum / float64(t.lossN)
	}
	pr.Loss = t.lastLoss
	t.lossSum, t.lossN = 0, 0
	t.lastReport = now
	t.cfg.Progress(pr)
}

// trainBlock trains on every session of b.
func (w *worker) trainBlock(b *block) {
	t := w.t
	window := uint64(t.cfg.Window)
	weighted := t.weights != nil && b.marks != nil
	base := t.done.Load()
	var local int64
	for _, sp := range b.spans {
		alpha := t.alphaAt(base + local)
		local += int64(sp.end - sp.start)
		sen := w.sen[:0]
		marks := w.marks[:0]
		for i := sp.start; i < sp.end; i++ {
			id := b.ids[i]
			if uint32(w.r.next()) > t.keep[id] {
				continue
			}
			sen = append(sen, id)
			if weighted {
				marks = append(marks, b.marks[i])
			}
		}
		w.sen, w.marks = sen, marks
		skipped := b.skipped[sp.skipStart:sp.skipEnd]
		purchases := b.purchases[sp.purStart:sp.purEnd]
		outScale := min(1, float32(window+1)/float32(max(len(sen), 1))) // see purchase
		for pos, c := range sen {
			half := 1 + int((uint64(uint32(w.r.next()))*window)>>32)
			lo, hi := max(pos-half, 0), min(pos+half, len(sen)-1)
			a := alpha
			if weighted {
				a *= t.weights[marks[pos]]
			}
			for j := lo; j <= hi; j++ {
				if j != pos {
					w.pair(sen[j], c, a)
				}
			}
			for _, p := range purchases {
				if p != c {
					w.purchase(c, p, a, outScale)
				}
			}
			for _, s := range skipped {
				if s != c {
					w.single(c, s, 0, a)
				}
			}
		}
		w.actionSkips(b, sp, alpha, weighted)
	}
}

// actionSkips applies the per-action skipped lists of the session sp.
// Each token x within Config.SkippedWindow of an action c (the query that
// showed the results, say) takes, for each item s skipped for c, one
// pairwise ranking step preferring c to s at twice the learning rate
// (see prefer) that moves x only. With a negative SkippedWindow, the action alone takes a
// negative step against each s, as for a noise token. Subsampling does
// not drop these steps: a list is explicit feedback on one action.
func (w *worker) actionSkips(b *block, sp span, alpha float32, weighted bool) {
	t := w.t
	win := int32(t.cfg.SkippedWindow)
	for _, ac := range b.acts[sp.actStart:sp.actEnd] {
		a := alpha
		if weighted {
			a *= t.weights[b.marks[ac.pos]]
		}
		c := b.ids[ac.pos]
		if win < 0 {
			for _, s := range b.actSkip[ac.start:ac.end] {
				if s != c {
					w.single(c, s, 0, a)
				}
			}
			continue
		}
		lo, hi := max(ac.pos-win, sp.start), min(ac.pos+win, sp.end-1)
		for _, s := range b.actSkip[ac.start:ac.end] {
			for j := lo; j <= hi; j++ {
				if j != ac.pos {
					w.prefer(b.ids[j], c, s, skipRate*a)
				}
			}
		}
	}
}

// skipRate scales the learning rate of the pairwise steps of per-action
// skipped lists. Measured on planted searches (bench/embeddings
// extensions.sh, 3 seeds, 2 skipped items per click), gain in
// clicked-over-skipped ranking and change of item P@10 after 1 and 5
// epochs: at 2, +16 and +37 points for −0.005 ± 0.018 and −0.005 ±
// 0.004; at 4, +21 and +39 points for −0.010 and +0.029; with 8 skipped
// items per click, at 2, +26 and +40 points for −0.020 and +0.058.
const skipRate = 2

// prefer takes one pairwise ranking step (BPR) for context token x
// preferring the chosen token c to the skipped token s, on input vectors:
// with d = v_x·v_c − v_x·v_s and g = α·(1 − σ(d)): v_x += g·(v_c − v_s).
// Only x moves. A skip says that x's user preferred c to s, not that s
// is a poor item: s may be the right result for another query. Moving c
// and s as well (v_c += g·v_x, v_s −= g·v_x, the symmetric BPR step)
// pushed skipped items out of their category: it cost item P@10 0.148 ±
// 0.020 after 5 epochs on planted searches, and 0.229 ± 0.011 with 8
// skipped items per click, where moving x alone costs nothing
// measurable (see skipRate).
func (w *worker) prefer(x, c, s uint32, alpha float32) {
	t := w.t
	dim := t.dim
	if c == s || x == c || x == s {
		return
	}
	vx := t.in[int(x)*dim : int(x)*dim+dim : int(x)*dim+dim]
	vc := t.in[int(c)*dim : int(c)*dim+dim : int(c)*dim+dim]
	vs := t.in[int(s)*dim : int(s)*dim+dim : int(s)*dim+dim]
	d := dot(vx, vc) - dot(vx, vs)
	var g float32
	switch {
	case d > maxExp:
		return
	case d < -maxExp:
		g = alpha
	case d >= -maxExp:
		g = (1 - t.sig[min(int((d+maxExp)*(sigTable/(2*maxExp))), sigTable)]) * alpha
	default: // NaN: let the loss report the divergence
		w.lossSum += float64(d)
		return
	}
	axpy(g, vc, vx)
	axpy(-g, vs, vx)
}

// pair trains one Skip-gram pair as word2vec does: the context token's
// input vector predicts the centre token's output vector against
// Negative noise tokens.
func (w *worker) pair(ctxTok, centre uint32, alpha float32) {
	t := w.t
	dim := t.dim
	l1 := t.in[int(ctxTok)*dim : int(ctxTok)*dim+dim : int(ctxTok)*dim+dim]
	neu1e := w.neu1e[:dim:dim]
	clear(neu1e)
	w.step(l1, neu1e, centre, 1, alpha)
	for range t.cfg.Negative {
		target := t.noise.draw(w.r.next())
		if target == centre {
			continue
		}
		w.step(l1, neu1e, target, 0, alpha)
	}
	axpy(1, neu1e, l1)
}

// single trains one example (label 1 pulls, 0 pushes) of the input vector
// of tok against the output vector of target, without noise tokens.
func (w *worker) single(tok, target uint32, label, alpha float32) {
	t := w.t
	dim := t.dim
	l1 := t.in[int(tok)*dim : int(tok)*dim+dim : int(tok)*dim+dim]
	neu1e := w.neu1e[:dim:dim]
	clear(neu1e)
	w.step(l1, neu1e, target, label, alpha)
	axpy(1, neu1e, l1)
}

// purchase takes the purchase-context step of centre c toward the
// purchase p, the positive logistic step of single with the output side
// scaled: g = α·(1 − σ(v_c·u_p)); v_c += g·u_p; u_p += outScale·g·v_c
// (old v_c). trainBlock passes outScale = min(1, (Window+1)/n) for a
// session of n kept tokens, so that a purchase's output vector moves per
// session about as much as one ordinary occurrence as context (about
// Window+1 centres with word2vec's reduced windows) rather than once for
// every token. At full scale u_p takes a step from every token of every
// session that bought p, wandering items of other categories included,
// and after several epochs the regular updates spread it into the input
// vectors: on bench/embeddings extensions.sh item P@10 changes by
// −0.013 ± 0.005 at 5 epochs at full scale, −0.031 when only u_p moves,
// +0.018 ± 0.006 at 1/√n, +0.007 ± 0.006 at (Window+1)/n, whose held-out
// purchase hit@10 gain is the largest of the scaled ones (+172 %).
func (w *worker) purchase(c, p uint32, alpha, outScale float32) {
	t := w.t
	dim := t.dim
	l1 := t.in[int(c)*dim : int(c)*dim+dim : int(c)*dim+dim]
	l2 := t.out[int(p)*dim : int(p)*dim+dim : int(p)*dim+dim]
	f := dot(l1, l2)
	var g float32
	switch {
	case f > maxExp:
		w.lossN++
		return // g = 0
	case f < -maxExp:
		g = alpha
		w.lossSum -= float64(f)
	case f >= -maxExp: // and f <= maxExp: not NaN
		i := min(int((f+maxExp)*(sigTable/(2*maxExp))), sigTable)
		g = (1 - t.sig[i]) * alpha
		w.lossSum += float64(t.sp[sigTable-i]) // softplus(-f)
	default: // NaN: the vectors overflowed; no update, and the NaN loss stops the worker
		w.lossSum += float64(f)
		w.lossN++
		return
	}
	w.lossN++
	old := w.neu1e[:dim:dim]
	copy(old, l1)
	axpy(g, l2, l1)
	axpy(outScale*g, old, l2)
}

// step is one logistic-regression step of l1 against target's output
// vector; the input gradient is accumulated in neu1e.
func (w *worker) step(l1, neu1e []float32, target uint32, label, alpha float32) {
	t := w.t
	dim := t.dim
	l2 := t.out[int(target)*dim : int(target)*dim+dim : int(target)*dim+dim]
	f := dot(l1, l2)
	var g float32
	switch {
	case f > maxExp:
		g = (label - 1) * alpha
		if label == 0 {
			w.lossSum += float64(f)
		}
	case f < -maxExp:
		g = label * alpha
		if label == 1 {
			w.lossSum -= float64(f)
		}
	case f >= -maxExp: // and f <= maxExp: not NaN
		// min guards the table against rounding at f == maxExp.
		i := min(int((f+maxExp)*(sigTable/(2*maxExp))), sigTable)
		g = (label - t.sig[i]) * alpha
		if label == 1 {
			w.lossSum += float64(t.sp[sigTable-i]) // softplus(-f)
		} else {
			w.lossSum += float64(t.sp[i]) // softplus(f)
		}
	default: // NaN: the vectors overflowed; no update, and the NaN loss stops the worker
		w.lossSum += float64(f)
		w.lossN++
		return
	}
	w.lossN++
	update2(g, l1, l2, neu1e)
}

// diverged returns the error of a training whose vectors overflowed.
func (t *trainer) diverged(epoch int) error {
	return fmt.Errorf("%w in epoch %d at learning rate %g (Config.Alpha %g): lower Alpha or Weights",
		ErrDiverged, epoch, t.alphaAt(t.done.Load()), t.alpha0)
}

// model freezes the input vectors, and the output vectors when
// Config.KeepOutputs is set, into a Model. It returns an error
// wrapping ErrDiverged if a component is not finite: the last updates
// can overflow without a NaN dot product showing it.
func (t *trainer) model() (*Model, error) {
	sets := []struct {
		name string
		vecs []float32
	}{{"input", t.in}}
	if t.cfg.KeepOutputs {
		sets = append(sets, struct {
			name string
			vecs []float32
		}{"output", t.out})
	}
	for _, set := range sets {
		for i, x := range set.vecs {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, fmt.Errorf("%w: component %d of the %s vector of %q is %v (Config.Alpha %g): lower Alpha or Weights",
					ErrDiverged, i%t.dim+1, set.name, t.vocab.tokens[i/t.dim], x, t.alpha0)
			}
		}
	}
	m := newModel(t.dim, t.vocab.tokens, t.vocab.counts, t.in)
	if t.cfg.KeepOutputs {
		m.withOutputs(t.out)
	}
	return m, nil
}
