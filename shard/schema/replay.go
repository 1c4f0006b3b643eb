package schema

import (
	"bufio"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"iter"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LogFormat names a captured query log format.
type LogFormat string

// Log formats [ReadLog] reads.
const (
	// LogPlain is one query per line; blank lines and lines starting
	// with "--" or "#" are skipped; a trailing ";" is dropped.
	LogPlain LogFormat = "plain"
	// LogGeneral is the MySQL/MariaDB general query log: "Query" and
	// "Execute" entries are replayed, multi-line queries joined.
	LogGeneral LogFormat = "general"
	// LogSlow is the slow query log: the query after each "# Time" /
	// "# User@Host" header block, without "use db;" and "SET timestamp=".
	LogSlow LogFormat = "slow"
)

// MaxQueryBytes bounds one query read from a log.
const MaxQueryBytes = 1 << 20

// LogError reports a malformed log line.
type LogError struct {
	Line int
	Err  error
}

// Error returns e.g. "schema: query log line 12: query over 1048576 bytes".
func (e *LogError) Error() string { return fmt.Sprintf("schema: query log line %d: %v", e.Line, e.Err) }

// Unwrap returns the cause.
func (e *LogError) Unwrap() error { return e.Err }

// ErrQueryTooLong reports a log query over [MaxQueryBytes].
var ErrQueryTooLong = errors.New("query too long")

// Query is one query read from a log, with the line it started on.
type Query struct {
	SQL  string
	Line int
}

// ReadLog returns the queries of a captured log in order. Iteration
// stops at the first read error, yielded with a *[LogError] naming the line.
func ReadLog(r io.Reader, format LogFormat) iter.Seq2[Query, error] {
	return func(yield func(Query, error) bool) {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), MaxQueryBytes+1)
		var emit func(line int, s string) bool
		var flush func() bool
		switch format {
		case LogPlain:
			emit, flush = plainReader(yield)
		case LogGeneral:
			emit, flush = generalReader(yield)
		case LogSlow:
			emit, flush = slowReader(yield)
		default:
			yield(Query{}, fmt.Errorf("schema: unknown log format %q (want plain, general or slow)", format))
			return
		}
		n := 0
		for sc.Scan() {
			n++
			if !emit(n, sc.Text()) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			if errors.Is(err, bufio.ErrTooLong) {
				err = ErrQueryTooLong
			}
			yield(Query{}, &LogError{Line: n + 1, Err: err})
			return
		}
		flush()
	}
}

func trimQuery(s string) string {
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ";"))
}

func plainReader(yield func(Query, error) bool) (func(int, string) bool, func() bool) {
	emit := func(n int, s string) bool {
		s = trimQuery(s)
		if s == "" || strings.HasPrefix(s, "--") || strings.HasPrefix(s, "#") {
			return true
		}
		return yield(Query{SQL: s, Line: n}, nil)
	}
	return emit, func() bool { return true }
}

// generalEntry matches a general-log entry: optional time (MariaDB
// "241205 12:00:01" or MySQL "2024-12-05T12:00:01.123456Z"), thread id,
// command, argument.
var generalEntry = regexp.MustCompile(`^(?:\d{6}\s+\d{1,2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T\S+)?\s+(\d+)\s+(Query|Execute|Connect|Quit|Init DB|Prepare|Close stmt|Field List|Statistics|Ping|Shutdown|Change user|Reset stmt|Long Data|Set option|Fetch|Daemon|Refresh|Processlist|Kill|Binlog Dump|Register Slave|Debug|Table Dump|Time|Delayed insert|Error|Sleep)(?:\t|\s|$)(.*)$`)

func generalReader(yield func(Query, error) bool) (func(int, string) bool, func() bool) {
	var cur strings.Builder
	curLine := 0
	active := false
	flush := func() bool {
		if !active {
			return true
		}
		active = false
		q := trimQuery(cur.String())
		cur.Reset()
		if q == "" {
			return true
		}
		return yield(Query{SQL: q, Line: curLine}, nil)
	}
	emit := func(n int, s string) bool {
		if m := generalEntry.FindStringSubmatch(s); m != nil {
			if !flush() {
				return false
			}
			if m[2] == "Query" || m[2] == "Execute" {
				active, curLine = true, n
				cur.WriteString(m[3])
			}
			return true
		}
		if active {
			// A continuation line of a multi-line query.
			if cur.Len()+len(s) > MaxQueryBytes {
				return yield(Query{}, &LogError{Line: n, Err: ErrQueryTooLong})
			}
			cur.WriteByte('\n')
			cur.WriteString(s)
		}
		// Otherwise a server banner or header line.
		return true
	}
	return emit, flush
}

func slowReader(yield func(Query, error) bool) (func(int, string) bool, func() bool) {
	var cur strings.Builder
	curLine := 0
	flush := func() bool {
		q := trimQuery(cur.String())
		cur.Reset()
		if q == "" {
			return true
		}
		return yield(Query{SQL: q, Line: curLine}, nil)
	}
	emit := func(n int, s string) bool {
		t := strings.TrimSpace(s)
		switch {
		case strings.HasPrefix(t, "#"):
			// A header line; a new entry's headers end the previous query.
			return flush()
		case t == "" && cur.Len() == 0,
			strings.HasPrefix(strings.ToLower(t), "set timestamp="),
			strings.HasPrefix(strings.ToLower(t), "use ") && strings.HasSuffix(t, ";") && cur.Len() == 0,
			strings.Contains(t, ", Version: ") && strings.Contains(t, "started with:"),
			strings.HasPrefix(t, "Tcp port:"),
			strings.HasPrefix(t, "Time") && strings.Contains(t, "Id Command"):
			return true
		}
		if cur.Len() == 0 {
			curLine = n
		} else {
			cur.WriteByte('\n')
		}
		if cur.Len()+len(s) > MaxQueryBytes {
			return yield(Query{}, &LogError{Line: n, Err: ErrQueryTooLong})
		}
		cur.WriteString(s)
		return true
	}
	return emit, flush
}

// Normalize replaces the literals of a query with "?", collapses lists of
// literals ("IN (1, 2, 3)", "VALUES (1,'a'),(2,'b')") to one "(?+)",
// drops comments and normalises blanks, so queries that differ only in
// their values group together. Text that does not lex (an unterminated
// string) comes back with blanks normalised only.
func Normalize(query string) string {
	toks, err := lex(query)
	if err != nil {
		return strings.Join(strings.Fields(query), " ")
	}
	var b strings.Builder
	prev := token{kind: tkEOF}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tkEOF || t.kind == tkEnd {
			continue
		}
		// A parenthesised list of literals only: (?+).
		if t.kind == tkPunct && t.text == "(" {
			if j, ok := literalList(toks, i); ok {
				// Swallow following ", (literals)" groups too.
				for j+1 < len(toks) && toks[j+1].kind == tkPunct && toks[j+1].text == "," {
					k, ok := literalList(toks, j+2)
					if !ok {
						break
					}
					j = k
				}
				space(&b, prev, t)
				b.WriteString("(?+)")
				prev = token{kind: tkPunct, text: ")"}
				i = j
				continue
			}
		}
		out := t
		switch t.kind {
		case tkString, tkNumber:
			out = token{kind: tkString, text: "?"}
		case tkQuoted:
			out.text = "`" + t.text + "`"
		case tkPunct:
			if (t.text == "-" || t.text == "+") && i+1 < len(toks) && toks[i+1].kind == tkNumber &&
				(prev.kind == tkPunct && prev.text != ")" || prev.kind == tkWord && isOperatorWord(prev.text)) {
				continue // sign of a literal
			}
		}
		space(&b, prev, out)
		b.WriteString(out.text)
		prev = out
	}
	return b.String()
}

func isOperatorWord(w string) bool {
	switch strings.ToUpper(w) {
	case "AND", "OR", "NOT", "IN", "BETWEEN", "LIKE", "IS", "SET", "VALUES", "WHERE", "THEN", "ELSE", "WHEN", "LIMIT", "OFFSET", "SELECT":
		return true
	}
	return false
}

// literalList reports whether toks[i] opens "(lit, lit, ...)" and returns
// the index of its ")".
func literalList(toks []token, i int) (int, bool) {
	if i >= len(toks) || toks[i].kind != tkPunct || toks[i].text != "(" {
		return 0, false
	}
	n := 0
	for j := i + 1; j < len(toks); j++ {
		t := toks[j]
		switch {
		case t.kind == tkString || t.kind == tkNumber || t.kind == tkWord && strings.EqualFold(t.text, "NULL"):
			n++
		case t.kind == tkPunct && (t.text == "," || t.text == "-" || t.text == "+"):
		case t.kind == tkPunct && t.text == ")":
			return j, n > 0
		default:
			return 0, false
		}
	}
	return 0, false
}

func space(b *strings.Builder, prev, t token) {
	if b.Len() == 0 {
		return
	}
	if prev.kind == tkPunct && (prev.text == "(" || prev.text == ".") {
		return
	}
	if t.kind == tkPunct && (t.text == ")" || t.text == "," || t.text == "." || t.text == "(" && prev.kind == tkWord && !isOperatorWord(prev.text)) {
		return
	}
	b.WriteByte(' ')
}

var errorText = regexp.MustCompile(`Error (\d{1,5})(?: \(([0-9A-Z]{5})\))?:`)

// ErrorCode returns the server error number of err: the uint16 Number
// field of a driver error such as go-sql-driver/mysql's *MySQLError
// (found by reflection, so no driver is imported), a Number() method, or
// the "Error 1264 (22003): ..." text such errors print. ok is false when
// err carries no code.
func ErrorCode(err error) (code int, ok bool) {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if n, ok := e.(interface{ Number() uint16 }); ok {
			return int(n.Number()), true
		}
		v := reflect.ValueOf(e)
		if v.Kind() == reflect.Pointer && !v.IsNil() {
			v = v.Elem()
		}
		if v.Kind() == reflect.Struct {
			if f := v.FieldByName("Number"); f.IsValid() && f.CanUint() && f.Type().Kind() == reflect.Uint16 {
				return int(f.Uint()), true
			}
		}
	}
	if m := errorText.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, true
	}
	return 0, false
}

// MaxReplayWorkers is the most concurrent connections [Replay] opens.
const MaxReplayWorkers = 1024

// ReplayOptions configures [Replay]. Nil means the defaults.
type ReplayOptions struct {
	// Workers is the number of concurrent connections, at most
	// [MaxReplayWorkers]; 0 means 8. A negative count is refused.
	Workers int
	// MaxGroups bounds the distinct error groups kept; errors beyond it
	// are counted in ReplayReport.Ungrouped. 0 means 10,000; a negative
	// bound is refused.
	MaxGroups int
	// Now reads the clock for the throughput figure; nil means time.Now.
	Now func() time.Time
}

// ErrorGroup is one unique error: a code and a normalised query.
type ErrorGroup struct {
	Code int `json:"code"` // 0 when the error carried none
	// Query is the normalised query ([Normalize]).
	Query string `json:"query"`
	Count int    `json:"count"`
	// Message is the first error's text; Example the first raw query and
	// Line its log line.
	Message string `json:"message"`
	Example string `json:"example"`
	Line    int    `json:"line"`
}

// ReplayReport summarises a replay.
type ReplayReport struct {
	Queries   int           `json:"queries"`
	Errors    int           `json:"errors"`
	Elapsed   time.Duration `json:"elapsed"`
	PerSecond float64       `json:"per_second"`
	// Groups are the unique errors, most frequent first.
	Groups    []ErrorGroup `json:"groups"`
	Ungrouped int          `json:"ungrouped,omitempty"`
}

// Replay runs queries against db with several workers, each query once,
// and groups the errors by error code and normalised query. Use it to
// find what a strict-mode server rejects in captured production traffic:
// point db at a test copy whose DSN sets the strict sql_mode. A log read
// error or a cancelled ctx stops the replay and is returned with the
// report so far.
func Replay(ctx context.Context, db *sql.DB, queries iter.Seq2[Query, error], opts *ReplayOptions) (*ReplayReport, error) {
	workers, maxGroups, now := 8, 10000, time.Now
	if opts != nil {
		if opts.Workers < 0 || opts.Workers > MaxReplayWorkers {
			return nil, fmt.Errorf("schema: Replay: Workers = %d, want 0 (the default, 8) to %d", opts.Workers, MaxReplayWorkers)
		}
		if opts.MaxGroups < 0 {
			return nil, fmt.Errorf("schema: Replay: MaxGroups = %d, want 0 (the default, 10,000) or more", opts.MaxGroups)
		}
		if opts.Workers > 0 {
			workers = opts.Workers
		}
		if opts.MaxGroups > 0 {
			maxGroups = opts.MaxGroups
		}
		if opts.Now != nil {
			now = opts.Now
		}
	}
	type gkey struct {
		code  int
		query string
	}
	var (
		mu     sync.Mutex
		groups = map[gkey]*ErrorGroup{}
		rep    = &ReplayReport{}
	)
	record := func(q Query, err error) {
		code, _ := ErrorCode(err)
		k := gkey{code, Normalize(q.SQL)}
		mu.Lock()
		defer mu.Unlock()
		rep.Errors++
		if g := groups[k]; g != nil {
			g.Count++
			return
		}
		if len(groups) >= maxGroups {
			rep.Ungrouped++
			return
		}
		ex := q.SQL
		if len(ex) > 1000 {
			ex = ex[:1000] + "..."
		}
		groups[k] = &ErrorGroup{Code: code, Query: k.query, Count: 1, Message: err.Error(), Example: ex, Line: q.Line}
	}
	ch := make(chan Query, workers*4)
	var wg sync.WaitGroup
	start := now()
	for range workers {
		wg.Go(func() {
			for q := range ch {
				if _, err := db.ExecContext(ctx, q.SQL); err != nil && ctx.Err() == nil {
					record(q, err)
				}
			}
		})
	}
	var readErr error
	n := 0
	for q, err := range queries {
		if err != nil {
			readErr = err
			break
		}
		select {
		case ch <- q:
			n++
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(ch)
	wg.Wait()
	rep.Queries = n
	rep.Elapsed = now().Sub(start)
	if rep.Elapsed > 0 {
		rep.PerSecond = float64(n) / rep.Elapsed.Seconds()
	}
	for _, g := range groups {
		rep.Groups = append(rep.Groups, *g)
	}
	slices.SortFunc(rep.Groups, func(a, b ErrorGroup) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		return strings.Compare(a.Query, b.Query)
	})
	if readErr != nil {
		return rep, readErr
	}
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("schema: replay stopped after %d queries: %w", n, err)
	}
	return rep, nil
}

// WriteReport prints a replay report as text: totals, then one line per
// error group.
func (r *ReplayReport) WriteReport(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d queries in %v (%.0f/s), %d errors in %d groups\n", r.Queries, r.Elapsed.Round(time.Millisecond), r.PerSecond, r.Errors, len(r.Groups))
	for _, g := range r.Groups {
		fmt.Fprintf(bw, "%6d  error %-5d %s\n        e.g. line %d: %s\n", g.Count, g.Code, g.Query, g.Line, firstLine(g.Message))
	}
	if r.Ungrouped > 0 {
		fmt.Fprintf(bw, "%6d  more errors beyond the group limit\n", r.Ungrouped)
	}
	return bw.Flush()
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
