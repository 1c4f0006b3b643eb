package ipdb

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// Binary format, all integers little-endian:
//
//	"IPDB" | version uint16 | reserved uint16 (0)
//	owners uint32 | ranges4 uint32 | ranges6 uint32
//	owners times: uvarint len, owner bytes, uvarint len, URL bytes,
//	  then (version 2) category byte, verdict byte
//	ranges4 times start uint32, then ends, then owner indexes uint32
//	ranges6 times start [16]byte big-endian, then ends, then owner indexes uint32
//	CRC-32C (Castagnoli) of everything before it, uint32
const (
	blobMagic   = "IPDB"
	blobVersion = 2 // 1: owners without category and verdict, still decoded
	blobHeader  = 4 + 2 + 2 + 3*4
)

// checksum is the CRC-32C of b. (crc32 caches the Castagnoli table.)
func checksum(b []byte) uint32 {
	return crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli))
}

// AppendBinary appends the compact binary form of t to b (see [Decode]).
// The output is deterministic: equal tables encode to equal bytes.
func (t *Table) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = append(b, blobMagic...)
	b = binary.LittleEndian.AppendUint16(b, blobVersion)
	b = binary.LittleEndian.AppendUint16(b, 0)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(t.owners)))
	b = binary.LittleEndian.AppendUint32(b, uint32(t.v4.n()))
	b = binary.LittleEndian.AppendUint32(b, uint32(t.v6.n()))
	for _, r := range t.owners {
		b = binary.AppendUvarint(b, uint64(len(r.Owner)))
		b = append(b, r.Owner...)
		b = binary.AppendUvarint(b, uint64(len(r.URL)))
		b = append(b, r.URL...)
		b = append(b, byte(r.Category), byte(r.Verdict))
	}
	t.v4.each(func(lo, _, _ uint32) bool {
		b = binary.LittleEndian.AppendUint32(b, lo)
		return true
	})
	t.v4.each(func(_, hi, _ uint32) bool {
		b = binary.LittleEndian.AppendUint32(b, hi)
		return true
	})
	t.v4.each(func(_, _, own uint32) bool {
		b = binary.LittleEndian.AppendUint32(b, own)
		return true
	})
	t.v6.each(func(lo, _ u128, _ uint32) bool {
		b = binary.BigEndian.AppendUint64(b, lo.hi)
		b = binary.BigEndian.AppendUint64(b, lo.lo)
		return true
	})
	t.v6.each(func(_, hi u128, _ uint32) bool {
		b = binary.BigEndian.AppendUint64(b, hi.hi)
		b = binary.BigEndian.AppendUint64(b, hi.lo)
		return true
	})
	t.v6.each(func(_, _ u128, own uint32) bool {
		b = binary.LittleEndian.AppendUint32(b, own)
		return true
	})
	b = binary.LittleEndian.AppendUint32(b, checksum(b[start:]))
	return b, nil
}

// MarshalBinary returns the compact binary form of t (see [Decode]).
func (t *Table) MarshalBinary() ([]byte, error) {
	return t.AppendBinary(nil)
}

// Decode checks and loads a table from the binary form written by
// [Table.MarshalBinary]. It verifies the header (magic, version, zero
// reserved field), the lengths (in canonical encoding) and the
// CRC-32C checksum, then that the ranges are sorted, disjoint and refer to
// existing owners; any failure returns an error wrapping ErrCorrupt.
// Decode copies what it needs: data may be reused afterwards.
//
// Cost: one pass over data plus building the index, about 0.6 ms
// and 670 KB in 21 allocations for the 3,429 ranges of [Datacenters].
func Decode(data []byte) (*Table, error) {
	if len(data) < blobHeader+4 {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrCorrupt, len(data))
	}
	if string(data[:4]) != blobMagic {
		return nil, fmt.Errorf("%w: bad magic %q", ErrCorrupt, data[:4])
	}
	version := binary.LittleEndian.Uint16(data[4:])
	if version != 1 && version != blobVersion {
		return nil, fmt.Errorf("%w: unsupported version %d", ErrCorrupt, version)
	}
	if r := binary.LittleEndian.Uint16(data[6:]); r != 0 {
		return nil, fmt.Errorf("%w: reserved header field is %d, want 0", ErrCorrupt, r)
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if got := checksum(body); got != sum {
		return nil, fmt.Errorf("%w: checksum %08x, want %08x", ErrCorrupt, got, sum)
	}
	nOwners := uint64(binary.LittleEndian.Uint32(data[8:]))
	n4 := uint64(binary.LittleEndian.Uint32(data[12:]))
	n6 := uint64(binary.LittleEndian.Uint32(data[16:]))
	p := body[blobHeader:]
	if nOwners > uint64(len(p))/2 {
		return nil, fmt.Errorf("%w: %d owners do not fit", ErrCorrupt, nOwners)
	}
	// First find the owners' strings, then copy them in one allocation.
	type span struct {
		a, b, c, d int
		cat        Category
		verdict    Verdict
	}
	spans := make([]span, nOwners)
	off := 0
	str := func() (int, int, bool) {
		n, k := binary.Uvarint(p[off:])
		var canon [binary.MaxVarintLen64]byte
		if k <= 0 || binary.PutUvarint(canon[:], n) != k || n > uint64(len(p)-off-k) {
			return 0, 0, false
		}
		a := off + k
		off = a + int(n)
		return a, off, true
	}
	for i := range spans {
		var ok1, ok2 bool
		spans[i].a, spans[i].b, ok1 = str()
		spans[i].c, spans[i].d, ok2 = str()
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%w: owner %d truncated", ErrCorrupt, i)
		}
		if version >= 2 {
			if len(p)-off < 2 {
				return nil, fmt.Errorf("%w: owner %d truncated", ErrCorrupt, i)
			}
			spans[i].cat, spans[i].verdict = Category(p[off]), Verdict(p[off+1])
			if spans[i].cat >= numCategories || spans[i].verdict >= numVerdicts {
				return nil, fmt.Errorf("%w: owner %d has category %d, verdict %d", ErrCorrupt, i, p[off], p[off+1])
			}
			off += 2
		}
	}
	text := string(p[:off])
	owners := make([]Record, nOwners)
	for i, s := range spans {
		owners[i] = Record{Owner: text[s.a:s.b], URL: text[s.c:s.d], Category: s.cat, Verdict: s.verdict}
	}
	p = p[off:]
	if want := n4*12 + n6*36; uint64(len(p)) != want {
		return nil, fmt.Errorf("%w: %d bytes of ranges, want %d", ErrCorrupt, len(p), want)
	}
	rows4 := make([]row[u32], n4)
	for i := range rows4 {
		r := &rows4[i]
		r.lo = u32(binary.LittleEndian.Uint32(p[4*i:]))
		r.hi = u32(binary.LittleEndian.Uint32(p[4*(int(n4)+i):]))
		r.val = binary.LittleEndian.Uint32(p[4*(2*int(n4)+i):])
	}
	p = p[12*n4:]
	rows6 := make([]row[u128], n6)
	for i := range rows6 {
		r := &rows6[i]
		q := p[16*i:]
		r.lo = u128{binary.BigEndian.Uint64(q), binary.BigEndian.Uint64(q[8:])}
		q = p[16*(int(n6)+i):]
		r.hi = u128{binary.BigEndian.Uint64(q), binary.BigEndian.Uint64(q[8:])}
		r.val = binary.LittleEndian.Uint32(p[32*int(n6)+4*i:])
	}
	if err := checkRows(rows4, nOwners); err != nil {
		return nil, err
	}
	if err := checkRows(rows6, nOwners); err != nil {
		return nil, err
	}
	return newTable(owners, rows4, rows6), nil
}

// checkRows verifies decoded rows: each ordered, strictly after the
// previous one, with an existing owner.
func checkRows[K point[K]](rows []row[K], owners uint64) error {
	for i, r := range rows {
		switch {
		case uint64(r.val) >= owners:
			return fmt.Errorf("%w: range %d has owner %d of %d", ErrCorrupt, i, r.val, owners)
		case r.lo.Compare(r.hi) > 0:
			return fmt.Errorf("%w: range %d reversed", ErrCorrupt, i)
		case i > 0 && r.lo.Compare(rows[i-1].hi) <= 0:
			return fmt.Errorf("%w: range %d overlaps the one before", ErrCorrupt, i)
		}
	}
	return nil
}
