package embeddings

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// JourneyConfig describes a synthetic marketplace whose user journeys have
// a planted structure: every item, shop and query belongs to one
// category. Zero fields take the defaults in brackets; a field outside its
// range makes [Journeys.Err] report a [*ConfigError]. It is a plain value,
// safe for concurrent reads.
type JourneyConfig struct {
	// Sessions is the number of sessions (lines) to generate, >= 0
	// [10000].
	Sessions int
	// Categories is the number of planted categories, at most 1,000,000
	// [20].
	Categories int
	// ItemsPerCategory is the number of items per category, at most
	// 1<<20 [1000]; it costs 8 bytes each. Categories times each
	// PerCategory count must stay below 1<<31.
	ItemsPerCategory int
	// ShopsPerCategory is the number of shops per category [20].
	ShopsPerCategory int
	// QueriesPerCategory is the number of search queries per category [20].
	QueriesPerCategory int
	// SessionLength is the mean number of actions per session, in
	// 2..65536 [12].
	SessionLength int
	// Zipf is the exponent of item popularity within a category, finite
	// and >= 0 [1.1].
	Zipf float64
	// Wander is the probability that an action is taken in a random
	// other category, the noise of the journeys, in [0, 1] [0.3].
	Wander float64
	// PurchaseRate is the fraction of sessions ending with a purchase in
	// the session's category, in [0, 1] [0.2].
	PurchaseRate float64
	// CartRate is the probability that an item click is an add-to-cart,
	// in [0, 1] [0.1].
	CartRate float64
	// Skipped is the number of skipped impressions per session, drawn
	// from random categories, at most 1000 [3]; a negative value means
	// none.
	Skipped int
	// SearchSkips, when > 0, plants a preference for the implicit
	// negatives to find: a fifth of the actions become searches, a query
	// token followed by a click on an item of the query's category that
	// the query's users like, written with the SearchSkips items of the
	// same category shown above it that they do not like, as
	// "item:7[skipped=item:4,item:5]". Whether a query's users like an
	// item is a fixed function of the two tokens, the same for every Seed,
	// so that journeys of another seed are held-out data for
	// [Journeys.ClickedOverSkipped]. At most 1000; 0 means no searches.
	SearchSkips int
	// Funnels plants purchase funnels for the purchase context to find:
	// a session starts with an entry item of its category, and its
	// purchase, when there is one, is the entry item's partner, an item
	// of the same category fixed for each entry item (the same for every
	// Seed), among its 50 most popular. Measure with
	// [Journeys.PurchaseHits]. The zero value draws the purchase by
	// popularity from the session's category.
	Funnels bool
	// FocusedCarts plants an interaction type that carries signal for
	// [Config.Weights]: only actions in the session's own category are
	// ever added to the cart; wandering actions are plain clicks. The
	// zero value marks any item click as a cart with CartRate.
	FocusedCarts bool
	// Seed seeds the generator; equal configs generate equal journeys.
	Seed uint64
}

// Bounds of JourneyConfig.
const (
	maxJourneyCategories = 1000000
	maxJourneyItems      = 1 << 20
	maxJourneyTokens     = math.MaxInt32 // Categories × a PerCategory count
	maxSessionLength     = 1 << 16
	maxJourneySkipped    = 1000
)

// validate reports the first field of c, as the caller passed it, outside
// its range.
func (c JourneyConfig) validate() error {
	bad := func(field string, value any, reason string) error {
		return &ConfigError{Struct: "JourneyConfig", Field: field, Value: value, Reason: reason}
	}
	ints := []struct {
		name   string
		v, max int
		def    string
	}{
		{"Sessions", c.Sessions, math.MaxInt, "10000"},
		{"Categories", c.Categories, maxJourneyCategories, "20"},
		{"ItemsPerCategory", c.ItemsPerCategory, maxJourneyItems, "1000"},
		{"ShopsPerCategory", c.ShopsPerCategory, maxJourneyTokens, "20"},
		{"QueriesPerCategory", c.QueriesPerCategory, maxJourneyTokens, "20"},
	}
	for _, f := range ints {
		if f.v < 0 {
			return bad(f.name, f.v, "must be >= 0 (0 means "+f.def+")")
		}
		if f.v > f.max {
			return bad(f.name, f.v, fmt.Sprintf("must be <= %d", f.max))
		}
	}
	d := c.withDefaults()
	for _, f := range []struct {
		name   string
		raw, v int
	}{
		{"ItemsPerCategory", c.ItemsPerCategory, d.ItemsPerCategory},
		{"ShopsPerCategory", c.ShopsPerCategory, d.ShopsPerCategory},
		{"QueriesPerCategory", c.QueriesPerCategory, d.QueriesPerCategory},
	} {
		if f.v > maxJourneyTokens/d.Categories {
			return bad(f.name, f.raw, fmt.Sprintf("Categories × %s must be <= %d", f.name, maxJourneyTokens))
		}
	}
	if c.SessionLength != 0 && (c.SessionLength < 2 || c.SessionLength > maxSessionLength) {
		return bad("SessionLength", c.SessionLength, fmt.Sprintf("must be 0 or in 2..%d", maxSessionLength))
	}
	if !(c.Zipf >= 0) || math.IsInf(c.Zipf, 0) {
		return bad("Zipf", c.Zipf, "must be finite and >= 0 (0 means 1.1)")
	}
	for _, f := range []struct {
		name string
		v    float64
		def  string
	}{{"Wander", c.Wander, "0.3"}, {"PurchaseRate", c.PurchaseRate, "0.2"}, {"CartRate", c.CartRate, "0.1"}} {
		if !(f.v >= 0 && f.v <= 1) {
			return bad(f.name, f.v, "must be in [0, 1] (0 means "+f.def+")")
		}
	}
	if c.SearchSkips < 0 || c.SearchSkips > maxJourneySkipped {
		return bad("SearchSkips", c.SearchSkips, fmt.Sprintf("must be in [0, %d]", maxJourneySkipped))
	}
	if c.Skipped > maxJourneySkipped {
		return bad("Skipped", c.Skipped, fmt.Sprintf("must be <= %d (0 means 3, negative none)", maxJourneySkipped))
	}
	return nil
}

func (c JourneyConfig) withDefaults() JourneyConfig {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Sessions, 10000)
	def(&c.Categories, 20)
	def(&c.ItemsPerCategory, 1000)
	def(&c.ShopsPerCategory, 20)
	def(&c.QueriesPerCategory, 20)
	def(&c.SessionLength, 12)
	deff := func(v *float64, d float64) {
		if *v <= 0 {
			*v = d
		}
	}
	deff(&c.Zipf, 1.1)
	deff(&c.Wander, 0.3)
	deff(&c.PurchaseRate, 0.2)
	deff(&c.CartRate, 0.1)
	if c.Skipped == 0 {
		c.Skipped = 3
	}
	return c
}

// Journeys generates synthetic sessions deterministically and knows the
// planted category of every token. The zero Journeys is not usable; call
// [NewJourneys]. A Journeys is safe for concurrent use.
type Journeys struct {
	cfg JourneyConfig
	cum []float64 // cumulative Zipf weights over item ranks
	err error
}

// NewJourneys returns a generator for cfg. For a cfg outside the ranges
// documented on [JourneyConfig] the generator yields no sessions: [Journeys.Err],
// [Journeys.WriteTo] and [Journeys.WritePlain] return a [*ConfigError].
func NewJourneys(cfg JourneyConfig) *Journeys {
	if err := cfg.validate(); err != nil {
		return &Journeys{cfg: cfg, err: err}
	}
	cfg = cfg.withDefaults()
	cum := make([]float64, cfg.ItemsPerCategory)
	s := 0.0
	for r := range cum {
		s += 1 / math.Pow(float64(r+1), cfg.Zipf)
		cum[r] = s
	}
	return &Journeys{cfg: cfg, cum: cum}
}

// Err returns the error of an invalid [JourneyConfig], or nil.
func (j *Journeys) Err() error { return j.err }

// Config returns the configuration with defaults applied.
func (j *Journeys) Config() JourneyConfig { return j.cfg }

// Category returns the planted category of an "item:", "shop:", "query:"
// or "cat:" token of these journeys.
func (j *Journeys) Category(token string) (int, bool) {
	typ, val, ok := strings.Cut(token, ":")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(val)
	if err != nil || n < 0 {
		return 0, false
	}
	per := 0
	switch typ {
	case "item":
		per = j.cfg.ItemsPerCategory
	case "shop":
		per = j.cfg.ShopsPerCategory
	case "query":
		per = j.cfg.QueriesPerCategory
	case "cat":
		per = 1
	default:
		return 0, false
	}
	c := n / per
	if c >= j.cfg.Categories {
		return 0, false
	}
	return c, true
}

// All returns the sessions in order. Items carry "cart" and "purchase"
// markers; see [DefaultWeights].
func (j *Journeys) All() func(yield func(Session) bool) {
	return func(yield func(Session) bool) {
		if j.err != nil {
			return
		}
		cfg := j.cfg
		r := rand.New(rand.NewPCG(cfg.Seed, 0x6a6f75726e657973))
		item := func(cat int) string {
			rank, _ := slices.BinarySearch(j.cum, r.Float64()*j.cum[len(j.cum)-1])
			rank = min(rank, cfg.ItemsPerCategory-1)
			return "item:" + strconv.Itoa(cat*cfg.ItemsPerCategory+rank)
		}
		// itemWhere draws an item of cat by popularity among those for
		// which ok holds, giving up after 64 draws.
		itemWhere := func(cat int, ok func(string) bool) string {
			var it string
			for range 64 {
				if it = item(cat); ok(it) {
					break
				}
			}
			return it
		}
		for range cfg.Sessions {
			home := int(float64(cfg.Categories) * math.Pow(r.Float64(), 1.5)) // popular categories first
			n := 2 + r.IntN(2*cfg.SessionLength-3)
			s := Session{Markers: make([]string, 0, n+1)}
			push := func(tok, mark string) {
				s.Tokens = append(s.Tokens, tok)
				s.Markers = append(s.Markers, mark)
			}
			entry := ""
			if cfg.Funnels {
				entry = item(home)
				push(entry, "")
				n--
			}
			for range n {
				cat := home
				if r.Float64() < cfg.Wander {
					cat = r.IntN(cfg.Categories)
				}
				if cfg.SearchSkips > 0 && r.Float64() < 0.2 {
					q := "query:" + strconv.Itoa(cat*cfg.QueriesPerCategory+r.IntN(cfg.QueriesPerCategory))
					push(q, "")
					click := itemWhere(cat, func(it string) bool { return likes(q, it) })
					shown := make([]string, cfg.SearchSkips)
					for i := range shown {
						shown[i] = itemWhere(cat, func(it string) bool { return !likes(q, it) })
					}
					push(click, "")
					for len(s.TokenSkipped) < len(s.Tokens)-1 {
						s.TokenSkipped = append(s.TokenSkipped, nil)
					}
					s.TokenSkipped = append(s.TokenSkipped, shown)
					continue
				}
				switch a := r.Float64(); {
				case a < 0.70:
					mark := ""
					if r.Float64() < cfg.CartRate && (!cfg.FocusedCarts || cat == home) {
						mark = "cart"
					}
					push(item(cat), mark)
				case a < 0.85:
					push("shop:"+strconv.Itoa(cat*cfg.ShopsPerCategory+r.IntN(cfg.ShopsPerCategory)), "")
				case a < 0.95:
					push("query:"+strconv.Itoa(cat*cfg.QueriesPerCategory+r.IntN(cfg.QueriesPerCategory)), "")
				default:
					push("cat:"+strconv.Itoa(cat), "")
				}
			}
			if r.Float64() < cfg.PurchaseRate {
				p := item(home)
				if entry != "" {
					p = j.partner(entry)
				}
				push(p, "purchase")
				s.Purchases = append(s.Purchases, p)
			}
			for range max(cfg.Skipped, 0) {
				s.Skipped = append(s.Skipped, "item:"+strconv.Itoa(r.IntN(cfg.Categories*cfg.ItemsPerCategory)))
			}
			if !yield(s) {
				return
			}
		}
	}
}

// likes reports whether the users of query q like item it: a fixed
// pseudo-random half of the items, different for each query.
func likes(q, it string) bool {
	return mix(q+"\x00"+it)&1 == 0
}

// partner returns the item that sessions entering at item it buy: an item
// of its category among the 50 most popular, fixed for it.
func (j *Journeys) partner(it string) string {
	c, _ := j.Category(it)
	top := uint64(min(50, j.cfg.ItemsPerCategory))
	return "item:" + strconv.Itoa(c*j.cfg.ItemsPerCategory+int(mix("partner\x00"+it)%top))
}

// mix hashes s (FNV-1a, then a 64-bit finaliser).
func mix(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

// WriteTo writes the sessions in the full line format, with markers,
// purchase and skipped sections.
func (j *Journeys) WriteTo(w io.Writer) (int64, error) { return j.write(w, false) }

// WritePlain writes only the session tokens, without markers or sections:
// a plain word2vec corpus for tools that know no session extensions.
func (j *Journeys) WritePlain(w io.Writer) (int64, error) { return j.write(w, true) }

func (j *Journeys) write(w io.Writer, plain bool) (int64, error) {
	if j.err != nil {
		return 0, j.err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var n int64
	for s := range j.All() {
		if plain {
			s = Session{Tokens: s.Tokens}
		}
		k, err := bw.WriteString(s.String())
		n += int64(k)
		if err != nil {
			return n, err
		}
		if err := bw.WriteByte('\n'); err != nil {
			return n, err
		}
		n++
	}
	return n, bw.Flush()
}

// PrecisionAtK returns the mean, over the model's tokens of type typ with
// a planted category, of the fraction of their k nearest tokens of the
// same type that share their category (k <= 0 means 10, as in [Query]).
// It runs the queries on all cores.
func (j *Journeys) PrecisionAtK(m *Model, typ string, k int) float64 {
	if k <= 0 {
		k = 10
	}
	var qs []Query
	var cats []int
	for i := range m.Len() {
		tok := m.Token(i)
		if tokenType(tok) != typ {
			continue
		}
		c, ok := j.Category(tok)
		if !ok {
			continue
		}
		qs = append(qs, Query{Token: tok, K: k, Type: typ})
		cats = append(cats, c)
	}
	if len(qs) == 0 {
		return 0
	}
	res, _ := m.SearchBatch(qs, 0)
	var sum float64
	for i, nb := range res {
		hit := 0
		for _, n := range nb {
			if c, ok := j.Category(n.Token); ok && c == cats[i] {
				hit++
			}
		}
		sum += float64(hit) / float64(k)
	}
	return sum / float64(len(qs))
}

// ClickedOverSkipped returns the fraction of (clicked, skipped) pairs of
// the searches in these journeys (see [JourneyConfig.SearchSkips]) for
// which the model ranks the clicked item above the skipped one for the
// query, by cosine of input vectors as [Model.Search] ranks them, and the
// number of pairs counted. Pairs with a token the model lacks are not
// counted. Generate the journeys with a Seed other than the training
// corpus's to measure on held-out searches.
func (j *Journeys) ClickedOverSkipped(m *Model) (frac float64, pairs int) {
	wins := 0
	for s := range j.All() {
		for i, shown := range s.TokenSkipped {
			if len(shown) == 0 || i == 0 {
				continue
			}
			q, ok := m.index[s.Tokens[i-1]]
			if !ok {
				continue
			}
			c, ok := m.index[s.Tokens[i]]
			if !ok {
				continue
			}
			qc := m.cosine(q, c)
			for _, sk := range shown {
				k, ok := m.index[sk]
				if !ok {
					continue
				}
				pairs++
				if qc > m.cosine(q, k) {
					wins++
				}
			}
		}
	}
	if pairs == 0 {
		return 0, 0
	}
	return float64(wins) / float64(pairs), pairs
}

// cosine returns the cosine of the vectors of tokens i and k.
func (m *Model) cosine(i, k int) float32 {
	return dot(m.row(i), m.row(k)) * m.invNorm[i] * m.invNorm[k]
}

// PurchaseHits returns the fraction of the sessions with a purchase in
// these journeys whose first purchased item is among the k items (k <= 0
// means 10) ranked first for the session's other items, and the number of
// sessions counted. The items are ranked by [Model.SearchOut] (IN–OUT)
// when the model has output vectors, by [Model.Search] otherwise, for
// the sum of the viewed items' unit input vectors, the viewed items
// excluded. Sessions whose purchase or viewed items the model lacks are
// not counted. Generate the journeys with a Seed other than the training
// corpus's to measure on held-out sessions.
func (j *Journeys) PurchaseHits(m *Model, k int) (frac float64, sessions int) {
	if k <= 0 {
		k = 10
	}
	hits := 0
	q := make([]float32, m.Dim())
	for s := range j.All() {
		if len(s.Purchases) == 0 {
			continue
		}
		p := s.Purchases[0]
		if _, ok := m.index[p]; !ok {
			continue
		}
		clear(q)
		var viewed []string
		for _, tok := range s.Tokens {
			i, ok := m.index[tok]
			if !ok || tok == p || tokenType(tok) != "item" {
				continue
			}
			viewed = append(viewed, tok)
			axpy(m.invNorm[i], m.row(i), q)
		}
		if len(viewed) == 0 {
			continue
		}
		query := Query{Vector: q, K: k, Type: "item", Exclude: viewed}
		var res []Neighbor
		var err error
		if m.outputs != nil {
			res, err = m.SearchOut(query)
		} else {
			res, err = m.Search(query)
		}
		if err != nil {
			continue
		}
		sessions++
		for _, n := range res {
			if n.Token == p {
				hits++
				break
			}
		}
	}
	if sessions == 0 {
		return 0, 0
	}
	return float64(hits) / float64(sessions), sessions
}
