package gen_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
)

func TestTune(t *testing.T) {
	if os.Getenv("FG_TUNE") == "" {
		t.Skip()
	}
	n := 100_000
	fmt.Sscan(os.Getenv("FG_TUNE"), &n)
	t1 := time.Now()
	d := gen.Generate(gen.Config{Accounts: n, Seed: 1})
	t2 := time.Now()
	g, err := d.Build(fraudgraph.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t3 := time.Now()
	fmt.Println("gen", t2.Sub(t1), "build", t3.Sub(t2), g.Stats())
	for _, ms := range []float64{0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97} {
		t4 := time.Now()
		rings, err := g.Rings(context.Background(), fraudgraph.RingQuery{MinScore: ms})
		if err != nil {
			t.Fatal(err)
		}
		fl := map[uint64]bool{}
		for _, r := range rings {
			for _, a := range r.Accounts {
				fl[a] = true
			}
		}
		s := d.Evaluate(func(id uint64) bool { return fl[id] })
		fmt.Printf("min %.2f rings %d P %.3f R %.3f %+v %v\n", ms, len(rings), s.Precision, s.Recall, s, time.Since(t4))
	}
}
