package featureflag_test

import (
	"fmt"

	"github.com/craftkit/craftkit/featureflag"
)

func ExampleParse() {
	set, err := featureflag.Parse([]byte(`{
	  "new_search": {"enabled": 5, "groups": ["beta"]},
	  "checkout":   {"enabled": {"one_page": 50, "two_page": 50}, "users": {"two_page": ["alice"]}},
	  "dark_mode":  "off"
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	beta := featureflag.Subject{UserID: "1234", Groups: []string{"beta"}}
	fmt.Println(set.Enabled("new_search", beta))
	fmt.Println(set.Variant("checkout", featureflag.Subject{UserID: "alice"}))
	fmt.Println(set.Evaluate("dark_mode", beta))
	// Output:
	// true
	// two_page
	// { fixed}
}

func ExampleParse_errors() {
	_, err := featureflag.Parse([]byte(`{
	  "checkout_v2": {"enabled": {"a": 60, "b": 60}},
	  "search": {"enabled": 5, "bucketing": "dice"}
	}`))
	fmt.Println(err)
	// Output:
	// featureflag: line 2: checkout_v2.enabled: variant percentages sum to 120
	// featureflag: line 3: search.bucketing: bucketing "dice" is not "user", "visitor" (or "uaid") or "random"
}

func ExampleSet_Evaluate() {
	set, err := featureflag.Parse([]byte(`{"hsts": {"enabled": 100, "internal": "off", "killed": []}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(set.Evaluate("hsts", featureflag.Subject{UserID: "7"}))
	fmt.Println(set.Evaluate("hsts", featureflag.Subject{UserID: "7", Staff: true}))
	fmt.Println(set.Evaluate("nope", featureflag.Subject{UserID: "7"}))
	// Output:
	// {on rollout}
	// { internal}
	// { unknown-flag}
}

func ExampleSet_Value() {
	set, err := featureflag.Parse([]byte(`{"hsts": {"enabled": 100,
	  "params": {"max_age": {"type": "duration", "default": "5m", "variants": {"on": "24h"}}}}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	v, d := set.Value("hsts", "max_age", featureflag.Subject{UserID: "7"})
	fmt.Println(v.Duration(), d.Reason)
	// Output:
	// 24h0m0s rollout
}

func ExampleBucket() {
	// A subject is in a 5 % rollout of a flag without variants when its
	// bucket is below 0.05.
	fmt.Printf("%.6f\n", featureflag.Bucket("new_search", "alice"))
	// Output:
	// 0.607192
}

func ExampleKeepLanes() {
	// Last week's experiment split A and B; this week's replaces A by C.
	oldDoc := []byte(`{"exp": {"enabled": {"A": 50, "B": 50}}}`)
	newDoc := []byte(`{"exp": {"enabled": {"B": 50, "C": 50}}}`)
	before, _ := featureflag.Parse(oldDoc)
	naive, _ := featureflag.Parse(newDoc)
	fmt.Println(featureflag.Diff(before, naive).Shifts)

	// KeepLanes writes lanes so that B keeps its users and C gets A's.
	kept, err := featureflag.KeepLanes(oldDoc, newDoc)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(kept))
	after, _ := featureflag.Parse(kept)
	fmt.Println(featureflag.Diff(before, after).Shifts)
	// Output:
	// [exp: 50% of subjects A -> B exp: 50% of subjects B -> C]
	// {"exp": {"enabled": {"B": 50, "C": 50}, "lanes": ["C", "B"]}}
	// []
}
