package embeddings

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrEmptyVocabulary is wrapped by the error of [Train] and [TrainFile]
// when no token reaches its minimum count.
var ErrEmptyVocabulary = errors.New("embeddings: empty vocabulary")

// emptyVocabulary returns ErrEmptyVocabulary with the thresholds that
// removed every token.
func emptyVocabulary(cfg *Config) error {
	if len(cfg.TypeMinCount) > 0 {
		return fmt.Errorf("%w: no token reaches MinCount %d or its TypeMinCount %v", ErrEmptyVocabulary, cfg.MinCount, cfg.TypeMinCount)
	}
	return fmt.Errorf("%w: no token reaches MinCount %d", ErrEmptyVocabulary, cfg.MinCount)
}

// tokenType returns the type of a token: the part before its first ':',
// or "" for an untyped token.
func tokenType(tok string) string {
	if i := strings.IndexByte(tok, ':'); i > 0 {
		return tok[:i]
	}
	return ""
}

// minCountFor returns the minimum count of tok's type.
func (cfg *Config) minCountFor(tok string) int64 {
	if cfg.TypeMinCount != nil {
		if n, ok := cfg.TypeMinCount[tokenType(tok)]; ok {
			return int64(n)
		}
	}
	return int64(cfg.MinCount)
}

// vocabulary is the sorted set of kept tokens: most frequent first, ties
// broken by token, as word2vec sorts.
type vocabulary struct {
	tokens []string
	counts []int64
	index  map[string]uint32
}

// buildVocabulary keeps the tokens of names whose counts reach their
// threshold and returns them sorted together with remap, which maps an
// input position to its new id or -1.
func buildVocabulary(cfg *Config, names []string, counts []int64) (*vocabulary, []int32) {
	order := make([]int32, 0, len(names))
	for i, name := range names {
		if counts[i] >= cfg.minCountFor(name) && counts[i] > 0 {
			order = append(order, int32(i))
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return strings.Compare(names[a], names[b])
	})
	v := &vocabulary{
		tokens: make([]string, len(order)),
		counts: make([]int64, len(order)),
		index:  make(map[string]uint32, len(order)),
	}
	remap := make([]int32, len(names))
	for i := range remap {
		remap[i] = -1
	}
	for id, i := range order {
		v.tokens[id] = names[i]
		v.counts[id] = counts[i]
		v.index[names[i]] = uint32(id)
		remap[i] = int32(id)
	}
	return v, remap
}

// counter interns tokens and counts them.
type counter struct {
	index  map[string]uint32
	names  []string
	counts []int64
}

func newCounter() *counter { return &counter{index: make(map[string]uint32)} }

// add counts tok and returns its provisional id.
func (c *counter) add(tok []byte) uint32 {
	id := c.intern(tok)
	c.counts[id]++
	return id
}

// intern returns the provisional id of tok without counting it.
func (c *counter) intern(tok []byte) uint32 {
	if id, ok := c.index[string(tok)]; ok {
		return id
	}
	id := uint32(len(c.names))
	s := string(tok)
	c.index[s] = id
	c.names = append(c.names, s)
	c.counts = append(c.counts, 0)
	return id
}
