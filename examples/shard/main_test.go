package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(nil, &out, &errOut); code != 0 {
		t.Fatalf("run() = %d, stderr %q", code, errOut.String())
	}
	for _, want := range []string{
		"1. topology \"dev\": 3 shards",
		"user 1 -> shard_",
		"now writes on side B (write ok)",
		"is refused (true)",
		"copied", "locked", "delta", "verified", "flipped", "done",
		"lost 0",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-h"}, 0, "usage: shard"},
		{[]string{"-shards", "1"}, 2, "-shards 1: want 2 to 16"},
		{[]string{"-objects", "0"}, 2, "-objects 0"},
		{[]string{"-writes", "100000"}, 2, "-writes 100000"},
		{[]string{"extra"}, 2, "unexpected argument"},
		{[]string{"-nope"}, 2, "flag provided but not defined"},
	} {
		var out, errOut bytes.Buffer
		if code := run(tt.args, &out, &errOut); code != tt.code || !strings.Contains(errOut.String(), tt.msg) {
			t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tt.args, code, errOut.String(), tt.code, tt.msg)
		}
	}
}
