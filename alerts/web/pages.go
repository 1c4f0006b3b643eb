package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/craftkit/craftkit/alerts"
)

// maxOutputShown bounds the output shown in a table row; the alert's
// history page shows it whole.
const maxOutputShown = 300

// weekParam parses ?week=YYYY-MM-DD, the date (in the rotation's zone)
// on which the wanted week starts; empty means last week.
func (h *handler) weekParam(s string) (alerts.Week, error) {
	rot := h.opts.Rotation
	if s == "" {
		return rot.Prev(rot.Week(h.opts.Now())), nil
	}
	d, err := time.ParseInLocation("2006-01-02", s, rot.Location)
	if err != nil || d.Year() < 1970 || d.Year() > 9999 {
		return alerts.Week{}, errorf(http.StatusBadRequest, "week: want a date YYYY-MM-DD")
	}
	// The last instant of that day lies in the week starting on it.
	return rot.Week(d.AddDate(0, 0, 1).Add(-time.Nanosecond)), nil
}

func (h *handler) weekDate(w alerts.Week) string {
	return w.Start.In(h.opts.Rotation.Location).Format("2006-01-02")
}

func (h *handler) yearParam(s string) (from, to time.Time, year int, err error) {
	loc := h.opts.Rotation.Location
	year = h.opts.Now().In(loc).Year()
	if s != "" {
		year, err = strconv.Atoi(s)
		if err != nil || year < 1970 || year > 9999 {
			return from, to, 0, errorf(http.StatusBadRequest, "year: want YYYY")
		}
	}
	from = time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(1, 0, 0), year, nil
}

// contactFilter maps the ?contact parameter to a report filter: empty is
// the user, "*" everyone.
func (h *handler) contactFilter(user, c string) string {
	switch c {
	case "":
		return user
	case "*":
		return ""
	}
	return c
}

func (h *handler) personParam(r *http.Request) (string, error) {
	p := r.URL.Query().Get("person")
	if p == "" {
		return userOf(r), nil
	}
	if !validUser(p) {
		return "", errorf(http.StatusBadRequest, "invalid person")
	}
	return p, nil
}

type weekNav struct {
	Label, Date, Prev, Next string
}

func (h *handler) nav(w alerts.Week, viewer *time.Location) weekNav {
	rot := h.opts.Rotation
	const f = "Mon 2 Jan 2006 15:04"
	return weekNav{
		Label: w.Start.In(viewer).Format(f) + " – " + w.End.In(viewer).Format(f),
		Date:  h.weekDate(w),
		Prev:  h.weekDate(rot.Prev(w)),
		Next:  h.weekDate(rot.Next(w)),
	}
}

type weekRow struct {
	ID, AlertID, Time, Host, Service, State, Output, Note, TagLabel string
	Index                                                           int
	StateClass                                                      string
	Edit                                                            bool
	Options                                                         template.HTML
}

type weekData struct {
	Nav             weekNav
	Contact         string
	ContactLabel    string
	Report          *alerts.WeekReport
	Rows            []weekRow
	Editable        bool
	Hosts, Services []string
	Tags            []alerts.Tag
	CSRF            string
	SignalNoise     string
	Digest          string
}

func stateClass(s string) string {
	switch strings.ToUpper(s) {
	case "CRITICAL", "DOWN", "FIRING", "UNREACHABLE":
		return "crit"
	case "WARNING":
		return "warn"
	case "OK", "UP", "RESOLVED":
		return "ok"
	}
	return "unk"
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// tagOptions renders the <option> list of the tag set once per selected
// tag, so rows share the markup. To keep a week of 1,000 rows small, an
// option shows the tag's key (the page lists every key with its label
// once, above the table) and the key is the option's text and value.
func (h *handler) tagOptions() map[string]template.HTML {
	out := make(map[string]template.HTML, len(h.tags))
	for _, sel := range h.tags {
		var b strings.Builder
		for _, t := range h.tags {
			b.WriteString(optionHTML(t.Key, t.Key == sel.Key))
		}
		out[sel.Key] = template.HTML(b.String())
	}
	return out
}

func optionHTML(key string, selected bool) string {
	var b strings.Builder
	b.WriteString("<option")
	if key == "" || strings.TrimSpace(key) != key || strings.Contains(key, "  ") {
		b.WriteString(` value="` + template.HTMLEscapeString(key) + `"`)
	}
	if selected {
		b.WriteString(" selected")
	}
	b.WriteString(">")
	b.WriteString(template.HTMLEscapeString(key)) // the untagged option is blank
	return b.String()
}

func signalNoise(tagged int, sn float64) string {
	if tagged == 0 {
		return "–"
	}
	return pct(sn)
}

func (h *handler) weekPage(r *http.Request, snap *alerts.Snapshot) (*view, error) {
	q := r.URL.Query()
	wk, err := h.weekParam(q.Get("week"))
	if err != nil {
		return nil, err
	}
	user := userOf(r)
	contact := q.Get("contact")
	filter := h.contactFilter(user, contact)
	rep := snap.Week(h.opts.Rotation, wk, &alerts.ReportOptions{Contact: filter})
	viewer := h.zone(user)
	d := &weekData{
		Nav: h.nav(wk, viewer), Contact: contact, ContactLabel: filter, Report: rep,
		Tags: h.tags, SignalNoise: signalNoise(rep.Tagged, rep.SignalNoise),
	}
	if filter == "" {
		d.ContactLabel = "everyone"
	}
	opts := h.tagOptions()
	hosts, services := map[string]bool{}, map[string]bool{}
	d.Rows = make([]weekRow, 0, len(rep.Items))
	for i, it := range rep.Items {
		n := &it.Notification
		row := weekRow{
			Index: i, ID: it.ID, AlertID: n.AlertID(), Time: n.Time.In(viewer).Format("Mon 02 15:04"),
			Host: n.Host, Service: n.Service, State: n.State, StateClass: stateClass(n.State),
			Output: shorten(n.Output, maxOutputShown), Note: it.Classification.Note, TagLabel: it.Tag.Label,
			Edit: h.mayClassify(user, n),
		}
		if row.Edit {
			o, ok := opts[it.Classification.Tag]
			if !ok { // a tag no longer in the set: offer it too
				o = template.HTML(`<option value="`+template.HTMLEscapeString(it.Classification.Tag)+`" selected>`+
					template.HTMLEscapeString(it.Classification.Tag)+`</option>`) + opts[""]
			}
			row.Options = o
			d.Editable = true
			hosts[n.Host] = true
			if n.Service != "" {
				services[n.Service] = true
			}
		}
		d.Rows = append(d.Rows, row)
	}
	d.Hosts, d.Services = sortedKeys(hosts), sortedKeys(services)
	if d.Editable {
		d.CSRF = h.token(user)
		d.Digest = rowsDigest(rep.Items)
	}
	return &view{
		name: "week", title: "On-call week", data: d,
		json: struct {
			Week    alerts.Week        `json:"week"`
			Contact string             `json:"contact"`
			Report  *alerts.WeekReport `json:"report"`
			Tags    []alerts.Tag       `json:"tags"`
		}{wk, filter, rep, h.tags},
	}, nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

type updateData struct {
	Nav    weekNav
	Person string
	Text   string
	At     string
	Edit   bool
	CSRF   string
	Others []alerts.WeeklyUpdate
}

func (h *handler) updatePage(r *http.Request, snap *alerts.Snapshot) (*view, error) {
	wk, err := h.weekParam(r.URL.Query().Get("week"))
	if err != nil {
		return nil, err
	}
	person, err := h.personParam(r)
	if err != nil {
		return nil, err
	}
	user := userOf(r)
	d := &updateData{Nav: h.nav(wk, h.zone(user)), Person: person, Edit: person == user || h.admin(user)}
	var mine *alerts.WeeklyUpdate
	for _, u := range snap.Updates(wk.Start) {
		if u.Person == person {
			d.Text, d.At = u.Text, u.At.In(h.zone(user)).Format("Mon 2 Jan 15:04")
			mine = &u
		} else {
			d.Others = append(d.Others, u)
		}
	}
	if d.Edit {
		d.CSRF = h.token(user)
	}
	return &view{name: "update", title: "Weekly update", data: d, json: struct {
		Week   alerts.Week          `json:"week"`
		Person string               `json:"person"`
		Update *alerts.WeeklyUpdate `json:"update"`
	}{wk, person, mine}}, nil
}

type meetingData struct {
	Nav         weekNav
	R           *alerts.MeetingReport
	SignalNoise string
	Previous    string
	Diff        string
	Trend, Heat template.HTML
	CSRF        string
}

func (h *handler) meetingPage(r *http.Request, snap *alerts.Snapshot) (*view, error) {
	wk, err := h.weekParam(r.URL.Query().Get("week"))
	if err != nil {
		return nil, err
	}
	user := userOf(r)
	mr := snap.MeetingReport(h.opts.Rotation, wk)
	d := &meetingData{
		Nav: h.nav(wk, h.zone(user)), R: mr,
		SignalNoise: signalNoise(mr.Report.Tagged, mr.Report.SignalNoise),
		Previous:    signalNoise(mr.Previous.Action+mr.Previous.NoAction, mr.Previous.SignalNoise),
		Diff:        fmt.Sprintf("%+.0f points", mr.SignalNoiseDiff*100),
		// The charts' text is XML-escaped by package alerts, and their
		// inputs here are counts and dates only.
		Trend: template.HTML(alerts.TrendChart("Signal/noise, last 12 weeks", mr.Trend)),
		Heat:  template.HTML(alerts.HeatMap("Notifications by weekday and hour", mr.Report.Heat)),
		CSRF:  h.token(user),
	}
	return &view{name: "meeting", title: "Meeting", data: d, json: mr}, nil
}

type historyData struct {
	H    *alerts.History
	Rows []itemRow
}

type itemRow struct {
	ID, AlertID, Time, Host, Service, State, StateClass, Output, Tag, Note, By string
}

func (h *handler) itemRows(items []alerts.Item, viewer *time.Location) []itemRow {
	out := make([]itemRow, len(items))
	for i, it := range items {
		n := &it.Notification
		out[i] = itemRow{
			ID: it.ID, AlertID: n.AlertID(), Time: n.Time.In(viewer).Format("2006-01-02 15:04"),
			Host: n.Host, Service: n.Service, State: n.State, StateClass: stateClass(n.State),
			Output: n.Output, Tag: it.Tag.Label, Note: it.Classification.Note, By: it.Classification.By,
		}
	}
	return out
}

func (h *handler) historyPage(r *http.Request, snap *alerts.Snapshot) (*view, error) {
	id := r.URL.Query().Get("alert")
	if id == "" {
		return nil, errorf(http.StatusBadRequest, "alert: missing")
	}
	hist := snap.History(id, h.opts.Now(), 100)
	if len(hist.Items) == 0 && hist.Host == "" {
		return nil, errorf(http.StatusNotFound, "no such alert")
	}
	d := &historyData{H: hist, Rows: h.itemRows(hist.Items, h.zone(userOf(r)))}
	return &view{name: "history", title: "Alert history", data: d, json: hist}, nil
}

type searchData struct {
	Q    string
	Rows []itemRow
}

func (h *handler) searchPage(r *http.Request, snap *alerts.Snapshot) (*view, error) {
	q := r.URL.Query().Get("q")
	items := snap.Search(q, 100)
	if items == nil {
		items = []alerts.Item{}
	}
	d := &searchData{Q: q, Rows: h.itemRows(items, h.zone(userOf(r)))}
	return &view{name: "search", title: "Search", data: d, json: struct {
		Query string        `json:"query"`
		Items []alerts.Item `json:"items"`
	}{q, items}}, nil
}

type yearData struct {
	Year                              int
	Points                            []alerts.TrendPoint
	Total, Action, NoAction, Untagged int
	SignalNoise                       string
	Chart                             template.HTML
}

func (h *handler) yearPage(r *http.Request, snap *alerts.Snapshot) (*view, error) {
	from, to, year, err := h.yearParam(r.URL.Query().Get("year"))
	if err != nil {
		return nil, err
	}
	pts := snap.Trend(h.opts.Rotation, from, to, nil)
	d := &yearData{Year: year, Points: pts, Chart: template.HTML(alerts.TrendChart("Signal/noise by week, "+strconv.Itoa(year), pts))}
	for _, p := range pts {
		d.Total += p.Total
		d.Action += p.Action
		d.NoAction += p.NoAction
		d.Untagged += p.Untagged
	}
	sn := 0.0
	if d.Action+d.NoAction > 0 {
		sn = float64(d.Action) / float64(d.Action+d.NoAction)
	}
	d.SignalNoise = signalNoise(d.Action+d.NoAction, sn)
	return &view{name: "year", title: "Year report", data: d, json: struct {
		Year  int                 `json:"year"`
		Weeks []alerts.TrendPoint `json:"weeks"`
	}{year, pts}}, nil
}

type personalData struct {
	Year        int
	P           *alerts.PersonalReport
	SignalNoise string
	Zone        string
}

func (h *handler) personalPage(r *http.Request, snap *alerts.Snapshot) (*view, error) {
	person, err := h.personParam(r)
	if err != nil {
		return nil, err
	}
	from, to, year, err := h.yearParam(r.URL.Query().Get("year"))
	if err != nil {
		return nil, err
	}
	loc := h.zone(person)
	pr := snap.Personal(h.opts.Rotation, person, from, to, loc)
	d := &personalData{Year: year, P: pr, SignalNoise: signalNoise(pr.Action+pr.NoAction, pr.SignalNoise), Zone: loc.String()}
	return &view{name: "personal", title: "Personal report", data: d, json: pr}, nil
}

type sleepData struct {
	Nav     weekNav
	Person  string
	Count   int
	Sleep   *alerts.SleepReport
	Windows alerts.Interruptions
	Zone    string
}

func (h *handler) sleepPage(r *http.Request, snap *alerts.Snapshot) (*view, error) {
	person, err := h.personParam(r)
	if err != nil {
		return nil, err
	}
	wk, err := h.weekParam(r.URL.Query().Get("week"))
	if err != nil {
		return nil, err
	}
	ns, err := snap.Notifications(r.Context(), person, wk.Start, wk.End)
	if err != nil {
		return nil, err
	}
	loc := h.zone(person)
	d := &sleepData{Nav: h.nav(wk, h.zone(userOf(r))), Person: person, Count: len(ns), Zone: loc.String()}
	if h.opts.Sleep != nil {
		periods, err := h.opts.Sleep(r.Context(), person, wk.Start, wk.End)
		if err != nil {
			return nil, err
		}
		if len(periods) > 0 {
			d.Sleep = alerts.Sleep(ns, periods, &alerts.SleepOptions{Location: loc})
		}
	}
	if d.Sleep == nil {
		d.Windows = alerts.CountWindows(ns, loc)
	}
	return &view{name: "sleep", title: "Sleep report", data: d, json: struct {
		Week    alerts.Week           `json:"week"`
		Person  string                `json:"person"`
		Sleep   *alerts.SleepReport   `json:"sleep,omitempty"`
		Windows *alerts.Interruptions `json:"windows,omitempty"`
	}{wk, person, d.Sleep, windowsOrNil(d)}}, nil
}

func windowsOrNil(d *sleepData) *alerts.Interruptions {
	if d.Sleep != nil {
		return nil
	}
	return &d.Windows
}

// rowsDigest fingerprints the notification IDs of a week page in order:
// the form names its fields by row number ("t3", "n3") to stay small, and
// the digest proves on submit that the rows are still the same ones.
func rowsDigest(items []alerts.Item) string {
	h := sha256.New()
	for _, it := range items {
		h.Write([]byte(it.ID))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
