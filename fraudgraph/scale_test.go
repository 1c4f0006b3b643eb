package fraudgraph_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
)

// TestScale30M measures the figures on a generated graph. It runs
// only with CRAFTKIT_LONG=1 and needs about 6 GiB; CRAFTKIT_FG_N sets the
// number of accounts (default 30,000,000) and CRAFTKIT_FG_DROP=1 builds with
// Config.DropUnshared.
func TestScale30M(t *testing.T) {
	if os.Getenv("CRAFTKIT_LONG") != "1" {
		t.Skip("set CRAFTKIT_LONG=1 to run the 30M-account measurement")
	}
	n := 30_000_000
	if s := os.Getenv("CRAFTKIT_FG_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		n = v
	}
	cfg := fraudgraph.Config{DropUnshared: os.Getenv("CRAFTKIT_FG_DROP") == "1"}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	h0 := heap() // before the dataset, which is released before h1
	start := time.Now()
	d := gen.Generate(gen.Config{Accounts: n, Seed: 42})
	links := 0
	for _, inv := range d.Inviter {
		if inv != 0 {
			links++
		}
	}
	links += len(d.FPAccount)
	t.Logf("generated %d accounts, %d invites+fingerprint links in %v", n, links, time.Since(start))
	lastJoined := time.Unix(int64(d.Joined[n-1]), 0)
	// Hash the fingerprint values first (what a loader reading strings
	// does), then time the Builder on its own, as Dataset.Build would run
	// it.
	cpu0 := processCPU()
	start = time.Now()
	hashes := make([]uint64, len(d.FPAccount))
	for i := range hashes {
		hashes[i] = d.Hash(i)
	}
	hashing := time.Since(start)
	start = time.Now()
	b := fraudgraph.NewBuilder(cfg)
	b.Grow(n, n, len(d.FPAccount))
	for i := range n {
		b.AddAccount(uint64(i+1), time.Unix(int64(d.Joined[i]), 0))
	}
	for i, inv := range d.Inviter {
		if inv != 0 {
			b.AddInvite(uint64(inv), uint64(i+1), time.Unix(int64(d.Joined[i]), 0))
		}
	}
	for i, h := range hashes {
		b.AddFingerprintHash(uint64(d.FPAccount[i]), gen.KindName(d.FPKind[i]), h)
	}
	g, err := b.Graph()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.MarkRedeemed(g); err != nil {
		t.Fatal(err)
	}
	build := time.Since(start)
	cpu := time.Duration(processCPU() - cpu0)
	hashes = nil
	t.Logf("hashing %d fingerprint values: %v; build with hashing: %v (%.1fM links/s), CPU %v (%.1fM links per CPU-second)",
		len(d.FPAccount), hashing, hashing+build, float64(links)/(hashing+build).Seconds()/1e6, cpu, float64(links)/cpu.Seconds()/1e6)
	batchBuild(t, d, cfg, links)
	d = nil // the dataset is no longer needed
	h1 := heap()
	st := g.Stats()
	t.Logf("build: %v (%.1fM links/s) for %d accounts", build, float64(links)/build.Seconds()/1e6, n)
	t.Logf("memory: heap %.1f B/account (Stats.Bytes %.1f B/account); fingerprint table %d entries, %.1f B/entry; %d shared fingerprints",
		float64(h1-h0)/float64(n), float64(st.Bytes)/float64(n), st.Fingerprints, float64(st.TableBytes)/float64(st.Fingerprints), st.SharedFingerprints)
	t.Logf("stats: %+v", st)

	rng := rand.New(rand.NewPCG(1, 2))
	measure := func(name string, k int, f func(a uint64)) time.Duration {
		lat := make([]time.Duration, k)
		for i := range k {
			a := uint64(rng.IntN(n) + 1)
			t0 := time.Now()
			f(a)
			lat[i] = time.Since(t0)
		}
		slices.Sort(lat)
		t.Logf("%s: p50 %v p90 %v p99 %v max %v (%d queries)", name, lat[k/2], lat[k*9/10], lat[k*99/100], lat[k-1], k)
		return lat[k/2]
	}
	sizes := 0
	measure("related 2 hops", 200_000, func(a uint64) {
		r, err := g.Related(a, fraudgraph.Query{MaxHops: 2})
		if err != nil {
			t.Fatal(err)
		}
		sizes += len(r)
	})
	t.Logf("related 2 hops: %.1f accounts on average", float64(sizes)/200_000)
	// Explain pairs within 4 hops: b is a random account 1..4 hops from a.
	pairs := make([][2]uint64, 0, 50_000)
	for len(pairs) < cap(pairs) {
		a := uint64(rng.IntN(n) + 1)
		r, _ := g.Related(a, fraudgraph.Query{MaxHops: 4, Window: -1, MaxVisits: 2000})
		if len(r) > 0 {
			pairs = append(pairs, [2]uint64{a, r[rng.IntN(len(r))].Account})
		}
	}
	i := 0
	measure("explain within 4 hops", len(pairs), func(uint64) {
		if _, err := g.Explain(pairs[i][0], pairs[i][1]); err != nil {
			t.Fatal(err)
		}
		i++
	})

	// Inserts while a reader queries.
	base := measure("related 2 hops (idle, before inserts)", 100_000, func(a uint64) { _, _ = g.Related(a, fraudgraph.Query{}) })
	var stop atomic.Bool
	var wg sync.WaitGroup
	var lat []time.Duration
	wg.Add(1)
	go func() {
		defer wg.Done()
		r := rand.New(rand.NewPCG(5, 6))
		for !stop.Load() {
			a := uint64(r.IntN(n) + 1)
			t0 := time.Now()
			_, _ = g.Related(a, fraudgraph.Query{})
			lat = append(lat, time.Since(t0))
		}
	}()
	start = time.Now()
	inserts := 0
	next := uint64(n + 1)
	for time.Since(start) < 5*time.Second {
		for range 1000 {
			at := lastJoined.Add(time.Duration(inserts) * time.Second)
			if err := g.AddInvite(uint64(rng.IntN(n)+1), next, at); err != nil {
				t.Fatal(err)
			}
			if err := g.AddFingerprint(next, "device", fmt.Sprint("dev", rng.IntN(n))); err != nil {
				t.Fatal(err)
			}
			if err := g.AddFingerprint(next, "ip", fmt.Sprint("ip", rng.IntN(n))); err != nil {
				t.Fatal(err)
			}
			inserts += 3
			next++
		}
	}
	el := time.Since(start)
	stop.Store(true)
	wg.Wait()
	slices.Sort(lat)
	t.Logf("live: %d inserts in %v = %.0f inserts/s; concurrent related p50 %v p99 %v (%d queries), idle p50 %v, ratio %.2f; stats %+v",
		inserts, el, float64(inserts)/el.Seconds(), lat[len(lat)/2], lat[len(lat)*99/100], len(lat), base,
		float64(lat[len(lat)/2])/float64(base), g.Stats())
	// Snapshot write and load, through a file.
	path := filepath.Join(t.TempDir(), "graph.snap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	size, err := g.WriteTo(f)
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("snapshot: %d bytes written in %v", size, time.Since(start))
	want := g.Stats().Accounts
	g = nil
	heap()
	f, err = os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	start = time.Now()
	g2, err := fraudgraph.Load(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("snapshot: loaded in %v", time.Since(start))
	if got := g2.Stats().Accounts; got != want {
		t.Fatalf("loaded %d accounts, want %d", got, want)
	}
	measure("related 2 hops (loaded snapshot)", 100_000, func(a uint64) { _, _ = g2.Related(a, fraudgraph.Query{}) })
}

// batchBuild times a bulk build from fingerprint strings with
// Builder.AddFingerprints (hashing included), in wall and CPU time, and
// drops everything it built.
func batchBuild(t *testing.T, d *gen.Dataset, cfg fraudgraph.Config, links int) {
	t.Helper()
	n := d.Accounts()
	ps := make([]fraudgraph.Presentation, len(d.FPAccount))
	for i := range ps {
		ps[i] = fraudgraph.Presentation{Account: uint64(d.FPAccount[i]), Kind: gen.KindName(d.FPKind[i]), Value: d.Value(i)}
	}
	runtime.GC()
	cpu0 := processCPU()
	start := time.Now()
	b := fraudgraph.NewBuilder(cfg)
	b.Grow(n, n, len(ps))
	for i := range n {
		b.AddAccount(uint64(i+1), time.Unix(int64(d.Joined[i]), 0))
	}
	for i, inv := range d.Inviter {
		if inv != 0 {
			b.AddInvite(uint64(inv), uint64(i+1), time.Unix(int64(d.Joined[i]), 0))
		}
	}
	b.AddFingerprints(ps)
	if _, err := b.Graph(); err != nil {
		t.Fatal(err)
	}
	wall, cpu := time.Since(start), time.Duration(processCPU()-cpu0)
	t.Logf("batch build from strings (AddFingerprints, GOMAXPROCS %d): %v (%.1fM links/s), CPU %v (%.1fM links per CPU-second)",
		runtime.GOMAXPROCS(0), wall, float64(links)/wall.Seconds()/1e6, cpu, float64(links)/cpu.Seconds()/1e6)
}
