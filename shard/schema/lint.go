package schema

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Rule names. A [Finding] carries one of these in Rule; [Options] enables
// and disables rules by these names.
const (
	// RuleParse reports text the lint cannot read: a syntax error, an
	// unsupported statement, or input over [Options].MaxBytes. It cannot
	// be disabled: what the lint cannot read it cannot pass.
	RuleParse = "parse"
	// RuleUnchecked reports a recognised statement outside the checked
	// subset (CREATE VIEW, CREATE TRIGGER, routines, events).
	RuleUnchecked = "unchecked"
	// RuleEngine requires ENGINE=InnoDB where an engine is named.
	RuleEngine = "engine"
	// RuleCharset requires utf8mb4 for tables, text columns and the
	// connection (SET NAMES), and an explicit table charset.
	RuleCharset = "charset"
	// RulePrimaryKey requires a primary key on every created table.
	RulePrimaryKey = "primary-key"
	// RuleIDType requires every id column (see [Options].IsID) and every
	// foreign-key column, on either end, to be BIGINT UNSIGNED.
	RuleIDType = "id-type"
	// RuleFKType requires a foreign-key column's type to equal the
	// referenced column's (base type, signedness, length, charset).
	RuleFKType = "fk-type"
	// RuleGenerated forbids values the database generates:
	// AUTO_INCREMENT, SERIAL, DEFAULT/ON UPDATE CURRENT_TIMESTAMP and
	// NOW(), RAND(), UUID(), SYSDATE() and similar functions, except in the
	// tables of [Options].AllowGenerated.
	RuleGenerated = "generated"
	// RuleIndexLength flags key parts longer than [Options].MaxIndexBytes
	// (767: 191 utf8mb4 characters) and suggests a hash column.
	RuleIndexLength = "index-length"
	// RuleUnsignedCounter warns about UNSIGNED integer counters (see
	// [Options].IsCounter) outside keys: `c = c + VALUES(c)` with a
	// negative delta fails on them.
	RuleUnsignedCounter = "unsigned-counter"
	// RuleTemporal, off by default, forbids DATE, TIME, DATETIME,
	// TIMESTAMP and YEAR columns (store Unix times in BIGINT instead).
	RuleTemporal = "temporal"
)

// Rules lists every rule name, in the order findings of one table are reported.
var Rules = []string{RuleParse, RuleUnchecked, RuleEngine, RuleCharset, RulePrimaryKey, RuleIDType,
	RuleFKType, RuleGenerated, RuleIndexLength, RuleUnsignedCounter, RuleTemporal}

// defaultOff are the optional rules.
var defaultOff = map[string]bool{RuleTemporal: true}

// Severity says whether a finding fails a gate.
type Severity uint8

const (
	// Error fails a gate ([Failed]). It is the zero Severity.
	Error Severity = iota
	// Warning is reported but does not fail a gate.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = Error
	case "warning":
		*s = Warning
	default:
		return fmt.Errorf("schema: unknown severity %q", b)
	}
	return nil
}

// Finding is one problem the lint found.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Table    string   `json:"table,omitempty"`
	Column   string   `json:"column,omitempty"`
	// Line is the 1-based line of the statement (for RuleParse: of the
	// offending token).
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// String formats f as "line 3: error id-type: users.id: ...".
func (f Finding) String() string {
	where := f.Table
	if f.Column != "" {
		where += "." + f.Column
	}
	if where != "" {
		where += ": "
	}
	return fmt.Sprintf("line %d: %s %s: %s%s", f.Line, f.Severity, f.Rule, where, f.Message)
}

// Failed reports whether any finding is an [Error]: the CI gate.
func Failed(findings []Finding) bool {
	for _, f := range findings {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// DefaultMaxBytes is the input bound used when [Options].MaxBytes is 0.
const DefaultMaxBytes = 16 << 20

// DefaultTicketTables are the tables allowed database-generated values
// when [Options].AllowGenerated is nil: the ticket servers' own tables
// (Flickr's REPLACE INTO Tickets64 ... LAST_INSERT_ID() scheme needs
// AUTO_INCREMENT).
var DefaultTicketTables = []string{"Tickets64", "Tickets32"}

// Options configures [Lint]. A nil *Options and zero fields mean the defaults.
type Options struct {
	// Disable turns rules off by name; RuleParse cannot be turned off.
	Disable []string
	// Enable turns optional rules on (RuleTemporal).
	Enable []string
	// Severity overrides the severity of rules by name.
	Severity map[string]Severity
	// AllowGenerated names tables (case-insensitive) that may use
	// database-generated values. Nil means [DefaultTicketTables]; an
	// empty non-nil slice allows none.
	AllowGenerated []string
	// MaxIndexBytes is the longest key part allowed, in bytes; 0 means
	// 767, the InnoDB COMPACT/REDUNDANT row-format limit (191 utf8mb4
	// characters).
	MaxIndexBytes int
	// IsID reports whether a column name is an id; nil means [IsID].
	IsID func(column string) bool
	// IsCounter reports whether a column name is a counter; nil means
	// [IsCounter].
	IsCounter func(column string) bool
	// MaxBytes bounds the input size; 0 means [DefaultMaxBytes]. Larger
	// input yields one RuleParse finding.
	MaxBytes int
}

// IsID is the default id-column test: "id", names ending in "_id", and
// camelCase names ending in "Id" or "ID" ("userId").
func IsID(column string) bool {
	l := strings.ToLower(column)
	if l == "id" || strings.HasSuffix(l, "_id") {
		return true
	}
	n := len(column)
	return n > 2 && (column[n-2:] == "Id" || column[n-2:] == "ID") && unicode.IsLower(rune(column[n-3]))
}

// counterWords are the name parts [IsCounter] looks for.
var counterWords = []string{"count", "counter", "hits", "views", "clicks", "total", "num", "qty", "quantity",
	"balance", "score", "votes", "likes", "favorites", "favorers", "stock", "inventory", "credits", "points",
	"visits", "sales", "plays", "downloads", "followers", "shares", "reviews"}

// IsCounter is the default counter-column test: a name holding one of
// count, counter, hits, views, clicks, total, num, qty, quantity,
// balance, score, votes, likes, favorites, stock, inventory, credits,
// points, visits, sales, plays, downloads, followers, shares, reviews
// as a word ("view_count", "num_sales", "hits") or camelCase part.
func IsCounter(column string) bool {
	var words []string
	start := 0
	for i := 1; i <= len(column); i++ {
		if i == len(column) || column[i] == '_' || column[i] >= 'A' && column[i] <= 'Z' && column[i-1] >= 'a' && column[i-1] <= 'z' {
			if w := strings.Trim(column[start:i], "_"); w != "" {
				words = append(words, strings.ToLower(w))
			}
			start = i
		}
	}
	for _, w := range words {
		if slices.Contains(counterWords, w) {
			return true
		}
	}
	return false
}

// linter holds one Lint call's resolved options.
type linter struct {
	on       map[string]bool
	sev      map[string]Severity
	allowGen map[string]bool
	maxIdx   int
	isID     func(string) bool
	isCount  func(string) bool
	m        *model
	refCols  map[string]map[string]bool // table -> columns other tables reference
	out      []Finding
}

// Lint checks the CREATE TABLE / ALTER TABLE statements in ddl, in order,
// and returns the findings sorted by line. Statements that change no
// table (SET, INSERT, LOCK TABLES, DROP ...) are read and skipped; a
// statement it cannot read yields a RuleParse finding and the lint goes
// on with the next one. Tables are checked in their final state, so an
// ALTER later in the text can fix a CREATE; a table the text only alters
// is checked for what the text sets. Lint never panics; its work is
// linear in len(ddl). opts may be nil.
func Lint(ddl string, opts *Options) []Finding {
	l := newLinter(opts)
	max := DefaultMaxBytes
	if opts != nil && opts.MaxBytes > 0 {
		max = opts.MaxBytes
	}
	if len(ddl) > max {
		return []Finding{{Rule: RuleParse, Line: 1,
			Message: fmt.Sprintf("input is %d bytes, over the limit of %d; nothing was checked", len(ddl), max)}}
	}
	l.m = read(ddl)
	for _, n := range l.m.notes {
		l.add(n)
	}
	for _, c := range l.m.conn {
		if c.charset != "utf8mb4" && c.charset != "binary" {
			l.add(Finding{Rule: RuleCharset, Line: c.line,
				Message: fmt.Sprintf("connection character set %s; use utf8mb4 (SET NAMES utf8mb4, or charset=utf8mb4 in the DSN)", c.charset)})
		}
	}
	l.refCols = referencedColumns(l.m)
	for _, t := range l.m.live() {
		l.table(t)
	}
	slices.SortStableFunc(l.out, func(a, b Finding) int { return cmp.Compare(a.Line, b.Line) })
	return l.out
}

func newLinter(opts *Options) *linter {
	if opts == nil {
		opts = &Options{}
	}
	l := &linter{on: map[string]bool{}, sev: map[string]Severity{}, allowGen: map[string]bool{},
		maxIdx: 767, isID: IsID, isCount: IsCounter}
	for _, r := range Rules {
		l.on[r] = !defaultOff[r]
	}
	l.sev[RuleUnchecked] = Warning
	l.sev[RuleUnsignedCounter] = Warning
	for _, r := range opts.Enable {
		l.on[r] = true
	}
	for _, r := range opts.Disable {
		l.on[r] = false
	}
	l.on[RuleParse] = true
	for r, s := range opts.Severity {
		l.sev[r] = s
	}
	allow := opts.AllowGenerated
	if allow == nil {
		allow = DefaultTicketTables
	}
	for _, t := range allow {
		l.allowGen[key(t)] = true
	}
	if opts.MaxIndexBytes > 0 {
		l.maxIdx = opts.MaxIndexBytes
	}
	if opts.IsID != nil {
		l.isID = opts.IsID
	}
	if opts.IsCounter != nil {
		l.isCount = opts.IsCounter
	}
	return l
}

func (l *linter) add(f Finding) {
	if !l.on[f.Rule] {
		return
	}
	f.Severity = l.sev[f.Rule]
	l.out = append(l.out, f)
}

func (l *linter) table(t *table) {
	if t.engine != "" && !strings.EqualFold(t.engine, "InnoDB") {
		l.add(Finding{Rule: RuleEngine, Table: t.name, Line: t.engineLine,
			Message: fmt.Sprintf("ENGINE=%s; use InnoDB (transactions, crash safety, row locks)", t.engine)})
	}
	l.charset(t)
	if t.created && t.primary() == nil {
		l.add(Finding{Rule: RulePrimaryKey, Table: t.name, Line: t.line, Message: "no primary key"})
	}
	fkCol := l.foreignKeyColumns(t)
	indexed := t.indexedColumns()
	for _, c := range t.columns {
		if c.typ == "" {
			continue // only a DEFAULT was altered
		}
		l.column(t, c, fkCol[key(c.name)], indexed[key(c.name)])
	}
	l.foreignKeys(t)
	l.indexLengths(t)
}

func (l *linter) charset(t *table) {
	switch {
	case t.created && t.charset == "":
		l.add(Finding{Rule: RuleCharset, Table: t.name, Line: t.line,
			Message: "no DEFAULT CHARSET; the server default applies (latin1 on many servers); add DEFAULT CHARSET=utf8mb4"})
	case t.charset != "" && t.charset != "utf8mb4":
		l.add(Finding{Rule: RuleCharset, Table: t.name, Line: t.charsetLine,
			Message: fmt.Sprintf("table charset %s; use utf8mb4 (%s cannot store every character)", t.charset, t.charset)})
	}
	for _, c := range t.columns {
		if isText(c) && c.charset != "" && c.charset != "utf8mb4" && c.charset != "binary" {
			l.add(Finding{Rule: RuleCharset, Table: t.name, Column: c.name, Line: c.line,
				Message: fmt.Sprintf("column charset %s; use utf8mb4", c.charset)})
		}
	}
}

// referencedColumns returns, per table, the columns foreign keys point at.
func referencedColumns(m *model) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, t := range m.live() {
		for _, fk := range t.fks {
			cols := out[key(fk.refTable)]
			if cols == nil {
				cols = map[string]bool{}
				out[key(fk.refTable)] = cols
			}
			for _, c := range fk.refCols {
				cols[key(c)] = true
			}
		}
	}
	return out
}

// foreignKeyColumns returns the columns of t on either end of a foreign key.
func (l *linter) foreignKeyColumns(t *table) map[string]bool {
	cols := map[string]bool{}
	for _, fk := range t.fks {
		for _, c := range fk.cols {
			cols[key(c)] = true
		}
	}
	for c := range l.refCols[key(t.name)] {
		cols[c] = true
	}
	return cols
}

var intTypes = map[string]bool{"TINYINT": true, "SMALLINT": true, "MEDIUMINT": true, "INT": true, "BIGINT": true}

var temporalTypes = map[string]bool{"DATE": true, "TIME": true, "DATETIME": true, "TIMESTAMP": true, "YEAR": true}

func (l *linter) column(t *table, c *column, fk, indexed bool) {
	isID := l.isID(c.name)
	if (isID || fk) && (c.typ != "BIGINT" || !c.unsigned) {
		why := "id column"
		if fk && !isID {
			why = "foreign-key column"
		}
		l.add(Finding{Rule: RuleIDType, Table: t.name, Column: c.name, Line: c.line,
			Message: fmt.Sprintf("%s is %s; ids must be BIGINT UNSIGNED (64-bit ticket ids; 32-bit columns clamp at 2147483647)", why, typeString(c))})
	}
	if len(c.generated) > 0 && !l.allowGen[key(t.name)] {
		l.add(Finding{Rule: RuleGenerated, Table: t.name, Column: c.name, Line: c.line,
			Message: fmt.Sprintf("%s: the database must not generate values (sides would diverge); set it in the application", strings.Join(c.generated, ", "))})
	}
	if intTypes[c.typ] && c.unsigned && !isID && !fk && !indexed && l.isCount(c.name) {
		l.add(Finding{Rule: RuleUnsignedCounter, Table: t.name, Column: c.name, Line: c.line,
			Message: fmt.Sprintf("%s outside any key: `%s = %s + VALUES(%s)` with a negative delta fails (error 1690); use signed BIGINT for counters", typeString(c), c.name, c.name, c.name)})
	}
	if temporalTypes[c.typ] {
		l.add(Finding{Rule: RuleTemporal, Table: t.name, Column: c.name, Line: c.line,
			Message: fmt.Sprintf("%s column; store Unix times in BIGINT", c.typ)})
	}
}

// typeString renders a column type as "INT(11) UNSIGNED".
func typeString(c *column) string {
	s := c.typ
	if len(c.args) > 0 {
		s += "(" + strings.Join(c.args, ",") + ")"
	}
	if c.unsigned {
		s += " UNSIGNED"
	}
	return s
}

func (l *linter) foreignKeys(t *table) {
	for _, fk := range t.fks {
		ref := l.m.table(fk.refTable)
		for i, cn := range fk.cols {
			c := t.column(cn)
			if c == nil {
				if t.created {
					l.add(Finding{Rule: RuleFKType, Table: t.name, Column: cn, Line: fk.line,
						Message: "foreign key on a column the table does not have"})
				}
				continue
			}
			if ref == nil || i >= len(fk.refCols) {
				continue // referenced table not in this text
			}
			rc := ref.column(fk.refCols[i])
			if rc == nil {
				if ref.created {
					l.add(Finding{Rule: RuleFKType, Table: t.name, Column: cn, Line: fk.line,
						Message: fmt.Sprintf("references %s.%s, which does not exist", ref.name, fk.refCols[i])})
				}
				continue
			}
			if a, b := fkSignature(t, c), fkSignature(ref, rc); a != b {
				l.add(Finding{Rule: RuleFKType, Table: t.name, Column: cn, Line: fk.line,
					Message: fmt.Sprintf("type %s differs from the referenced %s.%s %s", a, ref.name, rc.name, b)})
			}
		}
	}
}

// fkSignature is what must match between a foreign key and its target:
// base type, signedness, and for text its length and charset. Integer
// display widths do not matter.
func fkSignature(t *table, c *column) string {
	s := c.typ
	if !intTypes[c.typ] && len(c.args) > 0 {
		s += "(" + strings.Join(c.args, ",") + ")"
	}
	if c.unsigned {
		s += " UNSIGNED"
	}
	if isText(c) {
		cs := c.charset
		if cs == "" {
			cs = t.charset
		}
		if cs != "" {
			s += " CHARSET " + cs
		}
	}
	return s
}

// bytesPerChar is the maximum bytes per character of a charset.
func bytesPerChar(cs string) int {
	switch cs {
	case "latin1", "ascii", "binary", "latin2", "cp1250", "cp1251", "cp1252", "greek", "hebrew", "":
		if cs == "" {
			return 4 // unknown: assume utf8mb4
		}
		return 1
	case "utf8", "utf8mb3":
		return 3
	case "ucs2":
		return 2
	}
	return 4
}

func (l *linter) indexLengths(t *table) {
	for _, ix := range t.indexes {
		if ix.kind == idxFulltext || ix.kind == idxSpatial {
			continue
		}
		for _, p := range ix.parts {
			if p.expr {
				continue
			}
			c := t.column(p.column)
			if c == nil || c.typ == "" {
				continue
			}
			chars := p.length
			if chars == 0 && (c.typ == "VARCHAR" || c.typ == "CHAR" || c.typ == "VARBINARY" || c.typ == "BINARY") && len(c.args) > 0 {
				chars, _ = strconv.Atoi(c.args[0])
			}
			if chars == 0 {
				continue
			}
			bpc := 1
			if isText(c) {
				cs := c.charset
				if cs == "" {
					cs = t.charset
				}
				bpc = bytesPerChar(cs)
			}
			if chars*bpc <= l.maxIdx {
				continue
			}
			name := ix.name
			if ix.kind == idxPrimary {
				name = "PRIMARY"
			}
			l.add(Finding{Rule: RuleIndexLength, Table: t.name, Column: c.name, Line: ix.line,
				Message: fmt.Sprintf("key %s covers %d characters of %s (%d bytes, over %d); index a hash instead: add `%s_hash BINARY(20)` holding SHA1(%s), set by the application, and key on it (or index a prefix of at most %d characters)",
					name, chars, typeString(c), chars*bpc, l.maxIdx, c.name, c.name, l.maxIdx/bpc)})
		}
	}
}
