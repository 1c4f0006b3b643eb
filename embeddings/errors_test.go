package embeddings

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorsOnePrefix checks that every error names the package once,
// where it is created, and names what the caller passed.
func TestErrorsOnePrefix(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus.txt")
	if err := os.WriteFile(corpus, []byte("a b\nfish | chips\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var bin bytes.Buffer
	if err := smallModel().WriteBinary(&bin); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		call func() error
		want string
	}{
		{"train section", func() error {
			_, err := Train(context.Background(), strings.NewReader("a b |\n"), Config{MinCount: 1})
			return err
		}, `embeddings: line 1, column 5: "a b |": invalid section "" after the '|' at byte 4`},
		{"train file section", func() error {
			_, err := TrainFile(context.Background(), corpus, Config{MinCount: 1})
			return err
		}, `embeddings: ` + corpus + `: line 2, column 6: "fish | chips": invalid section "chips" after the '|' at byte 5`},
		{"train unknown key", func() error {
			_, err := Train(context.Background(), strings.NewReader("a b | colour=red\n"), Config{MinCount: 1})
			return err
		}, `embeddings: line 1, column 5: "a b | colour=red": invalid section: unknown key "colour" after the '|' at byte 4`},
		{"train action list", func() error {
			_, err := Train(context.Background(), strings.NewReader("q item:7\nq item:7[skipped=item:4,]\n"), Config{MinCount: 1, SkippedNegatives: true})
			return err
		}, `embeddings: line 2, column 25: "q item:7[skipped=item:4,]": invalid section: "item:7[skipped=item:4,]" at byte 2: skipped token "" at byte 24 is empty or contains '[' or ']'`},
		{"train action unclosed", func() error {
			_, err := Train(context.Background(), strings.NewReader("q item:7[skipped=item:4 x\n"), Config{MinCount: 1})
			return err
		}, `embeddings: line 1, column 9: "q item:7[skipped=item:4 x": invalid section: "item:7[skipped=item:4" at byte 2: the skipped list is not closed by ']' before the next space: want token[skipped=<token>,<token>...]`},
		{"train missing file", func() error {
			_, err := TrainFile(context.Background(), filepath.Join(dir, "missing"), Config{})
			return err
		}, "embeddings: train: open " + filepath.Join(dir, "missing")},
		{"train cancelled", func() error {
			_, err := Train(ctx, strings.NewReader("a\n"), Config{})
			return err
		}, "embeddings: train: context canceled"},
		{"train empty", func() error {
			_, err := Train(context.Background(), strings.NewReader("a\n"), Config{})
			return err
		}, "embeddings: empty vocabulary: no token reaches MinCount 5"},
		{"parse session", func() error {
			_, err := ParseSession("a | purchase=b,,c", nil)
			return err
		}, "embeddings: invalid section: empty purchase token after the '|' at byte 2"},
		{"read text value", func() error {
			_, err := ReadText(strings.NewReader("1 2\na 1 x\n"))
			return err
		}, `embeddings: line 2: "a 1 x": invalid vector file: value 2 "x": strconv.ParseFloat: parsing "x": invalid syntax`},
		{"read text header", func() error {
			_, err := ReadText(strings.NewReader("x 2\n"))
			return err
		}, `embeddings: line 1: "x 2": invalid vector file: header "x 2"`},
		{"read binary", func() error {
			_, err := ReadBinary(bytes.NewReader(bin.Bytes()[:20]))
			return err
		}, `embeddings: invalid vector file: vector 1 "item:1": unexpected EOF`},
		{"unknown token", func() error {
			_, err := smallModel().Nearest("nope", 1)
			return err
		}, `embeddings: unknown token "nope"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			msg := err.Error()
			if n := strings.Count(msg, "embeddings:"); n != 1 {
				t.Errorf("error %q names the package %d times, want once", msg, n)
			}
			if !strings.HasPrefix(msg, tt.want) {
				t.Errorf("error = %q, want it to start with %q", msg, tt.want)
			}
		})
	}
}
