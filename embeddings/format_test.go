package embeddings

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func smallModel() *Model {
	return newModel(3, []string{"item:1", "item:2", "shop:1", "word"}, nil, []float32{
		1, 0, 0,
		0.9, 0.1, 0,
		0, 1, 0,
		-1, 0.5, 1e-8,
	})
}

func TestFormatRoundTrip(t *testing.T) {
	m := smallModel()
	for _, tt := range []struct {
		name  string
		write func(*Model, *bytes.Buffer) error
		read  func(*bytes.Buffer) (*Model, error)
	}{
		{"text", func(m *Model, b *bytes.Buffer) error { return m.WriteText(b) }, func(b *bytes.Buffer) (*Model, error) { return ReadText(b) }},
		{"binary", func(m *Model, b *bytes.Buffer) error { return m.WriteBinary(b) }, func(b *bytes.Buffer) (*Model, error) { return ReadBinary(b) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, tt.write(m, &b))
			got, err := tt.read(&b)
			require.NoError(t, err)
			assert.Equal(t, m.tokens, got.tokens)
			assert.Equal(t, m.flat(), got.flat())
			assert.Equal(t, m.dim, got.Dim())
		})
	}
}

func TestWriteTextHeader(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, smallModel().WriteText(&b))
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	assert.Equal(t, "4 3", lines[0])
	assert.Equal(t, "item:1 1 0 0", lines[1])
	assert.Len(t, lines, 5)
}

var readTextTests = []struct {
	name string
	in   string
	ok   bool
}{
	{"ok", "2 2\na 1 2\nb 3 4\n", true},
	{"huge header", "3000000000 65536\na 1\n", false},
	{"trailing spaces", "1 2\na 1 2 \n", true},
	{"crlf", "1 2\r\na 1 2\r\n", true},
	{"no final newline", "1 2\na 1 2", false}, // cut: "1 2.5" would read as "1 2"
	{"trailing blank lines", "1 2\na 1 2\n\n \r\n", true},
	{"cut inside the last number", "1 2\na 1 123.4", false},
	{"empty", "", false},
	{"bad header", "x 2\n", false},
	{"zero dim", "1 0\na\n", false},
	{"zero model", "0 0\n", true},
	{"short row", "1 2\na 1\n", false},
	{"long row", "1 2\na 1 2 3\n", false},
	{"bad float", "1 2\na 1 x\n", false},
	{"missing rows", "2 2\na 1 2\n", false},
	{"no token", "1 2\n 1 2\n", false},
	{"NaN", "1 2\na 1 NaN\n", false},
	{"infinity", "1 2\na -Inf 1\n", false},
	{"overflow", "1 2\na 1e39 1\n", false},
	{"more rows than header", "1 2\na 1 2\nb 3 4\n", false},
	{"text after the rows", "1 2\na 1 2\n\nb 3 4\n", false},
	{"zero vectors", "0 2\n", true},
}

func TestReadText(t *testing.T) {
	for _, tt := range readTextTests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ReadText(strings.NewReader(tt.in))
			if !tt.ok {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			if m.Len() > 0 {
				assert.Equal(t, 2, m.Dim())
			}
		})
	}
}

// TestZeroModelRoundTrip writes the zero Model in both formats and reads
// it back.
func TestZeroModelRoundTrip(t *testing.T) {
	var m Model
	var text, bin bytes.Buffer
	require.NoError(t, m.WriteText(&text))
	require.NoError(t, m.WriteBinary(&bin))
	for name, read := range map[string]func() (*Model, error){
		"text":   func() (*Model, error) { return ReadText(&text) },
		"binary": func() (*Model, error) { return ReadBinary(&bin) },
	} {
		got, err := read()
		require.NoError(t, err, name)
		assert.Equal(t, 0, got.Len(), name)
		_, err = got.Nearest("a", 1)
		assert.ErrorIs(t, err, ErrUnknownToken, name)
	}
}

func TestReadTextParseError(t *testing.T) {
	_, err := ReadText(strings.NewReader("1 2\na 1 x\n"))
	pe, ok := errors.AsType[*ParseError](err)
	require.True(t, ok, "error %v is not a *ParseError", err)
	assert.Equal(t, 2, pe.Line)
	assert.ErrorIs(t, err, ErrFormat)
}

func TestReadErrorsNameTheValue(t *testing.T) {
	nan := math.Float32bits(float32(math.NaN()))
	for _, tt := range []struct {
		name string
		read func([]byte) (*Model, error)
		in   string
		want []string
	}{
		{"text NaN", readText, "2 2\na 1 2\nb 1 NaN\n", []string{"line 3", `value 2 "NaN"`, "not a finite number"}},
		{"text short row", readText, "1 3\na 1 2\n", []string{"line 2", "2 values, want 3"}},
		{"text bad float", readText, "1 2\na 1 1,5\n", []string{"line 2", `value 2 "1,5"`}},
		{"text header", readText, "2\n", []string{"line 1", `header "2"`}},
		{"binary NaN", readBinary, "1 2\nx \x00\x00\x80\x3f" + string(binary.LittleEndian.AppendUint32(nil, nan)) + "\n", []string{`vector 1 "x"`, "value 2 NaN"}},
		{"binary truncated", readBinary, "2 1\nx \x00\x00\x80\x3f\ny \x00", []string{"vector 2", "unexpected EOF"}},
		{"binary dim", readBinary, "1 70000\n", []string{`header "1 70000`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.read([]byte(tt.in))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrFormat)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestReadDuplicateTokens(t *testing.T) {
	in := "4 2\na 1 0\nb 0 1\na 0 1\nc 1 1\n"
	m, err := ReadText(strings.NewReader(in))
	require.NoError(t, err)
	var bin bytes.Buffer
	require.NoError(t, newModel(2, []string{"a", "b", "a", "c"}, nil, []float32{1, 0, 0, 1, 0, 1, 1, 1}).WriteBinary(&bin))
	mb, err := ReadBinary(&bin)
	require.NoError(t, err)
	for name, m := range map[string]*Model{"text": m, "binary": mb} {
		assert.Equal(t, []string{"a", "b", "c"}, m.tokens, name)
		assert.Equal(t, []float32{1, 0, 0, 1, 1, 1}, m.flat(), name)
		nb, err := m.Nearest("b", 5)
		require.NoError(t, err)
		assert.Len(t, nb, 2, "%s: Nearest(b) = %v", name, nb)
	}
}

func TestReadTextReaderError(t *testing.T) {
	disk := errors.New("disk gone")
	_, err := ReadText(io.MultiReader(strings.NewReader("2 2\na 1 2\n"), iotest.ErrReader(disk)))
	assert.ErrorIs(t, err, disk)
	assert.EqualError(t, err, "embeddings: read text: disk gone")
}

func readText(b []byte) (*Model, error) { return ReadText(bytes.NewReader(b)) }

func readBinary(b []byte) (*Model, error) { return ReadBinary(bytes.NewReader(b)) }

// assertFinite fails unless every component of m is a finite number.
func assertFinite(t *testing.T, m *Model) {
	for i, x := range m.flat() {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			t.Fatalf("component %d of the model is %v", i, x)
		}
	}
}

func TestReadBinaryTruncated(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, smallModel().WriteBinary(&b))
	full := b.Bytes()
	for n := range len(full) - 1 {
		if _, err := ReadBinary(bytes.NewReader(full[:n])); err == nil {
			t.Fatalf("ReadBinary(first %d of %d bytes) succeeded", n, len(full))
		}
	}
}

func FuzzReadText(f *testing.F) {
	for _, tt := range readTextTests {
		f.Add([]byte(tt.in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<12 {
			return
		}
		m, err := ReadText(bytes.NewReader(in))
		if err != nil {
			return
		}
		assertFinite(t, m)
		var b bytes.Buffer
		require.NoError(t, m.WriteText(&b))
		m2, err := ReadText(&b)
		require.NoError(t, err)
		assert.Equal(t, m.tokens, m2.tokens)
		assert.Equal(t, len(m.flat()), len(m2.flat()))
	})
}

func FuzzReadBinary(f *testing.F) {
	var b bytes.Buffer
	_ = smallModel().WriteBinary(&b)
	f.Add(b.Bytes())
	f.Add([]byte("1 1\nx \x00\x00\x80\x3f\n"))
	f.Add([]byte("3000000000 65536\n"))
	f.Add([]byte("1 1\nx \x00\x00\xc0\x7f\n")) // NaN
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<12 {
			return
		}
		m, err := ReadBinary(bytes.NewReader(in))
		if err != nil {
			return
		}
		assertFinite(t, m)
		var out bytes.Buffer
		require.NoError(t, m.WriteBinary(&out))
		m2, err := ReadBinary(&out)
		require.NoError(t, err)
		assert.Equal(t, m.tokens, m2.tokens)
	})
}

// TestReadTextTruncated cuts a written model at every byte: only the whole
// file reads back, so a file cut inside its last number ("123.456" as
// "123.4") is refused rather than loaded with a changed value.
func TestReadTextTruncated(t *testing.T) {
	m := newModel(2, []string{"a", "b"}, nil, []float32{1.5, -2, 0.25, 123.456})
	var b bytes.Buffer
	require.NoError(t, m.WriteText(&b))
	full := b.Bytes()
	for n := range len(full) {
		got, err := ReadText(bytes.NewReader(full[:n]))
		if err == nil {
			t.Fatalf("ReadText(first %d of %d bytes %q) = %v, want an error", n, len(full), full[:n], got.flat())
		}
		if !errors.Is(err, ErrFormat) {
			t.Errorf("ReadText(first %d bytes): error %v does not wrap ErrFormat", n, err)
		}
	}
	_, err := ReadText(bytes.NewReader(full[:len(full)-1]))
	assert.ErrorContains(t, err, `line 3: "b 0.25 123.456": invalid vector file: no newline at the end of the last vector: the file is truncated`)
	got, err := ReadText(bytes.NewReader(full))
	require.NoError(t, err)
	assert.Equal(t, m.flat(), got.flat())
}

func TestReadVectorCount(t *testing.T) {
	for _, tt := range []struct {
		name string
		read func([]byte) (*Model, error)
		in   string
		want string // "" means success
	}{
		{"text extra row", readText, "1 2\na 1 2\nb 3 4\n", `embeddings: line 3: "b 3 4": invalid vector file: more vectors than the 1 the header declares`},
		{"text missing row", readText, "3 2\na 1 2\nb 3 4\n", `embeddings: invalid vector file: 2 vectors, the header declares 3`},
		{"text blank lines at the end", readText, "1 2\na 1 2\n\n\n", ""},
		{"binary trailing data", readBinary, "1 1\nx \x00\x00\x80\x3f\ngarbage", `embeddings: invalid vector file: data after the 1 vectors the header declares: "garbage"`},
		{"binary trailing newline", readBinary, "1 1\nx \x00\x00\x80\x3f\n\n", ""},
		{"binary no final newline", readBinary, "1 1\nx \x00\x00\x80\x3f", ""},
		{"binary missing vector", readBinary, "2 1\nx \x00\x00\x80\x3f\n", `embeddings: invalid vector file: vector 2: unexpected EOF`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.read([]byte(tt.in))
			if tt.want == "" {
				require.NoError(t, err)
				assert.Equal(t, 1, m.Len())
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.ErrorIs(t, err, ErrFormat)
		})
	}
}
