package featureflag

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzParse checks that no document crashes Parse, that every error is a
// *FieldError, and that a parsed Set answers checks consistently.
func FuzzParse(f *testing.F) {
	seeds := []string{
		`{"a": "on", "b": "off", "c": "blue", "d": 5}`,
		`{"f": {"enabled": {"a": 10, "b": 20}, "users": {"a": ["x"]}, "groups": ["beta"], "admin": "b", "internal": "on",
		  "public_url_override": true, "bucketing": "uaid", "exclude_groups": ["bots"], "attributes": {"country": ["DE"]},
		  "killed": ["b"], "layout": "cumulative", "salt": "s", "start": "2026-01-01T00:00:00Z",
		  "params": {"n": {"type": "number", "default": 1, "variants": {"a": 2}}}, "environments": {"dev": "on", "prod": {"enabled": 1}}}}`,
		`{"x": {"enabled": {"a": 60, "b": 60}}}`,
		`{"x": {"enabled": {"a": 30, "b": 30, "c": 30, "d": 9.99}}}`,
		`{"x": {"enabled": {"a": 30, "b": 30}, "lanes": ["b", "", "a"]}}`, `{"x": {"enabled": {"a": 30}, "lanes": ["a", "a", 1, "z"]}}`,
		`[1, 2]`, `{"a": "\u00e9\ud83d\ude00"}`, `{"a": {"enabled": 1e400}}`, `{"a": {"users": {"off": "x"}}}`,
		string(manyFlags(8)),
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	subjects := []Subject{{UserID: "1"}, {UserID: "x", Groups: []string{"beta"}, Staff: true, Admin: true,
		Overrides: Overrides{"a": "b", "f": "off"}}, {VisitorID: "v", Attributes: map[string]string{"country": "DE"}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		s, err := Parse(data)
		if err != nil {
			for _, e := range unwrapAll(err) {
				if _, ok := e.(*FieldError); !ok {
					t.Fatalf("Parse error %T %v is not a *FieldError", e, e)
				}
				if !strings.HasPrefix(e.Error(), "featureflag: ") {
					t.Fatalf("error %q lacks the package prefix", e)
				}
			}
			return
		}
		for _, name := range s.Flags() {
			pct := s.Percentages(name)
			sum := 0.0
			for _, p := range pct {
				sum += p
			}
			if sum > 100+1e-9 {
				t.Fatalf("flag %s: percentages sum to %v", name, sum)
			}
			for _, sub := range subjects {
				d := s.Evaluate(name, sub)
				if d.Variant != s.Variant(name, sub) || d.On() != s.Enabled(name, sub) {
					t.Fatalf("flag %s: Evaluate %+v disagrees with Variant/Enabled", name, d)
				}
			}
		}
	})
}

func unwrapAll(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if errors.Unwrap(err) == nil {
		return []error{err}
	}
	return []error{err}
}

// FuzzParseOverrides checks that no override list crashes ParseOverrides,
// that errors wrap ErrOverride and stay small, and that what it accepts
// formats back to a list that parses to the same overrides.
func FuzzParseOverrides(f *testing.F) {
	for _, s := range []string{"a,b:x,c:off", " a , ,b:on", "a:b:c", "a,a", ":x", strings.Repeat("a,", 70)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOverrides(s)
		if err != nil {
			if !errors.Is(err, ErrOverride) {
				t.Fatalf("ParseOverrides(%q) error %v does not wrap ErrOverride", s, err)
			}
			if len(err.Error()) > 200 {
				t.Fatalf("ParseOverrides error is %d bytes", len(err.Error()))
			}
			return
		}
		if len(o) > MaxOverrides {
			t.Fatalf("ParseOverrides kept %d overrides, limit %d", len(o), MaxOverrides)
		}
		back, err := ParseOverrides(o.String())
		if err != nil || back.String() != o.String() {
			t.Fatalf("round trip of %q: %q gives %v, %v", s, o.String(), back, err)
		}
	})
}

// FuzzKeepLanes checks that KeepLanes never panics, that when the new
// document loads so does its result, and that the result needs no
// further lanes.
func FuzzKeepLanes(f *testing.F) {
	seeds := [][2]string{
		{`{"f": {"enabled": {"A": 50, "B": 50}}}`, `{"f": {"enabled": {"B": 50, "C": 50}}}`},
		{`{"f": {"enabled": {"A": 50, "B": 50}, "environments": {"p": {"enabled": {"X": 5}}}}}`, `{"f": {"enabled": {"B": 50}, "environments": {"p": {"enabled": {"Y": 5, "X": 5}}}}}`},
		{`{"f": {"enabled": {"A": 25, "B": 25, "C": 25}, "lanes": ["C", "", "A", "B"]}}`, `{"f": {"enabled": {"D": 25, "B": 25}, "lanes": 3}}`},
		{`{"f": 5}`, `{"f": {}}`}, {`[]`, `{"f": "on"}`},
	}
	for _, s := range seeds {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, oldDoc, newDoc []byte) {
		if len(oldDoc) > 4096 || len(newDoc) > 4096 {
			return
		}
		out, err := KeepLanes(oldDoc, newDoc)
		if err != nil {
			return
		}
		if _, err := Parse(newDoc); err != nil {
			return
		}
		if _, err := Parse(out); err != nil {
			t.Fatalf("KeepLanes(%s, %s) = %s, which does not load: %v", oldDoc, newDoc, out, err)
		}
		again, err := KeepLanes(oldDoc, out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("KeepLanes(%s, %s) = %s, but run again on it gives %s, %v", oldDoc, newDoc, out, again, err)
		}
	})
}
