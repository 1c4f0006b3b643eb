package schema

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

var t0 = time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)

// clock returns a fake clock, safe for concurrent use, that advances one
// second per reading.
func clock() func() time.Time {
	var mu sync.Mutex
	t := t0
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

func scratchDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "scratch.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

const sqliteBase = `CREATE TABLE users (id BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts (id BIGINT NOT NULL PRIMARY KEY, user_id BIGINT NOT NULL, body TEXT);
`

func TestChangesetRoundTrip(t *testing.T) {
	c, err := NewChangeset("2026-12-05-add-email", "ana", "ALTER TABLE users ADD COLUMN email VARCHAR(100);", t0)
	if err != nil {
		t.Fatal(err)
	}
	c.RunLint(nil, t0.Add(time.Minute))
	c.Checksums = map[string]string{"users": "abc"}
	c.AddStep(Step{At: t0, Side: "A", Server: "shard_001_A", Action: "apply", State: StateOK})
	path := filepath.Join(t.TempDir(), "cs.json")
	if err := c.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := ReadChangeset(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, c) {
		t.Errorf("ReadChangeset = %+v, want %+v", got, c)
	}
	// Rewrite: no temporary files left behind.
	c.AddStep(Step{At: t0, Action: "note", State: StateInfo})
	if err := c.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Dir(path))
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries after two writes, want 1", len(ents))
	}
}

func TestParseChangesetErrors(t *testing.T) {
	good := `{"format":1,"id":"x","author":"ana","created":"2026-12-05T12:00:00Z","sql":"SELECT 1","status":"draft","lint":[],"log":[]}`
	if _, err := ParseChangeset([]byte(good)); err != nil {
		t.Fatalf("ParseChangeset(good) = %v", err)
	}
	tests := []struct{ name, data, field string }{
		{"syntax", `{"format":1,`, ""},
		{"unknown field", strings.Replace(good, `"log":[]`, `"log":[],"extra":1`, 1), ""},
		{"format", strings.Replace(good, `"format":1`, `"format":2`, 1), "format"},
		{"author", strings.Replace(good, `"author":"ana"`, `"author":" "`, 1), "author"},
		{"id slash", strings.Replace(good, `"id":"x"`, `"id":"../x"`, 1), "id"},
		{"created", strings.Replace(good, `"created":"2026-12-05T12:00:00Z",`, ``, 1), "created"},
		{"sql", strings.Replace(good, `"sql":"SELECT 1"`, `"sql":""`, 1), "sql"},
		{"status", strings.Replace(good, `"status":"draft"`, `"status":"nope"`, 1), "status"},
		{"log seq", strings.Replace(good, `"log":[]`, `"log":[{"seq":2,"at":"2026-12-05T12:00:00Z","action":"x","state":"ok"}]`, 1), "log"},
		{"severity", strings.Replace(good, `"lint":[]`, `"lint":[{"rule":"x","severity":"fatal","line":1,"message":"m"}]`, 1), ""},
		{"trailing", good + `{}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseChangeset([]byte(tt.data))
			var ce *ChangesetError
			if !errors.As(err, &ce) || !errors.Is(err, ErrChangeset) {
				t.Fatalf("ParseChangeset = %v, want a *ChangesetError", err)
			}
			if ce.Field != tt.field {
				t.Errorf("ParseChangeset error field = %q, want %q (%v)", ce.Field, tt.field, err)
			}
		})
	}
	path := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(path, []byte(`{}`), 0o644)
	if _, err := ReadChangeset(path); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("ReadChangeset(bad) = %v, want an error naming %s", err, path)
	}
}

func TestDryRun(t *testing.T) {
	ctx := context.Background()
	t.Run("ok", func(t *testing.T) {
		c, _ := NewChangeset("add-email", "ana", "ALTER TABLE users ADD COLUMN email TEXT;\nCREATE INDEX users_email ON users (email);", t0)
		c.RunLint(nil, t0)
		dr, err := c.RunDryRun(ctx, scratchDB(t), sqliteBase, &DryRunOptions{Now: clock(), Checksum: SQLiteChecksum})
		if err != nil {
			t.Fatal(err)
		}
		if !dr.OK || dr.Statements != 2 || dr.BaseStatements != 2 || c.Status != StatusReady {
			t.Fatalf("dry run = %+v, status %s; want ok, 2+2 statements, ready", dr, c.Status)
		}
		if len(c.Checksums) != 1 || len(c.Checksums["users"]) != 32 {
			t.Errorf("checksums = %v, want one for users", c.Checksums)
		}
		// The checksum is that of the changed definition: a scratch
		// database with the change applied by hand agrees, the base does not.
		other := scratchDB(t)
		other.Exec(sqliteBase)
		before, _ := SQLiteChecksum(ctx, other, "users")
		other.Exec("ALTER TABLE users ADD COLUMN email TEXT; CREATE INDEX users_email ON users (email)")
		after, _ := SQLiteChecksum(ctx, other, "users")
		if after != c.Checksums["users"] || before == after {
			t.Errorf("checksums: base %s, applied %s, dry run %s", before, after, c.Checksums["users"])
		}
	})
	t.Run("failing statement", func(t *testing.T) {
		c, _ := NewChangeset("bad", "ana", "ALTER TABLE users ADD COLUMN email TEXT;\n\nALTER TABLE nope ADD COLUMN x TEXT;\nALTER TABLE posts ADD COLUMN y TEXT;", t0)
		c.RunLint(nil, t0)
		dr, err := c.RunDryRun(ctx, scratchDB(t), sqliteBase, nil)
		if err != nil {
			t.Fatal(err)
		}
		if dr.OK || c.Status != StatusFailed || len(dr.Errors) != 1 {
			t.Fatalf("dry run = %+v, status %s; want one error, failed", dr, c.Status)
		}
		e := dr.Errors[0]
		if e.Stage != "change" || e.Index != 2 || e.Line != 3 || !strings.Contains(e.Err, "nope") {
			t.Errorf("error = %+v, want statement 2 at line 3 naming table nope", e)
		}
		if last := c.Log[len(c.Log)-1]; last.Action != "dry-run" || last.State != StateFailed {
			t.Errorf("last log step = %+v, want a failed dry-run", last)
		}
	})
	t.Run("bad base", func(t *testing.T) {
		c, _ := NewChangeset("x", "ana", "ALTER TABLE users ADD COLUMN email TEXT;", t0)
		dr, err := c.RunDryRun(ctx, scratchDB(t), "CREATE TABLE users (id BIGINT PRIMARY KEY;\n", nil)
		if err != nil {
			t.Fatal(err)
		}
		if dr.OK || len(dr.Errors) != 1 || dr.Errors[0].Stage != "base" {
			t.Errorf("dry run = %+v, want one base error", dr)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		c, _ := NewChangeset("x", "ana", "ALTER TABLE users ADD COLUMN email TEXT;", t0)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := c.RunDryRun(cctx, scratchDB(t), sqliteBase, nil); err == nil {
			t.Error("RunDryRun(cancelled ctx) = nil error")
		}
		if c.DryRun != nil || c.Status != StatusDraft {
			t.Errorf("cancelled dry run changed the changeset: %+v %s", c.DryRun, c.Status)
		}
	})
}

func FuzzParseChangeset(f *testing.F) {
	f.Add([]byte(`{"format":1,"id":"x","author":"ana","created":"2026-12-05T12:00:00Z","sql":"SELECT 1","status":"draft","lint":[],"log":[]}`))
	f.Add([]byte(`{"format":1,"id":"x","author":"a","created":"2026-12-05T12:00:00Z","sql":"x","status":"ready","lint":[{"rule":"engine","severity":"warning","line":1,"message":"m"}],"log":[{"seq":1,"at":"2026-12-05T12:00:00Z","action":"x","state":"ok"}],"checksums":{"t":"y"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			t.Skip()
		}
		c, err := ParseChangeset(data)
		if err != nil {
			return
		}
		b, err := c.Marshal()
		if err != nil {
			t.Fatalf("Marshal of a parsed changeset: %v", err)
		}
		c2, err := ParseChangeset(b)
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, b)
		}
		if !reflect.DeepEqual(c, c2) {
			t.Fatalf("round trip changed the changeset:\n%+v\n%+v", c, c2)
		}
	})
}
