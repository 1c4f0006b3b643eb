package embeddings

import (
	"bufio"
	"context"
	"errors"
	"io"
)

// lineReader returns the lines of r without allocating per line.
type lineReader struct {
	br   *bufio.Reader
	buf  []byte
	line int
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 1<<16)}
}

// next returns the next line without its newline; the slice is valid until
// the next call. It returns io.EOF after the last line.
func (lr *lineReader) next() ([]byte, error) {
	lr.buf = lr.buf[:0]
	for {
		chunk, err := lr.br.ReadSlice('\n')
		if err == nil {
			lr.line++
			if len(lr.buf) == 0 {
				return chunk[:len(chunk)-1], nil
			}
			lr.buf = append(lr.buf, chunk[:len(chunk)-1]...)
			return lr.buf, nil
		}
		lr.buf = append(lr.buf, chunk...)
		if len(lr.buf) > MaxLineBytes {
			lr.line++
			return nil, newParseError(lr.line, lr.buf, ErrLineTooLong)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) && len(lr.buf) > 0 {
			lr.line++
			return lr.buf, nil
		}
		return nil, err
	}
}

// span is one session of a block.
type span struct {
	start, end         int // token range in block.ids
	skipStart, skipEnd int // range in block.skipped
	purchase           int32
}

// block is a unit of training work: whole sessions as vocabulary ids.
type block struct {
	ids     []uint32
	marks   []uint8 // nil unless weights are on
	skipped []uint32
	spans   []span
	tokens  int64 // len of all span token ranges
	epoch   int
}

func (b *block) reset() {
	b.ids = b.ids[:0]
	b.marks = b.marks[:0]
	b.skipped = b.skipped[:0]
	b.spans = b.spans[:0]
	b.tokens = 0
}

// appendSession encodes the parsed line p into b with the vocabulary ids
// given by lookup (false for dropped tokens). It returns whether the
// session holds at least one token.
func (b *block) appendSession(cfg *Config, p *lineParser, lookup, lookupSection func([]byte) (uint32, bool)) {
	sp := span{start: len(b.ids), skipStart: len(b.skipped), purchase: -1}
	for i, t := range p.tokens {
		id, ok := lookup(t)
		if !ok {
			continue
		}
		b.ids = append(b.ids, id)
		if p.markers != nil {
			b.marks = append(b.marks, p.marks[i])
		}
	}
	sp.end = len(b.ids)
	if sp.end == sp.start {
		return
	}
	if cfg.PurchaseContext && p.purchase != nil {
		if id, ok := lookupSection(p.purchase); ok {
			sp.purchase = int32(id)
		}
	}
	if cfg.SkippedNegatives {
		for _, t := range p.skipped {
			if id, ok := lookupSection(t); ok {
				b.skipped = append(b.skipped, id)
			}
		}
	}
	sp.skipEnd = len(b.skipped)
	b.spans = append(b.spans, sp)
	b.tokens += int64(sp.end - sp.start)
}

// countLine counts the session tokens of p. Purchase and skipped tokens
// are not counted: they get a vector only when they also occur often
// enough as session tokens.
func countLine(p *lineParser, c *counter) {
	for _, t := range p.tokens {
		c.add(t)
	}
}

// memCorpus is a corpus held in memory as provisional, then final ids.
type memCorpus struct {
	all   block
	vocab *vocabulary
}

// readCorpus reads r once, counting tokens and keeping the sessions as
// ids, then drops tokens below their minimum count.
func readCorpus(ctx context.Context, r io.Reader, cfg *Config) (*memCorpus, error) {
	lr := newLineReader(r)
	p := &lineParser{markers: newMarkerSet(cfg.Weights)}
	c := newCounter()
	mc := &memCorpus{}
	b := &mc.all
	lookup := func(t []byte) (uint32, bool) { return c.add(t), true }
	lookupSection := func(t []byte) (uint32, bool) { return c.intern(t), true }
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if lr.line&0xfff == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err := p.parse(line); err != nil {
			return nil, newParseError(lr.line, line, err)
		}
		b.appendSession(cfg, p, lookup, lookupSection)
	}
	vocab, remap := buildVocabulary(cfg, c.names, c.counts)
	mc.vocab = vocab
	// Rewrite ids in place, dropping tokens below threshold.
	out := block{ids: b.ids[:0], skipped: b.skipped[:0], spans: b.spans[:0]}
	if b.marks != nil {
		out.marks = b.marks[:0]
	}
	for _, sp := range b.spans {
		ns := span{start: len(out.ids), skipStart: len(out.skipped), purchase: -1}
		for i := sp.start; i < sp.end; i++ {
			if id := remap[b.ids[i]]; id >= 0 {
				out.ids = append(out.ids, uint32(id))
				if out.marks != nil {
					out.marks = append(out.marks, b.marks[i])
				}
			}
		}
		ns.end = len(out.ids)
		if ns.end == ns.start {
			continue
		}
		if sp.purchase >= 0 {
			ns.purchase = remap[sp.purchase]
		}
		for i := sp.skipStart; i < sp.skipEnd; i++ {
			if id := remap[b.skipped[i]]; id >= 0 {
				out.skipped = append(out.skipped, uint32(id))
			}
		}
		ns.skipEnd = len(out.skipped)
		out.spans = append(out.spans, ns)
		out.tokens += int64(ns.end - ns.start)
	}
	mc.all = out
	return mc, nil
}

// blocks splits the in-memory corpus into blocks of about n tokens that
// share its arrays.
func (mc *memCorpus) blocks(n int) []block {
	var out []block
	spans := mc.all.spans
	for len(spans) > 0 {
		k, tokens := 0, 0
		for k < len(spans) && tokens < n {
			tokens += spans[k].end - spans[k].start
			k++
		}
		out = append(out, block{ids: mc.all.ids, marks: mc.all.marks, skipped: mc.all.skipped, spans: spans[:k], tokens: int64(tokens)})
		spans = spans[k:]
	}
	return out
}
