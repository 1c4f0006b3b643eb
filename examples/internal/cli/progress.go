package cli

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Every writes line(elapsed) on its own line to w once every tick, where
// elapsed is the time since the call, until stop is called: work that
// ends within one tick prints nothing. stop waits for a line being
// written to finish, so w is free once it returns; calling it again does
// nothing. A tick that is not positive writes nothing.
//
// The lines are written from a goroutine of Every's own: w and line must
// be safe to use from it while the caller goes on.
func Every(w io.Writer, tick time.Duration, line func(elapsed time.Duration) string) (stop func()) {
	if tick <= 0 {
		return func() {}
	}
	start := time.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				fmt.Fprintln(w, line(time.Since(start)))
			}
		}
	})
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			wg.Wait()
		})
	}
}

// Progress reports the stage a long run is in, and for counted stages how
// far it got, once a tick until stopped, as lines such as
//
//	tool: building the graph (2s)
//	tool: loading ranges.csv: 1048576 bytes read (4.1s)
//
// A run shorter than one tick prints nothing. A Progress is safe for
// concurrent use; its methods on a nil *Progress do nothing, so code that
// reports progress also runs without it.
type Progress struct {
	name  string
	mu    sync.Mutex
	stage string
	unit  string // of count; "" for a stage without one
	count atomic.Int64
	stop  func()
}

// StartProgress starts reporting to w every tick, with lines prefixed by
// name, in the stage "starting". Call Stop when the work ends.
func StartProgress(w io.Writer, name string, tick time.Duration) *Progress {
	p := &Progress{name: name, stage: "starting"}
	p.stop = Every(w, tick, p.line)
	return p
}

func (p *Progress) line(elapsed time.Duration) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed = elapsed.Round(100 * time.Millisecond)
	if p.unit == "" {
		return fmt.Sprintf("%s: %s (%v)", p.name, p.stage, elapsed)
	}
	return fmt.Sprintf("%s: %s: %d %s (%v)", p.name, p.stage, p.count.Load(), p.unit, elapsed)
}

// Stagef starts a stage without a count, described by a format and its
// arguments as in [fmt.Sprintf].
func (p *Progress) Stagef(format string, a ...any) {
	if p == nil {
		return
	}
	stage := fmt.Sprintf(format, a...)
	p.mu.Lock()
	p.stage, p.unit = stage, ""
	p.count.Store(0)
	p.mu.Unlock()
}

// Counting starts a stage whose progress is a count in unit (such as
// "bytes read"), from zero; [Progress.Add] counts.
func (p *Progress) Counting(stage, unit string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.stage, p.unit = stage, unit
	p.count.Store(0)
	p.mu.Unlock()
}

// Add adds n to the count of the current stage.
func (p *Progress) Add(n int64) {
	if p == nil {
		return
	}
	p.count.Add(n)
}

// Stop ends the reports; it returns once the last line is written.
func (p *Progress) Stop() {
	if p == nil {
		return
	}
	p.stop()
}
