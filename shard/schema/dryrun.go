package schema

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Querier is what the package needs of a database handle; *sql.DB,
// *sql.Conn and *sql.Tx satisfy it.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

var (
	_ Querier = (*sql.DB)(nil)
	_ Querier = (*sql.Conn)(nil)
	_ Querier = (*sql.Tx)(nil)
)

// Checksummer returns a checksum of a table's definition on a database,
// equal on two databases exactly when the definitions are. [MySQLChecksum]
// and [SQLiteChecksum] are two.
type Checksummer func(ctx context.Context, q Querier, table string) (string, error)

var autoIncOption = regexp.MustCompile(` AUTO_INCREMENT=[0-9]+`)

// MySQLChecksum hashes SHOW CREATE TABLE output (MySQL, MariaDB), without
// the AUTO_INCREMENT counter, which differs between servers holding the
// same definition.
func MySQLChecksum(ctx context.Context, q Querier, table string) (string, error) {
	var name, def string
	if err := q.QueryRowContext(ctx, "SHOW CREATE TABLE "+QuoteIdent(table)).Scan(&name, &def); err != nil {
		return "", fmt.Errorf("schema: SHOW CREATE TABLE %s: %w", table, err)
	}
	return hashString(autoIncOption.ReplaceAllString(def, "")), nil
}

// SQLiteChecksum hashes a SQLite table's CREATE TABLE and CREATE INDEX
// text from sqlite_master (for dry runs and tests on SQLite).
func SQLiteChecksum(ctx context.Context, q Querier, table string) (string, error) {
	rows, err := q.QueryContext(ctx, "SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE tbl_name = ? ORDER BY type DESC, name", table)
	if err != nil {
		return "", fmt.Errorf("schema: reading definition of %s: %w", table, err)
	}
	defer rows.Close()
	var b strings.Builder
	n := 0
	for rows.Next() {
		var typ, name, def string
		if err := rows.Scan(&typ, &name, &def); err != nil {
			return "", fmt.Errorf("schema: reading definition of %s: %w", table, err)
		}
		fmt.Fprintf(&b, "%s %s %s\n", typ, name, def)
		n++
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("schema: reading definition of %s: %w", table, err)
	}
	if n == 0 {
		return "", fmt.Errorf("schema: table %s does not exist", table)
	}
	return hashString(b.String()), nil
}

func hashString(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:16])
}

// QuoteIdent quotes a MySQL identifier with backticks.
func QuoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// DryRunOptions configures [Changeset.RunDryRun]. Nil means the defaults.
type DryRunOptions struct {
	// Now returns the time recorded; nil means time.Now.
	Now func() time.Time
	// Checksum, when set, records the checksum of every table the
	// changeset touches as the changeset's expected checksums (when it
	// has none yet).
	Checksum Checksummer
}

// RunDryRun loads base, the current schema with no data (CREATE TABLE
// statements, e.g. from [DumpSchema]), into scratch, an empty database,
// then applies the changeset's statements in order on the same
// connection. Every failing statement is recorded with its error in
// c.DryRun; the changeset's status becomes failed when any failed, and
// ready when none did and its lint passed. The error return is for
// problems outside the changeset: an unsplittable base script, a
// scratch database that cannot be reached, a cancelled ctx, a checksum
// that cannot be read.
func (c *Changeset) RunDryRun(ctx context.Context, scratch *sql.DB, base string, opts *DryRunOptions) (*DryRun, error) {
	now := time.Now
	var sum Checksummer
	if opts != nil {
		if opts.Now != nil {
			now = opts.Now
		}
		sum = opts.Checksum
	}
	baseStmts, err := Split(base)
	if err != nil {
		return nil, fmt.Errorf("schema: dry run of %q: base schema: %w", c.ID, err)
	}
	changeStmts, err := Split(c.SQL)
	if err != nil {
		return nil, fmt.Errorf("schema: dry run of %q: %w", c.ID, err)
	}
	conn, err := scratch.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("schema: dry run of %q: scratch database: %w", c.ID, err)
	}
	defer conn.Close()
	dr := &DryRun{BaseStatements: len(baseStmts), Statements: len(changeStmts)}
	tables := c.Tables()
	snapshot := func() {
		if sum == nil {
			return
		}
		m := map[string]string{}
		for _, t := range tables {
			// A table not created yet, or dropped, has no checksum.
			if s, err := sum(ctx, conn, t); err == nil {
				m[t] = s
			}
		}
		dr.Checksums = append(dr.Checksums, m)
	}
	run := func(stage string, stmts []Statement) error {
		for i, s := range stmts {
			if _, err := conn.ExecContext(ctx, s.Text); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				dr.Errors = append(dr.Errors, StatementError{Stage: stage, Index: i + 1, Line: s.Line, SQL: s.Text, Err: err.Error()})
			}
			if stage == "change" {
				snapshot()
			}
		}
		return nil
	}
	if err := run("base", baseStmts); err != nil {
		return nil, fmt.Errorf("schema: dry run of %q: %w", c.ID, err)
	}
	if len(dr.Errors) == 0 {
		snapshot()
		if err := run("change", changeStmts); err != nil {
			return nil, fmt.Errorf("schema: dry run of %q: %w", c.ID, err)
		}
	}
	dr.OK = len(dr.Errors) == 0
	dr.At = now().UTC()
	if !dr.OK {
		dr.Checksums = nil
	}
	if dr.OK && sum != nil && len(c.Checksums) == 0 {
		c.Checksums = dr.Checksums[len(dr.Checksums)-1]
	}
	c.DryRun = dr
	switch {
	case !dr.OK:
		c.Status = StatusFailed
	case !c.Linted.IsZero() && !Failed(c.Lint) && c.Status == StatusDraft:
		c.Status = StatusReady
	}
	detail := fmt.Sprintf("%d base and %d change statements, %d errors", dr.BaseStatements, dr.Statements, len(dr.Errors))
	c.AddStep(Step{At: dr.At, Action: "dry-run", State: okOrFailed(dr.OK), Detail: detail})
	return dr, nil
}

// DumpSchema returns the CREATE TABLE statements of every base table in
// the current database of q (MySQL, MariaDB), each ending in ";\n", in
// table-name order: the base for a dry run and the input for a lint of a
// live schema. It reads definitions only, never rows.
func DumpSchema(ctx context.Context, q Querier) (string, error) {
	rows, err := q.QueryContext(ctx, "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name")
	if err != nil {
		return "", fmt.Errorf("schema: listing tables: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return "", fmt.Errorf("schema: listing tables: %w", err)
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("schema: listing tables: %w", err)
	}
	var b strings.Builder
	for _, n := range names {
		var name, def string
		if err := q.QueryRowContext(ctx, "SHOW CREATE TABLE "+QuoteIdent(n)).Scan(&name, &def); err != nil {
			return "", fmt.Errorf("schema: SHOW CREATE TABLE %s: %w", n, err)
		}
		b.WriteString(def)
		b.WriteString(";\n")
	}
	return b.String(), nil
}
