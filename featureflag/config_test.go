package featureflag

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, config string
		want         []string // substrings, one per expected problem, in order
		sentinel     error
	}{
		{"syntax", `{"a": "on",}`, []string{"line 1: expected a quoted object key"}, ErrSyntax},
		{"not object", `["a"]`, []string{"config must be an object"}, ErrType},
		{"duplicate key", "{\"a\": \"on\",\n \"a\": \"off\"}", []string{`line 2: duplicate key "a"`}, ErrSyntax},
		{"sum", "{\"checkout_v2\": {\n\"enabled\": {\"a\": 60, \"b\": 60}}}", []string{"line 2: checkout_v2.enabled: variant percentages sum to 120"}, ErrValue},
		{"all at once", `{
  "a": {"enabled": 120},
  "b": {"bucketing": "dice", "start": "yesterday"},
  "c": {"enabled": {"x": "ten"}, "colour": "red"},
  "d": true
}`, []string{
			"line 2: a.enabled: percentage 120 is not in [0, 100]",
			`line 3: b.bucketing: bucketing "dice" is not`,
			`line 3: b.start: time "yesterday" is not RFC 3339`,
			"line 4: c.enabled.x: variant percentage must be a number, not a string",
			`line 4: c.colour: unknown key "colour"`,
			"line 5: d: flag must be a string",
		}, nil},
		{"reserved variant", `{"a": {"enabled": {"on": 5}}}`, []string{`a.enabled.on: variant name "on" is reserved`}, ErrValue},
		{"killed unknown", `{"a": {"enabled": {"x": 5}, "killed": ["y"]}}`, []string{`killed variant "y" is not a variant`}, ErrValue},
		{"window", `{"a": {"enabled": 5, "start": "2026-02-01T00:00:00Z", "end": "2026-01-01T00:00:00Z"}}`, []string{"a.end: end 2026-01-01T00:00:00Z is not after start"}, ErrValue},
		{"param type", `{"a": {"enabled": 5, "params": {"ttl": {"type": "duration", "default": 5}}}}`, []string{"a.params.ttl.default: duration parameter given a number"}, ErrType},
		{"param variant", `{"a": {"enabled": 5, "params": {"ttl": {"type": "duration", "variants": {"z": "1h"}}}}}`, []string{`a.params.ttl.variants.z: "z" is not a variant`}, ErrValue},
		{"bad duration", `{"a": {"enabled": 5, "params": {"ttl": {"type": "duration", "default": "5 minutes"}}}}`, []string{`duration "5 minutes"`}, ErrValue},
		{"env", `{"a": {"enabled": 5, "environments": {"prod": {"enabled": -1}, "dev": 3}}}`, []string{
			"a.environments.dev: environment entry must be a string or an object",
			"a.environments.prod.enabled: percentage -1 is not in [0, 100]"}, nil},
		{"user in two variants", `{"a": {"enabled": {"x": 1, "y": 1}, "users": {"x": ["u"], "y": ["u"]}}}`, []string{`user "u" is listed for two variants`}, ErrValue},
		{"no fs", `{"a": {"user_files": ["beta.txt"]}}`, []string{`a.user_files: user-list file "beta.txt": no file system`}, ErrFile},
		{"deep", strings.Repeat("[", 100), []string{"nesting deeper than 32"}, ErrSyntax},
		{"empty", ``, []string{"unexpected end of input"}, ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.config))
			if err == nil {
				t.Fatalf("Parse(%s) = nil error, want %q", tt.config, tt.want)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("Parse error has %d problems, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], "featureflag: ") || !strings.Contains(lines[i], w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, lines[i], w)
				}
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.sentinel)
			}
			if fe, ok := errors.AsType[*FieldError](err); !ok || fe.Msg == "" {
				t.Errorf("error %v holds no *FieldError", err)
			}
		})
	}
}

func TestEnvironments(t *testing.T) {
	cfg := []byte(`{"search": {"enabled": 10, "environments": {"dev": "on", "prod": {"enabled": 50, "users": ["ceo"]}}}}`)
	for _, tt := range []struct {
		env  string
		want []float64
		ceo  Reason
	}{
		{"", []float64{10}, ReasonOutside},
		{"dev", []float64{100}, ReasonFixed},
		{"prod", []float64{50}, ReasonUser},
		{"staging", []float64{10}, ReasonOutside},
	} {
		s, err := Load(cfg, &Options{Environment: tt.env})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Percentages("search"); got[0] != tt.want[0] {
			t.Errorf("env %q: Percentages = %v, want %v", tt.env, got, tt.want)
		}
		// "ceo" buckets outside 10 % but inside 50 % would hide the user rule;
		// check the reason only where it is decided by a rule.
		if d := s.Evaluate("search", Subject{UserID: "ceo"}); tt.ceo != ReasonOutside && d.Reason != tt.ceo {
			t.Errorf("env %q: Evaluate(ceo) = %+v, want reason %v", tt.env, d, tt.ceo)
		}
	}
}

func TestUserFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"beta.txt":  {Data: []byte("# beta programme\n17\n 42 \r\n\n4294967295\n")},
		"bad.txt":   {Data: []byte("1\n2\nthree\n")},
		"group.txt": {Data: []byte("100\n")},
	}
	s, err := Load([]byte(`{"beta": {"enabled": {"new": 0, "old": 0}, "user_files": {"new": "beta.txt", "old": ["group.txt"]}}}`), &Options{FS: fsys})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{"17": "new", "42": "new", "4294967295": "new", "100": "old", "18": "", "4294967296": "", "x": ""} {
		if got := s.Variant("beta", Subject{UserID: id}); got != want {
			t.Errorf("Variant(beta, %s) = %q, want %q", id, got, want)
		}
	}
	_, err = Load([]byte(`{"beta": {"user_files": ["bad.txt", "missing.txt"]}}`), &Options{FS: fsys})
	if err == nil || !strings.Contains(err.Error(), `bad.txt:3: beta.user_files: "three" is not a user id`) ||
		!strings.Contains(err.Error(), `"missing.txt"`) || !errors.Is(err, ErrFile) {
		t.Errorf("Load with bad list files: %v", err)
	}
}

func TestSchedule(t *testing.T) {
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	s, err := Load([]byte(`{"sale": {"enabled": 100, "start": "2026-03-01T00:00:00Z", "end": "2026-03-02T00:00:00Z"}}`),
		&Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		at   time.Time
		want Reason
	}{
		{now.Add(-time.Second), ReasonSchedule},
		{now, ReasonRollout},
		{now.Add(24*time.Hour - 1), ReasonRollout},
		{now.Add(24 * time.Hour), ReasonSchedule},
	} {
		now = tt.at
		if d := s.Evaluate("sale", Subject{UserID: "1"}); d.Reason != tt.want {
			t.Errorf("at %v: Evaluate = %+v, want %v", tt.at, d, tt.want)
		}
	}
}
