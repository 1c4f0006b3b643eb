package fraudgraph_test

import (
	"testing"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
)

func BenchmarkBuild(b *testing.B) {
	d := gen.Generate(gen.Config{Accounts: 200_000, Seed: 1})
	links := len(d.FPAccount)
	for _, inv := range d.Inviter {
		if inv != 0 {
			links++
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Build(fraudgraph.Config{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(links)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mlinks/s")
}
