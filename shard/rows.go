package shard

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// A Table is an application table whose rows belong to objects: Object
// is the column holding the object id, Key the primary key columns.
type Table struct {
	Name   string
	Object string
	Key    []string
}

func (t Table) check() error {
	if err := checkIdent(t.Name); err != nil {
		return fmt.Errorf("shard: table name: %w", err)
	}
	if err := checkIdent(t.Object); err != nil {
		return fmt.Errorf("shard: table %s object column: %w", t.Name, err)
	}
	if len(t.Key) == 0 {
		return fmt.Errorf("shard: table %s: no key columns", t.Name)
	}
	for _, k := range t.Key {
		if err := checkIdent(k); err != nil {
			return fmt.Errorf("shard: table %s key column: %w", t.Name, err)
		}
	}
	return nil
}

// checkIdent accepts SQL identifiers that need no quoting.
func checkIdent(s string) error {
	if s == "" || len(s) > 64 {
		return fmt.Errorf("identifier %s: 1 to 64 bytes", quote(s))
	}
	for i := range len(s) {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return fmt.Errorf("identifier %s: only letters, digits and '_'", quote(s))
		}
	}
	return nil
}

// A row is one table row: its encoded key and the encoded values of all
// columns, with the values as the driver returned them.
type row struct {
	key    string
	sum    [32]byte
	values []any
}

// querier is a *sql.DB, *sql.Tx or *sql.Conn.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// readRows reads the rows of t matching where (with args), in key order,
// failing beyond limit rows. It returns the column names too.
func readRows(ctx context.Context, q querier, t Table, where string, limit int, args ...any) ([]string, []row, error) {
	rows, err := q.QueryContext(ctx, "SELECT * FROM "+t.Name+" WHERE "+where+" ORDER BY "+strings.Join(t.Key, ", "), args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	keyIdx := make([]int, len(t.Key))
	for i, k := range t.Key {
		keyIdx[i] = -1
		for j, c := range cols {
			if strings.EqualFold(c, k) {
				keyIdx[i] = j
			}
		}
		if keyIdx[i] < 0 {
			return nil, nil, fmt.Errorf("table %s has no key column %s", t.Name, k)
		}
	}
	var out []row
	for rows.Next() {
		if len(out) >= limit {
			return nil, nil, fmt.Errorf("table %s: more than %d rows; use a smaller key range", t.Name, limit)
		}
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = append([]byte(nil), b...) // the driver may reuse it
			}
		}
		var kb []byte
		for _, i := range keyIdx {
			kb = appendValue(kb, vals[i])
		}
		var all []byte
		for _, v := range vals {
			all = appendValue(all, v)
		}
		out = append(out, row{key: string(kb), sum: sha256.Sum256(all), values: vals})
	}
	return cols, out, rows.Err()
}

// appendValue appends an unambiguous encoding of a driver value: a type
// tag, then a length-prefixed canonical text.
func appendValue(b []byte, v any) []byte {
	var tag byte
	var s string
	switch x := v.(type) {
	case nil:
		return append(b, 'N')
	case int64:
		tag, s = 'i', strconv.FormatInt(x, 10)
	case uint64:
		tag, s = 'i', strconv.FormatUint(x, 10)
	case float64:
		tag, s = 'f', strconv.FormatUint(math.Float64bits(x), 16)
	case bool:
		tag, s = 'b', strconv.FormatBool(x)
	case []byte:
		tag, s = 's', string(x)
	case string:
		tag, s = 's', x
	case time.Time:
		tag, s = 't', x.UTC().Format(time.RFC3339Nano)
	default:
		tag, s = '?', fmt.Sprint(x)
	}
	b = append(b, tag)
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// keyString renders an encoded key for reports.
func keyString(k string) string {
	var parts []string
	b := []byte(k)
	for len(b) > 0 {
		tag := b[0]
		b = b[1:]
		if tag == 'N' {
			parts = append(parts, "NULL")
			continue
		}
		n, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < n {
			parts = append(parts, "?")
			break
		}
		parts = append(parts, string(b[w:w+int(n)]))
		b = b[w+int(n):]
	}
	return strings.Join(parts, ",")
}

// checksum folds rows (in key order) into one digest.
func checksum(rows []row) [32]byte {
	h := sha256.New()
	for _, r := range rows {
		h.Write([]byte(r.key))
		h.Write(r.sum[:])
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// execer is a *sql.DB, *sql.Tx or *sql.Conn.
type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// replaceRows writes rows into t with REPLACE INTO, in batches.
func replaceRows(ctx context.Context, e execer, t Table, cols []string, rows []row) error {
	const batch = 100
	for len(rows) > 0 {
		n := min(batch, len(rows))
		var q strings.Builder
		q.WriteString("REPLACE INTO " + t.Name + " (" + strings.Join(cols, ", ") + ") VALUES ")
		ph := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
		args := make([]any, 0, n*len(cols))
		for i, r := range rows[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString(ph)
			args = append(args, r.values...)
		}
		if _, err := e.ExecContext(ctx, q.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// deleteRow deletes one row of t by its key values.
func deleteRow(ctx context.Context, e execer, t Table, cols []string, r row) error {
	var where []string
	var args []any
	for _, k := range t.Key {
		for j, c := range cols {
			if strings.EqualFold(c, k) {
				where = append(where, k+" = ?")
				args = append(args, r.values[j])
			}
		}
	}
	_, err := e.ExecContext(ctx, "DELETE FROM "+t.Name+" WHERE "+strings.Join(where, " AND "), args...)
	return err
}
