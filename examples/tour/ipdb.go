package main

import (
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/craftkit/craftkit/ipdb"
)

// tourIPDB shows ipdb: the embedded datacenter table, a validated CSV load
// that reports every bad row at once, and innermost-wins flattening of
// nested provider lists.
func tourIPDB(w io.Writer) error {
	fmt.Fprintln(w, "ipdb: who owns this IP? A static table of disjoint ranges, searched in memory.")
	dc := ipdb.Datacenters()
	fmt.Fprintf(w, "  embedded ipcat table: %d datacenter ranges\n", dc.Len())
	for _, s := range []string{"5.9.10.11", "::ffff:3.0.0.9", "8.8.8.8"} {
		if rec, ok := dc.Lookup(netip.MustParseAddr(s)); ok {
			fmt.Fprintf(w, "  %-15s -> %s\n", s, rec.Owner)
		} else {
			fmt.Fprintf(w, "  %-15s -> not a datacenter\n", s)
		}
	}

	robots := ipdb.Robots()
	fmt.Fprintf(w, "  embedded robots table (clouds, crawlers, VPNs): %d ranges, each with a category and a verdict\n", robots.Len())
	for _, s := range []string{"66.249.66.1", "3.5.140.1", "172.224.226.1"} {
		if m, ok := robots.LookupMatch(netip.MustParseAddr(s)); ok {
			fmt.Fprintf(w, "  %-15s -> %s, %v, %v (in %v)\n", s, m.Record.Owner, m.Record.Category, m.Record.Verdict, m.Range)
		}
	}

	fmt.Fprintln(w, "  a messy CSV is refused with every problem named by line:")
	_, err := ipdb.Load(strings.NewReader("10.0.0.0,10.0.0.255,A,\n10.0.0.9,10.0.1.0,B,\n10.0.2.9,10.0.2.1,C,\n"), nil)
	if err == nil {
		return fmt.Errorf("tour: messy CSV was accepted")
	}
	for line := range strings.SplitSeq(err.Error(), "\n") {
		fmt.Fprintln(w, "   ", line)
	}

	fmt.Fprintln(w, "  nested provider lists, innermost owner wins:")
	b := ipdb.Builder{Innermost: true}
	if err := b.ReadPrefixes(strings.NewReader("66.249.64.0/19\n"), "googlebot", ipdb.Record{Owner: "googlebot"}); err != nil {
		return err
	}
	if err := b.ReadPrefixes(strings.NewReader("66.249.0.0/16\n"), "google", ipdb.Record{Owner: "google"}); err != nil {
		return err
	}
	t, err := b.Build()
	if err != nil {
		return err
	}
	for r, rec := range t.All() {
		fmt.Fprintf(w, "    %-31v %s\n", r, rec.Owner)
	}
	return nil
}
