package gen_test

import (
	"context"
	"fmt"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
	"github.com/craftkit/craftkit/fraudgraph/referral"
)

func ExampleGenerate() {
	d := gen.Generate(gen.Config{Accounts: 20_000, Seed: 1})
	g, err := d.Build(fraudgraph.Config{})
	if err != nil {
		panic(err)
	}
	rings, err := g.Rings(context.Background(), fraudgraph.RingQuery{MinScore: 0.9})
	if err != nil {
		panic(err)
	}
	suspect := map[uint64]bool{}
	for _, r := range rings {
		for _, a := range r.Accounts {
			suspect[a] = true
		}
	}
	s := d.Evaluate(func(id uint64) bool { return suspect[id] })
	fmt.Printf("%d accounts, %d planted rings\n", d.Accounts(), d.Rings)
	fmt.Printf("precision %.2f recall %.2f\n", s.Precision, s.Recall)
	// Output:
	// 20000 accounts, 35 planted rings
	// precision 0.85 recall 0.87
}

func ExampleGenerateHistory() {
	h := gen.GenerateHistory(gen.HistoryConfig{Config: gen.Config{Accounts: 10_000, Seed: 1}})
	signups, purchases, family := 0, 0, 0
	for _, ev := range h.Events {
		if ev.Type == referral.Signup {
			signups++
		} else {
			purchases++
		}
	}
	for i, inv := range h.Inviter {
		if inv != 0 && h.Household[i] >= 0 && h.Household[i] == h.Household[inv-1] {
			family++
		}
	}
	fmt.Printf("%d signups, %d purchases, %d rings, %d family invites, %d heavy inviters\n",
		signups, purchases, h.Rings, family, len(h.Heavy))
	// Output:
	// 10000 signups, 11131 purchases, 14 rings, 984 family invites, 2 heavy inviters
}
