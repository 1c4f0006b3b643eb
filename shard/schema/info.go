package schema

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// Info is a live schema as information_schema describes it: the input of
// [ConvertUTF8MB4], [NarrowIDs] and [ClampAudit]. [LoadInfo] reads it;
// tests can build one by hand.
type Info struct {
	// MariaDB is set for MariaDB servers, whose COLUMN_DEFAULT is an SQL
	// expression (strings quoted) where MySQL's is the raw value.
	MariaDB bool
	Tables  []TableInfo
	Columns []ColumnInfo
	Indexes []IndexColumn
}

// TableInfo is a row of information_schema.TABLES.
type TableInfo struct {
	Table     string
	Engine    string
	Collation string // TABLE_COLLATION, e.g. "latin1_swedish_ci"
}

// ColumnInfo is a row of information_schema.COLUMNS.
type ColumnInfo struct {
	Table      string
	Column     string
	DataType   string // DATA_TYPE, e.g. "varchar"
	ColumnType string // COLUMN_TYPE, e.g. "varchar(255)", "int(10) unsigned"
	// CharLength is CHARACTER_MAXIMUM_LENGTH (0 for non-text columns).
	CharLength int64
	Charset    string // CHARACTER_SET_NAME, "" for non-text columns
	Collation  string
	Nullable   bool
	Default    sql.NullString // COLUMN_DEFAULT
	Extra      string
	Comment    string
}

// IndexColumn is a row of information_schema.STATISTICS.
type IndexColumn struct {
	Table     string
	Index     string
	Column    string
	SubPart   int64  // prefix length in characters, 0 for the whole column
	IndexType string // "BTREE", "FULLTEXT", ...
}

// LoadInfo reads the tables, columns and indexes of the current database
// (DATABASE()) of a MySQL or MariaDB server. It reads definitions, no rows.
func LoadInfo(ctx context.Context, q Querier) (*Info, error) {
	info := &Info{}
	var version string
	if err := q.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		return nil, fmt.Errorf("schema: reading server version: %w", err)
	}
	info.MariaDB = strings.Contains(strings.ToLower(version), "mariadb")
	err := scanRows(ctx, q, "SELECT table_name, COALESCE(engine, ''), COALESCE(table_collation, '') FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name",
		func(rows *sql.Rows) error {
			var t TableInfo
			err := rows.Scan(&t.Table, &t.Engine, &t.Collation)
			info.Tables = append(info.Tables, t)
			return err
		})
	if err != nil {
		return nil, err
	}
	err = scanRows(ctx, q, `SELECT table_name, column_name, data_type, column_type, COALESCE(character_maximum_length, 0),
		COALESCE(character_set_name, ''), COALESCE(collation_name, ''), is_nullable = 'YES', column_default, extra, column_comment
		FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position`,
		func(rows *sql.Rows) error {
			var c ColumnInfo
			err := rows.Scan(&c.Table, &c.Column, &c.DataType, &c.ColumnType, &c.CharLength, &c.Charset, &c.Collation,
				&c.Nullable, &c.Default, &c.Extra, &c.Comment)
			info.Columns = append(info.Columns, c)
			return err
		})
	if err != nil {
		return nil, err
	}
	err = scanRows(ctx, q, `SELECT table_name, index_name, column_name, COALESCE(sub_part, 0), index_type
		FROM information_schema.statistics WHERE table_schema = DATABASE() ORDER BY table_name, index_name, seq_in_index`,
		func(rows *sql.Rows) error {
			var ix IndexColumn
			err := rows.Scan(&ix.Table, &ix.Index, &ix.Column, &ix.SubPart, &ix.IndexType)
			info.Indexes = append(info.Indexes, ix)
			return err
		})
	if err != nil {
		return nil, err
	}
	return info, nil
}

func scanRows(ctx context.Context, q Querier, query string, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return fmt.Errorf("schema: reading information_schema: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("schema: reading information_schema: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("schema: reading information_schema: %w", err)
	}
	return nil
}

// ConvertOptions configures [ConvertUTF8MB4]. Nil means the defaults.
type ConvertOptions struct {
	// Collation is the utf8mb4 collation to convert to; "" means
	// "utf8mb4_unicode_ci" (on MySQL 8 and MariaDB 10.x alike).
	Collation string
	// MaxKeyChars is the longest key part, in characters, that may be
	// converted; 0 means 191 (767 bytes / 4).
	MaxKeyChars int
}

// Conversion is the plan [ConvertUTF8MB4] makes.
type Conversion struct {
	// Statements are ALTER TABLE statements, one per table, in table order.
	Statements []string
	// Skipped are the columns left unconverted.
	Skipped []SkippedColumn
}

// SkippedColumn is a column [ConvertUTF8MB4] did not convert, and why.
type SkippedColumn struct {
	Table, Column, Index string
	// KeyChars is the length of the key part that is too long.
	KeyChars int64
	Reason   string
}

// ConvertUTF8MB4 plans the conversion of a live schema to utf8mb4: for
// each table whose default charset or text columns are not utf8mb4, one
// ALTER TABLE. A column indexed with a key part longer than MaxKeyChars
// (191) characters cannot be converted in place under the 767-byte limit;
// it is skipped and reported, and its table gets a new default charset
// and MODIFY clauses for its other columns instead of CONVERT TO. MODIFY
// keeps type, nullability, default and comment, and widens TEXT types one
// step (as CONVERT TO does) so no value is truncated.
func ConvertUTF8MB4(info *Info, opts *ConvertOptions) *Conversion {
	coll, maxKey := "utf8mb4_unicode_ci", int64(191)
	if opts != nil {
		if opts.Collation != "" {
			coll = opts.Collation
		}
		if opts.MaxKeyChars > 0 {
			maxKey = int64(opts.MaxKeyChars)
		}
	}
	out := &Conversion{}
	cols := map[string][]ColumnInfo{}
	for _, c := range info.Columns {
		cols[key(c.Table)] = append(cols[key(c.Table)], c)
	}
	// longKey[table][column] = the first index with a too-long key part on it.
	type longPart struct {
		index string
		chars int64
	}
	longKey := map[string]map[string]longPart{}
	colByName := map[string]ColumnInfo{}
	for _, c := range info.Columns {
		colByName[key(c.Table)+"."+key(c.Column)] = c
	}
	for _, ix := range info.Indexes {
		if strings.EqualFold(ix.IndexType, "FULLTEXT") || strings.EqualFold(ix.IndexType, "SPATIAL") {
			continue
		}
		c, ok := colByName[key(ix.Table)+"."+key(ix.Column)]
		if !ok || c.Charset == "" {
			continue
		}
		n := ix.SubPart
		if n == 0 {
			n = c.CharLength
		}
		if n > maxKey {
			m := longKey[key(ix.Table)]
			if m == nil {
				m = map[string]longPart{}
				longKey[key(ix.Table)] = m
			}
			if _, seen := m[key(ix.Column)]; !seen {
				m[key(ix.Column)] = longPart{ix.Index, n}
			}
		}
	}
	tables := slices.Clone(info.Tables)
	slices.SortFunc(tables, func(a, b TableInfo) int { return cmp.Compare(a.Table, b.Table) })
	for _, t := range tables {
		var convert []ColumnInfo
		var skipped []SkippedColumn
		for _, c := range cols[key(t.Table)] {
			if c.Charset == "" || c.Charset == "utf8mb4" || c.Charset == "binary" {
				continue
			}
			if lp, ok := longKey[key(t.Table)][key(c.Column)]; ok {
				skipped = append(skipped, SkippedColumn{Table: t.Table, Column: c.Column, Index: lp.index, KeyChars: lp.chars,
					Reason: fmt.Sprintf("key %s covers %d characters, over %d; key a hash column or a shorter prefix, then convert", lp.index, lp.chars, maxKey)})
				continue
			}
			convert = append(convert, c)
		}
		tableOK := charsetOf(t.Collation) == "utf8mb4"
		out.Skipped = append(out.Skipped, skipped...)
		if tableOK && len(convert) == 0 {
			continue
		}
		if len(skipped) == 0 {
			out.Statements = append(out.Statements, fmt.Sprintf("ALTER TABLE %s CONVERT TO CHARACTER SET utf8mb4 COLLATE %s", QuoteIdent(t.Table), coll))
			continue
		}
		clauses := []string{"DEFAULT CHARACTER SET utf8mb4 COLLATE " + coll}
		for _, c := range convert {
			clauses = append(clauses, "MODIFY "+QuoteIdent(c.Column)+" "+columnDefinition(c, coll, info.MariaDB))
		}
		out.Statements = append(out.Statements, fmt.Sprintf("ALTER TABLE %s %s", QuoteIdent(t.Table), strings.Join(clauses, ", ")))
	}
	return out
}

// columnDefinition renders a text column's definition in utf8mb4.
func columnDefinition(c ColumnInfo, coll string, mariaDB bool) string {
	typ := c.ColumnType
	if bytesPerChar(c.Charset) < 4 {
		switch strings.ToLower(c.DataType) {
		case "tinytext":
			typ = "text"
		case "text":
			typ = "mediumtext"
		case "mediumtext":
			typ = "longtext"
		}
	}
	var b strings.Builder
	b.WriteString(typ + " CHARACTER SET utf8mb4 COLLATE " + coll)
	if c.Nullable {
		b.WriteString(" NULL")
	} else {
		b.WriteString(" NOT NULL")
	}
	if c.Default.Valid {
		switch {
		case mariaDB:
			b.WriteString(" DEFAULT " + c.Default.String)
		case strings.Contains(strings.ToUpper(c.Extra), "DEFAULT_GENERATED"):
			b.WriteString(" DEFAULT (" + c.Default.String + ")")
		default:
			b.WriteString(" DEFAULT " + quoteString(c.Default.String))
		}
	}
	if c.Comment != "" {
		b.WriteString(" COMMENT " + quoteString(c.Comment))
	}
	return b.String()
}

func quoteString(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// Server is a named database for the audits that run across shards.
// Name identifies it in reports; never put a DSN there.
type Server struct {
	Name string
	DB   Querier
}

// NarrowID is an id column narrower than 64 bits.
type NarrowID struct {
	Server     string `json:"server,omitempty"`
	Table      string `json:"table"`
	Column     string `json:"column"`
	ColumnType string `json:"column_type"`
	// Bits is the column's integer width (8 to 32), or 0 for a non-integer type.
	Bits int `json:"bits"`
}

var intBits = map[string]int{"tinyint": 8, "smallint": 16, "mediumint": 24, "int": 32, "integer": 32, "bigint": 64}

// NarrowIDs lists the id columns (isID; nil means [IsID]) that are not
// 64-bit integers.
func NarrowIDs(info *Info, isID func(string) bool) []NarrowID {
	if isID == nil {
		isID = IsID
	}
	var out []NarrowID
	for _, c := range info.Columns {
		if !isID(c.Column) {
			continue
		}
		bits := intBits[strings.ToLower(c.DataType)]
		if bits == 64 {
			continue
		}
		out = append(out, NarrowID{Table: c.Table, Column: c.Column, ColumnType: c.ColumnType, Bits: bits})
	}
	return out
}

// Clamp counts the rows of one column holding a 32-bit clamp value: a
// sign that values were cut to fit a 32-bit column at some time.
type Clamp struct {
	Server string `json:"server,omitempty"`
	Table  string `json:"table"`
	Column string `json:"column"`
	// AtInt32 counts rows at 2147483647, AtUint32 rows at 4294967295.
	AtInt32  int64 `json:"at_int32"`
	AtUint32 int64 `json:"at_uint32"`
}

// ClampAudit counts, for every INT and BIGINT column of info, the rows
// holding 2147483647 or 4294967295, and returns the columns with any.
// It reads every row: one full scan per table with such columns.
func ClampAudit(ctx context.Context, q Querier, info *Info) ([]Clamp, error) {
	byTable := map[string][]string{}
	var order []string
	for _, c := range info.Columns {
		if b := intBits[strings.ToLower(c.DataType)]; b < 32 {
			continue
		}
		if _, ok := byTable[c.Table]; !ok {
			order = append(order, c.Table)
		}
		byTable[c.Table] = append(byTable[c.Table], c.Column)
	}
	var out []Clamp
	for _, t := range order {
		cols := byTable[t]
		var sums []string
		for _, c := range cols {
			qc := QuoteIdent(c)
			sums = append(sums, fmt.Sprintf("COALESCE(SUM(%s = 2147483647), 0), COALESCE(SUM(%s = 4294967295), 0)", qc, qc))
		}
		vals := make([]int64, 2*len(cols))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		query := "SELECT " + strings.Join(sums, ", ") + " FROM " + QuoteIdent(t)
		if err := q.QueryRowContext(ctx, query).Scan(ptrs...); err != nil {
			return out, fmt.Errorf("schema: clamp audit of %s: %w", t, err)
		}
		for i, c := range cols {
			if vals[2*i] > 0 || vals[2*i+1] > 0 {
				out = append(out, Clamp{Table: t, Column: c, AtInt32: vals[2*i], AtUint32: vals[2*i+1]})
			}
		}
	}
	return out, nil
}

// IDAudit is the result of [AuditIDs].
type IDAudit struct {
	Narrow []NarrowID `json:"narrow"`
	Clamps []Clamp    `json:"clamps"`
}

// AuditIDs runs [NarrowIDs] and [ClampAudit] on every server (all shards,
// both sides if wanted) in turn and merges the results, each row naming
// its server. It stops at the first server that fails, naming it.
func AuditIDs(ctx context.Context, servers []Server, isID func(string) bool) (*IDAudit, error) {
	a := &IDAudit{}
	for _, s := range servers {
		info, err := LoadInfo(ctx, s.DB)
		if err != nil {
			return a, fmt.Errorf("schema: id audit of %s: %w", s.Name, err)
		}
		for _, n := range NarrowIDs(info, isID) {
			n.Server = s.Name
			a.Narrow = append(a.Narrow, n)
		}
		clamps, err := ClampAudit(ctx, s.DB, info)
		if err != nil {
			return a, fmt.Errorf("schema: id audit of %s: %w", s.Name, err)
		}
		for _, c := range clamps {
			c.Server = s.Name
			a.Clamps = append(a.Clamps, c)
		}
	}
	return a, nil
}
