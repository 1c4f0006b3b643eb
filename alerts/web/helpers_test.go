package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/craftkit/craftkit/alerts"
)

// The fixture: weeks start on Monday 09:00 in Berlin; "now" is
// Wednesday 2 December 2026, so last week is 23-30 November.
var (
	berlin   = mustZone("Europe/Berlin")
	fixedNow = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	rotation = alerts.Rotation{Weekday: time.Monday, Hour: 9, Location: berlin}
)

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

const lastWeek = "2026-11-23"

// fixture returns notifications of last week: ann gets web1/HTTP,
// db1/Disk and web2/Load problems, bob gets two.
func fixture() []alerts.Notification {
	t0 := time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)
	var ns []alerts.Notification
	add := func(h time.Duration, contact, host, service, state, out string) {
		ns = append(ns, alerts.Notification{Time: t0.Add(h), Contact: contact, Host: host, Service: service, State: state, Output: out, Source: "nagios"})
	}
	add(0, "ann", "web1", "HTTP", "CRITICAL", "HTTP CRITICAL - 503")
	add(1*time.Hour, "ann", "web1", "HTTP", "CRITICAL", "HTTP CRITICAL - 503 again")
	add(26*time.Hour, "ann", "db1", "Disk Space", "WARNING", "DISK WARNING - 86% used")
	add(50*time.Hour, "ann", "web2", "Load", "CRITICAL", "LOAD CRITICAL - 9.2")
	add(51*time.Hour, "bob", "web2", "Load", "CRITICAL", "LOAD CRITICAL - 9.2")
	add(75*time.Hour, "bob", "mq1", "Queue", "WARNING", "queue depth 5000")
	return ns
}

type env struct {
	t     testing.TB
	store *alerts.Memory
	h     http.Handler
	now   time.Time
}

func newEnv(t testing.TB, ns []alerts.Notification, mod func(*Options)) *env {
	t.Helper()
	e := &env{t: t, store: &alerts.Memory{}, now: fixedNow}
	if err := e.store.Append(context.Background(), alerts.NotificationRecords(ns)); err != nil {
		t.Fatal(err)
	}
	o := &Options{
		Identity: func(r *http.Request) (string, bool) {
			u := r.Header.Get("X-User")
			return u, u != ""
		},
		Admin:      func(u string) bool { return u == "boss" },
		Rotation:   rotation,
		CSRFSecret: []byte("0123456789abcdef0123456789abcdef"),
		Now:        func() time.Time { return e.now },
	}
	if mod != nil {
		mod(o)
	}
	h, err := New(e.store, o)
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	return e
}

type resp struct {
	code int
	body string
	hdr  http.Header
}

func (e *env) do(method, target, user string, form url.Values, hdr map[string]string) resp {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if user != "" {
		r.Header.Set("X-User", user)
	}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return resp{w.Code, w.Body.String(), w.Header()}
}

func (e *env) get(target, user string) resp { return e.do("GET", target, user, nil, nil) }

func (e *env) post(target, user string, form url.Values) resp {
	return e.do("POST", target, user, form, nil)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// token fetches a page as user and returns the CSRF token in its form.
func (e *env) token(page, user string) string {
	e.t.Helper()
	r := e.get(page, user)
	m := csrfRE.FindStringSubmatch(r.body)
	if r.code != 200 || m == nil {
		e.t.Fatalf("GET %s as %s: %d, no CSRF token in the page", page, user, r.code)
	}
	return m[1]
}

func (e *env) snapshot() *alerts.Snapshot {
	e.t.Helper()
	s, err := alerts.Load(context.Background(), e.store, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func idOf(ns []alerts.Notification, i int) string { return ns[i].ID() }

func mustStatus(t testing.TB, what string, r resp, want int) {
	t.Helper()
	if r.code != want {
		t.Fatalf("%s = %d, want %d; body: %.300s", what, r.code, want, r.body)
	}
}

func fmtForm(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}
