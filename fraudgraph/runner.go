package fraudgraph

import (
	"context"
	"errors"
	"sync"
)

// RunnerConfig configures a [Runner]. The zero RunnerConfig means one
// worker and a queue of 1024 inputs.
type RunnerConfig struct {
	Workers int // goroutines running heavy checks; 0 means 1
	Queue   int // inputs waiting; 0 means 1024
	// OnDecision receives every decision (and the joined check errors)
	// from a worker goroutine. It may be nil.
	OnDecision func(Decision, error)
}

// Runner runs an engine's heavy rules asynchronously from a bounded
// queue: [Runner.Submit] queues inputs without blocking and [Runner.Run]
// works through them.
//
// NewRunner starts no goroutines. Run starts Workers goroutines and
// blocks until they have exited: after [Runner.Close] once the queue is
// drained (Run returns nil), or as soon as Run's context is done (Run
// returns the context's error; inputs still queued stay queued). A typical
// owner runs it as
//
//	done := make(chan error, 1)
//	go func() { done <- r.Run(ctx) }()
//	... r.Submit(in) ...
//	r.Close()
//	err := <-done
//
// The zero Runner is not usable; call [NewRunner]. A Runner is safe for
// concurrent use.
type Runner struct {
	e    *Engine
	q    chan Input
	n    int
	on   func(Decision, error)
	mu   sync.RWMutex // guards done against sends on a closed channel
	done bool
}

// errNilContext reports a nil context given to [Runner.Run].
var errNilContext = errors.New("fraudgraph: Runner.Run: nil context")

// NewRunner returns a runner for e's heavy rules; it starts no goroutines
// (see [Runner.Run]).
func NewRunner(e *Engine, cfg RunnerConfig) *Runner {
	queue := cfg.Queue
	if queue <= 0 {
		queue = 1024
	}
	return &Runner{e: e, q: make(chan Input, queue), n: max(cfg.Workers, 1), on: cfg.OnDecision}
}

// Run runs the heavy rules for queued inputs on RunnerConfig.Workers
// goroutines and waits for them; see [Runner] for when it returns. ctx is
// passed to every check and must not be nil (a nil ctx returns an error
// at once).
func (r *Runner) Run(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	var wg sync.WaitGroup
	for range r.n {
		wg.Go(func() { r.work(ctx) })
	}
	wg.Wait()
	return ctx.Err()
}

func (r *Runner) work(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case in, ok := <-r.q:
			if !ok {
				return
			}
			d, err := r.e.DecideHeavy(ctx, in)
			if r.on != nil {
				r.on(d, err)
			}
		}
	}
}

// Submit queues in for the heavy rules. It never blocks: it returns
// [ErrQueueFull] when the queue is full and [ErrClosed] after Close.
func (r *Runner) Submit(in Input) error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.done {
		return ErrClosed
	}
	select {
	case r.q <- in:
		return nil
	default:
		return ErrQueueFull
	}
}

// Close stops accepting inputs; a running [Runner.Run] finishes the queue
// and returns. Close does not wait for it. It is safe to call more than
// once and always returns nil.
func (r *Runner) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.done {
		r.done = true
		close(r.q)
	}
	return nil
}
