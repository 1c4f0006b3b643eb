package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/craftkit/craftkit/examples/internal/cli"
	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
	"github.com/craftkit/craftkit/fraudgraph/referral"
)

// programmeRules are the referral programme's terms, as a programme
// would store them.
const programmeRules = `{
  "currency": "EUR",
  "discount": 1000, "min_spend": 3000,
  "reward": 1500, "friends_per_reward": 2,
  "inviter_cap": 15000, "cluster_cap": 6000, "window": "720h"
}`

// programme runs a referral programme over a generated history with
// households, family invites and heavy inviters: live decisions with
// reasons, a tolerated household, a budget hit, a review task, the top
// inviters, and a backtest of the rules against the unprotected
// baseline.
func programme(w io.Writer, n int, seed uint64, p *cli.Progress) error {
	rules, err := referral.ParseRules([]byte(programmeRules))
	if err != nil {
		return err
	}
	p.Stagef("generating a referral history of %d accounts", n)
	h := gen.GenerateHistory(gen.HistoryConfig{Config: gen.Config{Accounts: n, Seed: seed}})
	g, err := h.Build(fraudgraph.Config{})
	if err != nil {
		return err
	}
	m := func(v int64) referral.Money { return referral.Money{Minor: v, Currency: rules.Currency} }
	fmt.Fprintf(w, "\nreferral programme: discount %v on a first purchase of %v, reward %v per %d friends,\n"+
		"inviter cap %v and identity-cluster cap %v per %v; %d events, %d honest heavy inviters\n",
		m(rules.Discount), m(rules.MinSpend), m(rules.Reward), rules.FriendsPerReward, m(rules.InviterCap), m(rules.ClusterCap), rules.Window, len(h.Events), len(h.Heavy))

	ctx := context.Background()
	var sink referral.MemorySink
	prog, err := referral.New(referral.Config{Rules: rules, Graph: g, Sink: &sink})
	if err != nil {
		return err
	}
	var tolerated, budget, task *referral.Credit
	var exposure referral.Exposure
	credits, withheld := 0, 0
	for i, ev := range h.Events {
		if i%100_000 == 0 {
			p.Stagef("deciding credits live: event %d of %d", i, len(h.Events))
		}
		out, err := prog.Process(ctx, ev)
		if err != nil {
			return err
		}
		for _, c := range out.Credits {
			credits++
			if !c.Paid {
				withheld++
			}
			switch {
			case tolerated == nil && c.Tolerated && c.Paid:
				tolerated = &c
			case budget == nil && hasRule(c, "cluster-cap", "inviter-cap"):
				budget = &c
				// What the account's cluster can still get, right now.
				if exposure, err = prog.Exposure(ctx, c.Account, ev.At); err != nil {
					return err
				}
			case task == nil && c.Task != 0 && h.Fraud(c.Account):
				task = &c
			}
		}
	}
	fmt.Fprintf(w, "decided %d credits live, %d withheld\n", credits, withheld)
	if tolerated != nil {
		fmt.Fprintf(w, "\ntolerated household: %s of %v to %d (invited by %d), paid\n", tolerated.Type, tolerated.Amount, tolerated.Account, tolerated.Inviter)
		printReasons(w, *tolerated)
	}
	if budget != nil {
		fmt.Fprintf(w, "\nbudget hit: %s of %v to %d withheld\n", budget.Type, budget.Amount, budget.Account)
		printReasons(w, *budget)
		x := exposure
		fmt.Fprintf(w, "  exposure %s to %s: cluster paid %v of %v, as inviter %v of %v, programme %v\n",
			x.Start.Format(time.DateOnly), x.End.Format(time.DateOnly), x.Cluster.Paid, x.Cluster.Cap, x.Inviter.Paid, x.Inviter.Cap, x.Programme.Paid)
	}
	if task != nil {
		t, _, _ := prog.Task(task.Task)
		fmt.Fprintf(w, "\nreview task %d: account %d (invited by %d), %s, %v at stake, rules %v, signal kinds %v\n",
			t.ID, t.Account, t.Inviter, t.Action, t.Grounds.Stake, t.Rules, t.Grounds.Kinds)
		for _, path := range t.Grounds.Paths {
			var steps []string
			for _, s := range path {
				steps = append(steps, fmt.Sprintf("%d-%s-%d", s.From, s.Kind, s.To))
			}
			fmt.Fprintf(w, "  path %s\n", strings.Join(steps, " "))
		}
		// The reviewer's verdict supersedes the status; the history keeps both.
		if err := prog.Review(referral.Verdict{Task: t.ID, Reviewer: "reviewer-1", At: t.Opened.Add(time.Hour), Fraud: h.Fraud(t.Account)}); err != nil {
			return err
		}
		for _, st := range prog.History(t.Account) {
			fmt.Fprintf(w, "  status %s by %s at %s\n", st.Action, st.By, st.At.Format(time.DateTime))
			for _, r := range st.Reasons {
				fmt.Fprintf(w, "    %s: %s\n", r.Rule, r.Detail)
			}
		}
	}
	fmt.Fprintln(w, "\ntop inviters by credits redeemed through them")
	for _, inv := range prog.TopInviters(3, referral.ByRedeemed) {
		fmt.Fprintf(w, "  %d: %d invites, %d friends paid, %v redeemed, status %s\n", inv.Account, inv.Invites, inv.Friends, inv.Redeemed, inv.Status.Action)
	}

	p.Stagef("backtesting the rules on %d events", len(h.Events))
	f, err := referral.Precompute(ctx, g, h.Events)
	if err != nil {
		return err
	}
	off := rules
	off.Policy.Off = true
	fmt.Fprintf(w, "\nbacktest against the planted rings\n%-12s %14s %14s %16s %8s %7s\n", "rules", "lost to rings", "saved", "wrongly withheld", "reviews", "blocks")
	for _, r := range []struct {
		name  string
		rules referral.Rules
	}{{"unprotected", off}, {"protected", rules}} {
		rep, err := referral.Backtest(ctx, r.rules, referral.Replay{Events: h.Events, Features: f, Fraud: h.Fraud})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%-12s %14v %14v %16v %8d %7d\n", r.name, rep.Lost, rep.Saved, rep.WronglyWithheld,
			rep.Actions[fraudgraph.ActionReview], rep.Actions[fraudgraph.ActionBlockCredit]+rep.Actions[fraudgraph.ActionRemoveReferral]+rep.Actions[fraudgraph.ActionBan])
	}
	return nil
}

func hasRule(c referral.Credit, rules ...string) bool {
	for _, r := range c.Reasons {
		for _, want := range rules {
			if r.Rule == want {
				return true
			}
		}
	}
	return false
}

func printReasons(w io.Writer, c referral.Credit) {
	for _, r := range c.Reasons {
		fmt.Fprintf(w, "  %s: %s\n", r.Rule, r.Detail)
	}
}
