// Command fraudgraph generates accounts with planted referral-fraud rings,
// runs checks at signup and checkout, prints flagged accounts with their
// explanations, and scores ring detection against the ground truth.
//
//	go run ./examples/fraudgraph            # 200,000 accounts, under a second
//	go run ./examples/fraudgraph -n 1000000 # the million accounts
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
)

func main() {
	n := flag.Int("n", 200_000, "accounts to generate")
	seed := flag.Uint64("seed", 1, "generator seed")
	flag.Parse()
	if err := run(os.Stdout, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "fraudgraph:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, n int, seed uint64) error {
	start := time.Now()
	d := gen.Generate(gen.Config{Accounts: n, Seed: seed})
	g, err := d.Build(fraudgraph.Config{})
	if err != nil {
		return err
	}
	st := g.Stats()
	fmt.Fprintf(w, "generated and built %d accounts (%d rings planted, %d shared fingerprints) in %v, %.0f bytes/account\n",
		st.Accounts, d.Rings, st.SharedFingerprints, time.Since(start).Round(time.Millisecond), float64(st.Bytes)/float64(st.Accounts))

	// Checks: the last 2% of signups are checked at signup (light rules
	// inline, the heavy ring rule on the async runner) and at checkout.
	e := fraudgraph.NewEngine(g)
	if err := e.Register(fraudgraph.DefaultRules()...); err != nil {
		return err
	}
	ctx := context.Background()
	var flagged []fraudgraph.Decision
	heavy := make(chan fraudgraph.Decision, n)
	r := fraudgraph.NewRunner(ctx, e, fraudgraph.RunnerConfig{Queue: 4096, OnDecision: func(dec fraudgraph.Decision, _ error) {
		heavy <- dec
	}})
	first := n - n/50
	checked := 0
	for id := first + 1; id <= n; id++ {
		in := fraudgraph.Input{Event: fraudgraph.EventSignup, Account: uint64(id), Inviter: uint64(d.Inviter[id-1])}
		dec, err := e.Decide(ctx, in)
		if err != nil {
			return err
		}
		if dec.Action != fraudgraph.ActionAllow {
			flagged = append(flagged, dec)
		}
		for errors.Is(r.Submit(in), fraudgraph.ErrQueueFull) {
			time.Sleep(time.Millisecond)
		}
		checked++
	}
	if err := r.Close(); err != nil {
		return err
	}
	close(heavy)
	for dec := range heavy {
		if dec.Action != fraudgraph.ActionAllow {
			flagged = append(flagged, dec)
		}
	}
	for id := first + 1; id <= n; id++ {
		dec, err := e.Decide(ctx, fraudgraph.Input{Event: fraudgraph.EventCheckout, Account: uint64(id)})
		if err != nil {
			return err
		}
		if dec.Action != fraudgraph.ActionAllow {
			flagged = append(flagged, dec)
		}
	}
	fmt.Fprintf(w, "checked %d signups and checkouts: %d decisions beyond allow\n", checked, len(flagged))
	for i, dec := range flagged[:min(4, len(flagged))] {
		truth := "legitimate"
		if d.Fraud(dec.Input.Account) {
			truth = "planted ring member"
		}
		fmt.Fprintf(w, "\n%d. account %d at %s -> %s (%s)\n", i+1, dec.Input.Account, dec.Input.Event, dec.Action, truth)
		for _, f := range dec.Findings {
			fmt.Fprintf(w, "   %s: %s\n", f.Rule, f.Reason)
		}
		if err := explainNeighbour(w, g, dec.Input.Account); err != nil {
			return err
		}
	}

	// Reviews from the ground truth give per-rule precision.
	for _, dec := range flagged {
		_ = e.RecordReview(dec.Input.Account, d.Fraud(dec.Input.Account))
	}
	fmt.Fprintf(w, "\n%-20s %6s %9s %9s\n", "rule", "fired", "reviewed", "precision")
	for _, s := range e.RuleStats() {
		fmt.Fprintf(w, "%-20s %6d %9d %9.2f\n", s.Rule, s.Fired, s.Reviewed, s.Precision())
	}

	// Ring detection over the whole graph against the planted rings.
	fmt.Fprintf(w, "\nring detection (accounts that redeemed credits, 2 hops)\n%-9s %6s %9s %7s %6s\n", "min score", "rings", "precision", "recall", "time")
	for _, ms := range []float64{0.8, 0.9, 0.95} {
		t := time.Now()
		rings, err := g.Rings(ctx, fraudgraph.RingQuery{MinScore: ms})
		if err != nil {
			return err
		}
		in := map[uint64]bool{}
		for _, rg := range rings {
			for _, a := range rg.Accounts {
				in[a] = true
			}
		}
		s := d.Evaluate(func(id uint64) bool { return in[id] })
		fmt.Fprintf(w, "%-9.2f %6d %9.3f %7.3f %6v\n", ms, len(rings), s.Precision, s.Recall, time.Since(t).Round(time.Millisecond))
	}
	return nil
}

// explainNeighbour explains the link to the closest related account.
func explainNeighbour(w io.Writer, g *fraudgraph.Graph, a uint64) error {
	rel, err := g.Related(a, fraudgraph.Query{MaxHops: 2})
	if err != nil || len(rel) == 0 {
		return err
	}
	ex, err := g.Explain(a, rel[0].Account)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   linked to %d (%d related within 2 hops), score %.2f:", rel[0].Account, len(rel), ex.Score)
	for _, e := range ex.Evidence {
		if e.Shared > 0 {
			fmt.Fprintf(w, " %d shared %s", e.Shared, e.Kind)
		}
	}
	fmt.Fprintln(w)
	for _, s := range ex.Paths[0] {
		fmt.Fprintf(w, "     %d -> %d by %s", s.From, s.To, s.Kind)
		if s.Fingerprint != 0 {
			fmt.Fprintf(w, " %016x", s.Fingerprint)
		}
		fmt.Fprintln(w)
	}
	return nil
}
