// Package fraudgraphbench compares fraudgraph with a gonum graph
// (simple.DirectedGraph + traverse.BreadthFirst) on the same generated
// accounts: build time, memory per account and 2-hop related-account
// queries over invites and over shared fingerprints. Both sides run with
// the same limits: the per-kind supernode caps of [kinds] (fingerprints
// linking more accounts are not crossed) and no visit cap or time window.
// TestSameAnswers checks that they report the same accounts.
// CRAFTKIT_FG_BENCH_N sets the number of accounts (default 100,000; gonum
// needs about 1.9 KB per account).
package fraudgraphbench

import (
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/traverse"
)

func accounts() int {
	if s := os.Getenv("CRAFTKIT_FG_BENCH_N"); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			return n
		}
	}
	return 100_000
}

// kinds are the supernode caps both sides use, for every kind the
// generator emits; defaultCap applies to any other.
var kinds = map[string]fraudgraph.Kind{
	"device":    {Cap: 20},
	"card":      {Cap: 10},
	"ip":        {Cap: 50},
	"household": {Cap: 10},
}

const defaultCap = 50

func capOf(kind string) int {
	if k, ok := kinds[kind]; ok && k.Cap != 0 {
		return k.Cap
	}
	return defaultCap
}

// config is the fraudgraph configuration with the caps of kinds.
func config() fraudgraph.Config {
	return fraudgraph.Config{Kinds: kinds, DefaultKind: fraudgraph.Kind{Cap: defaultCap}}
}

// query is the fraudgraph query matching a gonum walk: no visit cap, no
// time window.
func query(via fraudgraph.Via) fraudgraph.Query {
	return fraudgraph.Query{MaxHops: 2, Via: via, MaxVisits: -1, Window: -1}
}

type fixture struct {
	d      *gen.Dataset
	fg     *fraudgraph.Graph
	gn     *simple.DirectedGraph
	capped map[int64]bool // gonum fingerprint nodes over their kind's cap
	fgB    float64        // heap bytes per account
	gnB    float64
}

var (
	once sync.Once
	fix  fixture
)

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func load(tb testing.TB) *fixture {
	once.Do(func() {
		n := accounts()
		fix.d = gen.Generate(gen.Config{Accounts: n, Seed: 7})
		h0 := heap()
		g, err := fix.d.Build(config())
		if err != nil {
			tb.Fatal(err)
		}
		fix.fg = g
		h1 := heap()
		fix.gn, fix.capped = buildGonum(fix.d)
		h2 := heap()
		fix.fgB = float64(h1-h0) / float64(n)
		fix.gnB = float64(h2-h1) / float64(n)
	})
	return &fix
}

// buildGonum stores accounts as nodes 1..N and each distinct fingerprint
// as a node after them, with edges both ways for invites and memberships.
func buildGonum(d *gen.Dataset) (*simple.DirectedGraph, map[int64]bool) {
	g := simple.NewDirectedGraph()
	n := d.Accounts()
	for i := 1; i <= n; i++ {
		g.AddNode(simple.Node(i))
	}
	for i, inv := range d.Inviter {
		if inv != 0 {
			a, b := simple.Node(inv), simple.Node(i+1)
			g.SetEdge(g.NewEdge(a, b))
			g.SetEdge(g.NewEdge(b, a))
		}
	}
	ids := map[uint64]int64{}
	kindOf := map[int64]uint8{}
	next := int64(n + 1)
	for i := range d.FPAccount {
		h := d.Hash(i)
		id, ok := ids[h]
		if !ok {
			id = next
			next++
			ids[h] = id
			kindOf[id] = d.FPKind[i]
			g.AddNode(simple.Node(id))
		}
		a := simple.Node(d.FPAccount[i])
		if !g.HasEdgeFromTo(int64(a), id) {
			g.SetEdge(g.NewEdge(a, simple.Node(id)))
			g.SetEdge(g.NewEdge(simple.Node(id), a))
		}
	}
	capped := map[int64]bool{}
	for id, k := range kindOf {
		if g.From(id).Len() > capOf(gen.KindName(k)) {
			capped[id] = true
		}
	}
	return g, capped
}

func BenchmarkMemory(b *testing.B) {
	f := load(b)
	for b.Loop() {
	}
	b.ReportMetric(f.fgB, "fraudgraph-B/account")
	b.ReportMetric(f.gnB, "gonum-B/account")
}

func BenchmarkBuild(b *testing.B) {
	f := load(b)
	b.Run("fraudgraph", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := f.d.Build(config()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gonum", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buildGonum(f.d)
		}
	})
}

// gonumRelated appends to out the accounts within depth edges of a:
// invites are one edge, fingerprints two (account -> fingerprint ->
// account).
func gonumRelated(f *fixture, bf *traverse.BreadthFirst, a int64, depth int, out []int64) []int64 {
	bf.Reset()
	n := int64(f.d.Accounts())
	bf.Walk(f.gn, simple.Node(a), func(v graph.Node, d int) bool {
		if d > depth {
			return true
		}
		if d > 0 && v.ID() <= n {
			out = append(out, v.ID())
		}
		return false
	})
	return out
}

// gonumCase is one kind of 2-hop query on both sides: the links
// fraudgraph follows, and the gonum depth and edge filter that follow the
// same links under the same caps.
type gonumCase struct {
	name  string
	via   fraudgraph.Via
	depth int
	keep  func(graph.Edge) bool
}

func cases(f *fixture) []gonumCase {
	n := int64(f.d.Accounts())
	return []gonumCase{
		{"invites", fraudgraph.ViaInvites, 2, func(e graph.Edge) bool {
			return e.From().ID() <= n && e.To().ID() <= n
		}},
		{"fingerprints", fraudgraph.ViaFingerprints, 4, func(e graph.Edge) bool {
			from, to := e.From().ID(), e.To().ID()
			if from <= n && to <= n {
				return false
			}
			return !f.capped[from] && !f.capped[to]
		}},
	}
}

func BenchmarkRelated2Hops(b *testing.B) {
	f := load(b)
	n := f.d.Accounts()
	for _, tc := range cases(f) {
		b.Run(tc.name+"/fraudgraph", func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			q := query(tc.via)
			b.ReportAllocs()
			for b.Loop() {
				a := uint64(rng.IntN(n) + 1)
				if _, err := f.fg.Related(a, q); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/gonum", func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			bf := &traverse.BreadthFirst{Traverse: tc.keep}
			var out []int64
			b.ReportAllocs()
			for b.Loop() {
				out = gonumRelated(f, bf, int64(rng.IntN(n)+1), tc.depth, out[:0])
			}
		})
	}
}

// TestSameAnswers checks that both sides report the same related
// accounts, over invites and over fingerprints, for 2,000 accounts.
func TestSameAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds both graphs")
	}
	t.Setenv("CRAFTKIT_FG_BENCH_N", "20000")
	f := load(t)
	for _, tc := range cases(f) {
		bf := &traverse.BreadthFirst{Traverse: tc.keep}
		nonEmpty := 0
		for a := 1; a <= 2000; a++ {
			rel, err := f.fg.Related(uint64(a), query(tc.via))
			if err != nil {
				t.Fatal(err)
			}
			got := make([]int64, len(rel))
			for i, r := range rel {
				got[i] = int64(r.Account)
			}
			slices.Sort(got)
			want := gonumRelated(f, bf, int64(a), tc.depth, nil)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("%s: account %d: fraudgraph %d related %v, gonum %d %v", tc.name, a, len(got), got, len(want), want)
			}
			if len(got) > 0 {
				nonEmpty++
			}
		}
		if nonEmpty < 200 {
			t.Errorf("%s: only %d of 2000 accounts have related accounts; the comparison is too weak", tc.name, nonEmpty)
		}
	}
}
