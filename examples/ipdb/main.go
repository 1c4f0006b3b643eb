// Command ipdb looks up who owns IP addresses: by default in the embedded
// ipcat datacenter table, or in a CSV file of ranges given with -csv.
//
//	go run ./examples/ipdb 5.9.10.11 8.8.8.8
//	echo 2001:db8::1 | go run ./examples/ipdb -csv ranges.csv
//
// Addresses come from the arguments, else from standard input (one per
// line) when it is not a terminal, else from a short built-in sample.
// Each output line is "address<TAB>owner<TAB>URL", or "address<TAB>-" when
// no range holds the address, or "address<TAB>invalid address".
//
// With -robots the embedded Robots table answers instead, and each line
// is "address<TAB>owner<TAB>category<TAB>verdict<TAB>matched range": who
// runs the network, what kind of network it is and whether its traffic
// is welcome (Googlebot is a robot one wants). -svg chart.svg also
// counts the addresses found by category at the hour of -at (default
// now) and writes the 24-hour chart. -signups reads "account address"
// lines instead, turns each signup from a listed network into a
// fraudgraph fingerprint (Record.Fingerprint) and prints, per account,
// the accounts it is linked to that way: "account<TAB>related<TAB>kind".
//
// Flags are checked before any work: bad flags print the usage and exit
// with status 2, -h prints it and exits with 0. A CSV that does not load
// exits with 1 naming the file and line; so does a run where any address
// was invalid (after looking up the others). Loading or looking up for
// longer than about two seconds reports progress on standard error.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/craftkit/craftkit/examples/internal/cli"
	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/internal/atomicfile"
	"github.com/craftkit/craftkit/ipdb"
)

func main() {
	var stdin io.Reader
	if st, err := os.Stdin.Stat(); err == nil && st.Mode()&os.ModeCharDevice == 0 {
		stdin = os.Stdin
	}
	os.Exit(run(os.Args[1:], stdin, os.Stdout, os.Stderr, 2*time.Second))
}

var sample = []string{"5.9.10.11", "5.101.100.1", "::ffff:3.0.0.9", "8.8.8.8", "2001:db8::1"}

// run runs the command and returns its exit status: 0 on success and for
// -h, 2 for bad flags, 1 when the table does not load or an address is
// invalid. stdin, when not nil, supplies addresses if args hold none.
// Progress goes to stderr every tick while work lasts longer than a tick.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, tick time.Duration) int {
	fs := cli.NewFlagSet("ipdb", stderr, "usage: ipdb [-csv ranges.csv [-tsv]] [address ...]\n"+
		"       ipdb -robots [-svg chart.svg [-at time]] [address ...]\n"+
		"       ipdb -signups < signups.txt\n\n"+
		"Prints the owner of each address: from the arguments, else standard input\n"+
		"(one per line), else a built-in sample.\n\n")
	csvPath := fs.String("csv", "", "CSV of `ranges` (start,end,owner,URL; # comments) to use instead of the embedded table")
	tsv := fs.Bool("tsv", false, "the -csv file is tab-separated")
	robots := fs.Bool("robots", false, "use the embedded Robots table: print category, verdict and matched range")
	svg := fs.String("svg", "", "with -robots: write a chart of the addresses found, by category, to `file`")
	atText := fs.String("at", "", "with -svg: the `time` (RFC 3339) to count the addresses at; default now")
	signups := fs.Bool("signups", false, "read \"account address\" lines and link accounts by network with fraudgraph")
	if err := fs.Parse(args); err != nil {
		return cli.ParseStatus(err)
	}
	// Errors made here and by package ipdb carry "ipdb: " already.
	prog := cli.Program{Name: "ipdb", Stderr: stderr, Usage: fs.Usage}
	at := time.Now()
	if *atText != "" {
		t, err := time.Parse(time.RFC3339, *atText)
		if err != nil {
			return prog.UsageError(fmt.Errorf("-at: %w", err))
		}
		at = t
	}
	if (*robots || *signups) && *csvPath != "" || *svg != "" && !*robots {
		return prog.UsageError(errors.New("-robots and -signups use the embedded table (no -csv); -svg needs -robots"))
	}
	if *signups {
		return prog.Exit(linkSignups(stdout, stdin))
	}
	if *robots {
		return prog.Exit(runRobots(stdout, *svg, at, fs.Args(), stdin))
	}
	if *tsv && *csvPath == "" {
		return prog.UsageError(errors.New("-tsv needs -csv"))
	}
	p := cli.StartProgress(stderr, "ipdb", tick)
	err := lookupAll(stdout, *csvPath, *tsv, fs.Args(), stdin, p)
	p.Stop()
	return prog.Exit(err)
}

// lookupAll looks up args (or the lines of stdin, or the sample) in the
// embedded table or the CSV at csvPath.
func lookupAll(w io.Writer, csvPath string, tsv bool, args []string, stdin io.Reader, p *cli.Progress) error {
	table, err := loadTable(csvPath, tsv, p)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(w)
	defer out.Flush()
	invalid := 0
	lookup := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		p.Add(1)
		ip, err := netip.ParseAddr(s)
		if err != nil {
			invalid++
			fmt.Fprintf(out, "%s\tinvalid address\n", s)
			return
		}
		if rec, ok := table.Lookup(ip); ok {
			fmt.Fprintf(out, "%s\t%s\t%s\n", s, rec.Owner, rec.URL)
		} else {
			fmt.Fprintf(out, "%s\t-\n", s)
		}
	}
	p.Counting("looking up addresses", "addresses looked up")
	switch {
	case len(args) > 0:
		for _, a := range args {
			lookup(a)
		}
	case stdin != nil:
		sc := bufio.NewScanner(stdin)
		for sc.Scan() {
			lookup(sc.Text())
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("ipdb: reading standard input: %w", err)
		}
	default:
		for _, a := range sample {
			lookup(a)
		}
	}
	if invalid > 0 {
		return fmt.Errorf("ipdb: %d invalid addresses", invalid)
	}
	return nil
}

// loadTable returns the embedded table, or the one in the CSV at path.
func loadTable(path string, tsv bool, p *cli.Progress) (*ipdb.Table, error) {
	if path == "" {
		return ipdb.Datacenters(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ipdb: %w", err)
	}
	defer f.Close()
	opts := &ipdb.LoadOptions{Source: path, Comment: '#'}
	if tsv {
		opts.Comma = '\t'
	}
	p.Counting("loading "+path, "bytes read")
	return ipdb.Load(&countingReader{r: f, p: p}, opts)
}

// countingReader counts the bytes read through it on a Progress.
type countingReader struct {
	r io.Reader
	p *cli.Progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.Add(int64(n))
	return n, err
}

// runRobots looks addresses up in the Robots table with LookupMatch and,
// when svgPath is set, charts them by category.
func runRobots(w io.Writer, svgPath string, at time.Time, args []string, stdin io.Reader) error {
	robots := ipdb.Robots()
	traffic, err := ipdb.NewTraffic(ipdb.TrafficConfig{Hours: 24})
	if err != nil {
		return err
	}
	addrs, err := inputLines(args, stdin)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(w)
	invalid := 0
	for _, s := range addrs {
		ip, err := netip.ParseAddr(s)
		if err != nil {
			invalid++
			fmt.Fprintf(out, "%s\tinvalid address\n", s)
			continue
		}
		m, ok := robots.LookupMatch(ip)
		if !ok {
			fmt.Fprintf(out, "%s\t-\n", s)
			continue
		}
		traffic.CountCategory(m.Record.Category, at)
		fmt.Fprintf(out, "%s\t%s\t%v\t%v\t%v\n", s, m.Record.Owner, m.Record.Category, m.Record.Verdict, m.Range)
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if svgPath != "" {
		if err := atomicfile.Write(svgPath, traffic.Hourly(at, 24).WriteSVG); err != nil {
			return fmt.Errorf("ipdb: writing %s: %w", svgPath, err)
		}
	}
	if invalid > 0 {
		return fmt.Errorf("ipdb: %d invalid addresses", invalid)
	}
	return nil
}

// inputLines returns args, else the non-empty lines of stdin, else the
// sample.
func inputLines(args []string, stdin io.Reader) ([]string, error) {
	if len(args) > 0 {
		return args, nil
	}
	if stdin == nil {
		return sample, nil
	}
	var lines []string
	sc := bufio.NewScanner(stdin)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			lines = append(lines, s)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("ipdb: reading standard input: %w", err)
	}
	return lines, nil
}

// networkKinds weighs the fingerprints ipdb records give in fraudgraph:
// sharing a cloud owner is weak evidence (many strangers rent from the
// same cloud), sharing one of its ranges a little stronger; caps keep a
// popular network from linking everyone.
func networkKinds() map[string]fraudgraph.Kind {
	kinds := make(map[string]fraudgraph.Kind)
	for _, c := range []ipdb.Category{ipdb.CategoryDatacenter, ipdb.CategoryCloud, ipdb.CategoryVPN, ipdb.CategoryCrawler, ipdb.CategoryOther} {
		kinds[c.FingerprintKind()] = fraudgraph.Kind{Weight: 0.1, Cap: 1000}
		kinds[c.FingerprintKind()+"-range"] = fraudgraph.Kind{Weight: 0.3, Cap: 50}
	}
	return kinds
}

// sampleSignups are accounts signing up from a cloud, a crawler's range
// and a home address.
const sampleSignups = "1 3.5.140.1\n2 3.5.140.2\n3 66.249.66.1\n4 10.1.2.3\n5 3.5.140.9\n"

// linkSignups reads "account address" lines (default: sampleSignups),
// gives every signup from a listed network its network fingerprints in a
// fraudgraph graph, and prints each account's accounts related through
// them, by the first link's kind.
func linkSignups(w io.Writer, stdin io.Reader) error {
	if stdin == nil {
		stdin = strings.NewReader(sampleSignups)
	}
	robots := ipdb.Robots()
	g := fraudgraph.New(fraudgraph.Config{Kinds: networkKinds()})
	var accounts []uint64
	sc := bufio.NewScanner(stdin)
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		var account uint64
		if len(f) != 2 {
			return fmt.Errorf("ipdb: signups line %d: want \"account address\", got %q", line, sc.Text())
		}
		if _, err := fmt.Sscan(f[0], &account); err != nil {
			return fmt.Errorf("ipdb: signups line %d: account %q: %w", line, f[0], err)
		}
		ip, err := netip.ParseAddr(f[1])
		if err != nil {
			return fmt.Errorf("ipdb: signups line %d: %w", line, err)
		}
		if err := g.AddAccount(account, time.Unix(0, 0)); err != nil {
			return err
		}
		accounts = append(accounts, account)
		m, ok := robots.LookupMatch(ip)
		if !ok {
			continue // not a listed network: no fingerprint
		}
		kind, value, _ := m.Record.Fingerprint()
		if err := g.AddFingerprint(account, kind, value); err != nil {
			return err
		}
		kind, value, _ = m.Fingerprint()
		if err := g.AddFingerprint(account, kind, value); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("ipdb: reading signups: %w", err)
	}
	out := bufio.NewWriter(w)
	for _, a := range accounts {
		rel, err := g.Related(a, fraudgraph.Query{MaxHops: 1})
		if err != nil {
			return err
		}
		for _, r := range rel {
			fmt.Fprintf(out, "%d\t%d\t%s\n", a, r.Account, r.Kind)
		}
	}
	return out.Flush()
}
