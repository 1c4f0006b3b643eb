package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
)

// tourFraudgraph builds a tiny referral graph with one self-referral ring,
// asks who is related to whom, explains a link and runs the signup and
// credit-grant checks.
func tourFraudgraph(w io.Writer) error {
	fmt.Fprintln(w, "fraudgraph: who is the same person — invites and shared fingerprints")
	g := fraudgraph.New(fraudgraph.Config{})
	at := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	// Account 1 invites 2 and 3 within minutes; all three use one card and
	// one emulator. Account 7 invites 8, an honest friend.
	for i, invitee := range []uint64{2, 3} {
		if err := g.AddInvite(1, invitee, at.Add(time.Duration(i+1)*5*time.Minute)); err != nil {
			return err
		}
	}
	for _, a := range []uint64{1, 2, 3} {
		_ = g.AddFingerprint(a, "card", "5500 0000 0000 0004")
		_ = g.AddFingerprint(a, "device", "emulator-42")
		_ = g.SetFlags(a, fraudgraph.FlagRedeemed)
	}
	_ = g.AddInvite(7, 8, at.Add(-40*24*time.Hour))
	_ = g.AddFingerprint(8, "card", "4111 1111 1111 1111")

	rel, err := g.Related(3, fraudgraph.Query{MaxHops: 2})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  related to 3 within 2 hops: %v\n", rel)
	ex, err := g.Explain(2, 3)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  why 2 and 3: %d hop(s), score %.2f, evidence %+v\n", ex.Hops, ex.Score, ex.Evidence)

	e := fraudgraph.NewEngine(g)
	if err := e.Register(fraudgraph.DefaultRules()...); err != nil {
		return err
	}
	ctx := context.Background()
	for _, in := range []fraudgraph.Input{
		{Event: fraudgraph.EventCreditGrant, Account: 3, Inviter: 1},
		{Event: fraudgraph.EventCreditGrant, Account: 8, Inviter: 7},
	} {
		d, err := e.Decide(ctx, in)
		if err != nil {
			return err
		}
		h, err := e.DecideHeavy(ctx, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  credit for %d (invited by %d): %v then %v\n", in.Account, in.Inviter, d.Action, h.Action)
		for _, f := range append(d.Findings, h.Findings...) {
			fmt.Fprintf(w, "    %s: %s\n", f.Rule, f.Reason)
		}
	}
	return nil
}
