package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// start runs the server with args and returns its base URL and a stop
// function that shuts it down and returns run's exit code.
func start(t *testing.T, args ...string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		code := run(ctx, args, pw, &stderr)
		pw.Close()
		done <- code
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no URL printed: %v; stderr: %s", err, stderr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	m := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(line)
	if m == "" {
		cancel()
		t.Fatalf("no loopback URL in %q", line)
	}
	return strings.TrimSuffix(m, "/"), func() int {
		cancel()
		select {
		case c := <-done:
			return c
		case <-time.After(10 * time.Second):
			t.Fatal("server did not stop")
			return -1
		}
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeSampleAndWebhook(t *testing.T) {
	store := filepath.Join(t.TempDir(), "alerts.jsonl")
	base, stop := start(t, "-user", "cho", "-store", store)
	code, body := get(t, base+"/week")
	if code != 200 || !strings.Contains(body, "Load OK") || !strings.Contains(body, `name="csrf"`) {
		t.Fatalf("GET /week = %d, page without ann's week:\n%.500s", code, body)
	}
	if code, body := get(t, base+"/meeting"); code != 200 || !strings.Contains(body, "<svg") {
		t.Errorf("GET /meeting = %d, no chart", code)
	}
	hook := `{"version":"4","status":"firing","receiver":"oncall","alerts":[{"status":"firing","labels":{"alertname":"KubePodCrashLooping","instance":"k8s-node-7"},"annotations":{"summary":"pod crash looping"},"startsAt":"` + time.Now().Add(-time.Minute).UTC().Format(time.RFC3339) + `"}]}`
	resp, err := http.Post(base+"/webhook", "application/json", strings.NewReader(hook))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("POST /webhook = %d", resp.StatusCode)
	}
	resp, err = http.Post(base+"/webhook", "text/plain", strings.NewReader(hook))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("POST /webhook as text/plain = %d, want 415", resp.StatusCode)
	}
	if code, body := get(t, base+"/search?format=json&q=crash"); code != 200 || !strings.Contains(body, "crash looping") {
		t.Errorf("webhook alert not found by search: %d %.300s", code, body)
	}
	if c := stop(); c != 0 {
		t.Fatalf("run = %d", c)
	}
	// Restarting on the same store does not seed it twice.
	base, stop = start(t, "-user", "cho", "-store", store)
	_, before := get(t, base+"/year?format=json")
	if c := stop(); c != 0 {
		t.Fatalf("run = %d", c)
	}
	if !strings.Contains(before, `"total"`) {
		t.Errorf("year JSON: %.200s", before)
	}
}

func TestHeaderIdentity(t *testing.T) {
	base, stop := start(t, "-store", filepath.Join(t.TempDir(), "s.jsonl"), "-no-sample")
	defer stop()
	if code, _ := get(t, base+"/week"); code != http.StatusUnauthorized {
		t.Errorf("GET without the header = %d, want 401", code)
	}
	req, _ := http.NewRequest("GET", base+"/week", nil)
	req.Header.Set("X-Forwarded-User", "bob")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("GET with the header = %d, want 200", resp.StatusCode)
	}
}

func TestFlags(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"-h"}, 0},
		{[]string{"-port", "70000"}, 2},
		{[]string{"-port", "-1"}, 2},
		{[]string{"extra"}, 2},
		{[]string{"-nosuchflag"}, 2},
		{[]string{"-user", "", "-header", ""}, 2},
		{[]string{"-user", "a\nb"}, 2},
		{[]string{"-zone", "Mars/Olympus"}, 1},
		{[]string{"-tz", "Nowhere/Else", "-user", "ann"}, 1},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		if got := run(context.Background(), tt.args, &out, &errOut); got != tt.code {
			t.Errorf("run(%q) = %d, want %d; stderr: %s", tt.args, got, tt.code, errOut.String())
		}
	}
}
