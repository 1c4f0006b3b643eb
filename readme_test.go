package craftkit

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readmeSnippets returns the Go code blocks of README.md, keyed by the
// package named in the "### <package>" heading above each.
func readmeSnippets(t *testing.T) map[string][]string {
	t.Helper()
	f, err := os.Open("README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	snippets := map[string][]string{}
	pkg, inGo := "", false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case inGo && strings.HasPrefix(line, "```"):
			inGo = false
		case inGo:
			if pkg == "" {
				t.Fatalf("README.md: a Go snippet outside a \"### <package>\" section: %q", line)
			}
			snippets[pkg] = append(snippets[pkg], line)
		case line == "```go":
			inGo = true
		case strings.HasPrefix(line, "### "):
			pkg = strings.TrimSpace(strings.TrimPrefix(line, "### "))
		case strings.HasPrefix(line, "## "):
			pkg = ""
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return snippets
}

var (
	space       = regexp.MustCompile(`\s+`)
	lineComment = regexp.MustCompile(`\s//.*$`)
)

// codeLine returns the code of a snippet line without its trailing comment
// and with runs of blanks as one space, or "" for a blank or comment line.
func codeLine(s string) string {
	s = strings.TrimSpace(lineComment.ReplaceAllString(strings.TrimRight(s, "\r\n"), ""))
	if strings.HasPrefix(s, "//") {
		return ""
	}
	return space.ReplaceAllString(s, " ")
}

// TestREADMESnippetsAreExamples keeps the README honest: every code line of
// a package's snippet must appear, as written, in one of that package's
// Example functions (example_test.go files), which go test compiles, runs
// and checks against their // Output: comments.
func TestREADMESnippetsAreExamples(t *testing.T) {
	snippets := readmeSnippets(t)
	if len(snippets) == 0 {
		t.Fatal("README.md has no Go snippets")
	}
	for pkg, lines := range snippets {
		t.Run(pkg, func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join(pkg, "*example*_test.go"))
			if len(files) == 0 {
				t.Fatalf("README section %q: no %s/*example*_test.go to mirror it", pkg, pkg)
			}
			var examples strings.Builder
			for _, name := range files {
				b, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				for l := range strings.Lines(string(b)) {
					examples.WriteString(codeLine(l))
					examples.WriteByte('\n')
				}
			}
			all := "\n" + examples.String()
			for _, l := range lines {
				code := codeLine(l)
				if code == "" {
					continue
				}
				if !strings.Contains(all, "\n"+code+"\n") {
					t.Errorf("README %s snippet line %q is in no Example of %s", pkg, code, pkg)
				}
			}
		})
	}
}
