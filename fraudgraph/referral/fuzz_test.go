package referral

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

const rulesJSON = `{"currency":"EUR","discount":1000,"min_spend":3000,"reward":1500,"friends_per_reward":2,
"inviter_cap":15000,"cluster_cap":6000,"budget":0,"window":"720h",
"policy":{"kinds":{"card":{"weight":0.9,"household":3}},"responses":[{"min_score":0.5,"min_stake":0,"action":"review"}],
"reputation":{"min_purchases":3,"factor":0.5}},"reputation_min_age":"4320h"}`

func FuzzParseRules(f *testing.F) {
	f.Add([]byte(rulesJSON))
	f.Add([]byte(`{"currency":"JPY"}`))
	f.Add([]byte(`{"currency":"EUR","window":"-1h"}`))
	f.Add([]byte(`{"currency":"EUR","policy":{"responses":[{"action":"revoke-credits"}]}}`))
	f.Add([]byte(`{"currency":"EUR"} {}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		r, err := ParseRules(data)
		if err != nil {
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("ParseRules accepted rules Validate refuses: %v", err)
		}
		// Round trip: what MarshalJSON writes parses back to the same rules.
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", r, err)
		}
		r2, err := ParseRules(b)
		if err != nil {
			t.Fatalf("ParseRules(Marshal(r)) = %v for %s", err, b)
		}
		b2, _ := json.Marshal(r2)
		if !bytes.Equal(b, b2) {
			t.Fatalf("round trip changed the rules:\n%s\n%s", b, b2)
		}
	})
}

func TestParseRules(t *testing.T) {
	r, err := ParseRules([]byte(rulesJSON))
	if err != nil {
		t.Fatal(err)
	}
	if r.Window.Hours() != 720 || r.Policy.Reputation.MinAge.Hours() != 4320 || r.Policy.Kinds["card"].Household != 3 {
		t.Errorf("ParseRules = %+v", r)
	}
	for _, bad := range []string{
		`{"currency":"eur"}`, `{"currency":"EUR","discount":-1}`, `{"currency":"EUR","window":"soon"}`,
		`{"currency":"EUR","friends_per_reward":5000}`, `{"currency":"EUR","extra":1}`, `{"currency":"EUR"}x`,
		`{"currency":"EUR","policy":{"kinds":{"card":{"weight":2}}}}`, `{"currency":"EUR","policy":{"responses":[{"action":"shout"}]}}`,
	} {
		if _, err := ParseRules([]byte(bad)); err == nil {
			t.Errorf("ParseRules(%s) = nil error", bad)
		}
	}
}

func FuzzReadJournal(f *testing.F) {
	f.Add([]byte(lineTask + lineVerdict))
	f.Add([]byte(lineTask + lineVerdict[:17]))
	f.Add([]byte(`{"status":{"seq":1,"account":2,"action":"ban","at":"2026-03-02T12:00:00Z","by":"programme","reasons":null}}` + "\n"))
	f.Add([]byte("{}\n{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, good, err := ReadJournal(bytes.NewReader(data))
		if good < 0 || good > int64(len(data)) {
			t.Fatalf("intact prefix %d of %d bytes", good, len(data))
		}
		if good > 0 && data[good-1] != '\n' {
			t.Fatalf("intact prefix does not end a line")
		}
		// The intact prefix reads back to the same records, with no error.
		again, good2, err2 := ReadJournal(bytes.NewReader(data[:good]))
		if err2 != nil || good2 != good || len(again) != len(recs) {
			t.Fatalf("prefix re-read: %d records, %d bytes, %v; first read %d, %d, %v", len(again), good2, err2, len(recs), good, err)
		}
		if err == nil && good < int64(len(data)) && strings.Contains(string(data[good:]), "\n") {
			t.Fatalf("a complete line after the intact prefix was dropped silently")
		}
		// Restoring never panics.
		p, _ := New(Config{Rules: Rules{Currency: "EUR"}})
		_ = p.Restore(recs)
	})
}
