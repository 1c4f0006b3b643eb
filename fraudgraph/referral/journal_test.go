package referral

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	lineTask    = `{"task":{"id":1,"opened":"2026-03-02T12:00:00Z","account":2,"action":"review","rules":["ring"],"reasons":null,"grounds":{"credit":"discount","amount":{"minor":1000,"currency":"EUR"},"stake":{"minor":1000,"currency":"EUR"},"score":0.6,"kinds":["ring"]}}}` + "\n"
	lineVerdict = `{"verdict":{"task":1,"reviewer":"ana","at":"2026-03-02T13:00:00Z","fraud":true}}` + "\n"
)

func TestReadJournal(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		records int
		good    int
		err     error
	}{
		{"empty", "", 0, 0, nil},
		{"two records", lineTask + lineVerdict, 2, len(lineTask + lineVerdict), nil},
		{"torn last record", lineTask + lineVerdict[:20], 1, len(lineTask), nil},
		{"torn first record", lineTask[:5], 0, 0, nil},
		{"damaged middle line", lineTask + "{oops}\n" + lineVerdict, 1, len(lineTask), ErrJournal},
		{"two fields", `{"task":{"id":1},"verdict":{"task":1}}` + "\n", 0, 0, ErrJournal},
		{"no field", "{}\n", 0, 0, ErrJournal},
		{"unknown field", `{"taks":{}}` + "\n", 0, 0, ErrJournal},
		{"bad action", strings.Replace(lineTask, `"review"`, `"maybe"`, 1), 0, 0, ErrJournal},
		{"line too long", `{"verdict":{"note":"` + strings.Repeat("x", maxLine) + `"}}` + "\n", 0, 0, ErrJournal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, good, err := ReadJournal(strings.NewReader(tt.in))
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("ReadJournal error %v, want %v", err, tt.err)
			}
			assert.Len(t, recs, tt.records)
			assert.Equal(t, int64(tt.good), good)
		})
	}
}

func TestFileSinkTornTail(t *testing.T) {
	name := filepath.Join(t.TempDir(), "journal.jsonl")
	s, err := OpenFile(name)
	require.NoError(t, err)
	var v Verdict
	require.NoError(t, s.Append(Record{Verdict: &Verdict{Task: 1, Reviewer: "ana", At: t0}}))
	assert.ErrorIs(t, s.Append(Record{}), ErrJournal)
	require.NoError(t, s.Close())
	// A crash cut the next record short.
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(lineVerdict[:30])
	require.NoError(t, err)
	require.NoError(t, f.Close())

	s, err = OpenFile(name)
	require.NoError(t, err)
	assert.Equal(t, int64(30), s.Torn())
	recs := s.Records()
	require.Len(t, recs, 1)
	v = *recs[0].Verdict
	assert.Equal(t, "ana", v.Reviewer)
	require.NoError(t, s.Append(Record{Verdict: &Verdict{Task: 2, Reviewer: "bo", At: t0}}))
	require.NoError(t, s.Close())
	s, err = OpenFile(name)
	require.NoError(t, err)
	assert.Len(t, s.Records(), 2)
	assert.Zero(t, s.Torn())
	require.NoError(t, s.Close())

	require.NoError(t, os.WriteFile(name, []byte(lineTask+"{oops}\n"), 0o644))
	_, err = OpenFile(name)
	assert.ErrorIs(t, err, ErrJournal)
	assert.Contains(t, err.Error(), "line 2")
}

// crashChild is the environment variable that turns TestCrashRestart's
// re-executed test binary into the writer that gets killed.
const crashChild = "CRAFTKIT_REFERRAL_CRASH_JOURNAL"

// TestCrashRestart kills a process while it writes review tasks,
// verdicts and statuses to a FileSink, then restores them in this
// process: every record the child acknowledged must be back.
func TestCrashRestart(t *testing.T) {
	if name := os.Getenv(crashChild); name != "" {
		crashWriter(name)
		return
	}
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	name := filepath.Join(t.TempDir(), "journal.jsonl")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashRestart$")
	cmd.Env = append(os.Environ(), crashChild+"="+name)
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	acked := map[uint64]uint64{} // task -> account
	verdicts := map[uint64]bool{}
	sc := bufio.NewScanner(out)
	for sc.Scan() && len(acked) < 60 {
		var task, account uint64
		var kind string
		if _, err := fmt.Sscan(sc.Text(), &kind, &task, &account); err != nil {
			continue
		}
		if kind == "task" {
			acked[task] = account
		} else {
			verdicts[task] = true
		}
	}
	require.NoError(t, cmd.Process.Kill()) // SIGKILL while the child keeps appending
	_ = cmd.Wait()
	require.GreaterOrEqual(t, len(acked), 60, "the child acknowledged tasks")

	s, err := OpenFile(name)
	require.NoError(t, err)
	defer s.Close()
	p := mustNew(t, Config{Rules: rules(nil), Sink: s})
	require.NoError(t, p.Restore(s.Records()))
	for task, account := range acked {
		got, v, ok := p.Task(task)
		require.True(t, ok, "task %d acknowledged before the kill is restored", task)
		assert.Equal(t, account, got.Account)
		h := p.History(account)
		require.NotEmpty(t, h, "status history of %d", account)
		assert.Equal(t, fraudgraph.ActionBlockCredit, h[0].Action)
		if verdicts[task] {
			require.NotNil(t, v, "verdict on task %d", task)
			require.Len(t, h, 2)
			assert.Equal(t, "ana", h[0].SupersededBy)
		}
	}
	t.Logf("%d tasks acknowledged, %d records restored, %d torn bytes cut", len(acked), len(s.Records()), s.Torn())
}

// crashWriter writes tasks and statuses until killed, printing each task
// once its records are synced.
func crashWriter(name string) {
	s, err := OpenFile(name)
	if err != nil {
		panic(err)
	}
	g := fraudgraph.New(fraudgraph.Config{})
	p, err := New(Config{Graph: g, Rules: rules(nil), Sink: s})
	if err != nil {
		panic(err)
	}
	w := bufio.NewWriter(os.Stdout)
	for i := uint64(1); ; i++ {
		inviter, invitee := 2*i+1, 2*i+2
		at := t0.Add(time.Duration(i) * time.Minute)
		_ = g.AddInvite(inviter, invitee, at)
		_ = g.AddFingerprint(inviter, "card", fmt.Sprint("card-", i))
		_ = g.AddFingerprint(invitee, "card", fmt.Sprint("card-", i))
		for _, ev := range []Event{signup(at, invitee, inviter), buy(at, invitee, 40_00)} {
			o, err := p.Process(context.Background(), ev)
			if err != nil {
				panic(err)
			}
			for _, c := range o.Credits {
				fmt.Fprintln(w, "task", c.Task, c.Account)
				if i%2 == 0 {
					if err := p.Review(Verdict{Task: c.Task, Reviewer: "ana", At: at.Add(time.Second), Fraud: true}); err != nil {
						panic(err)
					}
					fmt.Fprintln(w, "verdict", c.Task, c.Account)
				}
				w.Flush()
			}
		}
	}
}
