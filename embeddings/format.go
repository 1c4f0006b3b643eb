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
	// "0 0" is the header of the zero Model; otherwise dim must be positive.
	if err1 != nil || err2 != nil || n < 0 || dim < 0 || (dim == 0 && n > 0) || dim > maxDim {
		return 0, 0, fmt.Errorf("%w: header %q", ErrFormat, line)
	}
	return n, dim, nil
}

// ReadText reads a model in word2vec's text format, as written by
// [Model.WriteText], word2vec, gensim or fastText. Counts are unknown
// (see [Model.Count]). A token listed twice keeps its first vector, as in
// gensim. Every vector line must hold the token and exactly Dim values and
// end with a newline, and the file must hold exactly the number of vectors
// its header declares (blank lines may follow): a file cut anywhere, even
// inside its last number, is refused. It returns a *ParseError for a
// malformed line, including a NaN or infinite component, and an error
// wrapping [ErrFormat] for a wrong header or a wrong number of vectors.
//
// ReadText allocates the vectors a chunk of at most 256 KiB at a time, as
// the data arrives, never from the header's count alone; see the package
// documentation for the bound on what loading costs.
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
	st := newRowStore(n, dim)
	for st.n < n {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: %d vectors, the header declares %d", ErrFormat, st.n, n)
		}
		if err != nil {
			return nil, readTextError(err)
		}
		if lr.unterminated {
			return nil, newParseError(lr.line, line, fmt.Errorf("%w: no newline at the end of the last vector: the file is truncated", ErrFormat))
		}
		if err := parseTextRow(line, dim, st); err != nil {
			return nil, newParseError(lr.line, line, err)
		}
	}
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, readTextError(err)
		}
		if len(bytes.TrimLeftFunc(line, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) })) > 0 {
			return nil, newParseError(lr.line, line, fmt.Errorf("%w: more vectors than the %d the header declares", ErrFormat, n))
		}
	}
	return st.model(), nil
}

// parseTextRow appends the token and the dim values of a text vector
// line to st.
func parseTextRow(line []byte, dim int, st *rowStore) error {
	line = bytes.TrimRight(line, " \r\t")
	i := bytes.IndexByte(line, ' ')
	if i <= 0 {
		return fmt.Errorf("%w: want a token and %d values", ErrFormat, dim)
	}
	rest := line[i+1:]
	vec := st.next()
	for j := range dim {
		rest = bytes.TrimLeft(rest, " ")
		k := bytes.IndexByte(rest, ' ')
		if k < 0 {
			k = len(rest)
		}
		if k == 0 || (j == dim-1) != (k == len(rest)) {
			return fmt.Errorf("%w: %d values, want %d", ErrFormat, len(bytes.Fields(line[i+1:])), dim)
		}
		x, err := strconv.ParseFloat(string(rest[:k]), 32)
		if err == nil && (math.IsNaN(x) || math.IsInf(x, 0)) {
			err = errNotFinite
		}
		if err != nil {
			return fmt.Errorf("%w: value %d %q: %w", ErrFormat, j+1, truncate(rest[:k]), err)
		}
		vec[j] = float32(x)
		rest = rest[k:]
	}
	st.add(string(line[:i]))
	return nil
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
// listed twice keeps its first vector, as in gensim. The file must hold
// exactly the number of vectors its header declares; only white space may
// follow them. Errors wrap [ErrFormat] and name the vector (from 1) and,
// for a NaN or infinite component, its position. Like [ReadText], it
// allocates the vectors a chunk at a time as the data arrives.
func ReadBinary(r io.Reader) (*Model, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, err := br.ReadSlice('\n')
	if err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrFormat, noEOF(err))
	}
	n, dim, err := parseHeader(head)
	if err != nil {
		return nil, err
	}
	st := newRowStore(n, dim)
	raw := make([]byte, 4*dim)
	var tok []byte
	for st.n < n {
		tok = tok[:0]
		for {
			c, err := br.ReadByte()
			if err != nil {
				return nil, fmt.Errorf("%w: vector %d: %w", ErrFormat, st.n+1, noEOF(err))
			}
			if c == ' ' {
				break
			}
			if c == '\n' && len(tok) == 0 {
				continue
			}
			if len(tok) >= MaxLineBytes {
				return nil, fmt.Errorf("%w: vector %d: token longer than %d bytes", ErrFormat, st.n+1, MaxLineBytes)
			}
			tok = append(tok, c)
		}
		if len(tok) == 0 {
			return nil, fmt.Errorf("%w: vector %d: empty token", ErrFormat, st.n+1)
		}
		if _, err := io.ReadFull(br, raw); err != nil {
			return nil, fmt.Errorf("%w: vector %d %q: %w", ErrFormat, st.n+1, truncate(tok), noEOF(err))
		}
		vec := st.next()
		for j := range dim {
			x := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:]))
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				return nil, fmt.Errorf("%w: vector %d %q: value %d %v: %w", ErrFormat, st.n+1, truncate(tok), j+1, x, errNotFinite)
			}
			vec[j] = x
		}
		st.add(string(tok))
	}
	if err := binaryTail(br, n); err != nil {
		return nil, err
	}
	return st.model(), nil
}

// binaryTail checks that only white space follows the n vectors of a
// binary file.
func binaryTail(br *bufio.Reader, n int) error {
	for {
		c, err := br.ReadByte()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: after vector %d: %w", ErrFormat, n, err)
		}
		if !isSpace(c) {
			_ = br.UnreadByte()
			tail, _ := br.Peek(maxQuote)
			return fmt.Errorf("%w: data after the %d vectors the header declares: %q", ErrFormat, n, tail)
		}
	}
}

// rowStore accumulates the tokens and vectors of a vector file in the
// chunked layout of a Model. It allocates the vectors one chunk at a
// time, each chunk sized for the rows the header still declares, so that
// a truthful header costs exactly the vectors and a false one at most one
// chunk beyond the rows the data holds.
type rowStore struct {
	want, dim int // rows the header declares, dimension
	shift     uint
	n         int // complete rows
	tokens    []string
	chunks    [][]float32
}

func newRowStore(want, dim int) *rowStore {
	return &rowStore{want: want, dim: dim, shift: chunkShift(dim)}
}

// next returns the storage of row n, allocating its chunk if needed; add
// completes the row.
func (s *rowStore) next() []float32 {
	c, o := s.n>>s.shift, (s.n&(1<<s.shift-1))*s.dim
	if c == len(s.chunks) {
		rows := min(1<<s.shift, s.want-s.n)
		s.chunks = append(s.chunks, make([]float32, rows*s.dim))
	}
	return s.chunks[c][o : o+s.dim : o+s.dim]
}

// add completes row n with its token.
func (s *rowStore) add(tok string) {
	if len(s.tokens) == cap(s.tokens) {
		// Double, as append does, but never past the declared count: the
		// final slice is exact for a truthful header.
		grown := make([]string, len(s.tokens), min(s.want, max(2*len(s.tokens), 1024)))
		copy(grown, s.tokens)
		s.tokens = grown
	}
	s.tokens = append(s.tokens, tok)
	s.n++
}

// model returns the model of the rows read; each token keeps its first
// vector.
func (s *rowStore) model() *Model {
	m := newChunkedModel(s.dim, s.tokens, nil, s.chunks, s.shift)
	m.dropDuplicates()
	return m
}

func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
