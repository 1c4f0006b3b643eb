package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out, errw strings.Builder
	code := run([]string{"5.9.10.11", "::ffff:3.0.0.9", "8.8.8.8", "nonsense"}, nil, &out, &errw, time.Hour)
	assert.Equal(t, "5.9.10.11\tHetzner Online AG\thttp://www.hetzner.de/\n"+
		"::ffff:3.0.0.9\tAmazon AWS\thttp://www.amazon.com/aws/\n"+
		"8.8.8.8\t-\n"+
		"nonsense\tinvalid address\n", out.String())
	assert.Equal(t, 1, code, "an invalid address fails the run")
	assert.Equal(t, "ipdb: 1 invalid addresses\n", errw.String())

	out.Reset()
	errw.Reset()
	assert.Equal(t, 0, run(nil, strings.NewReader("8.8.8.8\n\n5.9.10.11\n"), &out, &errw, time.Hour))
	assert.Equal(t, "8.8.8.8\t-\n5.9.10.11\tHetzner Online AG\thttp://www.hetzner.de/\n", out.String())

	out.Reset()
	assert.Equal(t, 0, run(nil, nil, &out, &errw, time.Hour), "the built-in sample")
	assert.Equal(t, len(sample), strings.Count(out.String(), "\n"))
	assert.Empty(t, errw.String())
}

func TestRunCSV(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	require.NoError(t, os.WriteFile(good, []byte("# comment\n1.0.0.0,1.0.0.255,\"A, Co.\",https://a.example/\n"), 0o644))
	var out, errw strings.Builder
	require.Equal(t, 0, run([]string{"-csv", good, "1.0.0.1", "1.0.1.0"}, nil, &out, &errw, time.Hour), errw.String())
	assert.Equal(t, "1.0.0.1\tA, Co.\thttps://a.example/\n1.0.1.0\t-\n", out.String())

	tsv := filepath.Join(dir, "good.tsv")
	require.NoError(t, os.WriteFile(tsv, []byte("1.0.0.0\t1.0.0.255\tA\t\n"), 0o644))
	out.Reset()
	require.Equal(t, 0, run([]string{"-csv", tsv, "-tsv", "1.0.0.1"}, nil, &out, &errw, time.Hour), errw.String())
	assert.Equal(t, "1.0.0.1\tA\t\n", out.String())

	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("1.0.0.0,1.0.0.255,A,\n1.0.0.9,1.0.0.9,B,\n"), 0o644))
	errw.Reset()
	assert.Equal(t, 1, run([]string{"-csv", bad, "1.0.0.1"}, nil, &out, &errw, time.Hour))
	assert.Contains(t, errw.String(), "bad.csv line 2")

	errw.Reset()
	assert.Equal(t, 1, run([]string{"-csv", filepath.Join(dir, "missing.csv")}, nil, &out, &errw, time.Hour))
	assert.Contains(t, errw.String(), "missing.csv")
}

func TestFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"help", []string{"-h"}, 0, "usage: ipdb"},
		{"long help", []string{"--help"}, 0, "usage: ipdb"},
		{"unknown flag", []string{"-x"}, 2, "flag provided but not defined: -x"},
		{"tsv without csv", []string{"-tsv"}, 2, "ipdb: -tsv needs -csv"},
		{"bad bool", []string{"-tsv=maybe"}, 2, `invalid boolean value "maybe" for -tsv`},
		{"csv without value", []string{"-csv"}, 2, "flag needs an argument: -csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errw strings.Builder
			assert.Equal(t, tt.code, run(tt.args, nil, &out, &errw, time.Hour))
			assert.Contains(t, errw.String(), tt.wantErr)
			assert.Contains(t, errw.String(), "-csv ranges", "usage shown")
			assert.Empty(t, out.String())
		})
	}
}

// Work longer than a tick reports progress on stderr: a slow standard
// input (a second per line, on the bubble's fake clock) keeps the lookup
// stage running for a few two-second ticks.
func TestProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pr, pw := io.Pipe()
		go func() {
			time.Sleep(time.Second / 2) // lines at 0.5 s, 1.5 s, ..., apart from the ticks
			for range 5 {
				pw.Write([]byte("8.8.8.8\n"))
				time.Sleep(time.Second)
			}
			pw.Close()
		}()
		var out, errw strings.Builder
		assert.Equal(t, 0, run(nil, pr, &out, &errw, 2*time.Second))
		assert.Equal(t, "ipdb: looking up addresses: 2 addresses looked up (2s)\n"+
			"ipdb: looking up addresses: 4 addresses looked up (4s)\n", errw.String())
		assert.Equal(t, 5, strings.Count(out.String(), "8.8.8.8\t-\n"))
	})
}

func TestRobots(t *testing.T) {
	dir := t.TempDir()
	chart := filepath.Join(dir, "chart.svg")
	var out, errw strings.Builder
	code := run([]string{"-robots", "-svg", chart, "-at", "2026-12-01T03:30:00Z", "66.249.66.1", "3.5.140.1", "10.1.2.3"}, nil, &out, &errw, time.Hour)
	require.Equal(t, 0, code, errw.String())
	assert.Equal(t, "66.249.66.1\tGooglebot\tcrawler\tallow\t66.249.64.0-66.249.67.95\n"+
		"3.5.140.1\tAmazon AWS\tcloud\tdeny\t3.5.126.0-3.5.169.255\n"+
		"10.1.2.3\t-\n", out.String())
	svg, err := os.ReadFile(chart)
	require.NoError(t, err)
	assert.Contains(t, string(svg), "<title>crawler 2026-12-01 03:00: 1</title>")
	assert.Contains(t, string(svg), "<title>cloud 2026-12-01 03:00: 1</title>")
}

func TestSignups(t *testing.T) {
	var out, errw strings.Builder
	in := "10 3.5.140.1\n11 3.5.140.2\n12 66.249.66.1\n13 10.1.2.3\n"
	require.Equal(t, 0, run([]string{"-signups"}, strings.NewReader(in), &out, &errw, time.Hour), errw.String())
	assert.Equal(t, "10\t11\tipdb-cloud-range\n11\t10\tipdb-cloud-range\n", out.String(),
		"the two signups from one Amazon range are linked; the crawler and the unlisted address are not")
	out.Reset()
	errw.Reset()
	assert.Equal(t, 1, run([]string{"-signups"}, strings.NewReader("x 1.2.3.4\n"), &out, &errw, time.Hour))
	assert.Contains(t, errw.String(), `ipdb: signups line 1: account "x"`)
}

func TestRobotsFlags(t *testing.T) {
	for _, args := range [][]string{{"-svg", "x.svg"}, {"-robots", "-csv", "a.csv"}, {"-robots", "-at", "yesterday"}} {
		var out, errw strings.Builder
		assert.Equal(t, 2, run(args, nil, &out, &errw, time.Hour), "%v", args)
		assert.Contains(t, errw.String(), "usage: ipdb")
	}
}
