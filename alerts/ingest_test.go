package alerts_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/craftkit/craftkit/alerts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseNagiosLogGolden(t *testing.T) {
	f, err := os.Open("testdata/nagios.log")
	require.NoError(t, err)
	defer f.Close()
	ns, err := alerts.ParseNagiosLog(f)
	require.NoError(t, err)
	require.Len(t, ns, 23)
	for _, n := range ns {
		if strings.HasSuffix(n.Output, ";") {
			t.Errorf("output of %s %s at %v keeps a trailing ';': %q", n.Host, n.Service, n.Time, n.Output)
		}
	}
	goldenJSON(t, "nagios.log.json", ns)
}

func TestParseNagiosLine(t *testing.T) {
	tests := []struct {
		name, line string
		d          alerts.Dialect
		want       alerts.Notification
	}{
		{"nagios problem, output with ;", "[10] SERVICE NOTIFICATION: ops;h;s;CRITICAL;cmd;a;b;c", alerts.DialectAuto,
			alerts.Notification{Time: time.Unix(10, 0).UTC(), Source: "nagios", Contact: "ops", Host: "h", Service: "s", State: "CRITICAL", Output: "a;b;c"}},
		{"nagios recovery", "[10] SERVICE NOTIFICATION: ops;h;s;OK;cmd;fine;", alerts.DialectAuto,
			alerts.Notification{Time: time.Unix(10, 0).UTC(), Source: "nagios", Contact: "ops", Host: "h", Service: "s", State: "OK", Type: alerts.Recovery, Output: "fine;"}},
		{"forced nagios keeps trailing ;", "[10] SERVICE NOTIFICATION: ops;h;s;CRITICAL;cmd;x;", alerts.DialectNagios,
			alerts.Notification{Time: time.Unix(10, 0).UTC(), Source: "nagios", Contact: "ops", Host: "h", Service: "s", State: "CRITICAL", Output: "x;"}},
		{"icinga2 ack with ; in comment", "[10] SERVICE NOTIFICATION: u;h;s;ACKNOWLEDGEMENT;cmd;out;me;a;b", alerts.DialectAuto,
			alerts.Notification{Time: time.Unix(10, 0).UTC(), Source: "icinga2", Contact: "u", Host: "h", Service: "s", Type: alerts.Acknowledgement, Output: "out;me", Author: "a", Comment: "b"}},
		{"icinga2 host down", "[10] HOST NOTIFICATION: u;h;DOWN (DOWN);cmd;gone;", alerts.DialectAuto,
			alerts.Notification{Time: time.Unix(10, 0).UTC(), Source: "icinga2", Contact: "u", Host: "h", State: "DOWN", Output: "gone"}},
		{"icinga2 host ack empty author", "[10] HOST NOTIFICATION: u;h;ACKNOWLEDGEMENT (DOWN);cmd;gone;;", alerts.DialectAuto,
			alerts.Notification{Time: time.Unix(10, 0).UTC(), Source: "icinga2", Contact: "u", Host: "h", State: "DOWN", Type: alerts.Acknowledgement, Output: "gone"}},
		{"nagios host flapping", "[10] HOST NOTIFICATION: u;h;FLAPPINGSTART (UP);cmd;ok", alerts.DialectAuto,
			alerts.Notification{Time: time.Unix(10, 0).UTC(), Source: "nagios", Contact: "u", Host: "h", State: "UP", Type: alerts.FlappingStart, Output: "ok"}},
		{"no output field", "[10] SERVICE NOTIFICATION: ops;h;s;CRITICAL;cmd", alerts.DialectAuto,
			alerts.Notification{Time: time.Unix(10, 0).UTC(), Source: "nagios", Contact: "ops", Host: "h", Service: "s", State: "CRITICAL"}},
		{"CRLF tolerated by reader only", "[10] SERVICE NOTIFICATION: ops;h;s;WARNING;cmd;w", alerts.DialectIcinga2,
			alerts.Notification{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := alerts.ParseNagiosLine(tt.line, tt.d)
			if tt.want.Host == "" {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseNagiosLogErrors(t *testing.T) {
	data, err := os.ReadFile("testdata/bad.log")
	require.NoError(t, err)
	_, err = alerts.ParseNagiosLog(strings.NewReader(string(data)))
	pe, ok := errors.AsType[*alerts.ParseError](err)
	require.True(t, ok, "error %v is not a *ParseError", err)
	if pe.Line != 3 {
		t.Errorf("ParseError.Line = %d, want 3", pe.Line)
	}
	require.ErrorIs(t, err, alerts.ErrSyntax)

	res, err := alerts.ParseNagiosLogOptions(strings.NewReader(string(data)), &alerts.ParseOptions{Lenient: true, Name: "bad.log"})
	require.NoError(t, err)
	assert.Equal(t, 3, res.Skipped)
	assert.Len(t, res.Notifications, 2)
	assert.Equal(t, 6, res.Lines)
	var lines []int
	for _, e := range res.Errors {
		lines = append(lines, e.Line)
		assert.Equal(t, "bad.log", e.Source)
	}
	assert.Equal(t, []int{3, 4, 5}, lines)
	assert.ErrorIs(t, res.Errors[1], alerts.ErrUnknownType)
}

func TestParseNagiosLogLongLine(t *testing.T) {
	long := "[10] SERVICE NOTIFICATION: ops;h;s;CRITICAL;cmd;" + strings.Repeat("x", 200) + "\n"
	in := long + "[11] SERVICE NOTIFICATION: ops;h;s;OK;cmd;fine\n" + strings.Repeat("y", 500) + "\n"
	_, err := alerts.ParseNagiosLogOptions(strings.NewReader(in), &alerts.ParseOptions{MaxLineBytes: 100})
	require.ErrorIs(t, err, alerts.ErrTooLong)
	res, err := alerts.ParseNagiosLogOptions(strings.NewReader(in), &alerts.ParseOptions{MaxLineBytes: 100, Lenient: true})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Skipped, "the over-long non-notification line is ignored, not counted")
	require.Len(t, res.Notifications, 1)
	assert.Equal(t, "fine", res.Notifications[0].Output)
	// Exactly at the bound is fine; CRLF is stripped.
	line := "[12] SERVICE NOTIFICATION: ops;h;s;OK;cmd;"
	line += strings.Repeat("z", 100-len(line))
	ns, err := alerts.ParseNagiosLogOptions(strings.NewReader(line+"\r\n"), &alerts.ParseOptions{MaxLineBytes: 101})
	require.NoError(t, err)
	require.Len(t, ns.Notifications, 1)
	assert.Equal(t, strings.Repeat("z", 100-len("[12] SERVICE NOTIFICATION: ops;h;s;OK;cmd;")), ns.Notifications[0].Output)
}

func readEnvFile(t testing.TB, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "env", name))
	require.NoError(t, err)
	defer f.Close()
	env, err := alerts.ReadEnv(f)
	require.NoError(t, err)
	return env
}

var envFixtures = []string{"check_cpu_idle.CRITICAL", "check_cpu_iowait.WARNING", "check_disk.CRITICAL",
	"check_disk.CRITICAL_ICINGA", "check_disk.RECOVERY", "check_elasticsearch.RECOVERY",
	"check_elasticsearch.WARNING", "check_memory.CRITICAL", "nagios_vars.EXAMPLE"}

func TestParseEnvFixtures(t *testing.T) {
	got := map[string]alerts.Notification{}
	for _, name := range envFixtures {
		n, err := alerts.ParseEnv(readEnvFile(t, name))
		require.NoError(t, err, name)
		got[name] = n
	}
	goldenJSON(t, "env.json", got)
	assert.Equal(t, got["check_disk.CRITICAL"], got["check_disk.CRITICAL_ICINGA"], "Icinga fixture differs from its Nagios twin")
	d := got["check_disk.CRITICAL"]
	assert.Equal(t, "web.example.com", d.Host)
	assert.Equal(t, "Disk Space", d.Service)
	assert.Equal(t, "CRITICAL", d.State)
	assert.Equal(t, alerts.Problem, d.Type)
	assert.Equal(t, time.Unix(1368738398, 0).UTC(), d.Time)
	assert.Contains(t, d.LongOutput, "\nFilesystem ")
	assert.Equal(t, alerts.Recovery, got["check_disk.RECOVERY"].Type)
	assert.Equal(t, "check_elasticsearch", got["check_elasticsearch.RECOVERY"].Labels["_message_formatter_name"])
	assert.Equal(t, "http://runbook.example.com/disk_space_alerts.html", got["check_elasticsearch.WARNING"].URL)
}

func TestParseEnvErrors(t *testing.T) {
	env := readEnvFile(t, "check_disk.CRITICAL")
	drop := func(key string) []string {
		var out []string
		for _, kv := range env {
			if !strings.HasPrefix(kv, key+"=") {
				out = append(out, kv)
			}
		}
		return out
	}
	for _, key := range []string{"NAGIOS_NOTIFICATIONTYPE", "NAGIOS_HOSTNAME", "NAGIOS_TIMET", "NAGIOS_SERVICESTATE"} {
		_, err := alerts.ParseEnv(drop(key))
		fe, ok := errors.AsType[*alerts.FieldError](err)
		require.True(t, ok, "%s: %v", key, err)
		assert.Equal(t, key, fe.Field)
	}
	_, err := alerts.ParseEnv(append(drop("NAGIOS_NOTIFICATIONTYPE"), "NAGIOS_NOTIFICATIONTYPE=BOGUS"))
	assert.ErrorIs(t, err, alerts.ErrUnknownType)
	_, err = alerts.ParseEnv(append(drop("NAGIOS_TIMET"), "NAGIOS_TIMET=-5"))
	assert.ErrorIs(t, err, alerts.ErrSyntax)
}

func TestParsePerfdata(t *testing.T) {
	nan := math.NaN()
	_ = nan
	ps, err := alerts.ParsePerfdata("/=31269MB;36287;2015;0;40319 'my disk'=82%;80:;@90:95 time=0.5s;;;; cnt=U")
	require.NoError(t, err)
	require.Len(t, ps, 4)
	assert.Equal(t, "/", ps[0].Label)
	assert.Equal(t, 31269.0, ps[0].Value)
	assert.Equal(t, "MB", ps[0].UOM)
	assert.Equal(t, 40319.0, ps[0].Max)
	assert.True(t, ps[0].Warn.Breached(36288))
	assert.False(t, ps[0].Warn.Breached(100))
	assert.Equal(t, "my disk", ps[1].Label)
	assert.True(t, ps[1].Warn.Breached(79), "80: alerts below 80")
	assert.False(t, ps[1].Warn.Breached(81))
	assert.True(t, ps[1].Crit.Breached(92), "@90:95 alerts inside")
	assert.False(t, ps[1].Crit.Breached(96))
	assert.True(t, math.IsNaN(ps[2].Min))
	assert.True(t, math.IsNaN(ps[3].Value))

	for _, bad := range []string{"novalue", "a=", "a=1;2;3;4;5;6", "'open=1", "a=x1", "a=1;5:2", "a=1;~:x"} {
		if _, err := alerts.ParsePerfdata(bad); !errors.Is(err, alerts.ErrSyntax) {
			t.Errorf("ParsePerfdata(%q) error = %v, want ErrSyntax", bad, err)
		}
	}
	// The CPU fixtures carry non-standard perfdata: refused, not guessed.
	_, err = alerts.ParsePerfdata("user = 3.02, system = 3.25")
	assert.ErrorIs(t, err, alerts.ErrSyntax)
}

const webhookBody = `{
  "version": "4", "groupKey": "{}:{alertname=\"DiskFull\"}", "truncatedAlerts": 0, "status": "firing",
  "receiver": "team-pager", "groupLabels": {"alertname": "DiskFull"},
  "commonLabels": {"alertname": "DiskFull", "severity": "page"},
  "commonAnnotations": {"runbook": "https://runbooks.example/disk"},
  "externalURL": "http://am.example:9093", "notification_reason": "new_alerts",
  "routeLabels": {"team": "ops"}, "futureField": {"x": 1},
  "alerts": [
    {"status": "firing", "labels": {"instance": "db1:9100"}, "annotations": {"summary": "disk 95% full", "description": "/var at 95%"},
     "startsAt": "2026-03-02T03:04:05.123Z", "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "http://prom/graph", "fingerprint": "abc123"},
    {"status": "resolved", "labels": {"instance": "db2:9100"}, "annotations": {"description": "back to 60%"},
     "startsAt": "2026-03-02T01:00:00Z", "endsAt": "2026-03-02T03:00:00Z"},
    {"labels": {"host": "db3"}, "startsAt": ""}
  ]
}`

func TestDecodeWebhook(t *testing.T) {
	m, err := alerts.DecodeWebhook(strings.NewReader(webhookBody))
	require.NoError(t, err)
	assert.Equal(t, "new_alerts", m.NotificationReason)
	assert.Equal(t, "ops", m.RouteLabels["team"])
	ns := m.Notifications()
	require.Len(t, ns, 3)
	goldenJSON(t, "webhook.json", ns)
	assert.Equal(t, alerts.Problem, ns[0].Type)
	assert.Equal(t, "db1:9100", ns[0].Host)
	assert.Equal(t, "DiskFull", ns[0].Service)
	assert.Equal(t, alerts.Recovery, ns[1].Type)
	assert.Equal(t, time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC), ns[1].Time)
	assert.Equal(t, "FIRING", ns[2].State, "alert without status takes the message's")

	for _, bad := range []string{`{"alerts": [{"startsAt": "yesterday"}]}`, `{"alerts": 5}`, `not json`} {
		_, err := alerts.DecodeWebhook(strings.NewReader(bad))
		assert.Error(t, err, bad)
	}
	_, err = alerts.DecodeWebhook(strings.NewReader(`{}`))
	assert.NoError(t, err, "all fields missing is fine")
	_, err = alerts.DecodeWebhook(strings.NewReader(strings.Repeat(" ", alerts.MaxPayloadBytes+1)))
	assert.ErrorIs(t, err, alerts.ErrTooLong)
}

func TestWebhookHandler(t *testing.T) {
	var got []alerts.Notification
	h := &alerts.WebhookHandler{MaxBytes: 4096, Receive: func(ctx context.Context, ns []alerts.Notification, m *alerts.WebhookMessage) error {
		if m.Receiver == "fail" {
			return errors.New("secret detail")
		}
		got = append(got, ns...)
		return nil
	}}
	tests := []struct {
		method, body string
		code         int
	}{
		{"POST", webhookBody, 200},
		{"GET", "", 405},
		{"POST", "{", 400},
		{"POST", `{"receiver":"fail"}`, 500},
		{"POST", `{"x":"` + strings.Repeat("a", 5000) + `"}`, 413},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, "/hook", strings.NewReader(tt.body)))
		if rec.Code != tt.code {
			t.Errorf("%s %.20q: code %d, want %d", tt.method, tt.body, rec.Code, tt.code)
		}
		assert.NotContains(t, rec.Body.String(), "secret")
	}
	assert.Len(t, got, 3)
	_ = http.MethodPost
}

func TestDedup(t *testing.T) {
	f, err := os.Open("testdata/nagios.log")
	require.NoError(t, err)
	defer f.Close()
	ns, err := alerts.ParseNagiosLog(f)
	require.NoError(t, err)
	at := time.Unix(100, 0)
	n := alerts.Notification{Time: at, Host: "h", Service: "s", State: "CRITICAL"}
	in := []alerts.Notification{n, n, n, n, {Time: at.Add(time.Second), Host: "h", Service: "s", State: "CRITICAL", Contact: "a"}}
	in[0].Contact, in[1].Contact, in[2].Contact, in[3].Contact = "a", "b", "a", "c"
	got := alerts.Dedup(in)
	require.Len(t, got, 2)
	assert.Equal(t, map[string]int{"a": 2, "b": 1, "c": 1}, got[0].Contacts)
	assert.Equal(t, 4, got[0].Count)
	assert.Equal(t, []string{"a", "b", "c"}, got[0].ContactNames())
	assert.Empty(t, got[0].Notification.Contact)
	assert.Equal(t, 1, got[1].Count)
	// Every notification of the log is in exactly one alert.
	total := 0
	for _, a := range alerts.Dedup(ns) {
		total += a.Count
	}
	assert.Equal(t, len(ns), total)
}

func TestIDs(t *testing.T) {
	a := alerts.Notification{Time: time.Unix(100, 0), Host: "h", Service: "s", State: "CRITICAL", Contact: "x"}
	b := a
	b.Contact, b.Time, b.Type = "y", time.Unix(200, 0), alerts.Recovery
	assert.Equal(t, a.AlertID(), b.AlertID())
	assert.NotEqual(t, a.ID(), b.ID())
	c := a
	c.Service = ""
	c.Host = "hs"
	assert.NotEqual(t, a.AlertID(), c.AlertID(), "host/service boundary is part of the ID")
	assert.Equal(t, "33c81b19304eaa92", a.AlertID(), "AlertID must stay stable across releases")
}

func TestCSVAndJSONExports(t *testing.T) {
	csvIn := "\ufeffid,created_on,service_name,description,urgency,assigned_to\n" +
		"P1,2026-03-02T03:04:05Z,db,\"Disk full on db1, /var\",high,alice\n" +
		"P2,1772420645,web,HTTP 500,low,bob\n"
	ns, err := alerts.ParsePagerDutyCSV(strings.NewReader(csvIn), alerts.PagerDutyColumns())
	require.NoError(t, err)
	require.Len(t, ns, 2)
	assert.Equal(t, "Disk full on db1, /var", ns[0].Output)
	assert.Equal(t, "HIGH", ns[0].State)
	assert.Equal(t, time.Date(2026, 3, 2, 3, 4, 5, 0, time.UTC), ns[0].Time)
	assert.Equal(t, "bob", ns[1].Contact)

	_, err = alerts.ParsePagerDutyCSV(strings.NewReader(csvIn+"P3,nonsense,web,x,low,bob\n"), alerts.PagerDutyColumns())
	pe, ok := errors.AsType[*alerts.ParseError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, 4, pe.Line)
	cols := alerts.PagerDutyColumns()
	cols.Contact = "nope"
	_, err = alerts.ParsePagerDutyCSV(strings.NewReader(csvIn), cols)
	assert.ErrorIs(t, err, alerts.ErrMissing)

	nd := `{"@timestamp":"2026-03-02T03:04:05Z","nagios_hostname":"db1","nagios_service":"Disk","nagios_state":"CRITICAL","nagios_message":"full","nagios_notifyname":"ops"}
{"@timestamp":"2026-03-02T04:04:05Z","nagios_hostname":"db1","nagios_service":"Disk","nagios_state":"OK","nagios_message":"ok","nagios_notifyname":"ops"}
`
	ls, err := alerts.ParseJSONExport(strings.NewReader(nd), alerts.SourceLogstash, alerts.LogstashColumns())
	require.NoError(t, err)
	require.Len(t, ls, 2)
	assert.Equal(t, alerts.Recovery, ls[1].Type)
	es := `{"hits":{"total":1,"hits":[{"_source":{"@timestamp":"2026-03-02T03:04:05Z","nagios_hostname":"db1","nagios_state":"WARNING","nagios_notifyname":"ops"}}]}}`
	es1, err := alerts.ParseJSONExport(strings.NewReader(es), alerts.SourceLogstash, alerts.LogstashColumns())
	require.NoError(t, err)
	require.Len(t, es1, 1)
	assert.Equal(t, "WARNING", es1[0].State)
	sp := `{"preview":false,"result":{"_time":"2026-03-02T03:04:05.000+00:00","host_name":"db1","service_description":"Disk","state":"CRITICAL","contact":"ops","output":"x"}}`
	s1, err := alerts.ParseJSONExport(strings.NewReader(sp), alerts.SourceSplunk, alerts.SplunkColumns())
	require.NoError(t, err)
	require.Len(t, s1, 1)
	assert.Equal(t, time.Date(2026, 3, 2, 3, 4, 5, 0, time.UTC), s1[0].Time)
	_, err = alerts.ParseJSONExport(strings.NewReader(nd+"{broken\n"), alerts.SourceLogstash, alerts.LogstashColumns())
	pe, ok = errors.AsType[*alerts.ParseError](err)
	require.True(t, ok)
	assert.Equal(t, 3, pe.Line)
}

func TestListSource(t *testing.T) {
	t0 := time.Unix(1000, 0)
	l := alerts.List{
		{Time: t0.Add(2 * time.Hour), Contact: "a", Host: "h"},
		{Time: t0, Contact: "a", Host: "h"},
		{Time: t0.Add(time.Hour), Contact: "b", Host: "h"},
		{Time: t0.Add(3 * time.Hour), Contact: "a", Host: "h"},
	}
	var src alerts.Source = l
	got, err := src.Notifications(context.Background(), "a", t0, t0.Add(3*time.Hour))
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.True(t, got[0].Time.Equal(t0))
	all, err := src.Notifications(context.Background(), "", t0, t0.Add(4*time.Hour))
	require.NoError(t, err)
	assert.Len(t, all, 4)
}

func TestExportsGolden(t *testing.T) {
	open := func(name string) *os.File {
		f, err := os.Open(filepath.Join("testdata", "exports", name))
		require.NoError(t, err)
		t.Cleanup(func() { f.Close() })
		return f
	}
	pd, err := alerts.ParsePagerDutyCSV(open("pagerduty.csv"), alerts.PagerDutyColumns())
	require.NoError(t, err)
	require.Len(t, pd, 2)
	assert.Equal(t, time.Date(2026, 3, 2, 13, 10, 0, 0, time.UTC), pd[1].Time, "zone offset honoured")
	ls, err := alerts.ParseJSONExport(open("logstash.ndjson"), alerts.SourceLogstash, alerts.LogstashColumns())
	require.NoError(t, err)
	require.Len(t, ls, 3)
	assert.Equal(t, alerts.Acknowledgement, ls[2].Type)
	es, err := alerts.ParseJSONExport(open("elasticsearch.json"), alerts.SourceLogstash, alerts.LogstashColumns())
	require.NoError(t, err)
	require.Len(t, es, 2)
	assert.Equal(t, time.UnixMilli(1772424000000).UTC(), es[1].Time, "epoch milliseconds")
	sp, err := alerts.ParseJSONExport(open("splunk.ndjson"), alerts.SourceSplunk, alerts.SplunkColumns())
	require.NoError(t, err)
	require.Len(t, sp, 2)
	assert.Equal(t, "", sp[1].Service, "host notification")
	ecs, err := alerts.ParseJSONExport(open("ecs.ndjson"), alerts.SourceLogstash, alerts.ECSColumns())
	require.NoError(t, err)
	require.Len(t, ecs, 1)
	assert.Equal(t, "ann", ecs[0].Contact, "nested ECS fields")
	goldenJSON(t, "exports.json", map[string][]alerts.Notification{"pagerduty": pd, "logstash": ls, "elasticsearch": es, "splunk": sp, "ecs": ecs})
}
