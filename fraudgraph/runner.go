package fraudgraph

import (
	"context"
	"sync"
)

// RunnerConfig configures a [Runner]. The zero RunnerConfig means one
// worker and a queue of 1024 inputs.
//
// It is a plain value, safe for concurrent reads but not for concurrent
// modification.
type RunnerConfig struct {
	Workers int // goroutines running heavy checks; 0 means 1
	Queue   int // inputs waiting; 0 means 1024
	// OnDecision receives every decision (and the joined check errors)
	// from a worker goroutine. It may be nil.
	OnDecision func(Decision, error)
}

// Runner runs an engine's heavy rules asynchronously from a bounded
// queue.
//
// # Goroutine lifetime
//
// NewRunner starts Workers goroutines. They exit when [Runner.Close] has
// been called and the queue is drained, or as soon as the context given to
// NewRunner is cancelled (queued inputs are then dropped). Close waits for
// them. A Runner is safe for concurrent use.
type Runner struct {
	e    *Engine
	ctx  context.Context
	q    chan Input
	wg   sync.WaitGroup
	mu   sync.RWMutex // guards done against sends on a closed channel
	done bool
	on   func(Decision, error)
}

// NewRunner starts a runner for e's heavy rules; see the type's doc for
// the goroutines' lifetime. A nil ctx is treated as context.Background().
func NewRunner(ctx context.Context, e *Engine, cfg RunnerConfig) *Runner {
	if ctx == nil {
		ctx = context.Background()
	}
	workers := max(cfg.Workers, 1)
	queue := cfg.Queue
	if queue <= 0 {
		queue = 1024
	}
	r := &Runner{e: e, ctx: ctx, q: make(chan Input, queue), on: cfg.OnDecision}
	r.wg.Add(workers)
	for range workers {
		go r.work()
	}
	return r
}

func (r *Runner) work() {
	defer r.wg.Done()
	for {
		select {
		case <-r.ctx.Done():
			return
		case in, ok := <-r.q:
			if !ok {
				return
			}
			d, err := r.e.DecideHeavy(r.ctx, in)
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

// Close stops accepting inputs, lets the workers finish the queue and
// waits for them. It is safe to call more than once.
func (r *Runner) Close() error {
	r.mu.Lock()
	if !r.done {
		r.done = true
		close(r.q)
	}
	r.mu.Unlock()
	r.wg.Wait()
	return nil
}
