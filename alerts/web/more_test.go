package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/craftkit/craftkit/alerts"
)

// TestWeekAcrossDST: the week of 19 October 2026 in Berlin contains the
// end of summer time, so it runs from 09:00 CEST to 09:00 CET, 169 hours.
func TestWeekAcrossDST(t *testing.T) {
	e := newEnv(t, fixture(), nil)
	var v struct {
		Week alerts.Week `json:"week"`
	}
	r := e.get("/week?format=json&week=2026-10-19", "ann")
	mustStatus(t, "GET DST week", r, 200)
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatal(err)
	}
	wantStart := time.Date(2026, 10, 19, 7, 0, 0, 0, time.UTC)
	wantEnd := time.Date(2026, 10, 26, 8, 0, 0, 0, time.UTC)
	if !v.Week.Start.Equal(wantStart) || !v.Week.End.Equal(wantEnd) {
		t.Errorf("week = %v - %v, want %v - %v", v.Week.Start, v.Week.End, wantStart, wantEnd)
	}
	// A date inside a week (not its start day) selects the week containing that day's end.
	r = e.get("/week?format=json&week=2026-10-21", "ann")
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatal(err)
	}
	if !v.Week.Start.Equal(wantStart) {
		t.Errorf("week of 2026-10-21 starts %v, want %v", v.Week.Start, wantStart)
	}
	// The page's own navigation links name week start dates.
	if b := e.get("/week?week=2026-10-19", "ann").body; !strings.Contains(b, "week=2026-10-26") || !strings.Contains(b, "week=2026-10-12") {
		t.Error("week page lacks links to the neighbouring weeks")
	}
}

// TestSleepReport: with Options.Sleep returning periods the page shows
// Opsweekly's sleep summary; ann was asleep 02:00-07:00 UTC on the 24th,
// so the 03:00 alert woke her, and she slept again at 04:30.
func TestSleepReport(t *testing.T) {
	ns := fixture()
	e := newEnv(t, ns, func(o *Options) {
		o.Sleep = func(_ context.Context, person string, from, to time.Time) ([]alerts.SleepPeriod, error) {
			if person != "ann" {
				return nil, nil
			}
			d := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
			return []alerts.SleepPeriod{
				{Start: d.Add(2 * time.Hour), End: d.Add(3 * time.Hour)},
				{Start: d.Add(4*time.Hour + 30*time.Minute), End: d.Add(8 * time.Hour)},
			}, nil
		}
	})
	var v struct {
		Sleep   *alerts.SleepReport   `json:"sleep"`
		Windows *alerts.Interruptions `json:"windows"`
	}
	r := e.get("/sleep?format=json", "ann")
	mustStatus(t, "GET /sleep", r, 200)
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatal(err)
	}
	if v.Sleep == nil || v.Sleep.Woken < 1 || v.Windows != nil {
		t.Fatalf("sleep JSON = %s, want a sleep report with a wake-up", r.body)
	}
	if b := e.get("/sleep", "ann").body; !strings.Contains(b, "Mean time to sleep") {
		t.Error("sleep page lacks the sleep summary")
	}
	// bob has no sleep data: interruption windows instead.
	r = e.get("/sleep?format=json&person=bob", "ann")
	v.Sleep, v.Windows = nil, nil
	if err := json.Unmarshal([]byte(r.body), &v); err != nil {
		t.Fatal(err)
	}
	if v.Sleep != nil || v.Windows == nil || v.Windows.Business+v.Windows.OffHours+v.Windows.Sleep != 2 {
		t.Errorf("bob's sleep JSON = %s, want windows over 2 notifications", r.body)
	}
}

// TestConcurrentUse classifies and reads from many goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	ns := weekOf1000()[:200]
	e := newEnv(t, ns, nil)
	tok := e.token("/", "ann")
	done := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := g; i < 40; i += 4 {
				f := fmtForm("csrf", tok, "week", lastWeek, "t."+ns[i].ID(), "issue")
				r := httptest.NewRequest("POST", "/classify", strings.NewReader(f.Encode()))
				r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				r.Header.Set("X-User", "ann")
				w := httptest.NewRecorder()
				e.h.ServeHTTP(w, r)
				if w.Code != http.StatusSeeOther {
					t.Errorf("POST = %d", w.Code)
				}
				r = httptest.NewRequest("GET", "/meeting", nil)
				r.Header.Set("X-User", "ann")
				w = httptest.NewRecorder()
				e.h.ServeHTTP(w, r)
			}
		}()
	}
	for range 4 {
		<-done
	}
	s := e.snapshot()
	for i := range 40 {
		if c, _ := s.Classification(ns[i].ID()); c.Tag != "issue" {
			t.Errorf("notification %d = %+v", i, c)
		}
	}
}

// FuzzClassifyForm posts arbitrary form bodies: the handler answers with
// a client error or a local redirect, never a server error, and stores
// only tags of the set.
func FuzzClassifyForm(f *testing.F) {
	ns := fixture()
	e := newEnv(f, ns, nil)
	tok := e.token("/", "ann")
	f.Add("t." + ns[0].ID() + "=issue&n." + ns[0].ID() + "=x")
	f.Add("bulk.host=web1&bulk.tag=checkfaulty&bulk.note=%3Cscript%3E")
	f.Add("rows=00&t0=issue")
	f.Add("week=2026-13-40&contact=%2F%2Fevil")
	f.Add("t." + ns[1].ID() + "=%ff%fe&n." + ns[1].ID() + "=%00")
	f.Add("%zz=1&;;&&==")
	f.Fuzz(func(t *testing.T, body string) {
		if len(body) > 1<<16 {
			return
		}
		e.t = t
		q, err := url.ParseQuery(body)
		if err != nil {
			q = url.Values{}
		}
		q.Set("csrf", tok)
		if q.Get("week") == "" {
			q.Set("week", lastWeek)
		}
		r := e.post("/classify", "ann", q)
		if r.code >= 500 || (r.code != http.StatusSeeOther && r.code < 400) {
			t.Fatalf("POST %q = %d: %s", body, r.code, r.body)
		}
		if loc := r.hdr.Get("Location"); r.code == http.StatusSeeOther && (!strings.HasPrefix(loc, "/week") || strings.HasPrefix(loc, "//")) {
			t.Fatalf("redirect to %q", loc)
		}
		for _, it := range e.snapshot().Week(rotation, rotation.Prev(rotation.Week(fixedNow)), nil).Items {
			if _, ok := (*alerts.TagSet)(nil).Lookup(it.Classification.Tag); !ok {
				t.Fatalf("stored unknown tag %q", it.Classification.Tag)
			}
		}
	})
}
