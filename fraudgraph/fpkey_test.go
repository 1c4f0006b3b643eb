package fraudgraph

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/craftkit/craftkit/internal/atomicfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fpLinks is one input of the fingerprint keying tests: account, kind,
// hash.
type fpLink struct {
	acct uint64
	kind string
	h    uint64
}

// fpKeyCases hold fingerprints that must stay apart or come together:
// the same hash under two kinds, hash 0 next to hash 1, and small
// consecutive hashes (a caller's own ids), which differ only in the low
// bits.
var fpKeyCases = []struct {
	name  string
	links []fpLink
	want  map[uint64][]uint64 // account -> related accounts (one hop)
}{
	{"same hash, two kinds", []fpLink{{1, "device", 42}, {2, "card", 42}},
		map[uint64][]uint64{1: nil, 2: nil}},
	{"same hash, same kind", []fpLink{{1, "device", 42}, {2, "device", 42}, {3, "card", 42}},
		map[uint64][]uint64{1: {2}, 2: {1}, 3: nil}},
	{"hash 0 is not hash 1", []fpLink{{1, "device", 0}, {2, "device", 1}, {3, "device", 0}},
		map[uint64][]uint64{1: {3}, 2: nil, 3: {1}}},
	{"consecutive small hashes", []fpLink{{1, "device", 42}, {2, "device", 43}, {3, "device", 0x142}, {4, "device", 42 << 56}},
		map[uint64][]uint64{1: nil, 2: nil, 3: nil, 4: nil}},
}

func relatedSet(t *testing.T, g *Graph, a uint64) []uint64 {
	t.Helper()
	rel, err := g.Related(a, Query{MaxHops: 1})
	require.NoError(t, err)
	var got []uint64
	for _, r := range rel {
		got = append(got, r.Account)
	}
	slices.Sort(got)
	return got
}

func checkFPKeys(t *testing.T, g *Graph, want map[uint64][]uint64) {
	t.Helper()
	for a, w := range want {
		if got := relatedSet(t, g, a); !slices.Equal(got, w) {
			t.Errorf("Related(%d) = %v, want %v", a, got, w)
		}
	}
}

// Fingerprints are keyed by kind and hash: the same hash under two kinds
// links nothing, hash 0 is its own fingerprint, and hashes that differ
// only in low bits stay apart; live inserts, bulk builds and snapshots
// agree.
func TestFingerprintKeyedByKindAndHash(t *testing.T) {
	for _, tt := range fpKeyCases {
		t.Run(tt.name, func(t *testing.T) {
			live := New(Config{})
			b := NewBuilder(Config{})
			for _, l := range tt.links {
				require.NoError(t, live.AddFingerprintHash(l.acct, l.kind, l.h))
				b.AddFingerprintHash(l.acct, l.kind, l.h)
			}
			bulk, err := b.Graph()
			require.NoError(t, err)
			t.Run("live", func(t *testing.T) { checkFPKeys(t, live, tt.want) })
			t.Run("bulk", func(t *testing.T) { checkFPKeys(t, bulk, tt.want) })
			live.Compact()
			t.Run("compacted", func(t *testing.T) { checkFPKeys(t, live, tt.want) })
			for name, g := range map[string]*Graph{"live": live, "bulk": bulk} {
				var buf bytes.Buffer
				_, err := g.WriteTo(&buf)
				require.NoError(t, err)
				h, err := Load(bytes.NewReader(buf.Bytes()), Config{})
				require.NoError(t, err)
				t.Run("snapshot of "+name, func(t *testing.T) { checkFPKeys(t, h, tt.want) })
				// Fingerprints seen once before the snapshot still link
				// by kind and hash afterwards.
				for i, l := range tt.links {
					require.NoError(t, h.AddFingerprintHash(uint64(100+i), l.kind, l.h))
					got := relatedSet(t, h, uint64(100+i))
					if !slices.Contains(got, l.acct) {
						t.Errorf("snapshot of %s: new account with %s #%d not linked to %d: %v", name, l.kind, l.h, l.acct, got)
					}
				}
			}
		})
	}
}

// Explanations and exports carry the caller's hash, not the table key.
func TestFingerprintHashReported(t *testing.T) {
	for _, h := range []uint64{0, 1, 42, HashFingerprint("card", "4111")} {
		g := New(Config{})
		require.NoError(t, g.AddFingerprintHash(1, "card", h))
		require.NoError(t, g.AddFingerprintHash(2, "card", h))
		ex, err := g.Explain(1, 2)
		require.NoError(t, err)
		require.NotEmpty(t, ex.Paths)
		assert.Equal(t, h, ex.Paths[0][0].Fingerprint, "Explain step fingerprint")
		var fps bytes.Buffer
		require.NoError(t, g.ExportCSV(CSVFiles{Fingerprints: &fps}))
		assert.Contains(t, fps.String(), fmt.Sprintf("card:%016x,card,2", h))
	}
}

// Snapshots of the previous format (version 1, fingerprints keyed by hash
// alone) are refused with a clear error rather than read with the wrong
// keys.
func TestSnapshotOldVersionRefused(t *testing.T) {
	var buf bytes.Buffer
	_, err := New(Config{}).WriteTo(&buf)
	require.NoError(t, err)
	data := buf.Bytes()
	for _, v := range []uint32{1, 99} {
		old := bytes.Clone(data)
		binary.LittleEndian.PutUint32(old[8:], v)
		binary.LittleEndian.PutUint32(old[headerLen-4:], crc32.Checksum(old[:headerLen-4], castagnoli()))
		_, err := Load(bytes.NewReader(old), Config{})
		require.ErrorIs(t, err, ErrSnapshotVersion)
		assert.Contains(t, err.Error(), fmt.Sprintf("version %d", v))
	}
}

// Bytes after the last section are refused, not ignored.
func TestSnapshotTrailingGarbage(t *testing.T) {
	g := New(Config{})
	require.NoError(t, g.AddFingerprint(1, "card", "x"))
	require.NoError(t, g.AddFingerprint(2, "card", "x"))
	var buf bytes.Buffer
	_, err := g.WriteTo(&buf)
	require.NoError(t, err)
	for _, tail := range []string{"\x00", "garbage", buf.String()} {
		_, err := Load(bytes.NewReader(append(bytes.Clone(buf.Bytes()), tail...)), Config{})
		require.ErrorIs(t, err, ErrSnapshotCorrupt, "tail %q", tail[:min(len(tail), 8)])
		assert.Contains(t, err.Error(), "trailing")
	}
}

// WriteFile replaces a snapshot atomically: a failed write leaves the
// previous file loadable and no temporary file behind.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "graph.snap")
	g := New(Config{})
	require.NoError(t, g.AddInvite(1, 2, time.Unix(1e9, 0)))
	require.NoError(t, g.WriteFile(name))
	h, err := LoadFile(name, Config{})
	require.NoError(t, err)
	checkFPKeys(t, h, map[uint64][]uint64{1: {2}})

	boom := errors.New("disk full")
	err = atomicfile.Write(name, func(w io.Writer) error {
		w.Write([]byte("FRAUDGR\x00 half a snapshot"))
		return boom
	})
	require.ErrorIs(t, err, boom)
	h, err = LoadFile(name, Config{})
	require.NoError(t, err, "previous snapshot must survive a failed write")
	checkFPKeys(t, h, map[uint64][]uint64{1: {2}})
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("directory holds %d entries after a failed write, want only the snapshot", len(ents))
	}
}

// snapshotAllocSlack is the fixed part of Load's documented allocation
// bound: the empty graph's tables and the read buffer.
const snapshotAllocSlack = 8 << 20

// Load allocates in proportion to the bytes it reads, whatever counts a
// forged (but checksummed) header claims.
func TestSnapshotForgedCountsBounded(t *testing.T) {
	var buf bytes.Buffer
	_, err := sampleGraph(t, 200).WriteTo(&buf)
	require.NoError(t, err)
	data := buf.Bytes()
	for _, tt := range []struct {
		name               string
		nAcc, nFp, fpSlots uint32
		idSlots            uint32
	}{
		{"accounts", idMask - 1, 1, 1 << 20, 1 << 20},
		{"fingerprints", 1000, idMask - 1, idMask, 1 << 20},
		{"slots", 1000, 10, 1<<32 - 1, 1<<32 - 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			forged := bytes.Clone(data[:min(len(data), 4096)])
			for i, v := range []uint32{tt.nAcc, tt.nFp} {
				binary.LittleEndian.PutUint32(forged[12+4*i:], v)
			}
			binary.LittleEndian.PutUint32(forged[24:], tt.fpSlots)
			binary.LittleEndian.PutUint32(forged[28:], tt.idSlots)
			binary.LittleEndian.PutUint32(forged[headerLen-4:], crc32.Checksum(forged[:headerLen-4], castagnoli()))
			// A forger also makes each section's length what the header
			// implies, so that reading gets as far as the data.
			var err error
			for range 20 {
				_, err = Load(bytes.NewReader(forged), Config{})
				var want uint64
				se, ok := errors.AsType[*SnapshotError](err)
				if !ok || !errors.Is(err, ErrSnapshotCorrupt) || se.Offset+12 > int64(len(forged)) {
					break
				}
				if _, err := fmt.Sscanf(se.Detail[strings.Index(se.Detail, "want "):], "want %d", &want); err != nil {
					break
				}
				binary.LittleEndian.PutUint64(forged[se.Offset+4:], want)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err = Load(bytes.NewReader(forged), Config{})
			runtime.ReadMemStats(&after)
			var se *SnapshotError
			require.True(t, errors.As(err, &se), "%v", err)
			got := after.TotalAlloc - before.TotalAlloc
			t.Logf("%v; %d bytes read, %d allocated", err, len(forged), got)
			if limit := uint64(2*len(forged) + snapshotAllocSlack); got > limit {
				t.Errorf("Load of %d forged bytes allocated %d, want at most %d", len(forged), got, limit)
			}
		})
	}
}

// A bulk build of invites only (no fingerprint at all) works: it used to
// index an empty bucket list.
func TestBuilderInvitesOnly(t *testing.T) {
	b := NewBuilder(Config{})
	b.AddInvite(1, 2, time.Unix(1e9, 0))
	g, err := b.Graph()
	require.NoError(t, err)
	checkFPKeys(t, g, map[uint64][]uint64{1: {2}, 2: {1}})
	require.NoError(t, g.AddFingerprint(3, "card", "x"))
	require.NoError(t, g.AddFingerprint(1, "card", "x"))
	checkFPKeys(t, g, map[uint64][]uint64{3: {1}})
}

// Grow is a capacity hint: negative numbers are ignored, not a panic.
func TestBuilderGrowNegative(t *testing.T) {
	b := NewBuilder(Config{})
	b.Grow(-1, -5, -7)
	b.AddInvite(1, 2, time.Unix(1e9, 0))
	g, err := b.Graph()
	require.NoError(t, err)
	checkFPKeys(t, g, map[uint64][]uint64{1: {2}})
}
