package embeddings

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"os"
	"strings"
)

// ErrCheckpoint reports a malformed, truncated or corrupt checkpoint file
// (see [Model.WriteCheckpoint]).
var ErrCheckpoint = errors.New("embeddings: invalid checkpoint")

// ErrNoCounts is returned when a model without token counts is
// checkpointed or continued: a model read from a word2vec vector file
// ([ReadBinary], [ReadText]) has vectors only. Save models that are to be
// trained further with [Model.WriteCheckpointFile].
var ErrNoCounts = errors.New("embeddings: model has no token counts (read from a vector file): only a trained model or one read with ReadCheckpoint can be checkpointed or continued")

// Checkpoint layout, version 1, all integers little-endian:
//
//	magic    8 bytes "CKEMBCP\n"
//	version  uint32, 1
//	flags    uint32, bit 0: output vectors follow the input vectors
//	dim      uint32, 1..65536
//	tokens   uint64, at most maxCheckpointTokens
//	tokens × (uvarint byte length, token bytes, uvarint count >= 1)
//	tokens × dim float32 input vectors
//	tokens × dim float32 output vectors, if flag bit 0
//	crc      uint32, CRC-32C (Castagnoli) of every byte before it
const (
	checkpointMagic     = "CKEMBCP\n"
	checkpointVersion   = 1
	flagOutputs         = 1
	maxCheckpointToken  = 1 << 20        // bytes of one token
	maxCheckpointTokens = math.MaxUint32 // token ids are uint32 in training
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// WriteCheckpoint writes everything needed to continue training the model
// with [Continue]: the tokens in order with their counts, the input
// vectors and, when the model has them, the output vectors, in a
// versioned binary format ending with a CRC-32C checksum. Vectors are
// written bit for bit, so a model read back with [ReadCheckpoint] equals
// the model written. It returns an error wrapping [ErrNoCounts] for a
// model without counts.
func (m *Model) WriteCheckpoint(w io.Writer) error {
	if m.counts == nil && len(m.tokens) > 0 {
		return fmt.Errorf("%w", ErrNoCounts)
	}
	if m.dim < 1 || m.dim > maxDim {
		return fmt.Errorf("embeddings: checkpoint: dimension %d outside [1, %d]", m.dim, maxDim)
	}
	crc := crc32.New(castagnoli)
	bw := bufio.NewWriterSize(io.MultiWriter(w, crc), 1<<16)
	var flags uint32
	if m.outputs != nil {
		flags |= flagOutputs
	}
	buf := append([]byte(nil), checkpointMagic...)
	buf = binary.LittleEndian.AppendUint32(buf, checkpointVersion)
	buf = binary.LittleEndian.AppendUint32(buf, flags)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(m.dim))
	buf = binary.LittleEndian.AppendUint64(buf, uint64(len(m.tokens)))
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	for i, tok := range m.tokens {
		buf = binary.AppendUvarint(buf[:0], uint64(len(tok)))
		buf = append(buf, tok...)
		buf = binary.AppendUvarint(buf, uint64(m.counts[i]))
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	sets := []*Model{m}
	if m.outputs != nil {
		sets = append(sets, m.outputs)
	}
	for _, set := range sets {
		for i := range m.tokens {
			buf = buf[:0]
			for _, x := range set.row(i) {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
			}
			if _, err := bw.Write(buf); err != nil {
				return err
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32()))
	return err
}

// WriteCheckpointFile writes the checkpoint of [Model.WriteCheckpoint] to
// path atomically, as [Model.WriteTextFile] does.
func (m *Model) WriteCheckpointFile(path string) error {
	if m.counts == nil && len(m.tokens) > 0 {
		return fmt.Errorf("%w", ErrNoCounts)
	}
	return writeFile(path, m.WriteCheckpoint)
}

// ReadCheckpoint reads a model written by [Model.WriteCheckpoint], with its
// counts and, if saved, its output vectors. It refuses with an error
// wrapping [ErrCheckpoint] a file of another format or version, a
// truncated file (naming what was being read), a token that is empty,
// longer than 1 MiB, holds ASCII white space or repeats an earlier token,
// a count of 0, a NaN or infinite component, bytes after the checksum,
// and a file whose checksum does not match its contents. It allocates the
// vectors a chunk at a time as the data arrives, so a header that claims
// more tokens than the file holds costs little memory.
func ReadCheckpoint(r io.Reader) (*Model, error) {
	m, err := readCheckpoint(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrCheckpoint, err)
	}
	return m, nil
}

// ReadCheckpointFile reads the checkpoint file at path (see
// [ReadCheckpoint]); errors name the file.
func ReadCheckpointFile(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("embeddings: read checkpoint: %w", err) // *PathError names the file
	}
	defer f.Close()
	m, err := readCheckpoint(f)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrCheckpoint, path, err)
	}
	return m, nil
}

// crcReader is a byte reader that hashes what it returns.
type crcReader struct {
	br  *bufio.Reader
	crc hash.Hash32
	one [1]byte
}

func (c *crcReader) Read(p []byte) (int, error) {
	n, err := c.br.Read(p)
	c.crc.Write(p[:n])
	return n, err
}

func (c *crcReader) ReadByte() (byte, error) {
	b, err := c.br.ReadByte()
	if err == nil {
		c.one[0] = b
		c.crc.Write(c.one[:])
	}
	return b, err
}

// readCheckpoint is ReadCheckpoint without the error prefix.
func readCheckpoint(r io.Reader) (*Model, error) {
	cr := &crcReader{br: bufio.NewReaderSize(r, 1<<16), crc: crc32.New(castagnoli)}
	head := make([]byte, len(checkpointMagic)+20)
	n8, err := io.ReadFull(cr, head[:8])
	if !strings.HasPrefix(checkpointMagic, string(head[:n8])) {
		return nil, fmt.Errorf("magic %q: not a craftkit embeddings checkpoint (want %q)", head[:n8], checkpointMagic)
	}
	if err == nil {
		_, err = io.ReadFull(cr, head[8:])
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", noEOF(err))
	}
	version := binary.LittleEndian.Uint32(head[8:])
	flags := binary.LittleEndian.Uint32(head[12:])
	dim := binary.LittleEndian.Uint32(head[16:])
	n := binary.LittleEndian.Uint64(head[20:])
	switch {
	case version != checkpointVersion:
		return nil, fmt.Errorf("version %d: this reader reads version %d", version, checkpointVersion)
	case flags&^flagOutputs != 0:
		return nil, fmt.Errorf("flags %#x: unknown bits", flags)
	case dim < 1 || dim > maxDim:
		return nil, fmt.Errorf("dimension %d outside [1, %d]", dim, maxDim)
	case n > maxCheckpointTokens:
		return nil, fmt.Errorf("%d tokens: more than %d", n, uint64(maxCheckpointTokens))
	}
	want := int(n)
	tokens := make([]string, 0, min(want, 1024))
	counts := make([]int64, 0, min(want, 1024))
	index := make(map[string]struct{}, min(want, 1024))
	var tok bytes.Buffer
	for i := range want {
		l, err := binary.ReadUvarint(cr)
		if err != nil {
			return nil, fmt.Errorf("length of token %d of %d: %w", i+1, want, noEOF(err))
		}
		if l == 0 || l > maxCheckpointToken {
			return nil, fmt.Errorf("token %d of %d: length %d outside [1, %d]", i+1, want, l, maxCheckpointToken)
		}
		tok.Reset()
		// CopyN grows the buffer as data arrives, never to the claimed length at once.
		if _, err := io.CopyN(&tok, cr, int64(l)); err != nil {
			return nil, fmt.Errorf("token %d of %d: %w", i+1, want, noEOF(err))
		}
		if bytes.ContainsFunc(tok.Bytes(), func(r rune) bool { return r < 0x80 && isSpace(byte(r)) }) {
			return nil, fmt.Errorf("token %d of %d %q: contains white space", i+1, want, truncate(tok.Bytes()))
		}
		s := tok.String()
		if _, dup := index[s]; dup {
			return nil, fmt.Errorf("token %d of %d %q: listed twice", i+1, want, truncate(tok.Bytes()))
		}
		c, err := binary.ReadUvarint(cr)
		if err != nil {
			return nil, fmt.Errorf("count of token %d of %d %q: %w", i+1, want, truncate(tok.Bytes()), noEOF(err))
		}
		if c == 0 || c > math.MaxInt64 {
			return nil, fmt.Errorf("token %d of %d %q: count %d outside [1, %d]", i+1, want, truncate(tok.Bytes()), c, int64(math.MaxInt64))
		}
		index[s] = struct{}{}
		tokens = append(tokens, s)
		counts = append(counts, int64(c))
	}
	sets := []string{"input"}
	if flags&flagOutputs != 0 {
		sets = append(sets, "output")
	}
	stores := make([]*rowStore, len(sets))
	raw := make([]byte, 4*dim)
	for s, name := range sets {
		st := newRowStore(want, int(dim))
		for i := range want {
			if _, err := io.ReadFull(cr, raw); err != nil {
				return nil, fmt.Errorf("%s vector %d of %d %q: %w", name, i+1, want, truncate([]byte(tokens[i])), noEOF(err))
			}
			vec := st.next()
			for j := range vec {
				x := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:]))
				if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
					return nil, fmt.Errorf("%s vector %d %q: value %d %v: %w", name, i+1, truncate([]byte(tokens[i])), j+1, x, errNotFinite)
				}
				vec[j] = x
			}
			st.add(tokens[i])
		}
		stores[s] = st
	}
	sum := cr.crc.Sum32()
	var tail [4]byte
	if _, err := io.ReadFull(cr.br, tail[:]); err != nil {
		return nil, fmt.Errorf("checksum: %w", noEOF(err))
	}
	if got := binary.LittleEndian.Uint32(tail[:]); got != sum {
		return nil, fmt.Errorf("checksum %08x, contents hash to %08x: the file is corrupt", got, sum)
	}
	if _, err := cr.br.ReadByte(); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, fmt.Errorf("after the checksum: %w", err)
		}
		return nil, errors.New("data after the checksum")
	}
	in := stores[0]
	m := newChunkedModel(int(dim), tokens, counts, in.chunks, in.shift)
	if len(stores) > 1 {
		m.attachOutputs(stores[1].chunks, stores[1].shift)
	}
	return m, nil
}
