package shard

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// sqliteDSN returns a DSN for a SQLite file. The two sides of a SQLite
// pair are one file under two DSNs (the tag makes them distinct), which
// stands in for a master-master pair that replicates instantly.
func sqliteDSN(dir, file, tag string) string {
	return "file:" + filepath.Join(dir, file) + "?_txlock=immediate&_pragma=busy_timeout(20000)&_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&side=" + tag
}

// sqliteTopology returns a topology of n SQLite shards, index and ticket
// files in dir.
func sqliteTopology(t testing.TB, dir string, n int) *Topology {
	t.Helper()
	var b strings.Builder
	b.WriteString(`{"shards": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		name := fmt.Sprintf("shard_%03d", i+1)
		fmt.Fprintf(&b, `{"name": %q, "a": %q, "b": %q}`, name, sqliteDSN(dir, name+".db", "A"), sqliteDSN(dir, name+".db", "B"))
	}
	fmt.Fprintf(&b, `], "index": {"a": %q, "b": %q}, "tickets": [%q, %q]}`,
		sqliteDSN(dir, "index.db", "A"), sqliteDSN(dir, "index.db", "B"),
		sqliteDSN(dir, "tickets_odd.db", "A"), sqliteDSN(dir, "tickets_even.db", "B"))
	topo, err := ParseTopology([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return topo
}

func openSQLite(dsn string) (*sql.DB, error) { return sql.Open("sqlite", dsn) }

// newTestRouter returns a router over n SQLite shards with its tables
// and an application table "items" (object_id, item_id, body) on every
// shard.
func newTestRouter(t testing.TB, n int, cfg *Config) *Router {
	t.Helper()
	dir := t.TempDir()
	topo := sqliteTopology(t, dir, n)
	c := Config{}
	if cfg != nil {
		c = *cfg
	}
	c.Open, c.Dialect = openSQLite, SQLite
	r, err := NewRouter(topo, &c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if err := r.Setup(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i := range topo.Shards {
		db, _ := r.DB(topo.Shards[i].Side(false))
		if _, err := db.Exec(itemsDDL); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

const itemsDDL = "CREATE TABLE IF NOT EXISTS items (object_id BIGINT UNSIGNED NOT NULL, item_id BIGINT UNSIGNED NOT NULL, body VARCHAR(200) NOT NULL, PRIMARY KEY (object_id, item_id))"

// countItems returns the number of items rows per shard for an object.
func countItems(t testing.TB, r *Router, id uint64) []int {
	t.Helper()
	out := make([]int, len(r.topo.Shards))
	for i, p := range r.topo.Shards {
		db, _ := r.DB(p.Side(false))
		if err := db.QueryRow("SELECT COUNT(*) FROM items WHERE object_id = ?", id).Scan(&out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
