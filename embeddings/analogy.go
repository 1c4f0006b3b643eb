package embeddings

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Bounds of EvaluateAnalogies.
const (
	analogyBatch       = 1024    // questions answered at once
	maxAnalogyLine     = 1 << 20 // bytes
	maxAnalogySections = 100000
)

// AnalogySection is the score of one ": section" of an analogy file. It
// is a plain value, safe for concurrent reads.
type AnalogySection struct {
	// Name is the section name without the leading ": ".
	Name string
	// Correct and Total count answered questions.
	Correct, Total int
}

// AnalogyResult is the outcome of [EvaluateAnalogies]. It is a plain
// value, safe for concurrent reads.
type AnalogyResult struct {
	// Correct is the number of questions whose top answer was right.
	Correct int
	// Total is the number of questions whose four words were in the
	// restricted vocabulary.
	Total int
	// Skipped is the number of questions with a word outside it.
	Skipped int
	// Sections holds per-section scores in file order.
	Sections []AnalogySection
}

// Accuracy returns Correct/Total, or 0 when no question was answered.
func (r AnalogyResult) Accuracy() float64 {
	if r.Total == 0 {
		return 0
	}
	return float64(r.Correct) / float64(r.Total)
}

// EvaluateAnalogies scores the model on an analogy file in the format of
// word2vec's questions-words.txt (": section" lines, then "a b c d"
// questions: a is to b as c is to d). It follows word2vec's
// compute-accuracy and gensim's evaluate_word_analogies: only the restrict
// most frequent tokens are candidates (all when restrict <= 0), words are
// compared case-insensitively with the more frequent token winning,
// questions with a word outside the restricted vocabulary are skipped, and
// the answer is the 3CosAdd nearest token to b − a + c other than a, b
// and c. Queries run on all cores, 1024 at a time, so memory stays
// bounded (about 1024·(Dim·4 + 100) bytes) whatever the file's length;
// lines are at most 1 MiB and sections at most 100,000.
func EvaluateAnalogies(m *Model, r io.Reader, restrict int) (AnalogyResult, error) {
	n := m.Len()
	if restrict > 0 && restrict < n {
		n = restrict
	}
	upper := make(map[string]int, n)
	for i := n - 1; i >= 0; i-- {
		upper[strings.ToUpper(m.Token(i))] = i
	}
	var res AnalogyResult
	var qs []Query
	var want []string
	var sec []int
	// Questions are answered in batches, so that memory stays bounded
	// whatever the file's length.
	flush := func() error {
		out, err := m.SearchBatch(qs, 0)
		if err != nil {
			return err
		}
		for i, nb := range out {
			s := &res.Sections[sec[i]]
			s.Total++
			res.Total++
			if len(nb) > 0 && strings.ToUpper(nb[0].Token) == want[i] {
				s.Correct++
				res.Correct++
			}
		}
		qs, want, sec = qs[:0], want[:0], sec[:0]
		return nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), maxAnalogyLine)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if name, ok := strings.CutPrefix(line, ":"); ok {
			if len(res.Sections) >= maxAnalogySections {
				return res, fmt.Errorf("embeddings: analogy file: more than %d sections", maxAnalogySections)
			}
			res.Sections = append(res.Sections, AnalogySection{Name: strings.TrimSpace(name)})
			continue
		}
		f := strings.Fields(strings.ToUpper(line))
		if len(f) != 4 {
			continue
		}
		var idx [4]int
		ok := true
		for k, w := range f {
			if idx[k], ok = upper[w]; !ok {
				break
			}
		}
		if !ok {
			res.Skipped++
			continue
		}
		q, err := m.analogyQuery(m.Token(idx[0]), m.Token(idx[1]), m.Token(idx[2]))
		if err != nil {
			return res, err
		}
		q.K, q.Limit = 1, n
		qs = append(qs, q)
		want = append(want, f[3])
		if len(res.Sections) == 0 {
			res.Sections = append(res.Sections, AnalogySection{})
		}
		sec = append(sec, len(res.Sections)-1)
		if len(qs) == analogyBatch {
			if err := flush(); err != nil {
				return res, err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return res, fmt.Errorf("embeddings: analogy file: %w", err)
	}
	if err := flush(); err != nil {
		return res, err
	}
	return res, nil
}
