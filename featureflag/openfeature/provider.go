// Package openfeature is an OpenFeature provider
// (https://openfeature.dev, github.com/open-feature/go-sdk) backed by a
// craftkit featureflag config, in its own module so the main module does
// not depend on the SDK.
//
// Start here:
//   - Call [New] with a function returning the current *featureflag.Set
//     (a Watcher's Set method, or a closure over a parsed Set).
//   - Register it with openfeature.SetProviderAndWait and use an
//     openfeature client as usual.
//   - The evaluation context's targeting key is the user id; see [Subject]
//     for the other keys.
//
// # Mapping
//
// Boolean evaluations return whether the flag is on; string evaluations
// return the served variant ("on" for flags without variants) or the
// default when the flag is off. Number, duration and object evaluations
// read a typed parameter, addressed as "flag/param". Unknown flags resolve
// to the default with FLAG_NOT_FOUND. Reasons map as: fixed → STATIC,
// rollout and outside → SPLIT, killed → DISABLED, every other rule →
// TARGETING_MATCH; the craftkit reason code is in the flag metadata under
// "reason".
//
// # Concurrency
//
// A [Provider] is safe for concurrent use when its Set function is.
package openfeature

import (
	"context"
	"strings"

	of "github.com/open-feature/go-sdk/openfeature"

	"github.com/craftkit/craftkit/featureflag"
)

// Provider resolves OpenFeature evaluations against a featureflag Set.
// The zero Provider is not usable; create one with [New].
type Provider struct {
	set func() *featureflag.Set
}

var _ of.FeatureProvider = (*Provider)(nil)

// New returns a provider reading the Set that set returns at each
// evaluation. It panics if set is nil.
func New(set func() *featureflag.Set) *Provider {
	if set == nil {
		panic("openfeature: New needs a Set function")
	}
	return &Provider{set: set}
}

// Metadata names the provider "craftkit-featureflag".
func (p *Provider) Metadata() of.Metadata { return of.Metadata{Name: "craftkit-featureflag"} }

// Hooks returns no hooks.
func (p *Provider) Hooks() []of.Hook { return nil }

// Subject builds a featureflag subject from an evaluation context: the
// targeting key is UserID; "visitorId", "requestId" (strings), "groups"
// (a list of strings), "staff" and "admin" (booleans) fill those fields;
// every other string attribute is an Attribute for targeting.
func Subject(ctx of.FlattenedContext) featureflag.Subject {
	var s featureflag.Subject
	for k, v := range ctx {
		switch k {
		case of.TargetingKey:
			s.UserID, _ = v.(string)
		case "visitorId":
			s.VisitorID, _ = v.(string)
		case "requestId":
			s.RequestID, _ = v.(string)
		case "staff":
			s.Staff, _ = v.(bool)
		case "admin":
			s.Admin, _ = v.(bool)
		case "groups":
			switch g := v.(type) {
			case []string:
				s.Groups = g
			case []any:
				for _, x := range g {
					if str, ok := x.(string); ok {
						s.Groups = append(s.Groups, str)
					}
				}
			}
		default:
			if str, ok := v.(string); ok {
				if s.Attributes == nil {
					s.Attributes = map[string]string{}
				}
				s.Attributes[k] = str
			}
		}
	}
	return s
}

func detail(d featureflag.Decision) of.ProviderResolutionDetail {
	r := of.TargetingMatchReason
	switch d.Reason {
	case featureflag.ReasonFixed:
		r = of.StaticReason
	case featureflag.ReasonRollout, featureflag.ReasonOutside:
		r = of.SplitReason
	case featureflag.ReasonKilled:
		r = of.DisabledReason
	case featureflag.ReasonUnknown:
		return of.ProviderResolutionDetail{Reason: of.ErrorReason,
			ResolutionError: of.NewFlagNotFoundResolutionError("flag not found")}
	}
	return of.ProviderResolutionDetail{Reason: r, Variant: d.Variant, FlagMetadata: of.FlagMetadata{"reason": d.Reason.String()}}
}

// BooleanEvaluation reports whether the flag is on.
func (p *Provider) BooleanEvaluation(_ context.Context, flag string, def bool, ctx of.FlattenedContext) of.BoolResolutionDetail {
	d := p.set().Evaluate(flag, Subject(ctx))
	det := detail(d)
	if d.Reason == featureflag.ReasonUnknown {
		return of.BoolResolutionDetail{Value: def, ProviderResolutionDetail: det}
	}
	return of.BoolResolutionDetail{Value: d.On(), ProviderResolutionDetail: det}
}

// StringEvaluation returns the served variant, or def when the flag is off.
func (p *Provider) StringEvaluation(_ context.Context, flag string, def string, ctx of.FlattenedContext) of.StringResolutionDetail {
	d := p.set().Evaluate(flag, Subject(ctx))
	v := d.Variant
	if v == "" {
		v = def
	}
	return of.StringResolutionDetail{Value: v, ProviderResolutionDetail: detail(d)}
}

// param evaluates "flag/param".
func (p *Provider) param(key string, ctx of.FlattenedContext) (featureflag.Value, of.ProviderResolutionDetail, bool) {
	flag, name, ok := strings.Cut(key, "/")
	if !ok {
		return featureflag.Value{}, of.ProviderResolutionDetail{Reason: of.ErrorReason,
			ResolutionError: of.NewTypeMismatchResolutionError("flag " + key + " is not a parameter; address parameters as flag/param")}, false
	}
	v, d := p.set().Value(flag, name, Subject(ctx))
	det := detail(d)
	if d.Reason == featureflag.ReasonUnknown {
		return v, det, false
	}
	if v.Type() == featureflag.NoValue {
		return v, of.ProviderResolutionDetail{Reason: of.ErrorReason,
			ResolutionError: of.NewFlagNotFoundResolutionError("flag " + flag + " has no parameter " + name)}, false
	}
	return v, det, true
}

func mismatch(key, want string, v featureflag.Value) of.ProviderResolutionDetail {
	return of.ProviderResolutionDetail{Reason: of.ErrorReason,
		ResolutionError: of.NewTypeMismatchResolutionError(key + " is a " + v.Type().String() + " parameter, not " + want)}
}

// FloatEvaluation reads a number parameter "flag/param".
func (p *Provider) FloatEvaluation(_ context.Context, key string, def float64, ctx of.FlattenedContext) of.FloatResolutionDetail {
	v, det, ok := p.param(key, ctx)
	switch {
	case !ok:
		return of.FloatResolutionDetail{Value: def, ProviderResolutionDetail: det}
	case v.Type() != featureflag.Number:
		return of.FloatResolutionDetail{Value: def, ProviderResolutionDetail: mismatch(key, "a number", v)}
	}
	return of.FloatResolutionDetail{Value: v.Float(), ProviderResolutionDetail: det}
}

// IntEvaluation reads a number parameter "flag/param" (truncated) or a
// duration parameter in nanoseconds.
func (p *Provider) IntEvaluation(_ context.Context, key string, def int64, ctx of.FlattenedContext) of.IntResolutionDetail {
	v, det, ok := p.param(key, ctx)
	switch {
	case !ok:
		return of.IntResolutionDetail{Value: def, ProviderResolutionDetail: det}
	case v.Type() == featureflag.Number:
		return of.IntResolutionDetail{Value: int64(v.Float()), ProviderResolutionDetail: det}
	case v.Type() == featureflag.Duration:
		return of.IntResolutionDetail{Value: int64(v.Duration()), ProviderResolutionDetail: det}
	}
	return of.IntResolutionDetail{Value: def, ProviderResolutionDetail: mismatch(key, "an integer", v)}
}

// ObjectEvaluation reads any parameter "flag/param" as its Go value
// (float64, string, time.Duration or bool).
func (p *Provider) ObjectEvaluation(_ context.Context, key string, def any, ctx of.FlattenedContext) of.InterfaceResolutionDetail {
	v, det, ok := p.param(key, ctx)
	if !ok {
		return of.InterfaceResolutionDetail{Value: def, ProviderResolutionDetail: det}
	}
	var out any
	switch v.Type() {
	case featureflag.Number:
		out = v.Float()
	case featureflag.String:
		out = v.Str()
	case featureflag.Duration:
		out = v.Duration()
	case featureflag.Bool:
		out = v.Bool()
	}
	return of.InterfaceResolutionDetail{Value: out, ProviderResolutionDetail: det}
}
