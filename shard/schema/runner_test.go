package schema

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// fakeControl is a SideControl that records calls and, like shard's
// Topology, refuses to take out both sides of a pair ("<pair>_A", "<pair>_B").
type fakeControl struct {
	mu       sync.Mutex
	disabled map[string]bool
	events   *[]string
}

func (c *fakeControl) Disable(sides []string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range sides {
		pair, side, _ := strings.Cut(s, "_")
		other := pair + "_" + map[string]string{"A": "B", "B": "A"}[side]
		if c.disabled[other] {
			return fmt.Errorf("would take out both sides of %s", pair)
		}
	}
	for _, s := range sides {
		c.disabled[s] = true
	}
	*c.events = append(*c.events, "disable "+strings.Join(sides, ","))
	return nil
}

func (c *fakeControl) Enable(sides []string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range sides {
		delete(c.disabled, s)
	}
	*c.events = append(*c.events, "enable "+strings.Join(sides, ","))
	return nil
}

func (c *fakeControl) out() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for s := range c.disabled {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

const runnerBase = "CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY, v TEXT);\n"
const runnerChange = "ALTER TABLE t ADD COLUMN c BIGINT NOT NULL DEFAULT 0;\nCREATE INDEX t_c ON t (c);\n"

type fleet struct {
	sides   []Side
	dbs     map[string]*sql.DB
	control *fakeControl
	events  []string
	cs      *Changeset
	path    string
}

// memTempDir returns a temporary directory on /dev/shm when there is one:
// the runner syncs its record after every step, which costs tens of
// milliseconds per step on a shared disk.
func memTempDir(t testing.TB) string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "schema-test-"); err == nil {
			t.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return t.TempDir()
}

func openSQLite(t testing.TB, path string) *sql.DB {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=synchronous(off)&_pragma=journal_mode(memory)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newFleet makes two pairs (s1, s2) of SQLite databases holding runnerBase
// and a ready changeset with a dry run and per-statement checksums.
func newFleet(t testing.TB, change string) *fleet {
	dir := memTempDir(t)
	f := &fleet{dbs: map[string]*sql.DB{}, path: filepath.Join(dir, "cs.json")}
	f.control = &fakeControl{disabled: map[string]bool{}, events: &f.events}
	for _, side := range []string{"A", "B"} {
		s := Side{Name: side}
		for _, pair := range []string{"s1", "s2"} {
			name := pair + "_" + side
			db := openSQLite(t, filepath.Join(dir, name+".db"))
			if _, err := db.Exec(runnerBase); err != nil {
				t.Fatal(err)
			}
			for i := range 20 {
				db.Exec("INSERT INTO t (id, v) VALUES (?, ?)", i, "x")
			}
			f.dbs[name] = db
			s.Targets = append(s.Targets, Target{Name: name, DB: db})
		}
		f.sides = append(f.sides, s)
	}
	cs, err := NewChangeset("add-c", "ana", change, t0)
	if err != nil {
		t.Fatal(err)
	}
	cs.RunLint(&Options{Disable: []string{RuleCharset}}, t0)
	if _, err := cs.RunDryRun(context.Background(), openSQLite(t, filepath.Join(dir, "scratch.db")), runnerBase, &DryRunOptions{Now: clock(), Checksum: SQLiteChecksum}); err != nil {
		t.Fatal(err)
	}
	if cs.Status != StatusReady {
		t.Fatalf("changeset status %s: %+v %+v", cs.Status, cs.Lint, cs.DryRun)
	}
	f.cs = cs
	return f
}

func (f *fleet) config() RunnerConfig {
	hook := func(name string) func(context.Context, *Side) error {
		return func(_ context.Context, s *Side) error {
			f.events = append(f.events, name+" "+s.Name)
			return nil
		}
	}
	return RunnerConfig{
		Changeset: f.cs, Path: f.path, Sides: f.sides, Control: f.control,
		Preflight: hook("preflight"), Capacity: hook("capacity"), TrafficGone: hook("traffic-gone"), CaughtUp: hook("caught-up"),
		Checksum: SQLiteChecksum, KeepBinlog: true, Now: clock(),
	}
}

// applied reports whether the change is on db (column c and index t_c).
func applied(t testing.TB, db *sql.DB) bool {
	var n int
	db.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE name = 't_c'").Scan(&n)
	_, err := db.Exec("SELECT c FROM t LIMIT 1")
	return n == 1 && err == nil
}

func TestRunner(t *testing.T) {
	f := newFleet(t, runnerChange)
	r, err := NewRunner(f.config())
	if err != nil {
		t.Fatal(err)
	}
	var seenOut []string
	var mu sync.Mutex
	r.cfg.Progress = func(p Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.State == "done" {
			seenOut = append(seenOut, fmt.Sprintf("%s:%v", p.Server, f.control.out()))
		}
	}
	if err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"preflight A", "capacity A", "disable s1_A,s2_A", "traffic-gone A", "enable s1_A,s2_A", "caught-up A",
		"preflight B", "capacity B", "disable s1_B,s2_B", "traffic-gone B", "enable s1_B,s2_B", "caught-up B",
	}
	if !slices.Equal(f.events, want) {
		t.Errorf("events = %q, want %q", f.events, want)
	}
	for name, db := range f.dbs {
		if !applied(t, db) {
			t.Errorf("%s: change not applied", name)
		}
	}
	// Every statement ran while its side, and only its side, was out.
	for _, s := range seenOut {
		server, out, _ := strings.Cut(s, ":")
		side := server[len(server)-1:]
		if out != fmt.Sprintf("[s1_%s s2_%s]", side, side) {
			t.Errorf("while applying on %s the sides out were %s", server, out)
		}
	}
	if len(seenOut) != 8 {
		t.Errorf("progress reported %d statement ends, want 8", len(seenOut))
	}
	saved, err := ReadChangeset(f.path)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Status != StatusDone || len(f.control.out()) != 0 {
		t.Errorf("status %s, sides out %v; want done, none", saved.Status, f.control.out())
	}
	oks := 0
	for _, s := range saved.Log {
		if s.Action == ActApply && s.State == StateOK && s.Server != "" {
			oks++
		}
	}
	if oks != 8 {
		t.Errorf("log has %d applied statements, want 8 (2 statements x 4 servers)", oks)
	}
}

func TestRunnerPause(t *testing.T) {
	f := newFleet(t, runnerChange)
	cfg := f.config()
	cfg.PauseBefore = []string{"B:disable"}
	r, _ := NewRunner(cfg)
	if err := r.Run(context.Background()); !errors.Is(err, ErrPaused) {
		t.Fatalf("Run = %v, want ErrPaused", err)
	}
	if !applied(t, f.dbs["s1_A"]) || applied(t, f.dbs["s1_B"]) || len(f.control.out()) != 0 {
		t.Fatalf("at the pause: A applied %v, B applied %v, sides out %v", applied(t, f.dbs["s1_A"]), applied(t, f.dbs["s1_B"]), f.control.out())
	}
	// Resume from the saved record, as a new process would.
	cs, err := ReadChangeset(f.path)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Status != StatusPaused {
		t.Errorf("saved status %s, want paused", cs.Status)
	}
	cfg.Changeset = cs
	r, _ = NewRunner(cfg)
	if err := r.Run(context.Background()); err != nil {
		t.Fatalf("resumed Run = %v", err)
	}
	if !applied(t, f.dbs["s2_B"]) || cs.Status != StatusDone {
		t.Errorf("after resume: B applied %v, status %s", applied(t, f.dbs["s2_B"]), cs.Status)
	}
}

func TestRunnerPartialFailure(t *testing.T) {
	f := newFleet(t, runnerChange)
	// s2_B already has a column c: the ALTER fails there only.
	if _, err := f.dbs["s2_B"].Exec("ALTER TABLE t ADD COLUMN c TEXT"); err != nil {
		t.Fatal(err)
	}
	cfg := f.config()
	r, _ := NewRunner(cfg)
	err := r.Run(context.Background())
	var ae *ApplyError
	if !errors.As(err, &ae) || ae.Side != "B" || len(ae.Failed) != 1 || ae.Failed["s2_B"] == nil {
		t.Fatalf("Run = %v, want an ApplyError naming s2_B only", err)
	}
	if !strings.Contains(err.Error(), "s2_B") {
		t.Errorf("error %q does not name the server", err)
	}
	if out := f.control.out(); !slices.Equal(out, []string{"s1_B", "s2_B"}) {
		t.Errorf("sides out after the failure = %v, want side B", out)
	}
	if !applied(t, f.dbs["s1_B"]) {
		t.Error("s1_B not applied")
	}
	// Fix the server and run again: s1_B's statements are not re-run
	// (they would fail), s2_B's are.
	if _, err := f.dbs["s2_B"].Exec("ALTER TABLE t DROP COLUMN c"); err != nil {
		t.Fatal(err)
	}
	r, _ = NewRunner(cfg)
	if err := r.Run(context.Background()); err != nil {
		t.Fatalf("Run after the fix = %v", err)
	}
	if !applied(t, f.dbs["s2_B"]) || len(f.control.out()) != 0 || f.cs.Status != StatusDone {
		t.Errorf("after the fix: applied %v, out %v, status %s", applied(t, f.dbs["s2_B"]), f.control.out(), f.cs.Status)
	}
}

func TestRunnerAbort(t *testing.T) {
	f := newFleet(t, runnerChange)
	f.dbs["s1_A"].Exec("CREATE INDEX t_c ON t (v)") // the index name is taken: fails on s1_A
	cfg := f.config()
	var log strings.Builder
	cfg.Downtime = LogDowntime{W: &log}
	r, _ := NewRunner(cfg)
	if err := r.Run(context.Background()); err == nil {
		t.Fatal("Run = nil, want a failure on s1_A")
	}
	if out := f.control.out(); len(out) != 2 {
		t.Fatalf("sides out = %v, want side A", out)
	}
	if err := r.Abort(context.Background()); err != nil {
		t.Fatal(err)
	}
	if out := f.control.out(); len(out) != 0 || f.cs.Status != StatusAborted {
		t.Errorf("after Abort: out %v, status %s; want none, aborted", out, f.cs.Status)
	}
	if !strings.Contains(log.String(), "downtime set: s1_A,s2_A") || !strings.Contains(log.String(), "downtime cancelled: s1_A,s2_A,s1_B,s2_B") {
		t.Errorf("downtime log:\n%s", log.String())
	}
	if err := r.Run(context.Background()); err == nil {
		t.Error("Run after Abort = nil")
	}
}

func TestRunnerCapacityRefuses(t *testing.T) {
	f := newFleet(t, runnerChange)
	cfg := f.config()
	cfg.Capacity = func(_ context.Context, s *Side) error {
		if s.Name == "B" {
			return errors.New("side A would run at 140% CPU")
		}
		return nil
	}
	r, _ := NewRunner(cfg)
	err := r.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "capacity: side A would run at 140% CPU") {
		t.Fatalf("Run = %v, want the capacity refusal", err)
	}
	// Side A is done and back in; side B never went out.
	if out := f.control.out(); len(out) != 0 || !applied(t, f.dbs["s1_A"]) || applied(t, f.dbs["s1_B"]) {
		t.Errorf("out %v, A applied %v, B applied %v", out, applied(t, f.dbs["s1_A"]), applied(t, f.dbs["s1_B"]))
	}
}

func TestRunnerChecksumMismatch(t *testing.T) {
	f := newFleet(t, runnerChange)
	f.dbs["s2_A"].Exec("CREATE INDEX extra ON t (v)")
	r, _ := NewRunner(f.config())
	err := r.Run(context.Background())
	if !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), "s2_A") || strings.Contains(err.Error(), "s1_A") {
		t.Errorf("Run = %v, want ErrChecksum naming s2_A only", err)
	}
}

// TestRunnerCrash interrupts a run at every saved step (the record loses
// that step, as if the process died before writing it), resumes from the
// saved file with a new Runner, and checks the change is applied exactly
// once everywhere (a second ALTER ... ADD COLUMN would fail) and every
// side is back in.
func TestRunnerCrash(t *testing.T) {
	clean := newFleet(t, runnerChange)
	r, _ := NewRunner(clean.config())
	if err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	total := r.saves
	if testing.Short() {
		total = 10
	}
	foundApplied := 0
	for n := 1; n <= total; n++ {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			f := newFleet(t, runnerChange)
			cfg := f.config()
			r, _ := NewRunner(cfg)
			r.crashAfter = n
			if err := r.Run(context.Background()); !errors.Is(err, errCrash) {
				t.Fatalf("Run = %v, want the simulated crash", err)
			}
			cs, err := ReadChangeset(f.path)
			if err != nil {
				if n == 1 {
					return // crashed before the first save: nothing started
				}
				t.Fatal(err)
			}
			cfg.Changeset = cs
			r, err = NewRunner(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Run(context.Background()); err != nil {
				t.Fatalf("resumed Run = %v", err)
			}
			for name, db := range f.dbs {
				if !applied(t, db) {
					t.Errorf("%s: not applied", name)
				}
			}
			if out := f.control.out(); len(out) != 0 || cs.Status != StatusDone {
				t.Errorf("out %v, status %s", out, cs.Status)
			}
			for _, s := range cs.Log {
				if strings.Contains(s.Detail, "found applied") {
					foundApplied++
				}
			}
		})
	}
	// Crashes between running a statement and logging it happened, and
	// the checksums told the resumed run not to repeat it.
	if !testing.Short() && foundApplied < 8 {
		t.Errorf("%d statements found applied on resume, want at least 8 (one per statement and server)", foundApplied)
	}
	t.Logf("%d crash points, %d statements found applied on resume", total, foundApplied)
}

func TestRunnerBinlogOff(t *testing.T) {
	var mu sync.Mutex
	var queries []string
	db := openFake(t, func(q string) ([]string, [][]driver.Value, error) {
		mu.Lock()
		defer mu.Unlock()
		queries = append(queries, q)
		if strings.HasPrefix(q, "SHOW CREATE TABLE") {
			return []string{"Table", "Create Table"}, [][]driver.Value{{"t", "CREATE TABLE `t` (...) AUTO_INCREMENT=5"}}, nil
		}
		return nil, nil, nil
	})
	cs, _ := NewChangeset("x", "ana", "ALTER TABLE t ADD c BIGINT NOT NULL DEFAULT 0;", t0)
	cs.Status = StatusReady
	f := &fleet{}
	ctl := &fakeControl{disabled: map[string]bool{}, events: &f.events}
	r, err := NewRunner(RunnerConfig{Changeset: cs, Sides: []Side{{Name: "A", Targets: []Target{{Name: "p_A", DB: db}}}}, Control: ctl})
	if err != nil {
		t.Fatal(err)
	}
	closed := fakeClosed.Load()
	if err := r.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The connection with the binary log off was closed, not pooled.
	if fakeClosed.Load() != closed+1 {
		t.Errorf("%d connections closed during the run, want 1", fakeClosed.Load()-closed)
	}
	want := []string{"SET SESSION sql_log_bin=0", "ALTER TABLE t ADD c BIGINT NOT NULL DEFAULT 0", "SHOW CREATE TABLE `t`"}
	if !slices.Equal(queries, want) {
		t.Errorf("queries = %q, want %q", queries, want)
	}
}

func TestNewRunnerRefuses(t *testing.T) {
	cs, _ := NewChangeset("x", "ana", "ALTER TABLE t ADD c INT;", t0)
	ctl := &fakeControl{disabled: map[string]bool{}, events: new([]string)}
	sides := []Side{{Name: "A", Targets: []Target{{Name: "p_A", DB: &sql.DB{}}}}}
	if _, err := NewRunner(RunnerConfig{Changeset: cs, Sides: sides, Control: ctl}); !errors.Is(err, ErrNotReady) {
		t.Errorf("NewRunner(draft) = %v, want ErrNotReady", err)
	}
	cs.Status = StatusReady
	dup := []Side{{Name: "A", Targets: []Target{{Name: "p_A", DB: &sql.DB{}}, {Name: "p_A", DB: &sql.DB{}}}}}
	if _, err := NewRunner(RunnerConfig{Changeset: cs, Sides: dup, Control: ctl}); err == nil {
		t.Error("NewRunner(duplicate targets) = nil error")
	}
}
