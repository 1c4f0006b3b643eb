package schema

import (
	"fmt"
	"strings"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tkEOF    tokKind = iota
	tkWord           // bare word: keyword or unquoted identifier
	tkQuoted         // backtick-quoted identifier (text is unquoted)
	tkString         // '...' or "..." string literal (text is unescaped)
	tkNumber         // numeric literal, hex literal, bit literal
	tkPunct          // one punctuation character
	tkEnd            // statement delimiter (";" or the DELIMITER in effect)
)

// token is one lexical token with its 1-based position.
type token struct {
	kind tokKind
	text string
	line int
	col  int
	off  int // byte offset of the token's first byte
	end  int // byte offset just past the token
}

func (t token) String() string {
	switch t.kind {
	case tkEOF:
		return "end of input"
	case tkEnd:
		return fmt.Sprintf("delimiter %q", t.text)
	case tkString:
		return fmt.Sprintf("string %q", t.text)
	case tkQuoted:
		return "`" + t.text + "`"
	}
	return fmt.Sprintf("%q", t.text)
}

// lexError is a lexical error at a position.
type lexError struct {
	line, col int
	msg       string
}

func (e *lexError) Error() string { return fmt.Sprintf("line %d col %d: %s", e.line, e.col, e.msg) }

// lex splits MySQL/MariaDB SQL text into tokens. Comments are dropped
// ("-- " to end of line, "#" to end of line, "/* */"); the contents of
// executable comments ("/*!40101 ... */", MariaDB's "/*M!100100 ... */")
// are lexed as ordinary SQL, as the server does. A line starting with
// DELIMITER changes the statement delimiter, as the mysql client does.
// Work is linear in len(src).
func lex(src string) ([]token, error) {
	l := lexer{src: src, line: 1, col: 1, delim: ";"}
	for {
		t, err := l.next()
		if err != nil {
			return l.toks, err
		}
		t.end = l.pos
		l.toks = append(l.toks, t)
		if t.kind == tkEOF {
			return l.toks, nil
		}
	}
}

type lexer struct {
	src       string
	pos       int
	line, col int
	delim     string
	inExec    bool // inside /*! ... */
	lineStart bool // only blanks since the last newline
	toks      []token
}

func (l *lexer) advance(n int) {
	for i := 0; i < n && l.pos < len(l.src); i++ {
		if l.src[l.pos] == '\n' {
			l.line++
			l.col = 1
			l.lineStart = true
		} else {
			l.col++
		}
		l.pos++
	}
}

func (l *lexer) errorf(format string, args ...any) error {
	return &lexError{line: l.line, col: l.col, msg: fmt.Sprintf(format, args...)}
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// next returns the next token, skipping blanks and comments.
func (l *lexer) next() (token, error) {
	l.lineStart = l.pos == 0 || l.lineStart
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		rest := l.src[l.pos:]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v':
			l.advance(1)
			continue
		case c == '#' || strings.HasPrefix(rest, "--") && (len(rest) == 2 || rest[2] == ' ' || rest[2] == '\t' || rest[2] == '\n' || rest[2] == '\r'):
			i := strings.IndexByte(rest, '\n')
			if i < 0 {
				i = len(rest)
			}
			l.advance(i)
			continue
		case strings.HasPrefix(rest, "/*!") || strings.HasPrefix(rest, "/*M!"):
			if l.inExec {
				return token{}, l.errorf("nested executable comment")
			}
			n := 3
			if rest[2] == 'M' {
				n = 4
			}
			for n < len(rest) && isDigit(rest[n]) {
				n++
			}
			if n < len(rest) && rest[n] == '\\' {
				// A client command such as MariaDB's "/*M!999999\- enable
				// the sandbox mode */": not SQL.
				i := strings.Index(rest, "*/")
				if i < 0 {
					return token{}, l.errorf("unterminated comment")
				}
				l.advance(i + 2)
				continue
			}
			l.inExec = true
			l.advance(n)
			continue
		case strings.HasPrefix(rest, "/*"):
			i := strings.Index(rest[2:], "*/")
			if i < 0 {
				return token{}, l.errorf("unterminated comment")
			}
			l.advance(i + 4)
			continue
		case l.inExec && strings.HasPrefix(rest, "*/"):
			l.inExec = false
			l.advance(2)
			continue
		}
		break
	}
	if l.pos >= len(l.src) {
		if l.inExec {
			return token{}, l.errorf("unterminated executable comment")
		}
		return token{kind: tkEOF, line: l.line, col: l.col, off: l.pos}, nil
	}
	start := token{line: l.line, col: l.col, off: l.pos}
	rest := l.src[l.pos:]
	if l.lineStart && len(rest) > 10 && strings.EqualFold(rest[:9], "DELIMITER") && (rest[9] == ' ' || rest[9] == '\t') {
		i := strings.IndexByte(rest, '\n')
		if i < 0 {
			i = len(rest)
		}
		d := strings.TrimSpace(rest[10:i])
		if d == "" || strings.ContainsAny(d, " \t'\"`") {
			return token{}, l.errorf("bad DELIMITER %q", d)
		}
		l.advance(i)
		l.delim = d
		l.lineStart = false
		start.kind, start.text = tkEnd, "DELIMITER"
		return start, nil
	}
	l.lineStart = false
	if strings.HasPrefix(rest, l.delim) {
		l.advance(len(l.delim))
		start.kind, start.text = tkEnd, l.delim
		return start, nil
	}
	c := rest[0]
	switch {
	case c == '`':
		s, n, ok := unquote(rest, '`')
		if !ok {
			return token{}, l.errorf("unterminated quoted identifier")
		}
		l.advance(n)
		start.kind, start.text = tkQuoted, s
	case c == '\'' || c == '"':
		s, n, ok := unquote(rest, c)
		if !ok {
			return token{}, l.errorf("unterminated string")
		}
		l.advance(n)
		start.kind, start.text = tkString, s
	case (c == 'x' || c == 'X' || c == 'b' || c == 'B') && len(rest) > 1 && rest[1] == '\'':
		i := strings.IndexByte(rest[2:], '\'')
		if i < 0 {
			return token{}, l.errorf("unterminated %c'' literal", c)
		}
		l.advance(i + 3)
		start.kind, start.text = tkNumber, rest[:i+3]
	case isDigit(c) || c == '.' && len(rest) > 1 && isDigit(rest[1]):
		n := 1
		for n < len(rest) && (isWordByte(rest[n]) || rest[n] == '.' ||
			(rest[n] == '+' || rest[n] == '-') && (rest[n-1] == 'e' || rest[n-1] == 'E')) {
			n++
		}
		l.advance(n)
		start.kind, start.text = tkNumber, rest[:n]
	case isWordByte(c):
		n := 1
		for n < len(rest) && isWordByte(rest[n]) {
			n++
		}
		l.advance(n)
		start.kind, start.text = tkWord, rest[:n]
	case c == '@':
		n := 1
		for n < len(rest) && (isWordByte(rest[n]) || rest[n] == '@' || rest[n] == '.') {
			n++
		}
		l.advance(n)
		start.kind, start.text = tkWord, rest[:n]
	default:
		l.advance(1)
		start.kind, start.text = tkPunct, rest[:1]
	}
	return start, nil
}

// unquote reads a quoted token starting at s[0] == q. A doubled quote
// stands for one quote; in strings a backslash escapes the next byte.
// It returns the contents, the bytes consumed and whether the quote closed.
func unquote(s string, q byte) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && q != '`' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == q && i+1 < len(s) && s[i+1] == q:
			i++
			b.WriteByte(q)
		case c == q:
			return b.String(), i + 1, true
		default:
			b.WriteByte(c)
		}
	}
	return "", len(s), false
}
