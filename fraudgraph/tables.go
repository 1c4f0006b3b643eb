package fraudgraph

import "sync/atomic"

// idTable maps external account ids to dense ids with open addressing and
// linear probing. A slot holds dense+1 (0 is empty); the key is read back
// from the graph's ext array, so a slot costs 4 bytes. Readers probe with
// atomic loads; the single writer inserts by a single atomic store and
// grows a shard by building a new table and publishing it.
type idTable struct {
	slots []atomic.Uint32
	used  int
}

// idLoad is the fill ratio at which an id table shard grows.
const idLoad = 0.75

func newIDTable(n int) *idTable {
	c := max(int(float64(n)/idLoad)+1, 2)
	return &idTable{slots: make([]atomic.Uint32, c)}
}

// idShards splits the id table 256 ways by the top bits of the mixed id,
// so growing rehashes a 256th of the ids at a time.
type idShards [1 << idShardBits]atomic.Pointer[idTable]

const idShardBits = 8

func idShardOf(h uint64) int { return int(h >> (64 - idShardBits)) }

func (s *idShards) reset(size func(shard int) int) {
	for i := range s {
		s[i].Store(newIDTable(size(i)))
	}
}

func (s *idShards) slots() int {
	n := 0
	for i := range s {
		n += len(s[i].Load().slots)
	}
	return n
}

func (s *idShards) lookup(ext uint64, exts *u64s) (uint32, bool) {
	h := mix64(ext)
	return s[idShardOf(h)].Load().lookup(h, ext, exts)
}

func (t *idTable) lookup(h, ext uint64, exts *u64s) (uint32, bool) {
	n := len(t.slots)
	i := reduce(h<<idShardBits, n)
	for {
		s := t.slots[i].Load()
		if s == 0 {
			return 0, false
		}
		if exts.load(s-1) == ext {
			return s - 1, true
		}
		if i++; i == n {
			i = 0
		}
	}
}

// insert adds dense id d for ext, whose mixed hash is h; the caller
// ensures ext is absent and the table has room.
func (t *idTable) insert(h uint64, d uint32) {
	n := len(t.slots)
	i := reduce(h<<idShardBits, n)
	for t.slots[i].Load() != 0 {
		if i++; i == n {
			i = 0
		}
	}
	t.slots[i].Store(d + 1)
	t.used++
}

func (t *idTable) full() bool { return float64(t.used+1) > float64(len(t.slots))*idLoad }

// regrow returns a copy of t sized for n entries; ext resolves its
// entries' keys.
func (t *idTable) regrow(n int, exts *u64s) *idTable {
	nt := newIDTable(n)
	for i := range t.slots {
		if s := t.slots[i].Load(); s != 0 {
			nt.insert(mix64(exts.load(s-1)), s-1)
		}
	}
	return nt
}

// fpTable maps fingerprint hashes to a value: a fingerprint id, or, for a
// fingerprint seen on one account only, that account's dense id with
// singleBit set. A slot is 10 bytes: a 64-bit word holding a 48-bit tag
// (hash bits 8..55; the top 8 bits select the shard) and the value's low
// 16 bits, plus a 16-bit word with the value's high bits. At the fill
// ratio fpLoad that is under 12 bytes per fingerprint. Only writers (and
// snapshots, under the writer lock) touch the table: queries follow
// fingerprint ids, so the table needs no atomics.
//
// A fingerprint is identified by 56 hash bits (shard and tag): among F
// fingerprints the chance that two merge is about F²/2⁵⁷, 0.04 for 72
// million.
type fpTable struct {
	keys  []uint64 // tag<<16 | value&0xffff; 0 is empty
	hi    []uint16 // value>>16
	used  int
	limit int // used count at which the table grows
}

const (
	fpLoad    = 0.85
	singleBit = 1 << 31
	tagBits   = 48
)

// newFPTable returns a table for shard sh sized for n entries at fill
// fpLoad.
func newFPTable(n, sh int) *fpTable {
	c := max(int(float64(n)/fpLoad)+1, 2)
	t := &fpTable{keys: make([]uint64, c), hi: make([]uint16, c)}
	t.setLimit(sh)
	return t
}

// touch writes every memory page of a fresh table once. A page first read
// is mapped to the shared zero page and faults a second time, with a TLB
// flush on every core running the process, when it is then written; a bulk
// build probes each slot before filling it, so it touches the table here,
// on the goroutine that then fills it.
func (t *fpTable) touch() {
	if t.used != 0 { // not fresh: its keys are not all zero
		return
	}
	const page = 4096
	for i := 0; i < len(t.keys); i += page / 8 {
		t.keys[i] = 0
	}
	for i := 0; i < len(t.hi); i += page / 2 {
		t.hi[i] = 0
	}
}

// setLimit sets the fill at which the table grows: between 0.86 and 0.90
// depending on the shard, above the fill of a fresh bulk build (0.85), so
// that the shards of a just-built graph do not all grow on the first few
// live inserts but one after another. At least one slot stays empty.
func (t *fpTable) setLimit(sh int) {
	f := 0.86 + 0.04*float64(sh*73&255)/256
	t.limit = min(int(float64(len(t.keys))*f), len(t.keys)-1)
}

// fpTag returns the stored part of hash h (never 0).
func fpTag(h uint64) uint64 {
	t := h >> fpShardBits & (1<<tagBits - 1)
	if t == 0 {
		t = 1
	}
	return t
}

// fpIdentity returns h with only the bits the table compares: two hashes
// with the same identity are the same fingerprint.
func fpIdentity(h uint64) uint64 { return h&^(1<<(64-fpShardBits)-1) | fpTag(h)<<fpShardBits }

func (t *fpTable) home(tag uint64) int { return reduce(tag<<(64-tagBits), len(t.keys)) }

// find returns the slot of h, or -1.
func (t *fpTable) find(h uint64) int {
	tag := fpTag(h)
	n := len(t.keys)
	for i := t.home(tag); ; {
		k := t.keys[i]
		if k>>16 == tag {
			return i
		}
		if k == 0 {
			return -1
		}
		if i++; i == n {
			i = 0
		}
	}
}

// slot returns the slot of h and true, or the empty slot where h would
// go and false: one probe sequence for a lookup followed by an insert.
func (t *fpTable) slot(h uint64) (int, bool) {
	tag := fpTag(h)
	n := len(t.keys)
	for i := t.home(tag); ; {
		k := t.keys[i]
		if k>>16 == tag {
			return i, true
		}
		if k == 0 {
			return i, false
		}
		if i++; i == n {
			i = 0
		}
	}
}

// put stores h with value v in empty slot i found by slot.
func (t *fpTable) put(i int, h uint64, v uint32) {
	t.keys[i] = fpTag(h)<<16 | uint64(v&0xffff)
	t.hi[i] = uint16(v >> 16)
	t.used++
}

// insert adds h with value v; the caller ensures h is absent and room.
func (t *fpTable) insert(h uint64, v uint32) { t.insertTag(fpTag(h), v) }

func (t *fpTable) insertTag(tag uint64, v uint32) {
	n := len(t.keys)
	i := t.home(tag)
	for t.keys[i] != 0 {
		if i++; i == n {
			i = 0
		}
	}
	t.keys[i] = tag<<16 | uint64(v&0xffff)
	t.hi[i] = uint16(v >> 16)
	t.used++
}

func (t *fpTable) value(i int) uint32 { return uint32(t.keys[i]&0xffff) | uint32(t.hi[i])<<16 }

func (t *fpTable) setValue(i int, v uint32) {
	t.keys[i] = t.keys[i]&^0xffff | uint64(v&0xffff)
	t.hi[i] = uint16(v >> 16)
}

func (t *fpTable) full() bool { return t.used+1 > t.limit }

// localTable is a plain open-addressing table from full 64-bit hashes to
// uint32 values, used while bulk building one bucket at a time.
type localTable struct {
	keys []uint64
	vals []uint32
}

func (t *localTable) find(h uint64) int {
	n := len(t.keys)
	for i := reduce(h, n); ; {
		k := t.keys[i]
		if k == h {
			return i
		}
		if k == 0 {
			return -1
		}
		if i++; i == n {
			i = 0
		}
	}
}

func (t *localTable) insert(h uint64, v uint32) {
	n := len(t.keys)
	i := reduce(h, n)
	for t.keys[i] != 0 {
		if i++; i == n {
			i = 0
		}
	}
	t.keys[i] = h
	t.vals[i] = v
}

// fpShards splits the fingerprint table by the top bits of the hash, so
// growing it rehashes one shard (a 256th of the fingerprints) at a time and
// inserts never pause for long. Within a shard, slots are chosen by the
// hash bits below the shard number.
type fpShards [1 << fpShardBits]atomic.Pointer[fpTable]

const fpShardBits = 8

func shardOf(h uint64) int { return int(h >> (64 - fpShardBits)) }

func (s *fpShards) reset(size func(shard int) int) {
	for i := range s {
		s[i].Store(newFPTable(size(i), i))
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

func (s *fpShards) bytes() int64 { return int64(s.slots()) * 10 }
