package ipdb

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

func TestRawV6Key(t *testing.T) {
	if !rawKeysOK() {
		t.Fatal("rawKeysOK is false: netip.Addr's layout changed; IPv6 lookups fall back to As16")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 10000 {
		a := u128{rng.Uint64(), rng.Uint64()}.addr()
		if i%3 == 0 {
			a = a.WithZone("eth0")
		}
		if got, want := rawV6key(&a), v6key(a); got != want {
			t.Fatalf("rawV6key(%v) = %x, want %x", a, got, want)
		}
	}
	tab, err := Load(bytesReader([]byte("2001:db8::,2001:db8::ffff,doc,\n")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !tab.v6.rawKeys {
		t.Error("table does not use raw keys")
	}
	if r, ok := tab.Lookup(netip.MustParseAddr("2001:db8::1%eth0")); !ok || r.Owner != "doc" {
		t.Errorf("Lookup = %v, %v", r, ok)
	}
}
