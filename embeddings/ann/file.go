package ann

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"os"
	"strings"

	"github.com/craftkit/craftkit/internal/atomicfile"
)

// The file format, version 1, all integers little-endian:
//
//	magic "CKANNIDX", u32 version 1
//	u32 dim, u32 M, u32 EfSearch, u32 ExactBelow, u64 n
//	n × u32 token byte lengths, then the tokens' bytes concatenated
//	n × u32 rows in token order
//	n·dim × f32 unit vectors, row-major
//	u32 graphs; per graph: u64 first row, u64 nodes, u32 entry node,
//	  u32 top level, nodes × u8 levels, nodes·(2M+1) × i32 layer-0 lists,
//	  u64 upper lists, lists·(M+1) × i32 upper-layer lists
//	u32 CRC-32C of everything before it
//
// A list is its length followed by its capacity of node ids.
const (
	magic   = "CKANNIDX"
	version = 1
)

// ErrFormat is wrapped by every error about a malformed, truncated or
// corrupt index file.
var ErrFormat = errors.New("ann: invalid index file")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// WriteTo writes the index to w in the package's versioned binary format
// and returns the number of bytes written. It implements [io.WriterTo].
func (ix *Index) WriteTo(w io.Writer) (int64, error) {
	e := &encoder{h: crc32.New(castagnoli)}
	e.w = bufio.NewWriterSize(io.MultiWriter(&countWriter{w: w, n: &e.n}, e.h), 1<<16)
	e.bytes([]byte(magic))
	e.u32(version)
	e.u32(uint32(ix.dim))
	e.u32(uint32(ix.m))
	e.u32(uint32(ix.efSearch))
	e.u32(uint32(ix.exactMin))
	e.u64(uint64(ix.Len()))
	prev := uint64(0)
	for _, end := range ix.ends {
		e.u32(uint32(end - prev))
		prev = end
	}
	e.bytes([]byte(ix.names))
	for _, r := range ix.byName {
		e.u32(uint32(r))
	}
	for _, x := range ix.vecs {
		e.u32(math.Float32bits(x))
	}
	e.u32(uint32(len(ix.graphs)))
	for _, g := range ix.graphs {
		e.u64(uint64(g.lo))
		e.u64(uint64(g.n))
		e.u32(uint32(g.entry))
		e.u32(uint32(g.top))
		e.bytes(g.levels)
		for _, x := range g.links0 {
			e.u32(uint32(x))
		}
		e.u64(uint64(len(g.upper) / (ix.m + 1)))
		for _, x := range g.upper {
			e.u32(uint32(x))
		}
	}
	if e.err == nil {
		e.err = e.w.Flush()
	}
	if e.err == nil {
		var sum [4]byte
		binary.LittleEndian.PutUint32(sum[:], e.h.Sum32())
		var n int
		n, e.err = w.Write(sum[:])
		e.n += int64(n)
	}
	return e.n, e.err
}

// WriteFile writes the index to path atomically: a crash or a failed
// write leaves the previous file.
func (ix *Index) WriteFile(path string) error {
	err := atomicfile.Write(path, func(w io.Writer) error {
		_, err := ix.WriteTo(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("ann: write %s: %w", path, err)
	}
	return nil
}

type countWriter struct {
	w io.Writer
	n *int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	*c.n += int64(n)
	return n, err
}

type encoder struct {
	w   *bufio.Writer
	h   hash.Hash32
	n   int64
	err error
	b   [8]byte
}

func (e *encoder) bytes(p []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(p)
	}
}

func (e *encoder) u32(x uint32) {
	binary.LittleEndian.PutUint32(e.b[:4], x)
	e.bytes(e.b[:4])
}

func (e *encoder) u64(x uint64) {
	binary.LittleEndian.PutUint64(e.b[:], x)
	e.bytes(e.b[:])
}

// ReadFile reads an index written by [Index.WriteFile]; errors name the
// file.
func ReadFile(path string) (*Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ann: %w", err)
	}
	defer f.Close()
	ix, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ix, nil
}

// Read reads an index written by [Index.WriteTo] and stops after its
// last byte. It checks every size against the format's limits, every
// link, level and vector, and the checksum: a truncated or corrupt input
// gives an error wrapping [ErrFormat] (or the reader's error), never a
// panic. Arrays are allocated in chunks of at most 1 MiB as their data
// arrives, so a header that declares more than the input holds costs at
// most one chunk beyond the bytes actually read.
func Read(r io.Reader) (*Index, error) {
	return read(r, true)
}

func read(r io.Reader, verifySum bool) (*Index, error) {
	d := &decoder{r: bufio.NewReaderSize(r, 1<<16), h: crc32.New(castagnoli)}
	ix, err := d.index()
	if err != nil {
		return nil, err
	}
	want := d.h.Sum32()
	got := d.u32("checksum")
	if d.err != nil {
		return nil, d.err
	}
	if verifySum && got != want {
		return nil, fmt.Errorf("%w: checksum %08x, content hashes to %08x", ErrFormat, got, want)
	}
	return ix, nil
}

type decoder struct {
	r   *bufio.Reader
	h   hash.Hash32
	err error
	b   [8]byte
	buf []byte
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{ErrFormat}, args...)...)
	}
}

func (d *decoder) full(p []byte, what string) bool {
	if d.err != nil {
		return false
	}
	if _, err := io.ReadFull(d.r, p); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			d.fail("truncated in %s", what)
		} else {
			d.err = fmt.Errorf("ann: reading %s: %w", what, err)
		}
		return false
	}
	d.h.Write(p)
	return true
}

func (d *decoder) u32(what string) uint32 {
	if !d.full(d.b[:4], what) {
		return 0
	}
	return binary.LittleEndian.Uint32(d.b[:4])
}

func (d *decoder) u64(what string) uint64 {
	if !d.full(d.b[:], what) {
		return 0
	}
	return binary.LittleEndian.Uint64(d.b[:])
}

// chunkBytes bounds each allocation of the reader.
const chunkBytes = 1 << 20

// readArray reads count elements of size bytes each, decoding them with
// conv, allocating as the data arrives.
func readArray[T any](d *decoder, count uint64, size int, what string, conv func([]byte) T) []T {
	if d.err != nil {
		return nil
	}
	per := uint64(chunkBytes / size)
	out := make([]T, 0, min(count, per))
	for left := count; left > 0 && d.err == nil; {
		c := min(left, per)
		if uint64(cap(d.buf)) < c*uint64(size) {
			d.buf = make([]byte, c*uint64(size))
		}
		b := d.buf[:c*uint64(size)]
		if !d.full(b, what) {
			return nil
		}
		if uint64(cap(out)-len(out)) < c {
			grown := make([]T, len(out), min(count, uint64(2*cap(out))+c))
			copy(grown, out)
			out = grown
		}
		for i := 0; i < len(b); i += size {
			out = append(out, conv(b[i:i+size]))
		}
		left -= c
	}
	return out
}

func leU32(b []byte) uint32  { return binary.LittleEndian.Uint32(b) }
func leI32(b []byte) int32   { return int32(binary.LittleEndian.Uint32(b)) }
func leF32(b []byte) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b)) }
func byteOf(b []byte) uint8  { return b[0] }

func (d *decoder) index() (*Index, error) {
	var mg [8]byte
	if d.full(mg[:], "magic") && string(mg[:]) != magic {
		d.fail("magic %q, want %q", mg[:], magic)
	}
	if v := d.u32("version"); d.err == nil && v != version {
		d.fail("version %d, this reader knows %d", v, version)
	}
	dim, m, ef, exact := d.u32("dim"), d.u32("M"), d.u32("EfSearch"), d.u32("ExactBelow")
	n := d.u64("token count")
	if d.err != nil {
		return nil, d.err
	}
	for _, f := range []struct {
		name   string
		v, max uint64
		min    uint64
	}{
		{"dim", uint64(dim), maxDim, 1},
		{"M", uint64(m), maxM, 2},
		{"EfSearch", uint64(ef), maxEf, 1},
		{"ExactBelow", uint64(exact), maxLen, 1},
		{"token count", n, maxLen, 0},
	} {
		if f.v < f.min || f.v > f.max {
			d.fail("%s %d outside [%d, %d]", f.name, f.v, f.min, f.max)
			return nil, d.err
		}
	}
	ix := &Index{dim: int(dim), m: int(m), m0: 2 * int(m), efSearch: int(ef), exactMin: int(exact)}
	lens := readArray(d, n, 4, "token lengths", leU32)
	total := uint64(0)
	ix.ends = make([]uint64, 0, len(lens))
	for _, l := range lens {
		total += uint64(l)
		ix.ends = append(ix.ends, total)
	}
	ix.names = string(readArray(d, total, 1, "tokens", byteOf))
	ix.byName = readArray(d, n, 4, "token order", leI32)
	ix.vecs = readArray(d, n*uint64(dim), 4, "vectors", leF32)
	if d.err != nil {
		return nil, d.err
	}
	if err := ix.checkNames(); err != nil {
		return nil, err
	}
	if err := ix.checkVectors(); err != nil {
		return nil, err
	}
	if err := ix.checkTypes(); err != nil {
		return nil, err
	}
	ng := d.u32("graph count")
	if d.err == nil && int(ng) != len(ix.graphs) {
		d.fail("%d graphs, the token types need %d", ng, len(ix.graphs))
	}
	for i, g := range ix.graphs {
		if d.err != nil {
			break
		}
		d.graph(ix, i, g)
	}
	return ix, d.err
}

// checkNames checks that byName lists every row once, in strictly
// increasing token order.
func (ix *Index) checkNames() error {
	n := len(ix.ends)
	seen := make([]bool, n)
	for i, r := range ix.byName {
		if r < 0 || int(r) >= n || seen[r] {
			return fmt.Errorf("%w: token order entry %d is %d: out of range or repeated", ErrFormat, i, r)
		}
		seen[r] = true
		if i > 0 && strings.Compare(ix.token(int(ix.byName[i-1])), ix.token(int(r))) >= 0 {
			return fmt.Errorf("%w: token order not strictly increasing at %q", ErrFormat, ix.token(int(r)))
		}
	}
	return nil
}

// checkVectors checks that every vector is finite and of unit length or
// zero.
func (ix *Index) checkVectors() error {
	for r := range ix.Len() {
		v := ix.row(r)
		var s float64
		for _, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return fmt.Errorf("%w: vector of %q has component %v", ErrFormat, ix.token(r), x)
			}
			s += float64(x) * float64(x)
		}
		if s != 0 && math.Abs(s-1) > 1e-3 {
			return fmt.Errorf("%w: vector of %q has squared length %g, want 1 or 0", ErrFormat, ix.token(r), s)
		}
	}
	return nil
}

// checkTypes lays out the types and graphs and checks that each type is
// one run of rows and that the types with a graph come first.
func (ix *Index) checkTypes() error {
	ix.layout()
	seen := map[string]bool{}
	small := false
	for _, t := range ix.types {
		if seen[t.name] {
			return fmt.Errorf("%w: tokens of type %q are not contiguous", ErrFormat, t.name)
		}
		seen[t.name] = true
		if t.graph < 0 {
			small = true
		} else if small {
			return fmt.Errorf("%w: type %q with %d tokens follows a type with fewer than %d", ErrFormat, t.name, t.hi-t.lo, ix.exactMin)
		}
	}
	return nil
}

// graph reads and checks graph i, whose rows layout has fixed.
func (d *decoder) graph(ix *Index, i int, g *graph) {
	lo, n := d.u64("graph first row"), d.u64("graph nodes")
	entry, top := d.u32("graph entry"), d.u32("graph top level")
	if d.err != nil {
		return
	}
	if lo != uint64(g.lo) || n != uint64(g.n) {
		d.fail("graph %d covers rows [%d, %d+%d), the token types need [%d, %d+%d)", i, lo, lo, n, g.lo, g.lo, g.n)
		return
	}
	if uint64(entry) >= n || top > maxLevel {
		d.fail("graph %d: entry %d or top level %d out of range", i, entry, top)
		return
	}
	g.entry, g.top = int32(entry), int(top)
	g.levels = readArray(d, n, 1, "levels", byteOf)
	if d.err != nil {
		return
	}
	g.upperAt = make([]int32, g.n)
	lists := 0
	for j, l := range g.levels {
		if int(l) > g.top {
			d.fail("graph %d: node %d on level %d above the top %d", i, j, l, g.top)
			return
		}
		g.upperAt[j] = -1
		if l > 0 {
			g.upperAt[j] = int32(lists)
			lists += int(l)
			if lists > maxLen {
				d.fail("graph %d: more than %d upper-layer lists", i, maxLen)
				return
			}
		}
	}
	if int(g.levels[entry]) != g.top {
		d.fail("graph %d: entry %d on level %d, not the top %d", i, entry, g.levels[entry], g.top)
		return
	}
	g.links0 = readArray(d, n*uint64(ix.m0+1), 4, "layer-0 links", leI32)
	if d.err == nil {
		d.checkLists(g.links0, ix.m0, g.n, i, 0)
	}
	if nl := d.u64("upper list count"); d.err == nil && nl != uint64(lists) {
		d.fail("graph %d: %d upper-layer lists, the levels need %d", i, nl, lists)
		return
	}
	g.upper = readArray(d, uint64(lists)*uint64(ix.m+1), 4, "upper-layer links", leI32)
	if d.err == nil {
		d.checkLists(g.upper, ix.m, g.n, i, 1)
	}
}

func (d *decoder) checkLists(a []int32, capacity, n, g, layer int) {
	for s := 0; s < len(a); s += capacity + 1 {
		c := a[s]
		if c < 0 || int(c) > capacity {
			d.fail("graph %d: a layer-%d+ list holds %d links, at most %d", g, layer, c, capacity)
			return
		}
		for _, x := range a[s+1 : s+1+int(c)] {
			if x < 0 || int(x) >= n {
				d.fail("graph %d: link to node %d of %d", g, x, n)
				return
			}
		}
	}
}
