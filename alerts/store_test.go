package alerts_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/craftkit/craftkit/alerts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultTagsContract(t *testing.T) {
	tags := alerts.DefaultTags()
	want := map[string]string{"": "untagged", "issue": "action", "issuetimeperiod": "action", "viewissue": "action",
		"incorrecttimeperiod": "noaction", "downtimeexpired": "noaction", "downtimenotset": "noaction",
		"thresholdincorrect": "noaction", "checkfaulty": "noaction", "na": "untagged"}
	got := map[string]string{}
	for _, tg := range tags {
		got[tg.Key] = tg.Category.String()
		assert.NotEmpty(t, tg.Label)
	}
	assert.Equal(t, want, got)
	assert.Equal(t, "Untagged", tags[0].Label)
	assert.Equal(t, "N/A", tags[len(tags)-1].Label)
	tags[0].Label = "changed"
	assert.Equal(t, "Untagged", alerts.DefaultTags()[0].Label, "DefaultTags returns a fresh slice")
}

func TestTagSet(t *testing.T) {
	set, err := alerts.NewTagSet(append(alerts.DefaultTags(), alerts.Tag{Key: "emailonly", Label: "No Action Taken: should be email only", Category: alerts.NoAction}))
	require.NoError(t, err)
	assert.Equal(t, alerts.NoAction, set.Category("emailonly"))
	assert.Equal(t, alerts.Untagged, set.Category("nonsense"))
	_, err = alerts.NewTagSet([]alerts.Tag{{Key: "a", Label: "A"}, {Key: "a", Label: "B"}})
	assert.ErrorIs(t, err, alerts.ErrSyntax)
	_, err = alerts.NewTagSet([]alerts.Tag{{Key: "a"}})
	assert.ErrorIs(t, err, alerts.ErrMissing)
	_, err = alerts.NewTagSet([]alerts.Tag{{Key: "", Label: "x", Category: alerts.Action}})
	assert.ErrorIs(t, err, alerts.ErrSyntax)

	now := time.Unix(1000, 0)
	c := alerts.Classification{NotificationID: "x", Tag: "issue", By: "ann", At: now}
	assert.NoError(t, set.Check(c))
	c.Tag = "bogus"
	assert.ErrorIs(t, set.Check(c), alerts.ErrUnknownTag)
	c.Tag, c.By = "issue", ""
	assert.ErrorIs(t, set.Check(c), alerts.ErrMissing)
	var nilSet *alerts.TagSet
	assert.Len(t, nilSet.Tags(), 10)
}

func TestClassifyAll(t *testing.T) {
	ns := []alerts.Notification{{Host: "a", Time: time.Unix(1, 0)}, {Host: "b", Time: time.Unix(2, 0)}}
	cs := alerts.ClassifyAll(ns, alerts.Classification{Tag: "checkfaulty", Note: "flaps", By: "ann", At: time.Unix(9, 0), Sleep: alerts.Awake})
	require.Len(t, cs, 2)
	assert.Equal(t, ns[1].ID(), cs[1].NotificationID)
	assert.Equal(t, "flaps", cs[0].Note)
}

func sampleRecords(n int, seed uint64) []alerts.Record {
	r := rand.New(rand.NewPCG(seed, seed))
	var recs []alerts.Record
	base := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for i := range n {
		nt := alerts.Notification{Time: base.Add(time.Duration(r.IntN(7*24*3600)) * time.Second), Contact: "ann",
			Host: fmt.Sprintf("web%02d", r.IntN(20)), Service: []string{"Disk", "Load", "HTTP"}[r.IntN(3)], State: "CRITICAL",
			Output: fmt.Sprintf("check %d <script>alert(1)</script> ;\"quoted\"", i)}
		recs = append(recs, alerts.Record{Notification: &nt})
		if i%2 == 0 {
			c := alerts.Classification{NotificationID: nt.ID(), Tag: []string{"issue", "thresholdincorrect", "checkfaulty"}[r.IntN(3)], By: "ann", At: base.Add(8 * 24 * time.Hour)}
			recs = append(recs, alerts.Record{Classification: &c})
		}
	}
	return recs
}

func TestFileStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	s, err := alerts.OpenFile(path, alerts.FileConfig{})
	require.NoError(t, err)
	recs := sampleRecords(50, 1)
	require.NoError(t, s.Append(ctx, recs[:10]))
	require.NoError(t, s.Append(ctx, recs[10:]))
	u := alerts.WeeklyUpdate{Person: "ann", Week: time.Unix(0, 0).UTC(), Text: "quiet week", At: time.Unix(5, 0).UTC()}
	require.NoError(t, s.Append(ctx, []alerts.Record{{Update: &u}}))
	require.NoError(t, s.Close())
	assert.ErrorIs(t, s.Append(ctx, recs[:1]), alerts.ErrClosed)

	s2, err := alerts.OpenFile(path, alerts.FileConfig{})
	require.NoError(t, err)
	defer s2.Close()
	var got []alerts.Record
	for r, err := range s2.Scan(ctx) {
		require.NoError(t, err)
		got = append(got, r)
	}
	require.Len(t, got, len(recs)+1)
	for i := range recs {
		a, _ := json.Marshal(recs[i])
		b, _ := json.Marshal(got[i])
		require.JSONEq(t, string(a), string(b), "record %d", i)
	}
	assert.Equal(t, u, *got[len(got)-1].Update)
}

func TestFileStoreKeepsUnknownFields(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	line := `{"notification":{"time":"2026-03-02T03:04:05Z","host":"h","state":"OK","type":"RECOVERY"},"future":{"v":2}}` + "\n" +
		`{"hologram":{"x":1}}` + "\n"
	require.NoError(t, os.WriteFile(path, []byte(line), 0o644))
	s, err := alerts.OpenFile(path, alerts.FileConfig{})
	require.NoError(t, err)
	var got []alerts.Record
	for r, err := range s.Scan(ctx) {
		require.NoError(t, err)
		got = append(got, r)
	}
	require.Len(t, got, 2)
	assert.JSONEq(t, `{"v":2}`, string(got[0].Extra["future"]))
	assert.JSONEq(t, `{"x":1}`, string(got[1].Extra["hologram"]))
	// Copy both into a second store: the unknown fields survive.
	path2 := filepath.Join(t.TempDir(), "copy.jsonl")
	s2, err := alerts.OpenFile(path2, alerts.FileConfig{})
	require.NoError(t, err)
	require.NoError(t, s2.Append(ctx, got))
	require.NoError(t, s2.Close())
	b, err := os.ReadFile(path2)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"future":{"v":2}`)
	assert.Contains(t, string(b), `"hologram":{"x":1}`)
	snap, err := alerts.Load(ctx, s, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, snap.Len())
}

func TestFileStoreTornTail(t *testing.T) {
	ctx := context.Background()
	for _, tail := range []string{`{"notification":{"host":"h","ti`, `{"broken json` + "\n", `{`} {
		path := filepath.Join(t.TempDir(), "alerts.jsonl")
		s, err := alerts.OpenFile(path, alerts.FileConfig{})
		require.NoError(t, err)
		recs := sampleRecords(5, 2)
		require.NoError(t, s.Append(ctx, recs))
		require.NoError(t, s.Close())
		good, err := os.ReadFile(path)
		require.NoError(t, err)
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.WriteString(tail)
		require.NoError(t, err)
		require.NoError(t, f.Close())

		var warned []error
		s, err = alerts.OpenFile(path, alerts.FileConfig{Warn: func(err error) { warned = append(warned, err) }})
		require.NoError(t, err)
		require.Len(t, warned, 1)
		te, ok := errors.AsType[*alerts.TornError](warned[0])
		require.True(t, ok)
		assert.Equal(t, int64(len(good)), te.Offset)
		saved, err := os.ReadFile(path + ".torn")
		require.NoError(t, err)
		assert.Contains(t, string(saved), strings.TrimSuffix(tail, "\n"))
		n := 0
		for _, err := range s.Scan(ctx) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, len(recs), n)
		// The next append starts on a clean line.
		require.NoError(t, s.Append(ctx, recs[:1]))
		require.NoError(t, s.Close())
		s, err = alerts.OpenFile(path, alerts.FileConfig{Warn: func(err error) { t.Errorf("unexpected warning %v", err) }})
		require.NoError(t, err)
		require.NoError(t, s.Close())
	}
}

func TestFileStoreCorruptMiddle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	require.NoError(t, os.WriteFile(path, []byte("{}\nnot json\n{}\n"), 0o644))
	s, err := alerts.OpenFile(path, alerts.FileConfig{})
	require.NoError(t, err, "open checks the tail only")
	_, err = alerts.Load(context.Background(), s, nil)
	pe, ok := errors.AsType[*alerts.ParseError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, 2, pe.Line)
	assert.Equal(t, path, pe.Source)

	require.NoError(t, os.WriteFile(path, []byte(`{"x":"`+strings.Repeat("a", 200)+`"}`+"\n{}\n"), 0o644))
	_, err = alerts.OpenFile(path, alerts.FileConfig{MaxRecordBytes: 100})
	assert.ErrorIs(t, err, alerts.ErrTooLong)
	s, err = alerts.OpenFile(filepath.Join(t.TempDir(), "b.jsonl"), alerts.FileConfig{MaxRecordBytes: 100})
	require.NoError(t, err)
	assert.ErrorIs(t, s.Append(context.Background(), sampleRecords(1, 1)), alerts.ErrTooLong)
}

// TestStoresConcurrent runs writers and readers at once (run with -race):
// every scan sees a prefix of whole batches.
func TestStoresConcurrent(t *testing.T) {
	ctx := context.Background()
	file, err := alerts.OpenFile(filepath.Join(t.TempDir(), "c.jsonl"), alerts.FileConfig{NoSync: true})
	require.NoError(t, err)
	defer file.Close()
	for name, s := range map[string]alerts.Store{"file": file, "memory": &alerts.Memory{}} {
		t.Run(name, func(t *testing.T) {
			const writers, batches, per = 4, 20, 5
			var wg sync.WaitGroup
			for w := range writers {
				wg.Go(func() {
					for b := range batches {
						recs := make([]alerts.Record, per)
						for i := range recs {
							u := alerts.WeeklyUpdate{Person: fmt.Sprintf("w%d", w), Text: strconv.Itoa(b*per + i), Week: time.Unix(int64(b), 0).UTC()}
							recs[i] = alerts.Record{Update: &u}
						}
						if err := s.Append(ctx, recs); err != nil {
							t.Error(err)
						}
					}
				})
			}
			for range 2 {
				wg.Go(func() {
					for range 20 {
						n := 0
						for _, err := range s.Scan(ctx) {
							if err != nil {
								t.Error(err)
								return
							}
							n++
						}
						if n%per != 0 {
							t.Errorf("scan saw %d records, not whole batches of %d", n, per)
						}
					}
				})
			}
			wg.Wait()
			n := 0
			for _, err := range s.Scan(ctx) {
				require.NoError(t, err)
				n++
			}
			assert.Equal(t, writers*batches*per, n)
		})
	}
}

func TestSnapshotLatestClassificationWins(t *testing.T) {
	ctx := context.Background()
	m := &alerts.Memory{}
	n := alerts.Notification{Time: time.Unix(100, 0).UTC(), Host: "h", Service: "s", State: "CRITICAL", Contact: "ann"}
	c1 := alerts.Classification{NotificationID: n.ID(), Tag: "checkfaulty", By: "ann", At: time.Unix(200, 0)}
	c2 := alerts.Classification{NotificationID: n.ID(), Tag: "issue", By: "bob", At: time.Unix(300, 0), Note: "was real"}
	c0 := alerts.Classification{NotificationID: n.ID(), Tag: "na", By: "old", At: time.Unix(150, 0)}
	require.NoError(t, m.Append(ctx, alerts.NotificationRecords([]alerts.Notification{n, n})))
	require.NoError(t, m.Append(ctx, alerts.ClassificationRecords([]alerts.Classification{c1, c2, c0})))
	snap, err := alerts.Load(ctx, m, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, snap.Len(), "the same notification stored twice counts once")
	got, ok := snap.Classification(n.ID())
	require.True(t, ok)
	assert.Equal(t, c2, got)
	assert.Equal(t, alerts.Action, snap.Category(n.ID()))
}

// crashChildEnv names the store file in the re-executed test binary.
const crashChildEnv = "CRAFTKIT_ALERTS_CRASH_CHILD"

// TestCrashChild is the writer process of TestCrash: it appends batches
// of numbered records forever and prints "ack N" after each batch is
// durable. It does nothing in a normal test run.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("writer process for TestCrash only")
	}
	ctx := context.Background()
	s, err := alerts.OpenFile(path, alerts.FileConfig{Warn: func(error) {}})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	next := 0
	for r, err := range s.Scan(ctx) {
		if err != nil {
			fmt.Println("scan:", err)
			os.Exit(3)
		}
		next, _ = strconv.Atoi(r.Update.Text)
		next++
	}
	rng := rand.New(rand.NewPCG(uint64(os.Getpid()), 1))
	pad := strings.Repeat("x", 120)
	w := bufio.NewWriter(os.Stdout)
	for {
		recs := make([]alerts.Record, 1+rng.IntN(500)) // up to ~70 KB a write
		for i := range recs {
			u := alerts.WeeklyUpdate{Person: pad[:rng.IntN(len(pad))], Text: strconv.Itoa(next + i)}
			recs[i] = alerts.Record{Update: &u}
		}
		if err := s.Append(ctx, recs); err != nil {
			fmt.Println("append:", err)
			os.Exit(3)
		}
		next += len(recs)
		fmt.Fprintf(w, "ack %d\n", next-1)
		w.Flush()
	}
}

// TestCrash kills a writer process at random points and checks that
// every acknowledged record survives and the store reopens: 10 rounds,
// 100 with CRAFTKIT_LONG=1.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	rounds := 10
	if os.Getenv("CRAFTKIT_LONG") == "1" {
		rounds = 100
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "crash.jsonl")
	rng := rand.New(rand.NewPCG(42, 42))
	acked := -1
	torn := 0
	for round := range rounds {
		cmd := exec.Command(exe, "-test.run", "^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		// Let the child acknowledge a random number of batches (0 to 4),
		// then kill it a random 0-20 ms later: during start-up, the open
		// (and its repair of the previous round's torn tail), a write or
		// an fsync. time.Sleep here only picks the moment.
		acks := make(chan int)
		bad := make(chan string, 1)
		go func() {
			defer close(acks)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				n, ok := strings.CutPrefix(sc.Text(), "ack ")
				if !ok {
					bad <- sc.Text()
					continue
				}
				v, _ := strconv.Atoi(n)
				acks <- v
			}
		}()
		wantAcks := rng.IntN(5)
		for got := 0; got < wantAcks; got++ {
			v, ok := <-acks
			if !ok {
				break
			}
			acked = v
		}
		time.Sleep(time.Duration(rng.IntN(20_000)) * time.Microsecond)
		require.NoError(t, cmd.Process.Kill())
		// Every ack the child printed before it died is acknowledged.
		for v := range acks {
			acked = v
		}
		select {
		case line := <-bad:
			t.Fatalf("round %d: child said %q", round, line)
		default:
		}
		_ = cmd.Wait()

		var warned int
		s, err := alerts.OpenFile(path, alerts.FileConfig{Warn: func(error) { warned++ }})
		require.NoError(t, err, "round %d: store does not reopen", round)
		torn += warned
		next := 0
		for r, err := range s.Scan(context.Background()) {
			require.NoError(t, err)
			v, _ := strconv.Atoi(r.Update.Text)
			require.Equal(t, next, v, "round %d: records out of sequence", round)
			next++
		}
		require.NoError(t, s.Close())
		require.GreaterOrEqual(t, next-1, acked, "round %d: acknowledged record %d lost (store has up to %d)", round, acked, next-1)
	}
	t.Logf("%d rounds, last acknowledged record %d, torn tails repaired: %d", rounds, acked, torn)
}

// TestFileStoreCutAnywhere simulates a crash at every kind of point: a
// store file cut at random byte offsets reopens with exactly the records
// whose line was complete, warns iff the cut fell inside a line, and
// accepts appends afterwards.
func TestFileStoreCutAnywhere(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	full := filepath.Join(dir, "full.jsonl")
	s, err := alerts.OpenFile(full, alerts.FileConfig{NoSync: true})
	require.NoError(t, err)
	recs := sampleRecords(30, 3)
	for i := 0; i < len(recs); i += 7 {
		require.NoError(t, s.Append(ctx, recs[i:min(i+7, len(recs))]))
	}
	require.NoError(t, s.Close())
	data, err := os.ReadFile(full)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(9, 9))
	for k := range 200 {
		cut := rng.IntN(len(data) + 1)
		if k == 0 {
			cut = len(data)
		}
		prefix := data[:cut]
		wantRecs := strings.Count(string(prefix), "\n")
		path := filepath.Join(dir, fmt.Sprintf("cut%d.jsonl", k))
		require.NoError(t, os.WriteFile(path, prefix, 0o644))
		warned := 0
		s, err := alerts.OpenFile(path, alerts.FileConfig{NoSync: true, Warn: func(error) { warned++ }})
		require.NoError(t, err, "cut at %d", cut)
		torn := cut > 0 && prefix[cut-1] != '\n'
		if (warned == 1) != torn {
			t.Errorf("cut at %d: %d warnings, torn %v", cut, warned, torn)
		}
		n := 0
		for _, err := range s.Scan(ctx) {
			require.NoError(t, err)
			n++
		}
		require.Equal(t, wantRecs, n, "cut at %d", cut)
		require.NoError(t, s.Append(ctx, recs[:1]))
		require.NoError(t, s.Close())
		s, err = alerts.OpenFile(path, alerts.FileConfig{NoSync: true, Warn: func(err error) { t.Errorf("cut at %d: second open warns %v", cut, err) }})
		require.NoError(t, err)
		n = 0
		for _, err := range s.Scan(ctx) {
			require.NoError(t, err)
			n++
		}
		require.Equal(t, wantRecs+1, n)
		require.NoError(t, s.Close())
	}
}
