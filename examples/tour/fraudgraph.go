package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/referral"
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
	fmt.Fprintln(w, "  related to 3 within 2 hops:")
	for _, r := range rel {
		fmt.Fprintf(w, "    account %d, %d hop(s), first reached by %s\n", r.Account, r.Hops, r.Kind)
	}
	ex, err := g.Explain(2, 3)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  why 2 and 3: %d hop(s), score %.2f\n", ex.Hops, ex.Score)
	for _, ev := range ex.Evidence {
		if ev.Shared > 0 {
			fmt.Fprintf(w, "    they share %d %s\n", ev.Shared, ev.Kind)
		}
	}

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
		fmt.Fprintf(w, "  credit for %d (invited by %d): quick rules say %v, heavy (ring) rules say %v\n", in.Account, in.Inviter, d.Action, h.Action)
		for _, f := range append(d.Findings, h.Findings...) {
			fmt.Fprintf(w, "    %s: %s\n", f.Rule, f.Reason)
		}
	}
	return tourReferral(w)
}

// tourReferral runs a referral programme's money rules over a family that
// shares a card and an address (tolerated) and an inviter whose invitee
// pays with the inviter's card (credit blocked).
func tourReferral(w io.Writer) error {
	fmt.Fprintln(w, "  a referral programme: 10 EUR off a first order of 30 EUR or more")
	rules, err := referral.ParseRules([]byte(`{"currency": "EUR", "discount": 1000, "min_spend": 3000,
		"reward": 1500, "friends_per_reward": 2, "inviter_cap": 15000, "window": "720h"}`))
	if err != nil {
		return err
	}
	at := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	g := fraudgraph.New(fraudgraph.Config{})
	_ = g.AddInvite(1, 2, at)
	for _, a := range []uint64{1, 2} {
		_ = g.AddFingerprint(a, "card", "4111-family")
		_ = g.AddFingerprint(a, fraudgraph.HouseholdKind, "12 Elm Street")
	}
	_ = g.AddInvite(4, 5, at)
	_ = g.AddFingerprint(4, "card", "5500-four")
	_ = g.AddFingerprint(5, "card", "5500-four")
	p, err := referral.New(referral.Config{Rules: rules, Graph: g})
	if err != nil {
		return err
	}
	eur := func(minor int64) referral.Money { return referral.Money{Minor: minor, Currency: "EUR"} }
	ctx := context.Background()
	for _, ev := range []referral.Event{
		{Type: referral.Signup, At: at, Account: 2, Inviter: 1},
		{Type: referral.Purchase, At: at, Account: 2, Amount: eur(42_00)},
		{Type: referral.Signup, At: at, Account: 5, Inviter: 4},
		{Type: referral.Purchase, At: at, Account: 5, Amount: eur(35_00)},
	} {
		out, err := p.Process(ctx, ev)
		if err != nil {
			return err
		}
		for _, c := range out.Credits {
			fmt.Fprintf(w, "    %s of %v to %d: %s\n", c.Type, c.Amount, c.Account, c.Action)
			for _, r := range c.Reasons {
				fmt.Fprintf(w, "      %s: %s\n", r.Rule, r.Detail)
			}
		}
	}
	return nil
}
