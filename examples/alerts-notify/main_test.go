package main

import (
	"bytes"
	"mime"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const fixture = "testdata/check_disk.CRITICAL"

func TestStdoutMIME(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"-env", fixture, "-from", "Nagios <nagios@example.com>"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("run = %d: %s", code, errOut.String())
	}
	msg, err := mail.ReadMessage(&out)
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.Header.Get("To"); got != "<ops@example.com>" {
		t.Errorf("To = %q, want the contact's email from the environment", got)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if subj != "** PROBLEM Service Alert: web.example.com/Disk Space is CRITICAL **" {
		t.Errorf("Subject = %q", subj)
	}
	if mt, _, _ := mime.ParseMediaType(msg.Header.Get("Content-Type")); mt != "multipart/related" {
		t.Errorf("Content-Type = %q", mt)
	}
}

func TestProcessEnvironmentAndPager(t *testing.T) {
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	env := strings.Split(strings.TrimSpace(string(b)), "\n")
	var out bytes.Buffer
	if code := run([]string{"-pager", "60"}, env, &out, &bytes.Buffer{}); code != 0 {
		t.Fatalf("run = %d", code)
	}
	got := strings.TrimSuffix(out.String(), "\n")
	if len(got) > 60 || !strings.HasPrefix(got, "PROBLEM web.example.com/Disk Space CRITICAL") {
		t.Errorf("pager text %q (%d bytes)", got, len(got))
	}
}

func TestSendmailPipe(t *testing.T) {
	cat, err := exec.LookPath("cat")
	if err != nil {
		t.Skip("no cat to stand in for sendmail")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "sendmail")
	sink := filepath.Join(dir, "sent.eml")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"+cat+" > "+sink+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	if code := run([]string{"-env", fixture, "-sendmail", script + " -t -i"}, nil, &bytes.Buffer{}, &errOut); code != 0 {
		t.Fatalf("run = %d: %s", code, errOut.String())
	}
	b, err := os.ReadFile(sink)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mail.ReadMessage(bytes.NewReader(b)); err != nil {
		t.Errorf("piped message does not parse: %v", err)
	}
	if code := run([]string{"-env", fixture, "-sendmail", filepath.Join(dir, "missing")}, nil, &bytes.Buffer{}, &errOut); code != 1 {
		t.Errorf("missing sendmail: code %d, want 1", code)
	}
}

func TestFlags(t *testing.T) {
	tests := []struct {
		args []string
		env  []string
		code int
	}{
		{[]string{"-h"}, nil, 0},
		{[]string{"-pager", "-1"}, nil, 2},
		{[]string{"-from", "not an address"}, nil, 2},
		{[]string{"-timeout", "0s"}, nil, 2},
		{[]string{"stray"}, nil, 2},
		{[]string{"-env", fixture, "-to", "@@@"}, nil, 2},
		{nil, []string{"PATH=/bin"}, 1}, // no notification in the environment
		{[]string{"-env", "/nonexistent"}, nil, 1},
	}
	for _, tt := range tests {
		var errOut bytes.Buffer
		if code := run(tt.args, tt.env, &bytes.Buffer{}, &errOut); code != tt.code {
			t.Errorf("run(%q) = %d, want %d: %s", tt.args, code, tt.code, errOut.String())
		}
	}
}
