package fraudgraph

import (
	"context"
	"math"
	"slices"
)

// Signals summarises an account's neighbourhood for ring detection and
// decision checks.
type Signals struct {
	// Related is the number of accounts the query reached.
	Related int
	// Redeemed counts related accounts that redeemed referral credits.
	Redeemed int
	// Burst counts related accounts that joined within Config.BurstWindow
	// of the account (a signup burst).
	Burst int
	// SharedPayment counts accounts sharing a payment instrument (a kind
	// with Kind.Payment) with the account directly.
	SharedPayment int
	// StrongLinks counts accounts sharing a fingerprint of weight 0.7 or
	// more (device, card, email, phone by default) with the account.
	StrongLinks int
	// Flagged counts related accounts flagged, banned or confirmed fraud.
	Flagged int
	// Supernodes counts capped fingerprints the search skipped.
	Supernodes int
	// Truncated reports that the query's visit limit was reached.
	Truncated bool
	// Score is the ring risk of the account in [0, 1); see [Graph.Signals].
	Score float64
}

// strongWeight is the kind weight from which a shared fingerprint counts as
// a strong link.
const strongWeight = 0.7

// Signals computes the ring signals of account within the limits of q
// (typically 2 hops over both link types).
//
// Score is 1 - exp(-x) with x = 0.5·min(Burst, 8)·(1 + [redeemed]) / 2 +
// 0.6·min(SharedPayment, 5) + 0.4·min(StrongLinks, 5) + 0.2·min(Redeemed,
// 10) + 0.5·min(Flagged, 4), then halved when the account shares no
// strong link at all: bursts of friends joining together are common,
// bursts that also share devices or cards are what rings look like.
func (g *Graph) Signals(account uint64, q Query) (Signals, error) {
	l, err := g.limits(q)
	if err != nil {
		return Signals{}, err
	}
	d, err := g.dense(account)
	if err != nil {
		return Signals{}, err
	}
	s := g.getSearcher()
	defer g.searchers.Put(s)
	return g.signals(s, d, l), nil
}

func (g *Graph) signals(s *searcher, d uint32, l limits) Signals {
	res := g.bfs(s, d, l)
	sig := Signals{Related: len(s.out), Supernodes: len(res.Supernodes), Truncated: res.Truncated}
	me := g.joined.load(d)
	burst := uint32(g.set.burst.Seconds())
	for _, f := range s.out {
		fl := g.flagsOf(f.d)
		if fl&FlagRedeemed != 0 {
			sig.Redeemed++
		}
		if fl&(FlagFlagged|FlagBanned|FlagConfirmedFraud) != 0 {
			sig.Flagged++
		}
		if j := g.joined.load(f.d); me != 0 && j != 0 && max(j, me)-min(j, me) <= burst {
			sig.Burst++
		}
	}
	// Direct fingerprint links, deduplicated by account.
	st := g.st.Load()
	kinds := *g.kinds.Load()
	pay, strong := s.cur[:0], s.next[:0]
	st.eachFingerprint(d, func(fp uint32) bool {
		info := g.fpInfo.load(fp)
		k := kinds[info>>24]
		if info&countMask > k.cap || (!k.Payment && k.Weight < strongWeight) {
			return true
		}
		st.eachMember(fp, func(v uint32) bool {
			if v == d {
				return true
			}
			if k.Payment && !slices.Contains(pay, v) {
				pay = append(pay, v)
			}
			if k.Weight >= strongWeight && !slices.Contains(strong, v) {
				strong = append(strong, v)
			}
			return len(strong) < 64
		})
		return true
	})
	sig.SharedPayment, sig.StrongLinks = len(pay), len(strong)
	s.cur, s.next = pay, strong
	redeemed := 1.0
	if g.flagsOf(d)&FlagRedeemed != 0 {
		redeemed = 2
	}
	x := 0.5*float64(min(sig.Burst, 8))*redeemed/2 +
		0.6*float64(min(sig.SharedPayment, 5)) +
		0.4*float64(min(sig.StrongLinks, 5)) +
		0.2*float64(min(sig.Redeemed, 10)) +
		0.5*float64(min(sig.Flagged, 4))
	if sig.StrongLinks == 0 && sig.SharedPayment == 0 {
		x /= 2
	}
	sig.Score = 1 - math.Exp(-x)
	return sig
}

// Ring is a group of accounts suspected of acting together.
type Ring struct {
	Accounts []uint64 // members, ascending
	Score    float64  // highest member score
}

// RingQuery configures [Graph.Rings]. The zero RingQuery uses the graph's
// default query limits and MinScore 0.9.
type RingQuery struct {
	// Query bounds the neighbourhood examined around each account.
	Query Query
	// MinScore is the Signals.Score from which an account is a suspect.
	MinScore float64
	// MinSize is the smallest ring reported; suspects not linked to
	// another suspect are dropped. Zero means 2.
	MinSize int
	// All examines every account; by default only accounts flagged
	// FlagRedeemed are, since referral rings exist to redeem credits.
	All bool
}

// Rings scans the graph for suspected rings: accounts whose signals score
// at least q.MinScore, grouped by their links to each other within
// q.Query. It checks ctx between accounts and returns ctx.Err() when
// cancelled. It costs one neighbourhood search per examined account.
func (g *Graph) Rings(ctx context.Context, q RingQuery) ([]Ring, error) {
	l, err := g.limits(q.Query)
	if err != nil {
		return nil, err
	}
	minScore := q.MinScore
	if minScore == 0 {
		minScore = 0.9
	}
	minSize := max(q.MinSize, 2)
	if q.MinSize == 0 {
		minSize = 2
	}
	s := g.getSearcher()
	defer g.searchers.Put(s)
	n := g.nAcc.Load()
	score := map[uint32]float64{}
	for d := range n {
		if d%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !q.All && g.flagsOf(d)&FlagRedeemed == 0 {
			continue
		}
		if sig := g.signals(s, d, l); sig.Score >= minScore {
			score[d] = sig.Score
		}
	}
	// Union suspects linked within the query limits.
	parent := make(map[uint32]uint32, len(score))
	var find func(uint32) uint32
	find = func(x uint32) uint32 {
		p, ok := parent[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	for d := range score {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		g.bfs(s, d, l)
		for _, f := range s.out {
			if _, ok := score[f.d]; ok {
				a, b := find(d), find(f.d)
				if a != b {
					parent[max(a, b)] = min(a, b)
				}
			}
		}
	}
	groups := map[uint32]*Ring{}
	for d, sc := range score {
		r := find(d)
		rg := groups[r]
		if rg == nil {
			rg = &Ring{}
			groups[r] = rg
		}
		rg.Accounts = append(rg.Accounts, g.extID(d))
		rg.Score = max(rg.Score, sc)
	}
	var out []Ring
	for _, rg := range groups {
		if len(rg.Accounts) >= minSize {
			slices.Sort(rg.Accounts)
			out = append(out, *rg)
		}
	}
	slices.SortFunc(out, func(a, b Ring) int {
		if a.Accounts[0] < b.Accounts[0] {
			return -1
		}
		return 1
	})
	return out, nil
}
