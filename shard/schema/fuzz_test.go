package schema

import (
	"os"
	"strings"
	"testing"
)

// FuzzLint checks that Lint never panics, returns findings with a rule, a
// message and a line inside the input, is deterministic, and that an
// unparseable statement appended to any input is reported as a "parse"
// finding rather than passing.
func FuzzLint(f *testing.F) {
	for _, tt := range lintCases {
		f.Add(tt.ddl)
	}
	for _, name := range []string{"testdata/mysqldump80.sql", "testdata/mariadb1011.sql"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, ddl string) {
		if len(ddl) > 1<<16 {
			t.Skip()
		}
		got := Lint(ddl, nil)
		lines := strings.Count(ddl, "\n") + 1
		for _, fd := range got {
			if fd.Rule == "" || fd.Message == "" || fd.Line < 1 || fd.Line > lines {
				t.Fatalf("Lint(%q): bad finding %+v (input has %d lines)", ddl, fd, lines)
			}
		}
		if again := Lint(ddl, nil); len(again) != len(got) {
			t.Fatalf("Lint(%q) not deterministic: %d then %d findings", ddl, len(got), len(again))
		}
		// Appending a statement nobody can parse must yield a parse
		// finding, whatever came before, unless a DELIMITER command changed
		// what ends a statement (the garbage then belongs to a routine body).
		if strings.Contains(strings.ToLower(ddl), "delimiter") {
			return
		}
		bad := Lint(ddl+"\n;\n@@@ nonsense;", nil)
		for _, fd := range bad {
			if fd.Rule == RuleParse {
				return
			}
		}
		t.Fatalf("Lint(%q + garbage) has no parse finding: %v", ddl, bad)
	})
}

// FuzzSplit checks that Split never panics and returns statements that
// are non-empty pieces of the input, in order, with lines in range.
func FuzzSplit(f *testing.F) {
	for _, tt := range lintCases {
		f.Add(tt.ddl)
	}
	f.Add("DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END;;\nDELIMITER ;\nSELECT 2;")
	f.Fuzz(func(t *testing.T, script string) {
		if len(script) > 1<<16 {
			t.Skip()
		}
		stmts, err := Split(script)
		if err != nil {
			return
		}
		rest := script
		lines := strings.Count(script, "\n") + 1
		for _, s := range stmts {
			i := strings.Index(rest, s.Text)
			if s.Text == "" || i < 0 || s.Line < 1 || s.Line > lines {
				t.Fatalf("Split(%q): statement %+v is empty, out of order or out of range", script, s)
			}
			rest = rest[i+len(s.Text):]
		}
	})
}
