package schema

import (
	"fmt"
	"strconv"
	"strings"
)

// parser reads one statement's tokens into the model. Syntax errors
// unwind with panic(parseError) to the statement loop in [read], which
// records a "parse" finding and goes on with the next statement.
type parser struct {
	toks []token // one statement, ending with tkEnd or tkEOF
	pos  int
	m    *model
	line int // line of the statement's first token
}

type parseError struct {
	tok   token
	msg   string
	table string
}

// read lexes src and applies every statement to a new model.
func read(src string) *model {
	m := &model{}
	// Lex one statement at a time: memory holds the largest statement's
	// tokens, not the whole input's.
	l := lexer{src: src, line: 1, col: 1, delim: ";"}
	var stmt []token
	for {
		t, err := l.next()
		if err != nil {
			le := err.(*lexError)
			m.notes = append(m.notes, Finding{Rule: RuleParse, Severity: Error, Line: le.line,
				Message: fmt.Sprintf("col %d: %s; the rest of the input is not checked", le.col, le.msg)})
			return m
		}
		t.end = l.pos
		if t.kind != tkEnd && t.kind != tkEOF {
			// Rows of a dump's INSERT statements are not kept: they can
			// be megabytes per statement and change no table.
			if len(stmt) == 1 && stmt[0].kind == tkWord && (strings.EqualFold(stmt[0].text, "INSERT") || strings.EqualFold(stmt[0].text, "REPLACE")) {
				continue
			}
			stmt = append(stmt, t)
			continue
		}
		stmt = append(stmt, t)
		// A DELIMITER line also ends a statement left without its delimiter.
		if len(stmt) > 1 {
			p := &parser{toks: stmt, m: m, line: stmt[0].line}
			p.statement()
		}
		if t.kind == tkEOF {
			return m
		}
		stmt = stmt[:0]
	}
}

func (p *parser) statement() {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		pe, ok := r.(parseError)
		if !ok {
			panic(r)
		}
		msg := fmt.Sprintf("col %d: %s", pe.tok.col, pe.msg)
		p.m.notes = append(p.m.notes, Finding{Rule: RuleParse, Severity: Error, Table: pe.table,
			Line: pe.tok.line, Message: msg})
	}()
	switch {
	case p.isWord("CREATE"):
		p.create()
	case p.isWord("ALTER"):
		p.next()
		if p.acceptWord("ONLINE") || p.acceptWord("IGNORE") {
			p.acceptWord("IGNORE")
		}
		if !p.acceptWord("TABLE") {
			p.unchecked("ALTER " + strings.ToUpper(p.peek().text))
			return
		}
		p.alterTable()
	case p.isWord("DROP"):
		p.drop()
	case p.isWord("RENAME"):
		p.renameTables()
	case p.isWord("SET"):
		p.set()
	case p.isWord("USE"), p.isWord("LOCK"), p.isWord("UNLOCK"), p.isWord("INSERT"), p.isWord("REPLACE"),
		p.isWord("START"), p.isWord("BEGIN"), p.isWord("COMMIT"), p.isWord("ROLLBACK"), p.isWord("FLUSH"),
		p.isWord("ANALYZE"), p.isWord("OPTIMIZE"):
		// Data and session statements do not change the schema.
	default:
		p.fail(p.peek(), "unsupported statement %s", p.peek())
	}
}

func (p *parser) appendColumn(t *table, c *column) {
	if !t.appendColumn(c) {
		p.fail(p.peek(), "table has more than %d columns", maxColumns)
	}
}

func (p *parser) appendIndex(t *table, ix *index) {
	if len(t.indexes)+len(t.fks) >= maxKeys {
		p.fail(p.peek(), "table has more than %d keys", maxKeys)
	}
	t.indexes = append(t.indexes, ix)
}

func (p *parser) appendFK(t *table, fk *foreignKey) {
	if len(t.indexes)+len(t.fks) >= maxKeys {
		p.fail(p.peek(), "table has more than %d keys", maxKeys)
	}
	t.fks = append(t.fks, fk)
}

// unchecked records a recognised statement that the lint does not check.
func (p *parser) unchecked(what string) {
	p.m.notes = append(p.m.notes, Finding{Rule: RuleUnchecked, Severity: Warning, Line: p.line,
		Message: what + " statement is not checked"})
}

// ---- token helpers ----

func (p *parser) peek() token { return p.toks[p.pos] }

func (p *parser) peekAt(n int) token {
	if p.pos+n < len(p.toks) {
		return p.toks[p.pos+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.pos]
	if p.pos < len(p.toks)-1 {
		p.pos++
	}
	return t
}

func (p *parser) atEnd() bool { k := p.peek().kind; return k == tkEnd || k == tkEOF }

func (p *parser) isWord(w string) bool {
	t := p.peek()
	return t.kind == tkWord && strings.EqualFold(t.text, w)
}

func (p *parser) isWordAt(n int, w string) bool {
	t := p.peekAt(n)
	return t.kind == tkWord && strings.EqualFold(t.text, w)
}

func (p *parser) acceptWord(w string) bool {
	if p.isWord(w) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expectWord(w string) {
	if !p.acceptWord(w) {
		p.fail(p.peek(), "expected %s, found %s", w, p.peek())
	}
}

func (p *parser) isPunct(c string) bool {
	t := p.peek()
	return t.kind == tkPunct && t.text == c
}

func (p *parser) acceptPunct(c string) bool {
	if p.isPunct(c) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expectPunct(c string) {
	if !p.acceptPunct(c) {
		p.fail(p.peek(), "expected %q, found %s", c, p.peek())
	}
}

func (p *parser) fail(t token, format string, args ...any) {
	panic(parseError{tok: t, msg: fmt.Sprintf(format, args...)})
}

// failTable is fail naming the table being read.
func (p *parser) failTable(table string, t token, format string, args ...any) {
	panic(parseError{tok: t, msg: fmt.Sprintf(format, args...), table: table})
}

// reserved words that cannot be unquoted identifiers in the positions this
// parser reads names (a subset of MySQL's reserved words).
var reserved = map[string]bool{
	"ADD": true, "ALTER": true, "AND": true, "AS": true, "BY": true, "CHECK": true, "COLLATE": true,
	"CONSTRAINT": true, "CREATE": true, "DEFAULT": true, "DROP": true, "FOREIGN": true, "FROM": true,
	"INDEX": true, "KEY": true, "LIKE": true, "NOT": true, "NULL": true, "ON": true, "OR": true,
	"PRIMARY": true, "REFERENCES": true, "SELECT": true, "SET": true, "TABLE": true, "TO": true,
	"UNIQUE": true, "FULLTEXT": true, "SPATIAL": true, "WHERE": true,
}

// ident reads an identifier (bare or backtick-quoted).
func (p *parser) ident(what string) string {
	t := p.peek()
	switch {
	case t.kind == tkQuoted:
		p.next()
		return t.text
	case t.kind == tkWord && !reserved[strings.ToUpper(t.text)] && !strings.HasPrefix(t.text, "@"):
		p.next()
		return t.text
	}
	p.fail(t, "expected %s, found %s", what, t)
	return ""
}

func (p *parser) isIdent() bool {
	t := p.peek()
	return t.kind == tkQuoted || t.kind == tkWord && !reserved[strings.ToUpper(t.text)]
}

// tableName reads [db.]table and returns the table part.
func (p *parser) tableName() string {
	n := p.ident("table name")
	if p.acceptPunct(".") {
		n = p.ident("table name")
	}
	return n
}

// skipParens skips a balanced parenthesised group starting at "(".
func (p *parser) skipParens() []token {
	open := p.peek()
	p.expectPunct("(")
	start := p.pos
	depth := 1
	for depth > 0 {
		t := p.peek()
		if t.kind == tkEnd || t.kind == tkEOF {
			p.fail(open, "unbalanced parenthesis")
		}
		p.next()
		if t.kind == tkPunct {
			switch t.text {
			case "(":
				depth++
			case ")":
				depth--
			}
		}
	}
	return p.toks[start : p.pos-1]
}

// value reads an option value: a word, number, string or identifier.
func (p *parser) value() string {
	t := p.peek()
	switch t.kind {
	case tkWord, tkQuoted, tkString, tkNumber:
		p.next()
		return t.text
	}
	p.fail(t, "expected a value, found %s", t)
	return ""
}

// ---- statements ----

func (p *parser) create() {
	p.expectWord("CREATE")
	replace := false
	if p.acceptWord("OR") {
		p.expectWord("REPLACE")
		replace = true
	}
	switch {
	case p.acceptWord("TEMPORARY"):
		p.expectWord("TABLE")
		p.createTable(replace)
	case p.acceptWord("TABLE"):
		p.createTable(replace)
	case p.isWord("UNIQUE") || p.isWord("FULLTEXT") || p.isWord("SPATIAL") || p.isWord("INDEX"):
		p.createIndex()
	case p.isWord("DATABASE") || p.isWord("SCHEMA"):
		// No table change.
	default:
		// Views, triggers, routines and events, with their optional
		// ALGORITHM=, DEFINER=, SQL SECURITY prefixes.
		for !p.atEnd() {
			t := p.next()
			if t.kind != tkWord {
				continue
			}
			switch w := strings.ToUpper(t.text); w {
			case "VIEW", "TRIGGER", "PROCEDURE", "FUNCTION", "EVENT", "SEQUENCE", "USER", "ROLE", "SERVER":
				p.unchecked("CREATE " + w)
				return
			}
		}
		p.fail(p.toks[0], "unsupported CREATE statement")
	}
}

func (p *parser) createTable(replace bool) {
	ifNotExists := false
	if p.acceptWord("IF") {
		p.expectWord("NOT")
		p.expectWord("EXISTS")
		ifNotExists = true
	}
	name := p.tableName()
	if p.isWord("LIKE") || p.isPunct("(") && p.isWordAt(1, "LIKE") {
		p.failTable(name, p.peek(), "CREATE TABLE ... LIKE is not supported; lint the source table's definition")
	}
	if !p.isPunct("(") {
		p.failTable(name, p.peek(), "expected \"(\" and column definitions, found %s (CREATE TABLE ... SELECT is not supported)", p.peek())
	}
	t := &table{name: name, line: p.line, created: true}
	p.withTable(name, func() {
		p.expectPunct("(")
		for {
			p.createDefinition(t)
			if p.acceptPunct(",") {
				continue
			}
			p.expectPunct(")")
			break
		}
		p.tableOptions(t)
		if !p.atEnd() {
			p.fail(p.peek(), "unexpected %s after the table definition", p.peek())
		}
	})
	if ifNotExists && !replace && p.m.table(name) != nil {
		return
	}
	p.m.add(t)
}

// withTable runs f and names table in any parse error it raises.
func (p *parser) withTable(name string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			if pe, ok := r.(parseError); ok && pe.table == "" {
				pe.table = name
				panic(pe)
			}
			panic(r)
		}
	}()
	f()
}

// createDefinition reads a column definition or a key/constraint.
func (p *parser) createDefinition(t *table) {
	line := p.line
	switch {
	case p.isWord("CONSTRAINT"), p.isWord("PRIMARY"), p.isWord("UNIQUE"), p.isWord("KEY"), p.isWord("INDEX"),
		p.isWord("FULLTEXT"), p.isWord("SPATIAL"), p.isWord("FOREIGN"), p.isWord("CHECK"):
		p.keyDefinition(t, line)
	case p.isWord("PERIOD"):
		p.fail(p.peek(), "PERIOD FOR is not supported")
	default:
		c := p.columnDefinition(t, line)
		if old := t.column(c.name); old != nil {
			p.fail(p.peek(), "duplicate column %q", c.name)
		}
		p.appendColumn(t, c)
	}
}

// keyDefinition reads PRIMARY KEY, UNIQUE, KEY/INDEX, FULLTEXT, SPATIAL,
// FOREIGN KEY and CHECK, with an optional CONSTRAINT [name] prefix.
func (p *parser) keyDefinition(t *table, line int) {
	cname := ""
	if p.acceptWord("CONSTRAINT") {
		if p.isIdent() {
			cname = p.ident("constraint name")
		}
	}
	switch {
	case p.acceptWord("PRIMARY"):
		p.expectWord("KEY")
		ix := &index{name: "PRIMARY", kind: idxPrimary, line: line}
		p.indexType()
		ix.parts = p.keyParts()
		p.indexOptions()
		if t.primary() != nil {
			p.fail(p.peek(), "multiple primary keys")
		}
		p.appendIndex(t, ix)
	case p.acceptWord("UNIQUE"):
		if !p.acceptWord("KEY") {
			p.acceptWord("INDEX")
		}
		p.indexBody(t, idxUnique, cname, line)
	case p.acceptWord("KEY"), p.acceptWord("INDEX"):
		p.indexBody(t, idxKey, cname, line)
	case p.acceptWord("FULLTEXT"), p.acceptWord("SPATIAL"):
		kind := idxFulltext
		if strings.EqualFold(p.toks[p.pos-1].text, "SPATIAL") {
			kind = idxSpatial
		}
		if !p.acceptWord("KEY") {
			p.acceptWord("INDEX")
		}
		p.indexBody(t, kind, cname, line)
	case p.acceptWord("FOREIGN"):
		p.expectWord("KEY")
		if p.isIdent() {
			n := p.ident("index name")
			if cname == "" {
				cname = n
			}
		}
		fk := &foreignKey{name: cname, line: line}
		for _, kp := range p.keyParts() {
			fk.cols = append(fk.cols, kp.column)
		}
		fk.refTable, fk.refCols = p.references()
		if len(fk.refCols) != len(fk.cols) {
			p.fail(p.peek(), "foreign key has %d columns but references %d", len(fk.cols), len(fk.refCols))
		}
		p.appendFK(t, fk)
	case p.acceptWord("CHECK"):
		p.skipParens()
		p.checkTail()
	default:
		p.fail(p.peek(), "expected a key or constraint, found %s", p.peek())
	}
}

// checkTail reads MySQL 8's [NOT] ENFORCED after a CHECK constraint.
func (p *parser) checkTail() {
	p.acceptWord("NOT")
	p.acceptWord("ENFORCED")
}

func (p *parser) indexBody(t *table, kind indexKind, name string, line int) {
	if p.isIdent() && !p.isWord("USING") {
		name = p.ident("index name")
	}
	p.indexType()
	ix := &index{name: name, kind: kind, line: line, parts: p.keyParts()}
	p.indexOptions()
	if ix.name == "" && len(ix.parts) > 0 {
		ix.name = ix.parts[0].column
	}
	p.appendIndex(t, ix)
}

func (p *parser) indexType() {
	if p.acceptWord("USING") {
		p.value()
	}
}

// keyParts reads "(col[(len)] [ASC|DESC], ...)".
func (p *parser) keyParts() []keyPart {
	p.expectPunct("(")
	var parts []keyPart
	for {
		var kp keyPart
		if p.isPunct("(") {
			p.skipParens()
			kp.expr = true
		} else {
			kp.column = p.ident("column name")
			if p.isPunct("(") {
				lt := p.next()
				n := p.value()
				v, err := strconv.Atoi(n)
				if err != nil || v <= 0 {
					p.fail(lt, "bad key prefix length %q", n)
				}
				kp.length = v
				p.expectPunct(")")
			}
		}
		if !p.acceptWord("ASC") {
			p.acceptWord("DESC")
		}
		parts = append(parts, kp)
		if len(parts) > maxKeyParts {
			p.fail(p.peek(), "key has more than %d parts", maxKeyParts)
		}
		if p.acceptPunct(",") {
			continue
		}
		p.expectPunct(")")
		return parts
	}
}

func (p *parser) indexOptions() {
	for {
		switch {
		case p.isWord("USING"):
			p.indexType()
		case p.acceptWord("KEY_BLOCK_SIZE"):
			p.acceptPunct("=")
			p.value()
		case p.acceptWord("COMMENT"):
			p.value()
		case p.acceptWord("WITH"):
			p.expectWord("PARSER")
			p.value()
		case p.acceptWord("VISIBLE"), p.acceptWord("INVISIBLE"), p.acceptWord("IGNORED"):
		case p.isWord("NOT") && p.isWordAt(1, "IGNORED"):
			p.next()
			p.next()
		case p.acceptWord("CLUSTERING"):
			p.acceptPunct("=")
			p.value()
		default:
			return
		}
	}
}

// references reads "REFERENCES tbl (cols) [MATCH ...] [ON DELETE|UPDATE action]...".
func (p *parser) references() (string, []string) {
	p.expectWord("REFERENCES")
	ref := p.tableName()
	var cols []string
	for _, kp := range p.keyParts() {
		cols = append(cols, kp.column)
	}
	for {
		switch {
		case p.acceptWord("MATCH"):
			p.value()
		case p.acceptWord("ON"):
			if !p.acceptWord("DELETE") {
				p.expectWord("UPDATE")
			}
			switch {
			case p.acceptWord("RESTRICT"), p.acceptWord("CASCADE"):
			case p.acceptWord("SET"):
				if !p.acceptWord("NULL") {
					p.expectWord("DEFAULT")
				}
			case p.acceptWord("NO"):
				p.expectWord("ACTION")
			default:
				p.fail(p.peek(), "expected a referential action, found %s", p.peek())
			}
		default:
			return ref, cols
		}
	}
}

// dataTypes maps the accepted type names to whether they hold text.
var dataTypes = map[string]bool{
	"TINYINT": false, "SMALLINT": false, "MEDIUMINT": false, "INT": false, "INTEGER": false, "BIGINT": false,
	"BIT": false, "BOOL": false, "BOOLEAN": false, "SERIAL": false,
	"DECIMAL": false, "DEC": false, "NUMERIC": false, "FIXED": false, "FLOAT": false, "DOUBLE": false, "REAL": false,
	"DATE": false, "TIME": false, "DATETIME": false, "TIMESTAMP": false, "YEAR": false,
	"CHAR": true, "CHARACTER": true, "VARCHAR": true, "NCHAR": true, "NVARCHAR": true, "BINARY": false, "VARBINARY": false,
	"TINYTEXT": true, "TEXT": true, "MEDIUMTEXT": true, "LONGTEXT": true, "LONG": true,
	"TINYBLOB": false, "BLOB": false, "MEDIUMBLOB": false, "LONGBLOB": false,
	"ENUM": true, "SET": true, "JSON": false, "UUID": false, "INET4": false, "INET6": false,
	"GEOMETRY": false, "POINT": false, "LINESTRING": false, "POLYGON": false, "MULTIPOINT": false,
	"MULTILINESTRING": false, "MULTIPOLYGON": false, "GEOMETRYCOLLECTION": false, "GEOMCOLLECTION": false,
}

// normType maps synonyms to one name.
func normType(s string) string {
	switch s {
	case "INTEGER":
		return "INT"
	case "DEC", "NUMERIC", "FIXED":
		return "DECIMAL"
	case "BOOL", "BOOLEAN":
		return "TINYINT"
	case "NCHAR", "CHARACTER":
		return "CHAR"
	case "NVARCHAR":
		return "VARCHAR"
	case "REAL":
		return "DOUBLE"
	case "LONG":
		return "MEDIUMTEXT"
	}
	return s
}

// genFuncs are functions whose value the database generates.
var genFuncs = map[string]bool{
	"NOW": true, "CURRENT_TIMESTAMP": true, "LOCALTIME": true, "LOCALTIMESTAMP": true, "SYSDATE": true,
	"CURDATE": true, "CURRENT_DATE": true, "CURTIME": true, "CURRENT_TIME": true, "UTC_TIMESTAMP": true,
	"UTC_DATE": true, "UTC_TIME": true, "UNIX_TIMESTAMP": true, "RAND": true, "UUID": true, "UUID_SHORT": true,
	"SYS_GUID": true, "NEXTVAL": true, "LASTVAL": true,
}

// columnDefinition reads "name type [attributes]".
func (p *parser) columnDefinition(t *table, line int) *column {
	c := &column{line: line}
	c.name = p.ident("column name")
	p.dataType(c)
	p.columnAttributes(t, c)
	return c
}

func (p *parser) dataType(c *column) {
	tt := p.peek()
	if tt.kind != tkWord {
		p.fail(tt, "expected a data type for column %q, found %s", c.name, tt)
	}
	typ := strings.ToUpper(tt.text)
	if _, ok := dataTypes[typ]; !ok {
		p.fail(tt, "unknown data type %s for column %q", tt.text, c.name)
	}
	p.next()
	switch {
	case typ == "DOUBLE":
		p.acceptWord("PRECISION")
	case (typ == "CHAR" || typ == "CHARACTER") && p.acceptWord("VARYING"):
		typ = "VARCHAR"
	case typ == "LONG":
		if p.acceptWord("VARBINARY") {
			typ = "MEDIUMBLOB"
		} else {
			p.acceptWord("VARCHAR")
		}
	}
	c.typ = normType(typ)
	if typ == "SERIAL" {
		c.typ, c.unsigned, c.autoInc = "BIGINT", true, true
		c.generated = append(c.generated, "SERIAL (AUTO_INCREMENT)")
	}
	if p.isPunct("(") {
		for _, a := range p.skipParens() {
			if a.kind == tkPunct && a.text == "," {
				continue
			}
			c.args = append(c.args, a.text)
		}
	}
	for {
		switch {
		case p.acceptWord("UNSIGNED"):
			c.unsigned = true
		case p.acceptWord("SIGNED"), p.acceptWord("ZEROFILL"):
		case p.acceptWord("BYTE"), p.acceptWord("ASCII"):
			// MariaDB: CHAR(n) BYTE = BINARY(n); ASCII = latin1.
			if strings.EqualFold(p.toks[p.pos-1].text, "ASCII") {
				c.charset = "latin1"
			}
		case p.acceptWord("UNICODE"):
			c.charset = "ucs2"
		default:
			return
		}
	}
}

// columnAttributes reads a column's attributes in any order.
func (p *parser) columnAttributes(t *table, c *column) {
	for !p.atEnd() && !p.isPunct(",") && !p.isPunct(")") && !p.isWord("FIRST") && !p.isWord("AFTER") {
		at := p.peek()
		switch {
		case p.acceptWord("NOT"):
			p.expectWord("NULL")
		case p.acceptWord("NULL"):
		case p.acceptWord("DEFAULT"):
			if g := p.defaultValue(); g != "" {
				c.generated = append(c.generated, "DEFAULT "+g)
			}
		case p.acceptWord("ON"):
			p.expectWord("UPDATE")
			g := p.defaultValue()
			if g == "" {
				p.fail(at, "ON UPDATE takes CURRENT_TIMESTAMP, found another value")
			}
			c.generated = append(c.generated, "ON UPDATE "+g)
		case p.acceptWord("AUTO_INCREMENT"):
			c.autoInc = true
			c.generated = append(c.generated, "AUTO_INCREMENT")
		case p.acceptWord("UNIQUE"):
			p.acceptWord("KEY")
			p.appendIndex(t, &index{name: c.name, kind: idxUnique, parts: []keyPart{{column: c.name}}, line: c.line})
		case p.acceptWord("PRIMARY"):
			p.expectWord("KEY")
			if t.primary() != nil {
				p.fail(at, "multiple primary keys")
			}
			p.appendIndex(t, &index{name: "PRIMARY", kind: idxPrimary, parts: []keyPart{{column: c.name}}, line: c.line})
		case p.acceptWord("KEY"):
			// "KEY" alone in a column definition means PRIMARY KEY.
			if t.primary() != nil {
				p.fail(at, "multiple primary keys")
			}
			p.appendIndex(t, &index{name: "PRIMARY", kind: idxPrimary, parts: []keyPart{{column: c.name}}, line: c.line})
		case p.acceptWord("COMMENT"):
			p.value()
		case p.acceptWord("COLLATE"):
			p.acceptPunct("=")
			if c.charset == "" {
				c.charset = charsetOf(p.value())
			} else {
				p.value()
			}
		case p.acceptWord("CHARSET"):
			p.acceptPunct("=")
			c.charset = strings.ToLower(p.value())
		case p.acceptWord("CHARACTER"):
			p.expectWord("SET")
			p.acceptPunct("=")
			c.charset = strings.ToLower(p.value())
		case p.acceptWord("GENERATED"):
			p.expectWord("ALWAYS")
			p.expectWord("AS")
			p.generatedExpr(c)
		case p.acceptWord("AS"):
			p.generatedExpr(c)
		case p.acceptWord("VIRTUAL"), p.acceptWord("STORED"), p.acceptWord("PERSISTENT"),
			p.acceptWord("INVISIBLE"), p.acceptWord("VISIBLE"), p.acceptWord("COMPRESSED"):
			if p.acceptPunct("=") {
				p.value()
			}
		case p.acceptWord("COLUMN_FORMAT"), p.acceptWord("STORAGE"), p.acceptWord("SRID"):
			p.value()
		case p.acceptWord("WITH"), p.acceptWord("WITHOUT"):
			p.expectWord("SYSTEM")
			p.expectWord("VERSIONING")
		case p.isWord("REFERENCES"):
			ref, cols := p.references()
			if len(cols) != 1 {
				p.fail(at, "column %q references %d columns", c.name, len(cols))
			}
			p.appendFK(t, &foreignKey{cols: []string{c.name}, refTable: ref, refCols: cols, line: c.line})
		case p.acceptWord("CHECK"):
			p.skipParens()
			p.checkTail()
		case p.acceptWord("CONSTRAINT"):
			if p.isIdent() {
				p.ident("constraint name")
			}
			p.expectWord("CHECK")
			p.skipParens()
			p.checkTail()
		default:
			p.fail(at, "unexpected %s in the definition of column %q", at, c.name)
		}
	}
}

// generatedExpr reads a generated column's "(expr)" and flags generating functions.
func (p *parser) generatedExpr(c *column) {
	for _, t := range p.skipParens() {
		if t.kind == tkWord && genFuncs[strings.ToUpper(t.text)] {
			c.generated = append(c.generated, "AS ("+strings.ToUpper(t.text)+"())")
		}
	}
}

// defaultValue reads a DEFAULT or ON UPDATE value and returns the name of
// the generating function it uses ("CURRENT_TIMESTAMP"), or "".
func (p *parser) defaultValue() string {
	t := p.peek()
	switch {
	case t.kind == tkPunct && t.text == "(":
		for _, e := range p.skipParens() {
			if e.kind == tkWord && genFuncs[strings.ToUpper(e.text)] {
				return strings.ToUpper(e.text) + "()"
			}
		}
		return ""
	case t.kind == tkPunct && (t.text == "-" || t.text == "+"):
		p.next()
		if p.peek().kind != tkNumber {
			p.fail(p.peek(), "expected a number after %q, found %s", t.text, p.peek())
		}
		p.next()
		return ""
	case t.kind == tkString, t.kind == tkNumber:
		p.next()
		return ""
	case t.kind == tkWord && strings.HasPrefix(t.text, "_") && p.peekAt(1).kind == tkString:
		// Charset introducer: _utf8mb4'text'.
		p.next()
		p.next()
		return ""
	case t.kind == tkWord:
		w := strings.ToUpper(t.text)
		p.next()
		if p.isPunct("(") {
			p.skipParens()
		}
		if genFuncs[w] {
			return w
		}
		switch w {
		case "NULL", "TRUE", "FALSE":
			return ""
		}
		// A bare word default: MySQL accepts only literals and the
		// functions above here.
		p.fail(t, "unexpected default value %s", t)
	}
	p.fail(t, "expected a default value, found %s", t)
	return ""
}

// tableOptions reads table options and a trailing partition clause.
func (p *parser) tableOptions(t *table) {
	for !p.atEnd() {
		at := p.peek()
		if p.acceptPunct(",") {
			continue
		}
		if p.isWord("PARTITION") {
			// PARTITION BY ...: no effect on the checks; skip to the end.
			for !p.atEnd() {
				if p.isPunct("(") {
					p.skipParens()
				} else {
					p.next()
				}
			}
			return
		}
		p.acceptWord("DEFAULT")
		switch {
		case p.acceptWord("ENGINE"), p.acceptWord("TYPE"):
			p.acceptPunct("=")
			t.engine = p.value()
			t.engineLine = p.line
		case p.acceptWord("CHARSET"):
			p.acceptPunct("=")
			t.charset, t.charsetLine = strings.ToLower(p.value()), p.line
		case p.acceptWord("CHARACTER"):
			p.expectWord("SET")
			p.acceptPunct("=")
			t.charset, t.charsetLine = strings.ToLower(p.value()), p.line
		case p.acceptWord("COLLATE"):
			p.acceptPunct("=")
			cs := charsetOf(p.value())
			if t.charset == "" || t.charset != cs {
				t.charset, t.charsetLine = cs, p.line
			}
		case p.isWord("WITH") && p.isWordAt(1, "SYSTEM"):
			p.next()
			p.next()
			p.expectWord("VERSIONING")
		default:
			w := strings.ToUpper(at.text)
			if at.kind != tkWord || !tableOptionNames[w] {
				p.fail(at, "unknown table option %s", at)
			}
			p.next()
			switch w {
			case "UNION":
				p.acceptPunct("=")
				p.skipParens()
				continue
			case "DATA", "INDEX":
				p.expectWord("DIRECTORY")
			}
			p.acceptPunct("=")
			p.value()
		}
	}
}

// tableOptionNames are the table options taking "[=] value" that the
// checks ignore.
var tableOptionNames = map[string]bool{
	"AUTO_INCREMENT": true, "AVG_ROW_LENGTH": true, "CHECKSUM": true, "TABLE_CHECKSUM": true, "COMMENT": true,
	"COMPRESSION": true, "CONNECTION": true, "DATA": true, "INDEX": true, "DELAY_KEY_WRITE": true,
	"ENCRYPTION": true, "ENCRYPTED": true, "ENCRYPTION_KEY_ID": true, "INSERT_METHOD": true,
	"KEY_BLOCK_SIZE": true, "MAX_ROWS": true, "MIN_ROWS": true, "PACK_KEYS": true, "PASSWORD": true,
	"ROW_FORMAT": true, "STATS_AUTO_RECALC": true, "STATS_PERSISTENT": true, "STATS_SAMPLE_PAGES": true,
	"TABLESPACE": true, "PAGE_CHECKSUM": true, "PAGE_COMPRESSED": true, "PAGE_COMPRESSION_LEVEL": true,
	"TRANSACTIONAL": true, "IETF_QUOTES": true, "SEQUENCE": true, "UNION": true, "SECONDARY_ENGINE": true,
	"AUTOEXTEND_SIZE": true, "ENGINE_ATTRIBUTE": true, "SECONDARY_ENGINE_ATTRIBUTE": true, "START": true,
	"STORAGE": true,
}
