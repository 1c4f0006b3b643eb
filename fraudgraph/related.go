package fraudgraph

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Via selects the links a search follows. The zero Via is [ViaBoth].
type Via uint8

// Link selections.
const (
	// ViaBoth follows invites and shared fingerprints.
	ViaBoth Via = iota
	// ViaInvites follows invites only, in both directions.
	ViaInvites
	// ViaFingerprints follows shared fingerprints only.
	ViaFingerprints
)

func (v Via) mask() (inv, fp bool) {
	switch v {
	case ViaInvites:
		return true, false
	case ViaFingerprints:
		return false, true
	default:
		return true, true
	}
}

// String returns "both", "invites" or "fingerprints".
func (v Via) String() string {
	switch v {
	case ViaBoth:
		return "both"
	case ViaInvites:
		return "invites"
	case ViaFingerprints:
		return "fingerprints"
	}
	return fmt.Sprintf("Via(%d)", uint8(v))
}

// Query bounds a search. The zero Query follows invites and fingerprints
// within the graph's default limits (2 hops, 10,000 accounts, 365 days),
// so no query can run away.
type Query struct {
	// MaxHops is the largest distance reported. An invite is one hop;
	// sharing a fingerprint is one hop. Zero means Config.MaxHops; values
	// above Config.HopLimit or negative are refused with [ErrQuery].
	MaxHops int

	// Via selects the links followed.
	Via Via

	// MaxVisits caps the number of accounts reported; the search stops
	// there and sets [Result.Truncated]. Zero means Config.MaxVisits;
	// negative means no cap.
	MaxVisits int

	// Window skips accounts whose join time differs from the queried
	// account's by more than Window (accounts with unknown join times are
	// never skipped). Zero means Config.Window; negative disables it.
	Window time.Duration
}

// Relation is an account found by a search.
type Relation struct {
	Account uint64 // the related account
	Hops    int    // shortest distance from the queried account
	Kind    string // link that reached it first: KindInvite or a fingerprint kind
}

// Supernode is a fingerprint a search did not cross because it links more
// accounts than its kind's cap.
type Supernode struct {
	Fingerprint uint64 // hash of the fingerprint, see HashFingerprint
	Kind        string
	Accounts    int // accounts it links (saturates at 16,777,215)
}

// Result is the outcome of [Graph.Search].
type Result struct {
	// Relations lists related accounts by increasing Hops, then Account.
	Relations []Relation
	// Supernodes lists the capped fingerprints met and skipped.
	Supernodes []Supernode
	// Truncated reports that MaxVisits stopped the search early.
	Truncated bool
}

type limits struct {
	hops       int
	inv, fp    bool
	visits     int
	window     uint32
	windowOn   bool
	rootJoined uint32
}

func (g *Graph) limits(q Query) (limits, error) {
	var l limits
	l.hops = q.MaxHops
	if l.hops == 0 {
		l.hops = g.set.maxHops
	}
	if l.hops < 0 || l.hops > g.set.hopLimit {
		return l, fmt.Errorf("%w: MaxHops %d outside 1..%d", ErrQuery, q.MaxHops, g.set.hopLimit)
	}
	if q.Via > ViaFingerprints {
		return l, fmt.Errorf("%w: %v", ErrQuery, q.Via)
	}
	l.inv, l.fp = q.Via.mask()
	l.visits = q.MaxVisits
	if l.visits == 0 {
		l.visits = g.set.maxVisits
	}
	w := q.Window
	if w == 0 {
		w = g.set.window
	}
	if w > 0 {
		l.windowOn = true
		l.window = uint32(min(w/time.Second, 1<<32-1))
	}
	return l, nil
}

// inWindow reports whether an account that joined at j passes the window.
func (l *limits) inWindow(j uint32) bool {
	if !l.windowOn || j == 0 || l.rootJoined == 0 {
		return true
	}
	if j > l.rootJoined {
		return j-l.rootJoined <= l.window
	}
	return l.rootJoined-j <= l.window
}

// Related returns the accounts within q.MaxHops of account, each with its
// shortest distance, ordered by distance then account id. The account
// itself is not included. The zero Query searches two hops over invites
// (in both directions) and shared fingerprints within the default limits
// of [Query]. An account never added returns [ErrUnknownAccount]; a
// MaxHops outside 0..Config.HopLimit or an unknown Via returns
// [ErrQuery]. It is [Graph.Search] without the report of skipped
// supernodes and truncation.
func (g *Graph) Related(account uint64, q Query) ([]Relation, error) {
	r, err := g.Search(account, q)
	return r.Relations, err
}

// fpKey tags fingerprint ids in the visited set.
const fpKey = fpBit

type found struct {
	d    uint32
	hops uint8
	kind uint8
}

type searcher struct {
	seen      stampMap
	cur, next []uint32
	out       []found
	keys      []uint64 // scratch for ordering relations
}

func (g *Graph) getSearcher() *searcher {
	if s, ok := g.searchers.Get().(*searcher); ok {
		return s
	}
	return &searcher{}
}

// Search runs a breadth-first search from account within the limits of q
// and reports related accounts, the supernodes it refused to cross and
// whether a limit cut it short. Searches never block on inserts; they see
// the graph as of some moment during the call.
func (g *Graph) Search(account uint64, q Query) (Result, error) {
	l, err := g.limits(q)
	if err != nil {
		return Result{}, err
	}
	root, err := g.dense(account)
	if err != nil {
		return Result{}, err
	}
	s := g.getSearcher()
	defer g.searchers.Put(s)
	res := g.bfs(s, root, l)
	if len(s.out) > 0 {
		res.Relations = g.relations(s)
	}
	return res, nil
}

// relations converts s.out to relations ordered by hops, then account.
// The search finds accounts hop by hop, so only the order within a hop is
// left to make. Accounts with sequential ids (see Graph.seqLen) order as
// their dense ids do: they are converted straight away when already in
// order, and sorted as packed integer keys otherwise. Other ids are
// sorted by external id within each hop.
func (g *Graph) relations(s *searcher) []Relation {
	kinds := *g.kinds.Load()
	rel := make([]Relation, len(s.out))
	seq := g.seqLen.Load()
	prev, n := uint64(0), 0
	for _, f := range s.out {
		k := uint64(f.hops)<<40 | uint64(f.d)<<8 | uint64(f.kind)
		if f.d >= seq || k < prev {
			break
		}
		rel[n] = Relation{Account: g.seqBase + uint64(f.d), Hops: int(f.hops), Kind: kinds[f.kind].name}
		prev = k
		n++
	}
	if n == len(s.out) {
		return rel
	}
	if g.sortSequential(s, rel, seq) {
		return rel
	}
	for i, f := range s.out {
		rel[i] = Relation{Account: g.extID(f.d), Hops: int(f.hops), Kind: kinds[f.kind].name}
	}
	byAccount := func(a, b Relation) int { return cmp.Compare(a.Account, b.Account) }
	for start := 0; start < len(rel); {
		end := start + 1
		for end < len(rel) && rel[end].Hops == rel[start].Hops {
			end++
		}
		if hop := rel[start:end]; !slices.IsSortedFunc(hop, byAccount) {
			slices.SortFunc(hop, byAccount)
		}
		start = end
	}
	return rel
}

// sortSequential fills rel in order from s.out by sorting packed keys
// when every account found has a sequential id (below seq); otherwise it
// returns false.
func (g *Graph) sortSequential(s *searcher, rel []Relation, seq uint32) bool {
	s.keys = s.keys[:0]
	for _, f := range s.out {
		if f.d >= seq {
			return false
		}
		s.keys = append(s.keys, uint64(f.hops)<<40|uint64(f.d)<<8|uint64(f.kind))
	}
	slices.Sort(s.keys)
	kinds := *g.kinds.Load()
	for i, k := range s.keys {
		rel[i] = Relation{Account: g.seqBase + uint64(uint32(k>>8)), Hops: int(k >> 40), Kind: kinds[uint8(k)].name}
	}
	return true
}

// bfs fills s.out with the accounts found from root; Result carries the
// supernodes and truncation.
func (g *Graph) bfs(s *searcher, root uint32, l limits) Result {
	var res Result
	st := g.st.Load()
	kinds := *g.kinds.Load()
	l.rootJoined = g.joined.load(root)
	s.seen.reset()
	s.seen.insert(root, 0)
	s.out = s.out[:0]
	s.cur = append(s.cur[:0], root)
	visit := func(v uint32, hops int, kind uint8) bool {
		if _, added := s.seen.insert(v, 0); !added {
			return true
		}
		if !l.inWindow(g.joined.load(v)) {
			return true
		}
		if l.visits >= 0 && len(s.out) >= l.visits {
			res.Truncated = true
			return false
		}
		s.out = append(s.out, found{d: v, hops: uint8(hops), kind: kind})
		s.next = append(s.next, v)
		return true
	}
	// expand handles one entry of u's row: an invite neighbour or a
	// fingerprint whose members are all one hop away.
	expand := func(v uint32, hop int) bool {
		if v&fpBit == 0 {
			return !l.inv || visit(v&^inviterBit, hop, 0)
		}
		if !l.fp {
			return true
		}
		fp := v & idMask
		if _, added := s.seen.insert(fp|fpKey, 0); !added {
			return true
		}
		info := g.fpInfo.load(fp)
		k := uint8(info >> 24)
		if info&countMask > kinds[k].cap {
			res.Supernodes = append(res.Supernodes, Supernode{
				Fingerprint: fpUnkey(kinds[k].salt, g.fpHash.load(fp)), Kind: kinds[k].name, Accounts: int(info & countMask),
			})
			return true
		}
		for _, w := range st.fpa.row(fp) {
			if !visit(w, hop, k) {
				return false
			}
		}
		for e := st.d.fpa.load(fp); e != 0; e = st.d.next.load(e - 1) {
			if !visit(st.d.tgt.load(e-1), hop, k) {
				return false
			}
		}
		return true
	}
	for hop := 1; hop <= l.hops && len(s.cur) > 0; hop++ {
		s.next = s.next[:0]
		for _, u := range s.cur {
			for _, v := range st.acc.row(u) {
				if !expand(v, hop) {
					return res
				}
			}
			for e := st.d.acc.load(u); e != 0; e = st.d.next.load(e - 1) {
				if !expand(st.d.tgt.load(e-1), hop) {
					return res
				}
			}
		}
		s.cur, s.next = s.next, s.cur
	}
	return res
}

// stampMap is an open-addressing map from uint32 keys to int32 values that
// is cleared in O(1) by bumping a stamp stored beside each key.
type stampMap struct {
	keys  []uint64 // stamp<<32 | key
	vals  []int32
	stamp uint64
	n     int
}

func (m *stampMap) reset() {
	m.stamp++
	m.n = 0
	if m.keys == nil || m.stamp >= 1<<32 || len(m.keys) > 1<<20 {
		m.keys = make([]uint64, 256)
		m.vals = make([]int32, 256)
		m.stamp = 1
	}
}

func hash32(k uint32) uint32 {
	k ^= k >> 16
	k *= 0x7feb352d
	k ^= k >> 15
	k *= 0x846ca68b
	return k ^ k>>16
}

// insert adds k with value v if absent and reports true; if present it
// returns the stored value and false.
func (m *stampMap) insert(k uint32, v int32) (int32, bool) {
	if 2*(m.n+1) > len(m.keys) {
		m.grow()
	}
	mask := uint32(len(m.keys) - 1)
	want := m.stamp<<32 | uint64(k)
	for i := hash32(k) & mask; ; i = (i + 1) & mask {
		e := m.keys[i]
		if e == want {
			return m.vals[i], false
		}
		if e>>32 != m.stamp {
			m.keys[i] = want
			m.vals[i] = v
			m.n++
			return v, true
		}
	}
}

func (m *stampMap) get(k uint32) (int32, bool) {
	mask := uint32(len(m.keys) - 1)
	want := m.stamp<<32 | uint64(k)
	for i := hash32(k) & mask; ; i = (i + 1) & mask {
		e := m.keys[i]
		if e == want {
			return m.vals[i], true
		}
		if e>>32 != m.stamp {
			return 0, false
		}
	}
}

func (m *stampMap) grow() {
	ok, ov := m.keys, m.vals
	m.keys = make([]uint64, 2*len(ok))
	m.vals = make([]int32, 2*len(ok))
	mask := uint32(len(m.keys) - 1)
	for j, e := range ok {
		if e>>32 != m.stamp {
			continue
		}
		k := uint32(e)
		i := hash32(k) & mask
		for m.keys[i]>>32 == m.stamp {
			i = (i + 1) & mask
		}
		m.keys[i] = e
		m.vals[i] = ov[j]
	}
}
