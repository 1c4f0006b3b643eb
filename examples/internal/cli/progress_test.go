package cli

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// The tests read what was written only after stop: stop waits for the
// reporting goroutine, so a plain strings.Builder is safe here.

func TestEvery(t *testing.T) {
	tests := []struct {
		name string
		tick time.Duration
		work time.Duration
		want string
	}{
		{"shorter than a tick", 2 * time.Second, time.Second, ""},
		{"a line per tick", 2 * time.Second, 5 * time.Second, "working 2s\nworking 4s\n"},
		{"ends on a tick", time.Second, 2*time.Second + time.Millisecond, "working 1s\nworking 2s\n"},
		{"no tick", 0, 5 * time.Second, ""},
		{"negative tick", -time.Second, 5 * time.Second, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var w strings.Builder
				stop := Every(&w, tt.tick, func(elapsed time.Duration) string { return "working " + elapsed.String() })
				time.Sleep(tt.work) // fake time inside the bubble
				stop()
				stop() // a second stop does nothing
				if got := w.String(); got != tt.want {
					t.Errorf("Every(tick %v) over %v wrote %q, want %q", tt.tick, tt.work, got, tt.want)
				}
			})
		})
	}
}

// Stop returns only once the reporting goroutine has ended: nothing is
// written after it, however long the caller goes on.
func TestEveryStopWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var w strings.Builder
		stop := Every(&w, time.Second, func(time.Duration) string { return "tick" })
		time.Sleep(1500 * time.Millisecond)
		stop()
		before := w.String()
		time.Sleep(time.Minute)
		if got := w.String(); got != before || got != "tick\n" {
			t.Errorf("output after stop = %q, want %q unchanged", got, "tick\n")
		}
	})
}

func TestProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var w strings.Builder
		p := StartProgress(&w, "tool", 2*time.Second)
		time.Sleep(2500 * time.Millisecond)
		p.Stagef("building %d accounts", 5)
		time.Sleep(2 * time.Second)
		p.Counting("loading x.csv", "bytes read")
		p.Add(40)
		p.Add(2)
		time.Sleep(1900 * time.Millisecond)
		p.Counting("looking up", "addresses")
		p.Add(7)
		time.Sleep(200 * time.Millisecond)
		p.Stagef("done")
		time.Sleep(time.Second)
		p.Stop()
		want := "tool: starting (2s)\n" +
			"tool: building 5 accounts (4s)\n" +
			"tool: loading x.csv: 42 bytes read (6s)\n"
		if got := w.String(); got != want {
			t.Errorf("progress lines = %q, want %q", got, want)
		}
	})
}

func TestProgressRoundsElapsed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var w strings.Builder
		p := StartProgress(&w, "tool", 1234*time.Millisecond)
		time.Sleep(1300 * time.Millisecond)
		p.Stop()
		if got, want := w.String(), "tool: starting (1.2s)\n"; got != want {
			t.Errorf("progress line = %q, want %q", got, want)
		}
	})
}

// Methods on a nil *Progress do nothing, so work can run without one.
func TestNilProgress(t *testing.T) {
	var p *Progress
	p.Stagef("x %d", 1)
	p.Counting("y", "z")
	p.Add(1)
	p.Stop()
}
