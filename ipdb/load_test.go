package ipdb_test

import (
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/craftkit/craftkit/ipdb"
)

func TestLoadIPCat(t *testing.T) {
	f, err := os.Open("data/datacenters.csv")
	require.NoError(t, err)
	defer f.Close()
	tab, err := ipdb.Load(f, nil)
	require.NoError(t, err)
	assert.Equal(t, 3429, tab.Len())

	tests := []struct {
		ip    string
		owner string
		ok    bool
	}{
		{"3.0.0.0", "Amazon AWS", true},
		{"3.1.255.255", "Amazon AWS", true},
		{"3.2.0.0", "", false},
		{"64.5.32.1", "ThePlanet.com Internet Services, Inc.", true}, // quoted, contains a comma
		{"::ffff:3.0.0.1", "Amazon AWS", true},                       // IPv4-mapped
		{"8.8.8.8", "", false},
		{"2001:db8::1", "", false},
		{"0.0.0.0", "", false},
		{"255.255.255.255", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			rec, ok := tab.Lookup(netip.MustParseAddr(tt.ip))
			if ok != tt.ok || rec.Owner != tt.owner {
				t.Errorf("Lookup(%v) = %q, %v, want %q, %v", tt.ip, rec.Owner, ok, tt.owner, tt.ok)
			}
		})
	}
	assert.False(t, tab.Contains(netip.Addr{}), "zero Addr")
}

func TestLoadTouching(t *testing.T) {
	// ipcat has 235 touching pairs; each side keeps its owner.
	tab, err := ipdb.Load(strings.NewReader("10.0.0.0,10.0.0.255,A,\n10.0.1.0,10.0.1.255,B,\n"), nil)
	require.NoError(t, err)
	for ip, want := range map[string]string{"10.0.0.255": "A", "10.0.1.0": "B"} {
		rec, ok := tab.Lookup(netip.MustParseAddr(ip))
		assert.True(t, ok, ip)
		assert.Equal(t, want, rec.Owner, ip)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		opts  *ipdb.LoadOptions
		lines []int   // lines of the problems, in order
		is    []error // sentinel of each problem
		other []int   // other row named by overlaps (0: none)
	}{
		{
			name:  "malformed address",
			input: "10.0.0.0,10.0.0.x,A,\n10.0.1.0,10.0.1.255,B,\n",
			lines: []int{1}, is: []error{ipdb.ErrSyntax}, other: []int{0},
		},
		{
			name:  "start after end",
			input: "10.0.0.9,10.0.0.1,A,\n",
			lines: []int{1}, is: []error{ipdb.ErrReversed}, other: []int{0},
		},
		{
			name:  "mixed families",
			input: "10.0.0.0,2001:db8::1,A,\n",
			lines: []int{1}, is: []error{ipdb.ErrMixedFamily}, other: []int{0},
		},
		{
			name:  "overlap names both rows",
			input: "10.0.0.0,10.0.0.255,A,\n10.0.0.128,10.0.1.0,B,\n",
			lines: []int{2}, is: []error{ipdb.ErrOverlap}, other: []int{1},
		},
		{
			name:  "duplicate",
			input: "10.0.0.0,10.0.0.255,A,\n10.0.0.0,10.0.0.255,B,\n",
			lines: []int{2}, is: []error{ipdb.ErrDuplicate}, other: []int{1},
		},
		{
			name:  "missing column",
			input: "10.0.0.0,10.0.0.255\n",
			lines: []int{1}, is: []error{ipdb.ErrColumn}, other: []int{0},
		},
		{
			name:  "csv quote error",
			input: "10.0.0.0,10.0.0.255,\"A\"x,\n",
			lines: []int{1}, is: []error{ipdb.ErrCSV}, other: []int{0},
		},
		{
			name:  "strict refuses unsorted",
			input: "10.0.1.0,10.0.1.255,B,\n10.0.0.0,10.0.0.255,A,\n",
			opts:  &ipdb.LoadOptions{Strict: true},
			lines: []int{2}, is: []error{ipdb.ErrUnsorted}, other: []int{0},
		},
		{
			name: "every problem at once",
			input: "# header comment\n" +
				"10.0.0.0,10.0.0.255,A,\n" +
				"10.0.0.0,10.0.0.255,A2,\n" +
				"bogus,10.0.2.0,C,\n" +
				"10.0.3.9,10.0.3.1,D,\n" +
				"10.0.4.0,::1,E,\n" +
				"10.0.0.200,10.0.5.0,F,\n",
			opts:  &ipdb.LoadOptions{Comment: '#'},
			lines: []int{3, 4, 5, 6, 7},
			is:    []error{ipdb.ErrDuplicate, ipdb.ErrSyntax, ipdb.ErrReversed, ipdb.ErrMixedFamily, ipdb.ErrOverlap},
			other: []int{2, 0, 0, 0, 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ipdb.Load(strings.NewReader(tt.input), tt.opts)
			require.Error(t, err)
			assert.Nil(t, tab)
			var first *ipdb.ParseError
			require.True(t, errors.As(err, &first), "errors.As(%v, *ParseError)", err)
			assert.Equal(t, tt.lines[0], first.Line)

			parts := err.(interface{ Unwrap() []error }).Unwrap()
			require.Len(t, parts, len(tt.lines), "%v", err)
			for i, p := range parts {
				var pe *ipdb.ParseError
				require.True(t, errors.As(p, &pe))
				assert.Equal(t, tt.lines[i], pe.Line, "problem %d: %v", i, p)
				assert.ErrorIs(t, p, tt.is[i], "problem %d", i)
				var oe *ipdb.OverlapError
				if errors.As(p, &oe) {
					assert.Equal(t, tt.other[i], oe.Line, "other row of %v", p)
				} else {
					assert.Zero(t, tt.other[i], "problem %d names no other row: %v", i, p)
				}
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := ipdb.Load(strings.NewReader("10.0.0.0,10.0.0.255,A,\n10.0.0.128,10.0.1.0,B,\n"), &ipdb.LoadOptions{Source: "dc.csv"})
	require.Error(t, err)
	assert.Equal(t, `ipdb: dc.csv line 2: "10.0.0.128-10.0.1.0": overlapping ranges: overlaps dc.csv line 1 "10.0.0.0-10.0.0.255"`, err.Error())

	_, err = ipdb.Load(strings.NewReader("10.0.0.0,\n"), &ipdb.LoadOptions{Columns: ipdb.Columns{From: 1, To: 2}})
	require.Error(t, err)
	assert.Equal(t, `ipdb: line 1: "10.0.0.0,": invalid range: missing address`, err.Error())
}

func TestLoadUnsortedIsSorted(t *testing.T) {
	tab, err := ipdb.Load(strings.NewReader("10.0.2.0,10.0.2.255,C,\n10.0.0.0,10.0.0.255,A,\n10.0.1.0,10.0.1.255,B,\n"), nil)
	require.NoError(t, err)
	var owners []string
	for _, rec := range tab.All() {
		owners = append(owners, rec.Owner)
	}
	assert.Equal(t, []string{"A", "B", "C"}, owners)
}

func TestLoadColumns(t *testing.T) {
	tests := []struct {
		name  string
		input string
		opts  *ipdb.LoadOptions
	}{
		{
			name:  "tsv with header and prefix column",
			input: "owner\tcidr\nExample\t192.0.2.0/24\nDoc6\t2001:db8::/32\n",
			opts:  &ipdb.LoadOptions{Comma: '\t', Header: true, Columns: ipdb.Columns{Prefix: 2, Owner: 1}},
		},
		{
			name:  "reordered range columns",
			input: "Example,,192.0.2.255,192.0.2.0\nDoc6,,2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,2001:db8::\n",
			opts:  &ipdb.LoadOptions{Columns: ipdb.Columns{From: 4, To: 3, Owner: 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ipdb.Load(strings.NewReader(tt.input), tt.opts)
			require.NoError(t, err)
			for ip, want := range map[string]string{"192.0.2.77": "Example", "2001:db8::1": "Doc6", "192.0.3.0": ""} {
				rec, _ := tab.Lookup(netip.MustParseAddr(ip))
				assert.Equal(t, want, rec.Owner, "Lookup(%v)", ip)
			}
		})
	}
}

// TestLoadIntegerBounds reads lists that write IPv4 addresses as 32-bit
// decimal integers, with owners given as URLs.
func TestLoadIntegerBounds(t *testing.T) {
	tests := []struct {
		name  string
		input string
		opts  *ipdb.LoadOptions
		want  map[string]ipdb.Match // address -> match; a zero Match: no match
	}{
		{
			name:  "integers and owner URLs",
			input: "34603008,35127295,http://www.akamai.com/\n50331648,50331903,https://Example.NET/bots\n",
			opts:  &ipdb.LoadOptions{OwnerURL: true},
			want: map[string]ipdb.Match{
				"2.16.0.0":     {Range: rng("2.16.0.0", "2.23.255.255"), Record: ipdb.Record{Owner: "akamai.com", URL: "http://www.akamai.com/"}},
				"2.23.255.255": {Range: rng("2.16.0.0", "2.23.255.255"), Record: ipdb.Record{Owner: "akamai.com", URL: "http://www.akamai.com/"}},
				"3.0.0.77":     {Range: rng("3.0.0.0", "3.0.0.255"), Record: ipdb.Record{Owner: "example.net", URL: "https://Example.NET/bots"}},
				"2.24.0.0":     {},
			},
		},
		{
			name:  "owner URLs off: owner as written",
			input: "34603008,35127295,http://www.akamai.com/\n",
			want: map[string]ipdb.Match{
				"2.16.0.1": {Range: rng("2.16.0.0", "2.23.255.255"), Record: ipdb.Record{Owner: "http://www.akamai.com/"}},
			},
		},
		{
			name:  "a row's own URL wins and non-URL owners stay",
			input: "1,1,http://a.example/,http://b.example/\n2,2,ftp://c.example/\n3,3,Plain Owner\n",
			opts:  &ipdb.LoadOptions{OwnerURL: true},
			want: map[string]ipdb.Match{
				"0.0.0.1": {Range: rng("0.0.0.1", "0.0.0.1"), Record: ipdb.Record{Owner: "http://a.example/", URL: "http://b.example/"}},
				"0.0.0.2": {Range: rng("0.0.0.2", "0.0.0.2"), Record: ipdb.Record{Owner: "ftp://c.example/"}},
				"0.0.0.3": {Range: rng("0.0.0.3", "0.0.0.3"), Record: ipdb.Record{Owner: "Plain Owner"}},
			},
		},
		{
			name:  "ends of the 32-bit space, leading zeros",
			input: "0,000,zero\n4294967295,4294967295,top\n",
			want: map[string]ipdb.Match{
				"0.0.0.0":         {Range: rng("0.0.0.0", "0.0.0.0"), Record: ipdb.Record{Owner: "zero"}},
				"255.255.255.255": {Range: rng("255.255.255.255", "255.255.255.255"), Record: ipdb.Record{Owner: "top"}},
				"0.0.0.1":         {},
			},
		},
		{
			name:  "integer and notation rows in one list, IPv6 too",
			input: "167772160,10.0.0.255,ten\n2001:db8::,2001:db8::ff,six\n",
			want: map[string]ipdb.Match{
				"10.0.0.9":    {Range: rng("10.0.0.0", "10.0.0.255"), Record: ipdb.Record{Owner: "ten"}},
				"2001:db8::9": {Range: rng("2001:db8::", "2001:db8::ff"), Record: ipdb.Record{Owner: "six"}},
			},
		},
		{
			name:  "single integer column",
			input: "owner,ip\nsolo,3232235777\n",
			opts:  &ipdb.LoadOptions{Header: true, Columns: ipdb.Columns{From: 2, Owner: 1}, IntegerBounds: true},
			want: map[string]ipdb.Match{
				"192.168.1.1": {Range: rng("192.168.1.1", "192.168.1.1"), Record: ipdb.Record{Owner: "solo"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ipdb.Load(strings.NewReader(tt.input), tt.opts)
			require.NoError(t, err)
			for ip, want := range tt.want {
				got, ok := tab.LookupMatch(netip.MustParseAddr(ip))
				if ok != (want != ipdb.Match{}) || got != want {
					t.Errorf("LookupMatch(%v) = %v, %v, want %v", ip, got, ok, want)
				}
			}
		})
	}
}

func TestLoadIntegerBoundsErrors(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		opts    *ipdb.LoadOptions
		wantErr error
		wantMsg string
	}{
		{"above 2^32-1", "1,2,ok\n4294967296,4294967296,x\n", nil, ipdb.ErrSyntax,
			`ipdb: line 2: "4294967296,4294967296,x": column 1: invalid range: integer address 4294967296 out of range 0..4294967295`},
		{"far above", "1,2,ok\n5,99999999999999999999999,x\n", nil, ipdb.ErrSyntax,
			`ipdb: line 2: "5,99999999999999999999999,x": column 2: invalid range: integer address 99999999999999999999999 out of range 0..4294967295`},
		{"negative", "1,2,ok\n-5,7,x\n", nil, ipdb.ErrSyntax, `ipdb: line 2: "-5,7,x": invalid range: ParseAddr("-5"): unable to parse IP`},
		{"integer with IPv6", "1,2,ok\n5,2001:db8::,x\n", nil, ipdb.ErrMixedFamily,
			`ipdb: line 2: "5,2001:db8::,x": column 2: mixed address families: IPv6 address with an integer IPv4 start`},
		{"IPv6 with integer", "1,2,ok\n2001:db8::,5,x\n", nil, ipdb.ErrMixedFamily,
			`ipdb: line 2: "2001:db8::,5,x": column 1: mixed address families: IPv6 address with an integer IPv4 end`},
		{"integers only: IPv6 row", "1,2,ok\n2001:db8::,2001:db8::1,x\n", &ipdb.LoadOptions{IntegerBounds: true}, ipdb.ErrSyntax,
			`ipdb: line 2: "2001:db8::,2001:db8::1,x": column 1: invalid range: "2001:db8::" is not a decimal integer address`},
		{"integers only: dotted end", "1,2,ok\n3,10.0.0.1,x\n", &ipdb.LoadOptions{IntegerBounds: true}, ipdb.ErrSyntax,
			`ipdb: line 2: "3,10.0.0.1,x": column 2: invalid range: "10.0.0.1" is not a decimal integer address`},
		{"reversed integers", "1,2,ok\n9,8,x\n", nil, ipdb.ErrReversed, `ipdb: line 2: "9,8,x": start after end`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ipdb.Load(strings.NewReader(tt.input), tt.opts)
			if tab != nil || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Load = %v, %v, want nil, %v", tab, err, tt.wantErr)
			}
			pe, ok := errors.AsType[*ipdb.ParseError](err)
			require.True(t, ok, "error %v is not a *ParseError", err)
			assert.Equal(t, 2, pe.Line)
			assert.Equal(t, tt.wantMsg, err.Error())
		})
	}
}

func rng(from, to string) ipdb.Range {
	return ipdb.Range{From: netip.MustParseAddr(from), To: netip.MustParseAddr(to)}
}

func TestReadPrefixesInnermost(t *testing.T) {
	b := ipdb.Builder{Innermost: true}
	require.NoError(t, b.ReadPrefixes(strings.NewReader("10.0.0.0/8\n# comment\n\n2001:db8::/32\n"), "corp.txt", ipdb.Record{Owner: "corp"}))
	require.NoError(t, b.ReadPrefixes(strings.NewReader("10.1.0.0/16\n10.255.255.0/24\n2001:db8:1::/48\n"), "bot.txt", ipdb.Record{Owner: "bot"}))
	tab, err := b.Build()
	require.NoError(t, err)
	tests := map[string]string{
		"10.0.0.1":        "corp",
		"10.1.2.3":        "bot",
		"10.2.0.0":        "corp",
		"10.255.255.255":  "bot",
		"11.0.0.0":        "",
		"2001:db8::1":     "corp",
		"2001:db8:1::9":   "bot",
		"2001:db8:2::":    "corp",
		"2001:db9::":      "",
		"::ffff:10.1.0.0": "bot",
	}
	for ip, want := range tests {
		rec, _ := tab.Lookup(netip.MustParseAddr(ip))
		assert.Equal(t, want, rec.Owner, "Lookup(%v)", ip)
	}
	assert.Equal(t, 4+3, tab.Len())

	// Without Innermost the same lists are refused, naming both files.
	b = ipdb.Builder{}
	require.NoError(t, b.ReadPrefixes(strings.NewReader("10.0.0.0/8\n"), "corp.txt", ipdb.Record{Owner: "corp"}))
	require.NoError(t, b.ReadPrefixes(strings.NewReader("10.1.0.0/16\n"), "bot.txt", ipdb.Record{Owner: "bot"}))
	_, err = b.Build()
	assert.EqualError(t, err, `ipdb: bot.txt line 1: "10.1.0.0-10.1.255.255": overlapping ranges: overlaps corp.txt line 1 "10.0.0.0-10.255.255.255"`)

	// Crossing ranges cannot be flattened.
	b = ipdb.Builder{Innermost: true}
	b.Add(ipdb.Range{From: netip.MustParseAddr("10.0.0.0"), To: netip.MustParseAddr("10.0.0.9")}, ipdb.Record{Owner: "a"})
	b.Add(ipdb.Range{From: netip.MustParseAddr("10.0.0.5"), To: netip.MustParseAddr("10.0.0.20")}, ipdb.Record{Owner: "b"})
	_, err = b.Build()
	assert.ErrorIs(t, err, ipdb.ErrOverlap)
	assert.ErrorContains(t, err, "line 2")
	assert.ErrorContains(t, err, "crosses line 1")
}

func TestProviderLists(t *testing.T) {
	b := ipdb.Builder{Innermost: true}
	dirs, err := os.ReadDir("testdata/ipranges")
	require.NoError(t, err)
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		for _, name := range []string{"ipv4_merged.txt", "ipv6_merged.txt"} {
			f, err := os.Open("testdata/ipranges/" + d.Name() + "/" + name)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			require.NoError(t, err)
			require.NoError(t, b.ReadPrefixes(f, d.Name()+"/"+name, ipdb.Record{Owner: d.Name()}))
			f.Close()
		}
	}
	tab, err := b.Build()
	require.NoError(t, err)
	var n4, n6 int
	for r := range tab.All() {
		if r.From.Is4() {
			n4++
		} else {
			n6++
		}
	}
	assert.Equal(t, 9846, n4, "IPv4 segments")
	assert.Equal(t, 9411, n6, "IPv6 segments")
	for ip, want := range map[string]string{
		"66.249.66.1":          "googlebot", // inside google
		"8.8.8.8":              "google",
		"2001:4860:4801:10::1": "googlebot",
		"2001:4860::1":         "google",
		"140.82.112.3":         "github",
	} {
		rec, _ := tab.Lookup(netip.MustParseAddr(ip))
		assert.Equal(t, want, rec.Owner, "Lookup(%v)", ip)
	}
}
