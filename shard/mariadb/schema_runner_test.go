package mariadb_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/craftkit/craftkit/shard"
	"github.com/craftkit/craftkit/shard/mariadb/internal/mariadbtest"
	"github.com/craftkit/craftkit/shard/schema"
)

// The shard topology is the side control the runner drives.
var _ schema.SideControl = (*shard.Topology)(nil)

const liveDDL = "CREATE TABLE IF NOT EXISTS events (id BIGINT UNSIGNED NOT NULL, pair VARCHAR(16) NOT NULL, body VARCHAR(100) NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"

const liveChange = "ALTER TABLE events ADD COLUMN note VARCHAR(50) NOT NULL DEFAULT '';\nALTER TABLE events ADD INDEX by_note (note);\n"

// writer inserts rows into one pair as an application would: to side A
// unless the topology has it out, then to side B. It counts writes in
// flight per side so the runner can wait for a pulled side to go quiet.
type writer struct {
	pair     string
	dbs      map[string]*sql.DB // by side name
	topo     *shard.Topology
	inflight map[string]*atomic.Int64
	ids      *atomic.Uint64
	ok, errs atomic.Int64
	perSide  map[string]*atomic.Int64
	firstErr atomic.Value
}

func (w *writer) run(ctx context.Context) {
	for ctx.Err() == nil {
		id := w.ids.Add(1)
		target := ""
		for _, s := range []string{w.pair + "_A", w.pair + "_B"} {
			w.inflight[s].Add(1) // announce first, then check: the runner's wait sees it
			if !w.topo.IsDisabled(s) {
				target = s
				break
			}
			w.inflight[s].Add(-1)
		}
		if target == "" {
			w.errs.Add(1)
			w.firstErr.CompareAndSwap(nil, "both sides out")
			continue
		}
		_, err := w.dbs[target].ExecContext(context.WithoutCancel(ctx), "INSERT INTO events (id, pair, body) VALUES (?, ?, ?)", id, w.pair, fmt.Sprintf("row %d", id))
		w.inflight[target].Add(-1)
		if err != nil {
			w.errs.Add(1)
			w.firstErr.CompareAndSwap(nil, err.Error())
			continue
		}
		w.ok.Add(1)
		w.perSide[target].Add(1)
	}
}

// TestSchemaLiveChange runs a changeset across two master-master pairs,
// side A then side B, while a writer per pair keeps inserting, and checks
// that no write failed or was lost, both sides of each pair hold the same
// rows and definition, and every side is back in.
func TestSchemaLiveChange(t *testing.T) {
	mariadbtest.Need(t, h)
	ctx := t.Context()
	const dbName = "schema_live"
	pairs := []*mariadbtest.Pair{h.Pair("shard_001"), h.Pair("shard_002")}
	dbs := map[string]*sql.DB{}
	for _, p := range pairs {
		a := p.A.Open(t, dbName)
		execAll(t, a, "DROP TABLE IF EXISTS events", liveDDL)
		var b strings.Builder
		b.WriteString("INSERT INTO events (id, pair, body) VALUES ")
		for i := range 5000 {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "(%d, '%s', 'seed')", 1<<40+i, p.Name)
		}
		execAll(t, a, b.String())
		dbs[p.A.Name] = a
		dbs[p.B.Name] = p.B.Open(t, dbName)
	}
	waitAll(t, ctx)

	// The changeset: lint, then a dry run on a scratch database holding
	// the live schema.
	base, err := schema.DumpSchema(ctx, dbs["shard_001_A"])
	if err != nil {
		t.Fatal(err)
	}
	scratch := tickets[0].Open(t, "schema_live_scratch")
	execAll(t, scratch, "DROP TABLE IF EXISTS events")
	cs, err := schema.NewChangeset("2026-12-05-events-note", "ana", liveChange, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if f := cs.RunLint(nil, time.Now()); schema.Failed(f) {
		t.Fatalf("lint: %v", f)
	}
	if dr, err := cs.RunDryRun(ctx, scratch, base, &schema.DryRunOptions{Checksum: schema.MySQLChecksum}); err != nil || !dr.OK {
		t.Fatalf("dry run: %+v %v", dr, err)
	}

	topo, err := shard.ParseTopology(h.TopologyJSON(dbName, pairs, h.Pair("index"), tickets))
	if err != nil {
		t.Fatal(err)
	}
	inflight := map[string]*atomic.Int64{}
	perSide := map[string]*atomic.Int64{}
	for n := range dbs {
		inflight[n], perSide[n] = new(atomic.Int64), new(atomic.Int64)
	}
	var ids atomic.Uint64
	var writers []*writer
	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, p := range pairs {
		w := &writer{pair: p.Name, dbs: dbs, topo: topo, inflight: inflight, ids: &ids, perSide: perSide}
		writers = append(writers, w)
		wg.Go(func() { w.run(wctx) })
	}

	var sides []schema.Side
	for _, side := range []string{"A", "B"} {
		s := schema.Side{Name: side}
		for _, p := range pairs {
			n := p.Name + "_" + side
			s.Targets = append(s.Targets, schema.Target{Name: n, DB: dbs[n]})
		}
		sides = append(sides, s)
	}
	replicated := func(ctx context.Context, _ *schema.Side) error {
		for _, p := range pairs {
			if err := h.WaitReplicated(ctx, p.A, p.B); err != nil {
				return err
			}
			if err := h.WaitReplicated(ctx, p.B, p.A); err != nil {
				return err
			}
		}
		return nil
	}
	var downtime strings.Builder
	var progressMu sync.Mutex
	var progress []string
	outDuringApply := map[string]int64{}
	var violations []string
	path := filepath.Join(t.TempDir(), "changeset.json")
	r, err := schema.NewRunner(schema.RunnerConfig{
		Changeset: cs,
		Path:      path,
		Sides:     sides,
		Control:   topo,
		Downtime:  schema.LogDowntime{W: &downtime},
		Preflight: replicated,
		TrafficGone: func(ctx context.Context, s *schema.Side) error {
			for {
				busy := int64(0)
				for _, tg := range s.Targets {
					busy += inflight[tg.Name].Load()
				}
				if busy == 0 {
					progressMu.Lock()
					for _, tg := range s.Targets {
						outDuringApply[tg.Name] = perSide[tg.Name].Load()
					}
					progressMu.Unlock()
					return nil
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(5 * time.Millisecond):
				}
			}
		},
		CaughtUp:      replicated,
		ProgressEvery: 20 * time.Millisecond,
		Progress: func(p schema.Progress) {
			progressMu.Lock()
			defer progressMu.Unlock()
			progress = append(progress, fmt.Sprintf("%s %d/%d %s %.0f%%", p.Server, p.Statement, p.Statements, p.State, p.Percent))
			// While its side is out, a server takes no application writes.
			if n := perSide[p.Server].Load(); n != outDuringApply[p.Server] {
				violations = append(violations, fmt.Sprintf("%s took %d writes while out", p.Server, n-outDuringApply[p.Server]))
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // writers warm up
	start := time.Now()
	runErr := r.Run(ctx)
	took := time.Since(start)
	time.Sleep(200 * time.Millisecond)
	stop()
	wg.Wait()
	if runErr != nil {
		t.Fatalf("Run: %v", runErr)
	}
	if err := replicated(ctx, nil); err != nil {
		t.Fatal(err)
	}

	var okTotal, errTotal int64
	for _, w := range writers {
		okTotal += w.ok.Load()
		errTotal += w.errs.Load()
		if e := w.firstErr.Load(); e != nil {
			t.Errorf("pair %s: first application error: %v", w.pair, e)
		}
	}
	if errTotal != 0 {
		t.Errorf("%d application writes failed, want 0", errTotal)
	}
	for _, w := range writers {
		p := h.Pair(w.pair)
		var na, nb int64
		dbs[p.A.Name].QueryRow("SELECT COUNT(*) FROM events WHERE body <> 'seed'").Scan(&na)
		dbs[p.B.Name].QueryRow("SELECT COUNT(*) FROM events WHERE body <> 'seed'").Scan(&nb)
		if na != w.ok.Load() || nb != w.ok.Load() {
			for _, srv := range []*mariadbtest.Server{p.A, p.B} {
				e, _ := srv.QueryString(ctx, "SELECT CONCAT_WS(' | ', @@gtid_slave_pos, @@gtid_binlog_pos, @@gtid_current_pos)")
				t.Logf("%s gtid: %s", srv.Name, e)
			}
			rows, _ := dbs[p.B.Name].Query("SHOW SLAVE STATUS")
			if rows != nil {
				cols, _ := rows.Columns()
				for rows.Next() {
					vals := make([]sql.NullString, len(cols))
					ptrs := make([]any, len(cols))
					for i := range vals {
						ptrs[i] = &vals[i]
					}
					rows.Scan(ptrs...)
					for i, c := range cols {
						if strings.Contains(c, "Error") || strings.Contains(c, "Running") || strings.Contains(c, "Gtid") {
							t.Logf("%s %s = %s", p.B.Name, c, vals[i].String)
						}
					}
				}
				rows.Close()
			}
			t.Errorf("pair %s: %d writes succeeded, side A holds %d, side B %d (lost or extra rows)", w.pair, w.ok.Load(), na, nb)
		}
		var ta, tb string
		var name string
		dbs[p.A.Name].QueryRow("CHECKSUM TABLE events").Scan(&name, &ta)
		dbs[p.B.Name].QueryRow("CHECKSUM TABLE events").Scan(&name, &tb)
		if ta != tb {
			t.Errorf("pair %s: CHECKSUM TABLE A %s, B %s", w.pair, ta, tb)
		}
		sa, _ := schema.MySQLChecksum(ctx, dbs[p.A.Name], "events")
		sb, _ := schema.MySQLChecksum(ctx, dbs[p.B.Name], "events")
		if sa != sb || sa != cs.Checksums["events"] {
			t.Errorf("pair %s: definitions A %s B %s, expected %s", w.pair, sa, sb, cs.Checksums["events"])
		}
	}
	if d := topo.Disabled(); len(d) != 0 {
		t.Errorf("sides still out: %v", d)
	}
	if cs.Status != schema.StatusDone {
		t.Errorf("changeset status %s", cs.Status)
	}
	if len(violations) > 0 {
		t.Errorf("writes reached pulled sides: %q", violations)
	}
	for _, n := range []string{"shard_001_A", "shard_001_B", "shard_002_A", "shard_002_B"} {
		t.Logf("%s: %d application writes", n, perSide[n].Load())
	}
	if !strings.Contains(downtime.String(), "downtime set: shard_001_A,shard_002_A") || !strings.Contains(downtime.String(), "downtime cancelled: shard_001_B,shard_002_B") {
		t.Errorf("downtime log:\n%s", downtime.String())
	}
	t.Logf("live change: 2 pairs, %d statements, %v; %d application writes, %d failed; %d progress reports, e.g. %q",
		2, took.Round(time.Millisecond), okTotal, errTotal, len(progress), first(progress))
	saved, err := schema.ReadChangeset(path)
	if err != nil || saved.Status != schema.StatusDone || len(saved.Log) < 30 {
		t.Errorf("saved record: %v, %+v", err, saved)
	}
	var applied int
	for _, s := range saved.Log {
		if s.Action == schema.ActApply && s.State == schema.StateOK && s.Server != "" {
			applied++
		}
	}
	if applied != 8 {
		t.Errorf("record shows %d statement applications, want 8", applied)
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
