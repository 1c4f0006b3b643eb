//go:build linux

package gpio

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/warthog618/go-gpiocdev"

	"github.com/craftkit/craftkit/rfid"
)

// minTick is the shortest default tick, for decoders with tiny gaps.
const minTick = time.Millisecond

// newConfig applies opts over the defaults for a decoder with the given
// frame gap.
func newConfig(opts []Option, gap time.Duration) config {
	var c config
	for _, o := range opts {
		o(&c)
	}
	c.consumer = cmp.Or(c.consumer, DefaultConsumer)
	if c.bufferSize <= 0 {
		c.bufferSize = DefaultEventBufferSize
	}
	if c.tick <= 0 {
		c.tick = max(gap/2, minTick)
	}
	return c
}

// Mapping translates go-gpiocdev line events of one reader into decoder
// events. The lines must be requested active-high (the default), so that a
// falling edge is the start of a Wiegand pulse.
//
// The zero Mapping maps both lines to offset 0 and is not useful; set
// both fields. A Mapping is a value, safe to share.
type Mapping struct {
	D0, D1 int // line offsets of DATA0 and DATA1
}

// Event converts a line event. ok is false for events on other lines or of
// unknown type.
func (m Mapping) Event(e gpiocdev.LineEvent) (ev rfid.Event, ok bool) {
	switch e.Offset {
	case m.D0:
		ev.Line = rfid.D0
	case m.D1:
		ev.Line = rfid.D1
	default:
		return rfid.Event{}, false
	}
	switch e.Type {
	case gpiocdev.LineEventFallingEdge:
		ev.Edge = rfid.Falling
	case gpiocdev.LineEventRisingEdge:
		ev.Edge = rfid.Rising
	default:
		return rfid.Event{}, false
	}
	ev.Time = e.Timestamp
	ev.Seq = e.Seqno
	return ev, true
}

// Run requests lines d0 (DATA0) and d1 (DATA1) of chip (a name such as
// "gpiochip0" or a path such as "/dev/gpiochip0"), feeds their edges to
// dec and calls frames, on the calling goroutine, with every frame dec
// completes. It blocks until ctx is done, then releases the lines and
// returns nil; it returns an error if dec or frames is nil or the lines
// cannot be requested. Errors name the chip as given and the device path
// it stands for; a path outside /dev is refused.
//
// Run resets dec first: each line request numbers its events from 1. A
// frame still in progress when ctx is done stays in dec ([rfid.Decoder.Flush]
// returns it).
func Run(ctx context.Context, chip string, d0, d1 int, dec *rfid.Decoder, frames func(rfid.Frame), opts ...Option) error {
	if dec == nil || frames == nil {
		return fmt.Errorf("gpio: Run on chip %q needs a decoder and a frames callback", chip)
	}
	path, err := chipPath(chip)
	if err != nil {
		return err
	}
	c := newConfig(opts, dec.Gap())
	events := make(chan gpiocdev.LineEvent, c.bufferSize)
	handler := func(e gpiocdev.LineEvent) {
		select {
		case events <- e:
		default: // overflow: the sequence-number gap marks the frame bad
		}
	}
	var edges gpiocdev.LineEdge = gpiocdev.WithFallingEdge
	if dec.BothEdges() {
		edges = gpiocdev.WithBothEdges
	}
	lines, err := gpiocdev.RequestLines(path, []int{d0, d1},
		gpiocdev.AsInput,
		gpiocdev.WithPullUp,
		edges,
		gpiocdev.WithEventBufferSize(c.bufferSize),
		gpiocdev.WithConsumer(c.consumer),
		gpiocdev.WithEventHandler(handler),
	)
	if err != nil {
		// The driver's *fs.PathError names its own path; name the chip
		// as the caller gave it, and the path it stands for, once.
		if pe, ok := errors.AsType[*fs.PathError](err); ok {
			err = pe.Err
		}
		return fmt.Errorf("gpio: requesting lines %d and %d of chip %q (%s): %w", d0, d1, chip, path, err)
	}
	defer lines.Close()
	dec.Reset()
	loop(ctx, events, Mapping{D0: d0, D1: d1}, dec, frames, c.tick, time.Now)
	return nil
}

// chipPath returns the device path of a chip given by name ("gpiochip0",
// which is looked up in /dev) or path ("/dev/gpiochip0"). go-gpiocdev puts
// "/dev/" before anything else, so a path outside /dev is refused here,
// naming it as given.
func chipPath(chip string) (string, error) {
	if chip == "" {
		return "", errors.New("gpio: empty chip name (want e.g. gpiochip0 or /dev/gpiochip0)")
	}
	if !strings.Contains(chip, "/") {
		return "/dev/" + chip, nil
	}
	p := filepath.Clean(chip)
	if !strings.HasPrefix(p, "/dev/") {
		return "", fmt.Errorf("gpio: chip %q: not a device under /dev (want e.g. gpiochip0 or /dev/gpiochip0)", chip)
	}
	return p, nil
}

// loop is Run's event loop, separate from the line request so that it can
// be tested with recorded events. Ticks estimate the kernel clock as the
// last event's timestamp plus the local time elapsed since it arrived.
func loop(ctx context.Context, events <-chan gpiocdev.LineEvent, m Mapping, dec *rfid.Decoder,
	frames func(rfid.Frame), tick time.Duration, now func() time.Time) {
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	var lastTS time.Duration
	var lastAt time.Time
	seen := false
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-events:
			ev, ok := m.Event(e)
			if !ok {
				continue
			}
			lastTS, lastAt, seen = e.Timestamp, now(), true
			if f, ok := dec.Edge(ev); ok {
				frames(f)
			}
		case <-ticker.C:
			// With edges still queued the estimate below may already
			// exceed the gap although the next edge came in time (the
			// goroutine was slow, not the reader): handle the edges first.
			if !seen || len(events) > 0 {
				continue
			}
			if f, ok := dec.Tick(lastTS + now().Sub(lastAt)); ok {
				frames(f)
			}
		}
	}
}
