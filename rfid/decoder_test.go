package rfid

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const us = time.Microsecond

// fall and rise build events for hand-written streams.
func fall(t time.Duration, l Line) Event { return Event{Time: t, Line: l, Edge: Falling} }
func rise(t time.Duration, l Line) Event { return Event{Time: t, Line: l, Edge: Rising} }

// pulses returns both edges of 40 µs pulses, one per character of bits
// ('0' on D0, '1' on D1), 2 ms apart, starting at start.
func pulses(start time.Duration, bits string) []Event {
	var ev []Event
	for i, b := range bits {
		l := Line(b - '0')
		t := start + time.Duration(i)*2*time.Millisecond
		ev = append(ev, fall(t, l), rise(t+40*us, l))
	}
	return ev
}

// withSeq numbers events from first.
func withSeq(ev []Event, first uint32) []Event {
	out := make([]Event, len(ev))
	for i, e := range ev {
		e.Seq = first + uint32(i)
		out[i] = e
	}
	return out
}

// decodeAll feeds events to d, ticking every tick of stream time as a
// driver would, and flushes at the end.
func decodeAll(d *Decoder, events []Event, tick time.Duration) []Frame {
	var frames []Frame
	var next time.Duration
	if len(events) > 0 {
		next = events[0].Time + tick
	}
	for _, e := range events {
		for tick > 0 && next < e.Time {
			if f, ok := d.Tick(next); ok {
				frames = append(frames, f)
			}
			next += tick
		}
		if f, ok := d.Edge(e); ok {
			frames = append(frames, f)
		}
	}
	if f, ok := d.Flush(); ok {
		frames = append(frames, f)
	}
	return frames
}

func mustDecoder(t testing.TB, o *Options) *Decoder {
	t.Helper()
	d, err := NewDecoder(o)
	require.NoError(t, err)
	return d
}

func TestDecoderStreams(t *testing.T) {
	both := &Options{BothEdges: true}
	tests := []struct {
		name   string
		opts   *Options
		events []Event
		want   []Frame // compared on Raw, Bits, Fault, Glitches
	}{
		{
			name:   "falling edges, one frame",
			events: pulses(0, "1011"),
			want:   []Frame{{Raw: 0b1011, Bits: 4}},
		},
		{
			name:   "two frames split by the gap",
			events: append(pulses(0, "10"), pulses(50*time.Millisecond, "01")...),
			want:   []Frame{{Raw: 0b10, Bits: 2}, {Raw: 0b01, Bits: 2}},
		},
		{
			name:   "both edges, one frame",
			opts:   both,
			events: pulses(0, "0110"),
			want:   []Frame{{Raw: 0b0110, Bits: 4}},
		},
		{
			name:   "both edges, 2 µs glitch rejected",
			opts:   both,
			events: []Event{fall(0, D1), rise(40*us, D1), fall(time.Millisecond, D0), rise(time.Millisecond+2*us, D0), fall(2*time.Millisecond, D1), rise(2*time.Millisecond+40*us, D1)},
			want:   []Frame{{Raw: 0b11, Bits: 2, Glitches: 1}},
		},
		{
			name:   "both edges, glitch alone is not a frame",
			opts:   both,
			events: []Event{fall(0, D1), rise(3*us, D1)},
			want:   nil,
		},
		{
			name:   "both edges, missing falling edge",
			opts:   both,
			events: append(pulses(0, "1"), rise(2*time.Millisecond+40*us, D0)),
			want:   []Frame{{Raw: 0b1, Bits: 1, Fault: FaultLostEdge}},
		},
		{
			name:   "both edges, missing rising edge at frame end",
			opts:   both,
			events: append(pulses(0, "1"), fall(2*time.Millisecond, D0)),
			want:   []Frame{{Raw: 0b1, Bits: 1, Fault: FaultLostEdge}},
		},
		{
			name:   "both edges, missing rising edge mid-frame",
			opts:   both,
			events: []Event{fall(0, D1), fall(2*time.Millisecond, D1), rise(2*time.Millisecond+40*us, D1)},
			want:   []Frame{{Raw: 0b1, Bits: 1, Fault: FaultLostEdge}},
		},
		{
			name:   "both edges, both lines low",
			opts:   both,
			events: []Event{fall(0, D1), fall(10*us, D0), rise(40*us, D1), rise(50*us, D0)},
			want:   []Frame{{Raw: 0b10, Bits: 2, Fault: FaultBothLow}},
		},
		{
			name:   "falling edges, both lines low",
			events: []Event{fall(0, D1), fall(3*us, D0)},
			want:   []Frame{{Raw: 0b10, Bits: 2, Fault: FaultBothLow}},
		},
		{
			name:   "falling edges, bounce ignored",
			events: []Event{fall(0, D1), fall(3*us, D1), fall(2*time.Millisecond, D0)},
			want:   []Frame{{Raw: 0b10, Bits: 2, Glitches: 1}},
		},
		{
			name:   "sequence gap",
			events: withSeq(pulses(0, "101"), 1)[:5:5],
			want:   []Frame{{Raw: 0b101, Bits: 3}},
		},
		{
			name: "sequence gap marks the frame",
			opts: both,
			events: func() []Event {
				ev := withSeq(pulses(0, "101"), 1)
				return append(ev[:2:2], ev[3:]...) // drop the rising edge of bit 2... and its number
			}(),
			want: []Frame{{Raw: 0b11, Bits: 2, Fault: FaultLostEdge}},
		},
		{
			name:   "too many bits",
			opts:   &Options{MaxBits: 3},
			events: pulses(0, "10110"),
			want:   []Frame{{Raw: 0b101, Bits: 3, Fault: FaultOverflow}},
		},
		{
			name:   "timestamps backwards",
			events: []Event{fall(2*time.Millisecond, D1), fall(time.Millisecond, D0)},
			want:   []Frame{{Raw: 0b10, Bits: 2, Fault: FaultOrder}},
		},
		{
			// The clock steps back an hour in mid-frame: that frame is
			// bad, and the decoder ends it after a gap on the new clock.
			name: "clock steps backwards",
			events: slices.Concat(pulses(time.Hour, "11"), pulses(0, "101"),
				pulses(100*time.Millisecond, "1")),
			want: []Frame{{Raw: 0b11101, Bits: 5, Fault: FaultOrder}, {Raw: 0b1, Bits: 1}},
		},
		{
			name:   "invalid line",
			events: []Event{fall(0, D1), {Time: time.Millisecond, Line: 7}},
			want:   []Frame{{Raw: 0b1, Bits: 1, Fault: FaultEvent}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustDecoder(t, tt.opts)
			got := decodeAll(d, tt.events, 10*time.Millisecond)
			require.Len(t, got, len(tt.want))
			for i, f := range got {
				f.Start, f.End = 0, 0
				assert.Equal(t, tt.want[i], f, "frame %d", i)
			}
		})
	}
}

func TestDecoderTickAndWarning(t *testing.T) {
	d := mustDecoder(t, nil)
	assert.NoError(t, d.Warning())
	for _, e := range pulses(time.Second, "11") {
		_, ok := d.Edge(e)
		require.False(t, ok)
	}
	last := time.Second + 2*time.Millisecond + 40*us
	_, ok := d.Tick(last + DefaultGap - 1)
	assert.False(t, ok, "Tick before the gap")
	f, ok := d.Tick(last + DefaultGap)
	require.True(t, ok, "Tick at the gap")
	assert.Equal(t, Frame{Raw: 0b11, Bits: 2, Start: time.Second, End: last}, f)
	_, ok = d.Tick(last + time.Hour)
	assert.False(t, ok, "second Tick")

	short := mustDecoder(t, &Options{Gap: 5 * time.Millisecond})
	assert.ErrorIs(t, short.Warning(), ErrShortGap)

	_, err := NewDecoder(&Options{MaxBits: 65})
	assert.Error(t, err)
}

// TestDecoderExtremeTimes feeds timestamps at both ends of the int64
// range, whose difference overflows a time.Duration.
func TestDecoderExtremeTimes(t *testing.T) {
	for _, both := range []bool{false, true} {
		d := mustDecoder(t, &Options{BothEdges: both})
		_, ok := d.Edge(fall(math.MinInt64, D1))
		require.False(t, ok)
		d.Edge(rise(math.MinInt64+40*us, D1))
		f, ok := d.Tick(math.MaxInt64)
		require.True(t, ok, "Tick at MaxInt64 after an edge at MinInt64 (both=%v)", both)
		assert.Equal(t, 1, f.Bits)

		d.Edge(fall(math.MinInt64, D1))
		d.Edge(rise(math.MinInt64+40*us, D1))
		f, ok = d.Edge(fall(math.MaxInt64-40*us, D0))
		require.True(t, ok, "edge at MaxInt64 after one at MinInt64 (both=%v)", both)
		assert.Equal(t, Frame{Raw: 1, Bits: 1, Start: math.MinInt64, End: math.MinInt64 + 40*us}, f)
	}
}

func TestFrameErrors(t *testing.T) {
	f := Frame{Bits: 25, Fault: FaultLostEdge | FaultBothLow}
	err := f.Err()
	assert.ErrorIs(t, err, ErrLostEdge)
	assert.ErrorIs(t, err, ErrBothLow)
	assert.NotErrorIs(t, err, ErrOverflow)
	fe, ok := errors.AsType[*FrameError](err)
	require.True(t, ok)
	assert.Equal(t, 25, fe.Bits)
	assert.Equal(t, "rfid: bad frame (25 bits): both data lines low, lost edge", err.Error())

	_, err = Frame{Raw: 0x354F64E, Bits: 26}.Card(H10306)
	assert.ErrorIs(t, err, ErrBitCount)
	c, err := Frame{Raw: 0x354F64E, Bits: 26}.Card(H10301)
	require.NoError(t, err)
	assert.Equal(t, Card{Facility: 170, Number: 31527}, c)
	_, err = Frame{Raw: 0x354F64E, Bits: 26}.Card(Raw)
	assert.NoError(t, err)
}

// randomCard returns a random card valid for f.
func randomCard(rng *rand.Rand, f Format) Card {
	maxFac, maxID := fieldMax(f)
	return cardFromID(uint32(rng.Uint64N(uint64(maxFac)+1)), rng.Uint64N(maxID+1))
}

// frameLen returns the number of bits to send for a card of format f: the
// format's length, or 64 for Raw.
func frameLen(f Format) int { return cmpOr(f.Bits(), 64) }

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// roundTrip encodes n random cards of format f, renders them with g and
// decodes them with a decoder configured by o; it returns the first
// mismatch.
func roundTrip(f Format, n int, g *Generator, o *Options, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, uint64(f)))
	if g.Rand == nil {
		g.Rand = rand.New(rand.NewPCG(seed+1, uint64(f)))
	}
	d, err := NewDecoder(o)
	if err != nil {
		return err
	}
	var ev []Event
	for i := range n {
		c := randomCard(rng, f)
		raw, err := f.EncodeCard(c)
		if err != nil {
			return err
		}
		ev = g.Frame(ev[:0], raw, frameLen(f))
		frames := decodeAll(d, ev, d.Gap()/2)
		if len(frames) != 1 {
			return fmt.Errorf("card %d %v: got %d frames %v", i, c, len(frames), frames)
		}
		got, err := frames[0].Card(f)
		if err != nil || got != c {
			return fmt.Errorf("card %d %v: decoded %v, %v (frame %v)", i, c, got, err, frames[0])
		}
		g.Pause(100 * time.Millisecond)
	}
	return nil
}

// TestRoundTripJitter sends random cards of every format through the
// waveform generator with ±50% jitter on pulse width and interval, in both
// decoder modes.
func TestRoundTripJitter(t *testing.T) {
	n := 300
	if long() {
		n = 100_000
	}
	for _, f := range Formats() {
		for _, mode := range []struct {
			name string
			both bool
		}{{"falling", false}, {"both", true}} {
			t.Run(f.String()+"/"+mode.name, func(t *testing.T) {
				g := &Generator{Jitter: 0.5, FallingOnly: !mode.both, Sequence: true}
				require.NoError(t, roundTrip(f, n, g, &Options{BothEdges: mode.both}, 10))
			})
		}
	}
}

// TestRoundTripExtremes sends random cards at the corners of the reader
// specification: pulses of 20 and 100 µs, intervals of 200 µs and 20 ms.
func TestRoundTripExtremes(t *testing.T) {
	n := 100
	if long() {
		n = 10_000
	}
	for _, pulse := range []time.Duration{20 * us, 100 * us} {
		for _, interval := range []time.Duration{200 * us, 20 * time.Millisecond} {
			for _, f := range Formats() {
				for _, both := range []bool{false, true} {
					t.Run(fmt.Sprintf("%v/%v/%v/both=%v", pulse, interval, f, both), func(t *testing.T) {
						g := &Generator{Pulse: pulse, Interval: interval, FallingOnly: !both}
						require.NoError(t, roundTrip(f, n, g, &Options{BothEdges: both}, 20))
					})
				}
			}
		}
	}
}

// noiseStats counts the outcomes of sending frames over a noisy line.
type noiseStats struct {
	sent, correct, detected, missing, wrong int
}

// noisyRun sends n random cards of format f through a generator with 1%
// lost edges and 1% 2-µs glitches per bit, decodes them in both-edge mode
// with glitch rejection, and classifies each outcome.
func noisyRun(t testing.TB, f Format, n int, seq bool, seed uint64) noiseStats {
	rng := rand.New(rand.NewPCG(seed, uint64(f)))
	g := &Generator{Jitter: 0.5, GlitchRate: 0.01, DropRate: 0.01, Sequence: seq, Rand: rand.New(rand.NewPCG(seed+1, uint64(f)))}
	d := mustDecoder(t, &Options{BothEdges: true})
	var st noiseStats
	var ev []Event
	for range n {
		c := randomCard(rng, f)
		raw, err := f.EncodeCard(c)
		require.NoError(t, err)
		ev = g.Frame(ev[:0], raw, frameLen(f))
		st.sent++
		frames := decodeAll(d, ev, d.Gap()/2)
		g.Pause(100 * time.Millisecond)
		if len(frames) == 0 {
			st.missing++
			continue
		}
		good := 0
		for _, fr := range frames {
			got, err := fr.Card(f)
			switch {
			case err != nil:
			case got == c:
				good++
			default:
				st.wrong++
				t.Logf("undetected wrong frame: sent %v, got %v (%v)", c, got, fr)
			}
		}
		if good > 0 {
			st.correct++
		} else {
			st.detected++
		}
	}
	return st
}

// TestNoisyBothEdges checks that with glitch rejection no wrong card is
// ever returned under 1% lost edges and 1% glitches per bit, with and
// without kernel sequence numbers.
func TestNoisyBothEdges(t *testing.T) {
	n := 1000
	if long() {
		n = 100_000
	}
	for _, f := range Formats() {
		if f == Raw {
			continue // no check bits: a lost bit-pair cannot be told apart
		}
		for _, seq := range []bool{true, false} {
			t.Run(fmt.Sprintf("%v/seq=%v", f, seq), func(t *testing.T) {
				st := noisyRun(t, f, n, seq, 30)
				t.Logf("%v seq=%v: sent %d, correct %d, flagged bad %d, missing %d, undetected wrong %d",
					f, seq, st.sent, st.correct, st.detected, st.missing, st.wrong)
				assert.Zero(t, st.wrong, "undetected wrong frames")
			})
		}
	}
}

func TestDecoderNoAllocs(t *testing.T) {
	d := mustDecoder(t, &Options{BothEdges: true})
	ev := withSeq(pulses(0, "11010011010101100101011001"), 1)
	var off time.Duration
	var seq uint32
	allocs := testing.AllocsPerRun(100, func() {
		for _, e := range ev {
			e.Time += off
			e.Seq += seq
			d.Edge(e)
		}
		d.Tick(off + time.Second)
		off += time.Second
		seq += uint32(len(ev))
	})
	assert.Zero(t, allocs)
}
