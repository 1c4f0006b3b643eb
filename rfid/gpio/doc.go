// Package gpio reads a Wiegand card reader wired to two GPIO lines of a
// Linux GPIO character device (/dev/gpiochipN) and feeds the edges to an
// [rfid.Decoder].
//
// It uses github.com/warthog618/go-gpiocdev (uAPI v2 where available) and
// requests DATA0 and DATA1 together, in one request, as inputs with
// pull-up bias, edge detection on falling edges (both edges when the
// decoder is in both-edge mode), a large kernel event buffer and no kernel
// debounce — debouncing would swallow the 40 µs Wiegand pulses. Each line
// event's offset, edge, kernel timestamp (CLOCK_MONOTONIC) and request
// sequence number become an [rfid.Event]; a ticker at half the decoder's
// frame gap ends the last frame of a burst. [Run] stops and releases the
// lines when its context is cancelled.
//
// # Kernel versions
//
// Bias needs Linux 5.5 and the event buffer size 5.10. On kernels that
// only offer uAPI v1, go-gpiocdev ignores the buffer size and events carry
// no sequence numbers, so a lost edge is caught only by both-edge mode
// (a pulse missing its start or end) or by the card format's length and
// parity checks. Timestamps are CLOCK_MONOTONIC from Linux 5.7 and
// CLOCK_REALTIME before; ticks are computed relative to the last event's
// timestamp, so either clock works.
//
// Following go-gpiocdev, this adapter alone uses functional options
// ([Option]); the rest of craftkit uses option structs.
//
// # Platforms
//
// On Linux the adapter is real. Elsewhere [Run] returns an error matching
// [errors.ErrUnsupported], so programs that mention it still build.
//
// # What was tested
//
// The machine this package was developed on has no GPIO chips and cannot
// load gpio-sim. The translation of line events into decoder events
// ([Mapping.Event]) and the event loop (decoding, ticking, stopping on
// cancellation) are unit-tested from recorded gpiocdev.LineEvent values,
// including a lost event shown by a sequence-number gap. The line request
// itself — bias, edge detection, buffer size, the kernel's timestamps and
// sequence numbers — has NOT been exercised on hardware; it follows the
// go-gpiocdev documentation. Please report results from a real reader.
//
// # Concurrency
//
// go-gpiocdev delivers events on its own goroutine; Run hands them to its
// caller's goroutine through a buffered channel, so the decoder and the
// frame callback run only on the goroutine that called Run. If that
// channel overflows, events are dropped and the sequence-number gap marks
// the affected frame bad.
package gpio
