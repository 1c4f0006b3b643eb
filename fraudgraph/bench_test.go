package fraudgraph_test

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
)

func benchGraph(b *testing.B, n int) (*gen.Dataset, *fraudgraph.Graph) {
	b.Helper()
	d := gen.Generate(gen.Config{Accounts: n, Seed: 1})
	g, err := d.Build(fraudgraph.Config{})
	if err != nil {
		b.Fatal(err)
	}
	return d, g
}

func BenchmarkBuild(b *testing.B) {
	d := gen.Generate(gen.Config{Accounts: 200_000, Seed: 1})
	links := len(d.FPAccount)
	for _, inv := range d.Inviter {
		if inv != 0 {
			links++
		}
	}
	b.ReportAllocs()
	cpu := startCPU(b)
	for b.Loop() {
		if _, err := d.Build(fraudgraph.Config{}); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
	b.ReportMetric(float64(links)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mlinks/s")
}

// cpuMeter reports the process CPU time per operation beside the wall
// time, so runs on a shared machine can be compared by the work done.
type cpuMeter struct{ start int64 }

func startCPU(b *testing.B) cpuMeter {
	b.Helper()
	return cpuMeter{processCPU()}
}

func (m cpuMeter) report(b *testing.B) {
	b.Helper()
	if m.start < 0 || b.N == 0 {
		return
	}
	b.ReportMetric(float64(processCPU()-m.start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkBuildStrings builds a graph from fingerprint strings, hashing
// included, as a loader reading exported rows would: "serial" adds one
// presentation at a time with Builder.AddFingerprint, "batch" all at once
// with Builder.AddFingerprints.
func BenchmarkBuildStrings(b *testing.B) {
	const n = 1_000_000
	d := gen.Generate(gen.Config{Accounts: n, Seed: 1})
	values := make([]string, len(d.FPAccount))
	for i := range values {
		values[i] = d.Value(i)
	}
	links := len(d.FPAccount)
	for _, inv := range d.Inviter {
		if inv != 0 {
			links++
		}
	}
	prologue := func() *fraudgraph.Builder {
		bl := fraudgraph.NewBuilder(fraudgraph.Config{})
		bl.Grow(n, n, len(values))
		for i := range n {
			bl.AddAccount(uint64(i+1), time.Unix(int64(d.Joined[i]), 0))
		}
		for i, inv := range d.Inviter {
			if inv != 0 {
				bl.AddInvite(uint64(inv), uint64(i+1), time.Unix(int64(d.Joined[i]), 0))
			}
		}
		return bl
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		cpu := startCPU(b)
		for b.Loop() {
			bl := prologue()
			for i, v := range values {
				bl.AddFingerprint(uint64(d.FPAccount[i]), gen.KindName(d.FPKind[i]), v)
			}
			if _, err := bl.Graph(); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report(b)
		b.ReportMetric(float64(links)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mlinks/s")
	})
	ps := make([]fraudgraph.Presentation, len(values))
	for i, v := range values {
		ps[i] = fraudgraph.Presentation{Account: uint64(d.FPAccount[i]), Kind: gen.KindName(d.FPKind[i]), Value: v}
	}
	b.Run("batch", func(b *testing.B) {
		b.ReportAllocs()
		cpu := startCPU(b)
		for b.Loop() {
			bl := prologue()
			bl.AddFingerprints(ps)
			if _, err := bl.Graph(); err != nil {
				b.Fatal(err)
			}
		}
		cpu.report(b)
		b.ReportMetric(float64(links)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mlinks/s")
	})
}

// BenchmarkLoad reads a snapshot of a 200,000-account graph.
func BenchmarkLoad(b *testing.B) {
	_, g := benchGraph(b, 200_000)
	var buf bytes.Buffer
	if _, err := g.WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	snap := buf.Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(snap)))
	cpu := startCPU(b)
	for b.Loop() {
		if _, err := fraudgraph.Load(bytes.NewReader(snap), fraudgraph.Config{}); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

func BenchmarkRelated(b *testing.B) {
	const n = 200_000
	_, g := benchGraph(b, n)
	for _, q := range []struct {
		name string
		q    fraudgraph.Query
	}{
		{"2hops", fraudgraph.Query{MaxHops: 2}},
		{"2hops/invites", fraudgraph.Query{MaxHops: 2, Via: fraudgraph.ViaInvites}},
		{"3hops", fraudgraph.Query{MaxHops: 3}},
	} {
		b.Run(q.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			b.ReportAllocs()
			cpu := startCPU(b)
			for b.Loop() {
				if _, err := g.Related(uint64(rng.IntN(n)+1), q.q); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
	}
}

func BenchmarkExplain(b *testing.B) {
	const n = 200_000
	_, g := benchGraph(b, n)
	rng := rand.New(rand.NewPCG(3, 4))
	var pairs [][2]uint64
	for len(pairs) < 4096 {
		a := uint64(rng.IntN(n) + 1)
		r, _ := g.Related(a, fraudgraph.Query{MaxHops: 4, Window: -1})
		if len(r) > 0 {
			pairs = append(pairs, [2]uint64{a, r[rng.IntN(len(r))].Account})
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := pairs[i%len(pairs)]
		if _, err := g.Explain(p[0], p[1]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkSignals(b *testing.B) {
	const n = 200_000
	_, g := benchGraph(b, n)
	rng := rand.New(rand.NewPCG(5, 6))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.Signals(uint64(rng.IntN(n)+1), fraudgraph.Query{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRelatedAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under -race")
	}
	d := gen.Generate(gen.Config{Accounts: 20_000, Seed: 1})
	g, err := d.Build(fraudgraph.Config{})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	// One allocation for the returned slice; the search state is pooled.
	if a := testing.AllocsPerRun(1000, func() {
		_, _ = g.Related(uint64(rng.IntN(20_000)+1), fraudgraph.Query{})
	}); a > 1.5 {
		t.Errorf("Related allocates %.1f times per call, want at most 1 (plus pool misses)", a)
	}
	if a := testing.AllocsPerRun(1000, func() {
		_, _ = g.Signals(uint64(rng.IntN(20_000)+1), fraudgraph.Query{})
	}); a > 0.5 {
		t.Errorf("Signals allocates %.1f times per call, want 0", a)
	}
}

// BenchmarkAddFingerprintHash measures live inserts: each operation links
// one account to one of a pool of fingerprints of two kinds, so about
// half the inserts find a fingerprint already in the table.
func BenchmarkAddFingerprintHash(b *testing.B) {
	g := fraudgraph.New(fraudgraph.Config{})
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := [2]string{"device", "card"}
	b.ReportAllocs()
	i := uint64(0)
	for b.Loop() {
		i++
		h := rng.Uint64() % (1 << 20)
		if err := g.AddFingerprintHash(i%(1<<20), kinds[i&1], fraudgraph.HashFingerprint("x", string(rune(h)))^h); err != nil {
			b.Fatal(err)
		}
	}
}
