// Command fraudgraph generates accounts with planted referral-fraud rings,
// runs checks at signup and checkout, prints flagged accounts with their
// explanations, and scores ring detection against the ground truth. It
// then runs a referral programme (fraudgraph/referral) over a generated
// purchase history: its rules as data, a tolerated household, a budget
// hit with the exposure behind it, a review task with its evidence and
// status history, the top inviters, and a backtest of the rules against
// the unprotected baseline.
//
//	go run ./examples/fraudgraph            # 200,000 accounts, a few seconds
//	go run ./examples/fraudgraph -n 1000000 # the million accounts
//
// Flags are checked before any work: -n must lie in [minAccounts,
// maxAccounts]; bad values and stray arguments print the usage and exit
// with status 2, -h prints it and exits with 0. Runs longer than about two
// seconds report their progress on standard error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/craftkit/craftkit/examples/internal/cli"
	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
)

// Bounds of -n: the checks run on the last 2% of signups, so fewer than
// minAccounts would check next to nothing; maxAccounts keeps a run within
// a few GB of memory.
const (
	minAccounts = 100
	maxAccounts = 10_000_000
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, 2*time.Second))
}

// run runs the command with args and returns its exit status: 0 on
// success and for -h, 2 for bad flags, 1 when the run fails. Progress goes
// to stderr every tick while the run lasts longer than a tick.
func run(args []string, stdout, stderr io.Writer, tick time.Duration) int {
	fs := cli.NewFlagSet("fraudgraph", stderr, "usage: fraudgraph [-n accounts] [-seed seed]\n\n"+
		"Generates accounts with planted fraud rings, checks the last 2% of signups,\n"+
		"explains flagged accounts and scores ring detection.\n\n")
	n := fs.Int("n", 200_000, fmt.Sprintf("`accounts` to generate, %d to %d", minAccounts, maxAccounts))
	seed := fs.Uint64("seed", 1, "generator `seed` (any value; the same seed gives the same run)")
	if err := fs.Parse(args); err != nil {
		return cli.ParseStatus(err)
	}
	prog := cli.Program{Name: "fraudgraph", Stderr: stderr, Usage: fs.Usage}
	if fs.NArg() > 0 {
		return prog.UsageError(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if *n < minAccounts || *n > maxAccounts {
		return prog.UsageError(fmt.Errorf("-n %d out of range: want %d to %d accounts", *n, minAccounts, maxAccounts))
	}
	p := cli.StartProgress(stderr, "fraudgraph", tick)
	err := demo(stdout, *n, *seed, p)
	p.Stop()
	return prog.Exit(err)
}

// demo generates n accounts, checks and explains them, detects rings and
// runs the referral programme, reporting its stage on p.
func demo(w io.Writer, n int, seed uint64, p *cli.Progress) error {
	if n < minAccounts || n > maxAccounts {
		return fmt.Errorf("%d accounts out of range %d to %d", n, minAccounts, maxAccounts)
	}
	start := time.Now()
	p.Stagef("generating %d accounts", n)
	d := gen.Generate(gen.Config{Accounts: n, Seed: seed})
	p.Stagef("building the graph of %d accounts", n)
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
	first := n - n/50
	heavy := make(chan fraudgraph.Decision, n-first) // one decision per submitted signup
	r := fraudgraph.NewRunner(e, fraudgraph.RunnerConfig{Queue: 4096, OnDecision: func(dec fraudgraph.Decision, _ error) {
		heavy <- dec
	}})
	ran := make(chan error, 1)
	go func() { ran <- r.Run(ctx) }()
	checked := 0
	for id := first + 1; id <= n; id++ {
		if (id-first)%1000 == 0 {
			p.Stagef("checking signups: %d of %d", id-first, n-first)
		}
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
	if err := <-ran; err != nil {
		return err
	}
	close(heavy)
	for dec := range heavy {
		if dec.Action != fraudgraph.ActionAllow {
			flagged = append(flagged, dec)
		}
	}
	p.Stagef("checking checkouts")
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
		p.Stagef("detecting rings at min score %.2f", ms)
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
	return programme(w, n, seed, p)
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
		if s.Kind != fraudgraph.KindInvite {
			fmt.Fprintf(w, " %016x", s.Fingerprint)
		}
		fmt.Fprintln(w)
	}
	return nil
}
