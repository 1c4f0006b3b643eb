package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(&out, "", false, []string{"5.9.10.11", "::ffff:3.0.0.9", "8.8.8.8", "nonsense"}))
	assert.Equal(t, "5.9.10.11\tHetzner Online AG\thttp://www.hetzner.de/\n"+
		"::ffff:3.0.0.9\tAmazon AWS\thttp://www.amazon.com/aws/\n"+
		"8.8.8.8\t-\n"+
		"nonsense\tinvalid address\n", out.String())
}

func TestRunCSV(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	require.NoError(t, os.WriteFile(good, []byte("# comment\n1.0.0.0,1.0.0.255,\"A, Co.\",https://a.example/\n"), 0o644))
	var out strings.Builder
	require.NoError(t, run(&out, good, false, []string{"1.0.0.1", "1.0.1.0"}))
	assert.Equal(t, "1.0.0.1\tA, Co.\thttps://a.example/\n1.0.1.0\t-\n", out.String())

	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("1.0.0.0,1.0.0.255,A,\n1.0.0.9,1.0.0.9,B,\n"), 0o644))
	err := run(&out, bad, false, []string{"1.0.0.1"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bad.csv line 2")
}
