package rfid

import (
	"math/rand/v2"
	"testing"
	"time"
)

// benchEvents returns the edges of n H10301 frames, 100 ms apart.
func benchEvents(n int, fallingOnly bool) []Event {
	rng := rand.New(rand.NewPCG(5, 6))
	g := &Generator{Jitter: 0.5, Sequence: true, FallingOnly: fallingOnly, Rand: rng}
	var ev []Event
	for range n {
		raw, _ := H10301.Encode(uint32(rng.IntN(256)), uint32(rng.IntN(65536)))
		ev = g.Frame(ev, raw, 26)
		g.Pause(100 * time.Millisecond)
	}
	return ev
}

// benchmarkDecoder reports the cost per edge of decoding a recorded
// stream, including the Tick calls a driver would make per frame.
func benchmarkDecoder(b *testing.B, both bool) {
	ev := benchEvents(64, !both)
	span := ev[len(ev)-1].Time + time.Second
	d, err := NewDecoder(&Options{BothEdges: both})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var off time.Duration
	var seq uint32
	frames := 0
	for b.Loop() {
		for _, e := range ev {
			e.Time += off
			e.Seq += seq
			if _, ok := d.Edge(e); ok {
				frames++
			}
		}
		if _, ok := d.Tick(off + span); ok {
			frames++
		}
		off += span
		seq += uint32(len(ev))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ev)), "ns/edge")
	if frames == 0 {
		b.Fatal("no frames")
	}
}

func BenchmarkDecoderFalling(b *testing.B) { benchmarkDecoder(b, false) }
func BenchmarkDecoderBoth(b *testing.B)    { benchmarkDecoder(b, true) }

func BenchmarkH10301Decode(b *testing.B) {
	b.ReportAllocs()
	raw := uint64(0x354F64E)
	for b.Loop() {
		if _, err := H10301.Decode(raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCorporate1000_48Encode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Corporate1000_48.Encode(123456, 654321); err != nil {
			b.Fatal(err)
		}
	}
}
