package embeddings_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/craftkit/craftkit/embeddings"
)

// The README's embeddings snippet, run on synthetic sessions: train with
// every session extension, ask for similar items and for the shops of a
// search query, and save the normalised vectors.
func Example() {
	ctx := context.Background()
	j := embeddings.NewJourneys(embeddings.JourneyConfig{
		Sessions: 2000, Categories: 4, ItemsPerCategory: 20, ShopsPerCategory: 3, QueriesPerCategory: 3, Seed: 1,
	})
	var sessions bytes.Buffer
	if _, err := j.WriteTo(&sessions); err != nil {
		panic(err)
	}
	dir, err := os.MkdirTemp("", "embeddings-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.bin")

	m, err := embeddings.Train(ctx, &sessions, embeddings.Config{ // one session per line
		Weights:          embeddings.DefaultWeights(), // item:7@cart weighs 2, @purchase 4
		PurchaseContext:  true,                        // "| purchase=item:9" pulls every action of the session
		SkippedNegatives: true,                        // "| skipped=item:4,item:7" pushes them away
		Threads:          1, Seed: 1,                  // deterministic
	})
	if err != nil {
		panic(err)
	}
	similar, err := m.Nearest("item:42", 10)
	if err != nil {
		panic(err)
	}
	shops, err := m.Search(embeddings.Query{Token: "query:4", K: 3, Type: "shop"})
	if err != nil {
		panic(err)
	}
	err = m.Normalized().WriteBinaryFile(path) // word2vec format for gensim or a vector database, written atomically
	if err != nil {
		panic(err)
	}

	sameCategory := func(a, b string) bool {
		ca, _ := j.Category(a)
		cb, _ := j.Category(b)
		return ca == cb
	}
	n := 0
	for _, nb := range similar {
		if sameCategory("item:42", nb.Token) {
			n++
		}
	}
	fmt.Println("at least 8 of the 10 tokens nearest item:42 share its category:", n >= 8)
	fmt.Println("the 3 shops nearest query:4 share its category:",
		sameCategory("query:4", shops[0].Token) && sameCategory("query:4", shops[1].Token) && sameCategory("query:4", shops[2].Token))
	f, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	back, err := embeddings.ReadBinary(f)
	if err != nil {
		panic(err)
	}
	fmt.Println("saved", back.Len(), "vectors of", back.Dim(), "dimensions")
	// Output:
	// at least 8 of the 10 tokens nearest item:42 share its category: true
	// the 3 shops nearest query:4 share its category: true
	// saved 108 vectors of 100 dimensions
}

// Train on synthetic journeys with all session extensions and ask for the
// shops nearest to a shop.
func ExampleTrain() {
	j := embeddings.NewJourneys(embeddings.JourneyConfig{
		Sessions: 2000, Categories: 4, ItemsPerCategory: 20, ShopsPerCategory: 3, QueriesPerCategory: 3, Seed: 1,
	})
	var corpus bytes.Buffer
	if _, err := j.WriteTo(&corpus); err != nil {
		panic(err)
	}
	m, err := embeddings.Train(context.Background(), &corpus, embeddings.Config{
		Dim: 32, Epochs: 3, Threads: 1, Seed: 1,
		Weights:          embeddings.DefaultWeights(), // item:7@cart counts twice, @purchase four times
		PurchaseContext:  true,                        // | purchase=item:9
		SkippedNegatives: true,                        // | skipped=item:4,item:7
	})
	if err != nil {
		panic(err)
	}
	shops, err := m.Search(embeddings.Query{Token: "shop:0", K: 2, Type: "shop"})
	if err != nil {
		panic(err)
	}
	var names []string
	for _, n := range shops {
		names = append(names, n.Token)
	}
	slices.Sort(names)
	fmt.Println("shops like shop:0:", names)
	fmt.Println("item P@10 above 0.9:", j.PrecisionAtK(m, "item", 10) > 0.9)
	// Output:
	// shops like shop:0: [shop:1 shop:2]
	// item P@10 above 0.9: true
}

func ExampleModel_Nearest() {
	m, err := embeddings.ReadText(strings.NewReader(`4 2
item:1 1 0
item:2 0.8 0.6
shop:1 0.6 0.8
item:3 -1 0
`))
	if err != nil {
		panic(err)
	}
	nb, err := m.Nearest("item:1", 2)
	if err != nil {
		panic(err)
	}
	for _, n := range nb {
		fmt.Printf("%s %.2f\n", n.Token, n.Score)
	}
	// Output:
	// item:2 0.80
	// shop:1 0.60
}

func ExampleModel_Analogy() {
	m, err := embeddings.ReadText(strings.NewReader(`5 3
man 1 0 0
woman 1 1 0
king 1 0 1
queen 1 1 1
apple -1 0 0
`))
	if err != nil {
		panic(err)
	}
	nb, err := m.Analogy("man", "king", "woman", 1) // king − man + woman
	if err != nil {
		panic(err)
	}
	fmt.Println(nb[0].Token)
	// Output: queen
}

func ExampleModel_WriteText() {
	m, err := embeddings.Train(context.Background(),
		strings.NewReader("a b a b a b c\nb a b a c a\n"),
		embeddings.Config{Dim: 2, MinCount: 3, Threads: 1})
	if err != nil {
		panic(err)
	}
	var out bytes.Buffer
	if err := m.WriteText(&out); err != nil {
		panic(err)
	}
	header, _, _ := strings.Cut(out.String(), "\n")
	fmt.Println(header)
	back, err := embeddings.ReadText(&out)
	if err != nil {
		panic(err)
	}
	fmt.Println(back.Len(), back.Token(0), back.Token(1))
	// Output:
	// 2 2
	// 2 a b
}

func ExampleParseSession() {
	s, err := embeddings.ParseSession("query:boots item:4 item:9@cart item:5 | purchase=item:9,item:5 | skipped=item:2", embeddings.DefaultWeights())
	if err != nil {
		panic(err)
	}
	fmt.Printf("%q %q %q %q\n", s.Tokens, s.Markers, s.Purchases, s.Skipped)
	// Output: ["query:boots" "item:4" "item:9" "item:5"] ["" "" "cart" ""] ["item:9" "item:5"] ["item:2"]
}

func ExampleEvaluateAnalogies() {
	f, err := os.Open("testdata/questions-words.txt")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	m, err := embeddings.ReadText(strings.NewReader("4 2\nathens 1 0\ngreece 1 1\nbaghdad 0 -1\niraq 0 0\n"))
	if err != nil {
		panic(err)
	}
	res, err := embeddings.EvaluateAnalogies(m, f, 30000)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d of %d answered correctly, %d skipped\n", res.Correct, res.Total, res.Skipped)
	// Output: 3 of 3 answered correctly, 19541 skipped
}

func exampleModel() *embeddings.Model {
	m, err := embeddings.ReadText(strings.NewReader(`5 2
item:1 1 0
item:2 0.8 0.6
shop:1 0.6 0.8
shop:2 -0.6 0.8
query:boots 0.95 0.3
`))
	if err != nil {
		panic(err)
	}
	return m
}

// Find the shops closest to a search query.
func ExampleModel_Search() {
	m := exampleModel()
	shops, err := m.Search(embeddings.Query{Token: "query:boots", K: 1, Type: "shop"})
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s %.2f\n", shops[0].Token, shops[0].Score)
	// Output: shop:1 0.81
}

func ExampleModel_SearchBatch() {
	m := exampleModel()
	res, err := m.SearchBatch([]embeddings.Query{
		{Token: "item:1", K: 1},
		{Vector: []float32{0, 1}, K: 2, Type: "shop"},
	}, 0)
	if err != nil {
		panic(err)
	}
	for _, nb := range res {
		var line []string
		for _, n := range nb {
			line = append(line, fmt.Sprintf("%s %.2f", n.Token, n.Score))
		}
		fmt.Println(strings.Join(line, ", "))
	}
	// Output:
	// query:boots 0.95
	// shop:1 0.80, shop:2 0.80
}

func ExampleReadBinary() {
	var bin bytes.Buffer
	if err := exampleModel().Normalized().WriteBinary(&bin); err != nil {
		panic(err)
	}
	m, err := embeddings.ReadBinary(&bin)
	if err != nil {
		panic(err)
	}
	v, _ := m.Vector("query:boots")
	fmt.Printf("%d tokens, dim %d, query:boots %.3f\n", m.Len(), m.Dim(), v)
	// Output: 5 tokens, dim 2, query:boots [0.954 0.301]
}

func ExampleTrainFile() {
	f, err := os.CreateTemp("", "corpus-*.txt")
	if err != nil {
		panic(err)
	}
	defer os.Remove(f.Name())
	j := embeddings.NewJourneys(embeddings.JourneyConfig{Sessions: 500, Categories: 2, Seed: 1})
	if _, err := j.WritePlain(f); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
	m, err := embeddings.TrainFile(context.Background(), f.Name(), embeddings.Config{Dim: 16, Epochs: 1, Threads: 1, Seed: 1})
	if err != nil {
		panic(err)
	}
	types := m.Types()
	slices.Sort(types)
	fmt.Println(m.Dim(), m.Len() > 0, types)
	// Output: 16 true [cat item query shop]
}

// MinAlpha sets the learning rate reached at the end of training; the
// zero value means Alpha/(2·Epochs), and a negative value selects
// word2vec's schedule, which decays toward 0.
func ExampleConfig_minAlpha() {
	j := embeddings.NewJourneys(embeddings.JourneyConfig{Sessions: 500, Categories: 4, Seed: 1})
	var corpus bytes.Buffer
	if _, err := j.WritePlain(&corpus); err != nil {
		panic(err)
	}
	for _, c := range []struct {
		epochs   int
		minAlpha float64
	}{{1, -1}, {1, 0}, {5, 0}, {1, 0.005}} {
		var first, last embeddings.Progress
		_, err := embeddings.Train(context.Background(), bytes.NewReader(corpus.Bytes()), embeddings.Config{
			Dim: 16, Epochs: c.epochs, Threads: 1, Alpha: 0.025, MinAlpha: c.minAlpha,
			Progress: func(p embeddings.Progress) {
				if p.Tokens == 0 {
					first = p
				}
				last = p
			},
		})
		if err != nil {
			panic(err)
		}
		fmt.Printf("Epochs %d, MinAlpha %g: alpha %.4f -> %.4f\n", c.epochs, c.minAlpha, first.Alpha, last.Alpha)
	}
	// Output:
	// Epochs 1, MinAlpha -1: alpha 0.0250 -> 0.0000
	// Epochs 1, MinAlpha 0: alpha 0.0250 -> 0.0125
	// Epochs 5, MinAlpha 0: alpha 0.0250 -> 0.0025
	// Epochs 1, MinAlpha 0.005: alpha 0.0250 -> 0.0050
}

func ExampleQueryToken() {
	tok := embeddings.QueryToken("orologio da polso")
	fmt.Println(tok)
	s, err := embeddings.ParseSession(tok+" item:7 | purchase=item:7", nil)
	if err != nil {
		panic(err)
	}
	text, _ := embeddings.QueryText(s.Tokens[0])
	fmt.Printf("%q\n", text)
	fmt.Println(embeddings.QueryToken("t_shirt | 50% off"))
	// Output:
	// query:orologio_da_polso
	// "orologio da polso"
	// query:t%5Fshirt_%7C_50%25_off
}

func ExampleConfig_plainText() {
	corpus := strings.Repeat("rock | pop => jazz , blues\n", 20)
	m, err := embeddings.Train(context.Background(), strings.NewReader(corpus),
		embeddings.Config{PlainText: true, Dim: 8, MinCount: 1, Threads: 1, Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Len(), m.Count("|"), m.Count("=>"))
	// Output: 7 20 20
}

// Sessions that view items 1 to 4 end with two purchases; IN–OUT
// similarity of a viewed item ranks the purchased items first.
func ExampleModel_NearestOut() {
	var corpus strings.Builder
	for range 200 {
		corpus.WriteString("item:1 item:2 item:3 item:4 | purchase=item:9,item:12\n")
		corpus.WriteString("item:20 item:9 item:21\nitem:30 item:12 item:31\nitem:40 item:50 item:41\n")
	}
	m, err := embeddings.Train(context.Background(), strings.NewReader(corpus.String()), embeddings.Config{
		Dim: 16, MinCount: 1, Threads: 1, Seed: 1,
		PurchaseContext: true, KeepOutputs: true,
	})
	if err != nil {
		panic(err)
	}
	leads, err := m.NearestOut("item:1", 2)
	if err != nil {
		panic(err)
	}
	top := []string{leads[0].Token, leads[1].Token}
	slices.Sort(top)
	fmt.Println(top)

	// The output vectors are written like the input vectors.
	var out bytes.Buffer
	if err := m.Outputs().WriteText(&out); err != nil {
		panic(err)
	}
	header, _, _ := strings.Cut(out.String(), "\n")
	fmt.Println(header)
	// Output:
	// [item:12 item:9]
	// 13 16
}

// Per-action skips: a click written "item:7[skipped=item:4,item:5]" teaches
// the query before it to rank the click above the results skipped for it.
// ClickedOverSkipped measures that on held-out searches with a planted
// preference.
func ExampleJourneys_ClickedOverSkipped() {
	jc := embeddings.JourneyConfig{Sessions: 3000, Categories: 5, ItemsPerCategory: 60, SearchSkips: 2, Skipped: -1, Seed: 7}
	var corpus bytes.Buffer
	if _, err := embeddings.NewJourneys(jc).WriteTo(&corpus); err != nil {
		panic(err)
	}
	jc.Seed = 8 // held-out searches
	held := embeddings.NewJourneys(jc)
	for _, skips := range []bool{false, true} {
		m, err := embeddings.Train(context.Background(), bytes.NewReader(corpus.Bytes()), embeddings.Config{
			Dim: 16, Epochs: 3, Threads: 1, MinCount: 2, Seed: 7, SkippedNegatives: skips,
		})
		if err != nil {
			panic(err)
		}
		frac, _ := held.ClickedOverSkipped(m)
		fmt.Printf("skips %v: clicked above skipped more than 60 %% of the time: %v\n", skips, frac > 0.6)
	}
	// Output:
	// skips false: clicked above skipped more than 60 % of the time: false
	// skips true: clicked above skipped more than 60 % of the time: true
}

// Purchase context: with planted funnels (a session's purchase depends on
// the item it entered by), the purchase context ranks the bought item
// among the 10 first by IN–OUT far more often on held-out sessions.
func ExampleJourneys_PurchaseHits() {
	jc := embeddings.JourneyConfig{Sessions: 3000, Categories: 5, ItemsPerCategory: 60, Funnels: true, PurchaseRate: 0.5, Skipped: -1, Seed: 7}
	var corpus bytes.Buffer
	if _, err := embeddings.NewJourneys(jc).WriteTo(&corpus); err != nil {
		panic(err)
	}
	jc.Seed = 8 // held-out sessions
	held := embeddings.NewJourneys(jc)
	var hits [2]float64
	for i, purchase := range []bool{false, true} {
		m, err := embeddings.Train(context.Background(), bytes.NewReader(corpus.Bytes()), embeddings.Config{
			Dim: 16, Epochs: 3, Threads: 1, MinCount: 2, Seed: 7, KeepOutputs: true, PurchaseContext: purchase,
		})
		if err != nil {
			panic(err)
		}
		hits[i], _ = held.PurchaseHits(m, 10)
	}
	fmt.Printf("purchase context at least doubles hit@10: %v\n", hits[1] >= 2*hits[0])
	// Output:
	// purchase context at least doubles hit@10: true
}
