package schema

import "strings"

// alterTable reads "ALTER TABLE name spec[, spec]..." after ALTER [ONLINE] [IGNORE] TABLE.
func (p *parser) alterTable() {
	if p.acceptWord("IF") {
		p.expectWord("EXISTS")
	}
	name := p.tableName()
	t := p.m.ensure(name, p.line)
	p.withTable(name, func() {
		for !p.atEnd() {
			p.alterSpec(t)
			if !p.acceptPunct(",") && !p.atEnd() {
				p.fail(p.peek(), "expected \",\" between ALTER TABLE clauses, found %s", p.peek())
			}
		}
	})
}

// ifExists reads MariaDB's optional IF [NOT] EXISTS.
func (p *parser) ifExists() {
	if p.acceptWord("IF") {
		p.acceptWord("NOT")
		p.expectWord("EXISTS")
	}
}

func (p *parser) alterSpec(t *table) {
	line := p.line
	at := p.peek()
	switch {
	case p.acceptWord("ADD"):
		switch {
		case p.isWord("CONSTRAINT"), p.isWord("PRIMARY"), p.isWord("UNIQUE"), p.isWord("KEY"), p.isWord("INDEX"),
			p.isWord("FULLTEXT"), p.isWord("SPATIAL"), p.isWord("FOREIGN"), p.isWord("CHECK"):
			p.addKey(t, line)
		case p.isWord("PARTITION"):
			p.fail(at, "ALTER TABLE ... ADD PARTITION is not supported")
		default:
			p.acceptWord("COLUMN")
			p.ifExists()
			if p.acceptPunct("(") {
				for {
					p.addColumn(t, line)
					if !p.acceptPunct(",") {
						break
					}
				}
				p.expectPunct(")")
				return
			}
			p.addColumn(t, line)
			p.columnPosition()
		}
	case p.acceptWord("MODIFY"):
		p.acceptWord("COLUMN")
		p.ifExists()
		c := p.columnDefinition(t, line)
		p.replaceColumn(t, c.name, c)
		p.columnPosition()
	case p.acceptWord("CHANGE"):
		p.acceptWord("COLUMN")
		p.ifExists()
		old := p.ident("column name")
		c := p.columnDefinition(t, line)
		p.replaceColumn(t, old, c)
		p.columnPosition()
	case p.acceptWord("ALTER"):
		p.acceptWord("COLUMN")
		p.ifExists()
		name := p.ident("column name")
		switch {
		case p.acceptWord("SET"):
			if p.acceptWord("DEFAULT") {
				g := p.defaultValue()
				if c := t.column(name); c != nil && g != "" {
					c.generated = append(c.generated, "DEFAULT "+g)
					c.line = line
				} else if g != "" {
					p.appendColumn(t, &column{name: name, line: line, generated: []string{"DEFAULT " + g}})
				}
			} else if !p.acceptWord("VISIBLE") && !p.acceptWord("INVISIBLE") {
				p.fail(p.peek(), "expected DEFAULT, VISIBLE or INVISIBLE, found %s", p.peek())
			}
		case p.acceptWord("DROP"):
			p.expectWord("DEFAULT")
			if c := t.column(name); c != nil {
				c.generated = nil
			}
		default:
			p.fail(p.peek(), "expected SET or DROP after ALTER COLUMN %q, found %s", name, p.peek())
		}
	case p.acceptWord("DROP"):
		switch {
		case p.acceptWord("PRIMARY"):
			p.expectWord("KEY")
			t.dropPrimary()
		case p.acceptWord("INDEX"), p.acceptWord("KEY"):
			p.ifExists()
			t.dropIndex(p.ident("index name"))
		case p.acceptWord("FOREIGN"):
			p.expectWord("KEY")
			p.ifExists()
			t.dropForeignKey(p.ident("constraint name"))
		case p.acceptWord("CONSTRAINT"), p.acceptWord("CHECK"):
			p.ifExists()
			n := p.ident("constraint name")
			t.dropForeignKey(n)
		case p.isWord("PARTITION"):
			p.fail(at, "ALTER TABLE ... DROP PARTITION is not supported")
		default:
			p.acceptWord("COLUMN")
			p.ifExists()
			t.dropColumn(p.ident("column name"))
			p.acceptWord("RESTRICT")
			p.acceptWord("CASCADE")
		}
	case p.acceptWord("RENAME"):
		switch {
		case p.acceptWord("COLUMN"):
			old := p.ident("column name")
			p.expectWord("TO")
			nw := p.ident("column name")
			t.renameColumn(old, nw)
			renameKeyColumn(t, old, nw)
		case p.acceptWord("INDEX"), p.acceptWord("KEY"):
			old := p.ident("index name")
			p.expectWord("TO")
			nw := p.ident("index name")
			for _, ix := range t.indexes {
				if strings.EqualFold(ix.name, old) {
					ix.name = nw
				}
			}
		default:
			if !p.acceptWord("TO") {
				p.acceptWord("AS")
			}
			nw := p.tableName()
			p.m.rename(t.name, nw)
		}
	case p.acceptWord("CONVERT"):
		p.expectWord("TO")
		if !p.acceptWord("CHARSET") {
			p.expectWord("CHARACTER")
			p.expectWord("SET")
		}
		cs := strings.ToLower(p.value())
		if p.acceptWord("COLLATE") {
			p.value()
		}
		t.charset, t.charsetLine = cs, line
		for _, c := range t.columns {
			if isText(c) && !strings.EqualFold(c.charset, "binary") {
				c.charset = ""
			}
		}
	case p.acceptWord("ALGORITHM"), p.acceptWord("LOCK"):
		p.acceptPunct("=")
		p.value()
	case p.acceptWord("FORCE"), p.acceptWord("ENABLE"), p.acceptWord("DISABLE"):
		if strings.EqualFold(at.text, "ENABLE") || strings.EqualFold(at.text, "DISABLE") {
			p.expectWord("KEYS")
		}
	case p.acceptWord("ORDER"):
		p.expectWord("BY")
		for {
			p.ident("column name")
			if !p.acceptWord("ASC") {
				p.acceptWord("DESC")
			}
			if !p.isPunct(",") || !p.isIdentAt(1) {
				break
			}
			p.next()
		}
	default:
		// Table options: ENGINE=, [DEFAULT] CHARSET=, COMMENT=, ...
		if at.kind != tkWord {
			p.fail(at, "unexpected %s in ALTER TABLE", at)
		}
		p.oneTableOption(t)
	}
}

func (p *parser) isIdentAt(n int) bool {
	t := p.peekAt(n)
	return t.kind == tkQuoted || t.kind == tkWord && !reserved[strings.ToUpper(t.text)]
}

func (p *parser) addColumn(t *table, line int) {
	c := p.columnDefinition(t, line)
	if t.column(c.name) != nil {
		if t.created {
			p.fail(p.peek(), "column %q already exists", c.name)
		}
		p.replaceColumn(t, c.name, c)
		return
	}
	p.appendColumn(t, c)
}

func (p *parser) replaceColumn(t *table, old string, c *column) {
	if !strings.EqualFold(old, c.name) && t.column(c.name) != nil {
		p.fail(p.peek(), "column %q already exists", c.name)
	}
	if t.replaceColumn(old, c) {
		renameKeyColumn(t, old, c.name)
		return
	}
	if t.created {
		p.fail(p.peek(), "unknown column %q in table %q", old, t.name)
	}
	p.appendColumn(t, c)
}

func renameKeyColumn(t *table, old, nw string) {
	for _, ix := range t.indexes {
		for i := range ix.parts {
			if strings.EqualFold(ix.parts[i].column, old) {
				ix.parts[i].column = nw
			}
		}
	}
	for _, fk := range t.fks {
		for i := range fk.cols {
			if strings.EqualFold(fk.cols[i], old) {
				fk.cols[i] = nw
			}
		}
	}
}

func (p *parser) columnPosition() {
	if p.acceptWord("FIRST") {
		return
	}
	if p.acceptWord("AFTER") {
		p.ident("column name")
	}
}

func (p *parser) addKey(t *table, line int) {
	if p.isWord("CONSTRAINT") || p.isWord("FOREIGN") || p.isWord("CHECK") || p.isWord("PRIMARY") {
		p.keyDefinition(t, line)
		return
	}
	// ADD UNIQUE/KEY/INDEX [IF NOT EXISTS] name (...)
	p.keyDefinitionIfNotExists(t, line)
}

func (p *parser) keyDefinitionIfNotExists(t *table, line int) {
	kind := idxKey
	switch {
	case p.acceptWord("UNIQUE"):
		kind = idxUnique
		if !p.acceptWord("KEY") {
			p.acceptWord("INDEX")
		}
	case p.acceptWord("FULLTEXT"):
		kind = idxFulltext
		if !p.acceptWord("KEY") {
			p.acceptWord("INDEX")
		}
	case p.acceptWord("SPATIAL"):
		kind = idxSpatial
		if !p.acceptWord("KEY") {
			p.acceptWord("INDEX")
		}
	default:
		if !p.acceptWord("KEY") {
			p.expectWord("INDEX")
		}
	}
	p.ifExists()
	p.indexBody(t, kind, "", line)
}

// oneTableOption reads one table option in ALTER TABLE.
func (p *parser) oneTableOption(t *table) {
	// Reuse the CREATE TABLE option reader on a one-option view.
	start := p.pos
	end := start
	depth := 0
	for end < len(p.toks) {
		k := p.toks[end]
		if k.kind == tkEnd || k.kind == tkEOF || depth == 0 && k.kind == tkPunct && k.text == "," {
			break
		}
		if k.kind == tkPunct && k.text == "(" {
			depth++
		} else if k.kind == tkPunct && k.text == ")" {
			depth--
		}
		end++
	}
	sub := &parser{toks: append(p.toks[start:end:end], token{kind: tkEOF, line: p.peek().line}), m: p.m, line: p.line}
	sub.tableOptions(t)
	p.pos = end
}

// createIndex reads CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX name [USING t] ON tbl (parts) [options].
func (p *parser) createIndex() {
	line := p.line
	kind := idxKey
	switch {
	case p.acceptWord("UNIQUE"):
		kind = idxUnique
	case p.acceptWord("FULLTEXT"):
		kind = idxFulltext
	case p.acceptWord("SPATIAL"):
		kind = idxSpatial
	}
	p.expectWord("INDEX")
	p.ifExists()
	name := p.ident("index name")
	p.indexType()
	p.expectWord("ON")
	tn := p.tableName()
	t := p.m.ensure(tn, line)
	p.withTable(tn, func() {
		ix := &index{name: name, kind: kind, line: line, parts: p.keyParts()}
		p.indexOptions()
		for p.acceptWord("ALGORITHM") || p.acceptWord("LOCK") {
			p.acceptPunct("=")
			p.value()
		}
		if !p.atEnd() {
			p.fail(p.peek(), "unexpected %s after CREATE INDEX", p.peek())
		}
		p.appendIndex(t, ix)
	})
}

// drop reads DROP TABLE / DROP INDEX; other DROPs do not change tables.
func (p *parser) drop() {
	p.expectWord("DROP")
	p.acceptWord("TEMPORARY")
	switch {
	case p.acceptWord("TABLE"), p.acceptWord("TABLES"):
		p.ifExists()
		for {
			p.m.drop(p.tableName())
			if !p.acceptPunct(",") {
				break
			}
		}
		p.acceptWord("RESTRICT")
		p.acceptWord("CASCADE")
	case p.acceptWord("INDEX"):
		p.ifExists()
		name := p.ident("index name")
		p.expectWord("ON")
		tn := p.tableName()
		if t := p.m.table(tn); t != nil {
			t.dropIndex(name)
		}
	default:
		// DROP DATABASE/VIEW/TRIGGER/...: no table change.
		for !p.atEnd() {
			p.next()
		}
	}
	if !p.atEnd() {
		for p.acceptWord("ALGORITHM") || p.acceptWord("LOCK") {
			p.acceptPunct("=")
			p.value()
		}
	}
	if !p.atEnd() {
		p.fail(p.peek(), "unexpected %s in DROP", p.peek())
	}
}

// renameTables reads RENAME TABLE a TO b[, c TO d].
func (p *parser) renameTables() {
	p.expectWord("RENAME")
	if !p.acceptWord("TABLE") {
		p.expectWord("TABLES")
	}
	for {
		from := p.tableName()
		p.expectWord("TO")
		p.m.rename(from, p.tableName())
		if !p.acceptPunct(",") {
			break
		}
	}
	if !p.atEnd() {
		p.fail(p.peek(), "unexpected %s in RENAME TABLE", p.peek())
	}
}

// set reads SET statements for the connection character set: SET NAMES x,
// SET CHARACTER SET x, SET [SESSION|@@session.]character_set_client = x.
// Other SET statements do not change the schema.
func (p *parser) set() {
	p.expectWord("SET")
	for !p.atEnd() {
		switch {
		case p.acceptWord("NAMES"), p.acceptWord("CHARSET"):
			p.connValue()
		case p.isWord("CHARACTER") && p.isWordAt(1, "SET"):
			p.next()
			p.next()
			p.connValue()
		default:
			t := p.next()
			if t.kind != tkWord {
				continue
			}
			w := strings.ToLower(t.text)
			w = strings.TrimPrefix(w, "@@session.")
			w = strings.TrimPrefix(w, "@@")
			if (w == "character_set_client" || w == "character_set_connection" || w == "character_set_results") &&
				p.acceptPunct("=") {
				p.connValue()
			}
		}
	}
}

func (p *parser) connValue() {
	t := p.peek()
	if t.kind == tkWord && (strings.HasPrefix(t.text, "@") || strings.EqualFold(t.text, "DEFAULT")) {
		p.next()
		return
	}
	v := strings.ToLower(p.value())
	p.m.conn = append(p.m.conn, connCharset{charset: v, line: t.line})
	if p.acceptWord("COLLATE") {
		p.value()
	}
}

func isText(c *column) bool { return dataTypes[c.typ] || c.typ == "CHAR" || c.typ == "VARCHAR" }
