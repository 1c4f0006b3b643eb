package embeddings

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var sessionTests = []struct {
	name    string
	line    string
	markers map[string]float32
	want    Session
	err     error
}{
	{name: "empty", line: "", want: Session{}},
	{name: "plain", line: "the quick  brown\tfox", want: Session{Tokens: []string{"the", "quick", "brown", "fox"}}},
	{name: "typed", line: "query:jaguar item:12 shop:4", want: Session{Tokens: []string{"query:jaguar", "item:12", "shop:4"}}},
	{
		name: "markers", line: "item:1 item:2@cart item:3@purchase a@b", markers: DefaultWeights(),
		want: Session{Tokens: []string{"item:1", "item:2", "item:3", "a@b"}, Markers: []string{"", "cart", "purchase", ""}},
	},
	{name: "markers off", line: "item:2@cart", want: Session{Tokens: []string{"item:2@cart"}}},
	{
		name: "sections", line: "item:1 item:9 | purchase=item:9 | skipped=item:4,item:7",
		want: Session{Tokens: []string{"item:1", "item:9"}, Purchases: []string{"item:9"}, Skipped: []string{"item:4", "item:7"}},
	},
	{
		name: "sections reversed", line: "a |skipped=b| purchase=c ",
		want: Session{Tokens: []string{"a"}, Purchases: []string{"c"}, Skipped: []string{"b"}},
	},
	{name: "unknown key", line: "a | bought=b", err: ErrSection},
	{name: "no value", line: "a | purchase=", err: ErrSection},
	{name: "no equals", line: "a | purchase", err: ErrSection},
	{name: "two purchases", line: "a | purchase=b | purchase=c", err: ErrSection},
	{
		name: "purchases", line: "item:1 item:9 item:12 | purchase=item:9,item:12",
		want: Session{Tokens: []string{"item:1", "item:9", "item:12"}, Purchases: []string{"item:9", "item:12"}},
	},
	{name: "empty purchase", line: "a | purchase=b,,c", err: ErrSection},
	{name: "trailing comma", line: "a | purchase=b,", err: ErrSection},
	{name: "empty skipped", line: "a | skipped=b,,c", err: ErrSection},
	{name: "space in value", line: "a | skipped=b c", err: ErrSection},
	{
		name: "action skipped", line: "query:boots item:7[skipped=item:4,item:5] item:9",
		want: Session{Tokens: []string{"query:boots", "item:7", "item:9"}, TokenSkipped: [][]string{nil, {"item:4", "item:5"}, nil}},
	},
	{
		name: "action skipped with marker", line: "q item:7@cart[skipped=item:4] | skipped=item:1", markers: DefaultWeights(),
		want: Session{
			Tokens: []string{"q", "item:7"}, Markers: []string{"", "cart"},
			Skipped: []string{"item:1"}, TokenSkipped: [][]string{nil, {"item:4"}},
		},
	},
	{name: "ordinary brackets", line: "a[1] b]", want: Session{Tokens: []string{"a[1]", "b]"}}},
	{name: "action list unclosed", line: "item:7[skipped=item:4 b", err: ErrSection},
	{name: "action list empty", line: "item:7[skipped=]", err: ErrSection},
	{name: "action list empty token", line: "item:7[skipped=a,,b]", err: ErrSection},
	{name: "action list bracket", line: "item:7[skipped=a[skipped=b]]", err: ErrSection},
	{name: "action without token", line: "[skipped=a]", err: ErrSection},
	{name: "action list after text", line: "item:7[skipped=a]x", err: ErrSection},
}

func TestParseSession(t *testing.T) {
	for _, tt := range sessionTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSession(tt.line, tt.markers)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			back, err := ParseSession(got.String(), tt.markers)
			require.NoError(t, err)
			assert.Equal(t, got, back, "ParseSession(%q.String())", tt.line)
		})
	}
}

func FuzzParseSession(f *testing.F) {
	for _, tt := range sessionTests {
		f.Add(tt.line, tt.markers != nil)
	}
	f.Fuzz(func(t *testing.T, line string, markers bool) {
		if len(line) > 4096 {
			return
		}
		var m map[string]float32
		if markers {
			m = DefaultWeights()
		}
		p := lineParser{markers: newMarkerSet(m)}
		if err := p.parse([]byte(line)); err != nil {
			pe := p.fail(1, []byte(line), err)
			if pe.Column < 0 || pe.Column > len(line) {
				t.Fatalf("parse(%q): column %d outside the line", line, pe.Column)
			}
		}
		s, err := ParseSession(line, m)
		if err != nil {
			if !errors.Is(err, ErrSection) {
				t.Fatalf("ParseSession(%q) error %v does not wrap ErrSection", line, err)
			}
			return
		}
		back, err := ParseSession(s.String(), m)
		if err != nil {
			t.Fatalf("ParseSession(%q) = %#v; reparsing %q: %v", line, s, s.String(), err)
		}
		assert.Equal(t, s, back)
	})
}
