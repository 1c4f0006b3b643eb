package fraudgraph

import (
	"context"
	"slices"
)

// Groups returns the connected groups of at least minSize accounts (2 when
// minSize < 2) linked via the selected links, without crossing supernode
// fingerprints and without a time window. Groups are sorted by decreasing
// size, members ascending. It costs 8 bytes per account plus the output,
// checks ctx every 64K accounts and sees the graph as of the call.
func (g *Graph) Groups(ctx context.Context, via Via, minSize int) ([][]uint64, error) {
	if via > ViaFingerprints {
		return nil, ErrQuery
	}
	inv, fps := via.mask()
	minSize = max(minSize, 2)
	st := g.st.Load()
	kinds := *g.kinds.Load()
	n := g.nAcc.Load()
	parent := make([]uint32, n)
	for i := range parent {
		parent[i] = uint32(i)
	}
	find := func(x uint32) uint32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b uint32) {
		if a >= n || b >= n {
			return // added after the call started
		}
		ra, rb := find(a), find(b)
		if ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	for u := range n {
		if u&0xffff == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if inv {
			st.eachInvite(u, func(v uint32) bool { union(u, v&^inviterBit); return true })
		}
	}
	if fps {
		nFp := g.nFp.Load()
		for fp := range nFp {
			if fp&0xffff == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			info := g.fpInfo.load(fp)
			if info&countMask > kinds[info>>24].cap {
				continue
			}
			first := uint32(noFP)
			st.eachMember(fp, func(v uint32) bool {
				if first == noFP {
					first = v
				} else {
					union(first, v)
				}
				return true
			})
		}
	}
	// Reuse one array: first sizes by root, then 1+group index by root.
	size := make([]uint32, n)
	for u := range n {
		size[find(u)]++
	}
	var out [][]uint64
	for u := range n {
		r := find(u)
		if r == u {
			if int(size[r]) < minSize {
				size[r] = 0
				continue
			}
			out = append(out, make([]uint64, 0, size[r]))
			size[r] = uint32(len(out))
		}
	}
	for u := range n {
		if i := size[find(u)]; i > 0 {
			out[i-1] = append(out[i-1], g.extID(u))
		}
	}
	for _, grp := range out {
		slices.Sort(grp)
	}
	slices.SortStableFunc(out, func(a, b []uint64) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		if a[0] < b[0] {
			return -1
		}
		return 1
	})
	return out, nil
}
