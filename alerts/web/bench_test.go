package web

import (
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/craftkit/craftkit/alerts"
)

// weekOf1000 returns 1,000 notifications to ann in last week: 40 hosts,
// 12 services, outputs of about 60 bytes (seeded).
func weekOf1000() []alerts.Notification {
	rng := rand.New(rand.NewPCG(1, 2))
	start := rotation.Prev(rotation.Week(fixedNow)).Start
	services := []string{"HTTP", "Disk Space", "Load", "Memory", "Swap", "NTP", "SSH", "Queue", "Replication lag", "Certificate", "DNS", "Ping"}
	states := []string{"CRITICAL", "WARNING", "OK", "UNKNOWN"}
	ns := make([]alerts.Notification, 1000)
	for i := range ns {
		svc := services[rng.IntN(len(services))]
		ns[i] = alerts.Notification{
			Time:    start.Add(time.Duration(rng.Int64N(int64(167 * time.Hour)))),
			Contact: "ann", Source: "nagios",
			Host:    fmt.Sprintf("web%02d.dc1.example.com", rng.IntN(40)),
			Service: svc, State: states[rng.IntN(len(states))],
			Output: fmt.Sprintf("%s %s - value %d above threshold on /var/lib/data", svc, states[rng.IntN(4)], rng.IntN(1000)),
		}
	}
	return ns
}

// classifyHalf tags every other notification, half of them with a note.
func classifyHalf(tb testing.TB, e *env, ns []alerts.Notification) {
	tags := []string{"issue", "thresholdincorrect", "checkfaulty", "downtimeexpired"}
	var cs []alerts.Classification
	for i := 0; i < len(ns); i += 2 {
		c := alerts.Classification{NotificationID: ns[i].ID(), Tag: tags[i/2%len(tags)], By: "ann", At: fixedNow}
		if i%4 == 0 {
			c.Note = "restarted the service, see OPS-1234"
		}
		cs = append(cs, c)
	}
	if err := e.store.Append(tb.Context(), alerts.ClassificationRecords(cs)); err != nil {
		tb.Fatal(err)
	}
}

// TestWeekPageSize checks the on-call page of 1,000 notifications stays
// within 500 KB of HTML.
func TestWeekPageSize(t *testing.T) {
	ns := weekOf1000()
	e := newEnv(t, ns, nil)
	classifyHalf(t, e, ns)
	r := e.get("/", "ann")
	mustStatus(t, "GET /", r, 200)
	t.Logf("on-call page, 1,000 notifications: %d bytes of HTML", len(r.body))
	if len(r.body) > 500_000 {
		t.Errorf("page is %d bytes, want <= 500,000", len(r.body))
	}
}

// BenchmarkWeekPage renders the on-call page of a week of 1,000
// notifications (half classified), loading the store included.
func BenchmarkWeekPage(b *testing.B) {
	ns := weekOf1000()
	e := newEnv(b, ns, nil)
	classifyHalf(b, e, ns)
	b.ReportAllocs()
	size := 0
	for b.Loop() {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("X-User", "ann")
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
		size = w.Body.Len()
	}
	b.ReportMetric(float64(size), "html-bytes")
}
