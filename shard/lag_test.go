package shard

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// lagPair stands in for the two sides of a master-master pair whose
// replication lags without bound: each side is its own SQLite file, and
// nothing one side commits reaches the other until replicate copies it.
// Triggers log the key of every row a side changes in items and
// shard_objects; replicate copies, in one transaction on the receiving
// side, the current row (or its absence) of every key logged since the
// last copy. That is row-based replication applied at the moment of the
// copy, which is all a lagging MariaDB replica can be observed to do.
type lagPair struct {
	files   [2]*sql.DB // the sides' own handles
	routed  [2]*sql.DB // the router's handles of the same sides
	mu      sync.Mutex
	applied [2]int64 // last log sequence copied from each side
}

var lagDDL = []string{
	"CREATE TABLE repl_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, object_id INTEGER NOT NULL, item_id INTEGER NOT NULL)",
	"CREATE TABLE repl_ctl (applying INTEGER NOT NULL)",
	"INSERT INTO repl_ctl VALUES (0)",
}

// lagTriggers returns the triggers logging changes of a table whose key
// is object_id and item (a column or a constant).
func lagTriggers(table, item string) []string {
	col := func(row string) string {
		if item == "-1" {
			return "-1"
		}
		return row + "." + item
	}
	var out []string
	for _, ev := range []struct{ name, rows string }{{"INSERT", "NEW"}, {"UPDATE", "OLD NEW"}, {"DELETE", "OLD"}} {
		body := ""
		for _, row := range []string{"OLD", "NEW"} {
			if !strings.Contains(ev.rows, row) {
				continue
			}
			body += fmt.Sprintf("INSERT INTO repl_log (tbl, object_id, item_id) VALUES ('%s', %s.object_id, %s); ", table, row, col(row))
		}
		out = append(out, fmt.Sprintf("CREATE TRIGGER %s_%s AFTER %s ON %s WHEN (SELECT applying FROM repl_ctl) = 0 BEGIN %sEND",
			table, ev.name, ev.name, table, body))
	}
	return out
}

type lagStmt struct {
	q    string
	args []any
}

type lagKey struct {
	tbl          string
	object, item int64
}

// replicate copies to side to everything side from logged since the
// last copy.
func (l *lagPair) replicate(from, to int) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	src, dst := l.files[from], l.files[to]
	type change struct {
		key   lagKey
		found bool
		body  string
		state int
	}
	var changes []change
	last := l.applied[from]
	err := func() error {
		tx, err := src.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback()
		rows, err := tx.Query("SELECT seq, tbl, object_id, item_id FROM repl_log WHERE seq > ? ORDER BY seq", last)
		if err != nil {
			return err
		}
		seen := map[lagKey]bool{}
		var keys []lagKey
		for rows.Next() {
			var k lagKey
			if err := rows.Scan(&last, &k.tbl, &k.object, &k.item); err != nil {
				rows.Close()
				return err
			}
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		rows.Close()
		for _, k := range keys {
			c := change{key: k, found: true}
			if k.tbl == "items" {
				err = tx.QueryRow("SELECT body FROM items WHERE object_id = ? AND item_id = ?", k.object, k.item).Scan(&c.body)
			} else {
				err = tx.QueryRow("SELECT state FROM shard_objects WHERE object_id = ?", k.object).Scan(&c.state)
			}
			if errors.Is(err, sql.ErrNoRows) {
				c.found, err = false, nil
			}
			if err != nil {
				return err
			}
			changes = append(changes, c)
		}
		return nil
	}()
	if err != nil {
		return err
	}
	tx, err := dst.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmts := []lagStmt{{"UPDATE repl_ctl SET applying = 1", nil}}
	for _, c := range changes {
		k := c.key
		switch {
		case k.tbl == "items" && c.found:
			stmts = append(stmts, lagStmt{"REPLACE INTO items (object_id, item_id, body) VALUES (?, ?, ?)", []any{k.object, k.item, c.body}})
		case k.tbl == "items":
			stmts = append(stmts, lagStmt{"DELETE FROM items WHERE object_id = ? AND item_id = ?", []any{k.object, k.item}})
		case c.found:
			stmts = append(stmts, lagStmt{"REPLACE INTO shard_objects (object_id, state) VALUES (?, ?)", []any{k.object, c.state}})
		default:
			stmts = append(stmts, lagStmt{"DELETE FROM shard_objects WHERE object_id = ?", []any{k.object}})
		}
	}
	stmts = append(stmts, lagStmt{"UPDATE repl_ctl SET applying = 0", nil})
	for _, s := range stmts {
		if _, err := tx.Exec(s.q, s.args...); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	l.applied[from] = last
	return nil
}

// sync replicates both ways until neither side has anything to copy.
func (l *lagPair) sync(t testing.TB) {
	t.Helper()
	for range 2 {
		if err := l.replicate(0, 1); err != nil {
			t.Fatal(err)
		}
		if err := l.replicate(1, 0); err != nil {
			t.Fatal(err)
		}
	}
}

// catchUp is the pair's Dialect.CatchUp: waiting for a side to catch up
// is copying to it now. Other pairs are one file each.
func (l *lagPair) catchUp(_ context.Context, src, dst *sql.DB) error {
	switch {
	case src == l.routed[0] && dst == l.routed[1]:
		return l.replicate(0, 1)
	case src == l.routed[1] && dst == l.routed[0]:
		return l.replicate(1, 0)
	}
	return nil
}

// firstShard places every object on shard 0.
type firstShard struct{}

func (firstShard) Place([]Load, *rand.Rand) int { return 0 }

// newLagRouter returns a router whose shard_001 is a lagPair and whose
// shard_002 and index are single files, and a second, independent
// topology of the same servers (another process's view).
func newLagRouter(t *testing.T, catchUp bool) (*Router, *lagPair, []byte) {
	t.Helper()
	dir := t.TempDir()
	doc := fmt.Appendf(nil, `{"shards": [{"name": "shard_001", "a": %q, "b": %q}, {"name": "shard_002", "a": %q, "b": %q}],
		"index": {"a": %q, "b": %q}, "tickets": [%q, %q]}`,
		sqliteDSN(dir, "s1a.db", "A"), sqliteDSN(dir, "s1b.db", "B"),
		sqliteDSN(dir, "s2.db", "A"), sqliteDSN(dir, "s2.db", "B"),
		sqliteDSN(dir, "index.db", "A"), sqliteDSN(dir, "index.db", "B"),
		sqliteDSN(dir, "t1.db", "A"), sqliteDSN(dir, "t2.db", "B"))
	topo, err := ParseTopology(doc)
	if err != nil {
		t.Fatal(err)
	}
	lp := &lagPair{}
	d := SQLite
	if catchUp {
		d.CatchUp = lp.catchUp
	}
	r, err := NewRouter(topo, &Config{Open: openSQLite, Dialect: d, Placement: firstShard{}, MaxWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if err := r.Setup(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i, side := range []string{"shard_001_A", "shard_001_B"} {
		lp.routed[i], _ = r.DB(side)
		dsn, _ := topo.DSN(side)
		if lp.files[i], err = openSQLite(dsn); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { lp.files[i].Close() })
		stmts := append([]string{itemsDDL}, lagDDL...)
		stmts = append(stmts, lagTriggers("items", "item_id")...)
		stmts = append(stmts, lagTriggers("shard_objects", "-1")...)
		for _, q := range stmts {
			if _, err := lp.files[i].Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	db, _ := r.DB("shard_002_A")
	if _, err := db.Exec(itemsDDL); err != nil {
		t.Fatal(err)
	}
	return r, lp, doc
}

// TestMoveLaggingSides moves an object off a pair whose sides do not
// replicate until a move makes them catch up, while a write reaches the
// side the move does not read from: because the disabled sides change
// before or after the lock, or because another process has a different
// view of them. Every acknowledged write must end on the destination
// and nothing on the source. Without Dialect.CatchUp (the package
// before sides caught up in the lock step) the write is lost.
func TestMoveLaggingSides(t *testing.T) {
	tests := []struct {
		name string
		at   MoveStep // the write happens right after this step
		// other writes through a second router whose topology has side
		// A disabled, leaving the mover's sides unchanged.
		other bool
		// keep leaves side A disabled for the rest of the move.
		keep bool
	}{
		{name: "sides flip before the lock", at: StepCopied},
		{name: "sides flip after the lock", at: StepLocked},
		{name: "sides flip after the delta", at: StepDelta},
		{name: "side A pulled for the rest of the move after the lock", at: StepLocked, keep: true},
		{name: "another process writes to B before the lock", at: StepCopied, other: true},
		{name: "another process writes to B after the lock", at: StepLocked, other: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, lp, doc := newLagRouter(t, true)
			ctx := t.Context()
			const id = 7 // odd: pinned to side A
			if _, err := r.Create(ctx, id); err != nil {
				t.Fatal(err)
			}
			acked := []uint64{1, 2, 3}
			for _, it := range acked {
				if err := r.Update(ctx, id, insertItem(id, it, "x")); err != nil {
					t.Fatal(err)
				}
			}
			lp.sync(t) // both sides hold the object before the move
			writer := r
			if tt.other {
				topo2, err := ParseTopology(doc)
				if err != nil {
					t.Fatal(err)
				}
				if err := topo2.Disable([]string{"shard_001_A"}); err != nil {
					t.Fatal(err)
				}
				w, err := NewRouter(topo2, &Config{Open: openSQLite, Dialect: SQLite})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { w.Close() })
				writer = w
			}
			const late = 100
			wrote := false
			m := newTestMover(t, r, &MoverConfig{OnStep: func(s StepReport) error {
				if s.Step != tt.at {
					return nil
				}
				if !tt.other {
					if err := r.topo.Disable([]string{"shard_001_A"}); err != nil {
						return err
					}
					if !tt.keep {
						defer r.topo.Enable([]string{"shard_001_A"})
					}
				}
				// Routed to B. A write that B lets through must reach the
				// destination; one B holds back (the freeze is there) is
				// not acknowledged and is retried after the move.
				wctx, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
				defer cancel()
				if err := writer.Update(wctx, id, insertItem(id, late, "late")); err == nil {
					wrote = true
					acked = append(acked, late)
				}
				return nil
			}})
			if _, err := m.Move(ctx, id, "shard_002"); err != nil {
				t.Fatal(err)
			}
			lp.sync(t) // replication catches up at last
			if !wrote {
				if err := writer.Update(ctx, id, insertItem(id, late, "late")); err != nil {
					t.Fatalf("write after the move: %v", err)
				}
				acked = append(acked, late)
				lp.sync(t)
			}
			rt, err := r.lookupIndex(ctx, id)
			if err != nil || rt.Shard != 1 {
				t.Fatalf("index after the move: %+v, %v; want shard_002", rt, err)
			}
			slices.Sort(acked)
			dst, _ := r.DB("shard_002_A")
			if got := itemIDs(t, dst, id); !slices.Equal(got, acked) {
				t.Errorf("destination holds items %v, want every acknowledged write %v (wrote during the move: %v)", got, acked, wrote)
			}
			for i, db := range lp.files {
				if got := itemIDs(t, db, id); len(got) != 0 {
					t.Errorf("source side %v still holds items %v", SideOf(i), got)
				}
				var st int
				if err := db.QueryRow("SELECT state FROM shard_objects WHERE object_id = ?", id).Scan(&st); !errors.Is(err, sql.ErrNoRows) {
					t.Errorf("source side %v keeps a state row (%d, %v)", SideOf(i), st, err)
				}
			}
		})
	}
}

// TestMoveLaggingRefused checks that a move whose source sides never
// catch up does not lock: it fails with ErrLagging, the object stays
// writable on the source, and the move resumes once the sides catch up.
func TestMoveLaggingRefused(t *testing.T) {
	r, lp, _ := newLagRouter(t, false)
	ctx := t.Context()
	const id = 9
	r.Create(ctx, id)
	r.Update(ctx, id, insertItem(id, 1, "x"))
	lp.sync(t)
	stuck := true
	r.cfg.Dialect.CatchUp = func(ctx context.Context, src, dst *sql.DB) error {
		if stuck && (src == lp.routed[0] || src == lp.routed[1]) {
			<-ctx.Done()
			return ctx.Err()
		}
		return lp.catchUp(ctx, src, dst)
	}
	m, err := NewMover(r, &MoverConfig{Tables: []Table{itemsTable}, CatchUpWait: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Move(ctx, id, "shard_002")
	if !errors.Is(err, ErrLagging) {
		t.Fatalf("Move over sides that never catch up = %v, want ErrLagging", err)
	}
	if err := r.Update(ctx, id, insertItem(id, 2, "x")); err != nil {
		t.Fatalf("write after the refused lock: %v (the freeze was not undone)", err)
	}
	stuck = false
	if _, err := m.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	lp.sync(t)
	dst, _ := r.DB("shard_002_A")
	if got := itemIDs(t, dst, id); !slices.Equal(got, []uint64{1, 2}) {
		t.Errorf("destination after resume = %v, want [1 2]", got)
	}
}

func itemIDs(t *testing.T, db *sql.DB, id uint64) []uint64 {
	t.Helper()
	rows, err := db.Query("SELECT item_id FROM items WHERE object_id = ? ORDER BY item_id", id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []uint64
	for rows.Next() {
		var v uint64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}
