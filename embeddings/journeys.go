package embeddings

import (
	"bufio"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// JourneyConfig describes a synthetic marketplace whose user journeys have
// a planted structure: every item, shop and query belongs to one
// category. Zero fields take the defaults in brackets. It is a plain
// value, safe for concurrent reads.
type JourneyConfig struct {
	// Sessions is the number of sessions (lines) to generate [10000].
	Sessions int
	// Categories is the number of planted categories [20].
	Categories int
	// ItemsPerCategory is the number of items per category [1000].
	ItemsPerCategory int
	// ShopsPerCategory is the number of shops per category [20].
	ShopsPerCategory int
	// QueriesPerCategory is the number of search queries per category [20].
	QueriesPerCategory int
	// SessionLength is the mean number of actions per session [12].
	SessionLength int
	// Zipf is the exponent of item popularity within a category [1.1].
	Zipf float64
	// Wander is the probability that an action is taken in a random
	// other category, the noise of the journeys [0.3].
	Wander float64
	// PurchaseRate is the fraction of sessions ending with a purchase in
	// the session's category [0.2].
	PurchaseRate float64
	// CartRate is the probability that an item click is an add-to-cart
	// [0.1].
	CartRate float64
	// Skipped is the number of skipped impressions per session, drawn
	// from random categories [3].
	Skipped int
	// Seed seeds the generator; equal configs generate equal journeys.
	Seed uint64
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
}

// NewJourneys returns a generator for cfg.
func NewJourneys(cfg JourneyConfig) *Journeys {
	cfg = cfg.withDefaults()
	cum := make([]float64, cfg.ItemsPerCategory)
	s := 0.0
	for r := range cum {
		s += 1 / math.Pow(float64(r+1), cfg.Zipf)
		cum[r] = s
	}
	return &Journeys{cfg: cfg, cum: cum}
}

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
		cfg := j.cfg
		r := rand.New(rand.NewPCG(cfg.Seed, 0x6a6f75726e657973))
		item := func(cat int) string {
			rank, _ := slices.BinarySearch(j.cum, r.Float64()*j.cum[len(j.cum)-1])
			rank = min(rank, cfg.ItemsPerCategory-1)
			return "item:" + strconv.Itoa(cat*cfg.ItemsPerCategory+rank)
		}
		for range cfg.Sessions {
			home := int(float64(cfg.Categories) * math.Pow(r.Float64(), 1.5)) // popular categories first
			n := 2 + r.IntN(2*cfg.SessionLength-3)
			s := Session{Markers: make([]string, 0, n+1)}
			push := func(tok, mark string) {
				s.Tokens = append(s.Tokens, tok)
				s.Markers = append(s.Markers, mark)
			}
			for range n {
				cat := home
				if r.Float64() < cfg.Wander {
					cat = r.IntN(cfg.Categories)
				}
				switch a := r.Float64(); {
				case a < 0.70:
					mark := ""
					if r.Float64() < cfg.CartRate {
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
				push(p, "purchase")
				s.Purchase = p
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

// WriteTo writes the sessions in the full line format, with markers,
// purchase and skipped sections.
func (j *Journeys) WriteTo(w io.Writer) (int64, error) { return j.write(w, false) }

// WritePlain writes only the session tokens, without markers or sections:
// a plain word2vec corpus for tools that know no session extensions.
func (j *Journeys) WritePlain(w io.Writer) (int64, error) { return j.write(w, true) }

func (j *Journeys) write(w io.Writer, plain bool) (int64, error) {
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
// same type that share their category. It runs the queries on all cores.
func (j *Journeys) PrecisionAtK(m *Model, typ string, k int) float64 {
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
