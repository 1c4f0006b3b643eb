// Package fraudgraphbench compares fraudgraph with a gonum graph
// (simple.DirectedGraph + traverse.BreadthFirst) on the same generated
// accounts: build time, memory per account and 2-hop related-account
// queries. CRAFTKIT_FG_BENCH_N sets the number of accounts (default
// 100,000; gonum needs about 1.9 KB per account).
package fraudgraphbench

import (
	"math/rand/v2"
	"os"
	"runtime"
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
		g, err := fix.d.Build(fraudgraph.Config{})
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
	kinds := map[int64]uint8{}
	next := int64(n + 1)
	for i := range d.FPAccount {
		h := d.Hash(i)
		id, ok := ids[h]
		if !ok {
			id = next
			next++
			ids[h] = id
			kinds[id] = d.FPKind[i]
			g.AddNode(simple.Node(id))
		}
		a := simple.Node(d.FPAccount[i])
		if !g.HasEdgeFromTo(int64(a), id) {
			g.SetEdge(g.NewEdge(a, simple.Node(id)))
			g.SetEdge(g.NewEdge(simple.Node(id), a))
		}
	}
	caps := fraudgraph.DefaultKinds()
	capped := map[int64]bool{}
	for id, k := range kinds {
		if g.From(id).Len() > caps[gen.KindName(k)].Cap {
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
			if _, err := f.d.Build(fraudgraph.Config{}); err != nil {
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

// gonumRelated counts accounts within hops of a: invites are one edge,
// fingerprints two (account -> fingerprint -> account).
func gonumRelated(f *fixture, bf *traverse.BreadthFirst, a int64, depth int) int {
	bf.Reset()
	n := int64(f.d.Accounts())
	count := 0
	bf.Walk(f.gn, simple.Node(a), func(v graph.Node, d int) bool {
		if d > depth {
			return true
		}
		if d > 0 && v.ID() <= n {
			count++
		}
		return false
	})
	return count
}

func BenchmarkRelated2Hops(b *testing.B) {
	f := load(b)
	n := f.d.Accounts()
	for _, tc := range []struct {
		name  string
		via   fraudgraph.Via
		depth int
		keep  func(graph.Edge) bool
	}{
		{"invites", fraudgraph.ViaInvites, 2, func(e graph.Edge) bool {
			return e.From().ID() <= int64(n) && e.To().ID() <= int64(n)
		}},
		{"fingerprints", fraudgraph.ViaFingerprints, 4, func(e graph.Edge) bool {
			from, to := e.From().ID(), e.To().ID()
			if from <= int64(n) && to <= int64(n) {
				return false
			}
			return !f.capped[from] && !f.capped[to]
		}},
	} {
		b.Run(tc.name+"/fraudgraph", func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			b.ReportAllocs()
			for b.Loop() {
				a := uint64(rng.IntN(n) + 1)
				if _, err := f.fg.Related(a, fraudgraph.Query{MaxHops: 2, Via: tc.via, Window: -1}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(tc.name+"/gonum", func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			bf := &traverse.BreadthFirst{Traverse: tc.keep}
			b.ReportAllocs()
			for b.Loop() {
				gonumRelated(f, bf, int64(rng.IntN(n)+1), tc.depth)
			}
		})
	}
}

// TestSameAnswers checks that both sides count the same related accounts.
func TestSameAnswers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds both graphs")
	}
	t.Setenv("CRAFTKIT_FG_BENCH_N", "20000")
	f := load(t)
	n := f.d.Accounts()
	bfInv := &traverse.BreadthFirst{Traverse: func(e graph.Edge) bool {
		return e.From().ID() <= int64(n) && e.To().ID() <= int64(n)
	}}
	for a := 1; a <= 2000; a++ {
		rel, err := f.fg.Related(uint64(a), fraudgraph.Query{MaxHops: 2, Via: fraudgraph.ViaInvites, Window: -1, MaxVisits: -1})
		if err != nil {
			t.Fatal(err)
		}
		if got := gonumRelated(f, bfInv, int64(a), 2); got != len(rel) {
			t.Fatalf("account %d: gonum %d related, fraudgraph %d", a, got, len(rel))
		}
	}
}
