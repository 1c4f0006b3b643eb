package fraudgraph_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/craftkit/craftkit/fraudgraph"
)

// FuzzBuild reads the input as operations (invite, hashed fingerprint,
// Grow hint) and applies them to a Builder and to a live Graph. Hashes
// come from a set chosen to collide if keying were wrong: 0 and 1, values
// differing only in low or only in top bits, the same value under three
// kinds. The bulk graph, the live graph and both graphs' snapshots must
// answer Related like breadth-first search over plain maps, where a
// fingerprint is its (kind, hash) pair.
func FuzzBuild(f *testing.F) {
	f.Add([]byte{1, 1, 0, 2, 1, 2, 0, 2, 1, 3, 1, 2, 0, 1, 4, 0})
	f.Add([]byte{1, 1, 0, 0, 1, 2, 0, 1, 1, 3, 0, 2, 1, 4, 0, 3, 1, 5, 0, 4})
	f.Add([]byte{2, 255, 255, 255, 0, 1, 2, 0, 1, 1, 1, 5, 1, 2, 2, 5})
	f.Add([]byte{0, 1, 2, 9, 0, 2, 3, 9, 0, 3, 1, 9})
	hashes := []uint64{0, 1, 42, 43, 42 << 56, 43 << 56, 0xff, ^uint64(0)}
	kinds := []string{"device", "card", "ip"}
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 800 {
			return
		}
		b := fraudgraph.NewBuilder(fraudgraph.Config{DefaultKind: fraudgraph.Kind{Cap: 1000}})
		live := fraudgraph.New(fraudgraph.Config{DefaultKind: fraudgraph.Kind{Cap: 1000}, DeltaLimit: 4})
		inv := map[uint64][]uint64{}
		holders := map[[2]uint64][]uint64{}
		known := map[uint64]bool{}
		for i := 0; i+3 < len(ops); i += 4 {
			op, a, x, c := ops[i]%3, uint64(ops[i+1]%12), ops[i+2], ops[i+3]
			switch op {
			case 0:
				bb := uint64(x % 12)
				at := time.Date(2026, 1, 1, 0, int(c), 0, 0, time.UTC)
				b.AddInvite(a, bb, at)
				err := live.AddInvite(a, bb, at)
				if a == bb {
					require.ErrorIs(t, err, fraudgraph.ErrSelfInvite)
					continue
				}
				require.NoError(t, err)
				inv[a], inv[bb] = append(inv[a], bb), append(inv[bb], a)
				known[a], known[bb] = true, true
			case 1:
				k, h := int(x)%len(kinds), hashes[int(c)%len(hashes)]
				b.AddFingerprintHash(a, kinds[k], h)
				require.NoError(t, live.AddFingerprintHash(a, kinds[k], h))
				key := [2]uint64{uint64(k), h}
				if !slices.Contains(holders[key], a) {
					holders[key] = append(holders[key], a)
				}
				known[a] = true
			case 2:
				b.Grow(int(int8(x)), int(int8(c)), int(int8(x^c)))
			}
		}
		bulk, err := b.Graph()
		// The only refused operations are self-invites.
		if err != nil {
			require.ErrorIs(t, err, fraudgraph.ErrSelfInvite)
		}
		adj := map[uint64][]uint64{}
		for x, vs := range inv {
			adj[x] = append(adj[x], vs...)
		}
		for _, hs := range holders {
			for _, x := range hs {
				for _, y := range hs {
					if x != y {
						adj[x] = append(adj[x], y)
					}
				}
			}
		}
		graphs := map[string]*fraudgraph.Graph{"bulk": bulk, "live": live}
		for name, g := range map[string]*fraudgraph.Graph{"bulk": bulk, "live": live} {
			var buf bytes.Buffer
			_, err := g.WriteTo(&buf)
			require.NoError(t, err)
			h, err := fraudgraph.Load(&buf, fraudgraph.Config{DefaultKind: fraudgraph.Kind{Cap: 1000}})
			require.NoError(t, err)
			graphs["snapshot of "+name] = h
		}
		for name, g := range graphs {
			for a := range known {
				rel, err := g.Related(a, fraudgraph.Query{MaxHops: 3})
				require.NoError(t, err)
				if got, want := hopsOf(rel), naiveRelated(adj, a, 3); !slices.Equal(got, want) {
					t.Fatalf("%s: Related(%d, 3 hops) = %v, want %v", name, a, got, want)
				}
			}
		}
	})
}
