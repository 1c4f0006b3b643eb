package rfid

import (
	"fmt"
	"strings"
	"time"
)

// Defaults used for zero [Options] fields.
const (
	// DefaultGap is the silence that ends a frame: longer than the longest
	// bit interval of the reader specification (20 ms), the value the
	// Arduino Wiegand library uses.
	DefaultGap = 25 * time.Millisecond

	// DefaultMinPulse is the shortest pulse accepted in both-edge mode;
	// the reader specification's shortest pulse is 20 µs.
	DefaultMinPulse = 10 * time.Microsecond

	// MaxBits is the longest frame the decoder can hold.
	MaxBits = 64

	// minSafeGap is the gap below which [Decoder.Warning] warns.
	minSafeGap = 20 * time.Millisecond
)

// Options configures a [Decoder]. The zero value (and a nil *Options) means
// falling-edge mode with the defaults below. [NewDecoder] copies it, so an
// Options may be reused and shared once passed.
type Options struct {
	// Gap is the silence after the last edge that ends a frame; 0 means
	// DefaultGap (25 ms). A gap below 20 ms is accepted but reported by
	// [Decoder.Warning], since readers may space bits up to 20 ms apart.
	Gap time.Duration

	// BothEdges selects both-edge mode: the decoder expects falling and
	// rising edges, measures each pulse, ignores pulses shorter than
	// MinPulse as glitches, and marks pulses missing an edge. In the
	// default falling-edge mode each falling edge is a bit and rising edges
	// are ignored.
	BothEdges bool

	// MinPulse is, in both-edge mode, the shortest pulse taken as a bit;
	// in falling-edge mode, two falling edges closer than MinPulse on
	// different lines mark the frame [ErrBothLow] and on the same line the
	// second is ignored as bounce. 0 means DefaultMinPulse (10 µs).
	MinPulse time.Duration

	// MaxBits is the longest valid frame, 1 to 64; 0 means 64. Longer
	// frames are marked [ErrOverflow] and keep only their first MaxBits bits.
	MaxBits int
}

// Fault is a set of reasons a frame is bad. The zero Fault means a good
// frame. Faults are values, safe to share.
type Fault uint8

// The faults a [Decoder] detects. Each corresponds to a sentinel error.
const (
	// FaultBothLow means both lines were low at once ([ErrBothLow]).
	FaultBothLow Fault = 1 << iota
	// FaultOverflow means more bits than the maximum ([ErrOverflow]).
	FaultOverflow
	// FaultLostEdge means an edge was lost ([ErrLostEdge]).
	FaultLostEdge
	// FaultOrder means timestamps went backwards ([ErrOrder]).
	FaultOrder
	// FaultEvent means an event had an invalid line or edge ([ErrEvent]).
	FaultEvent
)

// faultErr returns the sentinel for fault bit i, or nil.
func faultErr(i int) error {
	switch Fault(1) << i {
	case FaultBothLow:
		return ErrBothLow
	case FaultOverflow:
		return ErrOverflow
	case FaultLostEdge:
		return ErrLostEdge
	case FaultOrder:
		return ErrOrder
	case FaultEvent:
		return ErrEvent
	}
	return nil
}

// String lists the faults, e.g. "lost edge, both lines low"; "ok" if none.
func (f Fault) String() string {
	if f == 0 {
		return "ok"
	}
	var parts []string
	for i := range 8 {
		if f&(1<<i) == 0 {
			continue
		}
		if err := faultErr(i); err != nil {
			parts = append(parts, strings.TrimPrefix(err.Error(), "rfid: "))
		} else {
			parts = append(parts, fmt.Sprintf("fault %d", i))
		}
	}
	return strings.Join(parts, ", ")
}

// Errors returns the sentinel errors for the faults in f, in bit order.
func (f Fault) Errors() []error {
	var errs []error
	for i := range 8 {
		if f&(1<<i) != 0 {
			if err := faultErr(i); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errs
}

// FrameError is the error of a bad frame. It matches, with [errors.Is],
// the sentinel of every fault it holds ([ErrLostEdge], [ErrBothLow], ...).
// It is not modified after creation and safe to share.
type FrameError struct {
	Bits  int   // bits received
	Fault Fault // why the frame is bad
}

// Error returns e.g. "rfid: bad frame (25 bits): lost edge".
func (e *FrameError) Error() string {
	return fmt.Sprintf("rfid: bad frame (%d bits): %v", e.Bits, e.Fault)
}

// Unwrap returns the fault sentinels.
func (e *FrameError) Unwrap() []error { return e.Fault.Errors() }

// Frame is one Wiegand transmission: the bits between two silences.
//
// The zero Frame is an empty frame. Frames are values, safe to share.
type Frame struct {
	// Raw holds the bits, the first received most significant.
	Raw uint64
	// Bits is the number of bits in Raw, at most the decoder's MaxBits.
	Bits int
	// Start and End are the times of the frame's first and last edges.
	Start, End time.Duration
	// Glitches counts pulses rejected as too short (both-edge mode) or
	// falling edges ignored as bounce (falling-edge mode).
	Glitches int
	// Fault is non-zero when the frame is bad.
	Fault Fault
}

// OK reports whether the frame has no fault.
func (f Frame) OK() bool { return f.Fault == 0 }

// Err returns nil for a good frame and a *[FrameError] otherwise.
func (f Frame) Err() error {
	if f.Fault == 0 {
		return nil
	}
	return &FrameError{Bits: f.Bits, Fault: f.Fault}
}

// Card decodes the frame with the given format. It returns the frame's
// *[FrameError] when the frame is bad, an error matching [ErrBitCount]
// when the length differs from the format's, and otherwise the result of
// [Format.Decode].
func (f Frame) Card(format Format) (Card, error) {
	if err := f.Err(); err != nil {
		return Card{}, err
	}
	if n := format.Bits(); n != f.Bits && (n != 0 || f.Bits == 0) {
		return Card{}, fmt.Errorf("%w: got %d, %v has %d", ErrBitCount, f.Bits, format, n)
	}
	return format.Decode(f.Raw)
}

// String formats the frame, e.g. "26 bits 0x354f64e" or
// "25 bits 0x1aa7b27 bad: lost edge".
func (f Frame) String() string {
	s := fmt.Sprintf("%d bits %#x", f.Bits, f.Raw)
	if f.Fault != 0 {
		s += " bad: " + f.Fault.String()
	}
	return s
}

// Decoder turns Wiegand edges into frames. It is a pure state machine: it
// starts no goroutines and reads no clock; the caller passes each edge with
// its timestamp to [Decoder.Edge] and calls [Decoder.Tick] with the current
// time (on the edges' clock) now and then, at about half the gap, so that
// the last frame of a burst is delivered. Feeding an edge costs a few
// nanoseconds and never allocates.
//
// A Decoder is not safe for concurrent use. The zero Decoder is not usable;
// create one with [NewDecoder].
type Decoder struct {
	gap, minPulse time.Duration
	maxBits       int
	both          bool

	active bool
	cur    Frame
	last   time.Duration // time of the last edge of the current frame
	seq    uint32        // last sequence number seen, 0 if none

	// falling-edge mode
	lastFall     time.Duration
	lastFallLine Line

	// both-edge mode
	low      [2]bool
	fall     [2]time.Duration
	accepted bool // a pulse has been accepted in this frame
	lastRise time.Duration
	lastLine Line
}

// NewDecoder returns a decoder configured by opts (nil means defaults). It
// returns an error for negative durations or MaxBits outside 0..64.
func NewDecoder(opts *Options) (*Decoder, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Gap < 0 || o.MinPulse < 0 || o.MaxBits < 0 || o.MaxBits > MaxBits {
		return nil, fmt.Errorf("rfid: invalid decoder options (gap %v, min pulse %v, max bits %d)", o.Gap, o.MinPulse, o.MaxBits)
	}
	if o.Gap == 0 {
		o.Gap = DefaultGap
	}
	if o.MinPulse == 0 {
		o.MinPulse = DefaultMinPulse
	}
	if o.MaxBits == 0 {
		o.MaxBits = MaxBits
	}
	return &Decoder{gap: o.Gap, minPulse: o.MinPulse, maxBits: o.MaxBits, both: o.BothEdges}, nil
}

// Warning returns an error matching [ErrShortGap] when the configured gap
// is below 20 ms, and nil otherwise.
func (d *Decoder) Warning() error {
	if d.gap < minSafeGap {
		return fmt.Errorf("%w: gap %v", ErrShortGap, d.gap)
	}
	return nil
}

// BothEdges reports whether the decoder is in both-edge mode.
func (d *Decoder) BothEdges() bool { return d.both }

// Gap returns the frame gap in use.
func (d *Decoder) Gap() time.Duration { return d.gap }

// Edge feeds one edge. When the edge comes at least the gap after the
// previous one, the previous frame is complete and returned with ok true.
//
// An edge timestamped before the previous one marks the current frame
// [ErrOrder] and becomes the reference for the gap, so that after a clock
// step backwards the decoder ends that frame after a gap on the new clock
// instead of waiting for the old clock's time to come round again.
func (d *Decoder) Edge(e Event) (f Frame, ok bool) {
	lost := false
	if e.Seq != 0 {
		next := d.seq + 1
		if next == 0 {
			next = 1 // the kernel's counter wraps past 0, which means "unknown"
		}
		lost = d.seq != 0 && e.Seq != next
		d.seq = e.Seq
	}
	if d.active {
		switch {
		case e.Time < d.last:
			d.cur.Fault |= FaultOrder
			d.last = e.Time
		case elapsed(d.last, e.Time, d.gap):
			f, ok = d.finish()
			if ok && lost {
				// The lost edges lie between the two frames and may
				// belong to either.
				f.Fault |= FaultLostEdge
			}
		}
	}
	if !d.active {
		d.active = true
		d.cur = Frame{Start: e.Time}
		d.accepted = false
		d.low = [2]bool{}
		d.lastFall = e.Time - d.minPulse
		d.last = e.Time
	}
	if e.Time > d.last {
		d.last = e.Time
	}
	d.cur.End = d.last
	if lost {
		d.cur.Fault |= FaultLostEdge
	}
	if e.Line > D1 || e.Edge > Rising {
		d.cur.Fault |= FaultEvent
		return f, ok
	}
	if d.both {
		d.bothEdge(e)
	} else {
		d.fallingEdge(e)
	}
	return f, ok
}

// fallingEdge handles an edge in falling-edge mode.
func (d *Decoder) fallingEdge(e Event) {
	if e.Edge != Falling {
		return
	}
	if e.Time >= d.lastFall && !elapsed(d.lastFall, e.Time, d.minPulse) {
		if e.Line == d.lastFallLine {
			d.cur.Glitches++
			return
		}
		d.cur.Fault |= FaultBothLow
	}
	d.lastFall, d.lastFallLine = e.Time, e.Line
	d.push(e.Line)
}

// bothEdge handles an edge in both-edge mode.
func (d *Decoder) bothEdge(e Event) {
	l := e.Line
	if e.Edge == Falling {
		if d.low[l] {
			d.cur.Fault |= FaultLostEdge // the rising edge went missing
		}
		d.low[l], d.fall[l] = true, e.Time
		return
	}
	if !d.low[l] {
		d.cur.Fault |= FaultLostEdge // the falling edge went missing
		return
	}
	d.low[l] = false
	if !elapsed(d.fall[l], e.Time, d.minPulse) {
		d.cur.Glitches++
		return
	}
	if d.accepted && l != d.lastLine && d.fall[l] < d.lastRise {
		d.cur.Fault |= FaultBothLow
	}
	d.accepted, d.lastRise, d.lastLine = true, e.Time, l
	d.push(l)
}

// push appends a bit.
func (d *Decoder) push(l Line) {
	if d.cur.Bits >= d.maxBits {
		d.cur.Fault |= FaultOverflow
		return
	}
	d.cur.Raw = d.cur.Raw<<1 | uint64(l)
	d.cur.Bits++
}

// finish ends the current frame; ok is false when it held neither bits nor
// faults (only rejected glitches).
func (d *Decoder) finish() (Frame, bool) {
	d.active = false
	if d.low[0] || d.low[1] {
		d.cur.Fault |= FaultLostEdge // a pulse never ended
	}
	d.low = [2]bool{}
	f := d.cur
	return f, f.Bits > 0 || f.Fault != 0
}

// Tick tells the decoder the time now, on the edges' clock. When at least
// the gap has passed since the last edge, the pending frame is complete
// and returned with ok true.
func (d *Decoder) Tick(now time.Duration) (f Frame, ok bool) {
	if d.active && elapsed(d.last, now, d.gap) {
		return d.finish()
	}
	return Frame{}, false
}

// elapsed reports whether at least d passed from a to b. Unlike b-a >= d it
// cannot overflow: arbitrary timestamps (a replayed capture, a fuzzer)
// span the whole int64 range.
func elapsed(a, b, d time.Duration) bool {
	return b >= a && uint64(b)-uint64(a) >= uint64(d)
}

// Flush ends the pending frame regardless of time, as at the end of a
// recording, and returns it if it holds bits or faults.
func (d *Decoder) Flush() (f Frame, ok bool) {
	if !d.active {
		return Frame{}, false
	}
	return d.finish()
}

// Reset discards the pending frame and the sequence-number history.
func (d *Decoder) Reset() {
	*d = Decoder{gap: d.gap, minPulse: d.minPulse, maxBits: d.maxBits, both: d.both}
}
