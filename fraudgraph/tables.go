package fraudgraph

import "sync/atomic"

// idTable maps external account ids to dense ids with open addressing and
// linear probing. A slot holds dense+1 (0 is empty); the key is read back
// from the graph's ext array, so a slot costs 4 bytes. Readers probe with
// atomic loads; the single writer inserts by a single atomic store and
// grows by building a new table and publishing it.
type idTable struct {
	slots []atomic.Uint32
	used  int
}

// idLoad is the fill ratio at which the id table grows.
const idLoad = 0.75

func newIDTable(n int) *idTable {
	c := max(int(float64(n)/idLoad)+1, 64)
	return &idTable{slots: make([]atomic.Uint32, c)}
}

func (t *idTable) lookup(ext uint64, exts *u64s) (uint32, bool) {
	n := len(t.slots)
	i := reduce(mix64(ext), n)
	for {
		s := t.slots[i].Load()
		if s == 0 {
			return 0, false
		}
		if exts.load(s-1) == ext {
			return s - 1, true
		}
		i++
		if i == n {
			i = 0
		}
	}
}

// insert adds dense id d for ext; the caller ensures ext is absent and
// the table has room.
func (t *idTable) insert(ext uint64, d uint32) {
	n := len(t.slots)
	i := reduce(mix64(ext), n)
	for t.slots[i].Load() != 0 {
		i++
		if i == n {
			i = 0
		}
	}
	t.slots[i].Store(d + 1)
	t.used++
}

func (t *idTable) full() bool { return float64(t.used+1) > float64(len(t.slots))*idLoad }

// fpTable maps fingerprint hashes to a value: a fingerprint id, or, for a
// fingerprint seen on one account only, that account's dense id with
// singleBit set. A slot costs 12 bytes (8-byte hash, 4-byte value); at the
// fill ratio fpLoad that is at most 16 bytes per fingerprint. The writer
// stores the value before publishing the key, so a reader that sees the
// key sees a valid value.
type fpTable struct {
	keys []atomic.Uint64
	vals []atomic.Uint32
	used int
}

const (
	fpLoad    = 0.75
	singleBit = 1 << 31
)

func newFPTable(n int) *fpTable {
	c := max(int(float64(n)/fpLoad)+1, 16)
	return &fpTable{keys: make([]atomic.Uint64, c), vals: make([]atomic.Uint32, c)}
}

// find returns the slot of h, or -1.
func (t *fpTable) find(h uint64) int {
	n := len(t.keys)
	i := reduce(h<<fpShardBits, n)
	for {
		k := t.keys[i].Load()
		if k == h {
			return i
		}
		if k == 0 {
			return -1
		}
		i++
		if i == n {
			i = 0
		}
	}
}

// insert adds h with value v; the caller ensures h is absent and room.
func (t *fpTable) insert(h uint64, v uint32) {
	n := len(t.keys)
	i := reduce(h<<fpShardBits, n)
	for t.keys[i].Load() != 0 {
		i++
		if i == n {
			i = 0
		}
	}
	t.vals[i].Store(v)
	t.keys[i].Store(h)
	t.used++
}

func (t *fpTable) full() bool { return float64(t.used+1) > float64(len(t.keys))*fpLoad }

func (t *fpTable) bytes() int64 { return int64(len(t.keys)) * 12 }

// fpShards splits the fingerprint table by the top bits of the hash, so
// growing it rehashes one shard (a 256th of the fingerprints) at a time and
// inserts never pause for long. Within a shard, slots are chosen by the
// hash bits below the shard number.
type fpShards [1 << fpShardBits]atomic.Pointer[fpTable]

const fpShardBits = 8

func shardOf(h uint64) int { return int(h >> (64 - fpShardBits)) }

func (s *fpShards) reset(size func(shard int) int) {
	for i := range s {
		s[i].Store(newFPTable(size(i)))
	}
}

func (s *fpShards) used() int {
	n := 0
	for i := range s {
		n += s[i].Load().used
	}
	return n
}

func (s *fpShards) slots() int {
	n := 0
	for i := range s {
		n += len(s[i].Load().keys)
	}
	return n
}

func (s *fpShards) bytes() int64 { return int64(s.slots()) * 12 }
