package rfid_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/craftkit/craftkit/rfid"
)

// TestContract exercises the public card-format API exactly as callers
// outside the package see it: Format constants with
// Encode(facility, number uint32) (uint64, error) and
// Decode(raw uint64) (Card, error), Card.Facility and Card.Number of type
// uint32, ErrParity for parity failures and an error for values that do
// not fit.
func TestContract(t *testing.T) {
	var (
		encode func(facility, number uint32) (uint64, error) = rfid.H10301.Encode
		decode func(raw uint64) (rfid.Card, error)           = rfid.H10301.Decode
	)

	t.Run("golden H10301 170/31527", func(t *testing.T) {
		raw, err := encode(170, 31527)
		require.NoError(t, err)
		assert.Equal(t, uint64(0x354F64E), raw)
		c, err := decode(0x354F64E)
		require.NoError(t, err)
		var fac, num uint32 = c.Facility, c.Number
		assert.Equal(t, uint32(170), fac)
		assert.Equal(t, uint32(31527), num)
		assert.Equal(t, rfid.Card{Facility: 170, Number: 31527}, c)
	})

	t.Run("parity failure matches ErrParity", func(t *testing.T) {
		for i := range 26 {
			_, err := decode(0x354F64E ^ 1<<i)
			if !errors.Is(err, rfid.ErrParity) {
				t.Errorf("H10301.Decode(%#x) error = %v, want ErrParity", 0x354F64E^1<<i, err)
			}
		}
	})

	// The widths of each format's fields; Raw and keypads are special.
	widths := []struct {
		f        rfid.Format
		fac, num int
	}{
		{rfid.H10301, 8, 16},
		{rfid.H10306, 16, 16},
		{rfid.Corporate1000_35, 12, 20},
		{rfid.Corporate1000_48, 22, 23},
		{rfid.H10302, 0, 32}, // 35 bits wide; Encode's uint32 always fits
		{rfid.H10304, 16, 19},
		{rfid.Keypad4, 0, 4},
		{rfid.Keypad8, 0, 4},
	}
	for _, w := range widths {
		t.Run(w.f.String(), func(t *testing.T) {
			maxFac, maxNum := uint32(1<<w.fac-1), uint32(1<<w.num-1)
			raw, err := w.f.Encode(maxFac, maxNum)
			require.NoError(t, err)
			if n := w.f.Bits(); raw>>n != 0 {
				t.Fatalf("%v.Encode(%d, %d) = %#x, wider than %d bits", w.f, maxFac, maxNum, raw, n)
			}
			c, err := w.f.Decode(raw)
			require.NoError(t, err)
			assert.Equal(t, rfid.Card{Facility: maxFac, Number: maxNum}, c)

			if w.fac < 32 {
				_, err = w.f.Encode(maxFac+1, 0)
				assert.ErrorIs(t, err, rfid.ErrRange, "%v.Encode(%d, 0)", w.f, maxFac+1)
			}
			if w.num < 32 {
				_, err = w.f.Encode(0, maxNum+1)
				assert.ErrorIs(t, err, rfid.ErrRange, "%v.Encode(0, %d)", w.f, maxNum+1)
			}
			if w.f.HasParity() {
				for i := range w.f.Bits() {
					if _, err := w.f.Decode(raw ^ 1<<i); !errors.Is(err, rfid.ErrParity) {
						t.Errorf("%v.Decode(%#x) error = %v, want ErrParity", w.f, raw^1<<i, err)
					}
				}
			}
		})
	}
}

// TestPublishedVectors checks frames printed in third-party documentation
// (a Nedap reader manual's examples of HID H10301 and H10302 output).
func TestPublishedVectors(t *testing.T) {
	tests := []struct {
		f        rfid.Format
		fac, num uint32
		want     uint64
	}{
		{rfid.H10301, 170, 31527, 0x354F64E},
		{rfid.H10301, 10, 1093, 0x14088B},
		{rfid.H10302, 0, 123456789, 0x100EB79A2B},
	}
	for _, tt := range tests {
		got, err := tt.f.Encode(tt.fac, tt.num)
		require.NoError(t, err)
		assert.Equalf(t, tt.want, got, "%v.Encode(%d, %d) = %#x, want %#x", tt.f, tt.fac, tt.num, got, tt.want)
	}
}

// spec is a card layout written down independently of the package, from
// the published descriptions: positions count from 1 = first transmitted
// bit; each parity bit lists the positions it covers, in the order the
// bits must be computed.
type spec struct {
	bits     int
	fac, num [2]int // first and last position; {0, 0} for none
	par      []specParity
}

type specParity struct {
	pos    int
	odd    bool
	covers func(p int) bool
}

func span(a, b int) func(int) bool { return func(p int) bool { return a <= p && p <= b } }

// every returns positions a..b except those congruent to skip mod 3.
func every(a, b, skip int) func(int) bool {
	return func(p int) bool { return a <= p && p <= b && p%3 != skip }
}

func specs() map[rfid.Format]spec {
	return map[rfid.Format]spec{
		rfid.H10301: {26, [2]int{2, 9}, [2]int{10, 25}, []specParity{
			{1, false, span(2, 13)}, {26, true, span(14, 25)}}},
		rfid.H10306: {34, [2]int{2, 17}, [2]int{18, 33}, []specParity{
			{1, false, span(2, 17)}, {34, true, span(18, 33)}}},
		rfid.H10302: {37, [2]int{}, [2]int{2, 36}, []specParity{
			{1, false, span(2, 19)}, {37, true, span(19, 36)}}},
		rfid.H10304: {37, [2]int{2, 17}, [2]int{18, 36}, []specParity{
			{1, false, span(2, 19)}, {37, true, span(19, 36)}}},
		// HID Corporate 1000 35-bit: P2 even over 3,4,6,7,...,33,34;
		// P35 odd over 2,3,5,6,...,32,33; P1 odd over 2-35.
		rfid.Corporate1000_35: {35, [2]int{3, 14}, [2]int{15, 34}, []specParity{
			{2, false, every(3, 34, 2)}, {35, true, every(2, 33, 1)}, {1, true, span(2, 35)}}},
		// HID Corporate 1000 48-bit: P2 even over 4,5,7,8,...,46,47;
		// P48 odd over 3,4,6,7,...,45,46; P1 odd over 2-48.
		rfid.Corporate1000_48: {48, [2]int{3, 24}, [2]int{25, 47}, []specParity{
			{2, false, every(4, 47, 0)}, {48, true, every(3, 46, 2)}, {1, true, span(2, 48)}}},
	}
}

// encode builds a frame bit by bit from the spec.
func (s spec) encode(fac, num uint64) uint64 {
	bit := make([]uint64, s.bits+1) // bit[p] for position p
	put := func(field [2]int, v uint64) {
		for p := field[1]; field[0] != 0 && p >= field[0]; p-- {
			bit[p] = v & 1
			v >>= 1
		}
	}
	put(s.fac, fac)
	put(s.num, num)
	for _, par := range s.par {
		ones := uint64(0)
		for p := 1; p <= s.bits; p++ {
			if par.covers(p) {
				ones += bit[p]
			}
		}
		bit[par.pos] = ones & 1
		if par.odd {
			bit[par.pos] ^= 1
		}
	}
	var raw uint64
	for p := 1; p <= s.bits; p++ {
		raw = raw<<1 | bit[p]
	}
	return raw
}

// TestLayoutsMatchSpec compares every parity format's Encode with a
// bit-by-bit encoder written from the published layouts, on the extreme
// and random values.
func TestLayoutsMatchSpec(t *testing.T) {
	for f, s := range specs() {
		t.Run(f.String(), func(t *testing.T) {
			facW, numW := 0, s.num[1]-s.num[0]+1
			if s.fac[0] != 0 {
				facW = s.fac[1] - s.fac[0] + 1
			}
			assert.Equal(t, s.bits, f.Bits())
			rng := rand.New(rand.NewPCG(7, uint64(f)))
			for i := range 5000 {
				var fac, num uint64
				switch i {
				case 0:
				case 1:
					fac, num = 1<<facW-1, 1<<numW-1
				default:
					fac, num = rng.Uint64N(1<<facW), rng.Uint64N(1<<numW)
				}
				c := rfid.Card{Facility: uint32(fac), Number: uint32(num), NumberHigh: uint32(num >> 32)}
				got, err := f.EncodeCard(c)
				require.NoError(t, err)
				if want := s.encode(fac, num); got != want {
					t.Fatalf("%v.EncodeCard(%v) = %#x, published layout gives %#x", f, c, got, want)
				}
			}
		})
	}
}
