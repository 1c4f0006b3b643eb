package rfid

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"time"
)

// Nominal Wiegand timing used for zero [Generator] fields.
const (
	// DefaultPulse is the nominal pulse width (the specification allows
	// 20-100 µs).
	DefaultPulse = 40 * time.Microsecond

	// DefaultInterval is the nominal time from one bit's falling edge to
	// the next (the specification allows 200 µs-20 ms).
	DefaultInterval = 2 * time.Millisecond

	// DefaultGlitchWidth is the width of injected glitch pulses.
	DefaultGlitchWidth = 2 * time.Microsecond
)

// Generator produces the edges a Wiegand reader would put on DATA0 and
// DATA1 for given frames, with optional timing jitter, glitches and lost
// edges. It is the reader emulator behind the package's tests and examples.
//
// The zero Generator emits nominal, perfect waveforms (40 µs pulses every
// 2 ms, both edges, no sequence numbers) starting at time 0. Rand must be
// set when Jitter, GlitchRate or DropRate is non-zero ([Generator.Frame]
// panics otherwise). A Generator is not safe for concurrent use.
type Generator struct {
	// Pulse is the nominal pulse width; 0 means DefaultPulse.
	Pulse time.Duration
	// Interval is the nominal falling-to-falling bit interval; 0 means
	// DefaultInterval.
	Interval time.Duration
	// Jitter scales every pulse width and interval independently by a
	// factor drawn uniformly from [1-Jitter, 1+Jitter]; 0.5 is ±50%. When
	// a jittered interval would start a pulse before the previous one on
	// either line ended, the pulse starts 1 µs after it instead, as a
	// reader's shift register would.
	Jitter float64
	// GlitchRate is the probability, per bit, of a glitch: a short low
	// pulse of GlitchWidth on a random line at a random time within the
	// bit interval.
	GlitchRate float64
	// GlitchWidth is the width of glitch pulses; 0 means DefaultGlitchWidth.
	GlitchWidth time.Duration
	// DropRate is the probability that each edge is lost.
	DropRate float64
	// FallingOnly emits only falling edges, as a GPIO request for falling
	// edges delivers them.
	FallingOnly bool
	// Sequence numbers edges 1, 2, 3, ... like the kernel does for one
	// line request; numbers are assigned before edges are dropped, so a
	// drop leaves a gap, as when the kernel's event buffer overflows.
	Sequence bool
	// Rand is the source of randomness.
	Rand *rand.Rand
	// Time is when the next frame starts; Frame advances it past the
	// frame's last edge and Pause moves it on.
	Time time.Duration

	seq uint32
	buf []pulse
}

// pulse is one low period on a line.
type pulse struct {
	line       Line
	start, end time.Duration
}

// scale returns d scaled by a random factor in [1-Jitter, 1+Jitter].
func (g *Generator) scale(d time.Duration) time.Duration {
	if g.Jitter == 0 {
		return d
	}
	return time.Duration(float64(d) * (1 + g.Jitter*(2*g.Rand.Float64()-1)))
}

// Pause advances the generator's time by d, the silence between frames.
func (g *Generator) Pause(d time.Duration) { g.Time += d }

// Frame appends to dst the edges for the n low bits of raw, most
// significant first, and returns the extended slice. Each bit is a pulse on
// DATA1 (1) or DATA0 (0). Glitches and drops are applied as configured.
func (g *Generator) Frame(dst []Event, raw uint64, n int) []Event {
	width, interval, gw := cmp.Or(g.Pulse, DefaultPulse), cmp.Or(g.Interval, DefaultInterval), cmp.Or(g.GlitchWidth, DefaultGlitchWidth)
	ps := g.buf[:0]
	t := g.Time
	var prevEnd time.Duration
	for i := n - 1; i >= 0; i-- {
		if i < n-1 && t <= prevEnd {
			t = prevEnd + time.Microsecond
		}
		p := pulse{line: Line(raw >> i & 1), start: t}
		p.end = t + max(g.scale(width), 1)
		prevEnd = p.end
		ps = append(ps, p)
		step := g.scale(interval)
		if g.GlitchRate > 0 && g.Rand.Float64() < g.GlitchRate {
			at := t + time.Duration(g.Rand.Int64N(int64(max(step, 1))))
			ps = append(ps, pulse{line: Line(g.Rand.IntN(2)), start: at, end: at + gw})
		}
		t += step
	}
	// Merge overlapping low periods per line: a line that is already low
	// cannot fall again.
	slices.SortFunc(ps, func(a, b pulse) int {
		return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.start, b.start))
	})
	merged := ps[:0]
	for _, p := range ps {
		if k := len(merged) - 1; k >= 0 && merged[k].line == p.line && p.start <= merged[k].end {
			merged[k].end = max(merged[k].end, p.end)
			continue
		}
		merged = append(merged, p)
	}
	first := len(dst)
	for _, p := range merged {
		dst = append(dst, Event{Time: p.start, Line: p.line, Edge: Falling})
		if !g.FallingOnly {
			dst = append(dst, Event{Time: p.end, Line: p.line, Edge: Rising})
		}
		g.Time = max(g.Time, p.end)
	}
	g.buf = merged
	out := dst[first:]
	slices.SortStableFunc(out, func(a, b Event) int { return cmp.Compare(a.Time, b.Time) })
	kept := out[:0]
	for _, e := range out {
		if g.Sequence {
			g.seq++
			e.Seq = g.seq
		}
		if g.DropRate > 0 && g.Rand.Float64() < g.DropRate {
			continue
		}
		kept = append(kept, e)
	}
	return dst[:first+len(kept)]
}
