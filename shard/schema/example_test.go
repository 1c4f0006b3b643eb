package schema_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite"

	"github.com/craftkit/craftkit/shard/schema"
)

func ExampleLint() {
	ddl := `CREATE TABLE accounts (
  account_id BIGINT UNSIGNED NOT NULL,
  email VARCHAR(255) NOT NULL,
  login_count INT UNSIGNED NOT NULL DEFAULT 0,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (account_id),
  UNIQUE KEY email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;`
	findings := schema.Lint(ddl, &schema.Options{Enable: []string{schema.RuleTemporal}})
	for _, f := range findings {
		fmt.Printf("%s %s %s.%s\n", f.Severity, f.Rule, f.Table, f.Column)
	}
	fmt.Println("gate fails:", schema.Failed(findings))
	// Output:
	// warning unsigned-counter accounts.login_count
	// error generated accounts.created_at
	// error temporal accounts.created_at
	// error index-length accounts.email
	// gate fails: true
}

func ExampleChangeset_RunDryRun() {
	db, err := sql.Open("sqlite", ":memory:") // the scratch database
	if err != nil {
		panic(err)
	}
	defer db.Close()
	base := "CREATE TABLE listings (listing_id BIGINT UNSIGNED NOT NULL PRIMARY KEY, title VARCHAR(140) NOT NULL);"
	cs, _ := schema.NewChangeset("add-shop", "ana",
		"ALTER TABLE listings ADD COLUMN shop_id BIGINT UNSIGNED NOT NULL DEFAULT 0;\n"+
			"ALTER TABLE shops ADD COLUMN name TEXT;", time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC))
	cs.RunLint(nil, time.Now())
	dr, err := cs.RunDryRun(context.Background(), db, base, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("ok:", dr.OK, "status:", cs.Status)
	for _, e := range dr.Errors {
		fmt.Printf("statement %d, line %d: %s\n", e.Index, e.Line, e.Err)
	}
	// Output:
	// ok: false status: failed
	// statement 2, line 2: SQL logic error: no such table: shops (1)
}

func ExampleNormalize() {
	fmt.Println(schema.Normalize("SELECT * FROM users WHERE id = 42 AND name = 'bob'"))
	fmt.Println(schema.Normalize("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')"))
	// Output:
	// SELECT * FROM users WHERE id = ? AND name = ?
	// INSERT INTO t(a, b) VALUES (?+)
}

func ExampleReadLog() {
	log := "241205 12:00:01\t     5 Connect\tapp@localhost on shop using Socket\n" +
		"\t\t     5 Query\tSELECT title FROM listings WHERE listing_id = 7\n" +
		"\t\t     5 Query\tUPDATE listings\n SET title = 'Mug'\n WHERE listing_id = 7\n" +
		"241205 12:00:02\t     5 Quit\t\n"
	for q, err := range schema.ReadLog(strings.NewReader(log), schema.LogGeneral) {
		if err != nil {
			panic(err)
		}
		fmt.Printf("line %d: %q\n", q.Line, q.SQL)
	}
	// Output:
	// line 2: "SELECT title FROM listings WHERE listing_id = 7"
	// line 3: "UPDATE listings\n SET title = 'Mug'\n WHERE listing_id = 7"
}

func ExampleConvertUTF8MB4() {
	info := &schema.Info{
		Tables: []schema.TableInfo{{Table: "users", Engine: "InnoDB", Collation: "latin1_swedish_ci"}},
		Columns: []schema.ColumnInfo{
			{Table: "users", Column: "id", DataType: "bigint", ColumnType: "bigint(20) unsigned"},
			{Table: "users", Column: "name", DataType: "varchar", ColumnType: "varchar(100)", CharLength: 100, Charset: "latin1"},
		},
	}
	for _, s := range schema.ConvertUTF8MB4(info, nil).Statements {
		fmt.Println(s)
	}
	// Output:
	// ALTER TABLE `users` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci
}

// sides is a SideControl that prints what it is asked to do.
type sides struct{}

func (sides) Disable(s []string) error { fmt.Println("out:", s); return nil }
func (sides) Enable(s []string) error  { fmt.Println("in: ", s); return nil }

func ExampleRunner_Run() {
	ctx := context.Background()
	base := "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY);"
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	open := func(name string) *sql.DB { // one SQLite file per server
		db, err := sql.Open("sqlite", filepath.Join(dir, name))
		if err != nil {
			panic(err)
		}
		db.Exec(base)
		return db
	}
	fleet := map[string]*sql.DB{"p1_A": open("a.db"), "p1_B": open("b.db")}
	cs, _ := schema.NewChangeset("add-c", "ana", "ALTER TABLE t ADD COLUMN c BIGINT NOT NULL DEFAULT 0;", time.Now())
	cs.RunLint(nil, time.Now())
	scratch, _ := sql.Open("sqlite", ":memory:")
	cs.RunDryRun(ctx, scratch, base, &schema.DryRunOptions{Checksum: schema.SQLiteChecksum})
	r, err := schema.NewRunner(schema.RunnerConfig{
		Changeset: cs,
		Sides: []schema.Side{
			{Name: "A", Targets: []schema.Target{{Name: "p1_A", DB: fleet["p1_A"]}}},
			{Name: "B", Targets: []schema.Target{{Name: "p1_B", DB: fleet["p1_B"]}}},
		},
		Control:    sides{},
		Checksum:   schema.SQLiteChecksum,
		KeepBinlog: true, // SQLite has no binary log; never set this on replicated MySQL pairs
	})
	if err != nil {
		panic(err)
	}
	if err := r.Run(ctx); err != nil {
		panic(err)
	}
	fmt.Println(cs.Status)
	// Output:
	// out: [p1_A]
	// in:  [p1_A]
	// out: [p1_B]
	// in:  [p1_B]
	// done
}
