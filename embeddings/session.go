package embeddings

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Errors returned while reading a corpus line.
var (
	// ErrSection reports a malformed or unknown "| key=value" section.
	ErrSection = errors.New("embeddings: invalid section")
	// ErrLineTooLong reports a corpus line longer than MaxLineBytes.
	ErrLineTooLong = errors.New("embeddings: line too long")
)

// MaxLineBytes is the longest corpus line accepted, in bytes.
const MaxLineBytes = 64 << 20

// ParseError reports an invalid corpus or vector file line. It is not
// modified after it is returned and is safe for concurrent reads.
type ParseError struct {
	// Path is the file the line was read from, or "" for a reader.
	Path string
	// Line is the 1-based line number.
	Line int
	// Column is the 1-based byte offset in the line of the offending
	// section or per-action list, or 0 when the whole line is at fault.
	Column int
	// Input is the offending line, truncated to 64 bytes.
	Input string
	// Err is the cause; it wraps a sentinel such as [ErrSection] or
	// [ErrFormat].
	Err error
}

// Error returns a message such as
// `embeddings: corpus.txt: line 3, column 5: "a b |": invalid section "" after the '|' at byte 4: ...`.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(prefix)
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "line %d", e.Line)
	if e.Column > 0 {
		fmt.Fprintf(&b, ", column %d", e.Column)
	}
	fmt.Fprintf(&b, ": %q: %s", e.Input, trimPrefix(e.Err))
	return b.String()
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }

// maxQuote bounds the bytes of input quoted in an error.
const maxQuote = 64

func newParseError(line int, input []byte, err error) *ParseError {
	return &ParseError{Line: line, Input: string(truncate(input)), Err: err}
}

// fail returns the error of the line p failed to parse, with the column
// p recorded.
func (p *lineParser) fail(line int, input []byte, err error) *ParseError {
	e := newParseError(line, input, err)
	e.Column = p.errAt + 1
	return e
}

// in sets the path of the file the line came from.
func (e *ParseError) in(path string) *ParseError {
	e.Path = path
	return e
}

// truncate returns at most maxQuote bytes of b.
func truncate(b []byte) []byte {
	if len(b) > maxQuote {
		return b[:maxQuote]
	}
	return b
}

// prefix starts every error message of the package, once.
const prefix = "embeddings: "

// trimPrefix returns the message of err without the package prefix, for
// errors wrapped in another error of the package.
func trimPrefix(err error) string {
	if err == nil {
		return "<nil>"
	}
	return strings.TrimPrefix(err.Error(), prefix)
}

// readError returns the error of reading a corpus or vector file: a
// *ParseError named after the file, or a reader's error with the package
// prefix and the file name.
func readError(path string, err error) error {
	if pe, ok := errors.AsType[*ParseError](err); ok {
		return pe.in(path)
	}
	if path == "" {
		return fmt.Errorf("embeddings: read: %w", err)
	}
	return fmt.Errorf("embeddings: read %s: %w", path, err)
}

// Session is one parsed corpus line: a user session, or a sentence of a
// text corpus. The zero Session is an empty session. A Session is a
// plain value: safe for concurrent reads, not for concurrent changes.
type Session struct {
	// Tokens are the session's actions in order, without markers.
	Tokens []string
	// Markers holds, for each token, its interaction marker name, or ""
	// when it has none. It is nil when no token has a marker.
	Markers []string
	// Purchases are the tokens of the "purchase=" section, in order: the
	// items bought in the session.
	Purchases []string
	// Skipped are the tokens of the "skipped=" section: items shown in
	// the session and not chosen, not tied to any action.
	Skipped []string
	// TokenSkipped holds, for each token, the items shown above it and
	// skipped when it was chosen (a token written
	// "item:7[skipped=item:4,item:5]"), or nil for a token without such a
	// list. TokenSkipped itself is nil when no token has a list.
	TokenSkipped [][]string
}

// String formats s as a corpus line that ParseSession reads back.
func (s Session) String() string {
	var b strings.Builder
	for i, t := range s.Tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t)
		if i < len(s.Markers) && s.Markers[i] != "" {
			b.WriteByte('@')
			b.WriteString(s.Markers[i])
		}
		if i < len(s.TokenSkipped) && len(s.TokenSkipped[i]) > 0 {
			b.WriteString(skipOpen)
			b.WriteString(strings.Join(s.TokenSkipped[i], ","))
			b.WriteByte(']')
		}
	}
	if len(s.Purchases) > 0 {
		b.WriteString(" | purchase=")
		b.WriteString(strings.Join(s.Purchases, ","))
	}
	if len(s.Skipped) > 0 {
		b.WriteString(" | skipped=")
		b.WriteString(strings.Join(s.Skipped, ","))
	}
	return b.String()
}

// ParseSession parses one corpus line. The line format is
//
//	action action ... [| purchase=token,token,...] [| skipped=token,token,...]
//
// where an action is
//
//	token[@marker][[skipped=token,token,...]]
//
// Actions are separated by spaces or tabs. A marker is recognised only when
// it is a key of markers (see [Config.Weights]); otherwise '@' is part of
// the token. A bracketed "[skipped=...]" list after an action names the
// items shown above it and skipped when it was chosen (a click on the
// third search result skips the first two): "item:7@cart[skipped=item:4,item:5]".
// An action containing "[skipped=" must end with ']' after a non-empty
// list of non-empty tokens without '[' or ']'; other uses of brackets are
// ordinary characters of the token. Sections follow the tokens, each introduced by '|', in any
// order, each at most once; the only keys are purchase (the items bought
// in the session) and skipped (the items shown and not chosen), each a
// comma-separated list of tokens. A line without '|' is a plain word2vec
// sentence. [Config.PlainText] reads lines without this syntax.
func ParseSession(line string, markers map[string]float32) (Session, error) {
	var p lineParser
	p.markers = newMarkerSet(markers)
	if err := p.parse([]byte(line)); err != nil {
		return Session{}, err
	}
	var s Session
	hasMarker := false
	for i, t := range p.tokens {
		s.Tokens = append(s.Tokens, string(t))
		if p.marks[i] != 0 {
			hasMarker = true
		}
	}
	if hasMarker {
		s.Markers = make([]string, len(p.tokens))
		for i, m := range p.marks {
			if m != 0 {
				s.Markers[i] = p.markers.names[m]
			}
		}
	}
	for _, t := range p.purchases {
		s.Purchases = append(s.Purchases, string(t))
	}
	for _, t := range p.skipped {
		s.Skipped = append(s.Skipped, string(t))
	}
	if len(p.acts) > 0 {
		s.TokenSkipped = make([][]string, len(p.tokens))
		for _, a := range p.acts {
			for _, t := range p.actItems[a.start:a.end] {
				s.TokenSkipped[a.tok] = append(s.TokenSkipped[a.tok], string(t))
			}
		}
	}
	return s, nil
}

// markerSet maps marker names to small indexes; index 0 means no marker
// and weight 1.
type markerSet struct {
	index   map[string]uint8
	names   []string  // by index; names[0] == ""
	weights []float32 // by index; weights[0] == 1
}

func newMarkerSet(weights map[string]float32) *markerSet {
	if weights == nil {
		return nil
	}
	names := make([]string, 0, len(weights))
	for name := range weights {
		if name != "" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if len(names) > 255 {
		names = names[:255]
	}
	ms := &markerSet{index: make(map[string]uint8, len(names)), names: []string{""}, weights: []float32{1}}
	for i, name := range names {
		ms.index[name] = uint8(i + 1)
		ms.names = append(ms.names, name)
		w := weights[name]
		if !(w >= 0) || math.IsInf(float64(w), 0) {
			w = 1
		}
		ms.weights = append(ms.weights, w)
	}
	return ms
}

// newLineParser returns the parser of corpus lines for cfg.
func newLineParser(cfg *Config) *lineParser {
	if cfg.PlainText {
		return &lineParser{plain: true}
	}
	return &lineParser{markers: newMarkerSet(cfg.Weights)}
}

// lineParser splits a line into byte slices without allocating once its
// buffers have grown.
type lineParser struct {
	plain     bool // Config.PlainText: no sections, no markers
	markers   *markerSet
	tokens    [][]byte
	marks     []uint8
	purchases [][]byte
	skipped   [][]byte
	acts      []parsedAct // per-action skipped lists, in token order
	actItems  [][]byte    // their tokens
	errAt     int         // byte offset of the error parse returned, -1 for the whole line
}

// parsedAct is an action's "[skipped=...]" list: the index of its token in
// lineParser.tokens and the range of its items in lineParser.actItems.
type parsedAct struct {
	tok, start, end int32
}

// skipOpen opens a per-action skipped list.
const skipOpen = "[skipped="

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}

func (p *lineParser) parse(line []byte) error {
	p.tokens = p.tokens[:0]
	p.marks = p.marks[:0]
	p.purchases = p.purchases[:0]
	p.skipped = p.skipped[:0]
	p.acts = p.acts[:0]
	p.actItems = p.actItems[:0]
	p.errAt = -1
	head := line
	var rest []byte
	if i := bytes.IndexByte(line, '|'); i >= 0 && !p.plain {
		head, rest = line[:i], line[i+1:]
	}
	for i := 0; i < len(head); {
		for i < len(head) && isSpace(head[i]) {
			i++
		}
		j := i
		for j < len(head) && !isSpace(head[j]) {
			j++
		}
		if j > i {
			tok := head[i:j]
			if !p.plain {
				var err error
				if tok, err = p.splitAction(tok, i); err != nil {
					return err
				}
			}
			tok, mark := p.splitMarker(tok)
			p.tokens = append(p.tokens, tok)
			p.marks = append(p.marks, mark)
		}
		i = j
	}
	seen := 0
	for rest != nil {
		at := len(line) - len(rest) - 1 // byte offset of the section's '|'
		sec := rest
		rest = nil
		if i := bytes.IndexByte(sec, '|'); i >= 0 {
			sec, rest = sec[:i], sec[i+1:]
		}
		p.errAt = at
		sec = bytes.TrimFunc(sec, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) })
		key, val, ok := bytes.Cut(sec, []byte{'='})
		if !ok || len(val) == 0 || bytes.ContainsFunc(val, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) }) {
			return fmt.Errorf("%w %q after the '|' at byte %d: want purchase=<token>,<token>... or skipped=<token>,<token>... without spaces ('|' starts a section and cannot be part of a token)",
				ErrSection, truncate(sec), at)
		}
		switch string(key) {
		case "purchase":
			if seen&1 != 0 {
				return fmt.Errorf("%w: duplicate purchase after the '|' at byte %d", ErrSection, at)
			}
			seen |= 1
			for t := range bytes.SplitSeq(val, []byte{','}) {
				if len(t) == 0 {
					return fmt.Errorf("%w: empty purchase token after the '|' at byte %d", ErrSection, at)
				}
				p.purchases = append(p.purchases, t)
			}
		case "skipped":
			if seen&2 != 0 {
				return fmt.Errorf("%w: duplicate skipped after the '|' at byte %d", ErrSection, at)
			}
			seen |= 2
			for t := range bytes.SplitSeq(val, []byte{','}) {
				if len(t) == 0 {
					return fmt.Errorf("%w: empty skipped token after the '|' at byte %d", ErrSection, at)
				}
				p.skipped = append(p.skipped, t)
			}
		default:
			return fmt.Errorf("%w: unknown key %q after the '|' at byte %d: want purchase or skipped", ErrSection, truncate(key), at)
		}
	}
	p.errAt = -1
	return nil
}

// splitAction strips an action's "[skipped=...]" list, recording it for
// the token about to be appended; at is the action's byte offset in the
// line.
func (p *lineParser) splitAction(tok []byte, at int) ([]byte, error) {
	k := bytes.Index(tok, []byte(skipOpen))
	if k < 0 {
		return tok, nil
	}
	p.errAt = at + k
	switch {
	case k == 0:
		return nil, fmt.Errorf("%w: %q at byte %d has no token before %q: want token[skipped=<token>,<token>...]", ErrSection, truncate(tok), at, skipOpen)
	case tok[len(tok)-1] != ']':
		return nil, fmt.Errorf("%w: %q at byte %d: the skipped list is not closed by ']' before the next space: want token[skipped=<token>,<token>...]", ErrSection, truncate(tok), at)
	}
	list := tok[k+len(skipOpen) : len(tok)-1]
	start := int32(len(p.actItems))
	off := at + k + len(skipOpen)
	for t := range bytes.SplitSeq(list, []byte{','}) {
		if len(t) == 0 || bytes.ContainsAny(t, "[]") {
			p.errAt = off
			return nil, fmt.Errorf("%w: %q at byte %d: skipped token %q at byte %d is empty or contains '[' or ']'", ErrSection, truncate(tok), at, truncate(t), off)
		}
		p.actItems = append(p.actItems, t)
		off += len(t) + 1
	}
	p.acts = append(p.acts, parsedAct{tok: int32(len(p.tokens)), start: start, end: int32(len(p.actItems))})
	p.errAt = -1
	return tok[:k], nil
}

// splitMarker strips a recognised "@marker" suffix.
func (p *lineParser) splitMarker(tok []byte) ([]byte, uint8) {
	if p.markers == nil {
		return tok, 0
	}
	i := bytes.LastIndexByte(tok, '@')
	if i <= 0 {
		return tok, 0
	}
	if m, ok := p.markers.index[string(tok[i+1:])]; ok {
		return tok[:i], m
	}
	return tok, 0
}
