package featureflag

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

func mustParse(t testing.TB, cfg string) *Set {
	t.Helper()
	s, err := Parse([]byte(cfg))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}

// TestPrecedence walks the precedence table of the package documentation
// with one flag where every rule could apply.
func TestPrecedence(t *testing.T) {
	s := mustParse(t, `{
	  "f": {
	    "enabled": {"a": 100},
	    "users": {"b": ["u-b"], "off": ["u-off"]},
	    "groups": {"c": ["beta"]},
	    "admin": "d",
	    "internal": "e",
	    "exclude_groups": ["bots"],
	    "attributes": {"country": ["DE", "FR"]},
	    "public_url_override": true,
	    "killed": ["e"]
	  },
	  "fixed": {"enabled": "x", "users": {"y": ["u-b"]}},
	  "off": {"enabled": "off", "users": ["u-b"]}
	}`)
	de := map[string]string{"country": "DE"}
	tests := []struct {
		name, flag string
		s          Subject
		want       Decision
	}{
		{"unknown flag", "nope", Subject{UserID: "1"}, Decision{"", ReasonUnknown}},
		{"fixed string decides everything", "fixed", Subject{UserID: "u-b", Staff: true, Overrides: Overrides{"fixed": "off"}}, Decision{"x", ReasonFixed}},
		{"fixed off", "off", Subject{UserID: "u-b"}, Decision{"", ReasonFixed}},
		{"staff override", "f", Subject{UserID: "u-b", Staff: true, Groups: []string{"bots"}, Overrides: Overrides{"f": "zz"}}, Decision{"zz", ReasonOverride}},
		{"override off", "f", Subject{UserID: "u-b", Admin: true, Overrides: Overrides{"f": "off"}}, Decision{"", ReasonOverride}},
		{"override ignored for non-staff", "f", Subject{UserID: "u-b", Overrides: Overrides{"f": "zz"}}, Decision{"b", ReasonUser}},
		{"excluded beats users", "f", Subject{UserID: "u-b", Groups: []string{"bots"}}, Decision{"", ReasonExcluded}},
		{"user", "f", Subject{UserID: "u-b", Groups: []string{"beta"}, Admin: true}, Decision{"b", ReasonUser}},
		{"user off", "f", Subject{UserID: "u-off", Attributes: de}, Decision{"", ReasonUser}},
		{"group", "f", Subject{UserID: "9", Groups: []string{"x", "beta"}, Admin: true}, Decision{"c", ReasonGroup}},
		{"admin", "f", Subject{UserID: "9", Admin: true, Staff: true}, Decision{"d", ReasonAdmin}},
		{"internal killed", "f", Subject{UserID: "9", Staff: true}, Decision{"", ReasonKilled}},
		{"targeting miss", "f", Subject{UserID: "9", Attributes: map[string]string{"country": "US"}}, Decision{"", ReasonTargeting}},
		{"targeting no attribute", "f", Subject{UserID: "9"}, Decision{"", ReasonTargeting}},
		{"rollout", "f", Subject{UserID: "9", Attributes: de}, Decision{"a", ReasonRollout}},
		{"no id", "f", Subject{Attributes: de}, Decision{"", ReasonNoID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Evaluate(tt.flag, tt.s); got != tt.want {
				t.Errorf("Evaluate(%q, %+v) = %+v, want %+v", tt.flag, tt.s, got, tt.want)
			}
			if got := s.Variant(tt.flag, tt.s); got != tt.want.Variant {
				t.Errorf("Variant = %q, want %q", got, tt.want.Variant)
			}
			if got := s.Enabled(tt.flag, tt.s); got != (tt.want.Variant != "") {
				t.Errorf("Enabled = %v, want %v", got, tt.want.Variant != "")
			}
		})
	}
}

func TestBucketing(t *testing.T) {
	s := mustParse(t, `{"v": {"enabled": 50, "bucketing": "visitor"}, "u": {"enabled": 50, "bucketing": "uaid"},
		"r": {"enabled": 50, "bucketing": "random"}, "plain": 50}`)
	// A subject with only UserID is bucketed by its user id.
	for i := range 200 {
		id := strconv.Itoa(i)
		want := Bucket("plain", id) < 0.5
		if got := s.Enabled("plain", Subject{UserID: id}); got != want {
			t.Fatalf("Enabled(plain, %s) = %v, want %v (Bucket %v)", id, got, want, Bucket("plain", id))
		}
		if got, want := s.Enabled("v", Subject{UserID: "x", VisitorID: id}), Bucket("v", id) < 0.5; got != want {
			t.Fatalf("visitor bucketing of %s = %v, want %v", id, got, want)
		}
		if got, want := s.Enabled("u", Subject{UserID: id}), Bucket("u", id) < 0.5; got != want {
			t.Fatalf("visitor bucketing without a visitor id of %s = %v, want %v", id, got, want)
		}
	}
	// Random bucketing: the same user gets both answers across requests.
	on := 0
	for i := range 1000 {
		if s.Enabled("r", Subject{UserID: "same", RequestID: strconv.Itoa(i)}) {
			on++
		}
	}
	if on < 400 || on > 600 {
		t.Errorf("random bucketing: %d of 1000 requests on, want about 500", on)
	}
}

func TestParams(t *testing.T) {
	s := mustParse(t, `{"hsts": {"enabled": {"short": 10, "long": 10},
		"params": {"max_age": {"type": "duration", "default": "5m", "variants": {"long": "24h"}},
		           "ratio": {"type": "number", "default": 0.5}, "on": {"type": "bool", "variants": {"short": true}},
		           "label": {"type": "string", "default": "x"}}}}`)
	var sawLong, sawShort, sawOff bool
	for i := 0; !(sawLong && sawShort && sawOff) && i < 10000; i++ {
		sub := Subject{UserID: strconv.Itoa(i)}
		v, d := s.Value("hsts", "max_age", sub)
		b, _ := s.Value("hsts", "on", sub)
		switch d.Variant {
		case "long":
			sawLong = true
			if v.Duration().Hours() != 24 || b.Bool() {
				t.Fatalf("long: max_age %v on %v", v, b)
			}
		case "short":
			sawShort = true
			if v.Duration().Minutes() != 5 || !b.Bool() {
				t.Fatalf("short: max_age %v on %v", v, b)
			}
		case "":
			sawOff = true
			if v.Duration().Minutes() != 5 || v.Type() != Duration {
				t.Fatalf("off: max_age %v", v)
			}
		}
	}
	if v, _ := s.Value("hsts", "ratio", Subject{}); v.Float() != 0.5 || v.String() != "0.5" {
		t.Errorf("ratio = %v", v)
	}
	if v, _ := s.Value("hsts", "label", Subject{}); v.Str() != "x" {
		t.Errorf("label = %v", v)
	}
	if v, d := s.Value("hsts", "nope", Subject{}); v.Type() != NoValue || d.Reason != ReasonNoID {
		t.Errorf("missing param = %v, %v", v, d)
	}
}

// ids returns n random decimal user ids from a fixed seed.
func ids(n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 0))
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.FormatUint(r.Uint64N(1<<40), 10)
	}
	return out
}

// TestRolloutFraction checks that p % of 1M random ids are in a p %
// rollout (± 0.2 percentage points) and that the sets are nested as p grows.
func TestRolloutFraction(t *testing.T) {
	if testing.Short() {
		t.Skip("1M ids")
	}
	users := ids(1_000_000, 1)
	prev := make([]bool, len(users))
	for _, p := range []float64{0.5, 1, 5, 10, 25, 50, 75, 99, 100} {
		s := mustParse(t, fmt.Sprintf(`{"ramp": %v}`, p))
		in := 0
		for i, u := range users {
			on := s.Enabled("ramp", Subject{UserID: u})
			if prev[i] && !on {
				t.Fatalf("user %s dropped when ramping to %v %%", u, p)
			}
			prev[i] = on
			if on {
				in++
			}
		}
		got := 100 * float64(in) / float64(len(users))
		if math.Abs(got-p) > 0.2 {
			t.Errorf("rollout %v %%: %.3f %% of 1M ids in, want within 0.2 pp", p, got)
		}
	}
}

// moves counts users served different variants by two configs of flag f:
// between variants present in both (moved), and dropped from a variant
// that is in both configs with no smaller percentage (dropped).
func moves(t *testing.T, before, after string, users []string) (moved, dropped, stayed int) {
	a, b := mustParse(t, before), mustParse(t, after)
	inB := map[string]float64{}
	for i, v := range b.Variants("f") {
		inB[v] = b.Percentages("f")[i]
	}
	inA := map[string]float64{}
	for i, v := range a.Variants("f") {
		inA[v] = a.Percentages("f")[i]
	}
	for _, u := range users {
		va, vb := a.Variant("f", Subject{UserID: u}), b.Variant("f", Subject{UserID: u})
		_, survA := inB[va]
		_, survB := inA[vb]
		switch {
		case va != "" && vb != "" && va != vb && survA && survB:
			moved++
		case va != "" && vb == "" && survA && inB[va] >= inA[va]:
			dropped++
		case va != "" && va == vb:
			stayed++
		}
	}
	return
}

// TestStableLayout checks that ramping, adding, killing and replacing
// variants in place move no user between surviving variants, and shows
// Etsy's cumulative layout moving them.
func TestStableLayout(t *testing.T) {
	users := ids(200_000, 2)
	tests := []struct {
		name, before, after string
		wantStayedMin       int
		killed              bool // users of the killed variant go off
	}{
		{"ramp foo/bar 1 to 5", `{"f": {"enabled": {"foo": 1, "bar": 1}}}`, `{"f": {"enabled": {"foo": 5, "bar": 5}}}`, 3000, false},
		{"ramp one", `{"f": {"enabled": {"foo": 10, "bar": 10}}}`, `{"f": {"enabled": {"foo": 40, "bar": 10}}}`, 30000, false},
		{"add variant", `{"f": {"enabled": {"a": 20, "b": 20}}}`, `{"f": {"enabled": {"a": 20, "b": 20, "c": 20}}}`, 60000, false},
		{"A/B to C/B (C in A's place)", `{"f": {"enabled": {"a": 50, "b": 50}}}`, `{"f": {"enabled": {"c": 50, "b": 50}}}`, 80000, false},
		{"kill a", `{"f": {"enabled": {"a": 30, "b": 30}}}`, `{"f": {"enabled": {"a": 30, "b": 30}, "killed": ["a"]}}`, 50000, true},
		{"ramp down and up", `{"f": {"enabled": {"a": 20, "b": 10, "c": 5}}}`, `{"f": {"enabled": {"a": 10, "b": 45, "c": 20}}}`, 20000, false},
		{"simple to variants", `{"f": {"enabled": {"a": 10}}}`, `{"f": {"enabled": {"a": 10, "b": 10}}}`, 15000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			moved, dropped, stayed := moves(t, tt.before, tt.after, users)
			if tt.killed {
				dropped = 0
			}
			if moved != 0 || dropped != 0 {
				t.Errorf("%s -> %s: %d users moved between surviving variants, %d dropped, want 0 and 0", tt.before, tt.after, moved, dropped)
			}
			if stayed < tt.wantStayedMin {
				t.Errorf("only %d users kept their variant, want at least %d", stayed, tt.wantStayedMin)
			}
		})
	}
	moved, _, _ := moves(t, `{"f": {"enabled": {"foo": 1, "bar": 1}, "layout": "cumulative"}}`,
		`{"f": {"enabled": {"foo": 5, "bar": 5}, "layout": "cumulative"}}`, users)
	if moved < 1500 {
		t.Errorf("cumulative layout moved %d of ~2000 bar users into foo, want nearly all (Etsy's flaw)", moved)
	}
	t.Logf("cumulative layout, {foo:1,bar:1} -> {foo:5,bar:5}: %d of %d users moved from bar to foo", moved, len(users))
}

// TestVariantFractions checks each variant gets its percentage in both
// layouts, including a stable layout that spills past a lane.
func TestVariantFractions(t *testing.T) {
	if testing.Short() {
		t.Skip("1M ids")
	}
	users := ids(1_000_000, 3)
	for _, cfg := range []string{
		`{"f": {"enabled": {"a": 33.3, "b": 33.3, "c": 33.4}}}`,
		`{"f": {"enabled": {"a": 70, "b": 20, "c": 5}}}`,
		`{"f": {"enabled": {"a": 70, "b": 20, "c": 5}, "layout": "cumulative"}}`,
		`{"f": {"enabled": {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5}}}`,
	} {
		s := mustParse(t, cfg)
		count := map[string]int{}
		for _, u := range users {
			count[s.Variant("f", Subject{UserID: u})]++
		}
		for i, v := range s.Variants("f") {
			got := 100 * float64(count[v]) / float64(len(users))
			if want := s.Percentages("f")[i]; math.Abs(got-want) > 0.2 {
				t.Errorf("%s: variant %s got %.3f %%, want %v ± 0.2", cfg, v, got, want)
			}
		}
	}
}

func TestNoAllocs(t *testing.T) {
	s := mustParse(t, `{"ramp": 5, "ab": {"enabled": {"a": 10, "b": 10}, "users": ["x"], "groups": {"a": ["beta"]},
		"attributes": {"country": ["DE"]}, "exclude_groups": ["bots"], "public_url_override": true,
		"params": {"n": {"type": "number", "default": 1}}}}`)
	sub := Subject{UserID: "123456789", Groups: []string{"staff", "eu"}, Attributes: map[string]string{"country": "DE"},
		Staff: true, Overrides: Overrides{"other": "on"}}
	checks := map[string]func(){
		"Enabled":  func() { s.Enabled("ramp", sub) },
		"Variant":  func() { s.Variant("ab", sub) },
		"Evaluate": func() { s.Evaluate("ab", sub) },
		"Value":    func() { s.Value("ab", "n", sub) },
		"unknown":  func() { s.Enabled("nope", sub) },
	}
	for name, f := range checks {
		if n := testing.AllocsPerRun(1000, f); n != 0 {
			t.Errorf("%s allocates %v times per check, want 0", name, n)
		}
	}
}
