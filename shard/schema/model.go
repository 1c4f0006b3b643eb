package schema

import "strings"

// model is the schema built from a DDL text: the tables the text creates
// or alters, in the order first seen.
type model struct {
	tables map[string]*table // by lower-case name
	order  []*table
	// conn lists connection character-set settings (SET NAMES ...).
	conn []connCharset
	// notes are findings made while reading statements (parse errors,
	// unchecked statements).
	notes []Finding
}

type connCharset struct {
	charset string
	line    int
}

// table is one table. created reports whether the text holds its CREATE
// TABLE; for a table only altered, the lint checks only what the text sets.
type table struct {
	name        string
	line        int // line of the statement that created it or first altered it
	created     bool
	engine      string
	engineLine  int
	charset     string // effective table charset, "" if not stated
	charsetLine int
	columns     []*column
	cols        map[string]*column // columns by lower-case name
	indexes     []*index
	fks         []*foreignKey
}

// column is one column definition.
type column struct {
	name     string
	line     int // line of the statement that defined it
	typ      string
	args     []string // type arguments: lengths, precision, ENUM values
	unsigned bool
	charset  string // explicit charset (from CHARACTER SET or COLLATE), "" if none
	autoInc  bool
	// generated lists database-generated values, e.g. "DEFAULT CURRENT_TIMESTAMP".
	generated []string
}

type indexKind uint8

const (
	idxKey indexKind = iota
	idxUnique
	idxPrimary
	idxFulltext
	idxSpatial
)

// index is one key or index.
type index struct {
	name  string
	kind  indexKind
	parts []keyPart
	line  int
}

// keyPart is one key part: a column with an optional prefix length, or an
// expression (MySQL 8 functional key part).
type keyPart struct {
	column string
	length int // prefix length in characters, 0 for the whole column
	expr   bool
}

// foreignKey is a FOREIGN KEY constraint or an inline REFERENCES clause.
type foreignKey struct {
	name     string
	cols     []string
	refTable string
	refCols  []string
	line     int
}

func key(name string) string { return strings.ToLower(name) }

func (m *model) table(name string) *table { return m.tables[key(name)] }

// ensure returns the table called name, adding an altered-only table when
// the text has not created it.
func (m *model) ensure(name string, line int) *table {
	if t := m.table(name); t != nil {
		return t
	}
	t := &table{name: name, line: line}
	m.add(t)
	return t
}

func (m *model) add(t *table) {
	if old := m.table(t.name); old != nil {
		m.drop(old.name)
	}
	if m.tables == nil {
		m.tables = make(map[string]*table)
	}
	m.tables[key(t.name)] = t
	m.order = append(m.order, t)
}

// drop forgets a table. Its entry in order stays and is skipped by
// live, so a drop costs O(1).
func (m *model) drop(name string) {
	delete(m.tables, key(name))
}

// live returns the tables that exist at the end, in the order first seen.
func (m *model) live() []*table {
	var out []*table
	for _, t := range m.order {
		if m.tables[key(t.name)] == t {
			out = append(out, t)
		}
	}
	return out
}

func (m *model) rename(from, to string) {
	t := m.table(from)
	if t == nil {
		return
	}
	delete(m.tables, key(from))
	t.name = to
	m.tables[key(to)] = t
}

// Limits that bound the work per table; MySQL's own limits are lower
// (4096 columns, 64 keys, 16 key parts).
const (
	maxColumns  = 4096
	maxKeys     = 1024
	maxKeyParts = 64
)

func (t *table) column(name string) *column { return t.cols[key(name)] }

// appendColumn adds c; the caller has checked that the name is free.
func (t *table) appendColumn(c *column) bool {
	if len(t.columns) >= maxColumns {
		return false
	}
	if t.cols == nil {
		t.cols = make(map[string]*column)
	}
	t.columns = append(t.columns, c)
	t.cols[key(c.name)] = c
	return true
}

// replaceColumn puts c in the place of the column called old and reports
// whether there was one.
func (t *table) replaceColumn(old string, c *column) bool {
	o := t.column(old)
	if o == nil {
		return false
	}
	for i := range t.columns {
		if t.columns[i] == o {
			t.columns[i] = c
		}
	}
	delete(t.cols, key(old))
	t.cols[key(c.name)] = c
	return true
}

func (t *table) renameColumn(old, nw string) {
	if c := t.column(old); c != nil {
		delete(t.cols, key(old))
		c.name = nw
		t.cols[key(nw)] = c
	}
}

func (t *table) dropColumn(name string) {
	c := t.column(name)
	if c == nil {
		return
	}
	delete(t.cols, key(name))
	for i, o := range t.columns {
		if o == c {
			t.columns = append(t.columns[:i], t.columns[i+1:]...)
			break
		}
	}
	// MySQL drops the column from its indexes, and an index left empty.
	var kept []*index
	for _, ix := range t.indexes {
		var parts []keyPart
		for _, p := range ix.parts {
			if !strings.EqualFold(p.column, name) {
				parts = append(parts, p)
			}
		}
		if len(parts) > 0 {
			ix.parts = parts
			kept = append(kept, ix)
		}
	}
	t.indexes = kept
}

func (t *table) primary() *index {
	for _, ix := range t.indexes {
		if ix.kind == idxPrimary {
			return ix
		}
	}
	return nil
}

func (t *table) dropIndex(name string) {
	for i, ix := range t.indexes {
		if ix.kind != idxPrimary && strings.EqualFold(ix.name, name) {
			t.indexes = append(t.indexes[:i], t.indexes[i+1:]...)
			return
		}
	}
}

func (t *table) dropPrimary() {
	for i, ix := range t.indexes {
		if ix.kind == idxPrimary {
			t.indexes = append(t.indexes[:i], t.indexes[i+1:]...)
			return
		}
	}
}

func (t *table) dropForeignKey(name string) {
	for i, fk := range t.fks {
		if strings.EqualFold(fk.name, name) {
			t.fks = append(t.fks[:i], t.fks[i+1:]...)
			return
		}
	}
}

// indexedColumns returns the lower-case names of the columns in any key.
func (t *table) indexedColumns() map[string]bool {
	m := make(map[string]bool)
	for _, ix := range t.indexes {
		for _, p := range ix.parts {
			m[key(p.column)] = true
		}
	}
	return m
}

// charsetOf returns the charset a collation name belongs to
// ("utf8mb4_0900_ai_ci" -> "utf8mb4"; "binary" -> "binary").
func charsetOf(collation string) string {
	c := strings.ToLower(collation)
	if i := strings.IndexByte(c, '_'); i > 0 {
		return c[:i]
	}
	return c
}
