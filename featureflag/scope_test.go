package featureflag

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestScopeExposures(t *testing.T) {
	s := mustParse(t, `{"a": {"enabled": 100}, "b": "off", "v": {"enabled": 50, "bucketing": "visitor"}}`)
	var got []Exposure
	sc := NewScope(s, Subject{UserID: "u1", VisitorID: "v1"}, func(e Exposure) { got = append(got, e) })
	for range 3 {
		sc.Enabled("a")
		sc.Variant("b")
		sc.Evaluate("v")
		sc.Enabled("missing")
	}
	want := []Exposure{{"a", "u1", Decision{"on", ReasonRollout}}, {"b", "u1", Decision{"", ReasonFixed}},
		{"v", "v1", s.Evaluate("v", Subject{UserID: "u1", VisitorID: "v1"})}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("exposures = %v, want %v", got, want)
	}
	var nilScope *Scope
	if nilScope.Enabled("a") || nilScope.Value("a", "x").Type() != NoValue {
		t.Errorf("nil scope is not all off")
	}
	// A second scope (the next request) logs again.
	NewScope(s, Subject{UserID: "u1"}, func(e Exposure) { got = append(got, e) }).Enabled("a")
	if len(got) != 4 {
		t.Errorf("second scope logged %d exposures, want 1", len(got)-3)
	}
}

func TestMiddleware(t *testing.T) {
	s := mustParse(t, `{"new_nav": {"enabled": 0, "public_url_override": true}, "billing": {"enabled": 0},
		"ab": {"enabled": {"x": 0, "y": 0}, "public_url_override": true}}`)
	var mu sync.Mutex
	var exposures []string
	var overrideErrs int
	h := Middleware(MiddlewareConfig{
		Set: func() *Set { return s },
		Subject: func(r *http.Request) Subject {
			// Identity from the caller's auth layer; here a header set by a trusted proxy.
			return Subject{UserID: r.Header.Get("X-User"), Staff: r.Header.Get("X-Staff") == "1"}
		},
		OnExposure: func(_ *http.Request, e Exposure) {
			mu.Lock()
			exposures = append(exposures, e.Flag+"="+e.Decision.Variant)
			mu.Unlock()
		},
		OnOverrideError: func(*http.Request, error) { overrideErrs++ },
	}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sc := FromContext(r.Context())
		fmt.Fprintf(w, "%v %v %q", sc.Enabled("new_nav"), sc.Enabled("billing"), sc.Variant("ab"))
		sc.Enabled("new_nav")
	}))
	tests := []struct {
		name, query string
		staff       bool
		want        string
	}{
		{"staff overrides opted-in flags only", "?features=new_nav,billing,ab:y", true, `true false "y"`},
		{"staff off", "?features=new_nav:off", true, `false false ""`},
		{"non-staff ignored", "?features=new_nav,ab:y", false, `false false ""`},
		{"malformed", "?features=a:b:c", true, `false false ""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exposures = nil
			req := httptest.NewRequest("GET", "/"+tt.query, nil)
			req.Header.Set("X-User", "42")
			if tt.staff {
				req.Header.Set("X-Staff", "1")
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if got := rec.Body.String(); got != tt.want {
				t.Errorf("GET %s = %s, want %s", tt.query, got, tt.want)
			}
			if len(exposures) != 3 {
				t.Errorf("exposures %v, want one per flag", exposures)
			}
		})
	}
	if overrideErrs != 1 {
		t.Errorf("override errors reported %d, want 1", overrideErrs)
	}
}

func TestParseOverrides(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a,b:x,c:off", "a,b:x,c:off"}, {" a , ,b:on", "a,b"}, {"", ""}, {"0 :on", "0"}, {"a : x", "a:x"},
	} {
		o, err := ParseOverrides(tt.in)
		if err != nil || o.String() != tt.want {
			t.Errorf("ParseOverrides(%q) = %v, %v, want %s", tt.in, o, err, tt.want)
		}
	}
	for _, bad := range []string{"a:b:c", ":x", "a:", strings.Repeat("a,", 70), "a,a:off", "b:x, b:y"} {
		if _, err := ParseOverrides(bad); err == nil {
			t.Errorf("ParseOverrides(%q) succeeded", bad)
		}
	}
	// A long bad item is quoted in part: the error stays small.
	if _, err := ParseOverrides(strings.Repeat("x", 1<<20) + ":a:b"); err == nil || len(err.Error()) > 200 {
		t.Errorf("ParseOverrides(1 MiB item) error is %d bytes, want < 200", len(err.Error()))
	}
}
