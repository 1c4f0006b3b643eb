package schema

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// RequiredModes are the sql_mode flags every connection must run with:
// errors instead of silent truncation for every table, and GROUP BY that
// names every selected column.
var RequiredModes = []string{"STRICT_ALL_TABLES", "ONLY_FULL_GROUP_BY"}

// ExtraModes are required when [StrictOptions].Extra is set.
var ExtraModes = []string{"NO_ZERO_IN_DATE", "NO_ZERO_DATE", "NO_ENGINE_SUBSTITUTION"}

// ErrNotStrict reports connections missing required SQL modes or utf8mb4.
var ErrNotStrict = errors.New("schema: connection not strict")

// StrictOptions configures [CheckStrict]. Nil means the defaults.
type StrictOptions struct {
	// Extra also requires [ExtraModes].
	Extra bool
	// Connections is how many distinct pooled connections to open and
	// check at once (settings made in the DSN show on every one; a
	// setting made by one session's SET does not); 0 means 3.
	Connections int
}

// StrictReport is what [CheckStrict] saw on each connection.
type StrictReport struct {
	// SQLMode is the session sql_mode of each checked connection.
	SQLMode []string
	// Missing lists the required modes absent on at least one connection.
	Missing []string
	// Charsets lists "variable=value" for character_set_client,
	// _connection and _results settings that are not utf8mb4.
	Charsets []string
}

// OK reports whether nothing is missing.
func (r *StrictReport) OK() bool { return len(r.Missing) == 0 && len(r.Charsets) == 0 }

// Err returns nil when r is OK, else an error wrapping [ErrNotStrict]
// naming what is missing and how to fix it.
func (r *StrictReport) Err() error {
	if r.OK() {
		return nil
	}
	var parts []string
	if len(r.Missing) > 0 {
		parts = append(parts, "sql_mode lacks "+strings.Join(r.Missing, ","))
	}
	if len(r.Charsets) > 0 {
		parts = append(parts, "not utf8mb4: "+strings.Join(r.Charsets, ", "))
	}
	return fmt.Errorf("%w: %s (set sql_mode and charset=utf8mb4 in the DSN so every connection gets them)", ErrNotStrict, strings.Join(parts, "; "))
}

// CheckStrict is a start-up self-check: it holds several connections of
// db at once and reads each one's session sql_mode and connection
// character sets. The error return is for a failed query; a database
// that is reachable but lax gives a report whose Err is non-nil.
func CheckStrict(ctx context.Context, db *sql.DB, opts *StrictOptions) (*StrictReport, error) {
	n, want := 3, slices.Clone(RequiredModes)
	if opts != nil {
		if opts.Connections > 0 {
			n = opts.Connections
		}
		if opts.Extra {
			want = append(want, ExtraModes...)
		}
	}
	r := &StrictReport{}
	var conns []*sql.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	missing := map[string]bool{}
	bad := map[string]bool{}
	for range n {
		c, err := db.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("schema: strict check: %w", err)
		}
		conns = append(conns, c)
		var mode string
		var client, conn, results sql.NullString
		err = c.QueryRowContext(ctx, "SELECT @@SESSION.sql_mode, @@SESSION.character_set_client, @@SESSION.character_set_connection, @@SESSION.character_set_results").
			Scan(&mode, &client, &conn, &results)
		if err != nil {
			return nil, fmt.Errorf("schema: strict check: %w", err)
		}
		r.SQLMode = append(r.SQLMode, mode)
		have := strings.Split(strings.ToUpper(mode), ",")
		for _, m := range want {
			if !slices.Contains(have, m) && !missing[m] {
				missing[m] = true
				r.Missing = append(r.Missing, m)
			}
		}
		for _, v := range []struct {
			name string
			val  sql.NullString
		}{{"character_set_client", client}, {"character_set_connection", conn}, {"character_set_results", results}} {
			if v.name == "character_set_results" && !v.val.Valid {
				continue // NULL: results are sent unconverted
			}
			if s := v.name + "=" + v.val.String; v.val.String != "utf8mb4" && !bad[s] {
				bad[s] = true
				r.Charsets = append(r.Charsets, s)
			}
		}
	}
	return r, nil
}
