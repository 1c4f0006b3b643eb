package rfid

import (
	"fmt"
	"time"
)

// Line is a Wiegand data line. The zero Line is D0. Lines are values, safe
// to share.
type Line uint8

// The two Wiegand data lines. A pulse on DATA0 sends a 0 bit, a pulse on
// DATA1 a 1 bit.
const (
	D0 Line = iota
	D1
)

// String returns "D0" or "D1".
func (l Line) String() string {
	switch l {
	case D0:
		return "D0"
	case D1:
		return "D1"
	}
	return fmt.Sprintf("Line(%d)", uint8(l))
}

// Edge is the direction of a transition on a data line. Wiegand lines idle
// high, so a pulse starts with a falling edge and ends with a rising edge.
// The zero Edge is Falling. Edges are values, safe to share.
type Edge uint8

// The two edge directions.
const (
	Falling Edge = iota
	Rising
)

// String returns "fall" or "rise".
func (e Edge) String() string {
	switch e {
	case Falling:
		return "fall"
	case Rising:
		return "rise"
	}
	return fmt.Sprintf("Edge(%d)", uint8(e))
}

// Event is one edge seen on a data line.
//
// The zero Event is a falling edge on D0 at time 0 without sequence number.
// Events are values, safe to share.
type Event struct {
	// Time is when the edge happened on a monotonic clock with an
	// arbitrary origin, such as the kernel's CLOCK_MONOTONIC timestamp of a
	// GPIO line event.
	Time time.Duration

	// Seq is the kernel's sequence number of the event across both lines,
	// starting at 1; 0 means unknown. When the decoder sees consecutive
	// non-zero numbers that are not consecutive integers, edges were lost.
	Seq uint32

	// Line is the data line.
	Line Line

	// Edge is the transition direction.
	Edge Edge
}

// String formats the event as in the capture format, e.g. "2040000 D1 fall 3".
func (e Event) String() string {
	if e.Seq == 0 {
		return fmt.Sprintf("%d %v %v", int64(e.Time), e.Line, e.Edge)
	}
	return fmt.Sprintf("%d %v %v %d", int64(e.Time), e.Line, e.Edge, e.Seq)
}
