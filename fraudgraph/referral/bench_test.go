package referral_test

import (
	"context"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
	"github.com/craftkit/craftkit/fraudgraph/referral"
)

// BenchmarkBacktest replays a generated history of 100,000 accounts with
// precomputed graph evidence; events/s is the replay rate on one
// goroutine.
func BenchmarkBacktest(b *testing.B) {
	b.ReportAllocs()
	ctx := context.Background()
	h := gen.GenerateHistory(gen.HistoryConfig{Config: gen.Config{Accounts: 100_000, Seed: 1}})
	g, err := h.Build(fraudgraph.Config{})
	if err != nil {
		b.Fatal(err)
	}
	f, err := referral.Precompute(ctx, g, h.Events)
	if err != nil {
		b.Fatal(err)
	}
	r := studyRules()
	start, cpu := time.Now(), processCPU()
	for b.Loop() {
		if _, err := referral.Backtest(ctx, r, referral.Replay{Events: h.Events, Features: f, Fraud: h.Fraud}); err != nil {
			b.Fatal(err)
		}
	}
	events := float64(len(h.Events)) * float64(b.N)
	b.ReportMetric(events/time.Since(start).Seconds(), "events/s")
	if c := processCPU(); cpu >= 0 && c > cpu {
		b.ReportMetric(events/(float64(c-cpu)/1e9), "events/cpu-s")
	}
}

// decisionGraph builds a generated graph of n accounts.
func decisionGraph(tb testing.TB, n int) (*gen.Dataset, *fraudgraph.Graph) {
	tb.Helper()
	d := gen.Generate(gen.Config{Accounts: n, Seed: 7})
	g, err := d.Build(fraudgraph.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	return d, g
}

// decide runs one live discount decision for invitee i (a signup, then
// the purchase that earns the discount) and returns the purchase's
// Process call.
func decideOne(p *referral.Programme, d *gen.Dataset, i int) error {
	id := uint64(i + 1)
	at := time.Unix(int64(d.Joined[i]), 0)
	if _, err := p.Process(context.Background(), referral.Event{Type: referral.Signup, At: at, Account: id, Inviter: uint64(d.Inviter[i])}); err != nil {
		return err
	}
	_, err := p.Process(context.Background(), referral.Event{Type: referral.Purchase, At: at.Add(time.Hour), Account: id, Amount: referral.Money{Minor: 40_00, Currency: "EUR"}})
	return err
}

// BenchmarkDecide times live decisions with money rules (signup plus
// the purchase deciding the discount: graph pair, signals and cluster
// queries) on 100,000 generated accounts.
func BenchmarkDecide(b *testing.B) {
	b.ReportAllocs()
	d, g := decisionGraph(b, 100_000)
	invited := invitees(d)
	var p *referral.Programme
	i := 0
	for b.Loop() {
		if i%len(invited) == 0 { // every invitee decided: start afresh
			b.StopTimer()
			var err error
			if p, err = referral.New(referral.Config{Rules: studyRules(), Graph: g}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		if err := decideOne(p, d, invited[i%len(invited)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func invitees(d *gen.Dataset) []int {
	var out []int
	for i, inv := range d.Inviter {
		if inv != 0 {
			out = append(out, i)
		}
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(out), func(a, b int) { out[a], out[b] = out[b], out[a] })
	return out
}

// TestDecisionLatency measures the latency distribution of live
// decisions with money rules on a large generated graph: wall and
// thread-CPU time of each purchase deciding a discount, on 100,000
// random invitees. It runs with CRAFTKIT_LONG=1; CRAFTKIT_REFERRAL_N sets
// the accounts (default 30,000,000, about 6 GiB). It reports, never
// asserts, times.
func TestDecisionLatency(t *testing.T) {
	if os.Getenv("CRAFTKIT_LONG") != "1" {
		t.Skip("set CRAFTKIT_LONG=1 to measure decision latency at scale")
	}
	n := 30_000_000
	if s := os.Getenv("CRAFTKIT_REFERRAL_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		n = v
	}
	start := time.Now()
	d, g := decisionGraph(t, n)
	t.Logf("built %d accounts in %v", n, time.Since(start).Round(time.Second))
	invited := invitees(d)
	p, err := referral.New(referral.Config{Rules: studyRules(), Graph: g})
	if err != nil {
		t.Fatal(err)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const samples = 100_000
	wall := make([]time.Duration, 0, samples)
	cpu := make([]time.Duration, 0, samples)
	for i := range min(samples, len(invited)) {
		a := invited[i]
		id := uint64(a + 1)
		at := time.Unix(int64(d.Joined[a]), 0)
		if _, err := p.Process(context.Background(), referral.Event{Type: referral.Signup, At: at, Account: id, Inviter: uint64(d.Inviter[a])}); err != nil {
			t.Fatal(err)
		}
		ev := referral.Event{Type: referral.Purchase, At: at.Add(time.Hour), Account: id, Amount: referral.Money{Minor: 40_00, Currency: "EUR"}}
		c0, w0 := threadCPU(), time.Now()
		out, err := p.Process(context.Background(), ev)
		w1, c1 := time.Now(), threadCPU()
		if err != nil || len(out.Credits) == 0 {
			t.Fatalf("Process(%+v) = %+v, %v", ev, out, err)
		}
		wall = append(wall, w1.Sub(w0))
		cpu = append(cpu, time.Duration(c1-c0))
	}
	q := func(s []time.Duration, f float64) time.Duration {
		return s[min(len(s)-1, int(f*float64(len(s))))]
	}
	slices.Sort(wall)
	slices.Sort(cpu)
	t.Logf("%d accounts, %d decisions: wall p50 %v p90 %v p99 %v max %v; thread CPU p50 %v p90 %v p99 %v max %v (clock read included)",
		n, len(wall), q(wall, .5), q(wall, .9), q(wall, .99), wall[len(wall)-1], q(cpu, .5), q(cpu, .9), q(cpu, .99), cpu[len(cpu)-1])
}
