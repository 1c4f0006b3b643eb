package fraudgraph

import (
	"slices"
	"sync/atomic"
)

// Chunked arrays hold per-node data that grows while queries run. Elements
// are written by the single writer and read by any number of readers with
// atomic loads; growing appends a chunk and publishes a new directory, so
// existing chunks never move and readers never wait.

const (
	chunkShift = 12
	chunkLen   = 1 << chunkShift
	chunkMask  = chunkLen - 1
)

type chunk32 [chunkLen]atomic.Uint32

type chunk64 [chunkLen]atomic.Uint64

// u32s is a growable array of atomically accessed uint32 values whose
// unwritten elements read as zero.
type u32s struct {
	dir atomic.Pointer[[]*chunk32]
}

func (a *u32s) load(i uint32) uint32 {
	d := a.dir.Load()
	if d == nil {
		return 0
	}
	c := int(i >> chunkShift)
	if c >= len(*d) || (*d)[c] == nil {
		return 0
	}
	return (*d)[c][i&chunkMask].Load()
}

// slot returns the element i, allocating its chunk. Chunks before it that
// were never written stay unallocated and read as zero. Writer only.
func (a *u32s) slot(i uint32) *atomic.Uint32 {
	c := int(i >> chunkShift)
	d := a.dir.Load()
	if d == nil || c >= len(*d) {
		var old []*chunk32
		if d != nil {
			old = *d
		}
		nd := make([]*chunk32, c+1, max(c+1, 2*len(old)))
		copy(nd, old)
		nd[c] = new(chunk32)
		a.dir.Store(&nd)
		d = &nd
	} else if (*d)[c] == nil {
		nd := slices.Clone(*d)
		nd[c] = new(chunk32)
		a.dir.Store(&nd)
		d = &nd
	}
	return &(*d)[c][i&chunkMask]
}

func (a *u32s) store(i, v uint32) { a.slot(i).Store(v) }

// reserve allocates every chunk below n, after which elements below n may
// be stored from several goroutines at once. Writer only.
func (a *u32s) reserve(n uint32) {
	for i := uint32(0); i < n; i += chunkLen {
		a.slot(i)
	}
}

// bytes reports the memory held by the chunks.
func (a *u32s) bytes() int64 {
	d := a.dir.Load()
	if d == nil {
		return 0
	}
	n := int64(0)
	for _, c := range *d {
		if c != nil {
			n += chunkLen * 4
		}
	}
	return n
}

// u64s is the 64-bit variant of u32s. It repeats u32s rather than sharing
// a generic type: a type parameter over atomic.Uint32 and atomic.Uint64
// would turn every load on the query path into a dictionary call.
type u64s struct {
	dir atomic.Pointer[[]*chunk64]
}

func (a *u64s) load(i uint32) uint64 {
	d := a.dir.Load()
	if d == nil {
		return 0
	}
	c := int(i >> chunkShift)
	if c >= len(*d) || (*d)[c] == nil {
		return 0
	}
	return (*d)[c][i&chunkMask].Load()
}

// slot returns the element i, allocating its chunk. Chunks before it that
// were never written stay unallocated and read as zero. Writer only.
func (a *u64s) slot(i uint32) *atomic.Uint64 {
	c := int(i >> chunkShift)
	d := a.dir.Load()
	if d == nil || c >= len(*d) {
		var old []*chunk64
		if d != nil {
			old = *d
		}
		nd := make([]*chunk64, c+1, max(c+1, 2*len(old)))
		copy(nd, old)
		nd[c] = new(chunk64)
		a.dir.Store(&nd)
		d = &nd
	} else if (*d)[c] == nil {
		nd := slices.Clone(*d)
		nd[c] = new(chunk64)
		a.dir.Store(&nd)
		d = &nd
	}
	return &(*d)[c][i&chunkMask]
}

func (a *u64s) store(i uint32, v uint64) { a.slot(i).Store(v) }

// reserve allocates every chunk below n; see u32s.reserve.
func (a *u64s) reserve(n uint32) {
	for i := uint32(0); i < n; i += chunkLen {
		a.slot(i)
	}
}

func (a *u64s) bytes() int64 {
	d := a.dir.Load()
	if d == nil {
		return 0
	}
	n := int64(0)
	for _, c := range *d {
		if c != nil {
			n += chunkLen * 8
		}
	}
	return n
}
