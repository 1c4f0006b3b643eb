package ipdb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary CSV to Load: it must not panic, must fail only
// with *ParseError parts, and a table it builds must answer every row's
// ends with that row's owner and survive an encode/decode round trip.
func FuzzLoad(f *testing.F) {
	seeds := []string{
		"3.0.0.0,3.1.255.255,Amazon AWS,http://www.amazon.com/aws/\n",
		"64.5.32.0,64.5.63.255,\"ThePlanet.com Internet Services, Inc.\",http://theplanet.com\n",
		"10.0.0.0,10.0.0.255,A,\n10.0.1.0,10.0.1.255,B,\n",
		"10.0.0.0,10.0.0.255,A,\n10.0.0.128,10.0.1.0,B,\n",
		"10.0.0.9,10.0.0.1,A,\n",
		"10.0.0.0,2001:db8::1,A,\n",
		"2001:db8::,2001:db8::ffff,six,\n::ffff:1.2.3.4,::ffff:1.2.3.9,mapped,\n",
		"10.0.0.0,10.0.0.255,\"A\"x,\n",
		"10.0.0.0\n",
		"0.0.0.0,255.255.255.255,all,\n",
		"::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,all6,\n",
		"",
		"\ufeff1.0.0.0,1.0.0.9,A,\r\n",
		"start,end,owner,url\r\n1.0.0.0,1.0.0.255,\"A, Co.\",\r\n",
	}
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, data string, innermost bool) {
		if len(data) > 4096 {
			return
		}
		tab, err := Load(strings.NewReader(data), &LoadOptions{Innermost: innermost})
		if err != nil {
			if tab != nil {
				t.Fatal("table and error both returned")
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error %v is not a *ParseError with a line", err)
			}
			return
		}
		prev := Range{}
		for r, rec := range tab.All() {
			if r.Valid() != nil {
				t.Fatalf("invalid range %v in table", r)
			}
			if prev.To.IsValid() && prev.To.Is4() == r.From.Is4() && prev.To.Compare(r.From) >= 0 {
				t.Fatalf("ranges %v and %v not disjoint and sorted", prev, r)
			}
			prev = r
			for _, ip := range []netip.Addr{r.From, r.To} {
				if got, ok := tab.Lookup(ip); !ok || got != rec {
					t.Fatalf("Lookup(%v) = %v, %v, want %v", ip, got, ok, rec)
				}
			}
		}
		blob, err := tab.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(blob)
		if err != nil {
			t.Fatalf("Decode(MarshalBinary()) = %v", err)
		}
		again, _ := back.MarshalBinary()
		if !bytes.Equal(blob, again) {
			t.Fatal("round trip changed the encoding")
		}
	})
}

// FuzzLoadOptions feeds arbitrary input to Load with the other layouts:
// TSV, a header, comments, a prefix column and Strict. It must not panic,
// must fail only with *ParseError parts carrying a line, and a table it
// builds must answer every row's ends with that row's owner.
func FuzzLoadOptions(f *testing.F) {
	for _, s := range []string{
		"10.0.0.0/8\tA\thttps://a.example/\n10.1.0.0/16\tB\t\n",
		"# comment\nprefix\towner\n2001:db8::/32\tsix\n",
		"10.0.0.0-10.0.0.9\tA\n\"x\ty\n",
		"\ufeffnet,owner\r\n1.2.3.4,A\r\n",
		"34603008,35127295,http://www.akamai.com/\n50331648,50331903,https://example.net/\n",
		"0,4294967295,all\n4294967296,1,x\n",
		"5,2001:db8::,x\n167772160,10.0.0.255,ten\n",
		"1,1,http://a.example/,http://b.example/\n2,2,http://[::1]:80/\n3,3,https://www./\n",
		"10.0.0.0/8,A,cloud,deny\n10.1.0.0/16,B,crawler,\n10.2.0.0/16,C,bogus,allow\n10.3.0.0/16,D,,maybe\n",
	} {
		f.Add(s, byte(128|16), false)
		f.Add(s, byte(0), true)
		f.Add(s, byte(7), false)
		f.Add(s, byte(128|64), false)
		f.Add(s, byte(128|32), true)
	}
	f.Fuzz(func(t *testing.T, data string, mode byte, strict bool) {
		if len(data) > 4096 {
			return
		}
		opts := &LoadOptions{Strict: strict, Header: mode&1 != 0, Innermost: mode&8 != 0 && !strict}
		if mode&2 != 0 {
			opts.Comma = '\t'
		}
		if mode&4 != 0 {
			opts.Comment = '#'
		}
		opts.Columns = Columns{Prefix: 1, Owner: 2, URL: 3}
		if mode&16 != 0 {
			opts.Columns = Columns{From: 2, To: 1, Owner: 3}
		}
		if mode&128 != 0 {
			opts.Columns = Columns{} // ipcat layout
		}
		if mode&(128|16) == 128|16 {
			opts.Columns = Columns{Prefix: 1, Owner: 2, Category: 3, Verdict: 4}
			opts.Category, opts.Verdict = CategoryCloud, VerdictDeny
		}
		opts.IntegerBounds = mode&32 != 0
		opts.OwnerURL = mode&64 != 0
		tab, err := Load(strings.NewReader(data), opts)
		if err != nil {
			var pe *ParseError
			if tab != nil || !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("Load = %v, %v: want nil and a *ParseError with a line", tab, err)
			}
			return
		}
		for r, rec := range tab.All() {
			for _, ip := range []netip.Addr{r.From, r.To} {
				if got, ok := tab.Lookup(ip); !ok || got != rec {
					t.Fatalf("Lookup(%v) = %v, %v, want %v", ip, got, ok, rec)
				}
			}
			if opts.IntegerBounds && opts.Columns.Prefix == 0 && !r.From.Is4() { // a Prefix column is read as written
				t.Fatalf("IntegerBounds: range %v is not IPv4", r)
			}
		}
	})
}

// FuzzDecode feeds arbitrary bytes to Decode, as they are and with the
// checksum fixed up (so that mutations reach the structural checks): it
// must not panic, must fail with ErrCorrupt, and a table it accepts must
// re-encode to the same bytes.
func FuzzDecode(f *testing.F) {
	f.Add(datacentersBlob[:min(len(datacentersBlob), 2000)])
	var b Builder
	b.AddPrefix(netip.MustParsePrefix("10.0.0.0/8"), Record{Owner: "a", URL: "u"})
	b.AddPrefix(netip.MustParsePrefix("2001:db8::/32"), Record{Owner: "b"})
	small, _ := b.Build()
	blob, _ := small.MarshalBinary()
	f.Add(blob)
	f.Add([]byte("IPDB"))
	if v1, err := os.ReadFile("testdata/datacenters-v1.bin"); err == nil {
		f.Add(v1[:min(len(v1), 2000)])
		f.Add(v1)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		inputs := [][]byte{data}
		if len(data) >= 4 {
			body := data[:len(data)-4]
			inputs = append(inputs, binary.LittleEndian.AppendUint32(bytes.Clone(body), checksum(body)))
		}
		for _, in := range inputs {
			tab, err := Decode(in)
			if err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("Decode error %v does not wrap ErrCorrupt", err)
				}
				continue
			}
			again, _ := tab.MarshalBinary()
			if binary.LittleEndian.Uint16(in[4:]) == 1 {
				// Version 1 re-encodes as the current version, which
				// decodes to the same table.
				back, err := Decode(again)
				if err != nil {
					t.Fatalf("re-encoded version 1 blob: %v", err)
				}
				if in2, _ := back.MarshalBinary(); !bytes.Equal(in2, again) {
					t.Fatal("re-encoded version 1 blob does not re-encode to itself")
				}
			} else if !bytes.Equal(again, in) {
				t.Fatal("accepted blob does not re-encode to itself")
			}
			for r, rec := range tab.All() {
				if got, ok := tab.Lookup(r.To); !ok || got != rec {
					t.Fatalf("Lookup(%v) = %v, %v, want %v", r.To, got, ok, rec)
				}
			}
		}
	})
}

// FuzzParseRange checks ParseRange against netip on single addresses and
// prefixes, and never panics.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"10.0.0.0/8", "10.0.0.0 - 10.0.0.9", "2001:db8::/32", "::ffff:1.2.3.4", "1.2.3.4", "-", "/", "fe80::1%eth0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRange(s)
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("ParseRange(%q) error %v does not wrap ErrSyntax", s, err)
			}
			return
		}
		if a, err := netip.ParseAddr(strings.TrimSpace(s)); err == nil && (r.From != a.Unmap().WithZone("") || r.To != r.From) {
			t.Fatalf("ParseRange(%q) = %v, want the single address %v", s, r, a)
		}
		if r.Valid() == nil {
			ps := r.AppendPrefixes(nil)
			if len(ps) == 0 || ps[0].Addr() != r.From || RangeOf(ps[len(ps)-1]).To != r.To {
				t.Fatalf("%v.AppendPrefixes() = %v", r, ps)
			}
		}
	})
}
