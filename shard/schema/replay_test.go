package schema

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"database/sql"
)

// driverError has the shape of go-sql-driver/mysql's *MySQLError: a
// uint16 Number field and "Error N (STATE): msg" text.
type driverError struct {
	Number   uint16
	SQLState [5]byte
	Message  string
}

func (e *driverError) Error() string {
	return fmt.Sprintf("Error %d (%s): %s", e.Number, e.SQLState[:], e.Message)
}

func TestErrorCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code int
		ok   bool
	}{
		{"struct field", &driverError{Number: 1264, SQLState: [5]byte{'2', '2', '0', '0', '3'}, Message: "Out of range"}, 1264, true},
		{"wrapped", fmt.Errorf("insert: %w", &driverError{Number: 1406, Message: "Data too long"}), 1406, true},
		{"text only", errors.New("Error 1364 (HY000): Field 'x' doesn't have a default value"), 1364, true},
		{"old text", errors.New("Error 1055: 'a.b' isn't in GROUP BY"), 1055, true},
		{"none", errors.New("connection refused"), 0, false},
	}
	for _, tt := range tests {
		code, ok := ErrorCode(tt.err)
		if code != tt.code || ok != tt.ok {
			t.Errorf("%s: ErrorCode(%v) = %d, %v, want %d, %v", tt.name, tt.err, code, ok, tt.code, tt.ok)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT * FROM t WHERE id = 42", "SELECT * FROM t WHERE id = ?"},
		{"select *  from t\n where name='bob' and x = -1.5e3", "select * from t where name = ? and x = ?"},
		{"INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'),(3,NULL)", "INSERT INTO t(a, b) VALUES (?+)"},
		{"SELECT a FROM t WHERE id IN (1,2,3) /* c */ LIMIT 10", "SELECT a FROM t WHERE id IN (?+) LIMIT ?"},
		{"UPDATE `t` SET c = c + 1 WHERE id = 0x1F", "UPDATE `t` SET c = c + ? WHERE id = ?"},
		{"SELECT COUNT(*) FROM t", "SELECT COUNT(*) FROM t"},
		{"SELECT 'unterminated", "SELECT 'unterminated"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if Normalize("SELECT * FROM t WHERE a = 1") != Normalize("SELECT * FROM t WHERE a = 'zz'") {
		t.Error("queries differing in a literal normalise differently")
	}
}

func collect(t *testing.T, seq iter.Seq2[Query, error]) ([]Query, error) {
	t.Helper()
	var out []Query
	for q, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, q)
	}
	return out, nil
}

func TestReadLog(t *testing.T) {
	general := "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-0+deb12u1-log (Debian 12). started with:\n" +
		"Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\n" +
		"Time\t\t    Id Command\tArgument\n" +
		"241205 12:00:01\t     5 Connect\tapp@localhost on shop using Socket\n" +
		"\t\t     5 Query\tSELECT 1\n" +
		"\t\t     5 Query\tINSERT INTO t VALUES (1,\n'two\nlines')\n" +
		"241205 12:00:02\t     6 Init DB\tshop\n" +
		"2024-12-05T12:00:03.123456Z\t    7 Query\tUPDATE t SET a = 2;\n" +
		"\t\t     5 Quit\t\n"
	slow := "/usr/sbin/mariadbd, Version: 10.11.6-MariaDB-log (Debian). started with:\n" +
		"Tcp port: 3306  Unix socket: /run/mysqld/mysqld.sock\n" +
		"Time                 Id Command    Argument\n" +
		"# Time: 241205 12:00:01\n# User@Host: app[app] @ localhost []\n# Thread_id: 5  Schema: shop  QC_hit: No\n" +
		"# Query_time: 0.000123  Lock_time: 0.000012  Rows_sent: 1  Rows_examined: 0\n# Rows_affected: 0  Bytes_sent: 59\n" +
		"use shop;\nSET timestamp=1733400001;\nSELECT *\nFROM t WHERE id = 5;\n" +
		"# User@Host: app[app] @ localhost []\n# Query_time: 2.5  Lock_time: 0  Rows_sent: 0  Rows_examined: 9\n" +
		"SET timestamp=1733400002;\nDELETE FROM t WHERE id = 6;\n"
	plain := "SELECT 1;\n\n-- comment\n# other\n  UPDATE t SET a=1  \n"
	tests := []struct {
		format LogFormat
		in     string
		want   []Query
	}{
		{LogGeneral, general, []Query{{"SELECT 1", 5}, {"INSERT INTO t VALUES (1,\n'two\nlines')", 6}, {"UPDATE t SET a = 2", 10}}},
		{LogSlow, slow, []Query{{"SELECT *\nFROM t WHERE id = 5", 11}, {"DELETE FROM t WHERE id = 6", 16}}},
		{LogPlain, plain, []Query{{"SELECT 1", 1}, {"UPDATE t SET a=1", 5}}},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			got, err := collect(t, ReadLog(strings.NewReader(tt.in), tt.format))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ReadLog = %+v, want %+v", got, tt.want)
			}
		})
	}
	_, err := collect(t, ReadLog(strings.NewReader("SELECT 1\n"+strings.Repeat("x", MaxQueryBytes+10)+"\n"), LogPlain))
	var le *LogError
	if !errors.As(err, &le) || le.Line != 2 || !errors.Is(err, ErrQueryTooLong) {
		t.Errorf("ReadLog(long line) error = %v, want line 2 ErrQueryTooLong", err)
	}
	if _, err := collect(t, ReadLog(strings.NewReader("x"), "binary")); err == nil {
		t.Error("ReadLog(unknown format) = nil error")
	}
}

// seededLog returns a shuffled log of n good queries and known bad ones,
// and a handler that fails the bad ones as MySQL in strict mode would.
func seededLog(n int, seed uint64) (string, fakeHandler, map[int]int) {
	r := rand.New(rand.NewPCG(seed, 1))
	var lines []string
	want := map[int]int{1264: 0, 1406: 0, 1364: 0, 1055: 0}
	for i := range n {
		switch i % 40 {
		case 0:
			lines = append(lines, fmt.Sprintf("INSERT INTO stats (id, hits) VALUES (%d, %d)", i, 300+r.IntN(1000)))
			want[1264]++
		case 1:
			lines = append(lines, fmt.Sprintf("UPDATE users SET name = '%s' WHERE id = %d", strings.Repeat("n", 70+r.IntN(10)), i))
			want[1406]++
		case 2:
			lines = append(lines, fmt.Sprintf("INSERT INTO orders (id) VALUES (%d)", i))
			want[1364]++
		case 3:
			lines = append(lines, fmt.Sprintf("SELECT shop_id, title FROM listings WHERE state = %d GROUP BY shop_id", r.IntN(3)))
			want[1055]++
		default:
			lines = append(lines, fmt.Sprintf("SELECT * FROM users WHERE id = %d", i))
		}
	}
	r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	h := func(q string) ([]string, [][]driver.Value, error) {
		switch {
		case strings.HasPrefix(q, "INSERT INTO stats"):
			return nil, nil, &driverError{Number: 1264, SQLState: [5]byte{'2', '2', '0', '0', '3'}, Message: "Out of range value for column 'hits' at row 1"}
		case strings.HasPrefix(q, "UPDATE users"):
			return nil, nil, fmt.Errorf("exec: %w", &driverError{Number: 1406, SQLState: [5]byte{'2', '2', '0', '0', '1'}, Message: "Data too long for column 'name' at row 1"})
		case strings.HasPrefix(q, "INSERT INTO orders"):
			return nil, nil, errors.New("Error 1364 (HY000): Field 'buyer_id' doesn't have a default value")
		case strings.Contains(q, "GROUP BY"):
			return nil, nil, &driverError{Number: 1055, SQLState: [5]byte{'4', '2', '0', '0', '0'}, Message: "'shop.listings.title' isn't in GROUP BY"}
		}
		return nil, nil, nil
	}
	return strings.Join(lines, "\n") + "\n", h, want
}

func TestReplayGroups(t *testing.T) {
	log, h, want := seededLog(4000, 7)
	var execs atomic.Int64
	db := openFake(t, func(q string) ([]string, [][]driver.Value, error) { execs.Add(1); return h(q) })
	rep, err := Replay(context.Background(), db, ReadLog(strings.NewReader(log), LogPlain), &ReplayOptions{Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Queries != 4000 || execs.Load() != 4000 {
		t.Fatalf("replayed %d queries, executed %d, want 4000", rep.Queries, execs.Load())
	}
	if len(rep.Groups) != 4 {
		t.Fatalf("groups = %+v, want 4", rep.Groups)
	}
	total := 0
	for _, g := range rep.Groups {
		if g.Count != want[g.Code] {
			t.Errorf("group %d %q: count %d, want %d", g.Code, g.Query, g.Count, want[g.Code])
		}
		total += g.Count
	}
	if total != rep.Errors {
		t.Errorf("group counts sum to %d, errors %d", total, rep.Errors)
	}
	wantQuery := map[int]string{
		1264: "INSERT INTO stats(id, hits) VALUES (?+)",
		1406: "UPDATE users SET name = ? WHERE id = ?",
		1364: "INSERT INTO orders(id) VALUES (?+)",
		1055: "SELECT shop_id, title FROM listings WHERE state = ? GROUP BY shop_id",
	}
	for _, g := range rep.Groups {
		if g.Query != wantQuery[g.Code] {
			t.Errorf("group %d query = %q, want %q", g.Code, g.Query, wantQuery[g.Code])
		}
	}
	var b strings.Builder
	rep.WriteReport(&b)
	if !strings.Contains(b.String(), "4000 queries") || !strings.Contains(b.String(), "error 1055") {
		t.Errorf("report:\n%s", b.String())
	}
}

func TestReplaySQLite(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "r.db")+"?_pragma=synchronous(off)&_pragma=journal_mode(memory)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // SQLite: one writer
	if _, err := db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	for i := range 200 {
		fmt.Fprintf(&log, "INSERT INTO t (id, v) VALUES (%d, 'v%d');\n", i%150, i) // 50 duplicate keys
	}
	rep, err := Replay(context.Background(), db, ReadLog(strings.NewReader(log.String()), LogPlain), &ReplayOptions{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	var rows int
	db.QueryRow("SELECT COUNT(*) FROM t").Scan(&rows)
	if rep.Queries != 200 || rows != 150 || rep.Errors != 50 || len(rep.Groups) != 1 || rep.Groups[0].Count != 50 {
		t.Errorf("replay = %+v, rows %d; want 200 queries, 150 rows, one group of 50 errors", rep, rows)
	}
}

func TestReplayStops(t *testing.T) {
	db := openFake(t, func(string) ([]string, [][]driver.Value, error) { return nil, nil, nil })
	bad := func(yield func(Query, error) bool) {
		if yield(Query{SQL: "SELECT 1", Line: 1}, nil) {
			yield(Query{}, &LogError{Line: 2, Err: ErrQueryTooLong})
		}
	}
	rep, err := Replay(context.Background(), db, bad, nil)
	if !errors.Is(err, ErrQueryTooLong) || rep == nil || rep.Queries != 1 {
		t.Errorf("Replay(log error) = %+v, %v", rep, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	endless := func(yield func(Query, error) bool) {
		for yield(Query{SQL: "SELECT 1"}, nil) {
		}
	}
	done := make(chan error, 1)
	go func() { _, err := Replay(ctx, db, endless, nil); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Replay(cancelled) = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Replay did not stop on a cancelled context")
	}
}

func FuzzReadLog(f *testing.F) {
	f.Add("241205 12:00:01\t     5 Query\tSELECT 1\n\t\t     5 Query\tINSERT\n'x'\n", uint8(1))
	f.Add("# Time: 1\nSET timestamp=1;\nSELECT 1;\n# User@Host: x\n", uint8(2))
	f.Add("SELECT 1;\nSELECT 'a' -- x\n", uint8(0))
	f.Fuzz(func(t *testing.T, in string, which uint8) {
		if len(in) > 1<<16 {
			t.Skip()
		}
		format := []LogFormat{LogPlain, LogGeneral, LogSlow}[which%3]
		total := 0
		for q, err := range ReadLog(strings.NewReader(in), format) {
			if err != nil {
				break
			}
			if q.SQL == "" || q.Line < 1 {
				t.Fatalf("ReadLog(%q, %s) yielded %+v", in, format, q)
			}
			total += len(q.SQL)
			Normalize(q.SQL)
		}
		if total > len(in) {
			t.Fatalf("ReadLog yielded %d bytes of queries from %d bytes", total, len(in))
		}
	})
}

// TestReplayRefusesBadOptions checks that a worker count Replay cannot
// honour (a huge one overflowed its channel's size) and negative counts
// are refused with an error naming the field and value, before any
// query runs.
func TestReplayRefusesBadOptions(t *testing.T) {
	var execs atomic.Int64
	db := openFake(t, func(q string) ([]string, [][]driver.Value, error) { execs.Add(1); return nil, nil, nil })
	for _, c := range []struct {
		opts ReplayOptions
		want string
	}{
		{ReplayOptions{Workers: math.MaxInt}, "Workers = 9223372036854775807"},
		{ReplayOptions{Workers: MaxReplayWorkers + 1}, "Workers = 1025"},
		{ReplayOptions{Workers: -1}, "Workers = -1"},
		{ReplayOptions{MaxGroups: -3}, "MaxGroups = -3"},
	} {
		_, err := Replay(context.Background(), db, ReadLog(strings.NewReader("1 Query SELECT 1\n"), LogPlain), &c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Replay(%+v) = %v, want an error containing %q", c.opts, err, c.want)
		}
	}
	if execs.Load() != 0 {
		t.Errorf("%d queries ran with refused options", execs.Load())
	}
}
