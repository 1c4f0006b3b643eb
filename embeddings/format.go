package embeddings

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// ErrFormat reports a malformed word2vec vector file.
var ErrFormat = errors.New("embeddings: invalid vector file")

// errNotFinite is the cause of a NaN or infinite vector component.
var errNotFinite = errors.New("not a finite number")

// maxDim bounds the dimension accepted by the readers.
const maxDim = 1 << 16

// WriteText writes the model in word2vec's text format: a header line
// "<tokens> <dim>", then one line per token with the token and its
// components separated by single spaces. Components are written in the
// shortest form that reads back to the same float32.
func (m *Model) WriteText(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	buf := fmt.Appendf(nil, "%d %d\n", len(m.tokens), m.dim)
	for i, tok := range m.tokens {
		buf = append(buf, tok...)
		for _, x := range m.row(i) {
			buf = append(buf, ' ')
			buf = strconv.AppendFloat(buf, float64(x), 'g', -1, 32)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		buf = buf[:0]
	}
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteBinary writes the model in word2vec's binary format: the text
// header, then per token the token, a space, dim little-endian float32
// values and a newline.
func (m *Model) WriteBinary(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := fmt.Fprintf(bw, "%d %d\n", len(m.tokens), m.dim); err != nil {
		return err
	}
	buf := make([]byte, 0, 4*m.dim+64)
	for i, tok := range m.tokens {
		buf = append(buf[:0], tok...)
		buf = append(buf, ' ')
		for _, x := range m.row(i) {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func parseHeader(line []byte) (n, dim int, err error) {
	f := bytes.Fields(line)
	if len(f) != 2 {
		return 0, 0, fmt.Errorf("%w: header %q: want \"<tokens> <dim>\"", ErrFormat, line)
	}
	n, err1 := strconv.Atoi(string(f[0]))
	dim, err2 := strconv.Atoi(string(f[1]))
	if err1 != nil || err2 != nil || n < 0 || dim <= 0 || dim > maxDim {
		return 0, 0, fmt.Errorf("%w: header %q", ErrFormat, line)
	}
	return n, dim, nil
}

// ReadText reads a model in word2vec's text format, as written by
// [Model.WriteText], word2vec, gensim or fastText. Counts are unknown
// (see [Model.Count]). A token listed twice keeps its first vector, as in
// gensim. It returns a *ParseError for a malformed line,
// including a NaN or infinite component, and an error wrapping
// [ErrFormat] for a wrong header or missing vectors.
func ReadText(r io.Reader) (*Model, error) {
	lr := newLineReader(r)
	head, err := lr.next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = fmt.Errorf("%w: empty input", ErrFormat)
		}
		return nil, readTextError(err)
	}
	n, dim, err := parseHeader(head)
	if err != nil {
		return nil, newParseError(1, head, err)
	}
	tokens := make([]string, 0, min(n, 1<<16))
	vecs := make([]float32, 0, min(n, (1<<20)/dim)*dim)
	for len(tokens) < n {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: %d of %d vectors", ErrFormat, len(tokens), n)
		}
		if err != nil {
			return nil, readTextError(err)
		}
		line = bytes.TrimRight(line, " \r\t")
		i := bytes.IndexByte(line, ' ')
		if i <= 0 {
			return nil, newParseError(lr.line, line, fmt.Errorf("%w: want token and %d values", ErrFormat, dim))
		}
		tokens = append(tokens, string(line[:i]))
		rest := line[i+1:]
		for j := range dim {
			rest = bytes.TrimLeft(rest, " ")
			k := bytes.IndexByte(rest, ' ')
			if k < 0 {
				k = len(rest)
			}
			if k == 0 || (j == dim-1) != (k == len(rest)) {
				return nil, newParseError(lr.line, line, fmt.Errorf("%w: %d values, want %d", ErrFormat, len(bytes.Fields(line[i+1:])), dim))
			}
			x, err := strconv.ParseFloat(string(rest[:k]), 32)
			if err == nil && (math.IsNaN(x) || math.IsInf(x, 0)) {
				err = errNotFinite
			}
			if err != nil {
				return nil, newParseError(lr.line, line, fmt.Errorf("%w: value %d %q: %w", ErrFormat, j+1, rest[:k], err))
			}
			vecs = append(vecs, float32(x))
			rest = rest[k:]
		}
	}
	return readModel(dim, tokens, vecs), nil
}

// readTextError gives a reader's error the package prefix; the errors
// the package creates already carry it.
func readTextError(err error) error {
	if _, ok := errors.AsType[*ParseError](err); ok || errors.Is(err, ErrFormat) {
		return err
	}
	return fmt.Errorf("embeddings: read text: %w", err)
}

// ReadBinary reads a model in word2vec's binary format, as written by
// [Model.WriteBinary], word2vec or gensim (little-endian float32). A token
// listed twice keeps its first vector, as in gensim. Errors
// wrap [ErrFormat] and name the vector (from 1) and, for a NaN or infinite
// component, its position.
func ReadBinary(r io.Reader) (*Model, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, err := br.ReadSlice('\n')
	if err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrFormat, err)
	}
	n, dim, err := parseHeader(head)
	if err != nil {
		return nil, err
	}
	tokens := make([]string, 0, min(n, 1<<16))
	vecs := make([]float32, 0, min(n, (1<<20)/dim)*dim)
	raw := make([]byte, 4*dim)
	var tok []byte
	for len(tokens) < n {
		tok = tok[:0]
		for {
			c, err := br.ReadByte()
			if err != nil {
				return nil, fmt.Errorf("%w: vector %d: %w", ErrFormat, len(tokens)+1, noEOF(err))
			}
			if c == ' ' {
				break
			}
			if c == '\n' && len(tok) == 0 {
				continue
			}
			if len(tok) >= MaxLineBytes {
				return nil, fmt.Errorf("%w: vector %d: token too long", ErrFormat, len(tokens)+1)
			}
			tok = append(tok, c)
		}
		if len(tok) == 0 {
			return nil, fmt.Errorf("%w: vector %d: empty token", ErrFormat, len(tokens)+1)
		}
		if _, err := io.ReadFull(br, raw); err != nil {
			return nil, fmt.Errorf("%w: vector %d: %w", ErrFormat, len(tokens)+1, noEOF(err))
		}
		tokens = append(tokens, string(tok))
		for j := range dim {
			x := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:]))
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, fmt.Errorf("%w: vector %d %q: value %d %v: %w", ErrFormat, len(tokens), tok, j+1, x, errNotFinite)
			}
			vecs = append(vecs, x)
		}
	}
	return readModel(dim, tokens, vecs), nil
}

// readModel builds the model of a vector file, dropping the rows of
// tokens seen before: each token keeps its first vector, as in gensim.
func readModel(dim int, tokens []string, vecs []float32) *Model {
	m := newModel(dim, tokens, nil, vecs)
	if len(m.index) == len(tokens) {
		return m
	}
	kept := 0
	for i, tok := range tokens {
		if m.index[tok] != i {
			continue
		}
		tokens[kept] = tok
		copy(vecs[kept*dim:(kept+1)*dim], vecs[i*dim:(i+1)*dim])
		kept++
	}
	clear(tokens[kept:])
	return newModel(dim, tokens[:kept:kept], nil, vecs[:kept*dim:kept*dim])
}

func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
