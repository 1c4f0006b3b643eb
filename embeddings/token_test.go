package embeddings

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var queryTokenTests = []struct {
	text, want string
}{
	{"orologio da polso", "query:orologio_da_polso"},
	{"  orologio \t da\n polso  ", "query:orologio_da_polso"},
	{"boots", "query:boots"},
	{"", "query:"},
	{" \t ", "query:"},
	{"t_shirt", "query:t%5Fshirt"},
	{"50% off", "query:50%25_off"},
	{"a|b c,d e@cart f=g", "query:a%7Cb_c%2Cd_e%40cart_f%3Dg"},
	{"| purchase=item:1", "query:%7C_purchase%3Ditem:1"},
	{"ctrl\x00\x7fz", "query:ctrl%00%7Fz"},
	{"montre\u00a0suisse", "query:montre_suisse"}, // no-break space separates words
	{"Ürün Çanta 手表", "query:Ürün_Çanta_手表"},
	{"query:x", "query:query:x"},
}

func TestQueryToken(t *testing.T) {
	for _, tt := range queryTokenTests {
		t.Run(tt.text, func(t *testing.T) {
			got := QueryToken(tt.text)
			if got != tt.want {
				t.Fatalf("QueryToken(%q) = %q, want %q", tt.text, got, tt.want)
			}
			checkQueryToken(t, tt.text, got)
		})
	}
}

// checkQueryToken checks that tok, built from text, survives every place
// the session syntax can hold a token and decodes back to text's words.
func checkQueryToken(t *testing.T, text, tok string) {
	t.Helper()
	if strings.ContainsFunc(tok, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) }) {
		t.Fatalf("QueryToken(%q) = %q contains white space", text, tok)
	}
	if back, ok := QueryText(tok); !ok || back != strings.Join(strings.Fields(text), " ") {
		t.Fatalf("QueryText(%q) = %q, %v, want %q, true", tok, back, ok, strings.Join(strings.Fields(text), " "))
	}
	line := "item:1 " + tok + " " + tok + "@cart | purchase=" + tok + ",item:2 | skipped=" + tok
	for _, markers := range []map[string]float32{nil, DefaultWeights()} {
		s, err := ParseSession(line, markers)
		if err != nil {
			t.Fatalf("ParseSession(%q): %v", line, err)
		}
		wantTokens := []string{"item:1", tok, tok + "@cart"}
		if markers != nil {
			wantTokens[2] = tok
		}
		if strings.Join(s.Tokens, "\x00") != strings.Join(wantTokens, "\x00") ||
			len(s.Purchases) != 2 || s.Purchases[0] != tok || s.Purchases[1] != "item:2" || len(s.Skipped) != 1 || s.Skipped[0] != tok {
			t.Fatalf("ParseSession(%q) = %q, want tokens %q, purchases [%q item:2], skipped [%q]", line, s, wantTokens, tok, tok)
		}
	}
	var p lineParser
	p.plain = true
	if err := p.parse([]byte(tok)); err != nil || len(p.tokens) != 1 || string(p.tokens[0]) != tok {
		t.Fatalf("plain-text parse of %q = %q, %v", tok, p.tokens, err)
	}
}

func TestQueryText(t *testing.T) {
	for _, tt := range []struct {
		token string
		want  string
		ok    bool
	}{
		{"query:orologio_da_polso", "orologio da polso", true},
		{"query:t%5fshirt", "t_shirt", true},
		{"query:", "", true},
		{"item:1", "", false},
		{"query:50%", "", false},
		{"query:50%2", "", false},
		{"query:50%zz", "", false},
	} {
		got, ok := QueryText(tt.token)
		if got != tt.want || ok != tt.ok {
			t.Errorf("QueryText(%q) = %q, %v, want %q, %v", tt.token, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzQueryToken(f *testing.F) {
	for _, tt := range queryTokenTests {
		f.Add(tt.text)
	}
	for _, tt := range sessionTests {
		f.Add(tt.line)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 1<<12 {
			return
		}
		tok := QueryToken(text)
		if utf8.ValidString(text) && !utf8.ValidString(tok) {
			t.Fatalf("QueryToken(%q) = %q is not valid UTF-8", text, tok)
		}
		checkQueryToken(t, text, tok)
	})
}

// plainCorpus holds the session syntax as ordinary characters: the
// default mode refuses it, PlainText reads it as words.
const plainCorpus = "a | b = c , d@cart e\n" +
	"a | b = c , d@cart e\n" +
	"e d@cart , c = b | a\n" +
	"x|y purchase=z\n"

func TestTrainPlainText(t *testing.T) {
	_, err := Train(context.Background(), strings.NewReader(plainCorpus), Config{MinCount: 1, Threads: 1})
	if !errors.Is(err, ErrSection) {
		t.Fatalf("Train(session format) error = %v, want ErrSection", err)
	}
	path := filepath.Join(t.TempDir(), "plain.txt")
	if err := os.WriteFile(path, []byte(plainCorpus), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Config{PlainText: true, Dim: 8, MinCount: 1, Threads: 1, Seed: 3, Epochs: 2}
	mem, err := Train(context.Background(), strings.NewReader(plainCorpus), cfg)
	if err != nil {
		t.Fatalf("Train(PlainText): %v", err)
	}
	file, err := TrainFile(context.Background(), path, cfg)
	if err != nil {
		t.Fatalf("TrainFile(PlainText): %v", err)
	}
	want := map[string]int64{"a": 3, "|": 3, "b": 3, "=": 3, "c": 3, ",": 3, "d@cart": 3, "e": 3, "x|y": 1, "purchase=z": 1}
	for _, m := range []*Model{mem, file} {
		if m.Len() != len(want) {
			t.Errorf("Len() = %d, want %d", m.Len(), len(want))
		}
		for tok, n := range want {
			if got := m.Count(tok); got != n {
				t.Errorf("Count(%q) = %d, want %d", tok, got, n)
			}
		}
	}
	if modelText(t, mem) != modelText(t, file) {
		t.Fatalf("Train and TrainFile disagree on a plain-text corpus")
	}
}
