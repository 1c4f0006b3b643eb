package embeddings

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestContinueJourneysStudy splits synthetic journeys in two halves and
// compares, over 5 seeds, a model trained on the first half, that model
// continued on the second half, and a model trained on both from
// scratch: the number of items with a vector, the item P@10 of the first
// half's items and that of the items continuing added (both only over
// items all models compared share). It runs with CRAFTKIT_LONG=1 and logs
// mean ± 95 % interval; it checks that continuing adds items, keeps the
// first half's items' P@10 within 0.03 of the first half's model and at
// least that of training from scratch (less 0.01), and places the added
// items as well as training from scratch does (less 0.03).
func TestContinueJourneysStudy(t *testing.T) {
	if os.Getenv("CRAFTKIT_LONG") != "1" {
		t.Skip("set CRAFTKIT_LONG=1 to run the continuation study")
	}
	const seeds = 5
	var old, added [3][]float64 // P@10 of the first half's items and of the items continuing added, per model
	var items [3][]float64
	for seed := uint64(1); seed <= seeds; seed++ {
		j := NewJourneys(JourneyConfig{Sessions: 20000, Categories: 20, ItemsPerCategory: 200, Seed: seed})
		var all strings.Builder
		if _, err := j.WriteTo(&all); err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitAfter(all.String(), "\n")
		first, second := strings.Join(lines[:len(lines)/2], ""), strings.Join(lines[len(lines)/2:], "")
		cfg := Config{Dim: 32, Epochs: 5, Threads: 2, Seed: seed, KeepOutputs: true}
		ctx := context.Background()
		base, err := Train(ctx, strings.NewReader(first), cfg)
		if err != nil {
			t.Fatal(err)
		}
		cont, err := Continue(ctx, base, strings.NewReader(second), cfg)
		if err != nil {
			t.Fatal(err)
		}
		scratch, err := Train(ctx, strings.NewReader(all.String()), cfg)
		if err != nil {
			t.Fatal(err)
		}
		var oldItems, newItems []string
		for k := range cont.Len() {
			tok := cont.Token(k)
			if _, ok := j.Category(tok); !ok {
				continue
			}
			if _, ok := scratch.Vector(tok); !ok {
				continue
			}
			if k < base.Len() {
				oldItems = append(oldItems, tok)
			} else {
				newItems = append(newItems, tok)
			}
		}
		for i, m := range []*Model{base, cont, scratch} {
			old[i] = append(old[i], itemP10(t, j, m, oldItems))
			if i > 0 {
				added[i] = append(added[i], itemP10(t, j, m, newItems))
			}
			n := 0
			for k := range m.Len() {
				if _, ok := j.Category(m.Token(k)); ok {
					n++
				}
			}
			items[i] = append(items[i], float64(n))
		}
	}
	for i, name := range []string{"first half", "continued on the second half", "both halves from scratch"} {
		msg := ""
		if i > 0 {
			msg = ", P@10 of the added items " + meanCI(added[i])
		}
		t.Logf("%-30s items %s, P@10 of the first half's items %s%s", name, meanCI(items[i]), meanCI(old[i]), msg)
	}
	if mean(items[1]) <= mean(items[0]) {
		t.Errorf("continuing added no items: %.0f -> %.0f", mean(items[0]), mean(items[1]))
	}
	// More items compete for the top 10, so the first half's items lose
	// some precision in any model of both halves; continuing must not lose
	// more than training from scratch does, nor collapse.
	if mean(old[1]) < mean(old[2])-0.01 || mean(old[1]) < mean(old[0])-0.03 {
		t.Errorf("first half's items' P@10: %.3f continued, %.3f first half only, %.3f from scratch", mean(old[1]), mean(old[0]), mean(old[2]))
	}
	if mean(added[1]) < mean(added[2])-0.03 {
		t.Errorf("added items' P@10: %.3f continued, %.3f from scratch", mean(added[1]), mean(added[2]))
	}
}

// itemP10 is the mean fraction of the 10 nearest items of each token of
// toks that share its planted category.
func itemP10(t *testing.T, j *Journeys, m *Model, toks []string) float64 {
	t.Helper()
	qs := make([]Query, len(toks))
	for i, tok := range toks {
		qs[i] = Query{Token: tok, K: 10, Type: "item"}
	}
	res, err := m.SearchBatch(qs, 0)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for i, nb := range res {
		c, _ := j.Category(toks[i])
		for _, n := range nb {
			if cn, ok := j.Category(n.Token); ok && cn == c {
				sum += 0.1
			}
		}
	}
	return sum / float64(len(toks))
}
