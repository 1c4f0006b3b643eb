package embeddings

import (
	"bufio"
	"io"
	"strings"
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
// and c. Queries run on all cores.
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
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if name, ok := strings.CutPrefix(line, ":"); ok {
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
	}
	if err := sc.Err(); err != nil {
		return res, err
	}
	out, err := m.SearchBatch(qs, 0)
	if err != nil {
		return res, err
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
	return res, nil
}
