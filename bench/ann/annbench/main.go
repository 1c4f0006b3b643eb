// Command annbench measures craftkit's approximate nearest-neighbour
// index (embeddings/ann) against exact search (embeddings.Model.Search,
// the recall reference) and github.com/coder/hnsw, in one process on the
// same vectors and queries, and writes the vectors, queries and exact
// answers for the Python peers (hnswlib, faiss) of ../compare.sh.
//
//	annbench -n 1000000 -out /tmp/annbench          (synthetic clusters)
//	annbench -model vectors.bin -out /tmp/annbench  (a trained model's vectors)
//
// Synthetic vectors are a mixture of Gaussians: -clusters centres drawn
// from N(0, I); each cluster has its own random -rank-dimensional
// subspace, and a point is its centre plus a N(0, I_rank) draw in that
// subspace scaled by -spread plus isotropic N(0, -noise² I) noise
// (-rank 0: isotropic clusters of spread -spread). Queries are fresh
// draws from the same mixture, not indexed points; with -model they are
// the vectors of -queries random tokens held out of the index. -type
// restricts queries (and their exact answers) to one token type.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	randv1 "math/rand"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/coder/hnsw"
	"github.com/craftkit/craftkit/embeddings"
	"github.com/craftkit/craftkit/embeddings/ann"
)

type opts struct {
	n, dim, clusters, rank, queries, k, m, efc, coderMax, exactQ int
	spread, noise                                                float64
	seed                                                         uint64
	efs, peers, out, model, typ                                  string
}

func main() {
	var o opts
	flag.IntVar(&o.n, "n", 100000, "vectors")
	flag.IntVar(&o.dim, "dim", 100, "dimension")
	flag.IntVar(&o.clusters, "clusters", 1000, "mixture components")
	flag.IntVar(&o.rank, "rank", 16, "dimension of each cluster's subspace (0: isotropic)")
	flag.Float64Var(&o.spread, "spread", 0.7, "scale within a cluster's subspace")
	flag.Float64Var(&o.noise, "noise", 0.1, "isotropic noise")
	flag.IntVar(&o.queries, "queries", 1000, "queries")
	flag.IntVar(&o.exactQ, "exact-queries", 200, "queries timed for the exact baseline")
	flag.IntVar(&o.k, "k", 10, "neighbours per query")
	flag.IntVar(&o.m, "m", 16, "HNSW M")
	flag.IntVar(&o.efc, "efc", 200, "HNSW efConstruction")
	flag.StringVar(&o.efs, "ef", "10,20,40,80,160,320", "efSearch values")
	flag.StringVar(&o.peers, "peers", "craftkit,coder", "Go indexes to build")
	flag.IntVar(&o.coderMax, "coder-max-n", 200000, "skip coder/hnsw above this many vectors")
	flag.Uint64Var(&o.seed, "seed", 1, "seed")
	flag.StringVar(&o.out, "out", "", "directory for base.fvecs, query.fvecs, gt.ivecs and the index file")
	flag.StringVar(&o.model, "model", "", "word2vec vectors (.txt: text format, else binary) to index instead of synthetic ones")
	flag.StringVar(&o.typ, "type", "", "token type every query asks for")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "annbench:", err)
		os.Exit(1)
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func heap() uint64 {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// mixture draws n points of the synthetic mixture; the centres and bases
// depend only on the seed, the points on the stream.
type mixture struct {
	o       opts
	centres []float32
	bases   []float32 // clusters × rank × dim
}

func newMixture(o opts) *mixture {
	rng := rand.New(rand.NewPCG(o.seed, 0))
	mx := &mixture{o: o, centres: make([]float32, o.clusters*o.dim), bases: make([]float32, o.clusters*o.rank*o.dim)}
	for i := range mx.centres {
		mx.centres[i] = float32(rng.NormFloat64())
	}
	s := 1 / math.Sqrt(float64(o.dim))
	for i := range mx.bases {
		mx.bases[i] = float32(rng.NormFloat64() * s * math.Sqrt(float64(o.dim)) / math.Sqrt(float64(max(o.rank, 1))))
	}
	return mx
}

func (mx *mixture) draw(n int, stream uint64) []float32 {
	o := mx.o
	rng := rand.New(rand.NewPCG(o.seed, stream))
	v := make([]float32, n*o.dim)
	z := make([]float64, o.rank)
	for i := range n {
		c := rng.IntN(o.clusters)
		row := v[i*o.dim : (i+1)*o.dim]
		copy(row, mx.centres[c*o.dim:(c+1)*o.dim])
		if o.rank == 0 {
			for j := range row {
				row[j] += float32(o.spread * rng.NormFloat64())
			}
			continue
		}
		for r := range z {
			z[r] = o.spread * rng.NormFloat64()
		}
		for r, zr := range z {
			b := mx.bases[(c*o.rank+r)*o.dim : (c*o.rank+r+1)*o.dim]
			for j := range row {
				row[j] += float32(zr) * b[j]
			}
		}
		for j := range row {
			row[j] += float32(o.noise * rng.NormFloat64())
		}
	}
	return v
}

// modelFromVectors builds an embeddings.Model through its binary reader.
func modelFromVectors(tokens []string, vecs []float32, dim int) (*embeddings.Model, error) {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%d %d\n", len(tokens), dim)
	for i, t := range tokens {
		buf.WriteString(t)
		buf.WriteByte(' ')
		for _, x := range vecs[i*dim : (i+1)*dim] {
			buf.Write(binary.LittleEndian.AppendUint32(nil, math.Float32bits(x)))
		}
		buf.WriteByte('\n')
	}
	return embeddings.ReadBinary(&buf)
}

func run(o opts) error {
	ctx := context.Background()
	var tokens []string
	var base, queries []float32
	var model *embeddings.Model
	if o.model != "" {
		f, err := os.Open(o.model)
		if err != nil {
			return err
		}
		read := embeddings.ReadBinary
		if strings.HasSuffix(o.model, ".txt") {
			read = embeddings.ReadText
		}
		full, err := read(bufio.NewReader(f))
		f.Close()
		if err != nil {
			return err
		}
		o.dim = full.Dim()
		// Hold out o.queries random tokens as queries (plus noise); index the rest.
		rng := rand.New(rand.NewPCG(o.seed, 7))
		perm := rng.Perm(full.Len())
		held := map[int]bool{}
		for _, i := range perm[:min(o.queries, full.Len()/10)] {
			held[i] = true
		}
		for i := range full.Len() {
			v, _ := full.Vector(full.Token(i))
			if held[i] {
				queries = append(queries, v...)
			} else {
				tokens = append(tokens, full.Token(i))
				base = append(base, v...)
			}
		}
		o.n = len(tokens)
		o.queries = len(queries) / o.dim
	} else {
		mx := newMixture(o)
		base = mx.draw(o.n, 1)
		queries = mx.draw(o.queries, 2)
		tokens = make([]string, o.n)
		for i := range tokens {
			tokens[i] = "item:" + strconv.Itoa(i)
		}
	}
	var err error
	model, err = modelFromVectors(tokens, base, o.dim)
	if err != nil {
		return err
	}
	fmt.Printf("# annbench n=%d dim=%d queries=%d k=%d M=%d efConstruction=%d GOMAXPROCS=%d %s\n",
		o.n, o.dim, o.queries, o.k, o.m, o.efc, runtime.GOMAXPROCS(0), dataDesc(o))
	qv := func(i int) []float32 { return queries[i*o.dim : (i+1)*o.dim] }

	// Exact reference: ground truth with all cores, then single-goroutine speed.
	c0, w0 := cpuTime(), time.Now()
	qs := make([]embeddings.Query, o.queries)
	for i := range qs {
		qs[i] = embeddings.Query{Vector: qv(i), K: o.k, Type: o.typ}
	}
	truth, err := model.SearchBatch(qs, 0)
	if err != nil {
		return err
	}
	fmt.Printf("ground truth: %d queries, wall %v, CPU %v\n", o.queries, time.Since(w0).Round(time.Millisecond), (cpuTime() - c0).Round(time.Millisecond))
	nq := min(o.exactQ, o.queries)
	c0, w0 = cpuTime(), time.Now()
	for i := range nq {
		if _, err := model.Search(qs[i]); err != nil {
			return err
		}
	}
	exactWall, exactCPU := time.Since(w0), cpuTime()-c0
	exactQPS := float64(nq) / exactCPU.Seconds()
	fmt.Printf("%-34s %8s %10s %12s %10s\n", "method", "recall", "q/CPU-s", "x exact", "q/wall-s")
	fmt.Printf("%-34s %8.4f %10.1f %12.1f %10.1f\n", "exact embeddings.Model.Search", 1.0, exactQPS, 1.0, float64(nq)/exactWall.Seconds())

	if o.out != "" {
		if err := os.MkdirAll(o.out, 0o755); err != nil {
			return err
		}
		if err := writeVecs(filepath.Join(o.out, "base.fvecs"), base, o.dim); err != nil {
			return err
		}
		if err := writeVecs(filepath.Join(o.out, "query.fvecs"), queries, o.dim); err != nil {
			return err
		}
		index := map[string]int{}
		for i, t := range tokens {
			index[t] = i
		}
		gt := make([]int32, 0, o.queries*o.k)
		for _, r := range truth {
			for j := range o.k {
				id := int32(-1)
				if j < len(r) {
					id = int32(index[r[j].Token])
				}
				gt = append(gt, id)
			}
		}
		if err := writeIvecs(filepath.Join(o.out, "gt.ivecs"), gt, o.k); err != nil {
			return err
		}
	}
	efs := []int{}
	for _, s := range strings.Split(o.efs, ",") {
		e, err := strconv.Atoi(s)
		if err != nil {
			return err
		}
		efs = append(efs, e)
	}
	recallOf := func(got [][]string) float64 {
		hit, all := 0, 0
		for i, r := range truth {
			for _, n := range r {
				all++
				if slices.Contains(got[i], n.Token) {
					hit++
				}
			}
		}
		return float64(hit) / float64(all)
	}
	peers := strings.Split(o.peers, ",")
	if slices.Contains(peers, "craftkit") {
		model2 := model
		h0 := heap()
		c0, w0 = cpuTime(), time.Now()
		last := time.Now()
		ix, err := ann.New(ctx, model2, ann.Config{M: o.m, EfConstruction: o.efc, Seed: o.seed, Progress: func(done, total int) {
			if time.Since(last) > 30*time.Second {
				last = time.Now()
				fmt.Fprintf(os.Stderr, "build %d/%d after %v (CPU %v)\n", done, total, time.Since(w0).Round(time.Second), (cpuTime() - c0).Round(time.Second))
			}
		}})
		if err != nil {
			return err
		}
		bw, bc := time.Since(w0), cpuTime()-c0
		hb := heap()
		fmt.Printf("craftkit graphs: types %q\n", ix.Types())
		fmt.Printf("craftkit build: wall %v, CPU %v (%.1f µs CPU/vector), index %.1f B/vector (Bytes), heap +%.1f B/vector\n",
			bw.Round(time.Millisecond), bc.Round(time.Millisecond), float64(bc.Microseconds())/float64(o.n),
			float64(ix.Bytes())/float64(o.n), (float64(hb)-float64(h0))/float64(o.n))
		for _, ef := range efs {
			got := make([][]string, o.queries)
			c0, w0 = cpuTime(), time.Now()
			for i := range o.queries {
				r, err := ix.Search(ann.Query{Vector: qv(i), K: o.k, Ef: ef, Type: o.typ})
				if err != nil {
					return err
				}
				for _, n := range r {
					got[i] = append(got[i], n.Token)
				}
			}
			w, c := time.Since(w0), cpuTime()-c0
			q := float64(o.queries) / c.Seconds()
			fmt.Printf("%-34s %8.4f %10.1f %12.1f %10.1f\n", fmt.Sprintf("craftkit ann ef=%d", ef), recallOf(got), q, q/exactQPS, float64(o.queries)/w.Seconds())
		}
		if o.out != "" {
			path := filepath.Join(o.out, "index.ann")
			w0 = time.Now()
			if err := ix.WriteFile(path); err != nil {
				return err
			}
			ww := time.Since(w0)
			fi, _ := os.Stat(path)
			w0 = time.Now()
			ix2, err := ann.ReadFile(path)
			if err != nil {
				return err
			}
			fmt.Printf("craftkit file: %.1f B/vector, write %v, read+verify %v, reloaded Len %d\n",
				float64(fi.Size())/float64(o.n), ww.Round(time.Millisecond), time.Since(w0).Round(time.Millisecond), ix2.Len())
		}
		runtime.KeepAlive(model)
		ix = nil
		runtime.GC()
	}
	if slices.Contains(peers, "coder") && o.n <= o.coderMax && o.typ == "" {
		g := hnsw.NewGraph[int32]()
		g.M = o.m
		g.Distance = hnsw.CosineDistance
		g.Rng = randv1.New(randv1.NewSource(int64(o.seed)))
		h0 := heap()
		c0, w0 = cpuTime(), time.Now()
		for i := range o.n {
			g.Add(hnsw.MakeNode(int32(i), base[i*o.dim:(i+1)*o.dim]))
		}
		bw, bc := time.Since(w0), cpuTime()-c0
		hb := heap()
		fmt.Printf("coder/hnsw build (single goroutine: Add is not safe for concurrent use): wall %v, CPU %v (%.1f µs CPU/vector), heap +%.1f B/vector\n",
			bw.Round(time.Millisecond), bc.Round(time.Millisecond), float64(bc.Microseconds())/float64(o.n), (float64(hb)-float64(h0))/float64(o.n))
		for _, ef := range efs {
			g.EfSearch = ef
			got := make([][]string, o.queries)
			c0, w0 = cpuTime(), time.Now()
			for i := range o.queries {
				for _, n := range g.Search(qv(i), o.k) {
					got[i] = append(got[i], tokens[n.Key])
				}
			}
			w, c := time.Since(w0), cpuTime()-c0
			q := float64(o.queries) / c.Seconds()
			fmt.Printf("%-34s %8.4f %10.1f %12.1f %10.1f\n", fmt.Sprintf("coder/hnsw ef=%d", ef), recallOf(got), q, q/exactQPS, float64(o.queries)/w.Seconds())
		}
	}
	return nil
}

func dataDesc(o opts) string {
	if o.model != "" {
		return "data=model:" + o.model + " type=" + o.typ
	}
	return fmt.Sprintf("data=mixture clusters=%d rank=%d spread=%g noise=%g seed=%d", o.clusters, o.rank, o.spread, o.noise, o.seed)
}

func writeVecs(path string, v []float32, dim int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for i := 0; i < len(v); i += dim {
		binary.Write(w, binary.LittleEndian, int32(dim))
		binary.Write(w, binary.LittleEndian, v[i:i+dim])
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeIvecs(path string, v []int32, k int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for i := 0; i < len(v); i += k {
		binary.Write(w, binary.LittleEndian, int32(k))
		binary.Write(w, binary.LittleEndian, v[i:i+k])
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
