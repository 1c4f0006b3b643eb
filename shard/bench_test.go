package shard

import (
	"sync"
	"testing"
)

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

// BenchmarkMapRWMutex is the baseline a cache is usually first written
// as: a map behind a read-write mutex. Run it beside BenchmarkCached.
func BenchmarkMapRWMutex(b *testing.B) {
	const n = 1024
	var mu sync.RWMutex
	m := make(map[uint64]int, n)
	for id := uint64(1); id <= n; id++ {
		m[id] = int(id % 4)
	}
	b.ReportAllocs()
	var id uint64
	for b.Loop() {
		id = id%n + 1
		mu.RLock()
		_, ok := m[id]
		mu.RUnlock()
		if !ok {
			b.Fatal("miss")
		}
	}
}
