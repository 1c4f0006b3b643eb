package embeddings

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Planted corpus for continuation: items belong to categories and each
// session views items of one category. The new corpus adds new items,
// each always viewed right after its anchor, an old item, in sessions of
// the anchor's category.
const (
	ctCategories = 40
	ctItems      = 6  // old items per category
	ctNew        = 10 // new items
)

func ctItem(c, i int) string { return fmt.Sprintf("item:%d_%d", c, i) }

// ctAnchor returns the old item that new item k is always viewed with.
func ctAnchor(k int) string { return ctItem(k%ctCategories, 3*k%ctItems) }

// continueCorpus writes sessions of the planted structure; with newItems,
// about a third of the sessions view a new item next to its anchor.
func continueCorpus(sessions int, newItems bool, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	for range sessions {
		c := r.IntN(ctCategories)
		var toks []string
		if newItems && r.IntN(3) == 0 {
			k := r.IntN(ctNew)
			c = k % ctCategories
			toks = append(toks, ctAnchor(k), fmt.Sprintf("item:new%d", k))
		}
		for len(toks) < 6 {
			toks = append(toks, ctItem(c, r.IntN(ctItems)))
		}
		r.Shuffle(len(toks), func(i, j int) {
			// Keep each new item adjacent to its anchor: shuffle only the
			// tail when the session starts with a pair.
			if newItems && strings.HasPrefix(toks[1], "item:new") && (i < 2 || j < 2) {
				return
			}
			toks[i], toks[j] = toks[j], toks[i]
		})
		b.WriteString(strings.Join(toks, " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// categoryP5 is the mean fraction, over the old items, of their 5
// nearest old items in the same category (all 5 others, at best).
func categoryP5(t *testing.T, m *Model) float64 {
	t.Helper()
	var sum float64
	for c := range ctCategories {
		for i := range ctItems {
			ns, err := m.Nearest(ctItem(c, i), 5+ctNew)
			if err != nil {
				t.Fatal(err)
			}
			hits, seen := 0, 0
			for _, n := range ns {
				if strings.HasPrefix(n.Token, "item:new") || seen == 5 {
					continue
				}
				seen++
				if strings.HasPrefix(n.Token, fmt.Sprintf("item:%d_", c)) {
					hits++
				}
			}
			sum += float64(hits) / 5
		}
	}
	return sum / (ctCategories * ctItems)
}

var continueBase = Config{Dim: 16, Epochs: 3, Threads: 1, MinCount: 5, Seed: 11, KeepOutputs: true}

func trainContinueBase(t *testing.T) *Model {
	t.Helper()
	m, err := Train(context.Background(), strings.NewReader(continueCorpus(2000, false, 1)), continueBase)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestContinuePlacesNewItems continues a model on sessions that introduce
// new items: each new item must end with its anchor among its 10 nearest
// items, and the old items' category structure must not collapse.
//
// It runs from a base model with output vectors and from one without
// (whose output vectors restart at zero, the documented fallback).
func TestContinuePlacesNewItems(t *testing.T) {
	for _, keep := range []bool{true, false} {
		t.Run(fmt.Sprintf("outputs=%v", keep), func(t *testing.T) {
			cfg := continueBase
			cfg.KeepOutputs = keep
			base, err := Train(context.Background(), strings.NewReader(continueCorpus(2000, false, 1)), cfg)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Seed = 12
			m, err := Continue(context.Background(), base, strings.NewReader(continueCorpus(1500, true, 2)), cfg)
			if err != nil {
				t.Fatal(err)
			}
			checkContinued(t, base, m)
		})
	}
}

func checkContinued(t *testing.T, base, m *Model) {
	t.Helper()
	before := categoryP5(t, base)
	if m.Len() != base.Len()+ctNew {
		t.Fatalf("Len %d, want %d old + %d new", m.Len(), base.Len(), ctNew)
	}
	for i := range base.Len() {
		if m.Token(i) != base.Token(i) {
			t.Fatalf("token %d is %q, was %q: old tokens must keep their order", i, m.Token(i), base.Token(i))
		}
	}
	found := 0
	for k := range ctNew {
		tok := fmt.Sprintf("item:new%d", k)
		ns, err := m.Nearest(tok, 10+ctNew)
		if err != nil {
			t.Fatal(err)
		}
		ns = slices.DeleteFunc(ns, func(n Neighbor) bool { return strings.HasPrefix(n.Token, "item:new") })[:10]
		if rankOf(ns, ctAnchor(k)) < len(ns) {
			found++
		} else {
			t.Logf("%s: anchor %s not in top 10 %v", tok, ctAnchor(k), ns)
		}
	}
	if found < ctNew-1 {
		t.Errorf("anchor in the top 10 of %d of %d new items, want at least %d", found, ctNew, ctNew-1)
	}
	// Old items start from their vectors: they stay close to them, where
	// a fresh training would land in an unrelated basis.
	var cosSum float64
	for i := range base.Len() {
		a, _ := base.Vector(base.Token(i))
		b, _ := m.Vector(base.Token(i))
		cosSum += cos64(a, b)
	}
	if c := cosSum / float64(base.Len()); c < 0.7 {
		t.Errorf("mean cosine between an old item's vector before and after continuing %.3f, want >= 0.7", c)
	} else {
		t.Logf("mean cosine between old vectors before and after: %.3f", c)
	}
	after := categoryP5(t, m)
	t.Logf("old items' category P@5: %.3f before, %.3f after continuing", before, after)
	if before < 0.8 {
		t.Fatalf("base model category P@5 %.3f: the planted structure was not learned", before)
	}
	if after < before-0.05 {
		t.Errorf("category P@5 fell from %.3f to %.3f", before, after)
	}
}

// TestContinueCounts checks that counts are summed, that new tokens
// below MinCount are left out, and that old tokens are kept however rare
// in the new corpus.
func TestContinueCounts(t *testing.T) {
	base := trainContinueBase(t)
	corpus := continueCorpus(300, true, 3) + "item:rare item:rare item:0_0\n"
	occ := map[string]int64{}
	for _, tok := range strings.Fields(corpus) {
		occ[tok]++
	}
	m, err := Continue(context.Background(), base, strings.NewReader(corpus), continueBase)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Len() {
		tok := m.Token(i)
		if got, want := m.Count(tok), base.Count(tok)+occ[tok]; got != want {
			t.Errorf("Count(%q) = %d, want %d (base) + %d (new corpus)", tok, got, base.Count(tok), occ[tok])
		}
	}
	if _, ok := m.Vector("item:rare"); ok {
		t.Errorf("item:rare, seen %d times, was added below MinCount %d", occ["item:rare"], continueBase.MinCount)
	}
	if m.Len() < base.Len() {
		t.Errorf("Len %d < base Len %d: old tokens were dropped", m.Len(), base.Len())
	}
}

// TestContinueRoundTrip checks that continuing a model read back from a
// checkpoint file gives bit for bit the model continued in memory, with
// one thread and a fixed seed, that ContinueFile gives it too, and that
// the checkpoint restores the model exactly.
func TestContinueRoundTrip(t *testing.T) {
	base := trainContinueBase(t)
	path := filepath.Join(t.TempDir(), "model.ckpt")
	if err := base.WriteCheckpointFile(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := ReadCheckpointFile(path)
	if err != nil {
		t.Fatal(err)
	}
	assertSameModel(t, loaded, base)
	corpus := continueCorpus(400, true, 4)
	want, err := Continue(context.Background(), base, strings.NewReader(corpus), continueBase)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Continue(context.Background(), loaded, strings.NewReader(corpus), continueBase)
	if err != nil {
		t.Fatal(err)
	}
	assertSameModel(t, got, want)

	corpusPath := filepath.Join(t.TempDir(), "next.txt")
	if err := os.WriteFile(corpusPath, []byte(corpus), 0o644); err != nil {
		t.Fatal(err)
	}
	streamed, err := ContinueFile(context.Background(), loaded, corpusPath, continueBase)
	if err != nil {
		t.Fatal(err)
	}
	assertSameModel(t, streamed, want)
}

// assertSameModel fails unless a and b have the same tokens, counts and
// input and output vectors, bit for bit.
func assertSameModel(t *testing.T, a, b *Model) {
	t.Helper()
	if a.Len() != b.Len() || a.Dim() != b.Dim() || (a.Outputs() == nil) != (b.Outputs() == nil) {
		t.Fatalf("models differ in shape: %d×%d outputs %v vs %d×%d outputs %v",
			a.Len(), a.Dim(), a.Outputs() != nil, b.Len(), b.Dim(), b.Outputs() != nil)
	}
	for i := range a.Len() {
		tok := a.Token(i)
		if tok != b.Token(i) || a.Count(tok) != b.Count(tok) {
			t.Fatalf("token %d: %q count %d vs %q count %d", i, tok, a.Count(tok), b.Token(i), b.Count(b.Token(i)))
		}
		va, _ := a.Vector(tok)
		vb, _ := b.Vector(tok)
		if !equalFloats(va, vb) {
			t.Fatalf("input vector of %q differs", tok)
		}
		if a.Outputs() != nil {
			va, _ = a.Outputs().Vector(tok)
			vb, _ = b.Outputs().Vector(tok)
			if !equalFloats(va, vb) {
				t.Fatalf("output vector of %q differs", tok)
			}
		}
	}
}

func TestContinueErrors(t *testing.T) {
	base := trainContinueBase(t)
	var bin bytes.Buffer
	if err := base.WriteBinary(&bin); err != nil {
		t.Fatal(err)
	}
	fromVectors, err := ReadBinary(&bin)
	if err != nil {
		t.Fatal(err)
	}
	corpus := continueCorpus(50, true, 5)
	var ce *ConfigError
	for _, tt := range []struct {
		name  string
		m     *Model
		cfg   Config
		check func(error) bool
	}{
		{"vector file", fromVectors, continueBase, func(err error) bool { return errors.Is(err, ErrNoCounts) }},
		{"nil model", nil, continueBase, func(err error) bool { return errors.Is(err, ErrNoCounts) }},
		{"other Dim", base, Config{Dim: 8, Threads: 1}, func(err error) bool { return errors.As(err, &ce) && ce.Field == "Dim" }},
		{"invalid config", base, Config{Window: -1}, func(err error) bool { return errors.As(err, &ce) && ce.Field == "Window" }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Continue(context.Background(), tt.m, strings.NewReader(corpus), tt.cfg)
			if err == nil || !tt.check(err) || !strings.HasPrefix(err.Error(), "embeddings: ") {
				t.Fatalf("Continue error %v", err)
			}
		})
	}
	if err := fromVectors.WriteCheckpoint(&bytes.Buffer{}); !errors.Is(err, ErrNoCounts) {
		t.Errorf("WriteCheckpoint of a model without counts: %v, want ErrNoCounts", err)
	}
	if _, err := ContinueFile(context.Background(), base, filepath.Join(t.TempDir(), "missing"), continueBase); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ContinueFile of a missing file: %v", err)
	}
	if _, err := ContinueFile(context.Background(), fromVectors, "unused", continueBase); !errors.Is(err, ErrNoCounts) {
		t.Errorf("ContinueFile of a model without counts: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Continue(ctx, base, strings.NewReader(corpus), continueBase); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Continue: %v", err)
	}
}
