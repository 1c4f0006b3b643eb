package ipdb

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
)

// ReadLists reads the list of sources of a robots table (CSV with
// the header list,owner,url,category,verdict and '#' comments, as
// data/robots.csv) and adds each list's prefixes from lists
// (<list>/ipv4_merged.txt and, where present, ipv6_merged.txt, one CIDR
// a line, the layout of github.com/lord-alfred/ipranges) to b with that
// record. Set b.Innermost first: published lists nest (a crawler's
// block inside its company's cloud). Problems in the lists are kept for
// [Builder.Build]; ReadLists returns errors of the sources file and
// of reading.
func (b *Builder) ReadLists(sources io.Reader, lists fs.FS) error {
	cr := csv.NewReader(sources)
	cr.Comment = '#'
	cr.FieldsPerRecord = 5
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("ipdb: robot sources: %w", err)
	}
	if head[0] != "list" || head[1] != "owner" || head[2] != "url" || head[3] != "category" || head[4] != "verdict" {
		return fmt.Errorf("ipdb: robot sources: header %q, want list,owner,url,category,verdict", head)
	}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("ipdb: robot sources: %w", err)
		}
		rec := Record{Owner: row[1], URL: row[2]}
		if rec.Category, err = ParseCategory(row[3]); err != nil {
			return fmt.Errorf("ipdb: robot sources, list %q: %w", row[0], err)
		}
		if rec.Verdict, err = ParseVerdict(row[4]); err != nil {
			return fmt.Errorf("ipdb: robot sources, list %q: %w", row[0], err)
		}
		for i, name := range []string{"ipv4_merged.txt", "ipv6_merged.txt"} {
			path := row[0] + "/" + name
			f, err := lists.Open(path)
			if i == 1 && errors.Is(err, fs.ErrNotExist) {
				continue // IPv4 only
			}
			if err != nil {
				return fmt.Errorf("ipdb: robot sources: %w", err)
			}
			err = b.ReadPrefixes(f, path, rec)
			f.Close()
			if err != nil {
				return err
			}
		}
	}
}

// AddTable adds every range of t to b as CIDR prefixes, its records
// given category and verdict where they have none. Prefixes nest or are
// disjoint, never cross, so a table of arbitrary ranges (such as ipcat's)
// can be merged with Innermost under published CIDR lists.
func (b *Builder) AddTable(t *Table, category Category, verdict Verdict) {
	var ps []netip.Prefix
	for r, rec := range t.All() {
		if rec.Category == CategoryUnknown {
			rec.Category = category
		}
		if rec.Verdict == VerdictUnknown {
			rec.Verdict = verdict
		}
		ps = r.AppendPrefixes(ps[:0])
		for _, p := range ps {
			b.AddPrefix(p, rec)
		}
	}
}
