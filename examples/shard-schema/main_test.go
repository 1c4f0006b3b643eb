package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/craftkit/craftkit/internal/golden"
	"github.com/craftkit/craftkit/shard/schema"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func fixedNow() time.Time { return time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC) }

func TestRun(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		golden string
	}{
		{"good", nil, 0, "good.golden"},
		{"bad", []string{"-demo", "bad"}, 1, "bad.golden"},
		{"replay", []string{"-replay", "testdata/queries.log", "-workers", "1"}, 0, "replay.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tt.args, &out, &errOut, fixedNow); code != tt.code {
				t.Fatalf("run(%q) = %d, want %d; stderr %q", tt.args, code, tt.code, errOut.String())
			}
			golden.Check(t, filepath.Join("testdata", tt.golden), out.Bytes(), *update)
		})
	}
}

func TestRunWritesRecord(t *testing.T) {
	dir := t.TempDir()
	sqlPath := filepath.Join(dir, "add-shop.sql")
	os.WriteFile(sqlPath, []byte("ALTER TABLE shops ADD COLUMN owner_id BIGINT UNSIGNED NOT NULL DEFAULT 0;\n"), 0o644)
	out := filepath.Join(dir, "add-shop.json")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-sql", sqlPath, "-author", "ana", "-out", out}, &stdout, &stderr, fixedNow); code != 0 {
		t.Fatalf("run = %d: %s %s", code, stdout.String(), stderr.String())
	}
	cs, err := schema.ReadChangeset(out)
	if err != nil {
		t.Fatal(err)
	}
	if cs.ID != "add-shop" || cs.Author != "ana" || cs.Status != schema.StatusReady || cs.DryRun == nil || !cs.DryRun.OK || cs.Checksums["shops"] == "" {
		t.Errorf("record = %+v", cs)
	}
}

func TestFlags(t *testing.T) {
	tests := []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"-h"}, 0, "usage: shard-schema"},
		{[]string{"-demo", "ugly"}, 2, `-demo "ugly"`},
		{[]string{"-workers", "0"}, 2, "-workers 0"},
		{[]string{"-format", "binlog"}, 2, `-format "binlog"`},
		{[]string{"-enable", "temporal,nope"}, 2, `unknown rule "nope"`},
		{[]string{"-author", " "}, 2, "-author is empty"},
		{[]string{"extra"}, 2, `unexpected argument "extra"`},
		{[]string{"-sql", "/does/not/exist.sql"}, 2, "exist.sql"},
		{[]string{"-nope"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		code := run(tt.args, &out, &errOut, fixedNow)
		if code != tt.code || !strings.Contains(errOut.String(), tt.err) {
			t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tt.args, code, errOut.String(), tt.code, tt.err)
		}
	}
}
