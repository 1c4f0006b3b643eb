package ipdb_test

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/craftkit/craftkit/ipdb"
)

// These tests use only the names the package promises to keep: Load with
// nil options, Table.Lookup, Record.Owner, Datacenters and ParseError.Line.

func TestContractLoadLookup(t *testing.T) {
	const csv = `1.0.0.0,1.0.0.255,"Example, Inc.",https://example.com/
1.0.1.0,1.0.1.255,Plain Owner,https://plain.example/
2001:db8::,2001:db8::ffff,"Six, Ltd.",https://six.example/
`
	tab, err := ipdb.Load(strings.NewReader(csv), nil)
	require.NoError(t, err)

	tests := []struct {
		ip    netip.Addr
		owner string
		ok    bool
	}{
		{netip.MustParseAddr("1.0.0.0"), "Example, Inc.", true},
		{netip.MustParseAddr("1.0.0.255"), "Example, Inc.", true},
		{netip.MustParseAddr("1.0.1.0"), "Plain Owner", true},
		{netip.MustParseAddr("::ffff:1.0.0.7"), "Example, Inc.", true},
		{netip.MustParseAddr("::ffff:1.0.1.255"), "Plain Owner", true},
		{netip.MustParseAddr("1.0.2.0"), "", false},
		{netip.MustParseAddr("::ffff:1.0.2.0"), "", false},
		{netip.MustParseAddr("0.255.255.255"), "", false},
		{netip.MustParseAddr("2001:db8::1"), "Six, Ltd.", true},
		{netip.MustParseAddr("2001:db8::1%eth0"), "Six, Ltd.", true},
		{netip.MustParseAddr("2001:db8::1:0"), "", false},
		{netip.MustParseAddr("::1.0.0.7"), "", false}, // IPv4-compatible, not mapped
		{netip.Addr{}, "", false},
	}
	for _, tt := range tests {
		rec, ok := tab.Lookup(tt.ip)
		assert.Equal(t, tt.ok, ok, "%v", tt.ip)
		assert.Equal(t, tt.owner, rec.Owner, "%v", tt.ip)
	}
}

func TestContractLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		line int
	}{
		{"overlap", "1.0.0.0,1.0.0.255,A,\n1.0.0.128,1.0.1.0,B,\n", 2},
		{"overlap after good rows", "9.0.0.0,9.0.0.0,X,\n1.0.0.0,1.0.0.255,A,\n2.0.0.0,2.0.0.9,C,\n1.0.0.9,1.0.0.9,B,\n", 4},
		{"duplicate", "1.0.0.0,1.0.0.255,A,\n1.0.0.0,1.0.0.255,B,\n", 2},
		{"malformed start", "1.0.0.0,1.0.0.255,A,\n1.0.0.300,1.0.1.0,B,\n", 2},
		{"malformed end", "1.0.0.0,nonsense,A,\n", 1},
		{"start after end", "1.0.0.0,1.0.0.255,A,\n\n3.0.0.9,3.0.0.1,B,\n", 3},
		{"mixed families", "1.0.0.0,::1,A,\n", 1},
		{"missing end column", "1.0.0.0\n", 1},
		{"stray quote", "1.0.0.0,1.0.0.9,A \"B,\n", 1},
		{"earliest line first (IPv6 overlap, then IPv4, then syntax)", "::1,::2,x,\n::1,::1,y,\n1.0.0.0,1.0.0.255,A,\n1.0.0.0,1.0.0.9,A,\nbad,bad,c,\n", 2},
		{"syntax error before an overlap", "bad,bad,c,\n1.0.0.0,1.0.0.255,A,\n1.0.0.0,1.0.0.9,A,\n", 1},
		{"header row with CRLF", "start,end,owner,url\r\n1.0.0.0,1.0.0.255,A,\r\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := ipdb.Load(strings.NewReader(tt.csv), nil)
			require.Error(t, err)
			assert.Nil(t, tab)
			var pe *ipdb.ParseError
			require.True(t, errors.As(err, &pe), "%v", err)
			assert.Equal(t, tt.line, pe.Line, "%v", err)
			assert.Contains(t, err.Error(), "line "+strconv.Itoa(tt.line))
		})
	}
}

// A header row is not accepted silently with nil options: it is reported
// as a malformed range on line 1 (LoadOptions.Header skips it).
func TestContractHeaderCRLF(t *testing.T) {
	const csv = "start,end,owner,url\r\n1.0.0.0,1.0.0.255,\"A, Co.\",https://a.example/\r\n2.0.0.0,2.0.0.9,B,\r\n"
	_, err := ipdb.Load(strings.NewReader(csv), nil)
	var pe *ipdb.ParseError
	require.True(t, errors.As(err, &pe), "%v", err)
	assert.Equal(t, 1, pe.Line)
	assert.ErrorIs(t, err, ipdb.ErrSyntax)
	assert.Contains(t, err.Error(), `line 1: "start,end,owner,url"`)

	tab, err := ipdb.Load(strings.NewReader(csv), &ipdb.LoadOptions{Header: true})
	require.NoError(t, err)
	rec, ok := tab.Lookup(netip.MustParseAddr("1.0.0.1"))
	assert.True(t, ok)
	assert.Equal(t, "A, Co.", rec.Owner)
	rec, ok = tab.Lookup(netip.MustParseAddr("2.0.0.9"))
	assert.True(t, ok)
	assert.Equal(t, "B", rec.Owner, "CRLF must not leak into the last field's neighbours")

	// CRLF without a header loads like LF.
	tab, err = ipdb.Load(strings.NewReader(strings.SplitN(csv, "\r\n", 2)[1]), nil)
	require.NoError(t, err)
	rec, ok = tab.Lookup(netip.MustParseAddr("1.0.0.255"))
	assert.True(t, ok)
	assert.Equal(t, "A, Co.", rec.Owner)
}

// Empty input is not an error: it yields an empty table that finds nothing.
func TestContractEmpty(t *testing.T) {
	for _, in := range []string{"", "\n", "\r\n\r\n"} {
		tab, err := ipdb.Load(strings.NewReader(in), nil)
		require.NoError(t, err, "%q", in)
		require.NotNil(t, tab)
		for _, ip := range []netip.Addr{{}, netip.MustParseAddr("1.2.3.4"), netip.MustParseAddr("::"), netip.MustParseAddr("::ffff:0.0.0.0")} {
			_, ok := tab.Lookup(ip)
			assert.False(t, ok, "%q %v", in, ip)
		}
	}
}

func TestContractDatacenters(t *testing.T) {
	dc := ipdb.Datacenters()
	require.NotNil(t, dc)
	rec, ok := dc.Lookup(netip.MustParseAddr("3.0.0.9"))
	assert.True(t, ok)
	assert.Equal(t, "Amazon AWS", rec.Owner)
	rec2, ok := dc.Lookup(netip.MustParseAddr("::ffff:3.0.0.9"))
	assert.True(t, ok)
	assert.Equal(t, rec, rec2)
	_, ok = dc.Lookup(netip.Addr{})
	assert.False(t, ok)
	_, ok = dc.Lookup(netip.MustParseAddr("127.0.0.1"))
	assert.False(t, ok)
}

// A leading UTF-8 byte order mark (spreadsheet exports) is skipped.
func TestContractBOM(t *testing.T) {
	tab, err := ipdb.Load(strings.NewReader("\ufeff1.0.0.0,1.0.0.255,A,\n"), nil)
	require.NoError(t, err)
	rec, ok := tab.Lookup(netip.MustParseAddr("1.0.0.0"))
	assert.True(t, ok)
	assert.Equal(t, "A", rec.Owner)
}

// ipcat rows may leave out the URL column, but not the owner.
func TestContractOptionalURL(t *testing.T) {
	tab, err := ipdb.Load(strings.NewReader("1.0.0.0,1.0.0.255,A\n2.0.0.0,2.0.0.255,B,https://b.example/\n"), nil)
	require.NoError(t, err)
	rec, ok := tab.Lookup(netip.MustParseAddr("1.0.0.1"))
	assert.True(t, ok)
	assert.Equal(t, "A", rec.Owner)

	_, err = ipdb.Load(strings.NewReader("1.0.0.0,1.0.0.255\n"), nil)
	assert.ErrorIs(t, err, ipdb.ErrColumn)
}
