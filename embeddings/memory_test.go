package embeddings

import (
	"bytes"
	"io"
	"runtime"
	"testing"
)

// maxLoadRatio bounds the bytes ReadText and ReadBinary allocate, over the
// whole load, as a multiple of the heap the loaded model keeps; the package
// documentation states it.
const maxLoadRatio = 1.1

// onlyReader hides the Size and WriteTo methods of a reader, as a pipe or
// a decompressor would.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// TestReadMemory measures what loading costs: the bytes allocated during
// ReadText and ReadBinary (an upper bound of the peak heap they add, since
// garbage counts too) against the heap the model keeps once loaded.
func TestReadMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation sizes")
	}
	if testing.Short() {
		t.Skip("allocates about 30 MB")
	}
	src := randomModel(20000, 100, 1)
	for _, tt := range []struct {
		name  string
		write func(*Model, io.Writer) error
		read  func(io.Reader) (*Model, error)
	}{
		{"text", (*Model).WriteText, ReadText},
		{"binary", (*Model).WriteBinary, ReadBinary},
	} {
		var b bytes.Buffer
		if err := tt.write(src, &b); err != nil {
			t.Fatal(err)
		}
		data := b.Bytes()
		for _, sized := range []bool{true, false} {
			var r io.Reader = bytes.NewReader(data)
			name := tt.name + " sized reader"
			if !sized {
				r, name = onlyReader{r}, tt.name+" plain reader"
			}
			allocated, kept := measureLoad(t, func() (*Model, error) { return tt.read(r) })
			ratio := float64(allocated) / float64(kept)
			t.Logf("%s: file %.1f MB, allocated %.1f MB, model keeps %.1f MB: %.3f x the model, %.3f x the file",
				name, mb(len(data)), mb(int(allocated)), mb(int(kept)), ratio, float64(allocated)/float64(len(data)))
			if ratio > maxLoadRatio {
				t.Errorf("%s allocated %.3f x the model's size, want <= %v", name, ratio, maxLoadRatio)
			}
		}
	}
}

func mb(n int) float64 { return float64(n) / (1 << 20) }

// measureLoad returns the bytes allocated while load runs and the heap
// its model keeps.
func measureLoad(t *testing.T, load func() (*Model, error)) (allocated, kept uint64) {
	t.Helper()
	runtime.GC()
	var before, after, live runtime.MemStats
	runtime.ReadMemStats(&before)
	m, err := load()
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&live)
	runtime.KeepAlive(m)
	return after.TotalAlloc - before.TotalAlloc, live.HeapAlloc - before.HeapAlloc
}

// flat returns a copy of the model's vectors, row-major.
func (m *Model) flat() []float32 {
	out := make([]float32, 0, len(m.tokens)*m.dim)
	for i := range m.tokens {
		out = append(out, m.row(i)...)
	}
	return out
}

// TestReadForgedHeader checks that a header declaring far more vectors
// than the file holds costs at most one chunk of vectors beyond the data.
func TestReadForgedHeader(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation sizes")
	}
	for _, tt := range []struct {
		name string
		read func(io.Reader) (*Model, error)
		in   string
	}{
		{"text", ReadText, "1000000000 65536\na 1 2\n"},
		{"text small dim", ReadText, "1000000000 1\na 1\n"},
		{"binary", ReadBinary, "1000000000 65536\nx \x00\x00\x80\x3f"},
		{"binary small dim", ReadBinary, "1000000000 1\nx \x00\x00\x80\x3f\n"},
	} {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := tt.read(bytes.NewReader([]byte(tt.in)))
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Fatalf("%s: forged header accepted", tt.name)
		}
		const limit = maxChunkBytes + 256<<10 // one chunk, buffers and the error
		if got := after.TotalAlloc - before.TotalAlloc; got > limit {
			t.Errorf("%s: %d-byte input allocated %d bytes, want <= %d", tt.name, len(tt.in), got, limit)
		}
	}
}
