package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunSample(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "report.html")
	store := filepath.Join(dir, "alerts.jsonl")
	var out, errOut bytes.Buffer
	if code := run([]string{"-html", html, "-store", store}, &out, &errOut); code != 0 {
		t.Fatalf("run = %d, stderr: %s", code, errOut.String())
	}
	for _, want := range []string{"Ingested 154 notifications", "Classified 77", "signal/noise 43%", "2026-02-09  action  4  no action 27  s/n   13%", "db1/Disk Space", "adjust the threshold"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "data:image/svg&#43;xml;base64,") || !strings.Contains(string(b), "<td>web1</td>") {
		t.Errorf("HTML report lacks its chart or rows")
	}
	if st, err := os.Stat(store); err != nil || st.Size() == 0 {
		t.Errorf("store not written: %v", err)
	}
}

func TestRunFlags(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"-h"}, 0},
		{[]string{"-nosuch"}, 2},
		{[]string{"extra"}, 2},
		{[]string{"-tz", "Mars/Olympus"}, 2},
		{[]string{"-start", "someday 09:00"}, 2},
		{[]string{"-start", "mon 25:00"}, 2},
		{[]string{"-by", " "}, 2},
		{[]string{"-log", "/nonexistent/nagios.log"}, 1},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		if code := run(tt.args, &out, &errOut); code != tt.code {
			t.Errorf("run(%q) = %d, want %d; stderr: %s", tt.args, code, tt.code, errOut.String())
		}
	}
	var errOut bytes.Buffer
	run([]string{"-h"}, &bytes.Buffer{}, &errOut)
	if !strings.Contains(errOut.String(), "Usage: alerts") {
		t.Errorf("-h prints no usage: %s", errOut.String())
	}
}

func TestDecisionsValidated(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "d.csv")
	os.WriteFile(bad, []byte("host,service,tag,note\ndb1,Disk Space,bogus,x\n"), 0o644)
	var out, errOut bytes.Buffer
	if code := run([]string{"-decisions", bad, "-html", filepath.Join(dir, "r.html")}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), `line 2: unknown tag "bogus"`) {
		t.Errorf("bad tag: code %d, stderr %s", code, errOut.String())
	}
}
