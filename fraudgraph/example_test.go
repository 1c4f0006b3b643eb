package fraudgraph_test

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
)

func ExampleGraph_Related() {
	g := fraudgraph.New(fraudgraph.Config{})
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	_ = g.AddInvite(1, 2, at)
	_ = g.AddInvite(2, 3, at.Add(time.Hour))
	_ = g.AddFingerprint(3, "card", "4111 1111 1111 1111")
	_ = g.AddFingerprint(4, "card", "4111 1111 1111 1111")

	rel, err := g.Related(1, fraudgraph.Query{MaxHops: 3})
	if err != nil {
		panic(err)
	}
	for _, r := range rel {
		fmt.Printf("account %d at %d hops via %s\n", r.Account, r.Hops, r.Kind)
	}
	// Output:
	// account 2 at 1 hops via invite
	// account 3 at 2 hops via invite
	// account 4 at 3 hops via card
}

func ExampleGraph_Explain() {
	g := fraudgraph.New(fraudgraph.Config{})
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	_ = g.AddInvite(10, 11, at)
	_ = g.AddFingerprint(10, "device", "iPhone-7F3A")
	_ = g.AddFingerprint(11, "device", "iPhone-7F3A")
	_ = g.AddFingerprint(11, "card", "5500-0000")
	_ = g.AddFingerprint(12, "card", "5500-0000")

	ex, err := g.Explain(10, 12)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d hops, score %.2f\n", ex.Hops, ex.Score)
	for _, s := range ex.Paths[0] {
		fmt.Printf("  %d -> %d: %s\n", s.From, s.To, s.Kind)
	}
	for _, e := range ex.Evidence {
		fmt.Printf("  %s: %d shared directly, %d on paths\n", e.Kind, e.Shared, e.PathSteps)
	}
	// Output:
	// 2 hops, score 0.54
	//   10 -> 11: invite
	//   11 -> 12: card
	//   card: 0 shared directly, 1 on paths
	//   invite: 0 shared directly, 1 on paths
}

func ExampleEngine_Decide() {
	g := fraudgraph.New(fraudgraph.Config{})
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	_ = g.AddInvite(1, 2, at)
	_ = g.AddFingerprint(1, "card", "4111")
	_ = g.AddFingerprint(2, "card", "4111") // the invitee pays with the inviter's card

	e := fraudgraph.NewEngine(g)
	if err := e.Register(fraudgraph.DefaultRules()...); err != nil {
		panic(err)
	}
	d, err := e.Decide(context.Background(), fraudgraph.Input{Event: fraudgraph.EventCreditGrant, Account: 2, Inviter: 1, At: at})
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Action)
	for _, f := range d.Findings {
		fmt.Printf("%s: %s\n", f.Rule, f.Reason)
	}

	e.Thresholds().Set("self_referral_score", 0.99) // raised at run time
	d, _ = e.Decide(context.Background(), fraudgraph.Input{Event: fraudgraph.EventCreditGrant, Account: 2, Inviter: 1, At: at})
	fmt.Println(d.Action)
	// Output:
	// block-credit
	// self-referral: inviter 1 shares [1 card] with the invitee (score 0.96 >= 0.75)
	// allow
}

func ExampleGraph_WriteTo() {
	g := fraudgraph.New(fraudgraph.Config{})
	_ = g.AddInvite(1, 2, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	var buf bytes.Buffer
	if _, err := g.WriteTo(&buf); err != nil {
		panic(err)
	}
	h, err := fraudgraph.Load(&buf, fraudgraph.Config{})
	if err != nil {
		panic(err)
	}
	rel, _ := h.Related(2, fraudgraph.Query{})
	fmt.Println(rel)

	damaged := []byte("FRAUDGR\x00 is not really a snapshot, just bytes")
	_, err = fraudgraph.Load(bytes.NewReader(damaged), fraudgraph.Config{})
	fmt.Println(err)
	// Output:
	// [{1 1 invite}]
	// fraudgraph: snapshot section "header" at byte 0: version 544434464, this release reads version 2: unsupported snapshot format or version
}

func ExampleBuilder() {
	b := fraudgraph.NewBuilder(fraudgraph.Config{})
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for id := uint64(1); id <= 5; id++ {
		b.AddAccount(id, at.Add(time.Duration(id)*time.Minute))
		b.AddFingerprint(id, "ip", "203.0.113.7") // a shared office address
	}
	b.AddInvite(1, 1, at) // refused: self-invite
	g, err := b.Graph()
	fmt.Println(err)
	r, _ := g.Search(1, fraudgraph.Query{})
	fmt.Println(len(r.Relations), "related")
	fmt.Println(g.Stats().Accounts, "accounts")
	// Output:
	// fraudgraph: account invited itself: account 1
	// 4 related
	// 5 accounts
}

func ExampleRunner() {
	g := fraudgraph.New(fraudgraph.Config{})
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	_ = g.AddInvite(1, 2, at)
	_ = g.AddFingerprint(1, "card", "4111")
	_ = g.AddFingerprint(2, "card", "4111")
	e := fraudgraph.NewEngine(g)
	if err := e.Register(fraudgraph.DefaultRules()...); err != nil {
		panic(err)
	}

	// Run's worker goroutine runs heavy rules off the request path; after
	// Close it drains the queue and returns.
	var decisions []fraudgraph.Decision
	r := fraudgraph.NewRunner(e, fraudgraph.RunnerConfig{
		OnDecision: func(d fraudgraph.Decision, err error) {
			if err == nil {
				decisions = append(decisions, d) // one worker: no lock needed
			}
		},
	})
	done := make(chan error, 1)
	go func() { done <- r.Run(context.Background()) }()
	if err := r.Submit(fraudgraph.Input{Event: fraudgraph.EventCreditGrant, Account: 2, Inviter: 1, At: at}); err != nil {
		panic(err)
	}
	_ = r.Close()
	if err := <-done; err != nil {
		panic(err)
	}
	fmt.Println(len(decisions), "decision(s) made asynchronously")
	// Output:
	// 1 decision(s) made asynchronously
}

// Example_readme is the README's fraudgraph snippet, line for line.
func Example_readme() {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	g := fraudgraph.New(fraudgraph.Config{})
	g.AddInvite(1, 2, at)
	g.AddInvite(2, 3, at.Add(time.Hour))
	g.AddFingerprint(3, "card", "4111 1111 1111 1111")
	g.AddFingerprint(4, "card", "4111 1111 1111 1111")
	rel, err := g.Related(1, fraudgraph.Query{MaxHops: 3}) // [{2 1 invite} {3 2 invite} {4 3 card}]
	fmt.Println(rel, err)
	ex, err := g.Explain(1, 4) // typed paths, per-kind evidence, score
	fmt.Println(ex.Hops, len(ex.Paths), ex.Paths[0][2].Kind, len(ex.Evidence), ex.Score > 0, err)
	// Output:
	// [{2 1 invite} {3 2 invite} {4 3 card}] <nil>
	// 3 1 card 2 true <nil>
}
