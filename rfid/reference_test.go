package rfid

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// naiveFrames is a reference decoder for clean falling-edge streams: sort
// nothing, check nothing, split on silences of at least gap.
func naiveFrames(ev []Event, gap time.Duration) (out []Frame) {
	var cur Frame
	var last time.Duration
	for i, e := range ev {
		if e.Edge != Falling {
			continue
		}
		if i > 0 && cur.Bits > 0 && e.Time-last >= gap {
			out = append(out, cur)
			cur = Frame{}
		}
		cur.Raw = cur.Raw<<1 | uint64(e.Line)
		cur.Bits++
		last = e.Time
	}
	if cur.Bits > 0 {
		out = append(out, cur)
	}
	return out
}

// TestDecoderMatchesNaive compares the decoder with the naive reference on
// random clean streams of random frames with random pauses.
func TestDecoderMatchesNaive(t *testing.T) {
	if testing.Short() {
		t.Skip("differential test")
	}
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 99))
		g := &Generator{Jitter: 0.5, Rand: rng}
		var ev []Event
		for range 50 {
			n := 1 + rng.IntN(64)
			ev = g.Frame(ev, rng.Uint64()>>(64-n), n)
			g.Pause(DefaultGap + time.Duration(rng.Int64N(int64(time.Second))))
		}
		for _, both := range []bool{false, true} {
			d := mustDecoder(t, &Options{BothEdges: both})
			got := decodeAll(d, ev, time.Duration(1+rng.IntN(20))*time.Millisecond)
			want := naiveFrames(ev, DefaultGap)
			require.Len(t, got, len(want), "seed %d both %v", seed, both)
			for i := range got {
				if got[i].Raw != want[i].Raw || got[i].Bits != want[i].Bits || !got[i].OK() {
					t.Fatalf("seed %d both %v frame %d: got %v, want %v", seed, both, i, got[i], want[i])
				}
			}
		}
	}
}

func TestSequenceWrap(t *testing.T) {
	d := mustDecoder(t, nil)
	ev := []Event{
		{Time: 0, Line: D1, Seq: math.MaxUint32},
		{Time: time.Millisecond, Line: D0, Seq: 1},
		{Time: 2 * time.Millisecond, Line: D1, Seq: 2},
	}
	for _, e := range ev {
		d.Edge(e)
	}
	f, ok := d.Flush()
	require.True(t, ok)
	assert.Equal(t, Frame{Raw: 0b101, Bits: 3, End: 2 * time.Millisecond}, f)

	d.Reset()
	_, ok = d.Flush()
	assert.False(t, ok, "Flush after Reset")
}

// TestGenerator checks the waveform generator's timing, numbering and
// noise against its documentation.
func TestGenerator(t *testing.T) {
	t.Run("nominal", func(t *testing.T) {
		g := &Generator{Sequence: true, Time: time.Second}
		ev := g.Frame(nil, 0b10, 2)
		assert.Equal(t, []Event{
			{Time: time.Second, Line: D1, Edge: Falling, Seq: 1},
			{Time: time.Second + 40*us, Line: D1, Edge: Rising, Seq: 2},
			{Time: time.Second + 2*time.Millisecond, Line: D0, Edge: Falling, Seq: 3},
			{Time: time.Second + 2*time.Millisecond + 40*us, Line: D0, Edge: Rising, Seq: 4},
		}, ev)
		assert.Equal(t, time.Second+2*time.Millisecond+40*us, g.Time)
	})
	t.Run("jitter bounds", func(t *testing.T) {
		g := &Generator{Jitter: 0.5, Rand: rand.New(rand.NewPCG(1, 2))}
		ev := g.Frame(nil, 0xFFFFFFFF, 32) // all on D1: consecutive pulses
		for i := 0; i+1 < len(ev); i += 2 {
			w := ev[i+1].Time - ev[i].Time
			assert.True(t, w >= 20*us && w <= 60*us, "pulse width %v outside ±50%% of 40 µs", w)
			if i+2 < len(ev) {
				iv := ev[i+2].Time - ev[i].Time
				assert.True(t, iv >= time.Millisecond && iv <= 3*time.Millisecond, "interval %v outside ±50%% of 2 ms", iv)
			}
		}
	})
	t.Run("drops leave sequence gaps", func(t *testing.T) {
		g := &Generator{DropRate: 0.2, Sequence: true, Rand: rand.New(rand.NewPCG(3, 4))}
		ev := g.Frame(nil, 0, 64)
		assert.Less(t, len(ev), 128)
		assert.Greater(t, len(ev), 64)
		assert.LessOrEqual(t, ev[len(ev)-1].Seq, uint32(128))
	})
	t.Run("glitches are short", func(t *testing.T) {
		g := &Generator{GlitchRate: 1, FallingOnly: false, Rand: rand.New(rand.NewPCG(5, 6))}
		ev := g.Frame(nil, 0, 10)
		d := mustDecoder(t, &Options{BothEdges: true})
		frames := decodeAll(d, ev, 0)
		require.Len(t, frames, 1)
		assert.Equal(t, Frame{Bits: 10, Glitches: frames[0].Glitches, Start: frames[0].Start, End: frames[0].End}, frames[0])
		assert.Positive(t, frames[0].Glitches)
	})
}

func TestPolicy(t *testing.T) {
	p := &Policy{
		Facilities: []uint32{170, 171},
		People:     []Range{{First: 1000, Last: 1999}},
		Devices:    []Range{{First: 50000, Last: 59999}, {First: 1500, Last: 1600}},
	}
	tests := []struct {
		card    Card
		allowed bool
		kind    Kind
	}{
		{Card{Facility: 170, Number: 1000}, true, Person},
		{Card{Facility: 171, Number: 1999}, true, Person},
		{Card{Facility: 170, Number: 1550}, true, Person}, // persons win overlaps
		{Card{Facility: 170, Number: 59999}, true, Device},
		{Card{Facility: 170, Number: 60000}, true, Unclassified},
		{Card{Facility: 172, Number: 1000}, false, Person},
	}
	for _, tt := range tests {
		t.Run(tt.card.String(), func(t *testing.T) {
			assert.Equal(t, tt.allowed, p.Allowed(tt.card))
			assert.Equal(t, tt.kind, p.Kind(tt.card))
		})
	}
	var zero Policy
	assert.True(t, zero.Allowed(Card{Facility: 9}))
	assert.Equal(t, Unclassified, zero.Kind(Card{Number: 1000}))
	raw, err := H10301.Encode(172, 5)
	require.NoError(t, err)
	_, err = p.Card(Frame{Raw: raw, Bits: 26})
	assert.ErrorIs(t, err, ErrFacility)
}
