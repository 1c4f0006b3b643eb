package fraudgraph_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/craftkit/craftkit/fraudgraph"
)

// The tests in this file use only the contract: New, AddInvite,
// AddFingerprint, Related with Query{MaxHops, Via}, Relation{Account, Hops}
// and Explain.

var contractT0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// hopsOf projects relations to "account:hops" strings, in result order.
func hopsOf(rel []fraudgraph.Relation) []string {
	out := make([]string, len(rel))
	for i, r := range rel {
		out[i] = fmt.Sprintf("%d:%d", r.Account, r.Hops)
	}
	return out
}

func TestContractRelated(t *testing.T) {
	// Invite chain 1->2->3->4->5->6 and a device shared by 1 and 5.
	g := fraudgraph.New(fraudgraph.Config{})
	for i := uint64(1); i < 6; i++ {
		require.NoError(t, g.AddInvite(i, i+1, contractT0.Add(time.Duration(i)*time.Hour)))
	}
	require.NoError(t, g.AddFingerprint(1, "device", "d-15"))
	require.NoError(t, g.AddFingerprint(5, "device", "d-15"))

	tests := []struct {
		name string
		q    fraudgraph.Query
		want []string
	}{
		// The zero Query: the documented default of 2 hops over both link kinds.
		{"zero query", fraudgraph.Query{}, []string{"2:1", "5:1", "3:2", "4:2", "6:2"}},
		{"invites", fraudgraph.Query{MaxHops: 5, Via: fraudgraph.ViaInvites}, []string{"2:1", "3:2", "4:3", "5:4", "6:5"}},
		{"fingerprints", fraudgraph.Query{MaxHops: 5, Via: fraudgraph.ViaFingerprints}, []string{"5:1"}},
		// 5 is 4 invite hops away but 1 fingerprint hop: the shortest wins.
		{"both", fraudgraph.Query{MaxHops: 5, Via: fraudgraph.ViaBoth}, []string{"2:1", "5:1", "3:2", "4:2", "6:2"}},
		{"both 1 hop", fraudgraph.Query{MaxHops: 1, Via: fraudgraph.ViaBoth}, []string{"2:1", "5:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rel, err := g.Related(1, tt.q)
			require.NoError(t, err)
			assert.Equal(t, tt.want, hopsOf(rel), "Related(1, %+v)", tt.q)
		})
	}

	// Invites are followed in both directions: from the end of the chain.
	rel, err := g.Related(6, fraudgraph.Query{MaxHops: 2, Via: fraudgraph.ViaInvites})
	require.NoError(t, err)
	assert.Equal(t, []string{"5:1", "4:2"}, hopsOf(rel))

	// An account never seen is an error, not an empty answer.
	_, err = g.Related(99, fraudgraph.Query{})
	assert.ErrorIs(t, err, fraudgraph.ErrUnknownAccount)
}

func TestContractBadInput(t *testing.T) {
	g := fraudgraph.New(fraudgraph.Config{})
	assert.ErrorIs(t, g.AddInvite(7, 7, contractT0), fraudgraph.ErrSelfInvite)
	assert.ErrorIs(t, g.AddFingerprint(7, "", "x"), fraudgraph.ErrEmptyFingerprint)
	assert.ErrorIs(t, g.AddFingerprint(7, "ip", ""), fraudgraph.ErrEmptyFingerprint)

	// Extreme ids, times and strings are data, not panics.
	huge := strings.Repeat("x", 1<<20)
	require.NoError(t, g.AddInvite(0, math.MaxUint64, contractT0))
	require.NoError(t, g.AddInvite(math.MaxUint64, 1, contractT0))
	require.NoError(t, g.AddInvite(1, 2, time.Time{}))
	require.NoError(t, g.AddInvite(5, 6, time.Unix(0, 0)))
	require.NoError(t, g.AddFingerprint(0, huge, huge))
	require.NoError(t, g.AddFingerprint(2, huge, huge))
	require.NoError(t, g.AddFingerprint(2, "ip", "\x00\xff"))

	// Duplicates change nothing; cycles terminate.
	for range 3 {
		require.NoError(t, g.AddInvite(0, math.MaxUint64, contractT0))
		require.NoError(t, g.AddFingerprint(2, huge, huge))
	}
	require.NoError(t, g.AddInvite(2, 0, contractT0)) // 0 -> max -> 1 -> 2 -> 0
	rel, err := g.Related(0, fraudgraph.Query{MaxHops: 6})
	require.NoError(t, err)
	assert.Equal(t, []string{"2:1", fmt.Sprint(uint64(math.MaxUint64), ":1"), "1:2"}, hopsOf(rel))
	rel, err = g.Related(math.MaxUint64, fraudgraph.Query{MaxHops: 2, Via: fraudgraph.ViaInvites})
	require.NoError(t, err)
	assert.Equal(t, []string{"0:1", "1:1", "2:2"}, hopsOf(rel))

	for _, q := range []fraudgraph.Query{{MaxHops: -1}, {MaxHops: math.MaxInt}, {Via: 200}} {
		_, err := g.Related(0, q)
		assert.ErrorIs(t, err, fraudgraph.ErrQuery, "Related(0, %+v)", q)
	}
}

func TestContractLongChain(t *testing.T) {
	g := fraudgraph.New(fraudgraph.Config{})
	for i := uint64(100); i < 120; i++ {
		require.NoError(t, g.AddInvite(i, i+1, contractT0))
	}
	rel, err := g.Related(100, fraudgraph.Query{MaxHops: 12, Via: fraudgraph.ViaInvites})
	require.NoError(t, err)
	require.Len(t, rel, 12)
	for i, r := range rel {
		assert.Equal(t, fraudgraph.Relation{Account: uint64(101 + i), Hops: i + 1}, fraudgraph.Relation{Account: r.Account, Hops: r.Hops})
	}
}

func TestContractExplain(t *testing.T) {
	g := fraudgraph.New(fraudgraph.Config{})
	require.NoError(t, g.AddInvite(1, 2, contractT0))
	require.NoError(t, g.AddFingerprint(2, "card", "c"))
	require.NoError(t, g.AddFingerprint(3, "card", "c"))
	require.NoError(t, g.AddFingerprint(9, "card", "other"))

	ex, err := g.Explain(1, 3)
	require.NoError(t, err)
	assert.Equal(t, 2, ex.Hops)
	require.NotEmpty(t, ex.Paths)
	assert.Equal(t, []string{"invite", "card"}, []string{ex.Paths[0][0].Kind, ex.Paths[0][1].Kind})

	ex, err = g.Explain(1, 9)
	require.NoError(t, err)
	assert.Equal(t, -1, ex.Hops, "unrelated accounts")
	assert.Empty(t, ex.Paths)

	_, err = g.Explain(1, 404)
	assert.ErrorIs(t, err, fraudgraph.ErrUnknownAccount)

	// A graph whose hop limit is below Explain's default search depth
	// still explains.
	small := fraudgraph.New(fraudgraph.Config{HopLimit: 2})
	require.NoError(t, small.AddInvite(1, 2, contractT0))
	ex, err = small.Explain(1, 2)
	require.NoError(t, err)
	assert.Equal(t, 1, ex.Hops)
}

// naiveRelated is breadth-first search over plain adjacency maps.
func naiveRelated(adj map[uint64][]uint64, root uint64, maxHops int) []string {
	dist := map[uint64]int{root: 0}
	frontier := []uint64{root}
	var out []fraudgraph.Relation
	for hop := 1; hop <= maxHops && len(frontier) > 0; hop++ {
		var next []uint64
		for _, u := range frontier {
			for _, v := range adj[u] {
				if _, ok := dist[v]; !ok {
					dist[v] = hop
					next = append(next, v)
					out = append(out, fraudgraph.Relation{Account: v, Hops: hop})
				}
			}
		}
		frontier = next
	}
	slices.SortFunc(out, func(a, b fraudgraph.Relation) int {
		if a.Hops != b.Hops {
			return a.Hops - b.Hops
		}
		if a.Account < b.Account {
			return -1
		}
		if a.Account > b.Account {
			return 1
		}
		return 0
	})
	return hopsOf(out)
}

func TestContractDifferential(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			// Caps far above the graph's size, so supernodes never interfere.
			g := fraudgraph.New(fraudgraph.Config{DefaultKind: fraudgraph.Kind{Cap: 1000}, DeltaLimit: 16 + int(seed)})
			n := 20 + rng.IntN(40)
			id := func() uint64 { return 1000 + uint64(rng.IntN(n))*7919 }
			inv := map[uint64][]uint64{}
			holders := map[string][]uint64{}
			for range 3 * n {
				if rng.IntN(2) == 0 {
					a, b := id(), id()
					if a == b {
						continue
					}
					require.NoError(t, g.AddInvite(a, b, contractT0.Add(time.Duration(rng.IntN(60))*time.Minute)))
					inv[a] = append(inv[a], b)
					inv[b] = append(inv[b], a)
				} else {
					a := id()
					kind, value := fmt.Sprint("k", rng.IntN(3)), fmt.Sprint("v", rng.IntN(n/2))
					require.NoError(t, g.AddFingerprint(a, kind, value))
					key := kind + "\x00" + value
					if !slices.Contains(holders[key], a) {
						holders[key] = append(holders[key], a)
					}
				}
			}
			fp := map[uint64][]uint64{}
			for _, hs := range holders {
				for _, a := range hs {
					for _, b := range hs {
						if a != b {
							fp[a] = append(fp[a], b)
						}
					}
				}
			}
			both := map[uint64][]uint64{}
			accounts := map[uint64]bool{}
			for _, m := range []map[uint64][]uint64{inv, fp} {
				for a, vs := range m {
					both[a] = append(both[a], vs...)
					accounts[a] = true
				}
			}
			for _, hs := range holders {
				for _, a := range hs {
					accounts[a] = true
				}
			}
			vias := []struct {
				via fraudgraph.Via
				adj map[uint64][]uint64
			}{{fraudgraph.ViaInvites, inv}, {fraudgraph.ViaFingerprints, fp}, {fraudgraph.ViaBoth, both}}
			for a := range accounts {
				for _, v := range vias {
					for hops := 1; hops <= 4; hops++ {
						rel, err := g.Related(a, fraudgraph.Query{MaxHops: hops, Via: v.via})
						require.NoError(t, err)
						want := naiveRelated(v.adj, a, hops)
						if got := hopsOf(rel); !slices.Equal(got, want) {
							t.Fatalf("Related(%d, {MaxHops: %d, Via: %v}) = %v, want %v", a, hops, v.via, got, want)
						}
					}
				}
			}
		})
	}
}

func TestContractConcurrent(t *testing.T) {
	g := fraudgraph.New(fraudgraph.Config{DeltaLimit: 64})
	require.NoError(t, g.AddInvite(1, 2, contractT0))
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := uint64(2); i < 2000; i++ {
			if err := g.AddInvite(i, i+1, contractT0); err != nil {
				t.Error(err)
				return
			}
			if err := g.AddFingerprint(i, "device", fmt.Sprint(i%50)); err != nil {
				t.Error(err)
				return
			}
		}
	})
	for range 2 {
		wg.Go(func() {
			for i := range 2000 {
				rel, err := g.Related(1, fraudgraph.Query{MaxHops: 3})
				if err != nil {
					t.Error(err)
					return
				}
				if !slices.IsSortedFunc(rel, func(a, b fraudgraph.Relation) int {
					if a.Hops != b.Hops {
						return a.Hops - b.Hops
					}
					return int(a.Account) - int(b.Account)
				}) {
					t.Errorf("query %d: unsorted %v", i, rel)
					return
				}
				if _, err := g.Explain(1, 2); err != nil && !errors.Is(err, fraudgraph.ErrUnknownAccount) {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// FuzzRelated reads the input as a list of operations on a few accounts
// (invite, fingerprint, query) and checks every query against breadth-first
// search over plain maps. Caps are above the graph's size.
func FuzzRelated(f *testing.F) {
	f.Add([]byte{0, 1, 2, 0, 2, 3, 1, 3, 0, 1, 4, 0, 2, 1, 4, 4})
	f.Add([]byte{1, 1, 1, 1, 2, 1, 0, 2, 1, 0, 1, 2, 2, 0, 5, 0})
	f.Add([]byte{0, 0, 0, 0, 7, 7, 2, 0, 9, 1, 7, 3, 2, 7, 2, 2})
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 600 {
			return
		}
		g := fraudgraph.New(fraudgraph.Config{DefaultKind: fraudgraph.Kind{Cap: 1000}, DeltaLimit: 8})
		inv := map[uint64][]uint64{}
		holders := map[string][]uint64{}
		known := map[uint64]bool{}
		for i := 0; i+3 < len(ops); i += 4 {
			op, a, b, c := ops[i]%3, uint64(ops[i+1]%16), uint64(ops[i+2]%16), ops[i+3]
			switch op {
			case 0:
				err := g.AddInvite(a, b, contractT0.Add(time.Duration(c)*time.Minute))
				if a == b {
					if !errors.Is(err, fraudgraph.ErrSelfInvite) {
						t.Fatalf("AddInvite(%d, %d) = %v, want ErrSelfInvite", a, b, err)
					}
					continue
				}
				require.NoError(t, err)
				inv[a], inv[b] = append(inv[a], b), append(inv[b], a)
				known[a], known[b] = true, true
			case 1:
				kind, value := fmt.Sprint("k", b%3), fmt.Sprint(c%8)
				require.NoError(t, g.AddFingerprint(a, kind, value))
				if key := kind + "\x00" + value; !slices.Contains(holders[key], a) {
					holders[key] = append(holders[key], a)
				}
				known[a] = true
			case 2:
				fp := map[uint64][]uint64{}
				for _, hs := range holders {
					for _, x := range hs {
						for _, y := range hs {
							if x != y {
								fp[x] = append(fp[x], y)
							}
						}
					}
				}
				both := map[uint64][]uint64{}
				for _, m := range []map[uint64][]uint64{inv, fp} {
					for x, vs := range m {
						both[x] = append(both[x], vs...)
					}
				}
				via := fraudgraph.Via(b % 3)
				adj := map[fraudgraph.Via]map[uint64][]uint64{fraudgraph.ViaBoth: both, fraudgraph.ViaInvites: inv, fraudgraph.ViaFingerprints: fp}[via]
				hops := int(c%6) + 1
				rel, err := g.Related(a, fraudgraph.Query{MaxHops: hops, Via: via})
				if !known[a] {
					if !errors.Is(err, fraudgraph.ErrUnknownAccount) {
						t.Fatalf("Related(%d) of an unknown account = %v, want ErrUnknownAccount", a, err)
					}
					continue
				}
				require.NoError(t, err)
				if got, want := hopsOf(rel), naiveRelated(adj, a, hops); !slices.Equal(got, want) {
					t.Fatalf("Related(%d, {MaxHops: %d, Via: %v}) = %v, want %v", a, hops, via, got, want)
				}
			}
		}
	})
}
