package referral

import (
	"context"
	"errors"

	"github.com/craftkit/craftkit/fraudgraph"
)

// features is the graph evidence about one account: its link to its
// inviter, its ring signals and its identity cluster.
type features struct {
	pair    *fraudgraph.Explanation // account vs its inviter, one hop
	sig     fraudgraph.Signals
	hasSig  bool
	cluster []uint64 // accounts sharing a fingerprint with it
}

// Queries the programme runs: the pair within one hop, ring signals
// within two, the identity cluster one fingerprint hop away.
var (
	pairQuery    = fraudgraph.Query{MaxHops: 1, Window: -1}
	signalQuery  = fraudgraph.Query{MaxHops: 2}
	clusterQuery = fraudgraph.Query{MaxHops: 1, Via: fraudgraph.ViaFingerprints, MaxVisits: maxCluster, Window: -1}
)

// maxCluster bounds the identity cluster read per decision.
const maxCluster = 64

// Features holds graph evidence computed ahead of a replay, so a
// [Backtest] runs at the speed of the money rules. It reflects the graph
// as it was when [Precompute] ran.
//
// A Features is safe for concurrent use once built: it is only read.
type Features struct {
	m map[uint64]*features
}

// Len returns the number of accounts with features.
func (f *Features) Len() int { return len(f.m) }

// compute asks g about account id and its inviter (0: none).
func compute(g Graph, id, inviter uint64) (*features, error) {
	f := &features{}
	if g == nil {
		return f, nil
	}
	known := func(err error) (bool, error) {
		if errors.Is(err, fraudgraph.ErrUnknownAccount) {
			return false, nil
		}
		return err == nil, err
	}
	if inviter != 0 {
		ex, err := g.ExplainWithin(inviter, id, pairQuery)
		if ok, err := known(err); err != nil {
			return f, err
		} else if ok {
			f.pair = &ex
		}
	}
	sig, err := g.Signals(id, signalQuery)
	ok, err := known(err)
	if err != nil {
		return f, err
	}
	if !ok {
		return f, nil // unknown to the graph: no evidence at all
	}
	f.sig, f.hasSig = sig, true
	rel, err := g.Related(id, clusterQuery)
	if err != nil {
		return f, err
	}
	f.cluster = make([]uint64, len(rel))
	for i, r := range rel {
		f.cluster[i] = r.Account
	}
	return f, nil
}

// features returns the evidence for a credit to id.
func (p *Programme) features(_ context.Context, typ CreditType, id, inviter uint64) (*features, error) {
	if p.r.Policy.Off && p.r.ClusterCap == 0 {
		return &features{}, nil
	}
	if p.feat != nil {
		if f := p.feat.m[id]; f != nil {
			return f, nil
		}
	}
	if typ == Reward {
		inviter = 0
	}
	return compute(p.g, id, inviter)
}

// Precompute computes the graph evidence of every account a history
// invites and of every inviter, for [Config.Features]. It checks ctx
// every 1024 accounts.
func Precompute(ctx context.Context, g Graph, history []Event) (*Features, error) {
	f := &Features{m: map[uint64]*features{}}
	n := 0
	for _, ev := range history {
		if ev.Type != Signup || ev.Inviter == 0 {
			continue
		}
		for _, x := range [][2]uint64{{ev.Account, ev.Inviter}, {ev.Inviter, 0}} {
			if _, ok := f.m[x[0]]; ok && x[1] == 0 {
				continue
			}
			if n++; n%1024 == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			ft, err := compute(g, x[0], x[1])
			if err != nil {
				return nil, err
			}
			f.m[x[0]] = ft
		}
	}
	return f, nil
}
