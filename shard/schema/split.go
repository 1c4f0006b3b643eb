package schema

import (
	"fmt"
	"strings"
)

// Statement is one SQL statement of a script, as [Split] cut it.
type Statement struct {
	// Text is the statement without its delimiter, comments inside kept.
	Text string `json:"sql"`
	// Line is the 1-based line of its first token in the script.
	Line int `json:"line"`
}

// Split cuts a SQL script into statements at the delimiter (";", or what
// a mysql-client DELIMITER line sets), ignoring delimiters inside strings,
// quoted identifiers and comments. Statements holding only comments are
// dropped. An unterminated string or comment is an error naming its line.
func Split(script string) ([]Statement, error) {
	toks, err := lex(script)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	var out []Statement
	from := 0   // byte offset where the current statement's text starts
	first := -1 // index of its first token
	for i, t := range toks {
		if t.kind != tkEnd && t.kind != tkEOF {
			if first < 0 {
				first = i
			}
			continue
		}
		if first >= 0 {
			// Start at the first token, but keep an executable comment
			// opener ("/*!40101 ") that precedes it on the same stretch.
			start := toks[first].off
			if j := strings.LastIndex(script[from:start], "/*!"); j >= 0 && !strings.Contains(script[from+j:start], "*/") {
				start = from + j
			} else if j := strings.LastIndex(script[from:start], "/*M!"); j >= 0 && !strings.Contains(script[from+j:start], "*/") {
				start = from + j
			}
			text := strings.TrimSpace(script[start:t.off])
			out = append(out, Statement{Text: text, Line: toks[first].line})
		}
		from, first = t.end, -1
		if t.kind == tkEnd && t.text == "DELIMITER" {
			from = t.end
		}
	}
	return out, nil
}
