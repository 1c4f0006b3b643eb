package fraudgraph

import (
	"math"
	"slices"
	"time"
)

// Explanation tells why two accounts are related: the shortest typed
// paths linking them and, per attribute kind, how much evidence links them
// directly.
type Explanation struct {
	A, B uint64
	// Hops is the length of the shortest path, or -1 when none was found
	// within the limits.
	Hops int
	// Paths lists up to MaxPaths shortest paths from A to B.
	Paths []Path
	// Evidence counts, per kind (KindInvite or a fingerprint kind), the
	// links shared directly by A and B and the steps of that kind on Paths,
	// ordered by kind name.
	Evidence []Evidence
	// Score is the relatedness of A and B in [0, 1]: the noisy-or of the
	// weights of their direct links (supernodes down-weighted by
	// 1/log2(accounts)) or, without direct links, the product of the step
	// weights along the best path.
	Score float64
	// Truncated reports that a visit limit cut the search short.
	Truncated bool
}

// Path is a sequence of steps from one account to another.
type Path []Step

// Step is one typed link of a [Path].
type Step struct {
	From, To uint64
	// Kind is KindInvite or the fingerprint kind shared by From and To.
	Kind string
	// Fingerprint is the hash of the shared fingerprint (0 for invites).
	Fingerprint uint64
	// Inviter is, for invites, whichever of From and To sent the invite.
	Inviter uint64
	// At is, for invites, the invitee's join time (zero if unknown).
	At time.Time
	// Weight is the evidence weight of the step.
	Weight float64
}

// Evidence counts the links of one kind between two accounts.
type Evidence struct {
	Kind string
	// Shared is the number of links of this kind A and B share directly:
	// fingerprints both presented, or 1 for a direct invite.
	Shared int
	// Supernodes is how many of the shared fingerprints exceed their
	// kind's cap (and were down-weighted).
	Supernodes int
	// PathSteps is the number of steps of this kind on the paths.
	PathSteps int
}

// MaxPaths is the largest number of paths an [Explanation] lists.
const MaxPaths = 3

// explainHops is the default hop limit of Explain.
const explainHops = 4

// Explain returns why accounts a and b are related, searching up to four
// hops (or Config.HopLimit if lower) over invites and fingerprints,
// without a time window. It returns
// [ErrUnknownAccount] when either account is unknown; unrelated accounts
// give Hops -1.
func (g *Graph) Explain(a, b uint64) (Explanation, error) {
	return g.ExplainWithin(a, b, Query{MaxHops: min(explainHops, g.set.hopLimit), Window: -1})
}

// ExplainWithin is [Graph.Explain] with explicit limits: paths follow the
// links q.Via selects within q.MaxHops, and q.MaxVisits caps the accounts
// visited from each side. Evidence always counts every direct link.
func (g *Graph) ExplainWithin(a, b uint64, q Query) (Explanation, error) {
	ex := Explanation{A: a, B: b, Hops: -1}
	l, err := g.limits(q)
	if err != nil {
		return ex, err
	}
	da, err := g.dense(a)
	if err != nil {
		return ex, err
	}
	db, err := g.dense(b)
	if err != nil {
		return ex, err
	}
	st := g.st.Load()
	kinds := *g.kinds.Load()
	var evKinds []uint8 // kind index of each ex.Evidence entry
	evidence := func(k uint8) *Evidence {
		if i := slices.Index(evKinds, k); i >= 0 {
			return &ex.Evidence[i]
		}
		evKinds = append(evKinds, k)
		ex.Evidence = append(ex.Evidence, Evidence{Kind: kinds[k].name})
		return &ex.Evidence[len(ex.Evidence)-1]
	}
	direct := 1.0 // product of (1 - w) over direct links
	if da == db {
		ex.Hops = 0
	} else {
		st.eachInvite(da, func(v uint32) bool {
			if v&^inviterBit == db {
				evidence(0).Shared = 1
				direct *= 1 - kinds[0].Weight
				return false
			}
			return true
		})
		var buf [16]uint32
		afps := buf[:0]
		st.eachFingerprint(da, func(f uint32) bool { afps = append(afps, f); return true })
		st.eachFingerprint(db, func(f uint32) bool {
			if !slices.Contains(afps, f) {
				return true
			}
			info := g.fpInfo.load(f)
			k := uint8(info >> 24)
			e := evidence(k)
			e.Shared++
			w := kinds[k].Weight
			if n := info & countMask; n > kinds[k].cap {
				e.Supernodes++
				w /= math.Log2(float64(n))
			}
			direct *= 1 - w
			return true
		})
		x, ok := g.explainers.Get().(*explainer)
		if !ok {
			x = &explainer{}
		}
		defer g.explainers.Put(x)
		g.paths(x, st, kinds, da, db, l, &ex)
	}
	for _, p := range ex.Paths {
		for _, s := range p {
			for k, ki := range kinds {
				if ki.name == s.Kind {
					evidence(uint8(k)).PathSteps++
					break
				}
			}
		}
	}
	slices.SortFunc(ex.Evidence, func(x, y Evidence) int {
		switch {
		case x.Kind < y.Kind:
			return -1
		case x.Kind > y.Kind:
			return 1
		}
		return 0
	})
	switch {
	case direct < 1:
		ex.Score = 1 - direct
	case len(ex.Paths) > 0:
		for _, p := range ex.Paths {
			w := 1.0
			for _, s := range p {
				w *= s.Weight
			}
			ex.Score = max(ex.Score, w)
		}
	}
	return ex, nil
}

// side is one half of a bidirectional search.
type side struct {
	idx      stampMap // account -> index in the slices below
	node     []uint32
	parent   []int32
	via      []uint32 // fingerprint id, or inviteVia|flags
	depth    []uint8
	frontier []int32
	next     []int32
}

const (
	inviteVia = 1 << 31
	// childInvited marks an invite step whose child end sent the invite.
	childInvited = 1 << 30
)

func (s *side) reset(root uint32) {
	s.idx.reset()
	s.node = append(s.node[:0], root)
	s.parent = append(s.parent[:0], -1)
	s.via = append(s.via[:0], 0)
	s.depth = append(s.depth[:0], 0)
	s.idx.insert(root, 0)
	s.frontier = append(s.frontier[:0], 0)
}

type explainer struct {
	a, b  side
	meets []meet
}

type meet struct {
	x, y int32 // indices in the expanding and the other side
	via  uint32
	len  int
}

// paths runs a bidirectional breadth-first search between da and db and
// stores the shortest paths in ex.
func (g *Graph) paths(x *explainer, st *state, kinds []kindInfo, da, db uint32, l limits, ex *Explanation) {
	x.a.reset(da)
	x.b.reset(db)
	da0, db0 := 0, 0 // depths expanded so far
	x.meets = x.meets[:0]
	swapped := false
	for da0+db0 < l.hops && len(x.a.frontier) > 0 && len(x.b.frontier) > 0 {
		grow, other := &x.a, &x.b
		swapped = len(x.b.frontier) < len(x.a.frontier)
		if swapped {
			grow, other = &x.b, &x.a
			db0++
		} else {
			da0++
		}
		grow.next = grow.next[:0]
		add := func(pi int32, v, via uint32) bool {
			if oi, ok := other.idx.get(v); ok {
				x.meets = append(x.meets, meet{x: pi, y: oi, via: via, len: int(grow.depth[pi]) + 1 + int(other.depth[oi])})
			}
			if _, added := grow.idx.insert(v, int32(len(grow.node))); !added {
				return true
			}
			if l.visits >= 0 && len(grow.node) >= l.visits {
				ex.Truncated = true
				return false
			}
			grow.node = append(grow.node, v)
			grow.parent = append(grow.parent, pi)
			grow.via = append(grow.via, via)
			grow.depth = append(grow.depth, grow.depth[pi]+1)
			grow.next = append(grow.next, int32(len(grow.node)-1))
			return true
		}
		stop := false
		for _, pi := range grow.frontier {
			u := grow.node[pi]
			st.eachInvite(u, func(e uint32) bool {
				if !l.inv {
					return false
				}
				via := uint32(inviteVia)
				if e&inviterBit != 0 {
					via |= childInvited
				}
				stop = !add(pi, e&^inviterBit, via)
				return !stop
			})
			if stop {
				break
			}
			st.eachFingerprint(u, func(fp uint32) bool {
				if !l.fp {
					return false
				}
				info := g.fpInfo.load(fp)
				if info&countMask > kinds[info>>24].cap {
					return true
				}
				st.eachMember(fp, func(v uint32) bool {
					if v != u {
						stop = !add(pi, v, fp)
					}
					return !stop
				})
				return !stop
			})
			if stop {
				break
			}
		}
		if len(x.meets) > 0 || stop {
			break
		}
		grow.frontier, grow.next = grow.next, grow.frontier
	}
	if len(x.meets) == 0 {
		return
	}
	best := x.meets[0].len
	for _, m := range x.meets {
		best = min(best, m.len)
	}
	if best > l.hops {
		return
	}
	ex.Hops = best
	grow, other := &x.a, &x.b
	if swapped {
		grow, other = &x.b, &x.a
	}
	for _, m := range x.meets {
		if m.len != best || len(ex.Paths) == MaxPaths {
			continue
		}
		// Steps from grow's root to m.x, the meeting step, then m.y to
		// other's root.
		p := make(Path, 0, best)
		for i := m.x; grow.parent[i] >= 0; i = grow.parent[i] {
			p = append(p, g.step(kinds, grow.node[grow.parent[i]], grow.node[i], grow.via[i]))
		}
		slices.Reverse(p)
		p = append(p, g.step(kinds, grow.node[m.x], other.node[m.y], m.via))
		for i := m.y; other.parent[i] >= 0; i = other.parent[i] {
			p = append(p, g.step(kinds, other.node[i], other.node[other.parent[i]], reverseVia(other.via[i])))
		}
		if swapped { // grow's root is b: reverse to run from a to b
			slices.Reverse(p)
			for i := range p {
				p[i].From, p[i].To = p[i].To, p[i].From
			}
		}
		if !slices.ContainsFunc(ex.Paths, func(q Path) bool { return slices.Equal(p, q) }) {
			ex.Paths = append(ex.Paths, p)
		}
	}
}

// reverseVia flips the direction of an invite step.
func reverseVia(via uint32) uint32 {
	if via&inviteVia != 0 {
		return via ^ childInvited
	}
	return via
}

// step describes the link from dense account u to v.
func (g *Graph) step(kinds []kindInfo, u, v, via uint32) Step {
	s := Step{From: g.extID(u), To: g.extID(v)}
	if via&inviteVia != 0 {
		s.Kind = KindInvite
		s.Weight = kinds[0].Weight
		invitee := v
		s.Inviter = s.From
		if via&childInvited != 0 {
			s.Inviter = s.To
			invitee = u
		}
		s.At = fromSecs(g.joined.load(invitee))
		return s
	}
	info := g.fpInfo.load(via)
	k := kinds[info>>24]
	s.Kind = k.name
	s.Fingerprint = fpUnkey(k.salt, g.fpHash.load(via))
	s.Weight = k.Weight
	return s
}
