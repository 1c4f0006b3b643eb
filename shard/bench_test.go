package shard

import "testing"

// BenchmarkCached is the routing decision on a cache hit.
func BenchmarkCached(b *testing.B) {
	r := newTestRouter(b, 4, nil)
	const n = 1024
	for id := uint64(1); id <= n; id++ {
		if _, err := r.Create(b.Context(), id); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	var id uint64
	for b.Loop() {
		id = id%n + 1
		if _, ok := r.Cached(id); !ok {
			b.Fatal("miss")
		}
	}
}
