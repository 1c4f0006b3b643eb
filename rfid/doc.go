// Package rfid decodes Wiegand card readers and checks the cards they read.
//
// Start here: create a [Decoder] with [NewDecoder], feed it edges with
// [Decoder.Edge] and call [Decoder.Tick] (or [Decoder.Flush] at the end) to
// get the last [Frame]; turn a frame into a [Card] with [Frame.Card].
//
// Most 125 kHz RFID readers speak Wiegand: two wires, DATA0 and DATA1,
// idle high; the reader pulls DATA0 low for about 40 µs to send a 0 bit and
// DATA1 to send a 1, one bit every 2 ms or so, with no clock and no framing
// — a frame ends when the lines go quiet. A reader that is sampled too
// slowly misses bits, so this package decodes exactly, from timestamps,
// and reports bad reads instead of returning wrong card numbers.
//
// # Decoding
//
// A [Decoder] is a pure state machine. The caller feeds it edges
// ([Event]: line, falling or rising, timestamp, optional kernel sequence
// number) with [Decoder.Edge] and the current time with [Decoder.Tick];
// both return a [Frame] when one is complete. It starts no goroutines and
// reads no clock, so it runs the same on a Raspberry Pi (see the adapter
// package rfid/gpio), in a test, or on a replayed capture.
//
// A frame ends after a configurable silence, [Options].Gap, by default
// 25 ms (the Arduino Wiegand library's choice; pigpio's example uses 5 ms,
// which splits frames from readers that space bits by up to 20 ms, so
// [Decoder.Warning] flags gaps under 20 ms).
//
// In the default falling-edge mode every falling edge is a bit. In
// both-edge mode ([Options].BothEdges) the decoder measures every pulse,
// drops pulses shorter than [Options].MinPulse (10 µs) as glitches, and
// notices a pulse missing its start or its end. In both modes, a frame is
// marked bad ([Frame].Fault, [Frame.Err]) when both lines are low at once
// ([ErrBothLow]), when it has more bits than [Options].MaxBits
// ([ErrOverflow]), when kernel sequence numbers skip ([ErrLostEdge]), or
// when timestamps run backwards ([ErrOrder]). A sequence-number gap shows
// only when the next edge arrives: when [Decoder.Tick] has already ended
// the frame before it, the gap marks the next frame, and a delivered frame
// that lost its last pulse is caught by the format's length check
// ([ErrBitCount]; [Raw] frames have none).
//
// Edges are [time.Duration] values on any monotonic clock (the kernel's
// CLOCK_MONOTONIC for GPIO events). Feeding an edge costs about 10 ns on a
// shared 2-core machine (BenchmarkDecoderBoth) and does not allocate.
//
// # Card formats
//
// The caller chooses the [Format]; several share a length, so the
// package never guesses. Raw values hold the first transmitted bit as the
// most significant. Positions below count from 1 = first transmitted bit;
// "E" is an even and "O" an odd parity bit over the listed positions.
//
//	H10301            26 bits  1:E(2-13)  2-9 facility (8)   10-25 number (16)  26:O(14-25)
//	H10306            34 bits  1:E(2-17)  2-17 facility (16) 18-33 number (16)  34:O(18-33)
//	H10302            37 bits  1:E(2-19)  2-36 number (35)                      37:O(19-36)
//	H10304            37 bits  1:E(2-19)  2-17 facility (16) 18-36 number (19)  37:O(19-36)
//	Corporate1000_35  35 bits  1:O(all)  2:E(3,4,6,7,...,33,34)  3-14 company (12)
//	                           15-34 number (20)  35:O(2,3,5,6,...,32,33)
//	Corporate1000_48  48 bits  1:O(all)  2:E(4,5,7,8,...,46,47)  3-24 company (22)
//	                           25-47 number (23)  48:O(3,4,6,7,...,45,46)
//	Keypad4            4 bits  key (0-9, 10 = '*', 11 = '#'), no check
//	Keypad8            8 bits  1-4 complement of the key, 5-8 key
//	Raw             1-64 bits  passed through: Facility = bits 63-32, Number = bits 31-0
//
// The golden vector: H10301 facility 170, card 31527 encodes to 0x354F64E.
// The tests check every layout against an independent bit-by-bit encoder
// of the positions above, and H10301 and H10302 against example frames
// published in a reader manual (10/1093 is 0x14088B; H10302 card
// 123456789 is 0x100EB79A2B).
// H10302 card numbers are 35 bits wide; their top three bits are in
// [Card].NumberHigh and [Format.EncodeCard] encodes them.
//
// Every single-bit error is detected in every format with a check (tested
// for every bit position; parity is linear, so this does not depend on the
// data). Double-bit errors slip through at these rates (all pairs of
// positions counted):
//
//	H10301            156 of 325  pairs (48.0%)
//	H10306            272 of 561  pairs (48.5%)
//	H10302, H10304    306 of 666  pairs (45.9%)
//	Corporate1000_35  176 of 595  pairs (29.6%)
//	Corporate1000_48  345 of 1128 pairs (30.6%)
//	Keypad8             4 of 28   pairs (14.3%)
//
// A lost pulse changes the frame length and is caught by [Frame.Card]'s
// length check ([ErrBitCount]) before parity is consulted; in both-edge
// mode a single lost edge is caught by the decoder itself.
//
// # Site policy
//
// A [Policy] names the site's format, the facility codes it accepts
// ([ErrFacility] otherwise) and, optionally, card-number ranges telling
// persons' badges from device tags. The check-out flow of a device lab,
// built on it, is in the package rfid/checkout.
//
// # Waveforms and captures
//
// A [Generator] renders frames as the edges a reader would produce:
// nominal 40 µs pulses every 2 ms, with optional jitter, glitches, lost
// edges and kernel sequence numbers, from a seeded random source. The
// capture text format ([ReadCapture], [WriteCapture]) stores edge streams,
// one edge per line:
//
//	# comment
//	<time> <line> <edge> [<seq>]
//	2040000 D1 fall 3
//
// time is nanoseconds (or a Go duration such as 2.04ms), line is D0 or D1,
// edge is fall or rise, and seq the optional kernel sequence number.
//
// # Limits
//
// No function panics on any input ([Generator.Frame] panics only when it
// needs randomness and Rand is nil, a programming error). A [Decoder]
// keeps constant state: feeding it any number of edges, in any order,
// with any timestamps and sequence numbers, never allocates, and a frame
// holds at most [MaxBits] bits. [ReadCapture] refuses lines longer than
// 1024 bytes and allocates at most 8 bytes per byte of capture (16 KB at
// least); [ParseEvent] does not allocate for valid lines. Errors quote at
// most 64 bytes of a line.
//
// # Concurrency
//
// [Decoder] and [Generator] are not safe for concurrent use; [Format],
// [Card], [Frame] and an unmodified [Policy] are values safe to share.
package rfid
