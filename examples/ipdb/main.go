// Command ipdb looks up who owns IP addresses: by default in the embedded
// ipcat datacenter table, or in a CSV file of ranges given with -csv.
//
//	go run ./examples/ipdb 5.9.10.11 8.8.8.8
//	echo 2001:db8::1 | go run ./examples/ipdb -csv ranges.csv
//
// Addresses come from the arguments, else from standard input (one per
// line) when it is not a terminal, else from a short built-in sample.
// Each output line is "address<TAB>owner<TAB>URL", or "address<TAB>-" when
// no range holds the address.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"

	"github.com/craftkit/craftkit/ipdb"
)

func main() {
	csvPath := flag.String("csv", "", "CSV of `ranges` (start,end,owner,URL) to use instead of the embedded table")
	tsv := flag.Bool("tsv", false, "the -csv file is tab-separated")
	flag.Parse()
	if err := run(os.Stdout, *csvPath, *tsv, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

var sample = []string{"5.9.10.11", "5.101.100.1", "::ffff:3.0.0.9", "8.8.8.8", "2001:db8::1"}

func run(w io.Writer, csvPath string, tsv bool, args []string) error {
	table := ipdb.Datacenters()
	if csvPath != "" {
		f, err := os.Open(csvPath)
		if err != nil {
			return err
		}
		defer f.Close()
		opts := &ipdb.LoadOptions{Source: csvPath, Comment: '#'}
		if tsv {
			opts.Comma = '\t'
		}
		if table, err = ipdb.Load(f, opts); err != nil {
			return err
		}
	}
	out := bufio.NewWriter(w)
	defer out.Flush()
	lookup := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		ip, err := netip.ParseAddr(s)
		if err != nil {
			fmt.Fprintf(out, "%s\tinvalid address\n", s)
			return
		}
		if rec, ok := table.Lookup(ip); ok {
			fmt.Fprintf(out, "%s\t%s\t%s\n", s, rec.Owner, rec.URL)
		} else {
			fmt.Fprintf(out, "%s\t-\n", s)
		}
	}
	if len(args) == 0 {
		if st, err := os.Stdin.Stat(); err == nil && st.Mode()&os.ModeCharDevice == 0 {
			sc := bufio.NewScanner(os.Stdin)
			for sc.Scan() {
				lookup(sc.Text())
			}
			return sc.Err()
		}
		args = sample
	}
	for _, a := range args {
		lookup(a)
	}
	return nil
}
