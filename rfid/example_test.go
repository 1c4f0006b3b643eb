package rfid_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/craftkit/craftkit/rfid"
)

func ExampleFormat_Encode() {
	raw, err := rfid.H10301.Encode(170, 31527)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%#x\n", raw)
	_, err = rfid.H10301.Encode(256, 1)
	fmt.Println(errors.Is(err, rfid.ErrRange))
	// Output:
	// 0x354f64e
	// true
}

func ExampleFormat_Decode() {
	c, err := rfid.H10301.Decode(0x354F64E)
	fmt.Println(c.Facility, c.Number, err)
	_, err = rfid.H10301.Decode(0x354F64E ^ 1<<7) // one bit flipped
	fmt.Println(errors.Is(err, rfid.ErrParity))
	// Output:
	// 170 31527 <nil>
	// true
}

// ExampleDecoder_Edge renders a card as a reader's waveform, with ±50%
// timing jitter, and decodes it edge by edge.
func ExampleDecoder_Edge() {
	raw, _ := rfid.H10301.Encode(170, 31527)
	g := &rfid.Generator{Jitter: 0.5, Rand: rand.New(rand.NewPCG(1, 2))}
	edges := g.Frame(nil, raw, 26)

	d, err := rfid.NewDecoder(&rfid.Options{BothEdges: true})
	if err != nil {
		panic(err)
	}
	for _, e := range edges {
		d.Edge(e) // a frame completes only after a gap
	}
	// A driver ticks at about half the gap; one tick after the gap will do.
	frame, ok := d.Tick(g.Time + d.Gap())
	fmt.Println(ok, frame.Bits, len(edges))
	card, err := frame.Card(rfid.H10301)
	fmt.Println(card, err)
	// Output:
	// true 26 52
	// 170:31527 <nil>
}

// ExampleReadCapture replays a captured stream in which an edge was lost
// (sequence number 4, the end of the 0 pulse, is missing): the 0 bit never
// completes and the frame is flagged, not misread.
func ExampleReadCapture() {
	capture := `# two bits, then a gap
0       D1 fall 1
40000   D1 rise 2
2000000 D0 fall 3
9000000 D1 fall 5
9040000 D1 rise 6
`
	events, err := rfid.ReadCapture(strings.NewReader(capture))
	if err != nil {
		panic(err)
	}
	d, _ := rfid.NewDecoder(&rfid.Options{BothEdges: true})
	for _, e := range events {
		d.Edge(e)
	}
	frame, _ := d.Flush()
	fmt.Println(frame)
	fmt.Println(errors.Is(frame.Err(), rfid.ErrLostEdge))
	// Output:
	// 2 bits 0x3 bad: lost edge
	// true
}

func ExamplePolicy_Card() {
	site := &rfid.Policy{
		Format:     rfid.H10301,
		Facilities: []uint32{170},
		People:     []rfid.Range{{First: 1000, Last: 1999}},
		Devices:    []rfid.Range{{First: 50000, Last: 59999}},
	}
	for _, tag := range []struct{ fac, num uint32 }{{170, 1001}, {170, 50007}, {99, 1001}} {
		raw, _ := rfid.H10301.Encode(tag.fac, tag.num)
		c, err := site.Card(rfid.Frame{Raw: raw, Bits: 26, End: time.Second})
		if err != nil {
			fmt.Println(c, err)
			continue
		}
		fmt.Println(c, site.Kind(c))
	}
	// Output:
	// 170:1001 person
	// 170:50007 device
	// 99:1001 rfid: facility code not allowed: 99
}

// ExampleDecoder_Flush is the README's rfid snippet, line for line: a
// frame is complete only when the lines have been quiet for the gap, so
// the loop over edges delivers every frame but the last, which a driver
// gets from Tick after the gap and a finished stream from Flush.
func ExampleDecoder_Flush() {
	raw, _ := rfid.H10301.Encode(170, 31527)                    // 0x354f64e, parity included
	var g rfid.Generator                                        // a reader emulator; or edges from rfid/gpio or a capture
	edges := g.Frame(nil, raw, 26)                              // 26 pulses, 52 edges
	g.Pause(100 * time.Millisecond)                             // the reader is quiet between cards
	edges = g.Frame(edges, raw^1<<7, 26)                        // the next card, one bit flipped on the air
	dec, err := rfid.NewDecoder(&rfid.Options{BothEdges: true}) // 25 ms frame gap, 10 µs glitch filter
	if err != nil {
		panic(err) // only for invalid options
	}
	for _, e := range edges {
		if frame, ok := dec.Edge(e); ok { // the first edge after a gap ends the frame before it
			card, err := frame.Card(rfid.H10301)
			fmt.Println(card, err)
		}
	}
	if frame, ok := dec.Flush(); ok { // the last frame: Tick(now) after the gap, or Flush at the end
		card, err := frame.Card(rfid.H10301) // errors.Is(err, rfid.ErrParity), rfid.ErrLostEdge, ...
		fmt.Println(card, err)
	}
	// Output:
	// 170:31527 <nil>
	// 0:0 rfid: parity error: H10301 parity bit at position 26
}
