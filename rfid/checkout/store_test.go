package checkout

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openLedger opens a ledger file and closes it at the end of the test.
func openLedger(t *testing.T, path string) (*Ledger, []error) {
	t.Helper()
	l, warnings, err := OpenLedger(path)
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	return l, warnings
}

// someRecords are a check-out, a transfer and two same-name devices.
func someRecords() []Record {
	return []Record{
		{Time: t0, Action: Out, Tag: card(50001), Device: "Laptop", Person: "Ada", By: "Ada"},
		{Time: t0.Add(time.Second), Action: Out, Tag: card(50002), Device: "Laptop", Person: "Grace", By: "Grace"},
		{Time: t0.Add(2 * time.Second), Action: In, Tag: card(50001), Device: "Laptop", Person: "Ada", By: "Linus"},
		{Time: t0.Add(2 * time.Second), Action: Out, Tag: card(50001), Device: "Laptop", Person: "Linus", By: "Linus"},
		{Time: t0.Add(3 * time.Second), Action: Out, Tag: card(pixel), Device: "Pixel \"7\" ✓", Person: "Zoë", By: "Zoë"},
	}
}

// sameHistory compares histories; times compare with Equal (the file
// keeps the instant, not the monotonic reading).
func sameHistory(t *testing.T, want, got []Record) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		w, g := want[i], got[i]
		if !w.Time.Equal(g.Time) {
			t.Errorf("record %d time %v, want %v", i, g.Time, w.Time)
		}
		w.Time, g.Time = time.Time{}, time.Time{}
		assert.Equal(t, w, g, "record %d", i)
	}
}

func TestLedgerFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lab.jsonl")
	l, warnings := openLedger(t, path)
	assert.Empty(t, warnings)
	for _, r := range someRecords() {
		require.NoError(t, l.Append(r))
	}
	require.NoError(t, l.Close())
	assert.ErrorIs(t, l.Append(Record{Time: t0, Action: Out, Tag: card(ipad), Device: "iPad", Person: "Ada"}), ErrClosed)

	again, warnings := openLedger(t, path)
	assert.Empty(t, warnings)
	sameHistory(t, someRecords(), again.History())
	loans := again.Loans()
	require.Len(t, loans, 3, "two laptops and a Pixel: %+v", loans)
	assert.Equal(t, card(50001), loans[0].Tag)
	assert.Equal(t, "Linus", loans[0].Person)
	assert.Equal(t, card(50002), loans[1].Tag)
	assert.Equal(t, "Grace", loans[1].Person)
}

func TestLedgerFileTornLastLine(t *testing.T) {
	for _, tail := range []string{`{"time":"2026-01-05T09:`, "\x00\x00\x00\x00", strings.Repeat("x", MaxRecordSize+10)} {
		t.Run(fmt.Sprintf("%.10q", tail), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "lab.jsonl")
			l, _ := openLedger(t, path)
			for _, r := range someRecords() {
				require.NoError(t, l.Append(r))
			}
			require.NoError(t, l.Close())
			good, err := os.ReadFile(path)
			require.NoError(t, err)
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			require.NoError(t, err)
			_, err = f.WriteString(tail)
			require.NoError(t, err)
			require.NoError(t, f.Close())

			l, warnings := openLedger(t, path)
			require.Len(t, warnings, 1)
			le, ok := errors.AsType[*LineError](warnings[0])
			require.True(t, ok, "warning %v is not a *LineError", warnings[0])
			assert.ErrorIs(t, le, ErrTorn)
			assert.Equal(t, 6, le.Line)
			assert.Equal(t, path, le.Path)
			assert.Contains(t, le.Error(), fmt.Sprintf("checkout: %s: line 6: torn last record dropped (%d bytes, no line end)", path, len(tail)))
			sameHistory(t, someRecords(), l.History())
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, string(good), string(after), "the torn tail is cut off")

			// The next record starts on a line of its own.
			next := Record{Time: t0.Add(time.Hour), Action: Out, Tag: card(ipad), Device: "iPad", Person: "Ada", By: "Ada"}
			require.NoError(t, l.Append(next))
			require.NoError(t, l.Close())
			l, warnings = openLedger(t, path)
			assert.Empty(t, warnings)
			sameHistory(t, append(someRecords(), next), l.History())
		})
	}
}

func TestLedgerFileCorrupt(t *testing.T) {
	const good = `{"time":"2026-01-05T09:00:00Z","action":"out","tag":"170:50007","device":"Pixel 7","person":"Ada","by":"Ada"}` + "\n"
	tests := []struct {
		name, data string
		line       int
		want       string
	}{
		{"not JSON", good + "garbage\n" + good, 2, "line 2: invalid character 'g'"},
		{"unknown action", strings.Replace(good, `"out"`, `"lend"`, 1), 1, `line 1: unknown action "lend"`},
		{"unknown field", strings.Replace(good, `"by"`, `"bx"`, 1), 1, `line 1: json: unknown field "bx"`},
		{"bad tag", strings.Replace(good, `170:50007`, `170`, 1), 1, `line 1: bad tag "170", want facility:number`},
		{"two records on a line", strings.TrimSuffix(good, "\n") + good, 1, "line 1: data after the record"},
		{"checked out twice", good + "\n" + good, 3, "line 3: checkout: device already checked out"[len("line 3: checkout: "):]},
		{"line too long", good + strings.Repeat(" ", MaxRecordSize) + "\n", 2, "line 2: invalid record: line longer than 65536 bytes"},
		{"no time", strings.Replace(good, `"time":"2026-01-05T09:00:00Z",`, "", 1), 1, "line 1: record without time"},
		{"invalid UTF-8 name", strings.Replace(good, "Ada\",\"by", "\xff\",\"by", 1), 1, "line 1: invalid record: line is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "lab.jsonl")
			require.NoError(t, os.WriteFile(path, []byte(tt.data), 0o644))
			l, warnings, err := OpenLedger(path)
			if err == nil {
				l.Close()
				t.Fatalf("OpenLedger(%q) = %d records, %v; want an error", tt.data, len(l.History()), warnings)
			}
			le, ok := errors.AsType[*LineError](err)
			require.True(t, ok, "error %v is not a *LineError", err)
			assert.Equal(t, tt.line, le.Line)
			assert.Contains(t, err.Error(), "checkout: "+path+": ")
			assert.Contains(t, err.Error(), tt.want)
			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, tt.data, string(after), "a corrupt file is left as it is")
		})
	}
}

func TestLedgerFileRecordTooLong(t *testing.T) {
	l, _ := openLedger(t, filepath.Join(t.TempDir(), "lab.jsonl"))
	err := l.Append(Record{Time: t0, Action: Out, Tag: card(ipad), Device: strings.Repeat("i", MaxRecordSize), Person: "Ada"})
	assert.ErrorIs(t, err, ErrRecord)
	assert.Empty(t, l.History())
	assert.NoError(t, l.Append(Record{Time: t0, Action: Out, Tag: card(ipad), Device: "iPad", Person: "Ada"}))
}

// TestOpenLedgerMemoryBound opens a file whose last line is 16 MB without
// a line end: OpenLedger must not buffer it whole.
func TestOpenLedgerMemoryBound(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation bounds are checked without the race detector")
	}
	path := filepath.Join(t.TempDir(), "lab.jsonl")
	const size = 16 << 20
	require.NoError(t, os.WriteFile(path, []byte(strings.Repeat("y", size)), 0o644))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	l, warnings, err := OpenLedger(path)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	defer l.Close()
	require.Len(t, warnings, 1)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4*MaxRecordSize {
		t.Errorf("OpenLedger of a 16 MB torn line allocated %d bytes, want at most %d", alloc, 4*MaxRecordSize)
	}
}

// TestLedgerFileKill re-runs this test binary as a child that appends
// records and reports each acknowledged one on stdout, kills it with
// SIGKILL in the middle of its writes, and reopens the file: every
// acknowledged record must be there.
func TestLedgerFileKill(t *testing.T) {
	if path := os.Getenv("CHECKOUT_KILL_CHILD"); path != "" {
		killChild(path)
		return
	}
	if testing.Short() {
		t.Skip("kill test skipped in -short mode")
	}
	path := filepath.Join(t.TempDir(), "lab.jsonl")
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestLedgerFileKill$")
		cmd.Env = append(os.Environ(), "CHECKOUT_KILL_CHILD="+path)
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		acked := -1
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			n, err := strconv.Atoi(strings.TrimPrefix(sc.Text(), "ack "))
			if err != nil {
				continue
			}
			acked = n
			if acked >= 40*(round+1) {
				break
			}
		}
		require.NoError(t, cmd.Process.Kill())
		_ = cmd.Wait()
		require.GreaterOrEqual(t, acked, 40*(round+1), "the child acknowledged too few records")

		l, warnings, err := OpenLedger(path)
		require.NoError(t, err, "round %d", round)
		for _, w := range warnings {
			t.Logf("round %d: %v", round, w)
		}
		h := l.History()
		require.NoError(t, l.Close())
		if len(h) < acked+1 {
			t.Fatalf("round %d: %d records in the file, but %d were acknowledged", round, len(h), acked+1)
		}
	}
}

// killChild appends records until killed, printing "ack N" after the
// N-th (0-based) Append returned.
func killChild(path string) {
	l, _, err := OpenLedger(path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	start := len(l.History())
	for i := start; ; i++ {
		tag := card(uint32(60000 + i))
		if err := l.Append(Record{Time: t0.Add(time.Duration(i) * time.Second), Action: Out, Tag: tag, Device: "d" + strconv.Itoa(i), Person: "p"}); err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Println("ack", i)
	}
}

// TestOpenLedgerAllocBound checks the documented bound of OpenLedger: at
// most 64 bytes allocated per byte of file, on the shortest records.
func TestOpenLedgerAllocBound(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation bounds are checked without the race detector")
	}
	path := filepath.Join(t.TempDir(), "lab.jsonl")
	var b strings.Builder
	for i := range 20000 {
		action := "out"
		if i%2 == 1 {
			action = "in"
		}
		fmt.Fprintf(&b, `{"time":"2026-01-05T09:00:00Z","action":"%s","tag":"1:%d"}`+"\n", action, i/2)
	}
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	l, _, err := OpenLedger(path)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	defer l.Close()
	require.Len(t, l.History(), 20000)
	r := float64(after.TotalAlloc-before.TotalAlloc) / float64(b.Len())
	t.Logf("%.1f bytes per byte", r)
	if r > 64 {
		t.Errorf("OpenLedger allocated %.1f bytes per byte of file, want at most 64", r)
	}
}
