package rfid

import (
	"fmt"
	"math/bits"
	"strings"
)

// Format is a Wiegand card or keypad format. The caller chooses the format:
// several formats share a length (H10302 and H10304 are both 37 bits), so
// the package never guesses one from the bit count.
//
// The zero Format is not a valid format; its methods return [ErrFormat].
// Format values are constants and safe for concurrent use.
type Format uint8

// The supported formats. Bit layouts are in the package documentation.
const (
	// H10301 is the 26-bit HID standard: even parity, 8-bit facility
	// code, 16-bit card number, odd parity.
	H10301 Format = iota + 1

	// H10306 is the 34-bit format: even parity, 16-bit facility code,
	// 16-bit card number, odd parity.
	H10306

	// Corporate1000_35 is HID Corporate 1000 35-bit: three parity bits,
	// 12-bit company code (Facility) and 20-bit card number.
	Corporate1000_35

	// Corporate1000_48 is HID Corporate 1000 48-bit: three parity bits,
	// 22-bit company code (Facility) and 23-bit card number.
	Corporate1000_48

	// H10302 is the 37-bit format without facility code: even parity,
	// 35-bit card number, odd parity. The number's three high bits are in
	// [Card].NumberHigh.
	H10302

	// H10304 is the 37-bit format with facility code: even parity, 16-bit
	// facility code, 19-bit card number, odd parity.
	H10304

	// Keypad4 is one key press sent as 4 bits (0-9, 10 for '*', 11 for
	// '#'), without a check.
	Keypad4

	// Keypad8 is one key press sent as 8 bits: the complement of the key
	// in the high nibble, then the key. A mismatch is a parity error.
	Keypad8

	// Raw passes frames of any length from 1 to 64 bits through unchanged:
	// Facility holds bits 63-32 and Number bits 31-0 of the raw value.
	Raw
)

// parity describes one parity bit: the bit's position (shift from the
// last transmitted bit), the data bits it covers and its sense.
type parity struct {
	bit  uint8
	mask uint64
	odd  bool
}

// layout is the field and parity layout of a fixed-length format.
// Parity bits are listed in the order they must be computed when encoding
// (a later parity bit may cover an earlier one).
type layout struct {
	bits               int
	facShift, facWidth uint8
	numShift, numWidth uint8
	par                [3]parity
	npar               int
}

// layout returns the format's layout; ok is false for Raw, the keypad
// formats and invalid values, which are handled separately.
func (f Format) layout() (l layout, ok bool) {
	switch f {
	case H10301:
		return layout{bits: 26, facShift: 17, facWidth: 8, numShift: 1, numWidth: 16, par: [3]parity{
			{bit: 25, mask: 0xFFF << 13},
			{bit: 0, mask: 0xFFF << 1, odd: true},
		}, npar: 2}, true
	case H10306:
		return layout{bits: 34, facShift: 17, facWidth: 16, numShift: 1, numWidth: 16, par: [3]parity{
			{bit: 33, mask: 0xFFFF << 17},
			{bit: 0, mask: 0xFFFF << 1, odd: true},
		}, npar: 2}, true
	case Corporate1000_35:
		return layout{bits: 35, facShift: 21, facWidth: 12, numShift: 1, numWidth: 20, par: [3]parity{
			{bit: 33, mask: 0x1_B6DB_6DB6},
			{bit: 0, mask: 0x3_6DB6_DB6C, odd: true},
			{bit: 34, mask: 0x3_FFFF_FFFF, odd: true},
		}, npar: 3}, true
	case Corporate1000_48:
		return layout{bits: 48, facShift: 24, facWidth: 22, numShift: 1, numWidth: 23, par: [3]parity{
			{bit: 46, mask: 0x1B6D_B6DB_6DB6},
			{bit: 0, mask: 0x36DB_6DB6_DB6C, odd: true},
			{bit: 47, mask: 0x7FFF_FFFF_FFFF, odd: true},
		}, npar: 3}, true
	case H10302:
		return layout{bits: 37, numShift: 1, numWidth: 35, par: [3]parity{
			{bit: 36, mask: 0x3FFFF << 18},
			{bit: 0, mask: 0x3FFFF << 1, odd: true},
		}, npar: 2}, true
	case H10304:
		return layout{bits: 37, facShift: 20, facWidth: 16, numShift: 1, numWidth: 19, par: [3]parity{
			{bit: 36, mask: 0x3FFFF << 18},
			{bit: 0, mask: 0x3FFFF << 1, odd: true},
		}, npar: 2}, true
	case Keypad4:
		return layout{bits: 4, numWidth: 4}, true
	}
	return layout{}, false
}

// Card is the content of a decoded frame.
//
// The zero Card is facility 0, number 0. Cards are comparable values, safe
// to share.
type Card struct {
	// Facility is the facility (site, company) code; 0 for formats
	// without one.
	Facility uint32

	// Number is the card number (the key for keypad formats), or its low
	// 32 bits when the format's number field is wider.
	Number uint32

	// NumberHigh holds the card number's bits above bit 31. Only H10302
	// (35-bit numbers) sets it; it is 0 otherwise.
	NumberHigh uint32
}

// ID returns the card number as one value: NumberHigh<<32 | Number.
func (c Card) ID() uint64 { return uint64(c.NumberHigh)<<32 | uint64(c.Number) }

// String formats the card as "facility:number", e.g. "170:31527".
func (c Card) String() string { return fmt.Sprintf("%d:%d", c.Facility, c.ID()) }

// String returns the format's name, e.g. "H10301".
func (f Format) String() string {
	switch f {
	case H10301:
		return "H10301"
	case H10306:
		return "H10306"
	case Corporate1000_35:
		return "Corporate1000-35"
	case Corporate1000_48:
		return "Corporate1000-48"
	case H10302:
		return "H10302"
	case H10304:
		return "H10304"
	case Keypad4:
		return "Keypad4"
	case Keypad8:
		return "Keypad8"
	case Raw:
		return "Raw"
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// Formats returns every supported format, in declaration order.
func Formats() []Format {
	return []Format{H10301, H10306, Corporate1000_35, Corporate1000_48, H10302, H10304, Keypad4, Keypad8, Raw}
}

// ParseFormat returns the format named s (as printed by [Format.String],
// case-insensitive).
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if strings.EqualFold(s, f.String()) {
			return f, nil
		}
	}
	return 0, fmt.Errorf("%w %q", ErrFormat, s)
}

// Bits returns the frame length of the format, or 0 for Raw (any length
// from 1 to 64) and for invalid formats.
func (f Format) Bits() int {
	if f == Keypad8 {
		return 8
	}
	l, _ := f.layout()
	return l.bits
}

// HasParity reports whether the format carries a check on its data bits
// (parity bits, or the complement nibble of Keypad8).
func (f Format) HasParity() bool {
	if f == Keypad8 {
		return true
	}
	l, _ := f.layout()
	return l.npar > 0
}

// Encode returns the frame for a facility code and card number: the raw
// bits with parity included, the first transmitted bit most significant.
// It returns an error matching [ErrRange] when a value does not fit its
// field (a format without facility code requires facility 0) and
// [ErrFormat] for an invalid format. H10302 numbers above 32 bits are
// encoded with [Format.EncodeCard].
func (f Format) Encode(facility, number uint32) (uint64, error) {
	return f.EncodeCard(Card{Facility: facility, Number: number})
}

// EncodeCard is like [Format.Encode] but also encodes [Card].NumberHigh,
// so that EncodeCard(Decode(raw)) returns raw for every valid frame.
func (f Format) EncodeCard(c Card) (uint64, error) {
	switch f {
	case Raw:
		if c.NumberHigh != 0 {
			return 0, fmt.Errorf("%w: %v has no number bits above 32", ErrRange, f)
		}
		return uint64(c.Facility)<<32 | uint64(c.Number), nil
	case Keypad8:
		if c.Facility != 0 || c.NumberHigh != 0 || c.Number > 0xF {
			return 0, fmt.Errorf("%w: %v key %v (want facility 0, key 0-15)", ErrRange, f, c)
		}
		k := uint64(c.Number)
		return (^k&0xF)<<4 | k, nil
	}
	l, ok := f.layout()
	if !ok {
		return 0, fmt.Errorf("%w: %v", ErrFormat, f)
	}
	fac, num := uint64(c.Facility), c.ID()
	if fac>>l.facWidth != 0 {
		return 0, fmt.Errorf("%w: %v facility %d exceeds %d bits", ErrRange, f, fac, l.facWidth)
	}
	if num>>l.numWidth != 0 {
		return 0, fmt.Errorf("%w: %v card number %d exceeds %d bits", ErrRange, f, num, l.numWidth)
	}
	raw := fac<<l.facShift | num<<l.numShift
	for _, p := range l.par[:l.npar] {
		ones := bits.OnesCount64(raw & p.mask)
		if (ones%2 == 1) != p.odd {
			raw |= 1 << p.bit
		}
	}
	return raw, nil
}

// Decode returns the card in a frame's raw bits (first transmitted bit
// most significant). It returns an error matching [ErrParity] when a
// parity bit does not match, [ErrRange] when raw has bits beyond the
// format's length, and [ErrFormat] for an invalid format. Decode does not
// allocate unless it fails.
func (f Format) Decode(raw uint64) (Card, error) {
	switch f {
	case Raw:
		return Card{Facility: uint32(raw >> 32), Number: uint32(raw)}, nil
	case Keypad8:
		if raw>>8 != 0 {
			return Card{}, fmt.Errorf("%w: %v raw %#x wider than 8 bits", ErrRange, f, raw)
		}
		k := raw & 0xF
		if raw>>4 != ^k&0xF {
			return Card{}, fmt.Errorf("%w: %v check nibble %#x for key %d", ErrParity, f, raw>>4, k)
		}
		return Card{Number: uint32(k)}, nil
	}
	l, ok := f.layout()
	if !ok {
		return Card{}, fmt.Errorf("%w: %v", ErrFormat, f)
	}
	if raw>>l.bits != 0 {
		return Card{}, fmt.Errorf("%w: %v raw %#x wider than %d bits", ErrRange, f, raw, l.bits)
	}
	for _, p := range l.par[:l.npar] {
		ones := bits.OnesCount64(raw & (p.mask | 1<<p.bit))
		if (ones%2 == 1) != p.odd {
			return Card{}, fmt.Errorf("%w: %v parity bit at position %d", ErrParity, f, l.bits-int(p.bit))
		}
	}
	num := raw >> l.numShift & (1<<l.numWidth - 1)
	return Card{
		Facility:   uint32(raw >> l.facShift & (1<<l.facWidth - 1)),
		Number:     uint32(num),
		NumberHigh: uint32(num >> 32),
	}, nil
}
