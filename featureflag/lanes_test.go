package featureflag

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestLanesErrors(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []string // substrings of the joined error, each a problem with its path
	}{
		{"unknown variant", `{"f": {"enabled": {"B": 50, "C": 50}, "lanes": ["C", "X", "B"]}}`,
			[]string{`f.lanes[1]: "X" is not a variant of the flag`}},
		{"duplicate", `{"f": {"enabled": {"B": 50, "C": 50}, "lanes": ["C", "B", "C"]}}`,
			[]string{`f.lanes[2]: variant "C" owns lanes 0 and 2`}},
		{"missing", `{"f": {"enabled": {"B": 50, "C": 50}, "lanes": ["C", ""]}}`,
			[]string{`f.lanes: variant "B" has a percentage but no lane`}},
		{"all at once", `{"f": {"enabled": {"B": 50, "C": 50}, "lanes": ["C", 3, "C", "Y"]}}`,
			[]string{`f.lanes[1]: lane must be a variant name`, `f.lanes[2]: variant "C" owns`, `f.lanes[3]: "Y" is not`, `"B" has a percentage but no lane`}},
		{"not a list", `{"f": {"enabled": {"B": 50}, "lanes": "B"}}`, []string{`f.lanes: lanes must be a list`}},
		{"cumulative", `{"f": {"enabled": {"B": 50}, "layout": "cumulative", "lanes": ["B"]}}`, []string{`lanes apply to the stable layout`}},
		{"environment", `{"f": {"enabled": {"B": 50}, "lanes": ["B"], "environments": {"prod": {"enabled": {"Z": 10}}}}}`,
			[]string{`f.lanes[0]: "B" is not a variant`, `"Z" has a percentage but no lane`}},
		{"free lane and zero percentage", `{"f": {"enabled": {"B": 50, "C": 0}, "lanes": ["", "B"]}}`, nil},
		{"fixed flag ignores lanes", `{"f": {"enabled": "off", "lanes": ["A", "B"]}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc))
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Parse(%s) = %v, want nil", tt.doc, err)
				}
				return
			}
			if !errors.Is(err, ErrValue) && !errors.Is(err, ErrType) {
				t.Fatalf("Parse(%s) = %v, want ErrValue or ErrType", tt.doc, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Parse(%s) = %v, want a problem %q", tt.doc, err, w)
				}
			}
		})
	}
}

func TestKeepLanes(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"replace A/B with B/C",
			`{"f": {"enabled": {"A": 50, "B": 50}}}`,
			`{"f": {"enabled": {"B": 50, "C": 50}, "description": "x"}}`,
			`{"f": {"enabled": {"B": 50, "C": 50}, "description": "x", "lanes": ["C", "B"]}}`},
		{"then C/A, from written lanes",
			`{"f": {"enabled": {"B": 50, "C": 50}, "lanes": ["C", "B"]}}`,
			`{"f": {"enabled": {"C": 40, "A": 40}, "lanes": ["C", "B"]}}`,
			`{"f": {"enabled": {"C": 40, "A": 40}, "lanes": ["C", "A"]}}`},
		{"retired variant leaves a free lane",
			`{"f": {"enabled": {"A": 25, "B": 25, "C": 25}}}`,
			`{"f": {"enabled": {"A": 25, "C": 25}}}`,
			`{"f": {"enabled": {"A": 25, "C": 25}, "lanes": ["A", "", "C"]}}`},
		{"adding a variant keeps the default order",
			`{"f": {"enabled": {"A": 25, "B": 25}}}`,
			`{"f": {"enabled": {"A": 25, "B": 25, "C": 25}}}`,
			`{"f": {"enabled": {"A": 25, "B": 25, "C": 25}}}`},
		{"ramp without variants, new flag, removed flag untouched",
			`{"g": 5, "h": {"enabled": {"A": 50}}}`,
			`{"g": 50, "k": {"enabled": {"B": 10, "C": 10}}}`,
			`{"g": 50, "k": {"enabled": {"B": 10, "C": 10}}}`},
		{"environment with its own variants",
			`{"f": {"enabled": {"A": 50, "B": 50}, "environments": {"prod": {"enabled": {"P": 10, "Q": 10}}}}}`,
			"{\"f\": {\"enabled\": {\"B\": 50, \"C\": 50},\n  \"environments\": {\"prod\": {\"enabled\": {\"Q\": 10, \"R\": 10}}, \"dev\": \"on\"}}}",
			"{\"f\": {\"enabled\": {\"B\": 50, \"C\": 50},\n  \"environments\": {\"prod\": {\"enabled\": {\"Q\": 10, \"R\": 10}, \"lanes\": [\"R\", \"Q\"]}, \"dev\": \"on\"}, \"lanes\": [\"C\", \"B\"]}}"},
		{"cumulative left alone",
			`{"f": {"enabled": {"A": 50, "B": 50}, "layout": "cumulative"}}`,
			`{"f": {"enabled": {"B": 50, "C": 50}, "layout": "cumulative"}}`,
			`{"f": {"enabled": {"B": 50, "C": 50}, "layout": "cumulative"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := KeepLanes([]byte(tt.old), []byte(tt.new))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("KeepLanes =\n%s\nwant\n%s", got, tt.want)
			}
			if _, err := Parse(got); err != nil {
				t.Errorf("result does not load: %v", err)
			}
			old, _ := Parse([]byte(tt.old))
			cur, _ := Parse(got)
			// The cumulative layout has no lanes to keep: users move, and
			// the report says so.
			cumulative := strings.Contains(tt.new, "cumulative")
			if c := Diff(old, cur); (len(c.Shifts) != 0) != cumulative {
				t.Errorf("Diff after KeepLanes reports shifts %v", c.Shifts)
			}
		})
	}
	for _, bad := range [][2]string{{`[1]`, `{}`}, {`{}`, `{"f": `}, {`{}`, `"x"`}} {
		if _, err := KeepLanes([]byte(bad[0]), []byte(bad[1])); err == nil {
			t.Errorf("KeepLanes(%s, %s) = nil error", bad[0], bad[1])
		}
	}
}

// TestReplaceVariantsMillion replaces A/B with B/C over 1M ids: without
// lanes the change report warns that B's users move; with KeepLanes
// every B user stays in B, C gets exactly A's old users, and the report
// is quiet.
func TestReplaceVariantsMillion(t *testing.T) {
	oldDoc := []byte(`{"exp": {"enabled": {"A": 50, "B": 50}}}`)
	newDoc := []byte(`{"exp": {"enabled": {"B": 50, "C": 50}}}`)
	old, err := Parse(oldDoc)
	if err != nil {
		t.Fatal(err)
	}
	naive, err := Parse(newDoc)
	if err != nil {
		t.Fatal(err)
	}
	c := Diff(old, naive)
	if len(c.Shifts) == 0 || !strings.Contains(c.String(), "users move between variants") {
		t.Errorf("Diff without lanes = %v, want a warning that users move", c)
	}
	t.Logf("without lanes: %v", c)
	kept, err := KeepLanes(oldDoc, newDoc)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := Parse(kept)
	if err != nil {
		t.Fatal(err)
	}
	if c := Diff(old, cur); len(c.Shifts) != 0 {
		t.Errorf("Diff with KeepLanes = %v, want no shifts", c)
	}
	const n = 1_000_000
	var inB, stayB, inA, aToC, inC, naiveStayB int
	for i := range n {
		s := Subject{UserID: strconv.Itoa(i)}
		was, is := old.Variant("exp", s), cur.Variant("exp", s)
		switch was {
		case "B":
			inB++
			if is == "B" {
				stayB++
			}
			if naive.Variant("exp", s) == "B" {
				naiveStayB++
			}
		case "A":
			inA++
			if is == "C" {
				aToC++
			}
		}
		if is == "C" {
			inC++
		}
	}
	if stayB != inB || aToC != inA || inC != inA {
		t.Errorf("with lanes: %d of %d B users stay in B; %d of %d A users go to C; C has %d users; want all, all, exactly A's",
			stayB, inB, aToC, inA, inC)
	}
	t.Logf("1M ids, A/B -> B/C: with KeepLanes %d/%d B users stay (%.2f%%), C = A's %d users exactly; without lanes %d stay (%.2f%%)",
		stayB, inB, 100*float64(stayB)/float64(inB), inA, naiveStayB, 100*float64(naiveStayB)/float64(inB))
}

func TestDiffShifts(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           string
	}{
		{"spill", `{"f": {"enabled": {"A": 50, "B": 50}}}`, `{"f": {"enabled": {"A": 60, "B": 40}}}`, "[f: 10% of subjects B -> A]"},
		{"swap lanes", `{"f": {"enabled": {"A": 50, "B": 50}}}`, `{"f": {"enabled": {"A": 50, "B": 50}, "lanes": ["B", "A"]}}`,
			"[f: 50% of subjects A -> B f: 50% of subjects B -> A]"},
		{"ramp in lanes", `{"f": {"enabled": {"A": 10, "B": 10}}}`, `{"f": {"enabled": {"A": 40, "B": 40}}}`, "[]"},
		{"new salt", `{"f": {"enabled": {"A": 50, "B": 50}}}`, `{"f": {"enabled": {"A": 50, "B": 50}, "salt": "x"}}`,
			"[f: 25% of subjects A -> B f: 25% of subjects B -> A]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse([]byte(tt.old))
			if err != nil {
				t.Fatal(err)
			}
			b, err := Parse([]byte(tt.new))
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(Diff(a, b).Shifts); got != tt.want {
				t.Errorf("Diff(%s, %s).Shifts = %s, want %s", tt.old, tt.new, got, tt.want)
			}
		})
	}
}
