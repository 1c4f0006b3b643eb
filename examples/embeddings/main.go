// Command embeddings generates synthetic marketplace journeys, trains
// token vectors on them with every session extension on, and shows the
// nearest neighbours of a few items, shops and search queries together
// with their planted categories.
//
// Usage:
//
//	embeddings [-sessions 6000] [-categories 8] [-dim 48] [-epochs 5] [-threads 0] [-seed 7] [-out model.bin]
//
// Training that runs longer than two seconds reports its progress on
// standard error. With -out the vectors are saved atomically, in word2vec's
// binary format, or its text format when the name ends in .txt or .vec.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/craftkit/craftkit/embeddings"
	"github.com/craftkit/craftkit/examples/internal/cli"
)

// config holds the validated flags.
type config struct {
	sessions, categories, dim, epochs, threads int
	seed                                       uint64
	out                                        string
	progressAfter                              time.Duration // report progress on training longer than this
	now                                        func() time.Time
}

// Flag ranges: a run stays within a few seconds and a few hundred MB.
const (
	minSessions, maxSessions = 100, 200000
	maxCategories            = 100
	maxDim                   = 1024
	maxEpochs                = 100
	maxThreads               = 256
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run parses args, runs the program and returns the exit status: 0 on
// success or -h, 2 for bad flags or values, 1 when training or writing
// fails.
func run(args []string, stdout, stderr io.Writer) int {
	prog := cli.Program{Name: "embeddings", Stderr: stderr, Hint: "Run 'embeddings -h' for usage."}
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return prog.UsageError(err)
	}
	return prog.Exit(train(stdout, stderr, cfg)) // the package's errors carry its name once
}

// parseFlags parses and validates the command line. Usage goes to stderr
// on -h, -help or --help (flag.ErrHelp is returned); errors are returned
// to be reported once, by run.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := config{progressAfter: 2 * time.Second, now: time.Now}
	fs := cli.NewFlagSet("embeddings", stderr, "Usage: embeddings [flags]\n\n"+
		"Generates synthetic marketplace sessions with planted categories, trains\n"+
		"word2vec vectors on them with purchase context, skipped negatives and\n"+
		"interaction weights, and prints nearest neighbours.\n\nFlags:\n")
	fs.IntVar(&cfg.sessions, "sessions", 6000, fmt.Sprintf("synthetic sessions to generate, %d..%d", minSessions, maxSessions))
	fs.IntVar(&cfg.categories, "categories", 8, fmt.Sprintf("planted categories, 2..%d", maxCategories))
	fs.IntVar(&cfg.dim, "dim", 48, fmt.Sprintf("vector dimension, 1..%d", maxDim))
	fs.IntVar(&cfg.epochs, "epochs", 5, fmt.Sprintf("passes over the sessions, 1..%d", maxEpochs))
	fs.IntVar(&cfg.threads, "threads", 0, fmt.Sprintf("training goroutines, 0..%d (0 means one per core)", maxThreads))
	fs.Uint64Var(&cfg.seed, "seed", 7, "seed of the synthetic journeys and of training")
	fs.StringVar(&cfg.out, "out", "", "save the vectors to this `path` (binary; text for .txt or .vec)")
	if err := cli.ParseQuiet(fs, args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q (all settings are flags)", fs.Arg(0))
	}
	for _, f := range []struct {
		name     string
		v        int
		min, max int
	}{
		{"sessions", cfg.sessions, minSessions, maxSessions},
		{"categories", cfg.categories, 2, maxCategories},
		{"dim", cfg.dim, 1, maxDim},
		{"epochs", cfg.epochs, 1, maxEpochs},
		{"threads", cfg.threads, 0, maxThreads},
	} {
		if f.v < f.min || f.v > f.max {
			return cfg, fmt.Errorf("-%s %d: must be in %d..%d", f.name, f.v, f.min, f.max)
		}
	}
	return cfg, nil
}

// train generates the journeys, trains, prints neighbours and saves the
// model when asked.
func train(stdout, stderr io.Writer, cfg config) error {
	journeys := embeddings.NewJourneys(embeddings.JourneyConfig{
		Sessions: cfg.sessions, Categories: cfg.categories, ItemsPerCategory: 60, ShopsPerCategory: 6, QueriesPerCategory: 6, Seed: cfg.seed,
	})
	var corpus bytes.Buffer
	if _, err := journeys.WriteTo(&corpus); err != nil {
		return err
	}
	first, _, _ := strings.Cut(corpus.String(), "\n")
	fmt.Fprintln(stdout, "a session:", first)

	shown := false
	m, err := embeddings.Train(context.Background(), &corpus, embeddings.Config{
		Dim: cfg.dim, Epochs: cfg.epochs, Threads: cfg.threads, MinCount: 3, Seed: cfg.seed,
		TypeMinCount:     map[string]int{"shop": 1, "cat": 1}, // keep every shop and category
		Weights:          embeddings.DefaultWeights(),         // click 1 < cart 2 < purchase 4
		PurchaseContext:  true,
		SkippedNegatives: true,
		KeepOutputs:      true, // for IN–OUT queries: items bought after viewing one
		ProgressEvery:    100 * time.Millisecond,
		Now:              cfg.now,
		Progress: func(p embeddings.Progress) {
			if p.Elapsed < cfg.progressAfter {
				return
			}
			shown = true
			fmt.Fprintf(stderr, "\repoch %d/%d %5.1f%%  %4.0fk tokens/s  alpha %.4f  loss %.3f  ETA %v   ",
				p.Epoch, cfg.epochs, 100*float64(p.Tokens)/float64(max(p.Total, 1)), p.TokensPerSecond/1000, p.Alpha, p.Loss, p.ETA.Round(time.Millisecond))
		},
	})
	if shown {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d tokens, %d dimensions\n", m.Len(), m.Dim())

	for _, q := range []embeddings.Query{
		{Token: "item:0", K: 5, Type: "item"},
		{Token: "item:130", K: 5, Type: "item"},
		{Token: "shop:0", K: 4, Type: "shop"},
		{Token: "query:13", K: 4, Type: "query"},
		{Token: "query:13", K: 4, Type: "item"}, // items to show for a search
	} {
		nb, err := m.Search(q)
		if errors.Is(err, embeddings.ErrUnknownToken) {
			continue // too few categories or sessions for this token
		}
		if err != nil {
			return err
		}
		cat, _ := journeys.Category(q.Token)
		fmt.Fprintf(stdout, "%s (category %d), nearest %s tokens:\n ", q.Token, cat, q.Type)
		for _, n := range nb {
			c, _ := journeys.Category(n.Token)
			fmt.Fprintf(stdout, " %s[c%d] %.2f", n.Token, c, n.Score)
		}
		fmt.Fprintln(stdout)
	}
	// IN–OUT: the items whose output vectors are closest to the input
	// vector of a viewed item, where the purchase context puts the items
	// bought in sessions that viewed it.
	if leads, err := m.SearchOut(embeddings.Query{Token: "item:0", K: 5, Type: "item"}); err == nil {
		fmt.Fprintf(stdout, "item:0, IN-OUT (bought or viewed next):\n ")
		for _, n := range leads {
			c, _ := journeys.Category(n.Token)
			fmt.Fprintf(stdout, " %s[c%d] %.2f", n.Token, c, n.Score)
		}
		fmt.Fprintln(stdout)
	}
	for _, typ := range []string{"item", "shop", "query"} {
		fmt.Fprintf(stdout, "precision@5 by planted category, %s tokens: %.3f\n", typ, journeys.PrecisionAtK(m, typ, 5))
	}
	if cfg.out == "" {
		return nil
	}
	write := m.WriteBinaryFile
	if strings.HasSuffix(cfg.out, ".txt") || strings.HasSuffix(cfg.out, ".vec") {
		write = m.WriteTextFile
	}
	if err := write(cfg.out); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "wrote", cfg.out)
	return nil
}
