package openfeature_test

import (
	"context"
	"testing"
	"time"

	of "github.com/open-feature/go-sdk/openfeature"

	"github.com/craftkit/craftkit/featureflag"
	"github.com/craftkit/craftkit/featureflag/openfeature"
)

const config = `{
  "checkout": {"enabled": {"one_page": 50, "two_page": 50}, "users": {"two_page": ["alice"]}, "killed": ["one_page"]},
  "search": {"enabled": 0, "groups": ["beta"], "attributes": {"country": ["DE"]}},
  "hsts": {"enabled": 100, "params": {"max_age": {"type": "duration", "default": "5m", "variants": {"on": "24h"}},
           "ratio": {"type": "number", "default": 0.25}, "label": {"type": "string", "default": "x"}}},
  "dark": "off"
}`

func client(t *testing.T) *of.Client {
	t.Helper()
	set, err := featureflag.Parse([]byte(config))
	if err != nil {
		t.Fatal(err)
	}
	if err := of.SetProviderAndWait(openfeature.New(func() *featureflag.Set { return set })); err != nil {
		t.Fatal(err)
	}
	return of.NewClient("test")
}

func TestProvider(t *testing.T) {
	c := client(t)
	ctx := context.Background()
	alice := of.NewEvaluationContext("alice", nil)
	beta := of.NewEvaluationContext("7", map[string]any{"groups": []any{"beta"}, "country": "FR"})

	if d, err := c.StringValueDetails(ctx, "checkout", "none", alice); err != nil || d.Value != "two_page" || d.Reason != of.TargetingMatchReason || d.FlagMetadata["reason"] != "user" {
		t.Errorf("checkout for alice = %+v, %v", d, err)
	}
	if v, err := c.BooleanValue(ctx, "search", false, beta); err != nil || !v {
		t.Errorf("search for a beta user = %v, %v, want true (groups beat targeting)", v, err)
	}
	if d, _ := c.BooleanValueDetails(ctx, "dark", true, alice); d.Value || d.Reason != of.StaticReason {
		t.Errorf("dark = %+v, want false STATIC", d)
	}
	if d, err := c.BooleanValueDetails(ctx, "missing", true, alice); err == nil || !d.Value || d.ErrorCode != of.FlagNotFoundCode {
		t.Errorf("missing flag = %+v, %v, want the default and FLAG_NOT_FOUND", d, err)
	}
	if v, err := c.IntValue(ctx, "hsts/max_age", 0, alice); err != nil || time.Duration(v) != 24*time.Hour {
		t.Errorf("hsts/max_age = %v, %v", time.Duration(v), err)
	}
	if v, err := c.FloatValue(ctx, "hsts/ratio", 0, alice); err != nil || v != 0.25 {
		t.Errorf("hsts/ratio = %v, %v", v, err)
	}
	if v, err := c.ObjectValue(ctx, "hsts/label", nil, alice); err != nil || v != "x" {
		t.Errorf("hsts/label = %v, %v", v, err)
	}
	if _, err := c.FloatValue(ctx, "hsts/label", 1, alice); err == nil {
		t.Errorf("a string parameter read as a float did not fail")
	}
	if _, err := c.FloatValue(ctx, "hsts", 1, alice); err == nil {
		t.Errorf("a flag without /param read as a float did not fail")
	}
	// Killed variant: users bucketed into one_page get off (the default string).
	killed, split := 0, 0
	for i := range 200 {
		d, _ := c.StringValueDetails(ctx, "checkout", "none", of.NewEvaluationContext(string(rune('a'+i%26))+string(rune('0'+i/26)), nil))
		switch d.Reason {
		case of.DisabledReason:
			killed++
			if d.Value != "none" {
				t.Fatalf("killed variant served %q", d.Value)
			}
		case of.SplitReason:
			split++
		}
	}
	if killed == 0 || split == 0 {
		t.Errorf("checkout: %d killed and %d split decisions, want both", killed, split)
	}
}

func BenchmarkOpenFeatureClient(b *testing.B) {
	set, err := featureflag.Parse([]byte(`{"ramp": 5}`))
	if err != nil {
		b.Fatal(err)
	}
	if err := of.SetProviderAndWait(openfeature.New(func() *featureflag.Set { return set })); err != nil {
		b.Fatal(err)
	}
	c := of.NewClient("bench")
	ctx := context.Background()
	ec := of.NewEvaluationContext("123456", nil)
	b.ReportAllocs()
	for b.Loop() {
		c.BooleanValue(ctx, "ramp", false, ec)
	}
}
