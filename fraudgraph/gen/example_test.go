package gen_test

import (
	"context"
	"fmt"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
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
