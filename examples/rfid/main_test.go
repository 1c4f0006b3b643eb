package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/craftkit/craftkit/internal/golden"
)

var update = flag.Bool("update", false, "rewrite testdata/screen.golden")

// TestReplay checks the lab screen printed for the embedded capture.
func TestReplay(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(nil, &out, &errOut, time.Now); code != 0 {
		t.Fatalf("run() = %d, stderr %q", code, errOut.String())
	}
	golden.Check(t, "testdata/screen.golden", out.Bytes(), *update)
	if errOut.Len() > 0 {
		t.Errorf("stderr = %q, want nothing", errOut.String())
	}
}

// TestLedgerSurvivesRestart replays the demo twice into one ledger file:
// the second run starts with the loans of the first.
func TestLedgerSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.jsonl")
	var out, errOut bytes.Buffer
	if code := run([]string{"-ledger", path}, &out, &errOut, time.Now); code != 0 {
		t.Fatalf("first run = %d, stderr %q", code, errOut.String())
	}
	out.Reset()
	if code := run([]string{"-ledger", path}, &out, &errOut, time.Now); code != 0 {
		t.Fatalf("second run = %d, stderr %q", code, errOut.String())
	}
	// Ada still holds the iPad from the first run, so its check-out by
	// Grace is a transfer now.
	if !strings.Contains(out.String(), "iPad transferred from Ada to Grace") {
		t.Errorf("second run does not see the first run's loans:\n%s", out.String())
	}
}

func TestFlags(t *testing.T) {
	capture := filepath.Join(t.TempDir(), "bad.capture")
	if err := os.WriteFile(capture, []byte("0 D1 fall\n12 D2 fall\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args       []string
		code       int
		wantStderr string
	}{
		{[]string{"-h"}, 0, "Usage: rfid [flags]"},
		{[]string{"--help"}, 0, "-ledger"},
		{[]string{"-bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"-d0", "x"}, 2, `invalid value "x" for flag -d0`},
		{[]string{"-chip", "gpiochip0", "-d0", "-1"}, 2, "rfid: -d0 -1: want a line offset from 0 to 1023"},
		{[]string{"-chip", "gpiochip0", "-d1", "5000"}, 2, "rfid: -d1 5000: want a line offset from 0 to 1023"},
		{[]string{"-chip", "gpiochip0", "-d0", "4", "-d1", "4"}, 2, "rfid: -d0 and -d1 are both 4"},
		{[]string{"-falling"}, 2, "rfid: -falling needs -chip"},
		{[]string{"-chip", "gpiochip0", "-capture", "x"}, 2, "rfid: -chip and -capture exclude each other"},
		{[]string{"extra"}, 2, `rfid: unexpected argument "extra"`},
		{[]string{"-capture", "/nonexistent/x.capture"}, 1, "rfid: open /nonexistent/x.capture: no such file or directory"},
		{[]string{"-capture", capture}, 1, "rfid: " + capture + " capture: rfid: line 2: \"12 D2 fall\""},
		{[]string{"-chip", "/nonexistent"}, 1, `rfid: gpio: chip "/nonexistent": not a device under /dev`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tt.args, &out, &errOut, time.Now)
			if code != tt.code || !strings.Contains(errOut.String(), tt.wantStderr) {
				t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tt.args, code, errOut.String(), tt.code, tt.wantStderr)
			}
		})
	}
}

// TestProgress replays a long capture on a clock that advances a second
// per reading: progress lines appear on stderr, the screen is unchanged.
func TestProgress(t *testing.T) {
	var b strings.Builder
	for i := range 10000 {
		fmt.Fprintf(&b, "%d D0 fall\n", 2*i*int(time.Millisecond))
	}
	path := filepath.Join(t.TempDir(), "long.capture")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(time.Second); return clock }
	var out, errOut bytes.Buffer
	if code := run([]string{"-capture", path}, &out, &errOut, now); code != 0 {
		t.Fatalf("run = %d, stderr %q", code, errOut.String())
	}
	if n := strings.Count(errOut.String(), "rfid: replayed "); n < 3 {
		t.Errorf("%d progress lines, want at least 3:\n%s", n, errOut.String())
	}
	if !strings.Contains(errOut.String(), "rfid: replayed 2048 of 10000 edges (20%) in 2s") {
		t.Errorf("stderr = %q", errOut.String())
	}
}

// TestHugeGap replays a capture whose edges are centuries apart: the
// replay must not step through the silence second by second.
func TestHugeGap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gap.capture")
	if err := os.WriteFile(path, []byte("-9000000000000000000 D0 fall\n0 D1 fall\n9000000000000000000 D0 fall\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"-capture", path}, &out, &errOut, time.Now); code != 0 {
		t.Fatalf("run = %d, stderr %q", code, errOut.String())
	}
}
