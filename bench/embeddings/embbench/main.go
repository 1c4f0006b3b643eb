// Command embbench generates the synthetic session corpus, trains craftkit
// embeddings on a corpus file and scores vector files, so that the same
// corpus and the same metrics serve craftkit, gensim and fastText. See
// ../compare.sh.
//
//	embbench gen -sessions 170000 -plain plain.txt -full full.txt
//	embbench train -corpus plain.txt -threads 2 -epochs 1 -out vecs.txt
//	embbench train -corpus a.txt -save a.ckpt; embbench train -corpus b.txt -continue a.ckpt -out vecs.txt
//	embbench p10 -vectors vecs.txt        (synthetic P@10 by category)
//	embbench analogy -vectors vecs.txt -questions questions-words.txt
//	word2vec ... | embbench w2vlog -corpus plain.txt -epochs 1
//	                                 (word2vec C throughput, same token count)
//	embbench extensions -seeds 5 -epochs 1,5
//	                                 (each session extension's effect on planted journeys)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/craftkit/craftkit/embeddings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: embbench gen|train|p10|analogy|w2vlog|extensions [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "train":
		err = train(os.Args[2:])
	case "p10":
		err = p10(os.Args[2:])
	case "analogy":
		err = analogy(os.Args[2:])
	case "w2vlog":
		err = w2vlog(os.Args[2:])
	case "extensions":
		err = extensions(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "embbench:", err)
		os.Exit(1)
	}
}

func journeys(fs *flag.FlagSet) *embeddings.JourneyConfig {
	var c embeddings.JourneyConfig
	fs.IntVar(&c.Sessions, "sessions", 170000, "sessions")
	fs.Uint64Var(&c.Seed, "seed", 1, "generator seed")
	fs.Float64Var(&c.Wander, "wander", 0, "probability of an off-category action (0: default)")
	fs.IntVar(&c.ItemsPerCategory, "items", 0, "items per category (0: default)")
	fs.IntVar(&c.Categories, "categories", 0, "categories (0: default)")
	fs.IntVar(&c.SearchSkips, "search-skips", 0, "searches with this many per-action skipped items (0: none)")
	fs.BoolVar(&c.Funnels, "funnels", false, "planted purchase funnels")
	return &c
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	jc := journeys(fs)
	plain := fs.String("plain", "", "write the plain corpus here")
	full := fs.String("full", "", "write the corpus with markers and sections here")
	fs.Parse(args)
	j := embeddings.NewJourneys(*jc)
	for _, o := range []struct {
		path  string
		plain bool
	}{{*plain, true}, {*full, false}} {
		if o.path == "" {
			continue
		}
		f, err := os.Create(o.path)
		if err != nil {
			return err
		}
		if o.plain {
			_, err = j.WritePlain(f)
		} else {
			_, err = j.WriteTo(f)
		}
		if err := f.Close(); err != nil {
			return err
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func train(args []string) error {
	fs := flag.NewFlagSet("train", flag.ExitOnError)
	var cfg embeddings.Config
	corpus := fs.String("corpus", "", "corpus file")
	out := fs.String("out", "", "write text vectors here")
	stream := fs.Bool("stream", false, "use TrainFile (two streaming passes) instead of Train")
	ext := fs.String("ext", "", "comma-separated extensions: weights,purchase,skipped")
	fs.IntVar(&cfg.Dim, "dim", 100, "dimension")
	fs.IntVar(&cfg.Window, "window", 5, "window")
	fs.IntVar(&cfg.Negative, "negative", 5, "negative samples")
	fs.IntVar(&cfg.MinCount, "min-count", 5, "min count")
	fs.IntVar(&cfg.Epochs, "epochs", 1, "epochs")
	fs.IntVar(&cfg.Threads, "threads", 2, "threads")
	fs.Float64Var(&cfg.Sample, "sample", 1e-4, "subsampling threshold")
	fs.Float64Var(&cfg.Alpha, "alpha", 0.025, "learning rate")
	fs.Float64Var(&cfg.MinAlpha, "min-alpha", -1, "final learning rate (negative: word2vec's schedule, 0: craftkit's default Alpha/(2·epochs))")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "seed")
	prof := fs.String("cpuprofile", "", "write a CPU profile here")
	defaults := fs.Bool("defaults", false, "train at craftkit's defaults: only -epochs, -threads, -seed and -ext apply")
	save := fs.String("save", "", "also write a checkpoint (counts, input and output vectors) here")
	from := fs.String("continue", "", "continue the checkpoint at this path on the corpus (Continue) instead of training anew")
	fs.Parse(args)
	if *defaults {
		cfg = embeddings.Config{Epochs: cfg.Epochs, Threads: cfg.Threads, Seed: cfg.Seed}
	}
	var base *embeddings.Model
	if *from != "" {
		var err error
		if base, err = embeddings.ReadCheckpointFile(*from); err != nil {
			return err
		}
		cfg.Dim = 0 // the checkpoint's
	}
	cfg.KeepOutputs = *save != ""
	if *prof != "" {
		pf, err := os.Create(*prof)
		if err != nil {
			return err
		}
		pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	for e := range strings.SplitSeq(*ext, ",") {
		switch e {
		case "weights":
			cfg.Weights = embeddings.DefaultWeights()
		case "purchase":
			cfg.PurchaseContext = true
		case "skipped":
			cfg.SkippedNegatives = true
		}
	}
	var trained int64
	var trainStart time.Time
	cpu0 := cpuTime()
	start := time.Now()
	var last embeddings.Progress
	var cpuTrain0 time.Duration
	cfg.Progress = func(p embeddings.Progress) {
		if trainStart.IsZero() { // the report at the start of training
			trainStart = time.Now()
			cpuTrain0 = cpuTime() - cpu0
		}
		last = p
		trained = p.Tokens
	}
	cfg.ProgressEvery = time.Hour // only the final report
	var m *embeddings.Model
	var err error
	switch {
	case base != nil:
		m, err = embeddings.ContinueFile(context.Background(), base, *corpus, cfg)
	case *stream:
		m, err = embeddings.TrainFile(context.Background(), *corpus, cfg)
	default:
		f, ferr := os.Open(*corpus)
		if ferr != nil {
			return ferr
		}
		m, err = embeddings.Train(context.Background(), f, cfg)
		f.Close()
	}
	if err != nil {
		return err
	}
	wall := time.Since(start)
	cpu := cpuTime() - cpu0
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	budget := 1.5*float64(2*m.Len()*m.Dim()*4) + 64<<20
	fmt.Printf("craftkit vocab=%d tokens=%d wall=%.2fs train=%.2fs cpu=%.2fs (train %.2fs) tokens/s(train wall)=%.0f tokens/cpu-s=%.0f loss=%.4f maxrss=%.0fMB budget=%.0fMB\n",
		m.Len(), trained, wall.Seconds(), last.Elapsed.Seconds(), cpu.Seconds(), (cpu - cpuTrain0).Seconds(),
		float64(trained)/last.Elapsed.Seconds(), float64(trained)/(cpu-cpuTrain0).Seconds(), last.Loss,
		float64(ru.Maxrss)/1024, budget/(1<<20))
	if *save != "" {
		if err := m.WriteCheckpointFile(*save); err != nil {
			return err
		}
	}
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		write := m.WriteText
		if strings.HasSuffix(*out, ".bin") {
			write = m.WriteBinary
		}
		if err := write(f); err != nil {
			return err
		}
		return f.Close()
	}
	return nil
}

func readVectors(path string) (*embeddings.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if strings.HasSuffix(path, ".bin") {
		return embeddings.ReadBinary(f)
	}
	return embeddings.ReadText(f)
}

func p10(args []string) error {
	fs := flag.NewFlagSet("p10", flag.ExitOnError)
	jc := journeys(fs)
	vec := fs.String("vectors", "", "vector file (.txt or .bin)")
	fs.Parse(args)
	m, err := readVectors(*vec)
	if err != nil {
		return err
	}
	j := embeddings.NewJourneys(*jc)
	fmt.Printf("P@10 item=%.4f shop=%.4f query=%.4f (%s)\n",
		j.PrecisionAtK(m, "item", 10), j.PrecisionAtK(m, "shop", 10), j.PrecisionAtK(m, "query", 10), *vec)
	return nil
}

func analogy(args []string) error {
	fs := flag.NewFlagSet("analogy", flag.ExitOnError)
	vec := fs.String("vectors", "", "vector file (.txt or .bin)")
	q := fs.String("questions", "", "questions-words.txt")
	restrict := fs.Int("restrict", 30000, "most frequent tokens searched")
	fs.Parse(args)
	m, err := readVectors(*vec)
	if err != nil {
		return err
	}
	f, err := os.Open(*q)
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := embeddings.EvaluateAnalogies(m, f, *restrict)
	if err != nil {
		return err
	}
	fmt.Printf("analogy accuracy=%.4f (%d/%d, %d skipped) (%s)\n", res.Accuracy(), res.Correct, res.Total, res.Skipped, *vec)
	return nil
}
