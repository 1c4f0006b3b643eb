//go:build linux

package gpio

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/warthog618/go-gpiocdev"

	"github.com/craftkit/craftkit/rfid"
)

func TestMappingEvent(t *testing.T) {
	m := Mapping{D0: 17, D1: 18}
	tests := []struct {
		name string
		in   gpiocdev.LineEvent
		want rfid.Event
		ok   bool
	}{
		{"D0 falling", gpiocdev.LineEvent{Offset: 17, Timestamp: 5 * time.Second, Type: gpiocdev.LineEventFallingEdge, Seqno: 9, LineSeqno: 4},
			rfid.Event{Time: 5 * time.Second, Seq: 9, Line: rfid.D0, Edge: rfid.Falling}, true},
		{"D1 rising", gpiocdev.LineEvent{Offset: 18, Timestamp: 40 * time.Microsecond, Type: gpiocdev.LineEventRisingEdge, Seqno: 10},
			rfid.Event{Time: 40 * time.Microsecond, Seq: 10, Line: rfid.D1, Edge: rfid.Rising}, true},
		{"uAPI v1: no sequence number", gpiocdev.LineEvent{Offset: 18, Timestamp: time.Millisecond, Type: gpiocdev.LineEventFallingEdge},
			rfid.Event{Time: time.Millisecond, Line: rfid.D1, Edge: rfid.Falling}, true},
		{"other line", gpiocdev.LineEvent{Offset: 4, Type: gpiocdev.LineEventFallingEdge}, rfid.Event{}, false},
		{"unknown type", gpiocdev.LineEvent{Offset: 17, Type: 0}, rfid.Event{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := m.Event(tt.in)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

// recorded renders cards as the gpiocdev events a reader on lines 17 and
// 18 would produce, each frame 100 ms after the previous one.
func recorded(t *testing.T, both bool, cards ...uint32) []gpiocdev.LineEvent {
	g := &rfid.Generator{Jitter: 0.5, FallingOnly: !both, Sequence: true, Rand: rand.New(rand.NewPCG(1, 1)), Time: 3 * time.Hour}
	var ev []rfid.Event
	for _, n := range cards {
		raw, err := rfid.H10301.Encode(170, n)
		require.NoError(t, err)
		ev = g.Frame(ev, raw, 26)
		g.Pause(100 * time.Millisecond)
	}
	var out []gpiocdev.LineEvent
	for _, e := range ev {
		le := gpiocdev.LineEvent{Offset: 17 + int(e.Line), Timestamp: e.Time, Seqno: e.Seq, Type: gpiocdev.LineEventFallingEdge}
		if e.Edge == rfid.Rising {
			le.Type = gpiocdev.LineEventRisingEdge
		}
		out = append(out, le)
	}
	return out
}

// TestLoop runs the event loop on recorded events in a synctest bubble:
// frames are completed by edges and by ticks, a lost event is flagged,
// and cancellation stops the loop.
func TestLoop(t *testing.T) {
	for _, both := range []bool{false, true} {
		t.Run(map[bool]string{false: "falling", true: "both"}[both], func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				dec, err := rfid.NewDecoder(&rfid.Options{BothEdges: both})
				require.NoError(t, err)
				events := make(chan gpiocdev.LineEvent, 16)
				var mu sync.Mutex
				var got []rfid.Frame
				ctx, cancel := context.WithCancel(t.Context())
				done := make(chan struct{})
				go func() {
					loop(ctx, events, Mapping{D0: 17, D1: 18}, dec, func(f rfid.Frame) {
						mu.Lock()
						got = append(got, f)
						mu.Unlock()
					}, dec.Gap()/2, time.Now)
					close(done)
				}()

				rec := recorded(t, both, 1001, 50007, 1002)
				// Lose one event of the third frame, as an overflowing
				// buffer would; its sequence number goes missing.
				third := 2 * len(rec) / 3
				rec = append(rec[:third+3], rec[third+4:]...)
				start := time.Now()
				for i, e := range rec {
					// Deliver each event at its own time, relative to the first.
					if wait := e.Timestamp - rec[0].Timestamp - time.Since(start); wait > 0 {
						time.Sleep(wait)
					}
					events <- e
					if i == 0 {
						events <- gpiocdev.LineEvent{Offset: 5, Type: gpiocdev.LineEventFallingEdge} // another line: ignored
					}
				}
				time.Sleep(time.Second)
				synctest.Wait()

				mu.Lock()
				frames := append([]rfid.Frame(nil), got...)
				mu.Unlock()
				require.Len(t, frames, 3)
				for i, n := range []uint32{1001, 50007} {
					c, err := frames[i].Card(rfid.H10301)
					require.NoError(t, err)
					assert.Equal(t, rfid.Card{Facility: 170, Number: n}, c)
				}
				assert.True(t, errors.Is(frames[2].Err(), rfid.ErrLostEdge), "frame 3: %v", frames[2])

				cancel()
				<-done
			})
		})
	}
}

func TestNewConfig(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		gap  time.Duration
		want config
	}{
		{"defaults", nil, rfid.DefaultGap, config{DefaultConsumer, DefaultEventBufferSize, rfid.DefaultGap / 2}},
		{"set", []Option{WithConsumer("lab"), WithEventBufferSize(64), WithTick(time.Millisecond)}, rfid.DefaultGap,
			config{"lab", 64, time.Millisecond}},
		// Values that would make the channel or ticker panic fall back to the defaults.
		{"non-positive", []Option{WithConsumer(""), WithEventBufferSize(-1), WithTick(-time.Second)}, rfid.DefaultGap,
			config{DefaultConsumer, DefaultEventBufferSize, rfid.DefaultGap / 2}},
		{"tiny gap", nil, time.Nanosecond, config{DefaultConsumer, DefaultEventBufferSize, time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, newConfig(tt.opts, tt.gap))
		})
	}
}

// TestRunErrors covers what Run checks before and while requesting the
// lines; no GPIO chip is needed.
func TestRunErrors(t *testing.T) {
	dec, err := rfid.NewDecoder(nil)
	require.NoError(t, err)
	frames := func(rfid.Frame) {}
	assert.Error(t, Run(t.Context(), "gpiochip0", 17, 18, nil, frames))
	assert.Error(t, Run(t.Context(), "gpiochip0", 17, 18, dec, nil))
	err = Run(t.Context(), "/nonexistent/gpiochip99", 17, 18, dec, frames, WithTick(-1), WithEventBufferSize(-1))
	assert.ErrorContains(t, err, `gpio: chip "/nonexistent/gpiochip99": not a device under /dev`)
}

// TestRunErrorNamesChip checks that Run's errors name the chip as the
// caller gave it, with one "gpio:" prefix and no path made up by the
// driver (it used to print "lstat /dev//nonexistent").
func TestRunErrorNamesChip(t *testing.T) {
	dec, err := rfid.NewDecoder(nil)
	require.NoError(t, err)
	tests := []struct{ chip, want string }{
		{"/nonexistent", `gpio: chip "/nonexistent": not a device under /dev`},
		{"nonexistent", `gpio: requesting lines 17 and 18 of chip "nonexistent" (/dev/nonexistent): no such file or directory`},
		{"/dev//gpiochip99", `gpio: requesting lines 17 and 18 of chip "/dev//gpiochip99" (/dev/gpiochip99): no such file or directory`},
		{"", `gpio: empty chip name`},
		{"../x", `gpio: chip "../x": not a device under /dev`},
	}
	for _, tt := range tests {
		t.Run(tt.chip, func(t *testing.T) {
			err := Run(t.Context(), tt.chip, 17, 18, dec, func(rfid.Frame) {})
			require.Error(t, err)
			msg := err.Error()
			assert.Contains(t, msg, tt.want)
			assert.Equal(t, 1, strings.Count(msg, "gpio:"), msg)
			assert.NotContains(t, msg, "lstat", msg)
		})
	}
}
