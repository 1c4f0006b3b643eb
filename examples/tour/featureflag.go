package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/craftkit/craftkit/featureflag"
)

// tourFeatureflag loads a small flag config, checks a few subjects with
// the reason for each decision, and shows that a ramp keeps its users as
// it grows while Etsy's cumulative layout moves them between variants.
func tourFeatureflag(w io.Writer) error {
	fmt.Fprintln(w, "featureflag: config-driven launches, nearly free checks")
	set, err := featureflag.Parse([]byte(`{
	  "new_search": {"enabled": 5, "groups": ["beta"], "internal": "on"},
	  "checkout":   {"enabled": {"one_page": 10, "two_page": 10}, "users": {"two_page": ["alice"]}},
	  "dark_mode":  "off"
	}`))
	if err != nil {
		return err
	}
	for _, c := range []struct {
		flag string
		s    featureflag.Subject
		who  string
	}{
		{"new_search", featureflag.Subject{UserID: "1", Groups: []string{"beta"}}, "beta user"},
		{"new_search", featureflag.Subject{UserID: "2", Staff: true}, "staff"},
		{"checkout", featureflag.Subject{UserID: "alice"}, "alice"},
		{"dark_mode", featureflag.Subject{UserID: "3"}, "user 3"},
	} {
		d := set.Evaluate(c.flag, c.s)
		fmt.Fprintf(w, "  %-10s for %-9s -> %-9q (%s)\n", c.flag, c.who, d.Variant, d.Reason)
	}
	// Ramping {foo: 1, bar: 1} to {foo: 5, bar: 5}: who leaves bar for foo?
	for _, layout := range []string{"stable", "cumulative"} {
		before, err := featureflag.Parse([]byte(`{"f": {"enabled": {"foo": 1, "bar": 1}, "layout": "` + layout + `"}}`))
		if err != nil {
			return err
		}
		after, err := featureflag.Parse([]byte(`{"f": {"enabled": {"foo": 5, "bar": 5}, "layout": "` + layout + `"}}`))
		if err != nil {
			return err
		}
		bar, moved := movers(before, after, "f", "bar", "foo")
		fmt.Fprintf(w, "  %-10s layout, ramp 1 %% -> 5 %%: %4d of %4d bar users moved to foo\n", layout, moved, bar)
	}
	// Replacing A/B with B/C: KeepLanes writes "lanes" so B keeps its users.
	oldDoc := []byte(`{"exp": {"enabled": {"A": 50, "B": 50}}}`)
	newDoc := []byte(`{"exp": {"enabled": {"B": 50, "C": 50}}}`)
	kept, err := featureflag.KeepLanes(oldDoc, newDoc)
	if err != nil {
		return err
	}
	before, err := featureflag.Parse(oldDoc)
	if err != nil {
		return err
	}
	for _, doc := range [][]byte{newDoc, kept} {
		after, err := featureflag.Parse(doc)
		if err != nil {
			return err
		}
		b, stayed := movers(before, after, "exp", "B", "B")
		fmt.Fprintf(w, "  A/B -> %s: %d of %d B users stay in B\n", doc, stayed, b)
	}
	return nil
}

// movers counts, among users 0 to 99,999, those in variant from of flag
// before a change and, of them, those in variant to after it.
func movers(before, after *featureflag.Set, flag, from, to string) (in, moved int) {
	for u := range 100_000 {
		s := featureflag.Subject{UserID: strconv.Itoa(u)}
		if before.Variant(flag, s) == from {
			in++
			if after.Variant(flag, s) == to {
				moved++
			}
		}
	}
	return in, moved
}
