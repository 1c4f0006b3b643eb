package embeddings_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/craftkit/craftkit/embeddings"
)

// Train on last week's sessions, save a checkpoint (vectors, output
// vectors and counts), then continue on this week's sessions, which
// introduce item:new, always viewed with item:b1 and other items of the
// b group.
func ExampleContinue() {
	ctx := context.Background()
	week := func(sessions []string, n int) string {
		return strings.Repeat(strings.Join(sessions, "\n")+"\n", n)
	}
	old := week([]string{"item:a1 item:a2 item:a3 item:a4", "item:b1 item:b2 item:b3 item:b4", "item:a4 item:a3 item:a2 item:a1", "item:b4 item:b3 item:b2 item:b1"}, 100)
	cfg := embeddings.Config{Dim: 8, MinCount: 5, KeepOutputs: true, Threads: 1, Seed: 1}
	m, err := embeddings.Train(ctx, strings.NewReader(old), cfg)
	if err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "embeddings-continue")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.ckpt")
	if err := m.WriteCheckpointFile(path); err != nil { // atomic, checksummed
		panic(err)
	}

	saved, err := embeddings.ReadCheckpointFile(path)
	if err != nil {
		panic(err)
	}
	next := week([]string{"item:b1 item:new item:b2", "item:a1 item:a2 item:a3", "item:b3 item:b1 item:new"}, 30)
	m2, err := embeddings.Continue(ctx, saved, strings.NewReader(next), cfg)
	if err != nil {
		panic(err)
	}
	fmt.Println("tokens:", saved.Len(), "->", m2.Len())
	fmt.Println("count of item:b1:", saved.Count("item:b1"), "->", m2.Count("item:b1"))
	ns, err := m2.Nearest("item:new", 2)
	if err != nil {
		panic(err)
	}
	fmt.Println("nearest to item:new:", ns[0].Token, ns[1].Token) // the b group it is viewed with
	// Output:
	// tokens: 8 -> 9
	// count of item:b1: 200 -> 260
	// nearest to item:new: item:b4 item:b1
}
