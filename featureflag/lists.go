package featureflag

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"

	"github.com/RoaringBitmap/roaring/v2"
)

// listFile is one loaded user-list file.
type listFile struct {
	ids *roaring.Bitmap
	err bool
}

// userFiles compiles "user_files": a path, a list of paths (served the
// first variant) or an object of variant to path or list of paths.
func (c *compiler) userFiles(f *flagDef, fd field, load bool, src *[]byte) []userList {
	var out []userList
	addPaths := func(n node, p string, v int32) {
		for _, name := range c.strings(field{fd.key, &n, p, true}) {
			if c.o.FS == nil {
				c.p.at(n, p, ErrFile, "user-list file %q: no file system given (Options.FS)", name)
				continue
			}
			if !fs.ValidPath(path.Clean(name)) || name == "" {
				c.p.at(n, p, ErrFile, "user-list file %q: not a valid relative path", name)
				continue
			}
			if !load {
				continue
			}
			lf := c.loadList(name, n, p)
			if lf == nil {
				continue
			}
			*src = fmt.Appendf(*src, "file %s: %d ids, checksum %x;", name, lf.ids.GetCardinality(), listChecksum(lf.ids))
			out = append(out, userList{ids: lf.ids, variant: v})
		}
	}
	if fd.val.kind == kObject {
		for i := range fd.val.obj {
			m := &fd.val.obj[i]
			p := fd.path() + "." + m.key
			v := c.variantRef(f, field{fd.key, &m.val, p, true}, m.key)
			addPaths(m.val, p, v)
		}
	} else {
		addPaths(*fd.val, fd.path(), 0)
	}
	return out
}

// loadList reads a list file once per load, reporting problems at the
// referencing value.
func (c *compiler) loadList(name string, n node, p string) *listFile {
	clean := path.Clean(name)
	if lf, ok := c.lists[clean]; ok {
		if lf.err {
			return nil
		}
		return lf
	}
	lf := &listFile{}
	c.lists[clean] = lf
	data, err := readLimited(c.o.FS, clean, MaxListBytes)
	if errors.Is(err, ErrTooLarge) {
		lf.err = true
		c.p.at(n, p, ErrTooLarge, "user-list file %q is more than %d bytes", name, MaxListBytes)
		return nil
	}
	if err != nil {
		lf.err = true
		c.p.at(n, p, ErrFile, "user-list file %q: %v", name, err)
		return nil
	}
	ids, ferr := ParseList(data)
	if ferr != nil {
		lf.err = true
		ferr.File = clean
		ferr.Path = p
		c.p.add(ferr)
		return nil
	}
	lf.ids = ids
	return lf
}

// readLimited reads the file name of fsys, failing with [ErrTooLarge]
// once it yields more than limit bytes: at most limit+1 bytes are read
// (about twice that allocated while the buffer grows).
func readLimited(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAllLimited(f, limit)
}

// readAllLimited reads r to its end, failing with [ErrTooLarge] once it
// yields more than limit bytes.
func readAllLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, ErrTooLarge
	}
	return data, nil
}

// ParseList parses a user-list file: one decimal user id in [0, 2^32) per
// line; blank lines and lines starting with '#' are skipped, and
// surrounding spaces and a trailing '\r' are ignored. It stops at the
// first bad line, returning a *FieldError with its line, or after
// [MaxListIDs] ids with [ErrTooLarge]. The returned bitmap is run-length
// optimized.
func ParseList(data []byte) (*roaring.Bitmap, *FieldError) {
	ids := make([]uint32, 0, min(bytes.Count(data, []byte{'\n'})+1, MaxListIDs))
	sorted := true
	line := 0
	for len(data) > 0 {
		line++
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		l = trimSpace(l)
		if len(l) == 0 || l[0] == '#' {
			continue
		}
		id, ok := parseID(string(l))
		if !ok {
			return nil, &FieldError{Line: line, Msg: fmt.Sprintf("%q is not a user id (a decimal number below 2^32)", truncate(l)), Err: ErrFile}
		}
		if len(ids) >= MaxListIDs {
			return nil, &FieldError{Line: line, Msg: fmt.Sprintf("more than %d ids", MaxListIDs), Err: ErrTooLarge}
		}
		if n := len(ids); n > 0 && id < ids[n-1] {
			sorted = false
		}
		ids = append(ids, id)
	}
	if !sorted {
		radixSort(ids)
	}
	bm := roaring.New()
	bm.AddMany(ids) // sorted input appends to each container
	bm.RunOptimize()
	return bm, nil
}

// radixSort sorts ids in two 16-bit passes (O(n), one scratch copy).
func radixSort(ids []uint32) {
	tmp := make([]uint32, len(ids))
	src, dst := ids, tmp
	for shift := 0; shift < 32; shift += 16 {
		var count [1 << 16]int
		for _, x := range src {
			count[(x>>shift)&0xffff]++
		}
		pos := 0
		for i, c := range count {
			count[i] = pos
			pos += c
		}
		for _, x := range src {
			k := (x >> shift) & 0xffff
			dst[count[k]] = x
			count[k]++
		}
		src, dst = dst, src
	}
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}

// listChecksum summarizes a bitmap's contents for change reports.
func listChecksum(bm *roaring.Bitmap) uint64 {
	h := uint64(fnvOffset)
	it := bm.ManyIterator()
	buf := make([]uint32, 1024)
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, x := range buf[:n] {
			h ^= uint64(x)
			h *= fnvPrime
		}
	}
	return h
}
