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
//
// It is a plain value, safe for concurrent reads but not for concurrent
// modification.
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
	sw.section(secCounters, u64Bytes([]uint64{g.dups.Load(), g.cycles.Load(), g.seqBase, uint64(seq)}))
	sw.chunked64(secExt, &g.ext, seq, nAcc-seq)
	sw.chunked32(secJoined, &g.joined, 0, nAcc, false)
	sw.chunked32(secFlags, &g.flags, 0, (nAcc+3)/4, true)
	sw.chunked64(secFPHash, &g.fpHash, 0, nFp)
	sw.chunked32(secFPInfo, &g.fpInfo, 0, nFp, false)
	sw.section(secAccOff, u32Bytes(st.acc.off))
	sw.section(secAccAdj, u32Bytes(st.acc.adj))
	sw.section(secFpaOff, u32Bytes(st.fpa.off))
	sw.section(secFpaAdj, u32Bytes(st.fpa.adj))
	sw.section(secFPSizes, u32Bytes(sizes))
	sw.begin(secFPKeys, uint64(g.fps.slots())*8)
	for _, t := range shards {
		sw.data(u64Bytes(t.keys))
	}
	sw.end()
	sw.begin(secFPVals, uint64(g.fps.slots())*2)
	for _, t := range shards {
		sw.data(u16Bytes(t.hi))
	}
	sw.end()
	sw.section(secIDSizes, u32Bytes(idSizes))
	sw.begin(secIDSlots, uint64(g.ids.slots())*4)
	for _, t := range ids {
		sw.data(atomicBytes32(t.slots))
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
			s.data(u32Bytes(buf[:m]))
		} else {
			s.data(unsafe.Slice((*byte)(unsafe.Pointer(a.slot(i))), m*4))
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
			s.data(u64Bytes(buf[:m]))
		} else {
			s.data(unsafe.Slice((*byte)(unsafe.Pointer(a.slot(i))), m*8))
		}
		i += m
	}
	s.end()
}

func atomicBytes32(s []atomic.Uint32) []byte {
	if len(s) == 0 {
		return nil
	}
	if littleEndian() {
		return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*4)
	}
	b := make([]byte, 0, len(s)*4)
	for i := range s {
		b = binary.LittleEndian.AppendUint32(b, s[i].Load())
	}
	return b
}

// u32Bytes returns s as little-endian bytes (no copy on little-endian hosts).
func u32Bytes(s []uint32) []byte {
	if len(s) == 0 {
		return nil
	}
	if littleEndian() {
		return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*4)
	}
	b := make([]byte, 0, len(s)*4)
	for _, v := range s {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

func u16Bytes(s []uint16) []byte {
	if len(s) == 0 {
		return nil
	}
	if littleEndian() {
		return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*2)
	}
	b := make([]byte, 0, len(s)*2)
	for _, v := range s {
		b = binary.LittleEndian.AppendUint16(b, v)
	}
	return b
}

func u64Bytes(s []uint64) []byte {
	if len(s) == 0 {
		return nil
	}
	if littleEndian() {
		return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*8)
	}
	b := make([]byte, 0, len(s)*8)
	for _, v := range s {
		b = binary.LittleEndian.AppendUint64(b, v)
	}
	return b
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

func (l *loader) u32s(id uint32, n uint64) ([]uint32, error) {
	if err := l.begin(id, n*4); err != nil {
		return nil, err
	}
	s, err := readArray[uint32](l, n)
	if err != nil {
		return nil, err
	}
	fixEndian32(s)
	return s, l.end()
}

func (l *loader) u64s(id uint32, n uint64) ([]uint64, error) {
	if err := l.begin(id, n*8); err != nil {
		return nil, err
	}
	s, err := readArray[uint64](l, n)
	if err != nil {
		return nil, err
	}
	fixEndian64(s)
	return s, l.end()
}

// readArray reads n little-endian elements in stored byte order (callers
// fix the order on big-endian hosts). The slice grows as data arrives, at
// most doubling, so a length that the checksummed header allows but the
// stream does not hold costs about twice the bytes actually present, not
// an allocation of the claimed size.
func readArray[T uint16 | uint32 | uint64](l *loader, n uint64) ([]T, error) {
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
		var zero T
		if err := l.data(unsafe.Slice((*byte)(unsafe.Pointer(&part[0])), m*int(unsafe.Sizeof(zero)))); err != nil {
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
		if err := l.data(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), m*4)); err != nil {
			return err
		}
		fixEndian32(s)
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
		if err := l.data(unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), m*8)); err != nil {
			return err
		}
		fixEndian64(s)
		i += m
	}
	return l.end()
}

// fixEndian32 converts little-endian data read in place to host order.
func fixEndian32(s []uint32) {
	if littleEndian() || len(s) == 0 {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*4)
	for i := range s {
		s[i] = binary.LittleEndian.Uint32(b[i*4:])
	}
}

func fixEndian64(s []uint64) {
	if littleEndian() || len(s) == 0 {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*8)
	for i := range s {
		s[i] = binary.LittleEndian.Uint64(b[i*8:])
	}
}

// Load reads a snapshot written by [Graph.WriteTo] into a new graph
// configured by cfg (configuration is not part of the snapshot; fingerprint
// kinds are). A truncated, corrupted or inconsistent snapshot is refused
// with a *[SnapshotError]; nothing is half-loaded. Arrays grow as their
// data arrives, so a damaged or forged size costs memory in proportion to
// the bytes actually read, not to the size claimed.
func Load(r io.Reader, cfg Config) (*Graph, error) {
	l := &loader{r: bufio.NewReaderSize(r, 1<<20), sec: "header"}
	hdr := make([]byte, headerLen)
	if err := l.read(hdr); err != nil {
		return nil, err
	}
	word := func(i int) uint32 { return binary.LittleEndian.Uint32(hdr[8+4*i:]) }
	if string(hdr[:8]) != snapshotMagic {
		return nil, l.fail(ErrSnapshotVersion, fmt.Sprintf("magic %q, want %q", hdr[:8], snapshotMagic))
	}
	if v := word(0); v != snapshotVersion {
		return nil, l.fail(ErrSnapshotVersion, fmt.Sprintf("version %d, this release reads version %d", v, snapshotVersion))
	}
	if crc32.Checksum(hdr[:headerLen-4], castagnoli()) != word(6) {
		return nil, l.fail(ErrSnapshotCorrupt, "checksum mismatch")
	}
	nAcc, nFp, nKinds, fpSlots, idSlots := word(1), word(2), word(3), word(4), word(5)
	if nAcc >= idMask || nFp >= idMask || nKinds == 0 || nKinds > 256 ||
		fpSlots == 0 || idSlots == 0 || nFp >= fpSlots {
		return nil, l.fail(ErrSnapshotCorrupt, "counts out of range")
	}
	g := New(cfg)

	// Kinds: a short list of names; its length is not in the header.
	l.sec, l.at = sectionName(secKinds), l.off
	var kh [12]byte
	if err := l.read(kh[:]); err != nil {
		return nil, err
	}
	kn := binary.LittleEndian.Uint64(kh[4:])
	if binary.LittleEndian.Uint32(kh[:]) != secKinds || kn > 256*(1+255) {
		return nil, l.fail(ErrSnapshotCorrupt, "bad kinds header")
	}
	b := make([]byte, kn)
	l.crc = 0
	if err := l.data(b); err != nil {
		return nil, err
	}
	if err := l.end(); err != nil {
		return nil, err
	}
	for i := range nKinds {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) || n == 0 {
			return nil, l.fail(ErrSnapshotCorrupt, "bad kind name")
		}
		name := string(b[k : k+int(n)])
		b = b[k+int(n):]
		if i == 0 {
			if name != KindInvite {
				return nil, l.fail(ErrSnapshotCorrupt, "first kind is not invite")
			}
			continue
		}
		if _, dup := g.kindIdx[name]; dup || name == KindInvite {
			return nil, l.fail(ErrSnapshotCorrupt, "duplicate kind")
		}
		if _, err := g.kindIndex(name); err != nil {
			return nil, l.fail(ErrSnapshotCorrupt, err.Error())
		}
	}
	if len(b) != 0 {
		return nil, l.fail(ErrSnapshotCorrupt, "trailing bytes")
	}

	counters, err := l.u64s(secCounters, 4)
	if err != nil {
		return nil, err
	}
	seqLen := counters[3]
	if seqLen > uint64(nAcc) || nAcc > 0 && seqLen == 0 {
		return nil, l.fail(ErrSnapshotCorrupt, "sequential id count out of range")
	}
	if err := l.chunked64(secExt, &g.ext, uint32(seqLen), nAcc-uint32(seqLen)); err != nil {
		return nil, err
	}
	if err := l.chunked32(secJoined, &g.joined, 0, nAcc); err != nil {
		return nil, err
	}
	if err := l.chunked32(secFlags, &g.flags, 0, (nAcc+3)/4); err != nil {
		return nil, err
	}
	if err := l.chunked64(secFPHash, &g.fpHash, 0, nFp); err != nil {
		return nil, err
	}
	if err := l.chunked32(secFPInfo, &g.fpInfo, 0, nFp); err != nil {
		return nil, err
	}
	for f := range nFp {
		if k := g.fpInfo.load(f) >> 24; k >= nKinds || k == 0 {
			return nil, l.fail(ErrSnapshotCorrupt, fmt.Sprintf("fingerprint %d: bad kind", f))
		}
	}
	st := &state{d: new(delta)}
	for _, c := range []struct {
		c            *csr
		offID, adjID uint32
		rows         uint32
		valid        func(v uint32) bool
	}{
		{&st.acc, secAccOff, secAccAdj, nAcc, func(v uint32) bool {
			if v&fpBit != 0 {
				return v&inviterBit == 0 && v&idMask < nFp
			}
			return v&^inviterBit < nAcc
		}},
		{&st.fpa, secFpaOff, secFpaAdj, nFp, func(v uint32) bool { return v < nAcc }},
	} {
		if c.c.off, err = l.u32s(c.offID, uint64(c.rows)+1); err != nil {
			return nil, err
		}
		if msg := checkOffsets(c.c.off); msg != "" {
			return nil, l.fail(ErrSnapshotCorrupt, msg)
		}
		if c.c.adj, err = l.u32s(c.adjID, uint64(c.c.off[c.rows])); err != nil {
			return nil, err
		}
		for i, v := range c.c.adj {
			if !c.valid(v) {
				return nil, l.fail(ErrSnapshotCorrupt, fmt.Sprintf("target %d: %#x out of range", i, v))
			}
		}
	}
	sizes, err := l.u32s(secFPSizes, uint64(len(g.fps)))
	if err != nil {
		return nil, err
	}
	var total uint64
	for _, n := range sizes {
		if n == 0 {
			return nil, l.fail(ErrSnapshotCorrupt, "empty shard")
		}
		total += uint64(n)
	}
	if total != uint64(fpSlots) {
		return nil, l.fail(ErrSnapshotCorrupt, fmt.Sprintf("shards hold %d slots, header says %d", total, fpSlots))
	}
	var shards [len(g.fps)]*fpTable
	if err := l.begin(secFPKeys, uint64(fpSlots)*8); err != nil {
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
	if err := l.begin(secFPVals, uint64(fpSlots)*2); err != nil {
		return nil, err
	}
	for _, t := range shards {
		if t.hi, err = readArray[uint16](l, uint64(len(t.keys))); err != nil {
			return nil, err
		}
	}
	if err := l.end(); err != nil {
		return nil, err
	}
	idSizes, err := l.u32s(secIDSizes, uint64(len(g.ids)))
	if err != nil {
		return nil, err
	}
	total = 0
	for _, n := range idSizes {
		if n == 0 {
			return nil, l.fail(ErrSnapshotCorrupt, "empty shard")
		}
		total += uint64(n)
	}
	if total != uint64(idSlots) {
		return nil, l.fail(ErrSnapshotCorrupt, fmt.Sprintf("shards hold %d slots, header says %d", total, idSlots))
	}
	var ids [len(g.ids)]*idTable
	if err := l.begin(secIDSlots, uint64(idSlots)*4); err != nil {
		return nil, err
	}
	for i, n := range idSizes {
		slots, err := readArray[uint32](l, uint64(n))
		if err != nil {
			return nil, err
		}
		// atomic.Uint32 has the size and alignment of uint32.
		ids[i] = &idTable{slots: unsafe.Slice((*atomic.Uint32)(unsafe.Pointer(unsafe.SliceData(slots))), len(slots))}
	}
	if err := l.end(); err != nil {
		return nil, err
	}
	l.sec, l.at = "end", l.off
	var extra [1]byte
	if n, err := io.ReadFull(l.r, extra[:]); n > 0 {
		return nil, l.fail(ErrSnapshotCorrupt, "trailing bytes after the last section")
	} else if err != io.EOF {
		return nil, l.fail(err, "read")
	}
	if !littleEndian() {
		for _, ft := range shards {
			fixEndian64(ft.keys)
			for i, v := range ft.hi {
				ft.hi[i] = v>>8 | v<<8
			}
		}
		for _, t := range ids {
			fixAtomic32(t.slots)
		}
	}

	// Validate table values before anything trusts them.
	l.sec, l.at = "fp.vals", l.off
	for sh, ft := range shards {
		for i, k := range ft.keys {
			if k == 0 {
				continue
			}
			v := ft.value(i)
			if k>>16 == 0 || v&singleBit != 0 && v&^singleBit >= nAcc || v&singleBit == 0 && v >= nFp {
				return nil, l.fail(ErrSnapshotCorrupt, fmt.Sprintf("shard %d slot %d: bad entry", sh, i))
			}
			ft.used++
		}
		if ft.used >= len(ft.keys) {
			return nil, l.fail(ErrSnapshotCorrupt, "fingerprint table full")
		}
		ft.setLimit(sh)
	}
	l.sec = "id.slots"
	used := 0
	for sh, t := range ids {
		for i := range t.slots {
			s := t.slots[i].Load()
			if s > nAcc {
				return nil, l.fail(ErrSnapshotCorrupt, fmt.Sprintf("shard %d slot %d: account %d out of range", sh, i, s))
			}
			if s != 0 {
				t.used++
			}
		}
		if t.used >= len(t.slots) {
			return nil, l.fail(ErrSnapshotCorrupt, "id table shard full")
		}
		used += t.used
	}
	if used != int(uint64(nAcc)-seqLen) {
		return nil, l.fail(ErrSnapshotCorrupt, "id table does not hold every account")
	}
	g.nAcc.Store(nAcc)
	g.nFp.Store(nFp)
	for i, t := range shards {
		g.fps[i].Store(t)
	}
	for i, t := range ids {
		g.ids[i].Store(t)
	}
	g.seqBase = counters[2]
	g.seqLen.Store(uint32(seqLen))
	g.dups.Store(counters[0])
	g.cycles.Store(counters[1])
	g.st.Store(st)
	return g, nil
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

func fixAtomic32(s []atomic.Uint32) {
	for i := range s {
		var b [4]byte
		binary.NativeEndian.PutUint32(b[:], s[i].Load())
		s[i].Store(binary.LittleEndian.Uint32(b[:]))
	}
}
