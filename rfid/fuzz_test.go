package rfid

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// eventsToBytes encodes events for the fuzzer: per event, a 4-byte time
// step in nanoseconds, a flags byte (bit 0 line, bit 1 edge, bits 2-7 raw
// line value when bit 7 of the next byte is set) and a sequence step byte.
func eventsToBytes(ev []Event) []byte {
	var b []byte
	var prev time.Duration
	var prevSeq uint32
	for _, e := range ev {
		b = binary.LittleEndian.AppendUint32(b, uint32(e.Time-prev))
		b = append(b, byte(e.Line)|byte(e.Edge)<<4, byte(e.Seq-prevSeq))
		prev, prevSeq = e.Time, e.Seq
	}
	return b
}

// bytesToEvents is the inverse of eventsToBytes; any input is valid.
func bytesToEvents(b []byte) []Event {
	var ev []Event
	var t time.Duration
	var seq uint32
	for len(b) >= 6 {
		step := int32(binary.LittleEndian.Uint32(b))
		t += time.Duration(step)
		seq += uint32(b[5])
		ev = append(ev, Event{Time: t, Line: Line(b[4] & 0xF), Edge: Edge(b[4] >> 4), Seq: seq})
		b = b[6:]
	}
	return ev
}

// FuzzDecoder feeds arbitrary edge sequences: the decoder must not panic
// and must never return more bits than its maximum, nor more bits than it
// was given pulses.
func FuzzDecoder(f *testing.F) {
	f.Add(eventsToBytes(pulses(0, "1011")), uint8(0), false)
	f.Add(eventsToBytes(withSeq(pulses(0, "11010011010101100101011001"), 1)), uint8(26), true)
	f.Add(eventsToBytes([]Event{fall(0, D1), fall(10*us, D0), rise(40*us, D1), rise(50*us, D0)}), uint8(4), true)
	f.Add(eventsToBytes([]Event{fall(2*time.Millisecond, D1), fall(time.Millisecond, D0)}), uint8(2), false)
	f.Add(eventsToBytes(pulses(0, strings.Repeat("10", 40))), uint8(64), true)
	f.Fuzz(func(t *testing.T, data []byte, maxBits uint8, both bool) {
		if len(data) > 6*512 {
			return
		}
		mb := int(maxBits % 65)
		d, err := NewDecoder(&Options{BothEdges: both, MaxBits: mb, Gap: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if mb == 0 {
			mb = MaxBits
		}
		ev := bytesToEvents(data)
		falls := 0
		check := func(fr Frame, ok bool) {
			if !ok {
				return
			}
			if fr.Bits > mb || fr.Bits < 0 {
				t.Fatalf("frame with %d bits, max %d", fr.Bits, mb)
			}
			if fr.Bits > falls {
				t.Fatalf("frame with %d bits from %d falling edges", fr.Bits, falls)
			}
			if fr.Bits < 64 && fr.Raw>>fr.Bits != 0 {
				t.Fatalf("frame %v has bits beyond its length", fr)
			}
			if fr.OK() && fr.End < fr.Start {
				t.Fatalf("good frame %v ends (%v) before it starts (%v)", fr, fr.End, fr.Start)
			}
			_, _ = fr.Card(H10301)
			_ = fr.String()
		}
		for i, e := range ev {
			if i%7 == 0 {
				check(d.Tick(e.Time))
			}
			check(d.Edge(e))
			if e.Edge == Falling {
				falls++
			}
		}
		check(d.Flush())
	})
}

// FuzzReadCapture parses arbitrary text: no panic, and whatever parses
// survives a write and a second read unchanged.
func FuzzReadCapture(f *testing.F) {
	f.Add("# header\n0 D1 fall 1\n40000 D1 rise 2\n")
	f.Add("2.04ms 1 F\n-5 D0 r 4294967295\n")
	f.Add("12 D2 fall\n")
	f.Add("x D0 fall\n\n#\n")
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<14 {
			return
		}
		ev, err := ReadCapture(strings.NewReader(s))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		require.NoError(t, WriteCapture(&buf, ev))
		again, err := ReadCapture(&buf)
		require.NoError(t, err)
		if len(ev) != len(again) {
			t.Fatalf("round trip changed %d events into %d", len(ev), len(again))
		}
		for i := range ev {
			if ev[i] != again[i] {
				t.Fatalf("event %d: %v became %v", i, ev[i], again[i])
			}
		}
	})
}

// FuzzFormatDecode decodes arbitrary raw values: whatever decodes must
// encode back to the same raw value.
func FuzzFormatDecode(f *testing.F) {
	f.Add(uint64(0x354F64E), uint8(H10301))
	f.Add(uint64(0xE1), uint8(Keypad8))
	f.Add(uint64(1)<<36, uint8(H10302))
	f.Add(uint64(0), uint8(0))
	f.Fuzz(func(t *testing.T, raw uint64, format uint8) {
		fm := Format(format)
		c, err := fm.Decode(raw)
		if err != nil {
			return
		}
		back, err := fm.EncodeCard(c)
		if err != nil || back != raw {
			t.Fatalf("%v: Decode(%#x) = %v, EncodeCard = %#x, %v", fm, raw, c, back, err)
		}
	})
}
