package ipdb

import (
	"net/netip"
	"unsafe"
)

// IPv6 lookups read an address's 128 bits straight from the netip.Addr
// value when a table has checked that this gives the same key as As16.
// As16 returns the bits through a 16-byte array in memory, which the
// compiler copies once more: the 16-byte reload of two 8-byte stores
// stalls, and cost a quarter of an IPv6 lookup. netip.Addr has begun with
// its address as two uint64 halves, high first, since Go 1.18; if that
// ever changes, rawKeysOK reports false and lookups keep using As16.

// netip.Addr must be at least 16 bytes for rawV6key to stay within it
// (a compile error otherwise).
const _ = unsafe.Sizeof(netip.Addr{}) - 16

// rawV6key returns the key of a valid IPv6 address a, as v6key does,
// from its representation. Use it only when rawKeysOK is true.
func rawV6key(a *netip.Addr) u128 {
	p := (*[2]uint64)(unsafe.Pointer(a))
	return u128{p[0], p[1]}
}

// rawKeysOK reports whether rawV6key agrees with v6key, checked on
// addresses whose halves all differ (with and without a zone).
func rawKeysOK() bool {
	for _, s := range []string{
		"2001:db8:0102:0304:0506:0708:090a:0b0c", "fe80::8:1%eth0",
		"::1", "8000::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe",
	} {
		a := netip.MustParseAddr(s)
		if rawV6key(&a) != v6key(a) {
			return false
		}
	}
	return true
}
