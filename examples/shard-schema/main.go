// Command shard-schema gates a schema changeset the way a CI job would:
// it lints the change, dry-runs it on a scratch SQLite database holding
// the current schema (no rows), records both in a changeset file, and
// exits 1 when either fails. With -replay it then replays a query log
// against the scratch database with N workers and prints the unique
// errors.
//
//	go run ./examples/shard-schema                  # the embedded good changeset
//	go run ./examples/shard-schema -demo bad        # one the gate stops
//	go run ./examples/shard-schema -sql change.sql -base schema.sql -out change.json
//	go run ./examples/shard-schema -replay queries.log -workers 8
package main

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	_ "modernc.org/sqlite"

	"github.com/craftkit/craftkit/examples/internal/cli"
	"github.com/craftkit/craftkit/shard/schema"
)

var (
	//go:embed testdata/base.sql
	baseSQL string
	//go:embed testdata/good.sql
	goodSQL string
	//go:embed testdata/bad.sql
	badSQL string
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, time.Now))
}

// config is the validated command line.
type config struct {
	sql, base, id, author, out string
	replay, format             string
	workers                    int
	lint                       schema.Options
}

func parse(args []string, stderr io.Writer) (*config, error) {
	fs := cli.NewFlagSet("shard-schema", stderr, "usage: shard-schema [flags]\n\n"+
		"Lints a schema changeset, dry-runs it on a scratch SQLite database with the\n"+
		"current schema, and exits 1 when either fails.\n\n")
	c := &config{}
	demo := fs.String("demo", "good", "embedded changeset to use when -sql is not given: good or bad")
	fs.StringVar(&c.sql, "sql", "", "file with the changeset's SQL (default: the embedded -demo changeset)")
	fs.StringVar(&c.base, "base", "", "file with the current schema, CREATE TABLE statements (default: embedded)")
	fs.StringVar(&c.id, "id", "", "changeset id (default: the -sql file name, or the demo name)")
	fs.StringVar(&c.author, "author", "example", "changeset author")
	fs.StringVar(&c.out, "out", "", "write the changeset record (JSON) to this file")
	enable := fs.String("enable", "", "comma-separated optional lint rules to turn on (e.g. temporal)")
	disable := fs.String("disable", "", "comma-separated lint rules to turn off (e.g. unsigned-counter)")
	fs.StringVar(&c.replay, "replay", "", "query log to replay against the scratch database after the dry run")
	fs.StringVar(&c.format, "format", "plain", "format of the -replay log: plain, general or slow")
	fs.IntVar(&c.workers, "workers", 8, "replay workers (1-256)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (all options are flags; see -h)", fs.Arg(0))
	}
	if c.sql == "" {
		switch *demo {
		case "good", "bad":
		default:
			return nil, fmt.Errorf("-demo %q: want good or bad", *demo)
		}
		if c.id == "" {
			c.id = "demo-" + *demo
		}
		c.sql = "embedded:" + *demo
	} else if c.id == "" {
		c.id = strings.TrimSuffix(baseName(c.sql), ".sql")
	}
	if strings.TrimSpace(c.author) == "" {
		return nil, errors.New("-author is empty")
	}
	switch schema.LogFormat(c.format) {
	case schema.LogPlain, schema.LogGeneral, schema.LogSlow:
	default:
		return nil, fmt.Errorf("-format %q: want plain, general or slow", c.format)
	}
	if c.workers < 1 || c.workers > 256 {
		return nil, fmt.Errorf("-workers %d: want 1 to 256", c.workers)
	}
	var err error
	if c.lint.Enable, err = rules("-enable", *enable); err != nil {
		return nil, err
	}
	if c.lint.Disable, err = rules("-disable", *disable); err != nil {
		return nil, err
	}
	return c, nil
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// rules splits a comma-separated list of rule names and rejects unknown ones.
func rules(flagName, s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	var out []string
	for r := range strings.SplitSeq(s, ",") {
		r = strings.TrimSpace(r)
		if !slices.Contains(schema.Rules, r) {
			return nil, fmt.Errorf("%s: unknown rule %q (rules: %s)", flagName, r, strings.Join(schema.Rules, ", "))
		}
		out = append(out, r)
	}
	return out, nil
}

func readInput(name, embedded string) (string, error) {
	if name == "" {
		return embedded, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// run returns the exit status: 0 when the changeset passes the gate (or
// for -h), 1 when the gate stops it, 2 when it cannot be run (bad flags,
// unreadable files, a failing database).
func run(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	prog := cli.Program{Name: "shard-schema", Stderr: stderr}
	c, err := parse(args, stderr)
	if err != nil {
		return prog.UsageError(err)
	}
	var changeSQL string
	switch c.sql {
	case "embedded:good":
		changeSQL = goodSQL
	case "embedded:bad":
		changeSQL = badSQL
	default:
		if changeSQL, err = readInput(c.sql, ""); err != nil {
			return prog.UsageError(err)
		}
	}
	base, err := readInput(c.base, baseSQL)
	if err != nil {
		return prog.UsageError(err)
	}
	ok, err := gate(c, changeSQL, base, stdout, now)
	if err != nil {
		prog.Print(err)
		return cli.StatusUsage // not StatusError: 1 says the gate stopped the changeset
	}
	if !ok {
		return cli.StatusError
	}
	return cli.StatusOK
}

// gate lints and dry-runs the changeset and reports whether both passed.
func gate(c *config, changeSQL, base string, w io.Writer, now func() time.Time) (bool, error) {
	cs, err := schema.NewChangeset(c.id, c.author, changeSQL, now())
	if err != nil {
		return false, err
	}
	findings := cs.RunLint(&c.lint, now())
	fmt.Fprintf(w, "changeset %s by %s: %d statements on %s\n", cs.ID, cs.Author, countStatements(changeSQL), strings.Join(cs.Tables(), ", "))
	fmt.Fprintf(w, "lint: %d findings\n", len(findings))
	for _, f := range findings {
		fmt.Fprintf(w, "  %s\n", f)
	}

	db, err := sql.Open("sqlite", ":memory:") // one connection holds the scratch database
	if err != nil {
		return false, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	dr, err := cs.RunDryRun(ctx, db, base, &schema.DryRunOptions{Now: now, Checksum: schema.SQLiteChecksum})
	if err != nil {
		return false, err
	}
	fmt.Fprintf(w, "dry run on SQLite: %d base statements, %d change statements, %d errors\n", dr.BaseStatements, dr.Statements, len(dr.Errors))
	for _, e := range dr.Errors {
		fmt.Fprintf(w, "  statement %d (line %d): %s\n", e.Index, e.Line, e.Err)
	}
	tables := make([]string, 0, len(cs.Checksums))
	for t := range cs.Checksums {
		tables = append(tables, t)
	}
	slices.Sort(tables)
	for _, t := range tables {
		fmt.Fprintf(w, "  expected checksum %s: %s\n", t, cs.Checksums[t])
	}
	fmt.Fprintf(w, "status: %s\n", cs.Status)
	if c.out != "" {
		if err := cs.WriteFile(c.out); err != nil {
			return false, err
		}
		fmt.Fprintf(w, "record written to %s\n", c.out)
	}
	if c.replay != "" && dr.OK {
		if err := replay(ctx, db, c, w); err != nil {
			return false, err
		}
	}
	return cs.Status == schema.StatusReady, nil
}

func countStatements(s string) int {
	st, _ := schema.Split(s)
	return len(st)
}

// replay runs a query log against the scratch database, which holds the
// changed schema.
func replay(ctx context.Context, db *sql.DB, c *config, w io.Writer) error {
	f, err := os.Open(c.replay)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := schema.Replay(ctx, db, schema.ReadLog(f, schema.LogFormat(c.format)), &schema.ReplayOptions{Workers: c.workers})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "replay of %s: %d queries, %d errors in %d groups\n", c.replay, rep.Queries, rep.Errors, len(rep.Groups))
	for _, g := range rep.Groups {
		fmt.Fprintf(w, "  %4d x  %s\n        %s\n", g.Count, g.Query, g.Message)
	}
	return nil
}
