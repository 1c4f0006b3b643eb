package referral_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
	"github.com/craftkit/craftkit/fraudgraph/referral"
)

var at = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

func eur(minor int64) referral.Money { return referral.Money{Minor: minor, Currency: "EUR"} }

// family builds a graph where 1 invited 2 and 3 (a family sharing a card
// and an address, joining months apart) and 4 invited 5, who pays with
// 4's card.
func family() *fraudgraph.Graph {
	g := fraudgraph.New(fraudgraph.Config{})
	_ = g.AddInvite(1, 2, at)
	_ = g.AddInvite(1, 3, at.Add(90*24*time.Hour))
	for _, a := range []uint64{1, 2, 3} {
		_ = g.AddFingerprint(a, "card", "4111-family")
		_ = g.AddFingerprint(a, fraudgraph.HouseholdKind, "12 Elm Street")
	}
	_ = g.AddInvite(4, 5, at)
	_ = g.AddFingerprint(4, "card", "5500-four")
	_ = g.AddFingerprint(5, "card", "5500-four")
	return g
}

func ExampleProgramme_Process() {
	rules, err := referral.ParseRules([]byte(`{"currency": "EUR", "discount": 1000, "min_spend": 3000,
		"reward": 1500, "friends_per_reward": 2, "inviter_cap": 15000, "window": "720h"}`))
	if err != nil {
		panic(err)
	}
	p, err := referral.New(referral.Config{Rules: rules, Graph: family()})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	for _, ev := range []referral.Event{
		{Type: referral.Signup, At: at, Account: 2, Inviter: 1},
		{Type: referral.Purchase, At: at, Account: 2, Amount: eur(25_00)}, // below the minimum spend
		{Type: referral.Purchase, At: at, Account: 2, Amount: eur(42_00)},
		{Type: referral.Signup, At: at, Account: 5, Inviter: 4},
		{Type: referral.Purchase, At: at, Account: 5, Amount: eur(35_00)},
	} {
		out, err := p.Process(ctx, ev)
		if err != nil {
			panic(err)
		}
		for _, c := range out.Credits {
			fmt.Printf("%s of %v to %d: %s (paid %v)\n", c.Type, c.Amount, c.Account, c.Action, c.Paid)
			for _, r := range c.Reasons {
				fmt.Printf("  %s: %s\n", r.Rule, r.Detail)
			}
		}
	}
	// Output:
	// discount of 10.00 EUR to 2: allow (paid true)
	//   household-tolerance: inviter 1 shares [card household] within a household; 0 credits tolerated so far
	// discount of 10.00 EUR to 5: block-credit (paid false)
	//   self-referral: inviter 4 shares [card] with the invitee (score 0.90)
}

func ExampleProgramme_Exposure() {
	p, _ := referral.New(referral.Config{Graph: family(), Rules: referral.Rules{
		Currency: "EUR", Discount: 10_00, Reward: 15_00, FriendsPerReward: 1, ClusterCap: 30_00}})
	ctx := context.Background()
	for _, ev := range []referral.Event{
		{Type: referral.Signup, At: at, Account: 2, Inviter: 1},
		{Type: referral.Signup, At: at, Account: 3, Inviter: 1},
		{Type: referral.Purchase, At: at, Account: 2, Amount: eur(40_00)},
		{Type: referral.Purchase, At: at, Account: 3, Amount: eur(40_00)},
	} {
		out, _ := p.Process(ctx, ev)
		for _, c := range out.Credits {
			fmt.Printf("%s to %d: paid %v", c.Type, c.Account, c.Paid)
			for _, r := range c.Reasons {
				fmt.Printf(", %s", r.Rule)
			}
			fmt.Println()
		}
	}
	x, err := p.Exposure(ctx, 1, at)
	if err != nil {
		panic(err)
	}
	fmt.Printf("cluster of %d paid %v of %v, at most %v more\n", x.ClusterSize, x.Cluster.Paid, x.Cluster.Cap, x.Cluster.WorstCase)
	// Output:
	// discount to 2: paid true, household-tolerance
	// reward to 1: paid true
	// discount to 3: paid false, cluster-cap, household-tolerance
	// cluster of 3 paid 25.00 EUR of 30.00 EUR, at most 0.00 EUR more

}

func ExampleProgramme_Review() {
	p, _ := referral.New(referral.Config{Graph: family(), Rules: referral.Rules{Currency: "EUR", Discount: 10_00}})
	ctx := context.Background()
	_, _ = p.Process(ctx, referral.Event{Type: referral.Signup, At: at, Account: 5, Inviter: 4})
	out, _ := p.Process(ctx, referral.Event{Type: referral.Purchase, At: at, Account: 5, Amount: eur(35_00)})
	task, _, _ := p.Task(out.Credits[0].Task)
	fmt.Printf("task %d: account %d, %s, kinds %v, %d path(s)\n", task.ID, task.Account, task.Action, task.Grounds.Kinds, len(task.Grounds.Paths))

	// The customer writes in; a reviewer clears the account.
	if err := p.Review(referral.Verdict{Task: task.ID, Reviewer: "ana", At: at.Add(2 * time.Hour), Note: "same person, new card"}); err != nil {
		panic(err)
	}
	for _, st := range p.History(5) {
		fmt.Printf("%s by %s: %s", st.Action, st.By, st.Reasons[0].Rule)
		if st.SupersededBy != "" {
			fmt.Printf(" (superseded by %s at %s)", st.SupersededBy, st.SupersededAt.Format(time.Kitchen))
		}
		fmt.Println()
	}
	for _, s := range p.KindStats() {
		fmt.Printf("%s: %d reviewed, precision %.2f\n", s.Name, s.Reviewed, s.Precision())
	}
	v, _ := p.ReviewVolume(at, at.Add(24*time.Hour), eur(3_00))
	fmt.Printf("%d task(s), cost %v\n", v.Tasks, v.Cost)
	// Output:
	// task 1: account 5, block-credit, kinds [card], 2 path(s)
	// block-credit by programme: self-referral (superseded by ana at 2:00PM)
	// allow by ana: review
	// card: 1 reviewed, precision 0.00
	// 1 task(s), cost 3.00 EUR
}

func ExampleOpenFile() {
	dir, _ := os.MkdirTemp("", "referral")
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "reviews.jsonl")

	sink, err := referral.OpenFile(name)
	if err != nil {
		panic(err)
	}
	p, _ := referral.New(referral.Config{Graph: family(), Rules: referral.Rules{Currency: "EUR", Discount: 10_00}, Sink: sink})
	ctx := context.Background()
	_, _ = p.Process(ctx, referral.Event{Type: referral.Signup, At: at, Account: 5, Inviter: 4})
	_, _ = p.Process(ctx, referral.Event{Type: referral.Purchase, At: at, Account: 5, Amount: eur(35_00)})
	_ = sink.Close()

	// After a restart: reopen the journal and restore.
	sink, err = referral.OpenFile(name)
	if err != nil {
		panic(err)
	}
	defer sink.Close()
	q, _ := referral.New(referral.Config{Graph: family(), Rules: referral.Rules{Currency: "EUR", Discount: 10_00}, Sink: sink})
	if err := q.Restore(sink.Records()); err != nil {
		panic(err)
	}
	st, _ := q.Current(5)
	fmt.Printf("%d records; account 5: %s (%s)\n", len(sink.Records()), st.Action, st.Reasons[0].Detail)
	// Output:
	// 2 records; account 5: block-credit (inviter 4 shares [card] with the invitee (score 0.90))
}

func ExampleBacktest() {
	h := gen.GenerateHistory(gen.HistoryConfig{Config: gen.Config{Accounts: 20_000, Seed: 1}})
	g, err := h.Build(fraudgraph.Config{})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	f, err := referral.Precompute(ctx, g, h.Events)
	if err != nil {
		panic(err)
	}
	candidate := referral.Rules{Currency: "EUR", Discount: 10_00, MinSpend: 30_00, Reward: 15_00, InviterCap: 150_00, ClusterCap: 60_00}
	unprotected := candidate
	unprotected.Policy.Off = true
	for i, r := range []referral.Rules{unprotected, candidate} {
		rep, err := referral.Backtest(ctx, r, referral.Replay{Events: h.Events, Features: f, Fraud: h.Fraud})
		if err != nil {
			panic(err)
		}
		c := rep.Confusion
		fmt.Printf("%s: lost to rings %v, saved %v, wrongly withheld %v, %d reviews, %d blocks\n",
			[]string{"unprotected", "protected"}[i], rep.Lost, rep.Saved, rep.WronglyWithheld,
			rep.Actions[fraudgraph.ActionReview], rep.Actions[fraudgraph.ActionBlockCredit])
		fmt.Printf("  fraud withheld %d, fraud paid %d, legit withheld %d, legit paid %d\n",
			c.FraudWithheld.Credits, c.FraudPaid.Credits, c.LegitWithheld.Credits, c.LegitPaid.Credits)
	}
	// Output:
	// unprotected: lost to rings 3110.00 EUR, saved 1020.00 EUR, wrongly withheld 30.00 EUR, 0 reviews, 94 blocks
	//   fraud withheld 92, fraud paid 276, legit withheld 2, legit paid 7781
	// protected: lost to rings 80.00 EUR, saved 3015.00 EUR, wrongly withheld 455.00 EUR, 229 reviews, 329 blocks
	//   fraud withheld 291, fraud paid 8, legit withheld 38, legit paid 7731
}

func ExampleProgramme_Metrics() {
	p, _ := referral.New(referral.Config{Graph: family(), Rules: referral.Rules{Currency: "EUR", Discount: 10_00}})
	ctx := context.Background()
	day := 24 * time.Hour
	for _, ev := range []referral.Event{
		{Type: referral.Signup, At: at, Account: 1},
		{Type: referral.Signup, At: at, Account: 2, Inviter: 1},
		{Type: referral.Signup, At: at, Account: 4},
		{Type: referral.Signup, At: at.Add(day), Account: 5, Inviter: 4},
		{Type: referral.Purchase, At: at.Add(day), Account: 2, Amount: eur(40_00)},
		{Type: referral.Purchase, At: at.Add(day), Account: 5, Amount: eur(40_00)},
	} {
		_, _ = p.Process(ctx, ev)
	}
	ms, _ := p.Metrics(at, at.Add(2*day), day)
	for _, m := range ms {
		fmt.Printf("%s: %d signups, growth %d, fraud rate %.2f, paid %v (accepted risk %v), withheld %v\n",
			m.Start.Format("Jan 2"), m.Signups, m.Growth, m.FraudRate, m.Paid, m.AcceptedRisk, m.Withheld)
	}
	for _, inv := range p.TopInviters(2, referral.ByRedeemed) {
		fmt.Printf("inviter %d: %d invites, %v redeemed, status %s\n", inv.Account, inv.Invites, inv.Redeemed, inv.Status.Action)
	}
	// Output:
	// Mar 2: 3 signups, growth 3, fraud rate 0.00, paid 0.00 EUR (accepted risk 0.00 EUR), withheld 0.00 EUR
	// Mar 3: 1 signups, growth 0, fraud rate 1.00, paid 10.00 EUR (accepted risk 10.00 EUR), withheld 10.00 EUR
	// inviter 1: 1 invites, 10.00 EUR redeemed, status allow
	// inviter 4: 1 invites, 0.00 EUR redeemed, status allow
}
