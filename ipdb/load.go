package ipdb

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// Columns says where the fields of a CSV row are, as 1-based column
// numbers. The zero Columns selects the ipcat layout (start, end, owner
// name, URL): From 1, To 2, Owner 3, URL 4, where a row may leave out the
// URL. In any other Columns a zero field means the column is absent.
// Columns is a plain value, safe to copy and to share between goroutines
// while no one writes it.
type Columns struct {
	From, To int // start and end address of an inclusive range
	Prefix   int // a CIDR prefix, range or single address; used instead of From and To when set
	Owner    int // owner name
	URL      int // owner URL
	Category int // category name (see [ParseCategory]); empty fields take LoadOptions.Category
	Verdict  int // "allow" or "deny" (see [ParseVerdict]); empty fields take LoadOptions.Verdict
}

// LoadOptions configures [Load] and [Builder.ReadCSV]. The zero value (or
// a nil pointer) reads ipcat-style CSV: comma-separated, no header, no
// comments, columns start, end, owner, URL. Load only reads the options, so
// one LoadOptions may serve concurrent loads while no one writes it.
type LoadOptions struct {
	// Comma is the field separator; 0 means ','. Use '\t' for TSV.
	Comma rune
	// Comment, if not 0, starts comment lines, which are skipped.
	Comment rune
	// Header skips the first record.
	Header bool
	// Columns locates the fields; the zero value is the ipcat layout.
	Columns Columns
	// Source names the input in errors (a file name); "" omits it.
	Source string
	// Strict refuses unsorted input instead of sorting it (see [Builder]).
	Strict bool
	// Innermost flattens nested ranges, the innermost winning (see [Builder]).
	Innermost bool
	// IntegerBounds requires the From and To fields to be IPv4 addresses
	// written as decimal integers (34603008 is 2.16.0.0), the format of
	// lists that store addresses as 32-bit numbers; a row in address
	// notation, IPv6 among them, is then refused, naming its column.
	// Without it such fields are still recognised, row by row, so a list
	// may mix integer IPv4 rows with IPv6 rows (but not within one row).
	IntegerBounds bool
	// OwnerURL reads an owner field that is an absolute http or https URL
	// (https://www.example.com/bots) as the owner's URL when the row has
	// no URL of its own: the record gets Owner "example.com" (the host
	// name, lower case, without "www.") and URL as written. Other owner
	// fields are kept as they are.
	OwnerURL bool
	// Category and Verdict are the source's defaults, given to every row
	// whose own column is absent or empty: a crawler's published list is
	// CategoryCrawler and VerdictAllow as a whole.
	Category Category
	Verdict  Verdict
}

// Load reads ranges from CSV (by default the ipcat layout: start, end,
// owner name, owner URL; fields may be quoted; CRLF line ends and a
// leading UTF-8 byte order mark are accepted) and returns the frozen
// table. A header row is an error on line 1 unless [LoadOptions].Header
// is set. It reports the problems of the input at once: the returned
// error joins one [*ParseError] per problem, at most [MaxProblems] of them
// and then a count of the rest (errors.As yields the first, with its
// Line), or is the reader's error, or a [*ParseError] wrapping
// [ErrLineTooLong]. See the package doc for the bounds on its memory.
func Load(r io.Reader, opts *LoadOptions) (*Table, error) {
	var b Builder
	if opts != nil {
		b.Strict, b.Innermost = opts.Strict, opts.Innermost
	}
	if err := b.ReadCSV(r, opts); err != nil {
		return nil, err
	}
	return b.Build()
}

// ReadCSV adds the rows of a CSV or TSV stream to b; see [LoadOptions]
// (its Strict and Innermost fields are ignored here: set them on b).
// Problems in rows are kept for [Builder.Build], each quoting its line as
// written (cut to [MaxQuote] bytes). ReadCSV returns only errors of the
// reader itself and, for a record longer than [MaxLine] bytes, a
// [*ParseError] wrapping [ErrLineTooLong]; reading stops there.
func (b *Builder) ReadCSV(r io.Reader, opts *LoadOptions) error {
	var o LoadOptions
	if opts != nil {
		o = *opts
	}
	cols := o.Columns
	ipcat := cols == (Columns{})
	if ipcat {
		cols = Columns{From: 1, To: 2, Owner: 3, URL: 4}
	}
	src := b.source(o.Source)
	tap := &lineTap{r: r}
	br := bufio.NewReader(tap)
	bom := int64(0)
	if p, err := br.Peek(3); err == nil && string(p) == "\ufeff" {
		br.Discard(3) // a UTF-8 byte order mark, as spreadsheet exports write
		bom = 3
	}
	cr := csv.NewReader(br) // reads br directly: it is a *bufio.Reader of the default size
	cr.Comma = ','
	if o.Comma != 0 {
		cr.Comma = o.Comma
	}
	cr.Comment = o.Comment
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	if cr.Comma == '\t' {
		cr.LazyQuotes = true // TSV has no quoting convention
	}
	tooLong := func(line int, text []byte) error {
		return &ParseError{Source: o.Source, Line: line, Input: quoteStart(text),
			Err: fmt.Errorf("%w: more than %d bytes", ErrLineTooLong, MaxLine)}
	}
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if errors.Is(err, ErrLineTooLong) {
			line, text := tap.longLine()
			return tooLong(line, text)
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("ipdb: reading %s: %w", orInput(o.Source), err)
			}
			text := tap.record(cr.InputOffset()+bom, pe.StartLine)
			b.n++
			if len(b.probs.errs) < MaxProblems {
				b.failText(src, pe.StartLine, text, fmt.Errorf("%w: %w", ErrCSV, pe.Err))
			} else {
				b.probs.more++
			}
			first = false
			continue
		}
		line, _ := cr.FieldPos(0)
		text := tap.record(cr.InputOffset()+bom, line)
		if len(text) > MaxLine {
			return tooLong(line, text)
		}
		if first && o.Header {
			first = false
			continue
		}
		first = false
		b.n++
		field := func(col int) (string, bool) {
			if col <= 0 {
				return "", true
			}
			if col > len(rec) {
				return "", false
			}
			return strings.TrimSpace(rec[col-1]), true
		}
		var rg Range
		var perr error
		if cols.Prefix > 0 {
			s, ok := field(cols.Prefix)
			if !ok {
				perr = columnError(cols.Prefix)
			} else {
				rg, perr = ParseRange(s)
			}
		} else {
			from, ok1 := field(cols.From)
			to, ok2 := field(cols.To)
			switch {
			case !ok1 || cols.From <= 0:
				perr = columnError(cols.From)
			case !ok2:
				perr = columnError(cols.To)
			case cols.To <= 0:
				if o.IntegerBounds || isDecimal(from) {
					rg.From, perr = parseBound(from, cols.From, o.IntegerBounds)
					rg.To = rg.From
				} else {
					rg, perr = ParseRange(from)
				}
			default:
				rg, perr = parseBounds(from, to, cols, o.IntegerBounds)
			}
		}
		owner, ok := field(cols.Owner)
		if !ok && perr == nil {
			perr = columnError(cols.Owner)
		}
		url, ok := field(cols.URL)
		if !ok && perr == nil && !ipcat { // ipcat rows may leave out the URL
			perr = columnError(cols.URL)
		}
		cat, verdict := o.Category, o.Verdict
		if f, ok := field(cols.Category); !ok && perr == nil {
			perr = columnError(cols.Category)
		} else if f != "" && perr == nil {
			if cat, perr = ParseCategory(f); perr != nil {
				perr = &fieldError{cols.Category, perr}
			}
		}
		if f, ok := field(cols.Verdict); !ok && perr == nil {
			perr = columnError(cols.Verdict)
		} else if f != "" && perr == nil {
			if verdict, perr = ParseVerdict(f); perr != nil {
				perr = &fieldError{cols.Verdict, perr}
			}
		}
		if perr != nil {
			b.failText(src, line, text, perr)
			continue
		}
		who := Record{Owner: owner, URL: url}
		if o.OwnerURL && url == "" {
			who = ownerURL(owner)
		}
		who.Category, who.Verdict = cat, verdict
		if err := b.add(src, line, rg, who, true); err != nil {
			b.failText(src, line, text, err)
		}
	}
}

// isDecimal reports whether s is a non-empty run of ASCII digits: an
// address written as an integer (no address notation is all digits).
func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseBound parses one bound in column col: a decimal integer IPv4
// address, or (unless integers only) any address notation.
func parseBound(s string, col int, integers bool) (netip.Addr, error) {
	if !isDecimal(s) {
		if integers {
			if s == "" {
				return netip.Addr{}, &fieldError{col, errMissingAddr{}}
			}
			return netip.Addr{}, &fieldError{col, fmt.Errorf("%w: %q is not a decimal integer address", ErrSyntax, cut(s))}
		}
		return parseAddr(s)
	}
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil { // only a range error: s is all digits
		return netip.Addr{}, &fieldError{col, fmt.Errorf("%w: integer address %s out of range 0..4294967295", ErrSyntax, cut(s))}
	}
	return v4addr(uint32(v)), nil
}

// parseBounds parses the From and To fields of a row. A row whose one
// bound is an integer and the other an IPv6 address is refused, naming
// the IPv6 column.
func parseBounds(from, to string, cols Columns, integers bool) (Range, error) {
	var rg Range
	var err error
	if rg.From, err = parseBound(from, cols.From, integers); err != nil {
		return Range{}, err
	}
	if rg.To, err = parseBound(to, cols.To, integers); err != nil {
		return Range{}, err
	}
	switch fi, ti := isDecimal(from), isDecimal(to); {
	case fi && !ti && !rg.To.Is4():
		return Range{}, &fieldError{cols.To, fmt.Errorf("%w: IPv6 address with an integer IPv4 start", ErrMixedFamily)}
	case ti && !fi && !rg.From.Is4():
		return Range{}, &fieldError{cols.From, fmt.Errorf("%w: IPv6 address with an integer IPv4 end", ErrMixedFamily)}
	}
	return rg, nil
}

// cut shortens a field quoted in an error to maxAddrText bytes.
func cut(s string) string {
	if len(s) > maxAddrText {
		return s[:maxAddrText] + "..."
	}
	return s
}

// ownerURL returns the record for an owner field that may be a URL: the
// host name (lower case, without "www.") as Owner and the field as URL,
// or the field as Owner when it is not an absolute http(s) URL.
func ownerURL(owner string) Record {
	u, err := url.Parse(owner)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return Record{Owner: owner}
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if host == "" {
		return Record{Owner: owner}
	}
	return Record{Owner: host, URL: owner}
}

// fieldError names the column of a bad field in a row.
type fieldError struct {
	col int
	err error
}

func (e *fieldError) Error() string { return fmt.Sprintf("column %d: %s", e.col, trimPrefix(e.err)) }
func (e *fieldError) Unwrap() error { return e.err }

// columnError reports a missing column (ErrColumn); a small integer
// boxed in an interface costs no allocation.
type columnError int

func (c columnError) Error() string { return fmt.Sprintf("%v %d", ErrColumn, int(c)) }
func (c columnError) Unwrap() error { return ErrColumn }

// lineTap sits between the input and the CSV reader. It keeps the bytes
// of the record being read, so that a bad row can be quoted as written,
// and refuses to buffer a record longer than MaxLine: the CSV reader
// asks for more input only while the record it reads has no line end,
// so everything the tap holds then belongs to that record.
type lineTap struct {
	r     io.Reader
	buf   []byte // input from stream offset off on
	start int    // buf[start:] is not yet dropped
	off   int64  // stream offset of buf[start]
	lines int    // line ends before off
}

func (t *lineTap) Read(p []byte) (int, error) {
	if len(t.buf)-t.start > MaxLine+1 { // +1: a CR may end the line
		return 0, ErrLineTooLong
	}
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

// record returns the text of the record that ends at stream offset end
// and starts on line (1-based), without its line end, and drops it with
// any blank or comment lines before it. The text is valid until the next
// call.
func (t *lineTap) record(end int64, line int) []byte {
	n := int(end - t.off)
	raw := t.buf[t.start : t.start+n]
	before := t.lines
	t.lines += bytes.Count(raw, []byte{'\n'})
	t.off = end
	t.start += n
	for skip := line - before - 1; skip > 0; skip-- {
		i := bytes.IndexByte(raw, '\n')
		if i < 0 {
			break
		}
		raw = raw[i+1:]
	}
	raw = bytes.TrimSuffix(raw, []byte{'\n'})
	raw = bytes.TrimSuffix(raw, []byte{'\r'})
	if t.start > len(t.buf)/2 { // keep the buffer about one record long
		text := append([]byte(nil), raw...) // before the copy overwrites raw
		k := copy(t.buf, t.buf[t.start:])
		t.buf, t.start = t.buf[:k], 0
		return text
	}
	return raw
}

// longLine returns the line number and the start of the line that was
// too long.
func (t *lineTap) longLine() (int, []byte) {
	rest := t.buf[t.start:]
	line := t.lines + 1 + bytes.Count(rest, []byte{'\n'})
	if i := bytes.LastIndexByte(rest, '\n'); i >= 0 {
		rest = rest[i+1:]
	}
	return line, rest
}

// ReadPrefixes adds a list of CIDR prefixes, one per line, all owned by
// rec (lines may also hold "a-b" ranges or single addresses; blank lines
// and lines starting with '#' are skipped). source names the input in
// errors. Problems in lines are kept for [Builder.Build]; ReadPrefixes
// returns only errors of the reader itself and, for a line longer than
// [MaxLine] bytes, a [*ParseError] wrapping [ErrLineTooLong]; reading
// stops there.
func (b *Builder) ReadPrefixes(r io.Reader, source string, rec Record) error {
	src := b.source(source)
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, MaxLine+2) // the line and its CRLF
	line := 0
	tooLong := func(text []byte) error {
		return &ParseError{Source: source, Line: line, Input: quoteStart(text),
			Err: fmt.Errorf("%w: more than %d bytes", ErrLineTooLong, MaxLine)}
	}
	for sc.Scan() {
		line++
		if len(sc.Bytes()) > MaxLine {
			return tooLong(sc.Bytes())
		}
		s := strings.TrimSpace(sc.Text())
		if s == "" || s[0] == '#' {
			continue
		}
		b.n++
		rg, err := ParseRange(s)
		if err != nil {
			b.failText(src, line, sc.Bytes(), err)
			continue
		}
		if err := b.add(src, line, rg, rec, false); err != nil {
			b.failText(src, line, sc.Bytes(), err)
		}
	}
	if err := sc.Err(); err != nil {
		line++
		if errors.Is(err, bufio.ErrTooLong) {
			return tooLong(nil)
		}
		return fmt.Errorf("ipdb: reading %s line %d: %w", orInput(source), line, err)
	}
	return nil
}

// failText records a problem in a row read from input, quoting the row's
// text as written (cut to MaxQuote bytes); past MaxProblems it only
// counts, without allocating.
func (b *Builder) failText(src uint32, line int, text []byte, err error) {
	if len(b.probs.errs) >= MaxProblems {
		b.probs.more++
		return
	}
	b.probs.add(&ParseError{Source: b.sourceName(src), Line: line, Input: quoteBytes(text), Err: err})
}

func orInput(name string) string {
	if name == "" {
		return "input"
	}
	return name
}
