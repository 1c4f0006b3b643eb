package fraudgraph

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestAddErrors(t *testing.T) {
	g := New(Config{})
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"self invite", g.AddInvite(1, 1, t0), ErrSelfInvite},
		{"empty kind", g.AddFingerprint(1, "", "x"), ErrEmptyFingerprint},
		{"empty value", g.AddFingerprint(1, "card", ""), ErrEmptyFingerprint},
		{"time before 1970", g.AddAccount(2, time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)), ErrTime},
		{"time after 2106", g.AddInvite(1, 2, time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)), ErrTime},
		{"ok invite", g.AddInvite(1, 2, t0), nil},
		{"duplicate invite", g.AddInvite(1, 2, t0), nil},
		{"reverse invite", g.AddInvite(2, 1, t0), nil},
		{"ok fingerprint", g.AddFingerprint(3, "card", "4111"), nil},
		{"duplicate fingerprint", g.AddFingerprint(3, "card", "4111"), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, tt.want) {
				t.Errorf("err = %v, want %v", tt.err, tt.want)
			}
		})
	}
	st := g.Stats()
	assert.Equal(t, 3, st.Accounts)
	assert.Equal(t, int64(2), st.Duplicates)
	assert.Equal(t, int64(1), st.Cycles)

	_, err := g.Related(99, Query{})
	assert.ErrorIs(t, err, ErrUnknownAccount)
	_, err = g.Explain(1, 99)
	assert.ErrorIs(t, err, ErrUnknownAccount)
	for _, q := range []Query{{MaxHops: -1}, {MaxHops: 256}, {Via: 9}} {
		_, err = g.Related(1, q)
		assert.ErrorIs(t, err, ErrQuery, "Related(1, %+v)", q)
	}
}

func TestRelatedBasic(t *testing.T) {
	g := New(Config{})
	require.NoError(t, g.AddInvite(1, 2, t0))
	require.NoError(t, g.AddInvite(2, 3, t0))
	require.NoError(t, g.AddInvite(3, 4, t0))
	require.NoError(t, g.AddFingerprint(4, "card", "4111"))
	require.NoError(t, g.AddFingerprint(5, "card", "4111"))
	require.NoError(t, g.AddFingerprint(6, "card", "9999"))

	got, err := g.Related(2, Query{MaxHops: 2, Via: ViaInvites})
	require.NoError(t, err)
	assert.Equal(t, []Relation{{1, 1, "invite"}, {3, 1, "invite"}, {4, 2, "invite"}}, got)

	got, err = g.Related(4, Query{MaxHops: 1})
	require.NoError(t, err)
	assert.Equal(t, []Relation{{3, 1, "invite"}, {5, 1, "card"}}, got)

	got, err = g.Related(5, Query{MaxHops: 3, Via: ViaFingerprints})
	require.NoError(t, err)
	assert.Equal(t, []Relation{{4, 1, "card"}}, got)

	got, err = g.Related(6, Query{})
	require.NoError(t, err)
	assert.Empty(t, got)

	ex, err := g.Explain(1, 5)
	require.NoError(t, err)
	assert.Equal(t, 4, ex.Hops)
	require.Len(t, ex.Paths, 1)
	p := ex.Paths[0]
	assert.Equal(t, uint64(1), p[0].From)
	assert.Equal(t, uint64(5), p[len(p)-1].To)
	assert.Equal(t, "card", p[3].Kind)
	assert.Equal(t, HashFingerprint("card", "4111"), p[3].Fingerprint)
	assert.Equal(t, uint64(3), p[2].Inviter)

	ex, err = g.Explain(5, 4)
	require.NoError(t, err)
	assert.Equal(t, 1, ex.Hops)
	assert.Equal(t, []Evidence{{Kind: "card", Shared: 1, PathSteps: 1}}, ex.Evidence)
	assert.InDelta(t, 0.9, ex.Score, 1e-9)

	ex, err = g.Explain(1, 6)
	require.NoError(t, err)
	assert.Equal(t, -1, ex.Hops)
}

func TestSupernodeCap(t *testing.T) {
	g := New(Config{Kinds: map[string]Kind{"ip": {Cap: 3}}})
	for a := uint64(1); a <= 5; a++ {
		require.NoError(t, g.AddFingerprint(a, "ip", "10.0.0.1"))
	}
	require.NoError(t, g.AddFingerprint(1, "device", "d1"))
	require.NoError(t, g.AddFingerprint(2, "device", "d1"))
	r, err := g.Search(1, Query{})
	require.NoError(t, err)
	assert.Equal(t, []Relation{{2, 1, "device"}}, r.Relations)
	assert.Equal(t, []Supernode{{HashFingerprint("ip", "10.0.0.1"), "ip", 5}}, r.Supernodes)

	ex, err := g.Explain(1, 2)
	require.NoError(t, err)
	assert.Equal(t, []Evidence{{Kind: "device", Shared: 1, PathSteps: 1}, {Kind: "ip", Shared: 1, Supernodes: 1}}, ex.Evidence)
}

// naive is a reference model: maps and a plain BFS.
type naive struct {
	inv    map[uint64][]uint64
	fps    map[uint64][]uint64 // account -> hashes
	mem    map[uint64][]uint64 // hash -> accounts
	kind   map[uint64]string
	joined map[uint64]int64
	caps   map[string]int
}

func newNaive() *naive {
	return &naive{inv: map[uint64][]uint64{}, fps: map[uint64][]uint64{}, mem: map[uint64][]uint64{},
		kind: map[uint64]string{}, joined: map[uint64]int64{}, caps: map[string]int{}}
}

func (n *naive) related(a uint64, hops int, via Via, window time.Duration) []Relation {
	inv, fp := via.mask()
	dist := map[uint64]int{a: 0}
	cur := []uint64{a}
	var out []Relation
	ok := func(v uint64) bool {
		if window <= 0 || n.joined[a] == 0 || n.joined[v] == 0 {
			return true
		}
		d := n.joined[a] - n.joined[v]
		return max(d, -d) <= int64(window/time.Second)
	}
	for h := 1; h <= hops; h++ {
		var next []uint64
		for _, u := range cur {
			var nb []uint64
			if inv {
				nb = append(nb, n.inv[u]...)
			}
			if fp {
				for _, f := range n.fps[u] {
					if c := n.caps[n.kind[f]]; c > 0 && len(n.mem[f]) > c {
						continue
					}
					nb = append(nb, n.mem[f]...)
				}
			}
			for _, v := range nb {
				if _, seen := dist[v]; seen {
					continue
				}
				dist[v] = h
				if !ok(v) {
					continue
				}
				out = append(out, Relation{Account: v, Hops: h})
				next = append(next, v)
			}
		}
		cur = next
	}
	slices.SortFunc(out, func(x, y Relation) int {
		if x.Hops != y.Hops {
			return x.Hops - y.Hops
		}
		return int(x.Account) - int(y.Account)
	})
	return out
}

// randomOps drives a graph and the naive model with the same random input.
func randomOps(rng *rand.Rand, n int, ops int, add func(op int, kind string, a, b uint64, v string, at time.Time), model *naive) {
	kinds := []string{"card", "device", "ip"}
	for i := range ops {
		a := uint64(rng.IntN(n) + 1)
		b := uint64(rng.IntN(n) + 1)
		at := t0.Add(time.Duration(rng.IntN(1000)) * 24 * time.Hour)
		switch rng.IntN(3) {
		case 0:
			add(0, "", a, 0, "", at)
			if j, ok := model.joined[a]; !ok || j == 0 {
				model.joined[a] = at.Unix()
			}
		case 1:
			if a == b {
				continue
			}
			add(1, "", a, b, "", at)
			if _, ok := model.joined[a]; !ok {
				model.joined[a] = 0
			}
			if j, ok := model.joined[b]; !ok || j == 0 {
				model.joined[b] = at.Unix()
			}
			if !slices.Contains(model.inv[a], b) {
				model.inv[a] = append(model.inv[a], b)
				model.inv[b] = append(model.inv[b], a)
			}
		default:
			k := kinds[rng.IntN(len(kinds))]
			v := fmt.Sprint(rng.IntN(n / 2))
			add(2, k, a, 0, v, at)
			if _, ok := model.joined[a]; !ok {
				model.joined[a] = 0
			}
			h := HashFingerprint(k, v)
			model.kind[h] = k
			if !slices.Contains(model.fps[a], h) {
				model.fps[a] = append(model.fps[a], h)
				model.mem[h] = append(model.mem[h], a)
			}
		}
		_ = i
	}
}

func TestRelatedDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("differential test skipped in -short mode")
	}
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 1))
			cfg := Config{Kinds: map[string]Kind{"ip": {Cap: 4}, "card": {Cap: 6}, "device": {Cap: -1}}, DeltaLimit: 97, MaxVisits: -1}
			live := New(cfg)
			b := NewBuilder(cfg)
			model := newNaive()
			model.caps = map[string]int{"ip": 4, "card": 6}
			n := 200
			randomOps(rng, n, 600, func(op int, kind string, a, c uint64, v string, at time.Time) {
				switch op {
				case 0:
					require.NoError(t, live.AddAccount(a, at))
					b.AddAccount(a, at)
				case 1:
					require.NoError(t, live.AddInvite(a, c, at))
					b.AddInvite(a, c, at)
				case 2:
					require.NoError(t, live.AddFingerprint(a, kind, v))
					b.AddFingerprint(a, kind, v)
				}
			}, model)
			built, err := b.Graph()
			require.NoError(t, err)
			for _, g := range []*Graph{live, built} {
				for a := range model.joined {
					for _, q := range []Query{{MaxHops: 1}, {MaxHops: 3, Window: -1}, {MaxHops: 2, Via: ViaInvites}, {MaxHops: 4, Via: ViaFingerprints, Window: 90 * 24 * time.Hour}} {
						got, err := g.Related(a, q)
						require.NoError(t, err)
						for i := range got {
							got[i].Kind = ""
						}
						w := q.Window
						if w == 0 {
							w = 365 * 24 * time.Hour
						}
						want := model.related(a, q.MaxHops, q.Via, w)
						if !slices.Equal(got, want) {
							t.Fatalf("Related(%d, %+v) = %v, want %v", a, q, got, want)
						}
					}
				}
			}
		})
	}
}

func TestExplainDifferential(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	g := New(Config{DeltaLimit: 50})
	model := newNaive()
	model.caps = map[string]int{"ip": 50, "card": 10, "device": 20}
	randomOps(rng, 300, 500, func(op int, kind string, a, c uint64, v string, at time.Time) {
		switch op {
		case 0:
			require.NoError(t, g.AddAccount(a, at))
		case 1:
			require.NoError(t, g.AddInvite(a, c, at))
		case 2:
			require.NoError(t, g.AddFingerprint(a, kind, v))
		}
	}, model)
	var ids []uint64
	for a := range model.joined {
		ids = append(ids, a)
	}
	slices.Sort(ids)
	for i := range 400 {
		a, b := ids[rng.IntN(len(ids))], ids[rng.IntN(len(ids))]
		if i%3 == 0 && len(model.inv[a]) > 0 {
			b = model.inv[a][0]
		}
		ex, err := g.Explain(a, b)
		require.NoError(t, err)
		want := -1
		if a == b {
			want = 0
		}
		for _, r := range model.related(a, 4, ViaBoth, -1) {
			if r.Account == b {
				want = r.Hops
			}
		}
		if ex.Hops != want {
			t.Fatalf("Explain(%d, %d).Hops = %d, want %d", a, b, ex.Hops, want)
		}
		if want > 0 && len(ex.Paths) == 0 {
			t.Fatalf("Explain(%d, %d) has no paths", a, b)
		}
		for _, p := range ex.Paths {
			if len(p) != want || p[0].From != a || p[len(p)-1].To != b {
				t.Fatalf("Explain(%d, %d) path %v: wrong ends or length", a, b, p)
			}
			for j, s := range p {
				if j > 0 && p[j-1].To != s.From {
					t.Fatalf("Explain(%d, %d) path %v: broken at %d", a, b, p, j)
				}
				if s.Kind == KindInvite {
					if !slices.Contains(model.inv[s.From], s.To) {
						t.Fatalf("Explain(%d, %d) step %+v: no such invite", a, b, s)
					}
					continue
				}
				if !slices.Contains(model.fps[s.From], s.Fingerprint) || !slices.Contains(model.fps[s.To], s.Fingerprint) {
					t.Fatalf("Explain(%d, %d) step %+v: fingerprint not shared", a, b, s)
				}
			}
		}
	}
}

func TestConcurrentInsertsAndQueries(t *testing.T) {
	g := New(Config{DeltaLimit: 500})
	const n = 2000
	var wg sync.WaitGroup
	done := make(chan struct{})
	for r := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(r), 0))
			for {
				select {
				case <-done:
					return
				default:
				}
				a := uint64(rng.IntN(n) + 1)
				if _, err := g.Related(a, Query{MaxHops: 3}); err != nil && !errors.Is(err, ErrUnknownAccount) {
					t.Error(err)
					return
				}
				if _, err := g.Explain(a, uint64(rng.IntN(n)+1)); err != nil && !errors.Is(err, ErrUnknownAccount) {
					t.Error(err)
					return
				}
				_ = g.SetFlags(a, FlagRedeemed)
			}
		}()
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for i := range 6000 {
		a, b := uint64(rng.IntN(n)+1), uint64(rng.IntN(n)+1)
		if a != b {
			require.NoError(t, g.AddInvite(a, b, t0.Add(time.Duration(i)*time.Minute)))
		}
		require.NoError(t, g.AddFingerprint(a, "device", fmt.Sprint(rng.IntN(n))))
	}
	close(done)
	wg.Wait()
	assert.Positive(t, g.Stats().Compactions)
}

func TestRandomIDs(t *testing.T) {
	g := New(Config{})
	rng := rand.New(rand.NewPCG(11, 12))
	ids := make([]uint64, 30_000)
	for i := range ids {
		ids[i] = rng.Uint64()
		require.NoError(t, g.AddAccount(ids[i], t0.Add(time.Duration(i)*time.Second)))
		if i > 0 {
			require.NoError(t, g.AddInvite(ids[i-1], ids[i], t0.Add(time.Duration(i)*time.Second)))
		}
	}
	var buf bytes.Buffer
	_, err := g.WriteTo(&buf)
	require.NoError(t, err)
	h, err := Load(&buf, Config{})
	require.NoError(t, err)
	for _, gg := range []*Graph{g, h} {
		for i, id := range ids {
			rel, err := gg.Related(id, Query{MaxHops: 1})
			require.NoError(t, err)
			want := 2
			if i == 0 || i == len(ids)-1 {
				want = 1
			}
			if len(rel) != want {
				t.Fatalf("Related(%d) = %v, want %d relations", id, rel, want)
			}
		}
	}
}

func TestExplainWithinVia(t *testing.T) {
	g := New(Config{})
	require.NoError(t, g.AddInvite(1, 2, t0))
	require.NoError(t, g.AddFingerprint(1, "device", "d"))
	require.NoError(t, g.AddFingerprint(2, "device", "d"))
	for _, tt := range []struct {
		via  Via
		kind string
	}{{ViaInvites, KindInvite}, {ViaFingerprints, "device"}} {
		ex, err := g.ExplainWithin(1, 2, Query{MaxHops: 2, Via: tt.via})
		require.NoError(t, err)
		require.Len(t, ex.Paths, 1)
		assert.Equal(t, tt.kind, ex.Paths[0][0].Kind, "ExplainWithin(via %v)", tt.via)
	}
}
