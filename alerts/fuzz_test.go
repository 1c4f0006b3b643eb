package alerts_test

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/craftkit/craftkit/alerts"
)

const fuzzMax = 1 << 16

// FuzzParseNagiosLog: no panic, deterministic, every notification has a
// host and a time, strict and lenient agree on good input, and a strict failure is
// a line the lenient parse skips.
func FuzzParseNagiosLog(f *testing.F) {
	for _, name := range []string{"testdata/nagios.log", "testdata/bad.log"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		for line := range bytes.SplitSeq(b, []byte("\n")) {
			f.Add(line)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > fuzzMax {
			return
		}
		a, errA := alerts.ParseNagiosLog(bytes.NewReader(in))
		b, errB := alerts.ParseNagiosLog(bytes.NewReader(in))
		if (errA == nil) != (errB == nil) || !reflect.DeepEqual(a, b) {
			t.Fatal("not deterministic")
		}
		res, err := alerts.ParseNagiosLogOptions(bytes.NewReader(in), &alerts.ParseOptions{Lenient: true})
		if err != nil {
			t.Fatalf("lenient parse failed: %v", err)
		}
		if errA == nil && (res.Skipped != 0 || !reflect.DeepEqual(a, res.Notifications)) {
			t.Fatalf("strict and lenient disagree: %d skipped", res.Skipped)
		}
		if errA != nil && res.Skipped == 0 {
			t.Fatalf("strict failed (%v) but lenient skipped nothing", errA)
		}
		for _, n := range res.Notifications {
			if n.Host == "" || n.Contact == "" || n.Time.IsZero() && n.Time.Unix() != 0 {
				t.Fatalf("incomplete notification %+v", n)
			}
		}
	})
}

func FuzzParseEnv(f *testing.F) {
	for _, name := range envFixtures {
		b, err := os.ReadFile("testdata/env/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("NAGIOS_NOTIFICATIONTYPE=PROBLEM\nNAGIOS_HOSTNAME=h\nNAGIOS_TIMET=1\nNAGIOS_HOSTSTATE=DOWN\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > fuzzMax {
			return
		}
		env, err := alerts.ReadEnv(bytes.NewReader(in))
		if err != nil {
			return
		}
		n, err := alerts.ParseEnv(env)
		n2, err2 := alerts.ParseEnv(env)
		if (err == nil) != (err2 == nil) || !reflect.DeepEqual(n, n2) {
			t.Fatal("not deterministic")
		}
		if err == nil && (n.Host == "" || n.State == "") {
			t.Fatalf("accepted without host or state: %+v", n)
		}
	})
}

func FuzzParsePerfdata(f *testing.F) {
	for _, s := range []string{"/=31269MB;36287;2015;0;40319 /dev/shm=82MB;2236;124;0;2485", "'a b'=1%;80:;@90:95", "x=U", "t=0.5s;;;;", "a=1e3c;~:5;10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := alerts.ParsePerfdata(s)
		if err != nil {
			return
		}
		for _, p := range ps {
			if p.Label == "" {
				t.Fatalf("empty label from %q", s)
			}
			for _, th := range []alerts.Threshold{p.Warn, p.Crit} {
				if th.Raw != "" && th.Low > th.High {
					t.Fatalf("threshold %+v low above high", th)
				}
			}
		}
	})
}

func FuzzDecodeWebhook(f *testing.F) {
	f.Add([]byte(webhookBody))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"alerts":[{"status":"resolved","endsAt":""}]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > fuzzMax {
			return
		}
		m, err := alerts.DecodeWebhook(bytes.NewReader(in))
		if err != nil {
			return
		}
		ns := m.Notifications()
		if len(ns) != len(m.Alerts) {
			t.Fatalf("%d alerts became %d notifications", len(m.Alerts), len(ns))
		}
		a, _ := json.Marshal(ns)
		b, _ := json.Marshal(m.Notifications())
		if !bytes.Equal(a, b) {
			t.Fatal("not deterministic")
		}
	})
}

func FuzzParseJSONExport(f *testing.F) {
	f.Add([]byte(`{"@timestamp":"2026-03-02T03:04:05Z","nagios_hostname":"db1","nagios_state":"OK"}`))
	f.Add([]byte(`[{"@timestamp":1772420645,"nagios_hostname":"db1"}]`))
	f.Add([]byte(`{"hits":{"hits":[{"_source":{"@timestamp":"2026-03-02T03:04:05Z","nagios_hostname":"x"}}]}}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > fuzzMax {
			return
		}
		ns, err := alerts.ParseJSONExport(bytes.NewReader(in), alerts.SourceLogstash, alerts.LogstashColumns())
		if err != nil {
			return
		}
		for _, n := range ns {
			if n.Host == "" || n.Time.IsZero() {
				t.Fatalf("incomplete notification %+v", n)
			}
		}
	})
}

func FuzzParsePagerDutyCSV(f *testing.F) {
	f.Add([]byte("id,created_on,service_name,description,urgency,assigned_to\nP1,2026-03-02T03:04:05Z,db,x,high,a\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > fuzzMax {
			return
		}
		ns, err := alerts.ParsePagerDutyCSV(bytes.NewReader(in), alerts.PagerDutyColumns())
		if err != nil {
			return
		}
		for _, n := range ns {
			if n.Host == "" || n.Time.IsZero() {
				t.Fatalf("incomplete notification %+v", n)
			}
		}
	})
}

func FuzzParseSleepLog(f *testing.F) {
	f.Add([]byte("start,end\n2026-03-02T23:00:00Z,2026-03-03T02:00:00Z\n2026-03-03T02:30:00Z,2026-03-03T04:00:00Z\n"))
	f.Add([]byte(`[{"start":"2026-03-03T02:30:00Z","end":"2026-03-03T04:00:00Z"}]`))
	f.Add([]byte("start,end\n\"unterminated"))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > fuzzMax {
			return
		}
		ps, err := alerts.ParseSleepLog(bytes.NewReader(in))
		if err != nil {
			return
		}
		for i, p := range ps {
			if !p.End.After(p.Start) || i > 0 && p.Start.Before(ps[i-1].End) {
				t.Fatalf("accepted bad or overlapping period %d: %+v", i, p)
			}
		}
		alerts.Sleep([]alerts.Notification{{Time: time.Unix(1772500000, 0)}}, ps, nil)
	})
}

// FuzzRecordJSON checks the store's record decoding (with its one-key
// fast path) against a plain map-based reference, and round trips.
func FuzzRecordJSON(f *testing.F) {
	for _, s := range []string{
		`{"notification":{"time":"2026-03-02T03:04:05Z","host":"h","state":"OK","type":"RECOVERY"}}`,
		`{"classification":{"notification":"ab","tag":"issue","by":"ann","at":"2026-03-02T03:04:05Z","note":"a,\"b\"}{"}}`,
		`{"update":{"person":"ann","text":"x"},"future":[1,{"a":"}"}]}`,
		`{"meeting":{"text":"}"} , "x":1}`,
		`{"notif\u0069cation":{"host":"h"}}`,
		`{"hologram":{}}`, ` { "update" : { } } `, `{}`, `{"update":null}`,
		`{"notification":{"host":"h"},"classification":{"tag":"issue"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > fuzzMax {
			return
		}
		var got alerts.Record
		errGot := json.Unmarshal(in, &got)
		var ref map[string]json.RawMessage
		errRef := json.Unmarshal(in, &ref)
		if errRef != nil {
			if errGot == nil {
				t.Fatalf("accepted %q that is not a JSON object", in)
			}
			return
		}
		if errGot != nil {
			return // a known key with a bad value
		}
		known := map[string]bool{"notification": true, "classification": true, "update": true, "meeting": true}
		set := map[string]bool{"notification": got.Notification != nil, "classification": got.Classification != nil,
			"update": got.Update != nil, "meeting": got.Meeting != nil}
		for k := range known {
			if raw, ok := ref[k]; ok && string(raw) != "null" && !set[k] {
				t.Fatalf("field %q of %q not decoded", k, in)
			}
		}
		for k := range ref {
			if !known[k] {
				if _, ok := got.Extra[k]; !ok {
					t.Fatalf("unknown field %q lost from %q", k, in)
				}
			}
		}
		out, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		var again alerts.Record
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		out2, _ := json.Marshal(again)
		if !bytes.Equal(out, out2) {
			t.Fatalf("round trip differs:\n%s\n%s", out, out2)
		}
	})
}
