package alerts_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/craftkit/craftkit/alerts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHistoryAndSearch(t *testing.T) {
	snap, _, w := weekFixture(t)
	n := alerts.Notification{Host: "db1", Service: "Disk"}
	now := w.Start.Add(7 * 24 * time.Hour)
	h := snap.History(n.AlertID(), now, 0)
	assert.Equal(t, "db1", h.Host)
	require.Len(t, h.Items, 3, "two problems and a recovery")
	assert.True(t, h.Items[0].Notification.Time.After(h.Items[2].Notification.Time), "newest first")
	assert.Equal(t, 2, h.Fired7)
	assert.Equal(t, 2, h.Fired365)
	assert.Equal(t, "na", h.Last.Tag, "ties on At: the newest notification's verdict")
	// Six days later, one problem is older than 7 days.
	h = snap.History(n.AlertID(), now.Add(6*24*time.Hour+2*time.Hour), 1)
	assert.Equal(t, 1, h.Fired7)
	assert.Equal(t, 2, h.Fired30)
	assert.Len(t, h.Items, 1)
	// Nothing after now.
	h = snap.History(n.AlertID(), w.Start.Add(90*time.Minute), 0)
	assert.Len(t, h.Items, 1)

	got := snap.Search("DB1 full", 0)
	require.Len(t, got, 1)
	assert.Equal(t, "disk full", got[0].Notification.Output)
	got = snap.Search("note threshold", 0)
	assert.Len(t, got, 2, "notes are searched")
	assert.Empty(t, snap.Search("   ", 0))
	assert.Len(t, snap.Search("week", 1), 1)
}

func TestNoisy(t *testing.T) {
	ctx := context.Background()
	m := &alerts.Memory{}
	base := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	var ns []alerts.Notification
	var cs []alerts.Classification
	add := func(host string, hour int, tag string) {
		n := alerts.Notification{Time: base.Add(time.Duration(len(ns))*time.Minute + time.Duration(hour)*time.Hour), Contact: "ann", Host: host, Service: "x", State: "CRITICAL"}
		ns = append(ns, n)
		if tag != "" {
			cs = append(cs, alerts.Classification{NotificationID: n.ID(), Tag: tag, By: "ann", At: base.AddDate(0, 0, 7)})
		}
	}
	for range 5 {
		add("thresh", 3, "thresholdincorrect") // at night, never actioned
	}
	add("thresh", 12, "issue")
	for range 3 {
		add("flaky", 12, "checkfaulty")
	}
	add("real", 2, "issue")
	add("real", 3, "issue")
	add("untagged", 14, "")
	require.NoError(t, m.Append(ctx, alerts.NotificationRecords(ns)))
	require.NoError(t, m.Append(ctx, alerts.ClassificationRecords(cs)))
	snap, err := alerts.Load(ctx, m, nil)
	require.NoError(t, err)
	got := snap.Noisy(base, base.AddDate(0, 0, 7), nil)
	require.Len(t, got, 4)
	assert.Equal(t, "thresh", got[0].Host)
	assert.Equal(t, 5, got[0].NoAction)
	assert.Equal(t, 5, got[0].Night)
	assert.Equal(t, "thresholdincorrect", got[0].Dominant)
	assert.Equal(t, "adjust the threshold; never actioned at night: send by email only or page in business hours only", got[0].Suggestion)
	assert.Equal(t, "flaky", got[1].Host)
	assert.Equal(t, "fix or replace the check", got[1].Suggestion)
	assert.Equal(t, "real", got[2].Host)
	assert.Contains(t, got[2].Suggestion, "keep paging")
	assert.Equal(t, "classify these notifications", got[3].Suggestion)
}

func TestWindowsInResponderZone(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	tests := []struct {
		t    time.Time
		want alerts.Window
	}{
		{time.Date(2026, 3, 6, 8, 0, 0, 0, ny), alerts.BusinessHours}, // Friday
		{time.Date(2026, 3, 6, 17, 59, 0, 0, ny), alerts.BusinessHours},
		{time.Date(2026, 3, 6, 18, 0, 0, 0, ny), alerts.OffHours},
		{time.Date(2026, 3, 6, 22, 0, 0, 0, ny), alerts.SleepHours},
		{time.Date(2026, 3, 7, 7, 59, 0, 0, ny), alerts.SleepHours},
		{time.Date(2026, 3, 7, 12, 0, 0, 0, ny), alerts.OffHours}, // Saturday
		// The day after the DST change: 12:30 UTC is 08:30 EDT (07:30 EST the day before).
		{time.Date(2026, 3, 9, 12, 30, 0, 0, time.UTC), alerts.BusinessHours},
		{time.Date(2026, 3, 6, 12, 30, 0, 0, time.UTC), alerts.SleepHours},
	}
	for _, tt := range tests {
		if got := alerts.WindowOf(tt.t, ny); got != tt.want {
			t.Errorf("WindowOf(%v) = %v, want %v", tt.t.In(ny), got, tt.want)
		}
	}
	c := alerts.CountWindows([]alerts.Notification{{Time: tests[0].t}, {Time: tests[2].t}, {Time: tests[3].t}, {Time: tests[4].t}}, ny)
	assert.Equal(t, alerts.Interruptions{Business: 1, OffHours: 1, Sleep: 2}, c)
}

func TestSleep(t *testing.T) {
	csv := "start,end\n" +
		"2026-03-02T23:00:00Z,2026-03-03T02:00:00Z\n" + // woken at 02:00 by alert 1
		"2026-03-03T02:30:00Z,2026-03-03T04:00:00Z\n" + // back asleep after 30 min; woken at 04:00 by alert 3
		"2026-03-03T23:00:00Z,2026-03-04T07:00:00Z\n" // next night: alert 4 at 01:00 slept through? no: abandoned (period continues)
	ps, err := alerts.ParseSleepLog(strings.NewReader(csv))
	require.NoError(t, err)
	require.Len(t, ps, 3)
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	ns := []alerts.Notification{
		{Time: at("2026-03-03T01:59:00Z"), Host: "a"}, // wakes: inside period 1
		{Time: at("2026-03-03T02:10:00Z"), Host: "b"}, // already awake
		{Time: at("2026-03-03T04:05:00Z"), Host: "c"}, // within grace after period 2 ends; nothing within 4 h: abandoned
		{Time: at("2026-03-03T15:00:00Z"), Host: "d"}, // daytime
	}
	rep := alerts.Sleep(ns, ps, nil)
	assert.Equal(t, 4, rep.Notifications)
	assert.Equal(t, 2, rep.Woken)
	assert.Equal(t, 1, rep.Abandoned)
	assert.Equal(t, 31*time.Minute, rep.MeanTimeToSleep)
	assert.Equal(t, 31*time.Minute+4*time.Hour, rep.TimeAwake)
	assert.True(t, rep.Impacts[0].Woken)
	assert.False(t, rep.Impacts[1].Woken)
	assert.True(t, rep.Impacts[2].Abandoned)
	assert.Equal(t, alerts.Interruptions{Business: 1, Sleep: 3}, rep.Windows)

	assert.Equal(t, alerts.Asleep, alerts.SleepStateAt(ps, at("2026-03-03T01:00:00Z")))
	assert.Equal(t, alerts.Awake, alerts.SleepStateAt(ps, at("2026-03-03T02:00:00Z")), "periods are half-open")
	assert.Equal(t, alerts.Awake, alerts.SleepStateAt(ps, at("2026-03-02T22:00:00Z")))
	assert.Equal(t, alerts.SleepUnknown, alerts.SleepStateAt(nil, at("2026-03-03T01:00:00Z")))

	js := `[{"start":"2026-03-03T02:30:00Z","end":"2026-03-03T04:00:00Z"},{"start":"2026-03-02T23:00:00Z","end":"2026-03-03T02:00:00Z"}]`
	ps2, err := alerts.ParseSleepLog(strings.NewReader(js))
	require.NoError(t, err)
	assert.Equal(t, ps[:2], ps2, "JSON and CSV agree; sorted")

	for _, bad := range []string{
		"start,end\n2026-03-03T02:00:00Z,2026-03-03T01:00:00Z\n",
		"start,end\n2026-03-03T02:00:00Z,2026-03-03T05:00:00Z\n2026-03-03T04:00:00Z,2026-03-03T06:00:00Z\n",
		"start,end\nyesterday,today\n",
		"begin,finish\n",
		`[{"start":"x"}]`,
	} {
		_, err := alerts.ParseSleepLog(strings.NewReader(bad))
		assert.Error(t, err, bad)
	}
	_, err = alerts.ParseSleepLog(strings.NewReader("start,end\nyesterday,today\n"))
	pe, ok := errors.AsType[*alerts.ParseError](err)
	require.True(t, ok)
	assert.Equal(t, 2, pe.Line)
}

func TestPersonalAndMeeting(t *testing.T) {
	snap, r, w := weekFixture(t)
	p := snap.Personal(r, "ann", w.Start.AddDate(0, 0, -14), w.End.AddDate(0, 0, 14), nil)
	assert.Equal(t, 7, p.Total, "5 this week, one the week before, one after")
	assert.Len(t, p.Weeks, 3)
	assert.Equal(t, 1, p.Action)
	assert.Equal(t, 2, p.NoAction)
	assert.Equal(t, alerts.Count{Name: "db1 / Disk", Count: 3}, p.TopAlerts[0])

	ctx := context.Background()
	m := &alerts.Memory{}
	u := alerts.WeeklyUpdate{Person: "ann", Week: w.Start, Text: "rebuilt db1", At: w.End}
	u2 := u
	u2.Text, u2.At = "rebuilt db1 and web1", w.End.Add(time.Hour)
	notes := alerts.MeetingNotes{Week: w.Start, Text: "raise web1 HTTP threshold", By: "bob", At: w.End}
	require.NoError(t, m.Append(ctx, []alerts.Record{{Update: &u2}, {Update: &u}, {Meeting: &notes}}))
	snap2, err := alerts.Load(ctx, m, nil)
	require.NoError(t, err)
	mr := snap2.MeetingReport(r, w)
	require.Len(t, mr.Updates, 1)
	assert.Equal(t, "rebuilt db1 and web1", mr.Updates[0].Text, "the latest update wins")
	assert.True(t, mr.HasNotes)
	assert.Len(t, mr.Trend, 12)
	assert.Equal(t, w, mr.Trend[11].Week)

	mr = snap.MeetingReport(r, w)
	assert.Equal(t, 6, mr.Report.Total)
	assert.Equal(t, 1, mr.Previous.Total)
	assert.InDelta(t, 0.25, mr.SignalNoiseDiff, 1e-12)
}

// bigStore writes weeks × perWeek notifications, most classified, to a
// JSON Lines file, as a year of a busy rotation.
func bigStore(tb testing.TB, weeks, perWeek int) (string, alerts.Rotation, time.Time) {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "year.jsonl")
	s, err := alerts.OpenFile(path, alerts.FileConfig{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer s.Close()
	rng := rand.New(rand.NewPCG(7, 7))
	r := alerts.Rotation{Weekday: time.Monday, Hour: 9}
	start := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	tags := []string{"issue", "viewissue", "thresholdincorrect", "checkfaulty", "downtimenotset", "na"}
	for w := range weeks {
		var recs []alerts.Record
		for i := range perWeek {
			n := alerts.Notification{Time: start.Add(time.Duration(w*7*24*3600+rng.IntN(7*24*3600)) * time.Second),
				Contact: fmt.Sprintf("p%d", w%4), Host: fmt.Sprintf("host%03d", rng.IntN(200)),
				Service: fmt.Sprintf("svc%d", rng.IntN(12)), State: "CRITICAL", Output: fmt.Sprintf("check output %d", i)}
			recs = append(recs, alerts.Record{Notification: &n})
			if rng.IntN(10) < 8 {
				c := alerts.Classification{NotificationID: n.ID(), Tag: tags[rng.IntN(len(tags))], By: n.Contact, At: n.Time.Add(24 * time.Hour), Note: "looked at it"}
				recs = append(recs, alerts.Record{Classification: &c})
			}
		}
		if err := s.Append(ctx, recs); err != nil {
			tb.Fatal(err)
		}
	}
	return path, r, start
}

// BenchmarkYearReports loads 52 weeks × 1,000 notifications from a JSON
// Lines store and computes every report (target: <= 2 s per op).
func BenchmarkYearReports(b *testing.B) {
	b.ReportAllocs()
	path, r, start := bigStore(b, 52, 1000)
	ctx := context.Background()
	end := start.AddDate(0, 0, 52*7)
	cpu0 := cpuTime()
	for b.Loop() {
		s, err := alerts.OpenFile(path, alerts.FileConfig{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		snap, err := alerts.Load(ctx, s, nil)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
		for _, w := range r.Weeks(start, end) {
			snap.Week(r, w, nil)
		}
		snap.Trend(r, start, end, nil)
		for p := range 4 {
			snap.Personal(r, fmt.Sprintf("p%d", p), start, end, nil)
		}
		last := r.Week(end.Add(-time.Hour))
		snap.MeetingReport(r, last)
		noisy := snap.Noisy(start, end, nil)
		snap.History(noisy[0].AlertID, end, 0)
		snap.Search("host042 svc3", 0)
		ns, _ := snap.Notifications(ctx, "p1", start, end)
		alerts.Sleep(ns, nil, nil)
	}
	// CPU time of the process per op: the figure to read on a shared,
	// loaded machine where wall time includes waiting for a core.
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}
