package alerts_test

import (
	"context"
	"testing"
	"time"

	"github.com/craftkit/craftkit/alerts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s not available: %v", name, err)
	}
	return loc
}

func TestRotationDST(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	r := alerts.Rotation{Weekday: time.Friday, Hour: 18, Location: ny}
	// 2026-03-08 02:00 EST → EDT: the week from Fri 6 March 18:00 is 167 h.
	w := r.Week(time.Date(2026, 3, 10, 12, 0, 0, 0, ny))
	assert.Equal(t, time.Date(2026, 3, 6, 18, 0, 0, 0, ny), w.Start)
	assert.Equal(t, time.Date(2026, 3, 13, 18, 0, 0, 0, ny), w.End)
	assert.Equal(t, 167*time.Hour, w.End.Sub(w.Start))
	// 2026-11-01 EDT → EST: 169 h.
	w = r.Week(time.Date(2026, 11, 1, 12, 0, 0, 0, ny))
	assert.Equal(t, 169*time.Hour, w.End.Sub(w.Start))
	assert.Equal(t, 18, w.End.Hour())
	// Boundaries: the start instant belongs to the week, the end to the next.
	assert.Equal(t, w, r.Week(w.Start))
	assert.Equal(t, r.Next(w), r.Week(w.End))
	assert.Equal(t, w, r.Prev(r.Next(w)))
	// A year of weeks tiles time without gaps or overlaps, always at Friday 18:00 local.
	ws := r.Weeks(time.Date(2026, 1, 1, 0, 0, 0, 0, ny), time.Date(2027, 1, 1, 0, 0, 0, 0, ny))
	require.Len(t, ws, 53)
	for i, w := range ws {
		ls := w.Start.In(ny)
		if ls.Weekday() != time.Friday || ls.Hour() != 18 || ls.Minute() != 0 {
			t.Errorf("week %d starts %v", i, ls)
		}
		if i > 0 && !ws[i-1].End.Equal(w.Start) {
			t.Errorf("week %d does not start where week %d ends", i, i-1)
		}
	}
	var zero alerts.Rotation
	zw := zero.Week(time.Date(2026, 3, 4, 5, 0, 0, 0, time.UTC))
	assert.Equal(t, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), zw.Start, "zero rotation: Sunday 00:00 UTC")
	assert.Error(t, alerts.Rotation{Hour: 24}.Check())
}

// weekFixture stores a hand-counted week: ground truth below.
func weekFixture(t testing.TB) (*alerts.Snapshot, alerts.Rotation, alerts.Week) {
	ctx := context.Background()
	r := alerts.Rotation{Weekday: time.Monday, Hour: 9}
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday
	at := func(day, hour int) time.Time { return start.Add(time.Duration(day*24+hour) * time.Hour) }
	ns := []alerts.Notification{
		{Time: at(0, 1), Contact: "ann", Host: "db1", Service: "Disk", State: "CRITICAL", Output: "disk full"},
		{Time: at(0, 2), Contact: "ann", Host: "db1", Service: "Disk", State: "OK", Type: alerts.Recovery},
		{Time: at(1, 15), Contact: "ann", Host: "web1", Service: "HTTP", State: "CRITICAL"},
		{Time: at(2, 15), Contact: "ann", Host: "web1", Service: "HTTP", State: "WARNING"},
		{Time: at(3, 15), Contact: "bob", Host: "web2", Service: "Load", State: "WARNING"},
		{Time: at(6, 23), Contact: "ann", Host: "db1", Service: "Disk", State: "CRITICAL"},
		{Time: at(7, 0), Contact: "ann", Host: "next", Service: "week", State: "CRITICAL"}, // next week
		{Time: at(-1, 0), Contact: "ann", Host: "prev", Service: "week", State: "CRITICAL"},
	}
	tags := map[int]string{0: "issue", 2: "thresholdincorrect", 3: "thresholdincorrect", 4: "checkfaulty", 5: "na"}
	m := &alerts.Memory{}
	require.NoError(t, m.Append(ctx, alerts.NotificationRecords(ns)))
	var cs []alerts.Classification
	for i, tag := range tags {
		cs = append(cs, alerts.Classification{NotificationID: ns[i].ID(), Tag: tag, By: "ann", At: at(8, 0), Note: "note " + tag})
	}
	require.NoError(t, m.Append(ctx, alerts.ClassificationRecords(cs)))
	snap, err := alerts.Load(ctx, m, nil)
	require.NoError(t, err)
	return snap, r, r.Week(start)
}

func TestWeekReport(t *testing.T) {
	snap, r, w := weekFixture(t)
	rep := snap.Week(r, w, nil)
	assert.Equal(t, 6, rep.Total)
	assert.Equal(t, 1, rep.Action)
	assert.Equal(t, 3, rep.NoAction)
	assert.Equal(t, 2, rep.Untagged, "one unclassified, one N/A")
	assert.InDelta(t, 0.25, rep.SignalNoise, 1e-12)
	assert.Equal(t, map[string]int{"CRITICAL": 3, "OK": 1, "WARNING": 2}, rep.ByState)
	assert.Equal(t, map[string]int{"issue": 1, "thresholdincorrect": 2, "checkfaulty": 1, "na": 1, "": 1}, rep.ByTag)
	assert.Equal(t, []alerts.Count{{"db1", 3}, {"web1", 2}, {"web2", 1}}, rep.TopHosts)
	assert.Equal(t, alerts.Count{Name: "db1 / Disk", Count: 3}, rep.TopServices[0])
	assert.Equal(t, 1, rep.Heat[time.Monday][10])
	assert.Equal(t, 1, rep.Heat[time.Monday][8], "6 days 23 h after Monday 09:00 is the next Monday 08:00")
	assert.Equal(t, 1, rep.Heat[time.Monday][11])
	assert.Equal(t, 1, rep.Heat[time.Thursday][0], "day 3 + 15 h")
	total := 0
	for _, row := range rep.Heat {
		for _, c := range row {
			total += c
		}
	}
	assert.Equal(t, 6, total)
	require.Len(t, rep.Items, 6)
	assert.Equal(t, "note issue", rep.Items[0].Classification.Note)
	assert.False(t, rep.Items[1].Classified)

	ann := snap.Week(r, w, &alerts.ReportOptions{Contact: "bob"})
	assert.Equal(t, 1, ann.Total)
	assert.Equal(t, 0.0, ann.SignalNoise)
	assert.Equal(t, 1, ann.NoAction)
}
