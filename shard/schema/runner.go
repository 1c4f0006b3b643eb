package schema

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// SideControl takes sides out of service and puts them back, by side
// name ("shard_001_A"). *shard.Topology satisfies it within one process;
// *shard.SideFile does it through the disabled-sides file that every
// application process re-reads, which is what a live change across a
// fleet uses.
type SideControl interface {
	Disable(sides []string) error
	Enable(sides []string) error
}

// Downtime silences monitoring for servers while their side is out.
// [NoDowntime] and [LogDowntime] are two; an alerting system can plug in.
type Downtime interface {
	Set(ctx context.Context, servers []string, reason string) error
	Cancel(ctx context.Context, servers []string) error
}

// NoDowntime is a Downtime that does nothing.
type NoDowntime struct{}

// Set does nothing.
func (NoDowntime) Set(context.Context, []string, string) error { return nil }

// Cancel does nothing.
func (NoDowntime) Cancel(context.Context, []string) error { return nil }

// LogDowntime is a Downtime that writes one line per call to W. It is
// safe for concurrent use if W is.
type LogDowntime struct{ W io.Writer }

// Set logs the servers and reason.
func (d LogDowntime) Set(_ context.Context, servers []string, reason string) error {
	_, err := fmt.Fprintf(d.W, "downtime set: %s: %s\n", strings.Join(servers, ","), reason)
	return err
}

// Cancel logs the servers.
func (d LogDowntime) Cancel(_ context.Context, servers []string) error {
	_, err := fmt.Fprintf(d.W, "downtime cancelled: %s\n", strings.Join(servers, ","))
	return err
}

// Target is one database the changeset is applied to. Name is its side
// name for [SideControl] ("shard_001_A"); it appears in logs, so it must
// not be a DSN.
type Target struct {
	Name string
	DB   *sql.DB
}

// Side is one side of every pair ("A": every shard's A database), taken
// out and changed as one.
type Side struct {
	Name    string
	Targets []Target
}

func (s *Side) names() []string {
	out := make([]string, len(s.Targets))
	for i, t := range s.Targets {
		out[i] = t.Name
	}
	return out
}

// Progress reports a statement running on a target, read from the
// server's process list while it runs, and once when it ends.
type Progress struct {
	Side, Server string
	Statement    int // 1-based
	Statements   int
	State        string // process-list state, e.g. "altering table"; "done" at the end
	Elapsed      time.Duration
	Percent      float64 // MariaDB's process-list PROGRESS column, 0 when unknown
}

// Runner steps, in order, for each side.
const (
	ActPreflight     = "preflight"
	ActDowntimeSet   = "downtime-set"
	ActDisable       = "disable"
	ActTrafficGone   = "traffic-gone"
	ActApply         = "apply"
	ActVerify        = "verify"
	ActEnable        = "enable"
	ActDowntimeClear = "downtime-cancel"
	ActCaughtUp      = "caught-up"
)

var sideActions = []string{ActPreflight, ActDowntimeSet, ActDisable, ActTrafficGone, ActApply, ActVerify,
	ActEnable, ActDowntimeClear, ActCaughtUp}

// RunnerConfig configures a [Runner].
type RunnerConfig struct {
	// Changeset is applied and logged to; it must be ready (linted and
	// dry-run) or, when resuming, running or paused.
	Changeset *Changeset
	// Path, if set, is where the changeset is saved (atomically) after
	// every logged step, so a crashed run resumes from it.
	Path string
	// Sides are changed in this order, one at a time.
	Sides   []Side
	Control SideControl
	// Downtime is told before a side goes out and after it is back; nil
	// means NoDowntime.
	Downtime Downtime
	// Preflight checks that a side may go out: cluster status and
	// replication healthy. Nil skips it.
	Preflight func(ctx context.Context, side *Side) error
	// Capacity, run in the preflight step after Preflight, says whether
	// the other side can carry the whole load while this one is out
	// ("can half the servers carry the load"). Nil skips it.
	Capacity func(ctx context.Context, side *Side) error
	// TrafficGone returns once no traffic reaches the disabled side (for
	// shard: no connection used it for N seconds), or an error. Nil skips it.
	TrafficGone func(ctx context.Context, side *Side) error
	// CaughtUp returns once replication into and out of the side has
	// caught up. Nil skips it.
	CaughtUp func(ctx context.Context, side *Side) error
	// Progress, if set, receives process-list progress while statements
	// run, every ProgressEvery (0 means 2 s). It is called from one
	// goroutine per job at once, so it must be safe for concurrent use.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// Checksum reads a table definition's checksum for the verify step;
	// nil means [MySQLChecksum]. The changeset's expected checksums come
	// from its dry run, so that must have run on the same engine and
	// version with the same Checksummer (a SQLite dry run's checksums
	// never match MySQL's; clear Changeset.Checksums and DryRun.Checksums
	// to have the first side set the expectation instead).
	Checksum Checksummer
	// Jobs is how many databases of a side are changed at once; 0 means all.
	Jobs int
	// PauseBefore names steps to pause at: an action ("apply") or a
	// side and action ("B:enable"). Run returns [ErrPaused] there; the
	// next Run continues past it.
	PauseBefore []string
	// KeepBinlog skips `SET SESSION sql_log_bin=0` before applying: for
	// servers without binary logs and for SQLite in tests. Leave it false
	// on replicated pairs, or the change replicates to the side that is in.
	KeepBinlog bool
	// Now reads the clock for the log; nil means time.Now. Like
	// Progress, it is called from several goroutines at once.
	Now func() time.Time
}

// Runner errors.
var (
	// ErrPaused is returned by Run at a configured pause point.
	ErrPaused = errors.New("schema: run paused")
	// ErrNotReady reports a changeset that has not passed lint and dry run.
	ErrNotReady = errors.New("schema: changeset not ready")
	// ErrChecksum reports a verify step whose checksums differ.
	ErrChecksum = errors.New("schema: checksum mismatch")
)

// ApplyError reports the servers of a side where the changeset failed.
// The side stays out of service: fix those servers and Run again (the
// statements that succeeded are not re-run), or Abort.
type ApplyError struct {
	Side string
	// Failed maps server name to its error.
	Failed map[string]error
}

// Error names the failed servers in order.
func (e *ApplyError) Error() string {
	names := make([]string, 0, len(e.Failed))
	for n := range e.Failed {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	fmt.Fprintf(&b, "schema: side %s: changeset failed on %d server(s): ", e.Side, len(names))
	for i, n := range names {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s: %v", n, e.Failed[n])
	}
	return b.String()
}

// Unwrap returns the servers' errors.
func (e *ApplyError) Unwrap() []error {
	var out []error
	for _, err := range e.Failed {
		out = append(out, err)
	}
	return out
}

// Runner applies a changeset live, one side at a time: preflight,
// downtime, disable the side, wait for its traffic to leave, apply on
// every database of the side in parallel with binary logging off, verify
// checksums, enable the side, cancel downtime, wait for replication to
// catch up; then the next side. Every step is logged to the changeset
// (and saved to RunnerConfig.Path), and Run resumes from that log.
//
// A Runner is not safe for concurrent use: call Run or Abort from one
// goroutine at a time.
type Runner struct {
	cfg   RunnerConfig
	stmts []Statement
	mu    sync.Mutex // guards cfg.Changeset while apply jobs log
	// crashAfter, in tests, makes the n-th save fail as if the process died.
	crashAfter int
	saves      int
}

// errCrash is the simulated crash of tests.
var errCrash = errors.New("schema: simulated crash")

// NewRunner checks cfg and returns a Runner.
func NewRunner(cfg RunnerConfig) (*Runner, error) {
	cs := cfg.Changeset
	switch {
	case cs == nil:
		return nil, errors.New("schema: runner: no changeset")
	case cfg.Control == nil:
		return nil, errors.New("schema: runner: no side control")
	case len(cfg.Sides) == 0:
		return nil, errors.New("schema: runner: no sides")
	}
	switch cs.Status {
	case StatusReady, StatusRunning, StatusPaused:
	default:
		return nil, fmt.Errorf("%w: %q is %s", ErrNotReady, cs.ID, cs.Status)
	}
	seen := map[string]bool{}
	for _, s := range cfg.Sides {
		if s.Name == "" || len(s.Targets) == 0 {
			return nil, fmt.Errorf("schema: runner: side %q has no name or no targets", s.Name)
		}
		for _, t := range s.Targets {
			if t.Name == "" || t.DB == nil || seen[t.Name] {
				return nil, fmt.Errorf("schema: runner: side %s: target %q is unnamed, duplicate or has no database", s.Name, t.Name)
			}
			seen[t.Name] = true
		}
	}
	stmts, err := Split(cs.SQL)
	if err != nil {
		return nil, fmt.Errorf("schema: runner: changeset %q: %w", cs.ID, err)
	}
	if len(stmts) == 0 {
		return nil, fmt.Errorf("schema: runner: changeset %q has no statements", cs.ID)
	}
	if cfg.Downtime == nil {
		cfg.Downtime = NoDowntime{}
	}
	if cfg.Checksum == nil {
		cfg.Checksum = MySQLChecksum
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ProgressEvery <= 0 {
		cfg.ProgressEvery = 2 * time.Second
	}
	return &Runner{cfg: cfg, stmts: stmts}, nil
}

// stepKey identifies a step for resuming.
type stepKey struct {
	side, action, server string
	stmt                 int
}

func (r *Runner) state() (ok, paused, begun map[stepKey]bool) {
	ok, paused, begun = map[stepKey]bool{}, map[stepKey]bool{}, map[stepKey]bool{}
	for _, s := range r.cfg.Changeset.Log {
		k := stepKey{s.Side, s.Action, s.Server, s.Statement}
		switch s.State {
		case StateOK:
			ok[k] = true
		case StatePaused:
			paused[k] = true
		case StateBegin:
			begun[k] = true
		}
	}
	return ok, paused, begun
}

// log appends a step and saves the changeset.
func (r *Runner) log(s Step) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	s.At = r.cfg.Now()
	r.cfg.Changeset.AddStep(s)
	return r.saveLocked()
}

func (r *Runner) saveLocked() error {
	r.saves++
	if r.crashAfter > 0 && r.saves >= r.crashAfter {
		return errCrash
	}
	if r.cfg.Path == "" {
		return nil
	}
	return r.cfg.Changeset.WriteFile(r.cfg.Path)
}

func (r *Runner) setStatus(st Status, detail string) error {
	r.mu.Lock()
	r.cfg.Changeset.Status = st
	r.mu.Unlock()
	return r.log(Step{Action: "status", State: StateInfo, Detail: string(st) + detail})
}

func (r *Runner) pauseAt(side, action string) bool {
	return slices.Contains(r.cfg.PauseBefore, action) || slices.Contains(r.cfg.PauseBefore, side+":"+action)
}

// Run applies the changeset from where its log says it stopped. It
// returns nil when every side is done, [ErrPaused] at a pause point, an
// *[ApplyError] when statements failed on some servers, or the error of
// a hook, a checksum mismatch ([ErrChecksum]) or ctx. After an error the
// side being changed stays out; Run again to retry, or Abort.
func (r *Runner) Run(ctx context.Context) error {
	cs := r.cfg.Changeset
	switch cs.Status {
	case StatusDone:
		return nil
	case StatusAborted:
		return fmt.Errorf("%w: %q was aborted", ErrNotReady, cs.ID)
	}
	if err := r.setStatus(StatusRunning, ""); err != nil {
		return err
	}
	ok, paused, begun := r.state()
	for i := range r.cfg.Sides {
		side := &r.cfg.Sides[i]
		for _, act := range sideActions {
			k := stepKey{side: side.Name, action: act}
			if ok[k] {
				continue
			}
			if r.pauseAt(side.Name, act) && !paused[k] {
				if err := r.log(Step{Side: side.Name, Action: act, State: StatePaused, Detail: "pause point"}); err != nil {
					return err
				}
				if err := r.setStatus(StatusPaused, " before "+side.Name+":"+act); err != nil {
					return err
				}
				return ErrPaused
			}
			if err := r.log(Step{Side: side.Name, Action: act, State: StateBegin}); err != nil {
				return err
			}
			err := r.do(ctx, side, act, ok, begun)
			if errors.Is(err, errCrash) {
				return err
			}
			if err != nil {
				if lerr := r.log(Step{Side: side.Name, Action: act, State: StateFailed, Detail: err.Error()}); lerr != nil {
					return lerr
				}
				if serr := r.setStatus(StatusPaused, " after a failed "+side.Name+":"+act); serr != nil {
					return serr
				}
				return err
			}
			if err := r.log(Step{Side: side.Name, Action: act, State: StateOK}); err != nil {
				return err
			}
		}
	}
	return r.setStatus(StatusDone, "")
}

func (r *Runner) do(ctx context.Context, side *Side, act string, ok, begun map[stepKey]bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	names := side.names()
	switch act {
	case ActPreflight:
		if r.cfg.Preflight != nil {
			if err := r.cfg.Preflight(ctx, side); err != nil {
				return err
			}
		}
		if r.cfg.Capacity != nil {
			if err := r.cfg.Capacity(ctx, side); err != nil {
				return fmt.Errorf("capacity: %w", err)
			}
		}
	case ActDowntimeSet:
		return r.cfg.Downtime.Set(ctx, names, "schema change "+r.cfg.Changeset.ID)
	case ActDisable:
		return r.cfg.Control.Disable(names)
	case ActTrafficGone:
		if r.cfg.TrafficGone != nil {
			return r.cfg.TrafficGone(ctx, side)
		}
	case ActApply:
		return r.apply(ctx, side, ok, begun)
	case ActVerify:
		return r.verify(ctx, side)
	case ActEnable:
		return r.cfg.Control.Enable(names)
	case ActDowntimeClear:
		return r.cfg.Downtime.Cancel(ctx, names)
	case ActCaughtUp:
		if r.cfg.CaughtUp != nil {
			return r.cfg.CaughtUp(ctx, side)
		}
	}
	return nil
}

// apply runs the statements on every target of side, Jobs at a time.
func (r *Runner) apply(ctx context.Context, side *Side, ok, begun map[stepKey]bool) error {
	jobs := r.cfg.Jobs
	if jobs <= 0 || jobs > len(side.Targets) {
		jobs = len(side.Targets)
	}
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := map[string]error{}
	var crash error
	for _, t := range side.Targets {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			err := r.applyTarget(ctx, side, t, ok, begun)
			if err != nil {
				mu.Lock()
				if errors.Is(err, errCrash) {
					crash = err
				} else {
					failed[t.Name] = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if crash != nil {
		return crash
	}
	if len(failed) > 0 {
		return &ApplyError{Side: side.Name, Failed: failed}
	}
	return nil
}

func (r *Runner) applyTarget(ctx context.Context, side *Side, t Target, ok, begun map[stepKey]bool) error {
	conn, err := t.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() {
		// The session has the binary log off: never hand it back to the
		// pool, which the application may share (its writes would then
		// not replicate). Returning ErrBadConn from Raw closes it.
		conn.Raw(func(any) error { return driver.ErrBadConn })
		conn.Close()
	}()
	if !r.cfg.KeepBinlog {
		if _, err := conn.ExecContext(ctx, "SET SESSION sql_log_bin=0"); err != nil {
			return fmt.Errorf("disabling the binary log: %w", err)
		}
	}
	for i, st := range r.stmts {
		n := i + 1
		k := stepKey{side: side.Name, action: ActApply, server: t.Name, stmt: n}
		if ok[k] {
			continue
		}
		retry := ""
		if begun[k] {
			// The last run began this statement and was interrupted
			// before logging how it ended. Tell from the checksums.
			applied, known, err := r.interrupted(ctx, t, n)
			if err != nil {
				return err
			}
			if known && applied {
				if err := r.log(Step{Side: side.Name, Server: t.Name, Statement: n, Action: ActApply, State: StateOK,
					Detail: "found applied after an interruption (checksums match the dry run)"}); err != nil {
					return err
				}
				continue
			}
			if !known {
				retry = "re-run after an interrupted attempt; "
			}
		}
		if err := r.log(Step{Side: side.Name, Server: t.Name, Statement: n, Action: ActApply, State: StateBegin}); err != nil {
			return err
		}
		start := r.cfg.Now()
		err := r.execWithProgress(ctx, conn, t, side, n, st.Text)
		if err != nil {
			detail := retry + err.Error()
			if lerr := r.log(Step{Side: side.Name, Server: t.Name, Statement: n, Action: ActApply, State: StateFailed, Detail: detail}); lerr != nil {
				return lerr
			}
			if retry != "" {
				return fmt.Errorf("statement %d (line %d), which may have run before the interruption: %w", n, st.Line, err)
			}
			return fmt.Errorf("statement %d (line %d): %w", n, st.Line, err)
		}
		if r.cfg.Progress != nil {
			r.cfg.Progress(Progress{Side: side.Name, Server: t.Name, Statement: n, Statements: len(r.stmts), State: "done", Elapsed: r.cfg.Now().Sub(start), Percent: 100})
		}
		if err := r.log(Step{Side: side.Name, Server: t.Name, Statement: n, Action: ActApply, State: StateOK}); err != nil {
			return err
		}
	}
	return nil
}

// interrupted tells whether statement n ran on t by comparing t's table
// checksums with the dry run's before and after statement n. known is
// false when the dry run recorded no checksums or t matches neither.
func (r *Runner) interrupted(ctx context.Context, t Target, n int) (applied, known bool, err error) {
	dr := r.cfg.Changeset.DryRun
	if dr == nil || len(dr.Checksums) != len(r.stmts)+1 {
		return false, false, nil
	}
	now := map[string]string{}
	for _, tbl := range r.cfg.Changeset.Tables() {
		if s, err := r.cfg.Checksum(ctx, t.DB, tbl); err == nil {
			now[tbl] = s
		} else if ctx.Err() != nil {
			return false, false, ctx.Err()
		}
	}
	switch {
	case maps.Equal(now, dr.Checksums[n]):
		return true, true, nil
	case maps.Equal(now, dr.Checksums[n-1]):
		return false, true, nil
	}
	return false, false, nil
}

// execWithProgress runs one statement; with a Progress hook it polls the
// process list for the statement's connection until it ends.
func (r *Runner) execWithProgress(ctx context.Context, conn *sql.Conn, t Target, side *Side, n int, text string) error {
	if r.cfg.Progress == nil {
		_, err := conn.ExecContext(ctx, text)
		return err
	}
	var id int64
	if err := conn.QueryRowContext(ctx, "SELECT CONNECTION_ID()").Scan(&id); err != nil {
		_, err := conn.ExecContext(ctx, text)
		return err
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(r.cfg.ProgressEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			var state string
			var secs int64
			var pct float64
			err := t.DB.QueryRowContext(ctx, "SELECT COALESCE(state, ''), time, COALESCE(progress, 0) FROM information_schema.processlist WHERE id = ?", id).Scan(&state, &secs, &pct)
			if err != nil {
				// MySQL has no PROGRESS column.
				err = t.DB.QueryRowContext(ctx, "SELECT COALESCE(state, ''), time FROM information_schema.processlist WHERE id = ?", id).Scan(&state, &secs)
			}
			if err == nil {
				r.cfg.Progress(Progress{Side: side.Name, Server: t.Name, Statement: n, Statements: len(r.stmts), State: state,
					Elapsed: time.Duration(secs) * time.Second, Percent: pct})
			}
		}
	})
	_, err := conn.ExecContext(ctx, text)
	close(done)
	wg.Wait()
	return err
}

// verify compares every target's table checksums with the changeset's
// expected ones; tables without an expected checksum must agree across
// the side, and the agreed value becomes the expectation for later sides.
func (r *Runner) verify(ctx context.Context, side *Side) error {
	cs := r.cfg.Changeset
	tables := cs.Tables()
	var bad []string
	for _, tbl := range tables {
		got := map[string]string{}
		for _, t := range side.Targets {
			sum, err := r.cfg.Checksum(ctx, t.DB, tbl)
			if err != nil {
				if isDropped(cs, tbl) {
					continue
				}
				return fmt.Errorf("verify %s on %s: %w", tbl, t.Name, err)
			}
			got[t.Name] = sum
		}
		r.mu.Lock()
		want, ok := cs.Checksums[tbl]
		r.mu.Unlock()
		if !ok {
			counts := map[string]int{}
			for _, s := range got {
				counts[s]++
			}
			if len(counts) > 1 {
				bad = append(bad, fmt.Sprintf("table %s differs across side %s: %v", tbl, side.Name, got))
				continue
			}
			for s := range counts {
				want = s
			}
			r.mu.Lock()
			if cs.Checksums == nil {
				cs.Checksums = map[string]string{}
			}
			cs.Checksums[tbl] = want
			r.mu.Unlock()
		}
		var off []string
		for _, t := range side.Targets {
			if s, ok := got[t.Name]; ok && s != want {
				off = append(off, t.Name)
			}
		}
		if len(off) > 0 {
			bad = append(bad, fmt.Sprintf("table %s on %s", tbl, strings.Join(off, ",")))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrChecksum, strings.Join(bad, "; "))
	}
	return nil
}

// isDropped reports whether the changeset's final state lacks table tbl.
func isDropped(cs *Changeset, tbl string) bool {
	return read(cs.SQL).table(tbl) == nil
}

// Abort puts every side back in service, cancels downtime for all
// servers and marks the changeset aborted. The statements already applied
// on some servers stay applied; the log says where. It tries every step
// and returns their errors joined.
func (r *Runner) Abort(ctx context.Context) error {
	var all []string
	for i := range r.cfg.Sides {
		all = append(all, r.cfg.Sides[i].names()...)
	}
	var errs []error
	err := r.cfg.Control.Enable(all)
	errs = append(errs, err, r.log(Step{Action: "abort-enable", State: okOrFailed(err == nil), Detail: errString(err)}))
	err = r.cfg.Downtime.Cancel(ctx, all)
	errs = append(errs, err, r.log(Step{Action: "abort-downtime-cancel", State: okOrFailed(err == nil), Detail: errString(err)}))
	errs = append(errs, r.setStatus(StatusAborted, ""))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("schema: abort of %q: %w", r.cfg.Changeset.ID, err)
	}
	return nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
