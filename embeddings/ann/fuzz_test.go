package ann

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"
)

// smallFile returns the bytes of a small index with two graphs and an
// exactly searched type.
func smallFile(t testing.TB) []byte {
	tokens, vecs := mixed(40, 30)
	ix, err := NewFromVectors(context.Background(), tokens, vecs, Config{M: 4, EfConstruction: 16, ExactBelow: 20, Threads: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := ix.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadCorrupt(t *testing.T) {
	file := smallFile(t)
	if _, err := Read(bytes.NewReader(file)); err != nil {
		t.Fatalf("Read(valid file) = %v", err)
	}
	for cut := 0; cut < len(file); cut += 1 + cut/50 {
		if _, err := Read(bytes.NewReader(file[:cut])); !errors.Is(err, ErrFormat) {
			t.Fatalf("Read(first %d of %d bytes) error = %v, want ErrFormat", cut, len(file), err)
		}
	}
	for _, at := range []int{0, 9, 13, 40, len(file) / 2, len(file) - 5, len(file) - 1} {
		bad := bytes.Clone(file)
		bad[at] ^= 0x40
		if _, err := Read(bytes.NewReader(bad)); !errors.Is(err, ErrFormat) {
			t.Errorf("Read(byte %d flipped) error = %v, want ErrFormat", at, err)
		}
	}
}

func TestReadHugeHeader(t *testing.T) {
	// A header that declares the most tokens of the largest dimension,
	// followed by a few bytes: the reader must fail after allocating
	// about one chunk, not n·dim floats.
	hdr := []byte(magic)
	for _, v := range []uint32{version, maxDim, maxM, 64, 1} {
		hdr = binary.LittleEndian.AppendUint32(hdr, v)
	}
	hdr = binary.LittleEndian.AppendUint64(hdr, maxLen)
	hdr = append(hdr, make([]byte, 1000)...)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Read(bytes.NewReader(hdr))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrFormat) {
		t.Fatalf("Read(huge header) error = %v, want ErrFormat", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
		t.Errorf("Read(huge header) allocated %d bytes, want at most a few MiB", got)
	}
}

// FuzzRead checks that no input panics the reader or, once read, a
// search, and that what reads back writes back identically. The checksum
// is not verified, so that mutations reach the structural checks.
func FuzzRead(f *testing.F) {
	file := smallFile(f)
	f.Add(file)
	f.Add(file[:len(file)/2])
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		ix, err := read(bytes.NewReader(data), false)
		if err != nil {
			return
		}
		q := make([]float32, ix.Dim())
		q[0] = 1
		for _, typ := range append(ix.Types(), "") {
			if _, err := ix.Search(Query{Vector: q, Type: typ, K: 3}); err != nil {
				t.Fatalf("Search on a file that read back: %v", err)
			}
		}
		if ix.Len() > 0 {
			if _, err := ix.Search(Query{Token: ix.token(0), K: 3}); err != nil {
				t.Fatalf("Search(%q): %v", ix.token(0), err)
			}
		}
		var out bytes.Buffer
		if _, err := ix.WriteTo(&out); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes()[:out.Len()-4], data[:out.Len()-4]) {
			t.Fatal("a file that reads back does not write back identically")
		}
	})
}
