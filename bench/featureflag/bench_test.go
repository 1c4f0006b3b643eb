// Package featureflag compares a craftkit featureflag check with peer Go
// SDKs on the same 5 % rollout: GrowthBook's Go SDK evaluating a coverage
// rule, and the OpenFeature client over the craftkit provider. Each
// benchmark checks a different user id per iteration, as a server does.
//
// Measured on the shared 2-core machine (instructions from callgrind via
// instructions.sh, so machine load does not move them; ns from
// go test -bench . -benchtime 200000x under heavy load):
//
//	contender                           instructions  allocs  ns/op   ratio (instr.)
//	craftkit Set.Enabled                 351-353       0       20     1
//	GrowthBook EvalFeature, fixed user   2,587         4       414    7.3x
//	GrowthBook WithAttributes + Eval     5,096         9       6,224  14.5x
//	OpenFeature client + craftkit        8,823         14      24,268 25x
//
// The GrowthBook per-user path (deriving a client with the user's
// attributes, then evaluating) is what a server checking many users pays.
package featureflag

import (
	"context"
	"strconv"
	"testing"

	gb "github.com/growthbook/growthbook-golang"
	of "github.com/open-feature/go-sdk/openfeature"

	"github.com/craftkit/craftkit/featureflag"
	ofprovider "github.com/craftkit/craftkit/featureflag/openfeature"
)

const users = 4096

func userIDs() []string {
	ids := make([]string, users)
	for i := range ids {
		ids[i] = strconv.Itoa(1_000_000 + i*7919)
	}
	return ids
}

func craftkitSet(tb testing.TB) *featureflag.Set {
	s, err := featureflag.Parse([]byte(`{"ramp": 5}`))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

const growthbookFeatures = `{"ramp": {"defaultValue": false, "rules": [{"force": true, "coverage": 0.05, "hashAttribute": "id"}]}}`

func growthbookClient(tb testing.TB) *gb.Client {
	c, err := gb.NewClient(context.Background(), gb.WithJsonFeatures(growthbookFeatures))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestSameRollout checks that every contender puts about 5 % of users in.
func TestSameRollout(t *testing.T) {
	s := craftkitSet(t)
	c := growthbookClient(t)
	const n = 20000
	var ck, g int
	for i := range n {
		id := strconv.Itoa(i)
		if s.Enabled("ramp", featureflag.Subject{UserID: id}) {
			ck++
		}
		uc, err := c.WithAttributes(gb.Attributes{"id": id})
		if err != nil {
			t.Fatal(err)
		}
		if uc.EvalFeature(context.Background(), "ramp").On {
			g++
		}
	}
	for name, got := range map[string]int{"craftkit": ck, "growthbook": g} {
		if frac := float64(got) / n; frac < 0.04 || frac > 0.06 {
			t.Errorf("%s: %.4f of users in a 5 %% rollout", name, frac)
		}
	}
}

func BenchmarkCraftkit(b *testing.B) {
	s := craftkitSet(b)
	ids := userIDs()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Enabled("ramp", featureflag.Subject{UserID: ids[i%users]})
		i++
	}
}

// BenchmarkGrowthBook derives a client with the user's attributes and
// evaluates the feature, the SDK's per-user path.
func BenchmarkGrowthBook(b *testing.B) {
	c := growthbookClient(b)
	ids := userIDs()
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		uc, _ := c.WithAttributes(gb.Attributes{"id": ids[i%users]})
		_ = uc.EvalFeature(ctx, "ramp").On
		i++
	}
}

// BenchmarkGrowthBookEvalOnly evaluates with attributes set once, the
// SDK's cheapest path (one user only).
func BenchmarkGrowthBookEvalOnly(b *testing.B) {
	c := growthbookClient(b)
	uc, err := c.WithAttributes(gb.Attributes{"id": "1234567"})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_ = uc.EvalFeature(ctx, "ramp").On
	}
}

// BenchmarkOpenFeature is the OpenFeature client over the craftkit
// provider: the SDK's own per-check cost on top of the craftkit check.
func BenchmarkOpenFeature(b *testing.B) {
	s := craftkitSet(b)
	if err := of.SetProviderAndWait(ofprovider.New(func() *featureflag.Set { return s })); err != nil {
		b.Fatal(err)
	}
	c := of.NewClient("bench")
	ids := userIDs()
	ctx := context.Background()
	ecs := make([]of.EvaluationContext, users)
	for i, id := range ids {
		ecs[i] = of.NewEvaluationContext(id, nil)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_, _ = c.BooleanValue(ctx, "ramp", false, ecs[i%users])
		i++
	}
}
