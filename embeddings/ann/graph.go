package ann

import (
	"context"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/craftkit/craftkit/embeddings"
)

// graph is one HNSW graph (Malkov and Yashunin) over the rows
// [lo, lo+n) of an index. Node i is row lo+i. Every node is on layer 0;
// node i is also on layers 1..levels[i]. A link list holds its length
// followed by up to 2·M (layer 0) or M (upper layers) node ids.
type graph struct {
	lo, n   int
	entry   int32   // the first node of the highest level
	top     int     // levels[entry]
	levels  []uint8 // per node
	links0  []int32 // per node, m0+1 entries
	upperAt []int32 // per node, the index of its layer-1 list in upper counted in lists of m+1 entries, or -1
	upper   []int32
}

func (g *graph) links(ix *Index, node int32, level int) []int32 {
	if level == 0 {
		s := int(node) * (ix.m0 + 1)
		return g.links0[s : s+ix.m0+1 : s+ix.m0+1]
	}
	s := (int(g.upperAt[node]) + level - 1) * (ix.m + 1)
	return g.upper[s : s+ix.m+1 : s+ix.m+1]
}

// item is a node and its distance to the query: the negated cosine, so
// that smaller is closer.
type item struct {
	d  float32
	id int32
}

// searcher holds the buffers of one goroutine's searches.
type searcher struct {
	visited []uint32 // epoch at which each node was last visited
	epoch   uint32
	cand    minHeap
	res     maxHeap
	out     []item
	eps     []item
	sel     []item
	prune   []item
	kept    []item
	buf     []int32
	q       []float32
	exclude []int
	hits    []item
}

func (s *searcher) nextEpoch(n int) {
	if len(s.visited) < n {
		s.visited = make([]uint32, n)
		s.epoch = 0
	}
	s.epoch++
	if s.epoch == 0 {
		clear(s.visited)
		s.epoch = 1
	}
}

// neighbors returns the links of node on level; during a build (locks
// set) it copies them under the node's lock.
func (s *searcher) neighbors(ix *Index, g *graph, node int32, level int, locks []sync.Mutex) []int32 {
	l := g.links(ix, node, level)
	if locks == nil {
		return l[1 : 1+l[0]]
	}
	locks[node].Lock()
	s.buf = append(s.buf[:0], l[1:1+l[0]]...)
	locks[node].Unlock()
	return s.buf
}

func (ix *Index) dist(q []float32, g *graph, node int32) float32 {
	return -embeddings.Dot(q, ix.row(g.lo+int(node)))
}

// greedy walks level from ep to a local minimum of the distance to q.
func (s *searcher) greedy(ix *Index, g *graph, q []float32, ep item, level int, locks []sync.Mutex) item {
	for changed := true; changed; {
		changed = false
		for _, e := range s.neighbors(ix, g, ep.id, level, locks) {
			if d := ix.dist(q, g, e); d < ep.d {
				ep, changed = item{d, e}, true
			}
		}
	}
	return ep
}

// searchLayer returns the ef nodes of level closest to q that a best-first
// search from eps finds, closest first, in s.out.
func (s *searcher) searchLayer(ix *Index, g *graph, q []float32, eps []item, ef, level int, locks []sync.Mutex) []item {
	s.nextEpoch(g.n)
	s.cand = s.cand[:0]
	s.res.reset()
	for _, e := range eps {
		if s.visited[e.id] == s.epoch {
			continue
		}
		s.visited[e.id] = s.epoch
		s.cand.push(e)
		s.res.push(e)
		if s.res.len() > ef {
			s.res.pop()
		}
	}
	for len(s.cand) > 0 {
		c := s.cand.pop()
		if s.res.len() >= ef && c.d > s.res.top() {
			break
		}
		for _, e := range s.neighbors(ix, g, c.id, level, locks) {
			if s.visited[e] == s.epoch {
				continue
			}
			s.visited[e] = s.epoch
			d := ix.dist(q, g, e)
			if s.res.len() < ef || d < s.res.top() {
				s.cand.push(item{d, e})
				s.res.push(item{d, e})
				if s.res.len() > ef {
					s.res.pop()
				}
			}
		}
	}
	n := s.res.len()
	s.out = slices.Grow(s.out[:0], n)[:n]
	for i := n - 1; i >= 0; i-- {
		s.out[i] = s.res.pop()
	}
	return s.out
}

// searchGraph returns the ef nodes of g closest to the unit vector q,
// closest first.
func (s *searcher) searchGraph(ix *Index, g *graph, q []float32, ef int) []item {
	ep := item{ix.dist(q, g, g.entry), g.entry}
	for l := g.top; l >= 1; l-- {
		ep = s.greedy(ix, g, q, ep, l, nil)
	}
	s.eps = append(s.eps[:0], ep)
	return s.searchLayer(ix, g, q, s.eps, ef, 0, nil)
}

// selectNeighbors appends to out up to m of the candidates (closest first)
// by the HNSW heuristic: a candidate is kept only if it is closer to the
// base than to every candidate already kept, which spreads the links in
// all directions.
func (ix *Index) selectNeighbors(g *graph, cands []item, m int, out []item) []item {
	if len(cands) <= m {
		return append(out, cands...)
	}
	for _, c := range cands {
		if len(out) >= m {
			break
		}
		vc := ix.row(g.lo + int(c.id))
		keep := true
		for _, r := range out {
			if -embeddings.Dot(vc, ix.row(g.lo+int(r.id))) < c.d {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, c)
		}
	}
	return out
}

// builder inserts the nodes of the index's graphs.
type builder struct {
	ix    *Index
	cfg   Config
	ctx   context.Context
	locks []sync.Mutex
	total int          // nodes of all graphs
	base  int          // nodes of the graphs already built
	done  atomic.Int64 // nodes of the current graph inserted
	mu    sync.Mutex   // serialises Progress calls
	shown int
}

// level draws the layer of row r from the seed: floor(−ln(u)·mL) with
// mL = 1/ln(M), u uniform in (0, 1].
func level(seed uint64, r int, m int) uint8 {
	z := seed + uint64(r+1)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	u := (float64(z>>11) + 1) / (1 << 53)
	l := math.Floor(-math.Log(u) / math.Log(float64(m)))
	return uint8(min(l, maxLevel))
}

func (b *builder) build(g *graph) error {
	ix := b.ix
	g.levels = make([]uint8, g.n)
	g.upperAt = make([]int32, g.n)
	lists := 0
	g.top = -1
	for i := range g.levels {
		l := level(b.cfg.Seed, g.lo+i, ix.m)
		g.levels[i] = l
		if int(l) > g.top {
			g.top, g.entry = int(l), int32(i)
		}
		g.upperAt[i] = -1
		if l > 0 {
			g.upperAt[i] = int32(lists)
			lists += int(l)
		}
	}
	g.links0 = make([]int32, g.n*(ix.m0+1))
	g.upper = make([]int32, lists*(ix.m+1))
	b.locks = make([]sync.Mutex, g.n)
	defer func() { b.locks = nil }()
	b.done.Store(1) // the entry node needs no links
	b.report()
	var next atomic.Int64
	const batch = 64
	var wg sync.WaitGroup
	errs := make([]error, b.cfg.Threads)
	for t := range min(b.cfg.Threads, (g.n+batch-1)/batch) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var s searcher
			for {
				if err := b.ctx.Err(); err != nil {
					errs[t] = err
					return
				}
				lo := int(next.Add(batch) - batch)
				if lo >= g.n {
					return
				}
				hi := min(lo+batch, g.n)
				for i := lo; i < hi; i++ {
					if int32(i) != g.entry {
						b.insert(&s, g, int32(i))
					}
				}
				b.done.Add(int64(hi - lo - boolInt(lo <= int(g.entry) && int(g.entry) < hi)))
				b.report()
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	b.base += g.n
	b.done.Store(0)
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// report calls Progress when about 1% more of the nodes are in.
func (b *builder) report() {
	if b.cfg.Progress == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	done := b.base + int(b.done.Load())
	if done > b.shown && (done-b.shown >= max(b.total/100, 1) || done == b.total) {
		b.shown = done
		b.cfg.Progress(done, b.total)
	}
}

func (b *builder) insert(s *searcher, g *graph, node int32) {
	ix := b.ix
	q := ix.row(g.lo + int(node))
	top := int(g.levels[node])
	ep := item{ix.dist(q, g, g.entry), g.entry}
	for l := g.top; l > top; l-- {
		ep = s.greedy(ix, g, q, ep, l, b.locks)
	}
	s.eps = append(s.eps[:0], ep)
	for l := min(top, g.top); l >= 0; l-- {
		w := s.searchLayer(ix, g, q, s.eps, b.cfg.EfConstruction, l, b.locks)
		s.sel = ix.selectNeighbors(g, w, ix.m, s.sel[:0])
		own := g.links(ix, node, l)
		b.locks[node].Lock()
		n := 0
		for _, c := range s.sel {
			if c.id != node {
				n++
				own[n] = c.id
			}
		}
		own[0] = int32(n)
		b.locks[node].Unlock()
		for _, c := range s.sel {
			if c.id != node {
				b.connect(s, g, c.id, item{c.d, node}, l)
			}
		}
		s.eps = append(s.eps[:0], w...)
	}
}

// connect adds a link from e to c.id (at distance c.d) on level, pruning
// e's list with the heuristic when it is full.
func (b *builder) connect(s *searcher, g *graph, e int32, c item, level int) {
	ix := b.ix
	limit := ix.m
	if level == 0 {
		limit = ix.m0
	}
	b.locks[e].Lock()
	defer b.locks[e].Unlock()
	l := g.links(ix, e, level)
	n := int(l[0])
	for _, x := range l[1 : 1+n] {
		if x == c.id {
			return
		}
	}
	if n < limit {
		l[1+n] = c.id
		l[0]++
		return
	}
	ve := ix.row(g.lo + int(e))
	s.prune = append(s.prune[:0], c)
	for _, x := range l[1 : 1+n] {
		s.prune = append(s.prune, item{ix.dist(ve, g, x), x})
	}
	sortItems(s.prune)
	s.kept = ix.selectNeighbors(g, s.prune, limit, s.kept[:0])
	for i, x := range s.kept {
		l[1+i] = x.id
	}
	l[0] = int32(len(s.kept))
}
