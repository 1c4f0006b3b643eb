package embeddings

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
)

// lineReader returns the lines of r without allocating per line.
type lineReader struct {
	br   *bufio.Reader
	buf  []byte
	line int
	// unterminated reports that the last line returned ended at EOF
	// without a newline.
	unterminated bool
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
			return nil, newParseError(lr.line, lr.buf, fmt.Errorf("%w: more than %d bytes", ErrLineTooLong, MaxLineBytes))
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) && len(lr.buf) > 0 {
			lr.line++
			lr.unterminated = true
			return lr.buf, nil
		}
		return nil, err
	}
}

// span is one session of a block; offsets are local to the block.
type span struct {
	start, end         int32 // token range in block.ids
	skipStart, skipEnd int32 // range in block.skipped
	purStart, purEnd   int32 // range in block.purchases
	actStart, actEnd   int32 // range in block.acts
}

// act is one action's per-action skipped list: the action's index in
// block.ids and the range of the skipped tokens in block.actSkipped.
type act struct {
	pos, start, end int32
}

// block is a unit of training work: whole sessions as vocabulary ids.
type block struct {
	ids       []uint32
	marks     []uint8 // nil unless weights are on
	skipped   []uint32
	purchases []uint32
	acts      []act
	actSkip   []uint32
	spans     []span
	tokens    int64 // kept session tokens, the sum of the span lengths
	raw       int   // tokens of the block's lines before dropping rare ones
	epoch     int
}

func (b *block) reset() {
	b.ids = b.ids[:0]
	b.marks = b.marks[:0]
	b.skipped = b.skipped[:0]
	b.purchases = b.purchases[:0]
	b.acts = b.acts[:0]
	b.actSkip = b.actSkip[:0]
	b.spans = b.spans[:0]
	b.tokens = 0
	b.raw = 0
}

// full reports whether the block has reached its size. Blocks are cut by
// the number of tokens on their lines, before rare tokens are dropped, so
// that Train and TrainFile cut the same blocks.
func (b *block) full() bool { return b.raw >= blockTokens }

// appendSession encodes the parsed line p into b with the vocabulary ids
// given by lookup for session tokens and lookupSection for purchase and
// skipped tokens (false for dropped tokens). A session left without
// tokens is skipped.
func (b *block) appendSession(cfg *Config, p *lineParser, lookup, lookupSection func([]byte) (uint32, bool)) {
	b.raw += len(p.tokens)
	sp := span{start: int32(len(b.ids)), skipStart: int32(len(b.skipped)), purStart: int32(len(b.purchases)), actStart: int32(len(b.acts))}
	acts := p.acts
	if !cfg.SkippedNegatives {
		acts = nil
	}
	for i, t := range p.tokens {
		id, ok := lookup(t)
		if !ok {
			for len(acts) > 0 && int(acts[0].tok) <= i {
				acts = acts[1:]
			}
			continue
		}
		if len(acts) > 0 && int(acts[0].tok) == i {
			a := act{pos: int32(len(b.ids)), start: int32(len(b.actSkip))}
			for _, s := range p.actItems[acts[0].start:acts[0].end] {
				if sid, ok := lookupSection(s); ok {
					b.actSkip = append(b.actSkip, sid)
				}
			}
			if a.end = int32(len(b.actSkip)); a.end > a.start {
				b.acts = append(b.acts, a)
			}
			acts = acts[1:]
		}
		b.ids = append(b.ids, id)
		if p.markers != nil {
			b.marks = append(b.marks, p.marks[i])
		}
	}
	sp.end = int32(len(b.ids))
	sp.actEnd = int32(len(b.acts))
	if sp.end == sp.start {
		return
	}
	if cfg.PurchaseContext {
		for _, t := range p.purchases {
			if id, ok := lookupSection(t); ok {
				b.purchases = append(b.purchases, id)
			}
		}
	}
	sp.purEnd = int32(len(b.purchases))
	if cfg.SkippedNegatives {
		for _, t := range p.skipped {
			if id, ok := lookupSection(t); ok {
				b.skipped = append(b.skipped, id)
			}
		}
	}
	sp.skipEnd = int32(len(b.skipped))
	b.spans = append(b.spans, sp)
	b.tokens += int64(sp.end - sp.start)
}

// clone returns a copy of b with exactly sized slices.
func (b *block) clone() block {
	c := block{
		ids:       slices.Clone(b.ids),
		skipped:   slices.Clone(b.skipped),
		purchases: slices.Clone(b.purchases),
		acts:      slices.Clone(b.acts),
		actSkip:   slices.Clone(b.actSkip),
		spans:     slices.Clone(b.spans),
		tokens:    b.tokens,
		raw:       b.raw,
	}
	if b.marks != nil {
		c.marks = slices.Clone(b.marks)
	}
	return c
}

// remap rewrites b's provisional ids to vocabulary ids in place, dropping
// tokens whose id is -1 and sessions left empty.
func (b *block) remap(remap []int32) {
	ids, marks, skipped, purchases, spans := b.ids[:0], b.marks, b.skipped[:0], b.purchases[:0], b.spans[:0]
	acts, actSkip := b.acts[:0], b.actSkip[:0]
	if marks != nil {
		marks = marks[:0]
	}
	b.tokens = 0
	for _, sp := range b.spans {
		ns := span{start: int32(len(ids)), skipStart: int32(len(skipped)), purStart: int32(len(purchases)), actStart: int32(len(acts))}
		next := sp.actStart // the next action of the span with a skipped list
		for i := sp.start; i < sp.end; i++ {
			id := remap[b.ids[i]]
			if next < sp.actEnd && b.acts[next].pos == i {
				if a := b.acts[next]; id >= 0 {
					na := act{pos: int32(len(ids)), start: int32(len(actSkip))}
					for _, s := range b.actSkip[a.start:a.end] {
						if sid := remap[s]; sid >= 0 {
							actSkip = append(actSkip, uint32(sid))
						}
					}
					if na.end = int32(len(actSkip)); na.end > na.start {
						acts = append(acts, na)
					}
				}
				next++
			}
			if id >= 0 {
				ids = append(ids, uint32(id))
				if marks != nil {
					marks = append(marks, b.marks[i])
				}
			}
		}
		ns.end = int32(len(ids))
		ns.actEnd = int32(len(acts))
		if ns.end == ns.start {
			continue
		}
		for i := sp.purStart; i < sp.purEnd; i++ {
			if id := remap[b.purchases[i]]; id >= 0 {
				purchases = append(purchases, uint32(id))
			}
		}
		ns.purEnd = int32(len(purchases))
		for i := sp.skipStart; i < sp.skipEnd; i++ {
			if id := remap[b.skipped[i]]; id >= 0 {
				skipped = append(skipped, uint32(id))
			}
		}
		ns.skipEnd = int32(len(skipped))
		spans = append(spans, ns)
		b.tokens += int64(ns.end - ns.start)
	}
	b.ids, b.marks, b.skipped, b.purchases, b.spans = ids, marks, skipped, purchases, spans
	b.acts, b.actSkip = acts, actSkip
}

// countLine counts the session tokens of p. Purchase and skipped tokens
// are not counted: they get a vector only when they also occur often
// enough as session tokens.
func countLine(p *lineParser, c *counter) {
	for _, t := range p.tokens {
		c.add(t)
	}
}

// memCorpus is a corpus held in memory as blocks of vocabulary ids.
type memCorpus struct {
	blocks []block
	vocab  *vocabulary
	tokens int64 // kept session tokens per epoch
}

// readCorpus reads r once, interning tokens to provisional ids and cutting
// the sessions into exactly sized blocks, then drops tokens below their
// minimum count and renumbers the rest by frequency.
func readCorpus(ctx context.Context, r io.Reader, cfg *Config) (*memCorpus, error) {
	return readCorpusWith(ctx, r, cfg, func(names []string, counts []int64) (*vocabulary, []int32) {
		return buildVocabulary(cfg, names, counts)
	})
}

// readCorpusWith is readCorpus with the vocabulary built by build from the
// provisional tokens and their counts in the corpus.
func readCorpusWith(ctx context.Context, r io.Reader, cfg *Config, build func(names []string, counts []int64) (*vocabulary, []int32)) (*memCorpus, error) {
	lr := newLineReader(r)
	p := newLineParser(cfg)
	c := newCounter()
	mc := &memCorpus{}
	var cur block // scratch, copied out when full
	if p.markers == nil {
		cur.marks = nil
	}
	lookup := func(t []byte) (uint32, bool) { return c.add(t), true }
	lookupSection := func(t []byte) (uint32, bool) { return c.intern(t), true }
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, readError("", err)
		}
		if lr.line&0xfff == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("embeddings: train: %w", ctx.Err())
		}
		if err := p.parse(line); err != nil {
			return nil, p.fail(lr.line, line, err)
		}
		cur.appendSession(cfg, p, lookup, lookupSection)
		if cur.full() {
			mc.blocks = append(mc.blocks, cur.clone())
			cur.reset()
		}
	}
	if cur.raw > 0 {
		mc.blocks = append(mc.blocks, cur.clone())
	}
	vocab, remap := build(c.names, c.counts)
	mc.vocab = vocab
	for i := range mc.blocks {
		mc.blocks[i].remap(remap)
		mc.tokens += mc.blocks[i].tokens
	}
	return mc, nil
}
