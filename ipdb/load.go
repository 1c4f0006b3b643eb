package ipdb

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
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
}

// Load reads ranges from CSV (by default the ipcat layout: start, end,
// owner name, owner URL; fields may be quoted; CRLF line ends and a
// leading UTF-8 byte order mark are accepted) and returns the frozen
// table. A header row is an error on line 1 unless [LoadOptions].Header is set. It reports every problem of the input at once: the returned error
// joins one [*ParseError] per problem (errors.As yields the first, with its
// Line), or is the reader's error.
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
// Problems in rows are kept for [Builder.Build]; ReadCSV returns only
// errors of the reader itself.
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
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		br.Discard(3) // a UTF-8 byte order mark, as spreadsheet exports write
	}
	cr := csv.NewReader(br)
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
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("ipdb: reading %s: %w", orInput(o.Source), err)
			}
			b.n++
			b.fail(src, pe.Line, "", fmt.Errorf("%w: %w", ErrCSV, pe.Err))
			first = false
			continue
		}
		line, _ := cr.FieldPos(0)
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
		var text string
		var rg Range
		var perr error
		if cols.Prefix > 0 {
			s, ok := field(cols.Prefix)
			text = s
			if !ok {
				perr = fmt.Errorf("%w %d", ErrColumn, cols.Prefix)
			} else {
				rg, perr = ParseRange(s)
			}
		} else {
			from, ok1 := field(cols.From)
			to, ok2 := field(cols.To)
			text = from + "-" + to
			switch {
			case !ok1 || cols.From <= 0:
				perr = fmt.Errorf("%w %d", ErrColumn, cols.From)
			case !ok2:
				perr = fmt.Errorf("%w %d", ErrColumn, cols.To)
			case cols.To <= 0:
				rg, perr = ParseRange(from)
				text = from
			default:
				rg.From, perr = parseAddr(from)
				if perr == nil {
					rg.To, perr = parseAddr(to)
				}
			}
		}
		owner, ok := field(cols.Owner)
		if !ok && perr == nil {
			perr = fmt.Errorf("%w %d", ErrColumn, cols.Owner)
		}
		url, ok := field(cols.URL)
		if !ok && perr == nil && !ipcat { // ipcat rows may leave out the URL
			perr = fmt.Errorf("%w %d", ErrColumn, cols.URL)
		}
		if perr != nil {
			b.fail(src, line, text, perr)
			continue
		}
		b.add(src, line, rg, Record{Owner: owner, URL: url}, true)
	}
}

// ReadPrefixes adds a list of CIDR prefixes, one per line, all owned by
// rec (lines may also hold "a-b" ranges or single addresses; blank lines
// and lines starting with '#' are skipped). source names the input in
// errors. Problems in lines are kept for [Builder.Build]; ReadPrefixes
// returns only errors of the reader itself.
func (b *Builder) ReadPrefixes(r io.Reader, source string, rec Record) error {
	src := b.source(source)
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || s[0] == '#' {
			continue
		}
		b.n++
		rg, err := ParseRange(s)
		if err != nil {
			b.fail(src, line, s, err)
			continue
		}
		b.add(src, line, rg, rec, false)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("ipdb: reading %s line %d: %w", orInput(source), line+1, err)
	}
	return nil
}

func orInput(name string) string {
	if name == "" {
		return "input"
	}
	return name
}
