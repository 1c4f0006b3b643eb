package embeddings

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// checkpointBytes returns the checkpoint of a small trained model with
// output vectors.
func checkpointBytes(t testing.TB, keepOutputs bool) (*Model, []byte) {
	t.Helper()
	m := trainSmall(t, keepOutputs)
	var b bytes.Buffer
	if err := m.WriteCheckpoint(&b); err != nil {
		t.Fatal(err)
	}
	return m, b.Bytes()
}

func trainSmall(t testing.TB, keepOutputs bool) *Model {
	t.Helper()
	cfg := Config{Dim: 4, Epochs: 1, Threads: 1, MinCount: 1, Seed: 3, KeepOutputs: keepOutputs}
	m, err := Train(t.Context(), strings.NewReader("a b c d\nb c d e\nc d e a\n"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCheckpointRoundTrip(t *testing.T) {
	for _, keep := range []bool{true, false} {
		m, data := checkpointBytes(t, keep)
		got, err := ReadCheckpoint(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		assertSameModel(t, got, m)
		var again bytes.Buffer
		if err := got.WriteCheckpoint(&again); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again.Bytes(), data) {
			t.Errorf("outputs=%v: the checkpoint of a read checkpoint differs from the original", keep)
		}
	}
}

// TestCheckpointTruncated checks that every proper prefix of a checkpoint
// is refused with an error naming what was being read.
func TestCheckpointTruncated(t *testing.T) {
	_, data := checkpointBytes(t, true)
	for n := range len(data) {
		_, err := ReadCheckpoint(bytes.NewReader(data[:n]))
		if !errors.Is(err, ErrCheckpoint) || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("prefix of %d of %d bytes: %v, want ErrCheckpoint and io.ErrUnexpectedEOF", n, len(data), err)
		}
	}
}

// TestCheckpointCorrupt flips each byte in turn: every change is refused.
func TestCheckpointCorrupt(t *testing.T) {
	_, data := checkpointBytes(t, true)
	for i := range data {
		bad := bytes.Clone(data)
		bad[i] ^= 0x20
		if _, err := ReadCheckpoint(bytes.NewReader(bad)); !errors.Is(err, ErrCheckpoint) {
			t.Fatalf("byte %d flipped: %v, want an error wrapping ErrCheckpoint", i, err)
		}
	}
}

func TestCheckpointErrors(t *testing.T) {
	_, data := checkpointBytes(t, false)
	withTail := append(bytes.Clone(data), 0)
	version := bytes.Clone(data)
	version[8] = 2
	huge := bytes.Clone(data)
	copy(huge[20:], []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}) // MaxUint32 tokens, then a bad checksum or EOF
	nan := (&Model{}).checkpointOf(t, 1, []string{"x"}, []int64{1}, []float32{float32(math.NaN())})
	dup := (&Model{}).checkpointOf(t, 1, []string{"x", "x"}, []int64{1, 2}, []float32{1, 2})
	zero := (&Model{}).checkpointOf(t, 1, []string{"x"}, []int64{0}, []float32{1})
	space := (&Model{}).checkpointOf(t, 1, []string{"x y"}, []int64{1}, []float32{1})
	for _, tt := range []struct {
		name, data, want string
	}{
		{"empty", "", "header: unexpected EOF"},
		{"vector file", "2 3\nabc", "not a craftkit embeddings checkpoint"},
		{"version", string(version), "version 2"},
		{"data after", string(withTail), "data after the checksum"},
		{"claims many tokens", string(huge), "unexpected EOF"},
		{"NaN", string(nan), "not a finite number"},
		{"duplicate", string(dup), "listed twice"},
		{"zero count", string(zero), "count 0"},
		{"white space", string(space), "white space"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCheckpoint(strings.NewReader(tt.data))
			if !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), tt.want) || strings.Count(err.Error(), "embeddings:") != 1 {
				t.Fatalf("error %v, want ErrCheckpoint mentioning %q", err, tt.want)
			}
		})
	}
}

// checkpointOf writes a checkpoint of the given tokens, counts and input
// vectors without the checks of WriteCheckpoint's model, to produce
// invalid files with a valid checksum.
func (*Model) checkpointOf(t *testing.T, dim int, tokens []string, counts []int64, vecs []float32) []byte {
	t.Helper()
	m := newModel(dim, tokens, counts, vecs)
	m.index = map[string]int{} // keep duplicates
	var b bytes.Buffer
	if err := m.WriteCheckpoint(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheckpointFile(t *testing.T) {
	m := trainSmall(t, true)
	dir := t.TempDir()
	path := filepath.Join(dir, "m.ckpt")
	if err := m.WriteCheckpointFile(path); err != nil {
		t.Fatal(err)
	}
	assertOnlyFile(t, dir, "m.ckpt")
	got, err := ReadCheckpointFile(path)
	if err != nil {
		t.Fatal(err)
	}
	assertSameModel(t, got, m)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data[:len(data)-3], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadCheckpointFile(path); !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), path) {
		t.Errorf("truncated file: %v, want ErrCheckpoint naming %s", err, path)
	}
	if _, err := ReadCheckpointFile(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// FuzzReadCheckpoint reads fuzzer-chosen bytes: every outcome is a model
// that writes back to the same bytes or an error wrapping ErrCheckpoint,
// never a panic or a large allocation.
func FuzzReadCheckpoint(f *testing.F) {
	for _, keep := range []bool{true, false} {
		_, data := checkpointBytes(f, keep)
		f.Add(data)
	}
	f.Add([]byte(checkpointMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadCheckpoint(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrCheckpoint) {
				t.Fatalf("error %v does not wrap ErrCheckpoint", err)
			}
			return
		}
		assertFinite(t, m)
		var b bytes.Buffer
		if err := m.WriteCheckpoint(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), data) {
			t.Fatalf("read then written: %d bytes, read %d", b.Len(), len(data))
		}
	})
}

// TestCheckpointLoadMemory bounds what reading costs: a header that
// claims 2^32−1 tokens of dimension 65536 in front of one token costs
// about one vector chunk, and a truthful checkpoint costs little more
// than the model it returns.
func TestCheckpointLoadMemory(t *testing.T) {
	lying := bytes.NewBufferString(checkpointMagic)
	for _, v := range []uint32{checkpointVersion, flagOutputs, maxDim} {
		lying.Write([]byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)})
	}
	lying.Write([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 1, 'x', 1})
	lying.Write(make([]byte, 4*maxDim))
	allocated, _ := measureLoadErr(t, func() (*Model, error) { return ReadCheckpoint(bytes.NewReader(lying.Bytes())) })
	if allocated > 2<<20 {
		t.Errorf("a lying header cost %.1f MiB, want at most 2", mb(int(allocated)))
	}

	m := randomModel(20000, 100, 1)
	m.counts = make([]int64, m.Len())
	for i := range m.counts {
		m.counts[i] = int64(i + 1)
	}
	var b bytes.Buffer
	if err := m.WriteCheckpoint(&b); err != nil {
		t.Fatal(err)
	}
	allocated, kept := measureLoad(t, func() (*Model, error) { return ReadCheckpoint(bytes.NewReader(b.Bytes())) })
	runtime.KeepAlive(m) // the written model and its bytes stay live across the measurement
	runtime.KeepAlive(b.Bytes())
	t.Logf("read %d×%d: allocated %.2f MiB, model keeps %.2f MiB (ratio %.2f)", m.Len(), m.Dim(), mb(int(allocated)), mb(int(kept)), float64(allocated)/float64(kept))
	if float64(allocated) > 2*float64(kept)+1<<20 {
		t.Errorf("allocated %.2f MiB for a model of %.2f MiB: want at most twice plus 1 MiB", mb(int(allocated)), mb(int(kept)))
	}
}

// measureLoadErr is measureLoad for a load that is expected to fail.
func measureLoadErr(t *testing.T, load func() (*Model, error)) (allocated uint64, err error) {
	t.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = load()
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("load succeeded, want an error")
	}
	return after.TotalAlloc - before.TotalAlloc, err
}

func BenchmarkReadCheckpoint(b *testing.B) {
	b.ReportAllocs()
	m := randomModel(20000, 100, 1)
	m.counts = make([]int64, m.Len())
	for i := range m.counts {
		m.counts[i] = 1
	}
	var buf bytes.Buffer
	if err := m.WriteCheckpoint(&buf); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := ReadCheckpoint(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
