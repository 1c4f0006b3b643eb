package ipdb

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"net/netip"
	"strings"
)

// Range is the closed range of addresses [From, To] of one family.
// The zero Range is invalid. Ranges are plain values (like netip.Addr),
// safe to copy and to share between goroutines.
type Range struct {
	From, To netip.Addr
}

// RangeOf returns the range of addresses covered by prefix p
// (an IPv4-mapped IPv6 prefix of length 96 or more becomes IPv4).
func RangeOf(p netip.Prefix) Range {
	p = p.Masked()
	a := p.Addr()
	if a.Is4In6() && p.Bits() >= 96 {
		a = a.Unmap()
		p = netip.PrefixFrom(a, p.Bits()-96)
	}
	if !p.IsValid() {
		return Range{}
	}
	if a.Is4() {
		lo := v4key(a)
		hi := lo | uint32(uint64(1)<<(32-p.Bits())-1)
		return Range{a, v4addr(hi)}
	}
	lo := v6key(a)
	hi := lo
	host := 128 - p.Bits()
	switch {
	case host >= 64:
		hi.lo = ^uint64(0)
		hi.hi |= ^uint64(0) >> (128 - host)
	case host > 0:
		hi.lo |= ^uint64(0) >> (64 - host)
	}
	return Range{a, hi.addr()}
}

// ParseRange parses "a-b" (spaces around the dash allowed), a CIDR prefix
// "a/n" or a single address "a". IPv4-mapped IPv6 addresses are unmapped and
// zones dropped. Host bits of a prefix are ignored (10.1.2.3/8 is 10.0.0.0/8).
// It does not check that From <= To; see [Range.Valid].
func ParseRange(s string) (Range, error) {
	s = strings.TrimSpace(s)
	if from, to, ok := strings.Cut(s, "-"); ok {
		a, err := parseAddr(strings.TrimSpace(from))
		if err != nil {
			return Range{}, err
		}
		b, err := parseAddr(strings.TrimSpace(to))
		if err != nil {
			return Range{}, err
		}
		return Range{a, b}, nil
	}
	if strings.Contains(s, "/") {
		if len(s) > maxAddrText+4 {
			return Range{}, fmt.Errorf("%w: prefix of %d bytes is too long", ErrSyntax, len(s))
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return Range{}, syntaxError{err}
		}
		return RangeOf(p), nil
	}
	a, err := parseAddr(s)
	if err != nil {
		return Range{}, err
	}
	return Range{a, a}, nil
}

// maxAddrText bounds the text of one address: the longest IPv6 form is 45
// bytes, and a zone (dropped anyway) is an interface name of at most 15.
// Longer text is refused before parsing, so that an error never quotes
// more than this of it.
const maxAddrText = 64

func parseAddr(s string) (netip.Addr, error) {
	if s == "" {
		return netip.Addr{}, errMissingAddr{}
	}
	if len(s) > maxAddrText {
		return netip.Addr{}, fmt.Errorf("%w: address of %d bytes is too long", ErrSyntax, len(s))
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, syntaxError{err}
	}
	return a.Unmap().WithZone(""), nil
}

// syntaxError wraps a netip parse error as ErrSyntax, formatting the
// message only when asked: rows past MaxProblems are counted, not shown.
type syntaxError struct{ err error }

func (e syntaxError) Error() string   { return ErrSyntax.Error() + ": " + e.err.Error() }
func (e syntaxError) Unwrap() []error { return []error{ErrSyntax, e.err} }

// errMissingAddr reports an empty address field (ErrSyntax) without an
// allocation.
type errMissingAddr struct{}

func (errMissingAddr) Error() string { return ErrSyntax.Error() + ": missing address" }
func (errMissingAddr) Unwrap() error { return ErrSyntax }

// Valid reports nil if r is a usable range: both ends valid, of the same
// family, From <= To. Otherwise it returns an error wrapping ErrSyntax,
// ErrMixedFamily or ErrReversed.
func (r Range) Valid() error {
	from, to := r.From.Unmap(), r.To.Unmap()
	switch {
	case !from.IsValid() || !to.IsValid():
		return fmt.Errorf("%w: missing address", ErrSyntax)
	case from.Is4() != to.Is4():
		return ErrMixedFamily
	case from.Compare(to) > 0:
		return ErrReversed
	}
	return nil
}

// Contains reports whether ip (unmapped first) lies in r.
func (r Range) Contains(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	return r.From.Compare(ip) <= 0 && ip.Compare(r.To) <= 0 && ip.Is4() == r.From.Is4()
}

// String returns "From-To", or "<invalid>" for the zero Range.
func (r Range) String() string {
	if !r.From.IsValid() && !r.To.IsValid() {
		return "<invalid>"
	}
	return r.From.String() + "-" + r.To.String()
}

// AppendPrefixes appends the smallest list of CIDR prefixes covering
// exactly r to dst, in increasing order, and returns the extended slice.
// It appends nothing when r is not valid.
func (r Range) AppendPrefixes(dst []netip.Prefix) []netip.Prefix {
	if r.Valid() != nil {
		return dst
	}
	from, to := r.From.Unmap(), r.To.Unmap()
	width := 128
	if from.Is4() {
		width = 32
	}
	var lo, hi u128
	if from.Is4() {
		lo, hi = u128{0, uint64(v4key(from))}, u128{0, uint64(v4key(to))}
	} else {
		lo, hi = v6key(from), v6key(to)
	}
	for {
		// Largest aligned block starting at lo and not passing hi.
		host := lo.trailingZeros()
		if host > width {
			host = width
		}
		for host > 0 && lo.addHost(host).Compare(hi) > 0 {
			host--
		}
		if from.Is4() {
			dst = append(dst, netip.PrefixFrom(v4addr(uint32(lo.lo)), width-host))
		} else {
			dst = append(dst, netip.PrefixFrom(lo.addr(), width-host))
		}
		end := lo.addHost(host)
		if end.Compare(hi) >= 0 {
			return dst
		}
		lo = end.Next()
	}
}

// u32 is an IPv4 address as a key of the validation engine.
type u32 uint32

func (a u32) Compare(b u32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
func (a u32) Next() u32 { return a + 1 }
func (a u32) Prev() u32 { return a - 1 }

// u128 is an IPv6 address as a key: big-endian halves.
type u128 struct{ hi, lo uint64 }

func (a u128) Compare(b u128) int {
	switch {
	case a.hi < b.hi:
		return -1
	case a.hi > b.hi:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

func (a u128) Next() u128 {
	lo, c := bits.Add64(a.lo, 1, 0)
	return u128{a.hi + c, lo}
}

func (a u128) Prev() u128 {
	lo, b := bits.Sub64(a.lo, 1, 0)
	return u128{a.hi - b, lo}
}

func (a u128) trailingZeros() int {
	if a.lo != 0 {
		return bits.TrailingZeros64(a.lo)
	}
	if a.hi != 0 {
		return 64 + bits.TrailingZeros64(a.hi)
	}
	return 128
}

// addHost returns a with its low host bits all set (the last address of
// the block of 2^host addresses starting at a, which must be aligned).
func (a u128) addHost(host int) u128 {
	switch {
	case host >= 128:
		return u128{^uint64(0), ^uint64(0)}
	case host >= 64:
		return u128{a.hi | (uint64(1)<<(host-64) - 1), ^uint64(0)}
	}
	return u128{a.hi, a.lo | (uint64(1)<<host - 1)}
}

func (a u128) addr() netip.Addr {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], a.hi)
	binary.BigEndian.PutUint64(b[8:], a.lo)
	return netip.AddrFrom16(b)
}

func v6key(a netip.Addr) u128 {
	b := a.As16()
	return u128{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

// v4key returns the IPv4 address a as an integer; a must be IPv4.
func v4key(a netip.Addr) uint32 {
	b := a.As4()
	return binary.BigEndian.Uint32(b[:])
}

func v4addr(k uint32) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], k)
	return netip.AddrFrom4(b)
}
