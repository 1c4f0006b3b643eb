package ipdb

import (
	"testing"
)

func TestIndexStats(t *testing.T) {
	tab, err := loadProviders("ipv6_merged.txt")
	if err != nil {
		t.Skip(err)
	}
	r := &tab.v6.idx
	hist := map[int]int{}
	for _, n := range r.nodes {
		for b := range n.idx {
			if n.idx[b]&childFlag != 0 {
				continue
			}
			j := n.last
			if b+1 < len(n.idx) {
				j = n.idx[b+1]
				if j&childFlag != 0 {
					j = r.nodes[j&^childFlag].first
				}
			}
			size := int(j - n.idx[b] + 1)
			k := 0
			for size > 1<<k {
				k++
			}
			hist[k]++
		}
	}
	t.Logf("nodes %d entries %d root %d shift %d hist(log2 window) %v", len(r.nodes), r.entries(), len(r.nodes[0].idx), r.nodes[0].shift, hist)
	maxd := 0
	for _, n := range r.nodes {
		maxd = max(maxd, 64-int(n.shift))
	}
	t.Log("max depth bits", maxd)
}
