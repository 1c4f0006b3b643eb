// Package featureflag compares a craftkit featureflag check with peer Go
// SDKs on the same 5 % rollout: GrowthBook's Go SDK evaluating a coverage
// rule, LaunchDarkly's server SDK (v7.14.6, flag from its test data
// source, events off) evaluating a fallthrough rollout, Unleash's client
// (v4.5.0, flag fetched once from a server in this process, metrics
// off) evaluating a flexibleRollout, and the OpenFeature client over the
// craftkit provider. Each benchmark checks a different user id per
// iteration, as a server does; all run in one process.
//
// Measured on the shared 2-core machine (instructions from callgrind via
// instructions.sh, so machine load does not move them; ns/op is the
// fastest of five runs of go test -bench . -benchtime 200000x at a load
// average of 7-14, so only the instruction ratios are firm):
//
//	contender                             instructions  allocs  ns/op  ratio (instr.)
//	craftkit Set.Enabled                   367           0       15     1
//	GrowthBook EvalFeature, fixed user     2,593         4       317    7.1x
//	Unleash IsEnabled + WithContext        3,992         6       632    10.9x
//	GrowthBook WithAttributes + Eval       5,100         9       916    13.9x
//	LaunchDarkly BoolVariation (context    7,753         0       1,228  21.1x
//	  built in advance)
//	LaunchDarkly ldcontext.New + Bool...   8,061         0       533    22.0x
//	OpenFeature client + craftkit          8,578         14      1,429  23.4x
//
// The per-user paths (GrowthBook deriving a client with the user's
// attributes, LaunchDarkly building a context, Unleash passing one) are
// what a server checking many users pays.
package featureflag

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	unleash "github.com/Unleash/unleash-client-go/v4"
	ulctx "github.com/Unleash/unleash-client-go/v4/context"
	gb "github.com/growthbook/growthbook-golang"
	"github.com/launchdarkly/go-sdk-common/v3/ldcontext"
	"github.com/launchdarkly/go-sdk-common/v3/ldlog"
	"github.com/launchdarkly/go-sdk-common/v3/ldvalue"
	"github.com/launchdarkly/go-server-sdk-evaluation/v3/ldbuilders"
	ld "github.com/launchdarkly/go-server-sdk/v7"
	"github.com/launchdarkly/go-server-sdk/v7/ldcomponents"
	"github.com/launchdarkly/go-server-sdk/v7/testhelpers/ldtestdata"
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

// launchDarklyClient returns a LaunchDarkly client whose flag comes
// from the SDK's test data source (no network): on, with a fallthrough
// rollout serving true to 5 % (weights are per 100,000), and with
// events and diagnostics off.
func launchDarklyClient(tb testing.TB) *ld.LDClient {
	flag := ldbuilders.NewFlagBuilder("ramp").Version(1).On(true).Salt("ramp").
		Variations(ldvalue.Bool(true), ldvalue.Bool(false)).OffVariation(1).
		Fallthrough(ldbuilders.Rollout(
			ldbuilders.Bucket(0, 5000),
			ldbuilders.Bucket(1, 95000))).
		Build()
	td := ldtestdata.DataSource()
	td.UsePreconfiguredFlag(flag)
	c, err := ld.MakeCustomClient("offline-sdk-key", ld.Config{
		DataSource:       td,
		Events:           ldcomponents.NoEvents(),
		DiagnosticOptOut: true,
		Logging:          ldcomponents.Logging().MinLevel(ldlog.Error),
	}, 5*time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// unleashFeatures is the flag in Unleash's client API format: a
// flexibleRollout of 5 % sticky on the user id.
const unleashFeatures = `{"version": 1, "features": [{"name": "ramp", "enabled": true, "strategies": [
  {"name": "flexibleRollout", "parameters": {"rollout": "5", "stickiness": "userId", "groupId": "ramp"}}]}]}`

// unleashClient returns an Unleash client that fetched the flag once
// from a server in this process (loopback; the SDK has no file-only
// mode), with metrics off and no further refresh during a run.
func unleashClient(tb testing.TB) *unleash.Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/client/features" {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(unleashFeatures))
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	tb.Cleanup(srv.Close)
	c, err := unleash.NewClient(
		unleash.WithUrl(srv.URL),
		unleash.WithAppName("bench"),
		unleash.WithDisableMetrics(true),
		unleash.WithRefreshInterval(time.Hour),
		unleash.WithBackupPath(tb.TempDir()),
		unleash.WithListener(&unleash.NoopListener{}),
	)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	c.WaitForReady()
	if len(c.ListFeatures()) != 1 {
		tb.Fatalf("Unleash client holds %d features, want 1", len(c.ListFeatures()))
	}
	return c
}

// TestSameRollout checks that every contender puts about 5 % of users in.
func TestSameRollout(t *testing.T) {
	s := craftkitSet(t)
	c := growthbookClient(t)
	ldc := launchDarklyClient(t)
	ul := unleashClient(t)
	const n = 20000
	var ck, g, l, u int
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
		on, err := ldc.BoolVariation("ramp", ldcontext.New(id), false)
		if err != nil {
			t.Fatal(err)
		}
		if on {
			l++
		}
		if ul.IsEnabled("ramp", unleash.WithContext(ulctx.Context{UserId: id})) {
			u++
		}
	}
	for name, got := range map[string]int{"craftkit": ck, "growthbook": g, "launchdarkly": l, "unleash": u} {
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

// BenchmarkLaunchDarkly builds the user's evaluation context and
// evaluates the flag, the SDK's per-user path.
func BenchmarkLaunchDarkly(b *testing.B) {
	c := launchDarklyClient(b)
	ids := userIDs()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_, _ = c.BoolVariation("ramp", ldcontext.New(ids[i%users]), false)
		i++
	}
}

// BenchmarkLaunchDarklyEvalOnly evaluates with contexts built in
// advance: the SDK's evaluation alone.
func BenchmarkLaunchDarklyEvalOnly(b *testing.B) {
	c := launchDarklyClient(b)
	ids := userIDs()
	ctxs := make([]ldcontext.Context, users)
	for i, id := range ids {
		ctxs[i] = ldcontext.New(id)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_, _ = c.BoolVariation("ramp", ctxs[i%users], false)
		i++
	}
}

// BenchmarkUnleash checks the flag for the user with the SDK's context
// option, its per-user path.
func BenchmarkUnleash(b *testing.B) {
	c := unleashClient(b)
	ids := userIDs()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = c.IsEnabled("ramp", unleash.WithContext(ulctx.Context{UserId: ids[i%users]}))
		i++
	}
}
