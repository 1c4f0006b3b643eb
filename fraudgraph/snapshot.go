package fraudgraph

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"sync/atomic"
	"unsafe"
)

// Snapshot format, version 1. All integers are little-endian.
//
//	header:  magic "FRAUDGR\x00" | version u32 | accounts u32 | fingerprints u32 |
//	         kinds u32 | sections u32 | crc32c(previous header bytes) u32
//	section: id u32 | length u64 | crc32c(data) u32 | data (length bytes)
//
// Sections appear in the order of the snapshotSections list; their lengths
// must match the counts in the header. Arrays are stored flat, exactly as
// held in memory, so loading is a sequence of reads and checksums.

const (
	snapshotMagic   = "FRAUDGR\x00"
	snapshotVersion = 1
	headerLen       = 8 + 4*6
)

// Snapshot errors; the returned error is a *SnapshotError wrapping one.
var (
	// ErrSnapshotVersion reports a snapshot of an unknown format or version.
	ErrSnapshotVersion = errors.New("fraudgraph: not a version 1 snapshot")
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

// Error returns the message, e.g. `fraudgraph: snapshot section "inv.adj"
// at byte 96: checksum mismatch: fraudgraph: snapshot corrupt`.
func (e *SnapshotError) Error() string {
	return fmt.Sprintf("fraudgraph: snapshot section %q at byte %d: %s: %v", e.Section, e.Offset, e.Detail, e.Err)
}

// Unwrap returns the cause.
func (e *SnapshotError) Unwrap() error { return e.Err }

const (
	secKinds = iota + 1
	secExt
	secJoined
	secFlags
	secFPHash
	secFPInfo
	secInvOff
	secInvAdj
	secAfpOff
	secAfpAdj
	secFpaOff
	secFpaAdj
	secFPKeys
	secFPVals
	secIDSlots
	secCounters
	secEnd
)

func sectionName(id uint32) string {
	names := [...]string{"", "kinds", "ext", "joined", "flags", "fp.hash", "fp.info", "inv.off", "inv.adj",
		"afp.off", "afp.adj", "fpa.off", "fpa.adj", "fp.keys", "fp.vals", "id.slots", "counters"}
	if int(id) < len(names) {
		return names[id]
	}
	return fmt.Sprint("section ", id)
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli) //nolint:gochecknoglobals // immutable lookup table

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
	if st := g.st.Load(); st.d.n > 0 || len(st.inv.off) != int(g.nAcc.Load())+1 ||
		len(st.afp.off) != int(g.nAcc.Load())+1 || len(st.fpa.off) != int(g.nFp.Load())+1 {
		g.compactLocked()
	}
	st := g.st.Load()
	kinds := *g.kinds.Load()
	nAcc, nFp := g.nAcc.Load(), g.nFp.Load()
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := &countWriter{w: bw}

	hdr := make([]byte, 0, headerLen)
	hdr = append(hdr, snapshotMagic...)
	hdr = binary.LittleEndian.AppendUint32(hdr, snapshotVersion)
	hdr = binary.LittleEndian.AppendUint32(hdr, nAcc)
	hdr = binary.LittleEndian.AppendUint32(hdr, nFp)
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(len(kinds)))
	hdr = binary.LittleEndian.AppendUint32(hdr, secEnd-1)
	hdr = binary.LittleEndian.AppendUint32(hdr, crc32.Checksum(hdr, castagnoli))
	cw.Write(hdr)

	var names []byte
	for _, k := range kinds {
		names = binary.AppendUvarint(names, uint64(len(k.name)))
		names = append(names, k.name...)
	}
	writeSection(cw, secKinds, names)
	writeSection(cw, secExt, chunkBytes64(&g.ext, nAcc))
	writeSection(cw, secJoined, chunkBytes32(&g.joined, nAcc))
	writeSection(cw, secFlags, chunkBytes32(&g.flags, (nAcc+3)/4))
	writeSection(cw, secFPHash, chunkBytes64(&g.fpHash, nFp))
	writeSection(cw, secFPInfo, chunkBytes32(&g.fpInfo, nFp))
	writeSection(cw, secInvOff, u32Bytes(st.inv.off))
	writeSection(cw, secInvAdj, u32Bytes(st.inv.adj))
	writeSection(cw, secAfpOff, u32Bytes(st.afp.off))
	writeSection(cw, secAfpAdj, u32Bytes(st.afp.adj))
	writeSection(cw, secFpaOff, u32Bytes(st.fpa.off))
	writeSection(cw, secFpaAdj, u32Bytes(st.fpa.adj))
	ft := g.fps.Load()
	keys := make([]uint64, len(ft.keys))
	vals := make([]uint32, len(ft.vals))
	for i := range ft.keys {
		keys[i], vals[i] = ft.keys[i].Load(), ft.vals[i].Load()
	}
	writeSection(cw, secFPKeys, u64Bytes(keys))
	writeSection(cw, secFPVals, u32Bytes(vals))
	it := g.ids.Load()
	slots := make([]uint32, len(it.slots))
	for i := range it.slots {
		slots[i] = it.slots[i].Load()
	}
	writeSection(cw, secIDSlots, u32Bytes(slots))
	writeSection(cw, secCounters, u64Bytes([]uint64{g.dups.Load(), g.cycles.Load(), g.seqBase, uint64(g.seqLen.Load())}))
	if cw.err == nil {
		cw.err = bw.Flush()
	}
	return cw.n, cw.err
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

// sectionData yields a section's bytes as one or more pieces.
type sectionData [][]byte

func writeSection(w *countWriter, id uint32, data any) {
	var pieces [][]byte
	switch d := data.(type) {
	case []byte:
		pieces = [][]byte{d}
	case sectionData:
		pieces = d
	}
	var n uint64
	crc := uint32(0)
	for _, p := range pieces {
		n += uint64(len(p))
		crc = crc32.Update(crc, castagnoli, p)
	}
	var h [16]byte
	binary.LittleEndian.PutUint32(h[0:], id)
	binary.LittleEndian.PutUint64(h[4:], n)
	binary.LittleEndian.PutUint32(h[12:], crc)
	w.Write(h[:])
	for _, p := range pieces {
		w.Write(p)
	}
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

// chunkBytes32 copies the first n elements of a chunked array with atomic
// loads (flags change concurrently) into little-endian pieces.
func chunkBytes32(a *u32s, n uint32) sectionData {
	var out sectionData
	for start := uint32(0); start < n; start += chunkLen {
		m := min(chunkLen, n-start)
		buf := make([]uint32, m)
		for i := range m {
			buf[i] = a.load(start + i)
		}
		out = append(out, u32Bytes(buf))
	}
	return out
}

func chunkBytes64(a *u64s, n uint32) sectionData {
	var out sectionData
	for start := uint32(0); start < n; start += chunkLen {
		m := min(chunkLen, n-start)
		buf := make([]uint64, m)
		for i := range m {
			buf[i] = a.load(start + i)
		}
		out = append(out, u64Bytes(buf))
	}
	return out
}

// loader reads sections in order.
type loader struct {
	r   io.Reader
	off int64
}

func (l *loader) fail(sec string, off int64, err error, detail string) error {
	return &SnapshotError{Section: sec, Offset: off, Err: err, Detail: detail}
}

func (l *loader) read(p []byte, sec string, start int64) error {
	n, err := io.ReadFull(l.r, p)
	l.off += int64(n)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return l.fail(sec, start, ErrSnapshotTruncated, fmt.Sprintf("ends after %d bytes", l.off))
	}
	if err != nil {
		return l.fail(sec, start, err, "read")
	}
	return nil
}

// section reads the next section, which must have the given id and
// exactly want bytes; it returns the data as a byte slice grown in steps
// so a forged length cannot allocate more than the stream holds.
func (l *loader) section(id uint32, want uint64, elem int) ([]byte, error) {
	start := l.off
	name := sectionName(id)
	var h [16]byte
	if err := l.read(h[:], name, start); err != nil {
		return nil, err
	}
	gotID := binary.LittleEndian.Uint32(h[0:])
	n := binary.LittleEndian.Uint64(h[4:])
	crc := binary.LittleEndian.Uint32(h[12:])
	if gotID != id {
		return nil, l.fail(name, start, ErrSnapshotCorrupt, fmt.Sprintf("found section id %d", gotID))
	}
	if want != math.MaxUint64 && n != want {
		return nil, l.fail(name, start, ErrSnapshotCorrupt, fmt.Sprintf("length %d, want %d", n, want))
	}
	if n%uint64(elem) != 0 || n > 1<<40 {
		return nil, l.fail(name, start, ErrSnapshotCorrupt, fmt.Sprintf("bad length %d", n))
	}
	const first = 1 << 20
	alloc := func(m uint64) []byte {
		switch elem {
		case 8:
			return u64Bytes(make([]uint64, m/8))
		case 4:
			return u32Bytes(make([]uint32, m/4))
		}
		return make([]byte, m)
	}
	data := alloc(min(n, first))
	if err := l.read(data, name, start); err != nil {
		return nil, err
	}
	for uint64(len(data)) < n {
		// Grow only as data arrives, so a forged length cannot make the
		// loader allocate much more than the stream holds.
		nd := alloc(min(n, 4*uint64(len(data))))
		got := copy(nd, data)
		if err := l.read(nd[got:], name, start); err != nil {
			return nil, err
		}
		data = nd
	}
	if crc32.Checksum(data, castagnoli) != crc {
		return nil, l.fail(name, start, ErrSnapshotCorrupt, "checksum mismatch")
	}
	return data, nil
}

func asU32(b []byte) []uint32 {
	if len(b) == 0 {
		return nil
	}
	s := unsafe.Slice((*uint32)(unsafe.Pointer(&b[0])), len(b)/4)
	if !littleEndian() {
		for i := range s {
			s[i] = binary.LittleEndian.Uint32(b[i*4:])
		}
	}
	return s
}

func asU64(b []byte) []uint64 {
	if len(b) == 0 {
		return nil
	}
	s := unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), len(b)/8)
	if !littleEndian() {
		for i := range s {
			s[i] = binary.LittleEndian.Uint64(b[i*8:])
		}
	}
	return s
}

// Load reads a snapshot written by [Graph.WriteTo] into a new graph
// configured by cfg (configuration is not part of the snapshot; fingerprint
// kinds are). A truncated, corrupted or inconsistent snapshot is refused
// with a *[SnapshotError]; nothing is half-loaded.
func Load(r io.Reader, cfg Config) (*Graph, error) {
	l := &loader{r: bufio.NewReaderSize(r, 1<<20)}
	hdr := make([]byte, headerLen)
	if err := l.read(hdr, "header", 0); err != nil {
		return nil, err
	}
	if string(hdr[:8]) != snapshotMagic || binary.LittleEndian.Uint32(hdr[8:]) != snapshotVersion {
		return nil, l.fail("header", 0, ErrSnapshotVersion, fmt.Sprintf("magic %q", hdr[:8]))
	}
	if crc32.Checksum(hdr[:headerLen-4], castagnoli) != binary.LittleEndian.Uint32(hdr[headerLen-4:]) {
		return nil, l.fail("header", 0, ErrSnapshotCorrupt, "checksum mismatch")
	}
	nAcc := binary.LittleEndian.Uint32(hdr[12:])
	nFp := binary.LittleEndian.Uint32(hdr[16:])
	nKinds := binary.LittleEndian.Uint32(hdr[20:])
	if nAcc >= singleBit || nFp >= singleBit || nKinds == 0 || nKinds > 256 || binary.LittleEndian.Uint32(hdr[24:]) != secEnd-1 {
		return nil, l.fail("header", 0, ErrSnapshotCorrupt, "counts out of range")
	}
	g := New(cfg)
	anyLen := uint64(math.MaxUint64)

	b, err := l.section(secKinds, anyLen, 1)
	if err != nil {
		return nil, err
	}
	for i := range nKinds {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) || n == 0 && i > 0 {
			return nil, l.fail("kinds", 0, ErrSnapshotCorrupt, "bad kind name")
		}
		name := string(b[k : k+int(n)])
		b = b[k+int(n):]
		if i == 0 {
			if name != KindInvite {
				return nil, l.fail("kinds", 0, ErrSnapshotCorrupt, "first kind is not invite")
			}
			continue
		}
		if _, dup := g.kindIdx[name]; dup {
			return nil, l.fail("kinds", 0, ErrSnapshotCorrupt, "duplicate kind")
		}
		if _, err := g.kindIndex(name); err != nil {
			return nil, l.fail("kinds", 0, ErrSnapshotCorrupt, err.Error())
		}
	}
	if len(b) != 0 {
		return nil, l.fail("kinds", 0, ErrSnapshotCorrupt, "trailing bytes")
	}

	u64sec := func(id uint32, n uint32) ([]uint64, error) {
		b, err := l.section(id, uint64(n)*8, 8)
		return asU64(b), err
	}
	u32sec := func(id uint32, n uint64) ([]uint32, error) {
		b, err := l.section(id, n, 4)
		return asU32(b), err
	}
	ext, err := u64sec(secExt, nAcc)
	if err != nil {
		return nil, err
	}
	joined, err := u32sec(secJoined, uint64(nAcc)*4)
	if err != nil {
		return nil, err
	}
	flags, err := u32sec(secFlags, uint64((nAcc+3)/4)*4)
	if err != nil {
		return nil, err
	}
	fpHash, err := u64sec(secFPHash, nFp)
	if err != nil {
		return nil, err
	}
	fpInfo, err := u32sec(secFPInfo, uint64(nFp)*4)
	if err != nil {
		return nil, err
	}
	st := &state{d: new(delta)}
	for _, c := range []struct {
		c            *csr
		offID, adjID uint32
		rows, limit  uint32
		mask         uint32
	}{
		{&st.inv, secInvOff, secInvAdj, nAcc, nAcc, inviterBit},
		{&st.afp, secAfpOff, secAfpAdj, nAcc, nFp, 0},
		{&st.fpa, secFpaOff, secFpaAdj, nFp, nAcc, 0},
	} {
		start := l.off
		if c.c.off, err = u32sec(c.offID, uint64(c.rows+1)*4); err != nil {
			return nil, err
		}
		if c.c.adj, err = u32sec(c.adjID, anyLen); err != nil {
			return nil, err
		}
		if msg := checkCSR(c.c, c.limit, c.mask); msg != "" {
			return nil, l.fail(sectionName(c.adjID), start, ErrSnapshotCorrupt, msg)
		}
	}
	keys, err := l.section(secFPKeys, anyLen, 8)
	if err != nil {
		return nil, err
	}
	vals, err := u32sec(secFPVals, uint64(len(keys)/8)*4)
	if err != nil {
		return nil, err
	}
	slots, err := u32sec(secIDSlots, anyLen)
	if err != nil {
		return nil, err
	}
	counters, err := u64sec(secCounters, 4)
	if err != nil {
		return nil, err
	}

	// Validate values before building anything that trusts them.
	for i, info := range fpInfo {
		if info>>24 >= nKinds || info>>24 == 0 {
			return nil, l.fail("fp.info", 0, ErrSnapshotCorrupt, fmt.Sprintf("fingerprint %d: bad kind", i))
		}
	}
	ft := &fpTable{keys: make([]atomic.Uint64, len(keys)/8), vals: make([]atomic.Uint32, len(vals))}
	if len(ft.keys) < 1 {
		return nil, l.fail("fp.keys", 0, ErrSnapshotCorrupt, "empty table")
	}
	for i, k := range asU64(keys) {
		v := vals[i]
		if k != 0 {
			if v&singleBit != 0 && v&^singleBit >= nAcc || v&singleBit == 0 && v >= nFp {
				return nil, l.fail("fp.vals", 0, ErrSnapshotCorrupt, fmt.Sprintf("slot %d: value %d out of range", i, v))
			}
			ft.used++
		}
		ft.keys[i].Store(k)
		ft.vals[i].Store(v)
	}
	if ft.used >= len(ft.keys) {
		return nil, l.fail("fp.keys", 0, ErrSnapshotCorrupt, "table full")
	}
	it := &idTable{slots: make([]atomic.Uint32, len(slots))}
	for i, s := range slots {
		if s > nAcc {
			return nil, l.fail("id.slots", 0, ErrSnapshotCorrupt, fmt.Sprintf("slot %d: account %d out of range", i, s))
		}
		if s != 0 {
			it.used++
		}
		it.slots[i].Store(s)
	}
	seqLen := counters[3]
	if seqLen > uint64(nAcc) || nAcc > 0 && seqLen == 0 || it.used != int(uint64(nAcc)-seqLen) || it.used >= len(it.slots) {
		return nil, l.fail("id.slots", 0, ErrSnapshotCorrupt, "table does not hold every account")
	}
	fillU64s(&g.ext, ext)
	fillU32s(&g.joined, joined)
	fillU32s(&g.flags, flags)
	fillU64s(&g.fpHash, fpHash)
	fillU32s(&g.fpInfo, fpInfo)
	g.nAcc.Store(nAcc)
	g.nFp.Store(nFp)
	g.fps.Store(ft)
	g.ids.Store(it)
	g.seqBase = counters[2]
	g.seqLen.Store(uint32(seqLen))
	g.dups.Store(counters[0])
	g.cycles.Store(counters[1])
	g.st.Store(st)
	return g, nil
}

// checkCSR validates offsets and targets; it returns a problem or "".
func checkCSR(c *csr, limit, mask uint32) string {
	if c.off[0] != 0 || int(c.off[len(c.off)-1]) != len(c.adj) {
		return "offsets do not span the targets"
	}
	for i := 1; i < len(c.off); i++ {
		if c.off[i] < c.off[i-1] {
			return fmt.Sprintf("offset %d decreases", i)
		}
	}
	for i, v := range c.adj {
		if v&^mask >= limit {
			return fmt.Sprintf("target %d: %d out of range", i, v&^mask)
		}
	}
	return ""
}

func fillU32s(a *u32s, s []uint32) {
	for i := 0; i < len(s); i += chunkLen {
		part := s[i:min(len(s), i+chunkLen)]
		c := a.slot(uint32(i))
		dst := unsafe.Slice((*uint32)(unsafe.Pointer(c)), len(part))
		copy(dst, part)
	}
}

func fillU64s(a *u64s, s []uint64) {
	for i := 0; i < len(s); i += chunkLen {
		part := s[i:min(len(s), i+chunkLen)]
		c := a.slot(uint32(i))
		dst := unsafe.Slice((*uint64)(unsafe.Pointer(c)), len(part))
		copy(dst, part)
	}
}
