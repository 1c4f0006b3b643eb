package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/craftkit/craftkit/alerts"
)

func TestNewRefusesBadOptions(t *testing.T) {
	store := &alerts.Memory{}
	id := func(*http.Request) (string, bool) { return "", false }
	if _, err := New(store, nil); !errors.Is(err, ErrNoIdentity) {
		t.Errorf("New(nil opts) = %v, want ErrNoIdentity", err)
	}
	if _, err := New(store, &Options{}); !errors.Is(err, ErrNoIdentity) {
		t.Errorf("New(no Identity) = %v, want ErrNoIdentity", err)
	}
	for _, o := range []Options{
		{Identity: id, Prefix: "//evil.example"},
		{Identity: id, Prefix: "oncall"},
		{Identity: id, Prefix: "/oncall/"},
		{Identity: id, MaxBodyBytes: -1},
		{Identity: id, CSRFSecret: []byte("short")},
		{Identity: id, Rotation: alerts.Rotation{Hour: 25}},
	} {
		if _, err := New(store, &o); err == nil {
			t.Errorf("New(%+v) = nil error, want one", o)
		}
	}
	if _, err := New(nil, &Options{Identity: id}); err == nil {
		t.Error("New(nil store) = nil error")
	}
}

var pages = []string{
	"/", "/week?week=" + lastWeek, "/week?contact=*", "/update", "/meeting", "/history?alert=" + "ALERT",
	"/search?q=web1", "/year", "/year?year=2026", "/personal", "/personal?person=bob", "/sleep", "/sleep?person=bob",
}

func pageList(ns []alerts.Notification) []string {
	out := make([]string, len(pages))
	for i, p := range pages {
		out[i] = strings.Replace(p, "ALERT", url.QueryEscape(ns[0].AlertID()), 1)
	}
	return out
}

func TestUnauthenticated(t *testing.T) {
	ns := fixture()
	e := newEnv(t, ns, nil)
	for _, p := range append(pageList(ns), "/static/app.css", "/nope") {
		mustStatus(t, "GET "+p+" anonymous", e.get(p, ""), http.StatusUnauthorized)
	}
	for _, p := range []string{"/classify", "/update", "/meeting/notes"} {
		mustStatus(t, "POST "+p+" anonymous", e.post(p, "", fmtForm("text", "x")), http.StatusUnauthorized)
	}
	// An identity function may return ok with garbage: refused too.
	bad := newEnv(t, ns, func(o *Options) {
		o.Identity = func(*http.Request) (string, bool) { return "a\x00b", true }
	})
	mustStatus(t, "GET / with a control character in the user", bad.get("/", "x"), http.StatusUnauthorized)
	if e.store.Len() != len(ns) {
		t.Errorf("store has %d records after anonymous requests, want %d", e.store.Len(), len(ns))
	}
}

func TestPagesHTMLAndJSON(t *testing.T) {
	ns := fixture()
	e := newEnv(t, ns, nil)
	want := map[string]string{
		"/":                    "HTTP CRITICAL - 503",
		"/week?contact=*":      "queue depth 5000",
		"/update":              "What happened on call",
		"/meeting":             "<svg",
		"/search?q=web1":       "2 results",
		"/year":                "<svg",
		"/personal?person=bob": "bob, 2026",
		"/sleep":               "interruption windows",
		"/history?alert=" + url.QueryEscape(ns[0].AlertID()): "Fired in 7 days",
	}
	for _, p := range pageList(ns) {
		r := e.get(p, "ann")
		mustStatus(t, "GET "+p, r, 200)
		if ct := r.hdr.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s Content-Type = %q", p, ct)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"} {
			if r.hdr.Get(h) == "" {
				t.Errorf("GET %s: no %s header", p, h)
			}
		}
		if s, ok := want[p]; ok && !strings.Contains(r.body, s) {
			t.Errorf("GET %s: page lacks %q", p, s)
		}
		sep := "?"
		if strings.Contains(p, "?") {
			sep = "&"
		}
		for _, jr := range []resp{e.get(p+sep+"format=json", "ann"), e.do("GET", p, "ann", nil, map[string]string{"Accept": "application/json"})} {
			mustStatus(t, "GET "+p+" as JSON", jr, 200)
			var v map[string]any
			if err := json.Unmarshal([]byte(jr.body), &v); err != nil {
				t.Errorf("GET %s as JSON: %v", p, err)
			}
		}
	}
	// The week JSON holds the report of ann's four notifications.
	var wk struct {
		Report alerts.WeekReport `json:"report"`
	}
	if err := json.Unmarshal([]byte(e.get("/week?format=json", "ann").body), &wk); err != nil {
		t.Fatal(err)
	}
	if wk.Report.Total != 4 {
		t.Errorf("week JSON total = %d, want 4", wk.Report.Total)
	}
	mustStatus(t, "GET /static/app.css", e.get("/static/app.css", "ann"), 200)
	mustStatus(t, "GET unknown", e.get("/nope", "ann"), 404)
	mustStatus(t, "GET /history unknown alert", e.get("/history?alert=zzz", "ann"), 404)
	mustStatus(t, "GET /week bad date", e.get("/week?week=yesterday", "ann"), 400)
	mustStatus(t, "GET /year bad", e.get("/year?year=99999", "ann"), 400)
	mustStatus(t, "GET long query", e.get("/search?q="+strings.Repeat("a", MaxQueryBytes+1), "ann"), 400)
}

func TestWeekShowsViewerZone(t *testing.T) {
	ns := fixture()
	e := newEnv(t, ns, func(o *Options) {
		o.Zone = func(u string) *time.Location {
			if u == "ann" {
				return mustZone("America/New_York")
			}
			return nil
		}
	})
	// 2026-11-24 03:00 UTC is Mon 23 22:00 in New York, Tue 24 04:00 in Berlin.
	if b := e.get("/", "ann").body; !strings.Contains(b, "Mon 23 22:00") {
		t.Errorf("ann's page lacks the New York time Mon 23 22:00")
	}
	if b := e.get("/?contact=ann", "bob").body; !strings.Contains(b, "Tue 24 04:00") {
		t.Errorf("bob's page lacks the Berlin time Tue 24 04:00")
	}
}

func TestClassifyThroughForm(t *testing.T) {
	ns := fixture()
	e := newEnv(t, ns, nil)
	tok := e.token("/", "ann")
	f := fmtForm("csrf", tok, "week", lastWeek,
		"t."+idOf(ns, 0), "issue", "n."+idOf(ns, 0), "restarted <b>nginx</b>",
		"t."+idOf(ns, 2), "thresholdincorrect",
		"t."+idOf(ns, 3), "checkfaulty",
		"t."+idOf(ns, 1), "", "n."+idOf(ns, 1), "")
	r := e.post("/classify", "ann", f)
	mustStatus(t, "POST /classify", r, http.StatusSeeOther)
	if loc := r.hdr.Get("Location"); loc != "/week?week="+lastWeek {
		t.Errorf("redirect to %q, want /week?week=%s", loc, lastWeek)
	}
	s := e.snapshot()
	for i, tag := range map[int]string{0: "issue", 2: "thresholdincorrect", 3: "checkfaulty"} {
		c, ok := s.Classification(idOf(ns, i))
		if !ok || c.Tag != tag || c.By != "ann" || !c.At.Equal(fixedNow) {
			t.Errorf("classification of %d = %+v, %v; want %s by ann", i, c, ok, tag)
		}
	}
	if _, ok := s.Classification(idOf(ns, 1)); ok {
		t.Error("unchanged row 1 was stored")
	}
	page := e.get("/", "ann").body
	// One action of three tagged: 33%.
	if !strings.Contains(page, `<b id="sn">33%</b>`) {
		t.Errorf("signal/noise 33%% not on the page")
	}
	if !strings.Contains(page, `restarted &lt;b&gt;nginx&lt;/b&gt;`) {
		t.Error("note not shown escaped")
	}
	if !strings.Contains(page, `<option selected>checkfaulty`) {
		t.Error("saved tag not selected")
	}
	// Posting the same values again stores nothing.
	n := e.store.Len()
	mustStatus(t, "POST unchanged", e.post("/classify", "ann", f), http.StatusSeeOther)
	if e.store.Len() != n {
		t.Errorf("unchanged resubmit appended %d records", e.store.Len()-n)
	}
	mustStatus(t, "POST unknown tag", e.post("/classify", "ann", fmtForm("csrf", tok, "week", lastWeek, "t."+idOf(ns, 1), "nosuchtag")), 400)
	mustStatus(t, "POST long note", e.post("/classify", "ann", fmtForm("csrf", tok, "week", lastWeek, "n."+idOf(ns, 1), strings.Repeat("x", MaxNoteBytes+1))), 400)
}

var digestRE = regexp.MustCompile(`name="rows" value="([0-9a-f]+)"`)

// TestClassifyByRowNumber submits the form as a browser does: fields
// named by row number plus the digest of the rows, which must still
// match when the form comes back.
func TestClassifyByRowNumber(t *testing.T) {
	ns := fixture()
	e := newEnv(t, ns, nil)
	page := e.get("/", "ann").body
	tok := csrfRE.FindStringSubmatch(page)[1]
	dg := digestRE.FindStringSubmatch(page)
	if dg == nil || !strings.Contains(page, `name="t2"`) || !strings.Contains(page, `name="n3"`) {
		t.Fatal("page lacks the row digest or row-numbered fields")
	}
	// Rows are in time order: row 2 is ns[2] (db1).
	r := e.post("/classify", "ann", fmtForm("csrf", tok, "week", lastWeek, "rows", dg[1], "t2", "thresholdincorrect", "n2", "raise to 95%", "t0", "", "n0", ""))
	mustStatus(t, "POST by row number", r, http.StatusSeeOther)
	if c, _ := e.snapshot().Classification(idOf(ns, 2)); c.Tag != "thresholdincorrect" || c.Note != "raise to 95%" {
		t.Errorf("row 2 = %+v", c)
	}
	// A notification arriving in the week shifts the rows: the old form is refused.
	late := alerts.Notification{Time: ns[0].Time.Add(-time.Hour), Contact: "ann", Host: "late", State: "DOWN"}
	if err := e.store.Append(t.Context(), alerts.NotificationRecords([]alerts.Notification{late})); err != nil {
		t.Fatal(err)
	}
	n := e.store.Len()
	mustStatus(t, "POST with a stale digest", e.post("/classify", "ann", fmtForm("csrf", tok, "week", lastWeek, "rows", dg[1], "t2", "issue")), http.StatusConflict)
	if e.store.Len() != n {
		t.Error("a stale form stored something")
	}
}

func TestBulkClassify(t *testing.T) {
	ns := fixture()
	e := newEnv(t, ns, nil)
	tok := e.token("/", "ann")
	// Bulk on web1/HTTP, but row 1 is set individually and wins.
	r := e.post("/classify", "ann", fmtForm("csrf", tok, "week", lastWeek,
		"bulk.host", "web1", "bulk.service", "HTTP", "bulk.tag", "downtimeexpired", "bulk.note", "maintenance",
		"t."+idOf(ns, 1), "issue"))
	mustStatus(t, "POST bulk", r, http.StatusSeeOther)
	s := e.snapshot()
	if c, _ := s.Classification(idOf(ns, 0)); c.Tag != "downtimeexpired" || c.Note != "maintenance" {
		t.Errorf("row 0 = %+v, want the bulk verdict", c)
	}
	if c, _ := s.Classification(idOf(ns, 1)); c.Tag != "issue" {
		t.Errorf("row 1 = %+v, want its own tag", c)
	}
	if _, ok := s.Classification(idOf(ns, 2)); ok {
		t.Error("bulk on web1 classified db1")
	}
	// Bulk by host across contacts only touches what ann may classify.
	r = e.post("/classify", "ann", fmtForm("csrf", tok, "week", lastWeek, "contact", "*", "bulk.host", "web2", "bulk.tag", "checkfaulty"))
	mustStatus(t, "POST bulk web2", r, http.StatusSeeOther)
	s = e.snapshot()
	if _, ok := s.Classification(idOf(ns, 4)); ok {
		t.Error("ann's bulk classified bob's notification")
	}
	if c, _ := s.Classification(idOf(ns, 3)); c.Tag != "checkfaulty" {
		t.Errorf("row 3 = %+v, want checkfaulty", c)
	}
	mustStatus(t, "POST bulk without host or service", e.post("/classify", "ann", fmtForm("csrf", tok, "week", lastWeek, "bulk.tag", "issue")), 400)
}

func TestCSRFRefused(t *testing.T) {
	ns := fixture()
	e := newEnv(t, ns, nil)
	annTok := e.token("/", "ann")
	bobTok := e.token("/", "bob")
	other := newEnv(t, ns, func(o *Options) { o.CSRFSecret = []byte("another secret, 32 bytes long!!!") })
	otherTok := other.token("/", "ann")
	e.now = fixedNow.Add(25 * time.Hour)
	expired := annTok
	e.now = fixedNow
	tamper := annTok[:len(annTok)-2] + "AA"
	cases := map[string]string{"missing": "", "garbage": "x", "other user's": bobTok, "other secret": otherTok, "tampered": tamper, "no dot": strings.ReplaceAll(annTok, ".", "")}
	for _, p := range []string{"/classify", "/update", "/meeting/notes"} {
		for name, tok := range cases {
			f := fmtForm("week", lastWeek, "t."+idOf(ns, 0), "issue", "text", "hello")
			if tok != "" {
				f.Set("csrf", tok)
			}
			mustStatus(t, "POST "+p+" with "+name+" token", e.post(p, "ann", f), http.StatusForbidden)
		}
		// Expiry: the token of now is refused 25 hours later.
		e.now = fixedNow.Add(25 * time.Hour)
		mustStatus(t, "POST "+p+" with an expired token", e.post(p, "ann", fmtForm("csrf", expired, "week", lastWeek, "text", "x")), http.StatusForbidden)
		e.now = fixedNow.Add(11 * time.Hour)
		mustStatus(t, "POST "+p+" with a token of 11 hours ago", e.post(p, "ann", fmtForm("csrf", expired, "week", lastWeek, "text", "x")), http.StatusSeeOther)
		e.now = fixedNow
	}
	s := e.snapshot()
	if _, ok := s.Classification(idOf(ns, 0)); ok {
		t.Error("a refused POST stored a classification")
	}
	// GET never writes, whatever it carries; forms refuse GET.
	n := e.store.Len()
	mustStatus(t, "GET /classify", e.get("/classify?csrf="+url.QueryEscape(annTok)+"&t."+idOf(ns, 0)+"=issue", "ann"), http.StatusMethodNotAllowed)
	mustStatus(t, "GET /update with text", e.get("/update?text=x&csrf="+url.QueryEscape(annTok), "ann"), 200)
	mustStatus(t, "GET /meeting/notes", e.get("/meeting/notes?text=x", "ann"), http.StatusMethodNotAllowed)
	if e.store.Len() != n {
		t.Error("a GET changed the store")
	}
	mustStatus(t, "POST JSON body", e.do("POST", "/update", "ann", nil, map[string]string{"Content-Type": "application/json"}), http.StatusUnsupportedMediaType)
}

func TestOnlyOwnUnlessAdmin(t *testing.T) {
	ns := fixture()
	e := newEnv(t, ns, nil)
	tok := e.token("/", "ann")
	n := e.store.Len()
	mustStatus(t, "ann classifies bob's", e.post("/classify", "ann", fmtForm("csrf", tok, "week", lastWeek, "contact", "*",
		"t."+idOf(ns, 0), "issue", "t."+idOf(ns, 4), "issue")), http.StatusForbidden)
	mustStatus(t, "ann edits bob's update", e.post("/update", "ann", fmtForm("csrf", tok, "week", lastWeek, "person", "bob", "text", "mine now")), http.StatusForbidden)
	if e.store.Len() != n {
		t.Error("a forbidden POST stored something")
	}
	// bob's page offers ann's rows read-only, with no form fields.
	if b := e.get("/?contact=ann", "bob").body; strings.Contains(b, `name="t.`+idOf(ns, 0)) {
		t.Error("bob is offered a tag field for ann's notification")
	}
	mustStatus(t, "ann's update", e.post("/update", "ann", fmtForm("csrf", tok, "week", lastWeek, "text", "quiet week")), http.StatusSeeOther)
	boss := e.token("/?contact=*", "boss")
	mustStatus(t, "admin classifies bob's", e.post("/classify", "boss", fmtForm("csrf", boss, "week", lastWeek, "contact", "bob", "t."+idOf(ns, 4), "issue")), http.StatusSeeOther)
	mustStatus(t, "admin edits bob's update", e.post("/update", "boss", fmtForm("csrf", boss, "week", lastWeek, "person", "bob", "text", "bob was away")), http.StatusSeeOther)
	mustStatus(t, "meeting notes", e.post("/meeting/notes", "ann", fmtForm("csrf", tok, "week", lastWeek, "text", "raise disk threshold")), http.StatusSeeOther)
	s := e.snapshot()
	if c, _ := s.Classification(idOf(ns, 4)); c.Tag != "issue" || c.By != "boss" {
		t.Errorf("bob's notification = %+v, want issue by boss", c)
	}
	ups := s.Updates(rotation.Prev(rotation.Week(fixedNow)).Start)
	if len(ups) != 2 {
		t.Fatalf("updates = %+v, want ann's and bob's", ups)
	}
	m := e.get("/meeting", "ann").body
	for _, s := range []string{"quiet week", "bob was away", "raise disk threshold"} {
		if !strings.Contains(m, s) {
			t.Errorf("meeting page lacks %q", s)
		}
	}
	if u := e.get("/update?person=bob", "ann").body; strings.Contains(u, "<textarea") {
		t.Error("ann is offered a form for bob's update")
	}
	// Contacts lets ann answer for a team receiver.
	team := newEnv(t, append(ns, alerts.Notification{Time: ns[0].Time, Contact: "team-pager", Host: "k8s", State: "FIRING"}), func(o *Options) {
		o.Contacts = func(u string) []string { return []string{u, "team-pager"} }
	})
	tt := team.token("/", "ann")
	id := (&alerts.Notification{Time: ns[0].Time, Contact: "team-pager", Host: "k8s", State: "FIRING"}).ID()
	mustStatus(t, "ann classifies the team's", team.post("/classify", "ann", fmtForm("csrf", tt, "week", lastWeek, "contact", "team-pager", "t."+id, "issue")), http.StatusSeeOther)
}

func TestBodyLimit(t *testing.T) {
	ns := fixture()
	e := newEnv(t, ns, func(o *Options) { o.MaxBodyBytes = 4096 })
	tok := e.token("/", "ann")
	for _, p := range []string{"/classify", "/update", "/meeting/notes"} {
		r := e.post(p, "ann", fmtForm("csrf", tok, "week", lastWeek, "text", strings.Repeat("a", 5000)))
		mustStatus(t, "POST "+p+" over the body limit", r, http.StatusRequestEntityTooLarge)
	}
	d := newEnv(t, ns, nil)
	dt := d.token("/", "ann")
	mustStatus(t, "POST 2 MB", d.post("/update", "ann", fmtForm("csrf", dt, "week", lastWeek, "text", strings.Repeat("a", 2<<20))), http.StatusRequestEntityTooLarge)
	mustStatus(t, "POST update over MaxUpdateBytes", d.post("/update", "ann", fmtForm("csrf", dt, "week", lastWeek, "text", strings.Repeat("a", MaxUpdateBytes+1))), 400)
}

func TestNoOpenRedirect(t *testing.T) {
	ns := fixture()
	e := newEnv(t, ns, func(o *Options) { o.Prefix = "/oncall" })
	tok := e.token("/?contact=*", "boss")
	for _, f := range []url.Values{
		fmtForm("csrf", tok, "week", lastWeek, "next", "https://evil.example/", "redirect", "//evil.example", "contact", "//evil.example/x"),
		fmtForm("csrf", tok, "week", lastWeek, "contact", "https://evil.example"),
		fmtForm("csrf", tok, "week", lastWeek, "contact", "\\\\evil.example"),
		fmtForm("csrf", tok, "week", lastWeek, "person", "/\\evil.example", "text", "x"),
	} {
		for _, p := range []string{"/classify", "/update", "/meeting/notes"} {
			r := e.post(p, "boss", f)
			if r.code != http.StatusSeeOther && r.code != 400 {
				t.Fatalf("POST %s = %d: %s", p, r.code, r.body)
			}
			if r.code == 400 {
				continue
			}
			loc := r.hdr.Get("Location")
			u, err := url.Parse(loc)
			if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(loc, "/oncall/") || strings.HasPrefix(loc, "//") {
				t.Errorf("POST %s redirects to %q", p, loc)
			}
		}
	}
	// Links in pages carry the prefix.
	if b := e.get("/", "ann").body; !strings.Contains(b, `action="/oncall/classify"`) {
		t.Error("form action lacks the prefix")
	}
}
