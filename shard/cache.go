package shard

import (
	"math/bits"
	"sync/atomic"
)

// cache is a direct-mapped cache from object id to shard: a fixed array
// of slots, each holding a pointer to an immutable entry. A lookup is
// one atomic load and a compare; an insert replaces whatever the slot
// held. Memory is bounded by the slot count, fixed at construction.
type cache struct {
	slots []atomic.Pointer[cacheEntry]
	shift uint
}

type cacheEntry struct {
	id    uint64
	shard int32
}

// newCache returns a cache of at least n slots, rounded up to a power of
// two (n <= 0: no slots; every lookup misses).
func newCache(n int) *cache {
	if n <= 0 {
		return &cache{}
	}
	b := bits.Len(uint(n - 1))
	return &cache{slots: make([]atomic.Pointer[cacheEntry], 1<<b), shift: uint(64 - b)}
}

func (c *cache) slot(id uint64) *atomic.Pointer[cacheEntry] {
	// Fibonacci hashing spreads sequential ids over the slots.
	return &c.slots[(id*0x9E3779B97F4A7C15)>>c.shift]
}

func (c *cache) get(id uint64) (int, bool) {
	if len(c.slots) == 0 {
		return 0, false
	}
	e := c.slot(id).Load()
	if e == nil || e.id != id {
		return 0, false
	}
	return int(e.shard), true
}

func (c *cache) put(id uint64, shard int) {
	if len(c.slots) == 0 {
		return
	}
	c.slot(id).Store(&cacheEntry{id: id, shard: int32(shard)})
}

func (c *cache) invalidate(id uint64) {
	if len(c.slots) == 0 {
		return
	}
	s := c.slot(id)
	if e := s.Load(); e != nil && e.id == id {
		s.CompareAndSwap(e, nil)
	}
}

func (c *cache) clear() {
	for i := range c.slots {
		c.slots[i].Store(nil)
	}
}
