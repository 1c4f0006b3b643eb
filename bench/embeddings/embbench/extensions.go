package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"strings"

	"github.com/craftkit/craftkit/embeddings"
)

// extensions measures each session extension on journeys with its signal
// planted, held out by seed: per-action skips by how often the query
// ranks the clicked item above a skipped one (input vectors), the
// purchase context by held-out purchase hit@10 (IN–OUT) and item P@10,
// interaction weights by item P@10. Every run is paired with one without
// the extension on the same corpus and seed; it prints mean ± 95 % t
// interval over the seeds.
func extensions(args []string) error {
	fs := flag.NewFlagSet("extensions", flag.ExitOnError)
	seeds := fs.Int("seeds", 5, "seeds")
	sessions := fs.Int("sessions", 30000, "training sessions per corpus")
	threads := fs.Int("threads", 2, "threads")
	dim := fs.Int("dim", 50, "dimension")
	epochList := fs.String("epochs", "1,5", "epoch counts")
	only := fs.String("only", "", "run only the study whose name contains this")
	fs.Parse(args)
	var epochs []int
	for _, e := range bytes.Split([]byte(*epochList), []byte{','}) {
		var n int
		fmt.Sscan(string(e), &n)
		epochs = append(epochs, n)
	}
	type metric struct {
		name string
		f    func(held *embeddings.Journeys, m *embeddings.Model) float64
	}
	skipRank := metric{"clicked-over-skipped", func(j *embeddings.Journeys, m *embeddings.Model) float64 {
		f, _ := j.ClickedOverSkipped(m)
		return f
	}}
	hits := metric{"purchase hit@10 (IN-OUT)", func(j *embeddings.Journeys, m *embeddings.Model) float64 {
		f, _ := j.PurchaseHits(m, 10)
		return f
	}}
	p10 := metric{"item P@10", func(j *embeddings.Journeys, m *embeddings.Model) float64 { return j.PrecisionAtK(m, "item", 10) }}
	studies := []struct {
		name    string
		jc      func(*embeddings.JourneyConfig)
		off, on func(*embeddings.Config)
		metrics []metric
	}{
		{"per-action skips", func(c *embeddings.JourneyConfig) { c.SearchSkips = 2 },
			func(*embeddings.Config) {}, func(c *embeddings.Config) { c.SkippedNegatives = true }, []metric{skipRank, p10}},
		{"purchase context", func(c *embeddings.JourneyConfig) { c.Funnels, c.PurchaseRate = true, 0.5 },
			func(c *embeddings.Config) { c.KeepOutputs = true },
			func(c *embeddings.Config) { c.KeepOutputs, c.PurchaseContext = true, true }, []metric{hits, p10}},
		{"interaction weights", func(c *embeddings.JourneyConfig) { c.FocusedCarts, c.CartRate, c.Wander = true, 0.3, 0.5 },
			func(c *embeddings.Config) { c.Weights = map[string]float32{"cart": 1, "purchase": 1} },
			func(c *embeddings.Config) { c.Weights = embeddings.DefaultWeights() }, []metric{p10}},
	}
	fmt.Printf("extensions: %d seeds, %d training sessions, dim %d, %d threads; held-out journeys of seed+1000\n", *seeds, *sessions, *dim, *threads)
	for _, st := range studies {
		if !strings.Contains(st.name, *only) {
			continue
		}
		for _, ep := range epochs {
			vals := make([][2][]float64, len(st.metrics))
			for seed := 1; seed <= *seeds; seed++ {
				jc := embeddings.JourneyConfig{Sessions: *sessions, Categories: 20, ItemsPerCategory: 200, Skipped: -1, Seed: uint64(seed)}
				st.jc(&jc)
				var corpus bytes.Buffer
				if _, err := embeddings.NewJourneys(jc).WriteTo(&corpus); err != nil {
					return err
				}
				jc.Seed += 1000
				held := embeddings.NewJourneys(jc)
				for k, set := range []func(*embeddings.Config){st.off, st.on} {
					cfg := embeddings.Config{Dim: *dim, Epochs: ep, Threads: *threads, Seed: uint64(seed), MinCount: 5}
					set(&cfg)
					m, err := embeddings.Train(context.Background(), bytes.NewReader(corpus.Bytes()), cfg)
					if err != nil {
						return err
					}
					for i, mt := range st.metrics {
						vals[i][k] = append(vals[i][k], mt.f(held, m))
					}
				}
			}
			for i, mt := range st.metrics {
				off, on := vals[i][0], vals[i][1]
				d := make([]float64, len(off))
				for s := range d {
					d[s] = on[s] - off[s]
				}
				rel := ""
				if mo := mean(off); mo > 0 {
					rel = fmt.Sprintf(" (%+.0f %% relative)", 100*(mean(on)-mo)/mo)
				}
				fmt.Printf("EXT %-20s epochs=%d %-26s without %s  with %s  change %s%s\n",
					st.name, ep, mt.name, ci(off), ci(on), ci(d), rel)
			}
		}
	}
	return nil
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// ci formats the mean of xs ± the half-width of its 95 % t interval.
func ci(xs []float64) string {
	m := mean(xs)
	if len(xs) < 2 {
		return fmt.Sprintf("%.3f", m)
	}
	ss := 0.0
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	// t quantiles 0.975 for 1..10 degrees of freedom, then the normal's.
	tq := []float64{12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228}
	t := 1.96
	if df := len(xs) - 1; df <= len(tq) {
		t = tq[df-1]
	}
	return fmt.Sprintf("%+.3f ± %.3f", m, t*math.Sqrt(ss/float64(len(xs)-1)/float64(len(xs))))
}
