package fraudgraph

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"sync/atomic"
	"unsafe"
)

// Snapshot format, version 2. All integers are little-endian.
//
//	header:  magic "FRAUDGR\x00" | version u32 | accounts u32 | fingerprints u32 |
//	         kinds u32 | fingerprint table slots u32 | id table slots u32 |
//	         crc32c(previous header bytes) u32
//	section: id u32 | length u64 | data (length bytes) | crc32c(data) u32
//
// Sections appear in a fixed order. Every section length is implied by
// data already verified (the header, or the offsets section before a
// targets section), so the loader allocates exact sizes and reads arrays
// straight into place. Arrays are stored flat, exactly as held in memory.
// Nothing may follow the last section.
//
// Version 2 stores fingerprints by kind and hash: the fingerprint table's
// tags and the fp.hash section hold fingerprintKey(kindSalt(kind), hash).
// Version 1 stored the hash alone (and 0 as 1), merging equal hashes of
// different kinds; its single-account entries do not record their kind,
// so version 1 snapshots cannot be converted and are refused.

// Shard counts of the fingerprint and id tables.
const (
	fpShardCount = 1 << fpShardBits
	idShardCount = 1 << idShardBits
)

const (
	snapshotMagic   = "FRAUDGR\x00"
	snapshotVersion = 2
	headerLen       = 8 + 4*7
)

// Snapshot errors; the returned error is a *SnapshotError wrapping one.
var (
	// ErrSnapshotVersion reports a snapshot of an unknown format or version
	// (this release reads version 2 only; rebuild the graph from its
	// source data to read a version 1 snapshot's contents).
	ErrSnapshotVersion = errors.New("fraudgraph: unsupported snapshot format or version")
	// ErrSnapshotTruncated reports a snapshot that ends early.
	ErrSnapshotTruncated = errors.New("fraudgraph: snapshot truncated")
	// ErrSnapshotCorrupt reports a checksum mismatch or inconsistent data.
	ErrSnapshotCorrupt = errors.New("fraudgraph: snapshot corrupt")
)

// SnapshotError locates a problem in a snapshot.
type SnapshotError struct {
	Section string // section name, or "header"
	Offset  int64  // byte offset of the section in the stream
	Err     error  // ErrSnapshotVersion, ErrSnapshotTruncated, ErrSnapshotCorrupt or an I/O error
	Detail  string
}

// Error returns the message, e.g. `fraudgraph: snapshot section "acc.adj"
// at byte 96: checksum mismatch: snapshot corrupt`.
func (e *SnapshotError) Error() string {
	cause := "<nil>"
	if e.Err != nil {
		cause = strings.TrimPrefix(e.Err.Error(), "fraudgraph: ")
	}
	if e.Detail == "" {
		return fmt.Sprintf("fraudgraph: snapshot section %q at byte %d: %s", e.Section, e.Offset, cause)
	}
	return fmt.Sprintf("fraudgraph: snapshot section %q at byte %d: %s: %s", e.Section, e.Offset, e.Detail, cause)
}

// Unwrap returns the cause.
func (e *SnapshotError) Unwrap() error { return e.Err }

const (
	secKinds = iota + 1
	secCounters
	secExt
	secJoined
	secFlags
	secFPHash
	secFPInfo
	secAccOff
	secAccAdj
	secFpaOff
	secFpaAdj
	secFPSizes
	secFPKeys
	secFPVals
	secIDSizes
	secIDSlots
	secEnd
)

func sectionName(id uint32) string {
	names := [...]string{"", "kinds", "counters", "ext", "joined", "flags", "fp.hash", "fp.info", "acc.off", "acc.adj",
		"fpa.off", "fpa.adj", "fp.sizes", "fp.keys", "fp.vals", "id.sizes", "id.slots"}
	if int(id) < len(names) {
		return names[id]
	}
	return fmt.Sprint("section ", id)
}

// castagnoli returns the CRC-32C table (crc32 builds it once and then
// returns the same table).
func castagnoli() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) }

// littleEndian reports whether the host stores integers little-endian, in
// which case arrays are written and read without conversion.
func littleEndian() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}

// WriteTo writes a snapshot of g to w. It compacts g first and holds off
// inserts while writing; queries continue. It implements io.WriterTo.
func (g *Graph) WriteTo(w io.Writer) (int64, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if st := g.st.Load(); st.d.n > 0 || len(st.acc.off) != int(g.nAcc.Load())+1 || len(st.fpa.off) != int(g.nFp.Load())+1 {
		g.compactLocked()
	}
	st := g.st.Load()
	kinds := *g.kinds.Load()
	nAcc, nFp := g.nAcc.Load(), g.nFp.Load()
	var ids [len(g.ids)]*idTable
	idSizes := make([]uint32, len(ids))
	for i := range ids {
		ids[i] = g.ids[i].Load()
		idSizes[i] = uint32(len(ids[i].slots))
	}
	var shards [len(g.fps)]*fpTable
	sizes := make([]uint32, len(shards))
	for i := range shards {
		shards[i] = g.fps[i].Load()
		sizes[i] = uint32(len(shards[i].keys))
	}
	sw := &snapWriter{w: &countWriter{w: bufio.NewWriterSize(w, 1<<20)}}

	hdr := make([]byte, 0, headerLen)
	hdr = append(hdr, snapshotMagic...)
	for _, v := range []uint32{snapshotVersion, nAcc, nFp, uint32(len(kinds)), uint32(g.fps.slots()), uint32(g.ids.slots())} {
		hdr = binary.LittleEndian.AppendUint32(hdr, v)
	}
	hdr = binary.LittleEndian.AppendUint32(hdr, crc32.Checksum(hdr, castagnoli()))
	sw.w.Write(hdr)

	var names []byte
	for _, k := range kinds {
		names = binary.AppendUvarint(names, uint64(len(k.name)))
		names = append(names, k.name...)
	}
	sw.section(secKinds, names)
	seq := g.seqLen.Load()
	sw.section(secCounters, leBytes([]uint64{g.dups.Load(), g.cycles.Load(), g.seqBase, uint64(seq)}))
	sw.chunked64(secExt, &g.ext, seq, nAcc-seq)
	sw.chunked32(secJoined, &g.joined, 0, nAcc, false)
	sw.chunked32(secFlags, &g.flags, 0, (nAcc+3)/4, true)
	sw.chunked64(secFPHash, &g.fpHash, 0, nFp)
	sw.chunked32(secFPInfo, &g.fpInfo, 0, nFp, false)
	sw.section(secAccOff, leBytes(st.acc.off))
	sw.section(secAccAdj, leBytes(st.acc.adj))
	sw.section(secFpaOff, leBytes(st.fpa.off))
	sw.section(secFpaAdj, leBytes(st.fpa.adj))
	sw.section(secFPSizes, leBytes(sizes))
	sw.begin(secFPKeys, uint64(g.fps.slots())*8)
	for _, t := range shards {
		sw.data(leBytes(t.keys))
	}
	sw.end()
	sw.begin(secFPVals, uint64(g.fps.slots())*2)
	for _, t := range shards {
		sw.data(leBytes(t.hi))
	}
	sw.end()
	sw.section(secIDSizes, leBytes(idSizes))
	sw.begin(secIDSlots, uint64(g.ids.slots())*4)
	for _, t := range ids {
		sw.data(leBytes(plainUint32s(t.slots)))
	}
	sw.end()
	if sw.w.err == nil {
		sw.w.err = sw.w.w.(*bufio.Writer).Flush()
	}
	return sw.w.n, sw.w.err
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}

// snapWriter streams sections: header, data pieces, then the checksum.
type snapWriter struct {
	w   *countWriter
	crc uint32
}

func (s *snapWriter) begin(id uint32, n uint64) {
	var h [12]byte
	binary.LittleEndian.PutUint32(h[0:], id)
	binary.LittleEndian.PutUint64(h[4:], n)
	s.w.Write(h[:])
	s.crc = 0
}

func (s *snapWriter) data(p []byte) {
	s.crc = crc32.Update(s.crc, castagnoli(), p)
	s.w.Write(p)
}

func (s *snapWriter) end() {
	var t [4]byte
	binary.LittleEndian.PutUint32(t[:], s.crc)
	s.w.Write(t[:])
}

func (s *snapWriter) section(id uint32, p []byte) {
	s.begin(id, uint64(len(p)))
	s.data(p)
	s.end()
}

// chunked32 writes elements from..from+n-1 of a chunked array. Arrays
// the writer mutex protects are written in place; concurrent ones (flags)
// are copied with atomic loads.
func (s *snapWriter) chunked32(id uint32, a *u32s, from, n uint32, concurrent bool) {
	s.begin(id, uint64(n)*4)
	buf := make([]uint32, chunkLen)
	for i, end := from, from+n; i < end; {
		m := min(chunkLen-i&chunkMask, end-i)
		if concurrent || !littleEndian() {
			for j := range m {
				buf[j] = a.load(i + j)
			}
			s.data(leBytes(buf[:m]))
		} else {
			s.data(rawBytes(unsafe.Slice((*uint32)(unsafe.Pointer(a.slot(i))), m)))
		}
		i += m
	}
	s.end()
}

func (s *snapWriter) chunked64(id uint32, a *u64s, from, n uint32) {
	s.begin(id, uint64(n)*8)
	buf := make([]uint64, chunkLen)
	for i, end := from, from+n; i < end; {
		m := min(chunkLen-i&chunkMask, end-i)
		if !littleEndian() {
			for j := range m {
				buf[j] = a.load(i + j)
			}
			s.data(leBytes(buf[:m]))
		} else {
			s.data(rawBytes(unsafe.Slice((*uint64)(unsafe.Pointer(a.slot(i))), m)))
		}
		i += m
	}
	s.end()
}

// word is an array element type stored in snapshots.
type word interface{ uint16 | uint32 | uint64 }

// rawBytes returns the memory of s as bytes, in host order (no copy).
func rawBytes[T word](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}

// leBytes returns s as little-endian bytes: its own memory on
// little-endian hosts, a converted copy on others.
func leBytes[T word](s []T) []byte {
	if littleEndian() {
		return rawBytes(s)
	}
	size := int(unsafe.Sizeof(T(0)))
	b := make([]byte, len(s)*size)
	for i, v := range s {
		for j := range size {
			b[i*size+j] = byte(uint64(v) >> (8 * j))
		}
	}
	return b
}

// fixEndian converts little-endian data read into s in place to host
// order; on little-endian hosts it does nothing.
func fixEndian[T word](s []T) {
	if littleEndian() {
		return
	}
	b := rawBytes(s)
	size := int(unsafe.Sizeof(T(0)))
	for i := range s {
		var v uint64
		for j := range size {
			v |= uint64(b[i*size+j]) << (8 * j)
		}
		s[i] = T(v)
	}
}

// plainUint32s views the id table's slots as plain words, for reading
// and writing snapshots under the writer lock or before the table is
// published. atomic.Uint32 has the size and alignment of uint32.
func plainUint32s(s []atomic.Uint32) []uint32 {
	return unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// loader reads sections in order.
type loader struct {
	r   io.Reader
	off int64
	sec string
	at  int64
	crc uint32
}

func (l *loader) fail(err error, detail string) error {
	return &SnapshotError{Section: l.sec, Offset: l.at, Err: err, Detail: detail}
}

func (l *loader) read(p []byte) error {
	n, err := io.ReadFull(l.r, p)
	l.off += int64(n)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return l.fail(ErrSnapshotTruncated, fmt.Sprintf("ends after %d bytes", l.off))
	}
	if err != nil {
		return l.fail(err, "read")
	}
	return nil
}

// begin reads a section header, which must carry id and length want.
func (l *loader) begin(id uint32, want uint64) error {
	l.sec, l.at, l.crc = sectionName(id), l.off, 0
	var h [12]byte
	if err := l.read(h[:]); err != nil {
		return err
	}
	if got := binary.LittleEndian.Uint32(h[0:]); got != id {
		return l.fail(ErrSnapshotCorrupt, fmt.Sprintf("found section id %d", got))
	}
	if n := binary.LittleEndian.Uint64(h[4:]); n != want {
		return l.fail(ErrSnapshotCorrupt, fmt.Sprintf("length %d, want %d", n, want))
	}
	return nil
}

func (l *loader) data(p []byte) error {
	if err := l.read(p); err != nil {
		return err
	}
	l.crc = crc32.Update(l.crc, castagnoli(), p)
	return nil
}

func (l *loader) end() error {
	var t [4]byte
	if err := l.read(t[:]); err != nil {
		return err
	}
	if binary.LittleEndian.Uint32(t[:]) != l.crc {
		return l.fail(ErrSnapshotCorrupt, "checksum mismatch")
	}
	return nil
}

// section reads a section of n array elements.
func section[T word](l *loader, id uint32, n uint64) ([]T, error) {
	if err := l.begin(id, n*uint64(unsafe.Sizeof(T(0)))); err != nil {
		return nil, err
	}
	s, err := readArray[T](l, n)
	if err != nil {
		return nil, err
	}
	fixEndian(s)
	return s, l.end()
}

// readArray reads n little-endian elements in stored byte order (callers
// fix the order on big-endian hosts). The slice grows as data arrives, at
// most doubling, so a length that the checksummed header allows but the
// stream does not hold costs about twice the bytes actually present, not
// an allocation of the claimed size.
func readArray[T word](l *loader, n uint64) ([]T, error) {
	const step = 1 << 20 // elements allocated before any data is seen
	s := make([]T, 0, min(n, step))
	for uint64(len(s)) < n {
		m := int(min(n-uint64(len(s)), max(uint64(len(s)), step)))
		if cap(s)-len(s) < m {
			ns := make([]T, len(s), len(s)+m)
			copy(ns, s)
			s = ns
		}
		part := s[len(s) : len(s)+m]
		if err := l.data(rawBytes(part)); err != nil {
			return nil, err
		}
		s = s[:len(s)+m]
	}
	return s, nil
}

// chunked32 reads elements from..from+n-1 straight into the chunks of a.
func (l *loader) chunked32(id uint32, a *u32s, from, n uint32) error {
	if err := l.begin(id, uint64(n)*4); err != nil {
		return err
	}
	for i, end := from, from+n; i < end; {
		m := min(chunkLen-i&chunkMask, end-i)
		s := unsafe.Slice((*uint32)(unsafe.Pointer(a.slot(i))), m)
		if err := l.data(rawBytes(s)); err != nil {
			return err
		}
		fixEndian(s)
		i += m
	}
	return l.end()
}

func (l *loader) chunked64(id uint32, a *u64s, from, n uint32) error {
	if err := l.begin(id, uint64(n)*8); err != nil {
		return err
	}
	for i, end := from, from+n; i < end; {
		m := min(chunkLen-i&chunkMask, end-i)
		s := unsafe.Slice((*uint64)(unsafe.Pointer(a.slot(i))), m)
		if err := l.data(rawBytes(s)); err != nil {
			return err
		}
		fixEndian(s)
		i += m
	}
	return l.end()
}

// Load reads a snapshot written by [Graph.WriteTo] into a new graph
// configured by cfg (configuration is not part of the snapshot; fingerprint
// kinds are). A truncated, corrupted or inconsistent snapshot is refused
// with a *[SnapshotError]; nothing is half-loaded. Arrays grow as their
// data arrives, so a damaged or forged size costs memory in proportion to
// the bytes actually read, not to the size claimed.
func Load(r io.Reader, cfg Config) (*Graph, error) {
	l := &loader{r: bufio.NewReaderSize(r, 1<<20), sec: "header"}
	h, err := l.header()
	if err != nil {
		return nil, err
	}
	g := New(cfg)
	if err := l.kinds(g, h.kinds); err != nil {
		return nil, err
	}
	c, err := l.counters(h)
	if err != nil {
		return nil, err
	}
	if err := l.nodeArrays(g, h, c); err != nil {
		return nil, err
	}
	st, err := l.adjacency(h)
	if err != nil {
		return nil, err
	}
	fps, err := l.fpTables(h)
	if err != nil {
		return nil, err
	}
	ids, err := l.idTables(h)
	if err != nil {
		return nil, err
	}
	if err := l.finish(); err != nil {
		return nil, err
	}
	if err := l.checkFPTables(fps, h); err != nil {
		return nil, err
	}
	if err := l.checkIDTables(ids, h, c); err != nil {
		return nil, err
	}
	g.nAcc.Store(h.accounts)
	g.nFp.Store(h.fps)
	for i, t := range fps {
		g.fps[i].Store(t)
	}
	for i, t := range ids {
		g.ids[i].Store(t)
	}
	g.seqBase = c.seqBase
	g.seqLen.Store(c.seqLen)
	g.dups.Store(c.dups)
	g.cycles.Store(c.cycles)
	g.st.Store(st)
	return g, nil
}

// snapHeader holds the counts a snapshot header declares.
type snapHeader struct {
	accounts, fps, kinds, fpSlots, idSlots uint32
}

// header reads and checks the header.
func (l *loader) header() (snapHeader, error) {
	hdr := make([]byte, headerLen)
	if err := l.read(hdr); err != nil {
		return snapHeader{}, err
	}
	word := func(i int) uint32 { return binary.LittleEndian.Uint32(hdr[8+4*i:]) }
	if string(hdr[:8]) != snapshotMagic {
		return snapHeader{}, l.fail(ErrSnapshotVersion, fmt.Sprintf("magic %q, want %q", hdr[:8], snapshotMagic))
	}
	if v := word(0); v != snapshotVersion {
		return snapHeader{}, l.fail(ErrSnapshotVersion, fmt.Sprintf("version %d, this release reads version %d", v, snapshotVersion))
	}
	if crc32.Checksum(hdr[:headerLen-4], castagnoli()) != word(6) {
		return snapHeader{}, l.fail(ErrSnapshotCorrupt, "checksum mismatch")
	}
	h := snapHeader{accounts: word(1), fps: word(2), kinds: word(3), fpSlots: word(4), idSlots: word(5)}
	if h.accounts >= idMask || h.fps >= idMask || h.kinds == 0 || h.kinds > 256 ||
		h.fpSlots == 0 || h.idSlots == 0 || h.fps >= h.fpSlots {
		return snapHeader{}, l.fail(ErrSnapshotCorrupt, "counts out of range")
	}
	return h, nil
}

// kinds reads the kinds section, a short list of names whose length is
// not in the header, and registers the kinds in g.
func (l *loader) kinds(g *Graph, n uint32) error {
	l.sec, l.at = sectionName(secKinds), l.off
	var kh [12]byte
	if err := l.read(kh[:]); err != nil {
		return err
	}
	kn := binary.LittleEndian.Uint64(kh[4:])
	if binary.LittleEndian.Uint32(kh[:]) != secKinds || kn > 256*(1+255) {
		return l.fail(ErrSnapshotCorrupt, "bad kinds header")
	}
	b := make([]byte, kn)
	l.crc = 0
	if err := l.data(b); err != nil {
		return err
	}
	if err := l.end(); err != nil {
		return err
	}
	for i := range n {
		name, rest, err := l.kindName(b)
		if err != nil {
			return err
		}
		b = rest
		if err := l.addKind(g, name, i == 0); err != nil {
			return err
		}
	}
	if len(b) != 0 {
		return l.fail(ErrSnapshotCorrupt, "trailing bytes")
	}
	return nil
}

// kindName splits the uvarint-prefixed name at the start of b.
func (l *loader) kindName(b []byte) (name string, rest []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) || n == 0 {
		return "", nil, l.fail(ErrSnapshotCorrupt, "bad kind name")
	}
	return string(b[k : k+int(n)]), b[k+int(n):], nil
}

// addKind registers a kind read from the snapshot; the first must be the
// invite kind, which New registers.
func (l *loader) addKind(g *Graph, name string, first bool) error {
	if first {
		if name != KindInvite {
			return l.fail(ErrSnapshotCorrupt, "first kind is not invite")
		}
		return nil
	}
	if _, dup := g.kindIdx[name]; dup || name == KindInvite {
		return l.fail(ErrSnapshotCorrupt, "duplicate kind")
	}
	if _, err := g.kindIndex(name); err != nil {
		return l.fail(ErrSnapshotCorrupt, err.Error())
	}
	return nil
}

// snapCounters holds the counters section.
type snapCounters struct {
	dups, cycles, seqBase uint64
	seqLen                uint32
}

func (l *loader) counters(h snapHeader) (snapCounters, error) {
	c, err := section[uint64](l, secCounters, 4)
	if err != nil {
		return snapCounters{}, err
	}
	if c[3] > uint64(h.accounts) || h.accounts > 0 && c[3] == 0 {
		return snapCounters{}, l.fail(ErrSnapshotCorrupt, "sequential id count out of range")
	}
	return snapCounters{dups: c[0], cycles: c[1], seqBase: c[2], seqLen: uint32(c[3])}, nil
}

// nodeArrays reads the per-account and per-fingerprint arrays straight
// into g's chunked arrays and checks every fingerprint's kind.
func (l *loader) nodeArrays(g *Graph, h snapHeader, c snapCounters) error {
	if err := l.chunked64(secExt, &g.ext, c.seqLen, h.accounts-c.seqLen); err != nil {
		return err
	}
	if err := l.chunked32(secJoined, &g.joined, 0, h.accounts); err != nil {
		return err
	}
	if err := l.chunked32(secFlags, &g.flags, 0, (h.accounts+3)/4); err != nil {
		return err
	}
	if err := l.chunked64(secFPHash, &g.fpHash, 0, h.fps); err != nil {
		return err
	}
	if err := l.chunked32(secFPInfo, &g.fpInfo, 0, h.fps); err != nil {
		return err
	}
	for f := range h.fps {
		if k := g.fpInfo.load(f) >> 24; k >= h.kinds || k == 0 {
			return l.fail(ErrSnapshotCorrupt, fmt.Sprintf("fingerprint %d: bad kind", f))
		}
	}
	return nil
}

// adjacency reads the two CSRs, checking offsets and targets.
func (l *loader) adjacency(h snapHeader) (*state, error) {
	st := &state{d: new(delta)}
	validAcc := func(v uint32) bool {
		if v&fpBit != 0 {
			return v&inviterBit == 0 && v&idMask < h.fps
		}
		return v&^inviterBit < h.accounts
	}
	if err := l.csr(&st.acc, secAccOff, secAccAdj, h.accounts, validAcc); err != nil {
		return nil, err
	}
	validFpa := func(v uint32) bool { return v < h.accounts }
	if err := l.csr(&st.fpa, secFpaOff, secFpaAdj, h.fps, validFpa); err != nil {
		return nil, err
	}
	return st, nil
}

// csr reads the offsets and targets sections of a CSR over rows nodes.
func (l *loader) csr(c *csr, offID, adjID, rows uint32, valid func(uint32) bool) error {
	var err error
	if c.off, err = section[uint32](l, offID, uint64(rows)+1); err != nil {
		return err
	}
	if msg := checkOffsets(c.off); msg != "" {
		return l.fail(ErrSnapshotCorrupt, msg)
	}
	if c.adj, err = section[uint32](l, adjID, uint64(c.off[rows])); err != nil {
		return err
	}
	for i, v := range c.adj {
		if !valid(v) {
			return l.fail(ErrSnapshotCorrupt, fmt.Sprintf("target %d: %#x out of range", i, v))
		}
	}
	return nil
}

// shardSizes reads a section of n shard sizes, which must be non-zero and
// add up to slots, the header's total.
func (l *loader) shardSizes(id uint32, n int, slots uint32) ([]uint32, error) {
	sizes, err := section[uint32](l, id, uint64(n))
	if err != nil {
		return nil, err
	}
	var total uint64
	for _, s := range sizes {
		if s == 0 {
			return nil, l.fail(ErrSnapshotCorrupt, "empty shard")
		}
		total += uint64(s)
	}
	if total != uint64(slots) {
		return nil, l.fail(ErrSnapshotCorrupt, fmt.Sprintf("shards hold %d slots, header says %d", total, slots))
	}
	return sizes, nil
}

// fpTables reads the fingerprint table shards (in stored byte order;
// checkFPTables converts and checks them).
func (l *loader) fpTables(h snapHeader) (*[fpShardCount]*fpTable, error) {
	sizes, err := l.shardSizes(secFPSizes, fpShardCount, h.fpSlots)
	if err != nil {
		return nil, err
	}
	var shards [fpShardCount]*fpTable
	if err := l.begin(secFPKeys, uint64(h.fpSlots)*8); err != nil {
		return nil, err
	}
	for i, n := range sizes {
		keys, err := readArray[uint64](l, uint64(n))
		if err != nil {
			return nil, err
		}
		shards[i] = &fpTable{keys: keys}
	}
	if err := l.end(); err != nil {
		return nil, err
	}
	if err := l.begin(secFPVals, uint64(h.fpSlots)*2); err != nil {
		return nil, err
	}
	for _, t := range shards {
		if t.hi, err = readArray[uint16](l, uint64(len(t.keys))); err != nil {
			return nil, err
		}
	}
	return &shards, l.end()
}

// idTables reads the id table shards (in stored byte order;
// checkIDTables converts and checks them).
func (l *loader) idTables(h snapHeader) (*[idShardCount]*idTable, error) {
	sizes, err := l.shardSizes(secIDSizes, idShardCount, h.idSlots)
	if err != nil {
		return nil, err
	}
	var ids [idShardCount]*idTable
	if err := l.begin(secIDSlots, uint64(h.idSlots)*4); err != nil {
		return nil, err
	}
	for i, n := range sizes {
		slots, err := readArray[uint32](l, uint64(n))
		if err != nil {
			return nil, err
		}
		// atomic.Uint32 has the size and alignment of uint32.
		ids[i] = &idTable{slots: unsafe.Slice((*atomic.Uint32)(unsafe.Pointer(unsafe.SliceData(slots))), len(slots))}
	}
	return &ids, l.end()
}

// finish checks that nothing follows the last section.
func (l *loader) finish() error {
	l.sec, l.at = "end", l.off
	var extra [1]byte
	if n, err := io.ReadFull(l.r, extra[:]); n > 0 {
		return l.fail(ErrSnapshotCorrupt, "trailing bytes after the last section")
	} else if err != io.EOF {
		return l.fail(err, "read")
	}
	return nil
}

// checkFPTables converts the fingerprint table shards to host order and
// validates every entry before anything trusts them.
func (l *loader) checkFPTables(shards *[fpShardCount]*fpTable, h snapHeader) error {
	l.sec, l.at = "fp.vals", l.off
	for sh, ft := range shards {
		fixEndian(ft.keys)
		fixEndian(ft.hi)
		for i, k := range ft.keys {
			if k == 0 {
				continue
			}
			v := ft.value(i)
			if k>>16 == 0 || v&singleBit != 0 && v&^singleBit >= h.accounts || v&singleBit == 0 && v >= h.fps {
				return l.fail(ErrSnapshotCorrupt, fmt.Sprintf("shard %d slot %d: bad entry", sh, i))
			}
			ft.used++
		}
		if ft.used >= len(ft.keys) {
			return l.fail(ErrSnapshotCorrupt, "fingerprint table full")
		}
		ft.setLimit(sh)
	}
	return nil
}

// checkIDTables converts the id table shards to host order and checks
// that they hold exactly the accounts without sequential ids.
func (l *loader) checkIDTables(ids *[idShardCount]*idTable, h snapHeader, c snapCounters) error {
	l.sec = "id.slots"
	used := 0
	for sh, t := range ids {
		slots := plainUint32s(t.slots)
		fixEndian(slots)
		for i, s := range slots {
			if s > h.accounts {
				return l.fail(ErrSnapshotCorrupt, fmt.Sprintf("shard %d slot %d: account %d out of range", sh, i, s))
			}
			if s != 0 {
				t.used++
			}
		}
		if t.used >= len(t.slots) {
			return l.fail(ErrSnapshotCorrupt, "id table shard full")
		}
		used += t.used
	}
	if used != int(h.accounts-c.seqLen) {
		return l.fail(ErrSnapshotCorrupt, "id table does not hold every account")
	}
	return nil
}

// checkOffsets validates CSR offsets; it returns a problem or "".
func checkOffsets(off []uint32) string {
	if off[0] != 0 {
		return "offsets do not start at 0"
	}
	for i := 1; i < len(off); i++ {
		if off[i] < off[i-1] {
			return fmt.Sprintf("offset %d decreases", i)
		}
	}
	return ""
}
