// Command tour is a short guided run of every craftkit package on its
// embedded defaults: no network, no hardware, no files. It is the first
// thing to run after cloning:
//
//	go run ./examples/tour
//	go run ./examples/tour -only ipdb
//
// Each step lives in its own file (ipdb.go, address.go, ...) as a function
// that prints what the package shows; the per-package examples under
// examples/ go further.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// A step is one package's part of the tour; its function prints a title
// line naming the package, then what the package shows.
type step struct {
	pkg string
	run func(io.Writer) error
}

func steps() []step {
	return []step{
		{"abtest", tourABTest},
		{"ipdb", tourIPDB},
		{"address", tourAddress},
		{"fraudgraph", tourFraudgraph},
		{"embeddings", tourEmbeddings},
		{"rfid", tourRFID},
		{"featureflag", tourFeatureflag},
		{"shard", tourShard},
		{"alerts", tourAlerts},
	}
}

func main() {
	only := flag.String("only", "", "run only the step of this package (e.g. ipdb)")
	flag.Parse()
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	if err := run(w, *only); err != nil {
		w.Flush()
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, only string) error {
	ran := 0
	for _, s := range steps() {
		if only != "" && only != s.pkg {
			continue
		}
		if ran > 0 {
			fmt.Fprintln(w)
		}
		start := time.Now()
		if err := s.run(w); err != nil {
			return fmt.Errorf("%s: %w", s.pkg, err)
		}
		fmt.Fprintf(w, "   (%s in %v)\n", s.pkg, time.Since(start).Round(time.Millisecond))
		ran++
	}
	if ran == 0 {
		var names []string
		for _, s := range steps() {
			names = append(names, s.pkg)
		}
		return fmt.Errorf("no step named %q; steps: %s", only, strings.Join(names, ", "))
	}
	return nil
}
