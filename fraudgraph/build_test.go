package fraudgraph_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/craftkit/craftkit/fraudgraph"
	"github.com/craftkit/craftkit/fraudgraph/gen"
)

// TestAddFingerprints checks that a batch add builds the same graph,
// snapshot byte for byte, and reports the same errors as adding the
// presentations one by one, across blocks and with presentations that
// take the slow path: unknown accounts, a kind first seen mid-batch,
// empty values and kinds, repeats.
func TestAddFingerprints(t *testing.T) {
	d := gen.Generate(gen.Config{Accounts: 50_000, Seed: 3})
	n := d.Accounts()
	rng := rand.New(rand.NewPCG(3, 4))
	var ps []fraudgraph.Presentation
	for i := range d.FPAccount {
		ps = append(ps, fraudgraph.Presentation{Account: uint64(d.FPAccount[i]), Kind: gen.KindName(d.FPKind[i]), Value: d.Value(i)})
		switch rng.IntN(2000) {
		case 0:
			ps = append(ps, fraudgraph.Presentation{Account: uint64(n + 1 + rng.IntN(50)), Kind: "card", Value: d.Value(i)})
		case 1:
			ps = append(ps, fraudgraph.Presentation{Account: uint64(rng.IntN(n) + 1), Kind: "email", Value: fmt.Sprint(rng.IntN(40))})
		case 2:
			ps = append(ps, fraudgraph.Presentation{Account: uint64(rng.IntN(n) + 1), Kind: "card"})
		case 3:
			ps = append(ps, fraudgraph.Presentation{Account: uint64(rng.IntN(n) + 1), Value: "x"})
		case 4:
			ps = append(ps, ps[rng.IntN(len(ps))])
		}
	}
	if len(ps) < 2<<16 {
		t.Fatalf("%d presentations, want more than two batch blocks", len(ps))
	}
	build := func(batch bool) ([]byte, string) {
		b := fraudgraph.NewBuilder(fraudgraph.Config{})
		for i := range n {
			b.AddAccount(uint64(i+1), time.Unix(int64(d.Joined[i]), 0))
		}
		for i, inv := range d.Inviter {
			if inv != 0 {
				b.AddInvite(uint64(inv), uint64(i+1), time.Unix(int64(d.Joined[i]), 0))
			}
		}
		if batch {
			b.AddFingerprints(ps[:1000])
			b.AddFingerprints(nil)
			b.AddFingerprints(ps[1000:])
		} else {
			for _, p := range ps {
				b.AddFingerprint(p.Account, p.Kind, p.Value)
			}
		}
		g, err := b.Graph()
		var buf bytes.Buffer
		if _, err := g.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes(), fmt.Sprint(err)
	}
	one, oneErr := build(false)
	batch, batchErr := build(true)
	if oneErr == "<nil>" {
		t.Fatal("no presentation was refused; the test lost its bad inputs")
	}
	if batchErr != oneErr {
		t.Errorf("AddFingerprints error:\n%s\nwant (one by one):\n%s", batchErr, oneErr)
	}
	if !bytes.Equal(one, batch) {
		t.Errorf("AddFingerprints built a different graph: snapshot of %d bytes, one by one %d", len(batch), len(one))
	}
}

func ExampleBuilder_AddFingerprints() {
	b := fraudgraph.NewBuilder(fraudgraph.Config{})
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for id := uint64(1); id <= 3; id++ {
		b.AddAccount(id, at) // known accounts keep the whole batch parallel
	}
	b.AddFingerprints([]fraudgraph.Presentation{
		{Account: 1, Kind: "card", Value: "4111 1111 1111 1111"},
		{Account: 2, Kind: "card", Value: "4111 1111 1111 1111"},
		{Account: 3, Kind: "device", Value: "a3f9"},
		{Account: 3, Kind: "device", Value: ""}, // refused, reported by Graph
	})
	g, err := b.Graph()
	fmt.Println(err)
	rel, _ := g.Related(1, fraudgraph.Query{})
	fmt.Println(rel)
	// Output:
	// fraudgraph: empty fingerprint kind or value: account 3 kind "device"
	// [{2 1 card}]
}
