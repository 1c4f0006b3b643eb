// Command replay-audit replays a captured query log against a MariaDB or
// MySQL test database in strict mode and prints the unique errors by
// error code and normalised query, with counts and throughput: the audit
// to run before turning on STRICT_ALL_TABLES and ONLY_FULL_GROUP_BY in
// production.
//
//	replay-audit -dsn 'audit:pw@unix(/run/mysqld/mysqld.sock)/app_copy' -log general.log -format general -workers 8
//
// The DSN should set the modes under test
// (?sql_mode='STRICT_ALL_TABLES,ONLY_FULL_GROUP_BY'&collation=utf8mb4_general_ci);
// the command first checks that every connection has them (-check=false
// skips that) and never prints the DSN's password. Point it at a copy of
// the data: the replay writes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/craftkit/craftkit/shard"
	"github.com/craftkit/craftkit/shard/mariadb"
	"github.com/craftkit/craftkit/shard/schema"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command without the process: it returns the exit code, 0
// when the replay ran (errors in the replayed queries are its findings),
// 1 when it could not run, 2 for bad flags.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("replay-audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("dsn", "", "test database DSN (driver form; required; its password is never printed)")
	logPath := fs.String("log", "", "captured query log (required)")
	format := fs.String("format", "plain", "log format: plain (one query per line), general or slow")
	workers := fs.Int("workers", 8, fmt.Sprintf("concurrent connections (1-%d)", schema.MaxReplayWorkers))
	check := fs.Bool("check", true, "check first that every connection runs in strict mode with utf8mb4")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: replay-audit -dsn DSN -log FILE [-format plain|general|slow] [-workers N] [-check=false]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	bad := func(msg string, a ...any) int {
		fmt.Fprintf(stderr, "replay-audit: "+msg+"\n", a...)
		fs.Usage()
		return 2
	}
	switch {
	case fs.NArg() > 0:
		return bad("unexpected arguments %q", fs.Args())
	case *dsn == "":
		return bad("-dsn is required")
	case *logPath == "":
		return bad("-log is required")
	case *workers < 1 || *workers > schema.MaxReplayWorkers:
		return bad("-workers %d: want 1 to %d", *workers, schema.MaxReplayWorkers)
	}
	lf := schema.LogFormat(*format)
	if lf != schema.LogPlain && lf != schema.LogGeneral && lf != schema.LogSlow {
		return bad("-format %q: want plain, general or slow", *format)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := audit(ctx, *dsn, *logPath, lf, *workers, *check, stdout); err != nil {
		fmt.Fprintln(stderr, "replay-audit:", err)
		return 1
	}
	return 0
}

func audit(ctx context.Context, dsn, logPath string, format schema.LogFormat, workers int, check bool, w io.Writer) error {
	db, err := mariadb.Open(dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if check {
		rep, err := schema.CheckStrict(ctx, db, nil)
		if err != nil {
			return fmt.Errorf("strict-mode check on %s: %w", shard.RedactDSN(dsn), err)
		}
		if err := rep.Err(); err != nil {
			return fmt.Errorf("%s: %w", shard.RedactDSN(dsn), err)
		}
	}
	f, err := os.Open(logPath)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := schema.Replay(ctx, db, schema.ReadLog(f, format), &schema.ReplayOptions{Workers: workers})
	if rep != nil {
		if werr := rep.WriteReport(w); werr != nil && err == nil {
			return werr
		}
	}
	if err != nil {
		return fmt.Errorf("replay of %s stopped: %w", logPath, err)
	}
	return nil
}
