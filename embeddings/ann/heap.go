package ann

import (
	"cmp"
	"slices"
)

// minHeap keeps the closest item on top. It is the one binary heap of the
// package: [maxHeap] stores negated distances in one, so both searches share
// a single sift-up and sift-down without the indirect comparisons of
// container/heap or a comparator parameter on the hot path.
type minHeap []item

func (h *minHeap) push(x item) {
	*h = append(*h, x)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if a[p].d <= a[i].d {
			break
		}
		a[p], a[i] = a[i], a[p]
		i = p
	}
}

func (h *minHeap) pop() item {
	a := *h
	top := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && a[r].d < a[c].d {
			c = r
		}
		if a[i].d <= a[c].d {
			break
		}
		a[i], a[c] = a[c], a[i]
		i = c
	}
	*h = a
	return top
}

// maxHeap keeps the farthest item on top: a [minHeap] of negated
// distances. Items go in and come out with their true distance.
type maxHeap struct{ h minHeap }

func (m *maxHeap) push(x item) { m.h.push(item{-x.d, x.id}) }

func (m *maxHeap) pop() item {
	x := m.h.pop()
	return item{-x.d, x.id}
}

// top returns the farthest item's distance; the heap must not be empty.
func (m *maxHeap) top() float32 { return -m.h[0].d }

func (m *maxHeap) len() int { return len(m.h) }

// reset empties the heap, keeping its storage.
func (m *maxHeap) reset() { m.h = m.h[:0] }

// sortItems sorts closest first, ties by node id.
func sortItems(a []item) {
	slices.SortFunc(a, func(x, y item) int { return cmp.Or(cmp.Compare(x.d, y.d), cmp.Compare(x.id, y.id)) })
}
