package ipdb_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"net/netip"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/craftkit/craftkit/ipdb"
)

// A bad row quotes its line as written (not a rebuilt "start-end"), and a
// long field is cut to a short quote with a marker: one 10 MB field does
// not make a 20 MB error.
func TestLoadQuotesLineAsWritten(t *testing.T) {
	_, err := ipdb.Load(strings.NewReader("1.0.0.0,1.0.0.9,A,\n10.0.0.1, bogus ,\"B, Inc.\",\n"), nil)
	var pe *ipdb.ParseError
	require.True(t, errors.As(err, &pe), "%v", err)
	assert.Equal(t, 2, pe.Line)
	assert.Equal(t, `10.0.0.1, bogus ,"B, Inc.",`, pe.Input)
	assert.Contains(t, err.Error(), `line 2: "10.0.0.1, bogus ,\"B, Inc.\",": invalid range`)
}

func TestLoadLongFieldTruncated(t *testing.T) {
	big := strings.Repeat("9", 50_000)
	in := "1.0.0.0," + big + ",A,\n"
	_, err := ipdb.Load(strings.NewReader(in), nil)
	require.ErrorIs(t, err, ipdb.ErrSyntax)
	var pe *ipdb.ParseError
	require.True(t, errors.As(err, &pe), "%v", err)
	assert.Equal(t, 1, pe.Line)
	if n := len(err.Error()); n > 512 {
		t.Errorf("error for one bad 50 KB field is %d bytes, want at most 512", n)
	}
	if n := len(pe.Input); n > ipdb.MaxQuote+32 {
		t.Errorf("ParseError.Input is %d bytes, want at most %d", n, ipdb.MaxQuote+32)
	}
	assert.True(t, strings.HasPrefix(pe.Input, "1.0.0.0,999"), pe.Input)
	assert.Contains(t, pe.Input, fmt.Sprintf("... (%d bytes)", len(in)-1), "truncation marker names the full length")

	// One 10 MB field: refused at MaxLine, with a short error.
	in = "1.0.0.0," + strings.Repeat("9", 10<<20) + ",A,\n"
	_, err = ipdb.Load(strings.NewReader(in), nil)
	require.ErrorIs(t, err, ipdb.ErrLineTooLong)
	if n := len(err.Error()); n > 512 {
		t.Errorf("error for one bad 10 MB field is %d bytes, want at most 512", n)
	}
}

// The bound on the readers' allocations stated in the package doc:
// garbage included, at most readByteCost bytes per input byte plus
// readLineCost per line.
const (
	readByteCost = 16
	readLineCost = 1024
)

// Load keeps at most MaxProblems problems and counts the rest; the error
// and the heap stay small for a million bad rows.
func TestLoadProblemsCapped(t *testing.T) {
	var in bytes.Buffer
	const rows = 1_000_000
	for range rows {
		in.WriteString("x,y,z,\n")
	}
	require.Equal(t, 7_000_000, in.Len())
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ipdb.Load(bytes.NewReader(in.Bytes()), nil)
	runtime.GC()
	runtime.ReadMemStats(&after)
	require.Error(t, err)

	msg := err.Error()
	if len(msg) > 16<<10 {
		t.Errorf("error string is %d bytes, want at most 16 KiB", len(msg))
	}
	assert.Contains(t, msg, fmt.Sprintf("and %d more problems", rows-ipdb.MaxProblems))
	var pe *ipdb.ParseError
	require.True(t, errors.As(err, &pe), "%v", err)
	assert.Equal(t, 1, pe.Line)
	assert.Equal(t, "x,y,z,", pe.Input)
	n := 0
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		if errors.As(e, new(*ipdb.ParseError)) {
			n++
		}
	}
	assert.Equal(t, ipdb.MaxProblems, n, "ParseErrors kept")

	// Retained: the error only. Allocated in all: a bounded multiple of
	// the input (see the package doc).
	t.Logf("%d bad rows, %d input bytes: error %d bytes, heap kept %d bytes, allocated %d bytes in all",
		rows, in.Len(), len(msg), int64(after.HeapAlloc)-int64(before.HeapAlloc), after.TotalAlloc-before.TotalAlloc)
	if kept := int64(after.HeapAlloc) - int64(before.HeapAlloc); kept > 1<<20 {
		t.Errorf("heap grew by %d bytes while holding the error, want at most 1 MiB", kept)
	}
	if total, limit := after.TotalAlloc-before.TotalAlloc, uint64(readByteCost*in.Len()+readLineCost*rows); total > limit {
		t.Errorf("Load allocated %d bytes for %d input bytes in %d lines, want at most %d", total, in.Len(), rows, limit)
	}
	runtime.KeepAlive(err)
}

// A line longer than MaxLine is refused with ErrLineTooLong naming the
// line, by Load and by ReadPrefixes, without reading it whole.
func TestLineTooLong(t *testing.T) {
	long := "1.0.0.0," + strings.Repeat("a", ipdb.MaxLine) + ",A,\n"
	_, err := ipdb.Load(strings.NewReader("2.0.0.0,2.0.0.1,B,\n"+long+"3.0.0.0,3.0.0.1,C,\n"), &ipdb.LoadOptions{Source: "big.csv"})
	require.ErrorIs(t, err, ipdb.ErrLineTooLong)
	var pe *ipdb.ParseError
	require.True(t, errors.As(err, &pe), "%v", err)
	assert.Equal(t, 2, pe.Line)
	assert.Equal(t, "big.csv", pe.Source)
	assert.Less(t, len(err.Error()), 512)

	// Just at the limit is fine.
	ok := "1.0.0.0,1.0.0.1," + strings.Repeat("a", ipdb.MaxLine-len("1.0.0.0,1.0.0.1,,")) + ",\n"
	require.Equal(t, ipdb.MaxLine+1, len(ok))
	_, err = ipdb.Load(strings.NewReader(ok), nil)
	require.NoError(t, err)

	var b ipdb.Builder
	err = b.ReadPrefixes(strings.NewReader("10.0.0.0/8\n"+strings.Repeat("1", ipdb.MaxLine+1)+"\n"), "list.txt", ipdb.Record{Owner: "x"})
	require.ErrorIs(t, err, ipdb.ErrLineTooLong)
	require.True(t, errors.As(err, &pe), "%v", err)
	assert.Equal(t, 2, pe.Line)
	assert.Equal(t, "list.txt", pe.Source)
}

// ReadPrefixes keeps at most MaxProblems problems too.
func TestReadPrefixesProblemsCapped(t *testing.T) {
	var b ipdb.Builder
	require.NoError(t, b.ReadPrefixes(strings.NewReader(strings.Repeat("nope\n", 500)), "", ipdb.Record{}))
	_, err := b.Build()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "and 400 more problems")
	assert.Equal(t, ipdb.MaxProblems+1, strings.Count(err.Error(), "\n")+1)
}

// Overlaps found at Build are capped the same way, earliest lines first.
func TestOverlapsCapped(t *testing.T) {
	var in strings.Builder
	in.WriteString("10.0.0.0,10.255.255.255,all,\n")
	for i := range 300 {
		fmt.Fprintf(&in, "10.0.%d.0,10.0.%d.9,x,\n", i%256, i%256)
	}
	_, err := ipdb.Load(strings.NewReader(in.String()), nil)
	require.ErrorIs(t, err, ipdb.ErrOverlap)
	var pe *ipdb.ParseError
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, 2, pe.Line)
	assert.Contains(t, err.Error(), "and 200 more problems")
	assert.Contains(t, err.Error(), "line 101:")
	assert.NotContains(t, err.Error(), "line 102:")
}

// The readers' allocations, garbage included, stay within the documented
// bound for the line shapes that cost the most: short bad rows of every
// kind, rows that all overlap, and good rows.
func TestReadAllocBound(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates about 200 MB")
	}
	check := func(what, line string, read func([]byte)) {
		in := []byte(strings.Repeat(line, 1_000_000/len(line)))
		lines := len(in) / len(line)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		read(in)
		runtime.ReadMemStats(&after)
		got := after.TotalAlloc - before.TotalAlloc
		if limit := uint64(readByteCost*len(in) + readLineCost*lines); got > limit {
			t.Errorf("%s of %q lines allocated %d bytes for %d bytes in %d lines, want at most %d", what, line, got, len(in), lines, limit)
		}
	}
	for _, row := range []string{"x\n", ",\n", "1,\n", "1,2\n", "x,y,z,\n", "\"\n", "a\"b\n", "1.0.0.1,1.0.0.0,A,\n",
		"1.0.0.1,::1,A,\n", "1.0.0.0,1.0.0.0,A,\n", "\n", "#\n", "1.2.3.4,1.2.3.4,\"\"\"\",\n", "1/,1,x,\n"} {
		check("Load", row, func(in []byte) { _, _ = ipdb.Load(bytes.NewReader(in), nil) })
		check("Load Innermost", row, func(in []byte) { _, _ = ipdb.Load(bytes.NewReader(in), &ipdb.LoadOptions{Innermost: true}) })
	}
	for _, line := range []string{"x\n", "1\n", "1-\n", "/\n", "x/8\n", "1.0.0.0/8\n", "1.0.0.1-1.0.0.0\n", "::1-1.0.0.0\n", "#\n", "\n"} {
		check("ReadPrefixes", line, func(in []byte) {
			var b ipdb.Builder
			_ = b.ReadPrefixes(bytes.NewReader(in), "", ipdb.Record{Owner: "x"})
			_, _ = b.Build()
		})
	}
}

// decodeAllocFactor and decodeIndexBytes are the bound on Decode's
// allocations stated in the package doc.
const (
	decodeAllocFactor = 40
	decodeIndexBytes  = 1 << 20
)

// Decode allocates in proportion to the blob, whatever its header claims:
// owners cost at most 2 bytes of blob each, the forms checked here are the
// most expensive per byte (empty owners; one-address IPv4 ranges; IPv6).
func TestDecodeAllocBound(t *testing.T) {
	blob := func(owners, n4, n6 int) []byte {
		b := []byte("IPDB\x01\x00\x00\x00")
		b = binary.LittleEndian.AppendUint32(b, uint32(owners))
		b = binary.LittleEndian.AppendUint32(b, uint32(n4))
		b = binary.LittleEndian.AppendUint32(b, uint32(n6))
		for range owners {
			b = append(b, 0, 0)
		}
		for i := range n4 { // starts
			b = binary.LittleEndian.AppendUint32(b, uint32(2*i))
		}
		for i := range n4 { // ends
			b = binary.LittleEndian.AppendUint32(b, uint32(2*i))
		}
		for range n4 {
			b = binary.LittleEndian.AppendUint32(b, 0)
		}
		for i := range n6 {
			b = binary.BigEndian.AppendUint64(b, uint64(i)<<20)
			b = binary.BigEndian.AppendUint64(b, 0)
		}
		for i := range n6 {
			b = binary.BigEndian.AppendUint64(b, uint64(i)<<20)
			b = binary.BigEndian.AppendUint64(b, 1)
		}
		for range n6 {
			b = binary.LittleEndian.AppendUint32(b, 0)
		}
		return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
	}
	for _, tt := range []struct {
		name           string
		owners, n4, n6 int
	}{
		{"empty owners", 500_000, 0, 0},
		{"IPv4 ranges", 1, 300_000, 0},
		{"IPv6 ranges", 1, 0, 100_000},
		{"few", 1, 3, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := blob(tt.owners, tt.n4, tt.n6)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			tab, err := ipdb.Decode(data)
			runtime.ReadMemStats(&after)
			require.NoError(t, err)
			require.Equal(t, tt.n4+tt.n6, tab.Len())
			got := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d bytes of blob: %d bytes allocated (%.1f per byte)", len(data), got, float64(got)/float64(len(data)))
			if limit := uint64(decodeAllocFactor*len(data) + decodeIndexBytes); got > limit {
				t.Errorf("Decode allocated %d bytes for %d bytes of blob, want at most %d", got, len(data), limit)
			}
		})
	}
}

// Grow is a capacity hint: a negative one is ignored, not a panic.
func TestGrowNegative(t *testing.T) {
	var b ipdb.Builder
	b.Grow(-1)
	b.Grow(0)
	b.Add(ipdb.Range{From: netip.MustParseAddr("1.0.0.0"), To: netip.MustParseAddr("1.0.0.9")}, ipdb.Record{Owner: "a"})
	tab, err := b.Build()
	require.NoError(t, err)
	assert.Equal(t, 1, tab.Len())
}
