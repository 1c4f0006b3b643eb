package rfid

import "errors"

// Sentinel errors. Callers branch on them with [errors.Is]; the package
// always returns these values (possibly wrapped), never copies.
var (
	// ErrParity reports a frame whose parity (or keypad check nibble) does
	// not match its data bits.
	ErrParity = errors.New("rfid: parity error")

	// ErrRange reports a facility code or card number that does not fit
	// the format's field, or raw bits wider than the format.
	ErrRange = errors.New("rfid: value out of range")

	// ErrBitCount reports a frame whose length differs from the format's.
	ErrBitCount = errors.New("rfid: unexpected bit count")

	// ErrFormat reports an unknown Format value or format name.
	ErrFormat = errors.New("rfid: unknown format")

	// ErrBothLow reports that DATA0 and DATA1 were low at the same time
	// during a frame, which a working reader never does.
	ErrBothLow = errors.New("rfid: both data lines low")

	// ErrOverflow reports a frame with more bits than the decoder's maximum.
	ErrOverflow = errors.New("rfid: too many bits")

	// ErrLostEdge reports a frame during which at least one edge was lost:
	// a gap in kernel sequence numbers, or (in both-edge mode) a pulse
	// without its start or its end.
	ErrLostEdge = errors.New("rfid: lost edge")

	// ErrOrder reports edges whose timestamps went backwards.
	ErrOrder = errors.New("rfid: timestamps out of order")

	// ErrShortGap is the warning returned by [Decoder.Warning] when the
	// frame gap is below 20 ms: a gap shorter than the longest bit interval
	// a reader may use (20 ms) splits one frame into two.
	ErrShortGap = errors.New("rfid: frame gap below 20 ms may split frames")

	// ErrEvent reports an event with an invalid line or edge value.
	ErrEvent = errors.New("rfid: invalid event")

	// ErrSyntax reports a malformed capture line.
	ErrSyntax = errors.New("rfid: invalid capture syntax")

	// ErrFacility reports a card whose facility code the site does not allow.
	ErrFacility = errors.New("rfid: facility code not allowed")
)
