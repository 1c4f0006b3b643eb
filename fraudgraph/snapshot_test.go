package fraudgraph

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleGraph(t testing.TB, n int) *Graph {
	t.Helper()
	g := New(Config{DeltaLimit: 64})
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range n {
		a, b := uint64(rng.IntN(n)+1), uint64(rng.IntN(n)+1)
		if a != b {
			require.NoError(t, g.AddInvite(a, b, t0.Add(time.Duration(i)*time.Hour)))
		}
		require.NoError(t, g.AddFingerprint(a, []string{"card", "device", "ip", "email"}[i%4], fmt.Sprint(rng.IntN(n/2+1))))
	}
	require.NoError(t, g.SetFlags(1, FlagRedeemed|FlagFlagged))
	return g
}

func TestSnapshotRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 10, 500} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var g *Graph
			if n == 0 {
				g = New(Config{})
			} else {
				g = sampleGraph(t, n)
			}
			var buf bytes.Buffer
			wn, err := g.WriteTo(&buf)
			require.NoError(t, err)
			assert.Equal(t, int64(buf.Len()), wn)
			h, err := Load(bytes.NewReader(buf.Bytes()), Config{})
			require.NoError(t, err)
			assert.Equal(t, g.Stats().Accounts, h.Stats().Accounts)
			for a := uint64(1); a <= uint64(n); a++ {
				want, err1 := g.Related(a, Query{MaxHops: 3})
				got, err2 := h.Related(a, Query{MaxHops: 3})
				assert.Equal(t, err1, err2)
				assert.Equal(t, want, got, "Related(%d)", a)
				f1, _ := g.Flags(a)
				f2, _ := h.Flags(a)
				assert.Equal(t, f1, f2)
			}
			// The loaded graph accepts inserts, including links to old
			// unshared fingerprints.
			require.NoError(t, h.AddFingerprint(1_000_000, "card", "0"))
			require.NoError(t, h.AddInvite(1_000_000, 1_000_001, t0))
		})
	}
}

func TestSnapshotCorrupt(t *testing.T) {
	g := sampleGraph(t, 200)
	var buf bytes.Buffer
	_, err := g.WriteTo(&buf)
	require.NoError(t, err)
	data := buf.Bytes()
	for _, cut := range []int{0, 5, headerLen, headerLen + 10, len(data) / 2, len(data) - 1} {
		_, err := Load(bytes.NewReader(data[:cut]), Config{})
		if !errors.Is(err, ErrSnapshotTruncated) {
			t.Errorf("Load(truncated at %d) = %v, want ErrSnapshotTruncated", cut, err)
		}
	}
	for _, pos := range []int{0, 9, 13, headerLen + 20, len(data) / 3, len(data) - 3} {
		bad := bytes.Clone(data)
		bad[pos] ^= 0x40
		_, err := Load(bytes.NewReader(bad), Config{})
		var se *SnapshotError
		if !errors.As(err, &se) {
			t.Errorf("Load(flipped byte %d) = %v, want *SnapshotError", pos, err)
		}
	}
}

func FuzzLoad(f *testing.F) {
	g := sampleGraph(f, 30)
	var buf bytes.Buffer
	if _, err := g.WriteTo(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	var empty bytes.Buffer
	if _, err := New(Config{}).WriteTo(&empty); err != nil {
		f.Fatal(err)
	}
	f.Add(empty.Bytes())
	f.Add([]byte("FRAUDGR\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		h, err := Load(bytes.NewReader(data), Config{})
		if err != nil {
			var se *SnapshotError
			if !errors.As(err, &se) {
				t.Fatalf("Load error %v is not a *SnapshotError", err)
			}
			return
		}
		// Nothing may follow an accepted snapshot.
		if _, err := Load(bytes.NewReader(append(bytes.Clone(data), 0)), Config{}); !errors.Is(err, ErrSnapshotCorrupt) {
			t.Fatalf("Load(accepted snapshot + 1 byte) = %v, want ErrSnapshotCorrupt", err)
		}
		// Whatever loads must answer queries without panicking.
		n := h.Stats().Accounts
		for d := range min(n, 50) {
			id := h.extID(uint32(d))
			if _, err := h.Related(id, Query{MaxHops: 3}); err != nil {
				t.Fatal(err)
			}
			if _, err := h.Explain(id, h.extID(0)); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestSnapshotEveryCutAndFlip refuses truncations and single flipped bits
// of a small snapshot with a *SnapshotError: at every byte of the first
// 512 (header and first sections) and at every 17th byte after that, to
// stay quick under -race.
func TestSnapshotEveryCutAndFlip(t *testing.T) {
	g := sampleGraph(t, 30)
	var buf bytes.Buffer
	_, err := g.WriteTo(&buf)
	require.NoError(t, err)
	data := buf.Bytes()
	positions := func(yield func(int) bool) {
		for i := 0; i < len(data); i++ {
			if i >= 512 {
				i += 16
			}
			if i < len(data) && !yield(i) {
				return
			}
		}
	}
	for cut := range positions {
		_, err := Load(bytes.NewReader(data[:cut]), Config{})
		if !errors.Is(err, ErrSnapshotTruncated) {
			t.Fatalf("Load(truncated at %d of %d) = %v, want ErrSnapshotTruncated", cut, len(data), err)
		}
	}
	bad := bytes.Clone(data)
	for pos := range positions {
		bit := byte(1) << (pos % 8)
		bad[pos] ^= bit
		_, err := Load(bytes.NewReader(bad), Config{})
		bad[pos] ^= bit
		if _, ok := errors.AsType[*SnapshotError](err); !ok {
			t.Fatalf("Load(byte %d ^ %#x) = %v, want *SnapshotError", pos, bit, err)
		}
	}
}

// TestLoadClaimedSizeNotAllocated reads an array whose claimed length (as
// a forged but checksummed header could imply) far exceeds the stream:
// it must fail as truncated after allocating about what was present.
func TestLoadClaimedSizeNotAllocated(t *testing.T) {
	l := &loader{r: bufio.NewReader(bytes.NewReader(make([]byte, 1000))), sec: "acc.adj"}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := readArray[uint32](l, 1<<40)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrSnapshotTruncated) {
		t.Errorf("readArray(1<<40 elements from 1000 bytes) = %v, want ErrSnapshotTruncated", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
		t.Errorf("readArray allocated %d bytes for 1000 bytes of input", n)
	}
}
