package mariadb_test

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/craftkit/craftkit/shard/mariadb/internal/mariadbtest"
	"github.com/craftkit/craftkit/shard/schema"
)

// openMode opens database db on s with the given session sql_mode in the
// DSN ("" leaves the server default).
func openMode(t testing.TB, s *mariadbtest.Server, db, mode string) *sql.DB {
	t.Helper()
	s.Open(t, db) // creates the database
	cfg, err := mysql.ParseDSN(s.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	delete(cfg.Params, "sql_mode")
	if mode != "" {
		cfg.Params["sql_mode"] = "'" + mode + "'"
	}
	c, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := sql.OpenDB(c)
	t.Cleanup(func() { h.Close() })
	return h
}

func execAll(t testing.TB, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func TestSchemaStrictCheck(t *testing.T) {
	mariadbtest.Need(t, h)
	ctx := t.Context()
	s := tickets[0] // not replicated
	strict := s.Open(t, "schema_strict")
	rep, err := schema.CheckStrict(ctx, strict, &schema.StrictOptions{Extra: true})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Errorf("strict DSN: %v (modes %q)", rep.Err(), rep.SQLMode)
	}
	lax := openMode(t, s, "schema_strict", "")
	rep, err = schema.CheckStrict(ctx, lax, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rep.Missing, []string{"STRICT_ALL_TABLES", "ONLY_FULL_GROUP_BY"}) {
		t.Errorf("server default sql_mode %q: missing %q, want STRICT_ALL_TABLES and ONLY_FULL_GROUP_BY", rep.SQLMode, rep.Missing)
	}
	t.Logf("MariaDB default sql_mode: %s", rep.SQLMode[0])
	// A per-session SET on one pooled connection does not make the pool strict.
	lax.SetMaxIdleConns(3)
	c, _ := lax.Conn(ctx)
	c.ExecContext(ctx, "SET SESSION sql_mode='STRICT_ALL_TABLES,ONLY_FULL_GROUP_BY'")
	c.Close()
	rep, _ = schema.CheckStrict(ctx, lax, nil)
	if rep.OK() {
		t.Errorf("pool with one strict session reported strict: %q", rep.SQLMode)
	}
}

// replayTables are the tables of the replay audit; each bad query below
// breaks one of them in strict mode.
var replayTables = []string{
	"CREATE TABLE IF NOT EXISTS stats (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, hits TINYINT UNSIGNED NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
	"CREATE TABLE IF NOT EXISTS users (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(8) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
	"CREATE TABLE IF NOT EXISTS orders (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, buyer_id BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
	"CREATE TABLE IF NOT EXISTS listings (listing_id BIGINT UNSIGNED NOT NULL PRIMARY KEY, shop_id BIGINT UNSIGNED NOT NULL, title VARCHAR(100) NOT NULL, KEY (shop_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
}

// replayQueries returns n queries, 1 in 10 of them bad in strict mode, and
// the number of each error code they must cause.
func replayQueries(n int, seed uint64) ([]string, map[int]int) {
	r := rand.New(rand.NewPCG(seed, 2))
	want := map[int]int{}
	var qs []string
	for i := range n {
		id := 1_000_000 + i
		switch i % 40 {
		case 0:
			qs = append(qs, fmt.Sprintf("INSERT INTO stats (id, hits) VALUES (%d, %d)", id, 256+r.IntN(1000)))
			want[1264]++
		case 1:
			qs = append(qs, fmt.Sprintf("INSERT INTO users (id, name) VALUES (%d, '%s')", id, strings.Repeat("n", 9+r.IntN(20))))
			want[1406]++
		case 2:
			qs = append(qs, fmt.Sprintf("INSERT INTO orders (id) VALUES (%d)", id))
			want[1364]++
		case 3:
			qs = append(qs, fmt.Sprintf("SELECT shop_id, title FROM listings WHERE listing_id > %d GROUP BY shop_id", r.IntN(100)))
			want[1055]++
		case 4, 5, 6:
			qs = append(qs, fmt.Sprintf("INSERT INTO stats (id, hits) VALUES (%d, %d)", id, r.IntN(256)))
		default:
			qs = append(qs, fmt.Sprintf("SELECT title FROM listings WHERE listing_id = %d", r.IntN(1000)))
		}
	}
	return qs, want
}

func seedListings(t testing.TB, db *sql.DB) {
	t.Helper()
	var b strings.Builder
	b.WriteString("INSERT IGNORE INTO listings (listing_id, shop_id, title) VALUES ")
	for i := range 1000 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "(%d, %d, 'listing %d')", i, i%37, i)
	}
	execAll(t, db, b.String())
}

// TestSchemaReplayAudit captures lax-mode traffic in the server's
// general and slow query logs, replays the captured log against a strict
// copy of the schema with 8 workers, and checks the unique errors.
func TestSchemaReplayAudit(t *testing.T) {
	mariadbtest.Need(t, h)
	ctx := t.Context()
	s := tickets[1] // not replicated
	lax := openMode(t, s, "schema_capture", "NO_ENGINE_SUBSTITUTION")
	execAll(t, lax, "DROP TABLE IF EXISTS stats, users, orders, listings")
	execAll(t, lax, replayTables...)
	seedListings(t, lax)
	queries, want := replayQueries(2000, 1)

	dir := t.TempDir()
	general, slow := filepath.Join(dir, "general.log"), filepath.Join(dir, "slow.log")
	if err := s.Exec(ctx, "SET GLOBAL general_log_file = '"+general+"'", "SET GLOBAL slow_query_log_file = '"+slow+"'",
		"SET GLOBAL long_query_time = 0", "SET GLOBAL log_output = 'FILE'", "SET GLOBAL general_log = ON", "SET GLOBAL slow_query_log = ON"); err != nil {
		t.Fatal(err)
	}
	conn, err := lax.Conn(ctx) // the captured "production" traffic, lax mode: no errors
	if err != nil {
		t.Fatal(err)
	}
	// A pooled session keeps the slow-log settings it started with
	// (MariaDB's slow_query_log has a session value too); and
	// log_slow_filter leaves out queries whose plans match none of its
	// flags (point lookups, inserts) unless it is empty.
	if _, err := conn.ExecContext(ctx, "SET SESSION slow_query_log = ON, SESSION long_query_time = 0, SESSION log_slow_filter = ''"); err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("lax %s: %v", q, err)
		}
	}
	conn.Close()
	if err := s.Exec(ctx, "SET GLOBAL general_log = OFF", "SET GLOBAL slow_query_log = OFF", "SET GLOBAL long_query_time = 10"); err != nil {
		t.Fatal(err)
	}

	strict := s.Open(t, "schema_replay") // the harness DSN: strict modes, utf8mb4
	execAll(t, strict, replayTables...)
	seedListings(t, strict)
	for _, lf := range []struct {
		path   string
		format schema.LogFormat
	}{{general, schema.LogGeneral}, {slow, schema.LogSlow}} {
		t.Run(string(lf.format), func(t *testing.T) {
			execAll(t, strict, "DELETE FROM stats", "DELETE FROM users", "DELETE FROM orders")
			f, err := os.Open(lf.path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			// Replay only the captured application queries: the log also
			// holds the harness's own statements on other connections.
			var mine []schema.Query
			for q, err := range schema.ReadLog(f, lf.format) {
				if err != nil {
					t.Fatal(err)
				}
				if isReplayQuery(q.SQL) {
					mine = append(mine, q)
				}
			}
			if len(mine) != len(queries) {
				raw, _ := os.ReadFile(lf.path)
				if len(raw) > 3000 {
					raw = raw[:3000]
				}
				t.Fatalf("log starts:\n%s\n"+"read %d application queries from the %s log, want %d", raw, len(mine), lf.format, len(queries))
			}
			rep, err := schema.Replay(ctx, strict, querySeq(mine), &schema.ReplayOptions{Workers: 8})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			rep.WriteReport(&b)
			t.Logf("%s log replay:\n%s", lf.format, b.String())
			if len(rep.Groups) != len(want) {
				t.Fatalf("%d error groups, want %d", len(rep.Groups), len(want))
			}
			for _, g := range rep.Groups {
				if g.Count != want[g.Code] {
					t.Errorf("error %d (%s): %d, want %d", g.Code, g.Query, g.Count, want[g.Code])
				}
			}
		})
	}
}

func querySeq(qs []schema.Query) iter.Seq2[schema.Query, error] {
	return func(yield func(schema.Query, error) bool) {
		for _, q := range qs {
			if !yield(q, nil) {
				return
			}
		}
	}
}

func isReplayQuery(q string) bool {
	for _, p := range []string{"INSERT INTO stats", "INSERT INTO users", "INSERT INTO orders", "SELECT shop_id, title FROM listings", "SELECT title FROM listings"} {
		if strings.HasPrefix(q, p) {
			return true
		}
	}
	return false
}

// TestSchemaReplayThroughput replays 20,000 queries with 8 workers and
// reports the rate (the figure: >= 4,000 queries/s). It is a
// report, not an assertion; BenchmarkSchemaReplay measures the same.
func TestSchemaReplayThroughput(t *testing.T) {
	mariadbtest.Need(t, h)
	rep := replayOnce(t, 20000)
	t.Logf("replay throughput: %d queries, 8 workers, %v, %.0f queries/s, %d errors in %d groups",
		rep.Queries, rep.Elapsed, rep.PerSecond, rep.Errors, len(rep.Groups))
}

func replayOnce(t testing.TB, n int) *schema.ReplayReport {
	strict := tickets[1].Open(t, "schema_replay_speed")
	execAll(t, strict, replayTables...)
	seedListings(t, strict)
	execAll(t, strict, "DELETE FROM stats", "DELETE FROM users", "DELETE FROM orders")
	qs, _ := replayQueries(n, 3)
	var log strings.Builder
	for _, q := range qs {
		log.WriteString(q + ";\n")
	}
	strict.SetMaxIdleConns(8)
	rep, err := schema.Replay(context.Background(), strict, schema.ReadLog(strings.NewReader(log.String()), schema.LogPlain), &schema.ReplayOptions{Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Queries != n {
		t.Fatalf("replayed %d, want %d", rep.Queries, n)
	}
	return rep
}

func BenchmarkSchemaReplay(b *testing.B) {
	mariadbtest.Need(b, h)
	b.ReportAllocs()
	var qps float64
	for b.Loop() {
		qps = replayOnce(b, 20000).PerSecond
	}
	b.ReportMetric(qps, "queries/s")
}

// TestSchemaUTF8MB4 converts a legacy latin1/utf8 schema with the
// generated statements and checks the result on the server.
func TestSchemaUTF8MB4(t *testing.T) {
	mariadbtest.Need(t, h)
	ctx := t.Context()
	db := tickets[0].Open(t, "schema_utf8")
	execAll(t, db,
		"DROP TABLE IF EXISTS users, posts",
		"CREATE TABLE users (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, email VARCHAR(255) NOT NULL, name VARCHAR(64) NOT NULL DEFAULT 'guest' COMMENT 'shown as is', bio TEXT, UNIQUE KEY email (email)) ENGINE=InnoDB DEFAULT CHARSET=latin1",
		"CREATE TABLE posts (post_id BIGINT UNSIGNED NOT NULL PRIMARY KEY, title VARCHAR(300) CHARACTER SET utf8mb3 NOT NULL, KEY title (title(100))) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3",
		"INSERT INTO users (id, email, name, bio) VALUES (1, 'a@example.com', 'Café Zoë', 'naïve')",
		"INSERT INTO posts VALUES (1, 'Ünïcödé')",
	)
	info, err := schema.LoadInfo(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if !info.MariaDB {
		t.Error("LoadInfo did not detect MariaDB")
	}
	conv := schema.ConvertUTF8MB4(info, nil)
	t.Logf("statements:\n%s\nskipped: %+v", strings.Join(conv.Statements, ";\n"), conv.Skipped)
	if len(conv.Statements) != 2 || len(conv.Skipped) != 1 || conv.Skipped[0].Column != "email" {
		t.Fatalf("plan = %+v, want 2 statements and email skipped", conv)
	}
	execAll(t, db, conv.Statements...)
	after, err := schema.LoadInfo(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	cs := map[string]string{}
	for _, c := range after.Columns {
		cs[c.Table+"."+c.Column] = c.Charset + " " + c.ColumnType
	}
	wantCS := map[string]string{
		"users.email": "latin1 varchar(255)", "users.name": "utf8mb4 varchar(64)", "users.bio": "utf8mb4 mediumtext",
		"posts.title": "utf8mb4 varchar(300)", "users.id": " bigint(20) unsigned", "posts.post_id": " bigint(20) unsigned",
	}
	for k, v := range wantCS {
		if cs[k] != v {
			t.Errorf("%s is %q after conversion, want %q", k, cs[k], v)
		}
	}
	var name, bio, title, def, comment string
	db.QueryRow("SELECT name, bio FROM users WHERE id = 1").Scan(&name, &bio)
	db.QueryRow("SELECT title FROM posts WHERE post_id = 1").Scan(&title)
	db.QueryRow("SELECT column_default, column_comment FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'users' AND column_name = 'name'").Scan(&def, &comment)
	if name != "Café Zoë" || bio != "naïve" || title != "Ünïcödé" || def != "'guest'" || comment != "shown as is" {
		t.Errorf("after conversion: name %q bio %q title %q default %q comment %q", name, bio, title, def, comment)
	}
	if _, err := db.Exec("UPDATE users SET name = 'fire 🔥' WHERE id = 1"); err != nil {
		t.Errorf("4-byte character after conversion: %v", err)
	}
	if again := schema.ConvertUTF8MB4(after, nil); len(again.Statements) != 0 || len(again.Skipped) != 1 {
		t.Errorf("second plan = %+v, want nothing but the skipped column", again)
	}
}

// TestSchemaIDAudit finds narrow id columns and clamped values on both
// shards.
func TestSchemaIDAudit(t *testing.T) {
	mariadbtest.Need(t, h)
	ctx := t.Context()
	var servers []schema.Server
	for i, p := range []string{"shard_001", "shard_002"} {
		s := h.Pair(p).A
		db := s.Open(t, "schema_ids")
		execAll(t, db,
			"DROP TABLE IF EXISTS photos, clean",
			"CREATE TABLE photos (id INT NOT NULL PRIMARY KEY, owner_id INT UNSIGNED NOT NULL, views BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
			"CREATE TABLE clean (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
			"INSERT INTO clean VALUES (2147483647), (4294967295)",
			"INSERT INTO photos VALUES (1, 5, 0), (2, 6, 10)",
		)
		if i == 1 { // shard_002 hit the clamps
			execAll(t, db, "INSERT INTO photos VALUES (2147483647, 4294967295, 2147483647), (3, 4294967295, 7)")
		}
		servers = append(servers, schema.Server{Name: p + "_A", DB: db})
	}
	a, err := schema.AuditIDs(ctx, servers, nil)
	if err != nil {
		t.Fatal(err)
	}
	var narrow, clamps []string
	for _, n := range a.Narrow {
		narrow = append(narrow, fmt.Sprintf("%s %s.%s %d", n.Server, n.Table, n.Column, n.Bits))
	}
	for _, c := range a.Clamps {
		clamps = append(clamps, fmt.Sprintf("%s %s.%s %d %d", c.Server, c.Table, c.Column, c.AtInt32, c.AtUint32))
	}
	slices.Sort(narrow)
	slices.Sort(clamps)
	wantNarrow := []string{"shard_001_A photos.id 32", "shard_001_A photos.owner_id 32", "shard_002_A photos.id 32", "shard_002_A photos.owner_id 32"}
	wantClamps := []string{
		"shard_001_A clean.id 1 1",
		"shard_002_A clean.id 1 1",
		"shard_002_A photos.id 1 0",
		"shard_002_A photos.owner_id 0 2",
		"shard_002_A photos.views 1 0",
	}
	if !slices.Equal(narrow, wantNarrow) {
		t.Errorf("narrow = %q, want %q", narrow, wantNarrow)
	}
	if !slices.Equal(clamps, wantClamps) {
		t.Errorf("clamps = %q, want %q", clamps, wantClamps)
	}
}

// TestSchemaLintShowCreate lints every table the schema tests create
// twice, as written and as the server's SHOW CREATE TABLE prints it,
// and requires the same findings and no parse errors.
func TestSchemaLintShowCreate(t *testing.T) {
	mariadbtest.Need(t, h)
	ctx := t.Context()
	db := tickets[0].Open(t, "schema_lint")
	written := append(slices.Clone(replayTables),
		"CREATE TABLE photos (id INT NOT NULL PRIMARY KEY, owner_id INT UNSIGNED NOT NULL, views BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
		"CREATE TABLE clean (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
		"CREATE TABLE legacy (id INT NOT NULL AUTO_INCREMENT, email VARCHAR(255) NOT NULL, hits INT UNSIGNED NOT NULL DEFAULT 0, at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (id), UNIQUE KEY email (email)) ENGINE=MyISAM DEFAULT CHARSET=utf8mb3",
		"CREATE TABLE events (id BIGINT UNSIGNED NOT NULL, pair VARCHAR(16) NOT NULL, body VARCHAR(100) NOT NULL, note VARCHAR(50) NOT NULL DEFAULT '', PRIMARY KEY (id), KEY by_note (note)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
		"CREATE TABLE parent (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
		"CREATE TABLE child (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, parent_id BIGINT UNSIGNED NOT NULL, doc LONGTEXT CHECK (JSON_VALID(doc)), FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
		"CREATE TABLE uuids (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, u UUID NOT NULL DEFAULT UUID(), r DOUBLE NOT NULL DEFAULT (RAND())) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
	)
	execAll(t, db, "SET FOREIGN_KEY_CHECKS=0", "DROP TABLE IF EXISTS stats, users, orders, listings, photos, clean, legacy, events, child, parent, uuids", "SET FOREIGN_KEY_CHECKS=1")
	for _, q := range written {
		execAll(t, db, q)
	}
	dump, err := schema.DumpSchema(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	key := func(fs []schema.Finding) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Rule+" "+f.Table+"."+f.Column)
		}
		slices.Sort(out)
		return out
	}
	mine := key(schema.Lint(strings.Join(written, ";\n")+";", nil))
	server := key(schema.Lint(dump, nil))
	for _, k := range server {
		if strings.HasPrefix(k, "parse ") {
			t.Errorf("SHOW CREATE TABLE output did not parse: %s\n%s", k, dump)
		}
	}
	if !slices.Equal(mine, server) {
		t.Errorf("lint of the written DDL:\n  %q\nlint of SHOW CREATE TABLE:\n  %q\ndump:\n%s", mine, server, dump)
	}
	t.Logf("%d tables, %d findings agree", strings.Count(dump, "CREATE TABLE"), len(server))
}
