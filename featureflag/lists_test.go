package featureflag

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func TestRadixSort(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	x := make([]uint32, 100_000)
	for i := range x {
		x[i] = r.Uint32()
	}
	want := slices.Clone(x)
	slices.Sort(want)
	radixSort(x)
	if !slices.Equal(x, want) {
		t.Fatal("radixSort disagrees with slices.Sort")
	}
}

func TestParseList(t *testing.T) {
	bm, err := ParseList([]byte("# c\n\n5\n 7\t\r\n5\n4294967295"))
	if err != nil {
		t.Fatal(err)
	}
	if got := bm.ToArray(); len(got) != 3 || got[0] != 5 || got[1] != 7 || got[2] != 4294967295 {
		t.Errorf("ParseList = %v", got)
	}
	for _, bad := range []string{"1\n-2\n", "1\n4294967296\n", "12345678901\n", "1 2\n", "0x10\n"} {
		if _, err := ParseList([]byte(bad)); err == nil || err.Line != 2 && !strings.HasPrefix(bad, "1\n") {
			if err == nil {
				t.Errorf("ParseList(%q) succeeded", bad)
			}
		}
	}
	_, err = ParseList([]byte("1\nx\n"))
	if err == nil || err.Line != 2 || err.Err != ErrFile {
		t.Errorf("ParseList bad line: %v", err)
	}
}

// bigLists is set when the 10M-id benchmarks should run.
var bigLists = os.Getenv("CRAFTKIT_LONG") == "1"

// listText returns n ids as list-file text: dense 0..n-1, or sparse
// uniform in [0, 2^32).
func listText(n int, dense bool) []byte {
	r := rand.New(rand.NewPCG(4, 4))
	var b []byte
	for i := range n {
		id := uint64(i)
		if !dense {
			id = r.Uint64N(1 << 32)
		}
		b = strconv.AppendUint(b, id, 10)
		b = append(b, '\n')
	}
	return b
}

func listSizes(b *testing.B) []int {
	if bigLists {
		return []int{100_000, 10_000_000}
	}
	return []int{100_000}
}

// BenchmarkListLoad parses a user-list file (target for 10M ids: 1 s).
func BenchmarkListLoad(b *testing.B) {
	for _, n := range listSizes(b) {
		for _, dense := range []bool{true, false} {
			name := strconv.Itoa(n) + map[bool]string{true: "/dense", false: "/sparse"}[dense]
			data := listText(n, dense)
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := ParseList(data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkListCheck is a full flag check whose subject is looked up in a
// user-list file (target for 10M ids: 100 ns), reporting the bitmap's
// bytes per id (target for dense ids: 2).
func BenchmarkListCheck(b *testing.B) {
	for _, n := range listSizes(b) {
		for _, dense := range []bool{true, false} {
			name := strconv.Itoa(n) + map[bool]string{true: "/dense", false: "/sparse"}[dense]
			fsys := fstest.MapFS{"beta.txt": {Data: listText(n, dense)}}
			s, err := Load([]byte(`{"beta": {"user_files": ["beta.txt"]}}`), &Options{FS: fsys})
			if err != nil {
				b.Fatal(err)
			}
			bm := s.flags["beta"].lists[0].ids
			r := rand.New(rand.NewPCG(5, 5))
			probe := make([]string, 4096)
			for i := range probe {
				probe[i] = strconv.FormatUint(r.Uint64N(uint64(n)*2), 10)
				if !dense {
					probe[i] = strconv.FormatUint(r.Uint64N(1<<32), 10)
				}
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					s.Enabled("beta", Subject{UserID: probe[i&4095]})
					i++
				}
				b.ReportMetric(float64(bm.GetSizeInBytes())/float64(bm.GetCardinality()), "B/id")
			})
		}
	}
}

// endless is a file system whose every file yields zero bytes forever.
type endless struct{}

func (endless) Open(name string) (fs.File, error) { return endlessFile{}, nil }

type endlessFile struct{}

func (endlessFile) Stat() (fs.FileInfo, error) { return nil, fs.ErrInvalid }
func (endlessFile) Close() error               { return nil }
func (endlessFile) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestReadLimited checks that a file larger than the limit is refused
// with ErrTooLarge after reading at most limit+1 bytes, even when it
// never ends, and that a file of exactly the limit is read whole.
func TestReadLimited(t *testing.T) {
	if _, err := readLimited(endless{}, "big.txt", 1<<20); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("readLimited(endless) = %v, want ErrTooLarge", err)
	}
	fsys := fstest.MapFS{"ok.txt": {Data: []byte("12345")}}
	if data, err := readLimited(fsys, "ok.txt", 5); err != nil || string(data) != "12345" {
		t.Fatalf("readLimited(5 bytes, limit 5) = %q, %v", data, err)
	}
	if _, err := readLimited(fsys, "ok.txt", 4); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("readLimited(5 bytes, limit 4) = %v, want ErrTooLarge", err)
	}
}
