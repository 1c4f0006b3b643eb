package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"time"
)

// w2vProgress matches the progress records word2vec C prints (debug 2):
// "\rAlpha: 0.024 Progress: 1.23% Words/thread/sec: 81.2k". Progress is
// words processed over iter·train_words; Words/thread/sec is words over
// the process CPU time since training started (clock() counts every
// thread), so it is words per CPU-second despite its name.
var (
	w2vProgress = regexp.MustCompile(`Alpha: ([0-9.]+)\s+Progress: ([0-9.]+)%\s+Words/thread/sec: ([0-9.]+)k`)
	w2vWords    = regexp.MustCompile(`Words in train file: ([0-9]+)`)
	w2vVocab    = regexp.MustCompile(`Vocab size: ([0-9]+)`)
)

// w2vlog reads word2vec C's standard output from stdin as it runs,
// timestamps its progress records and prints its training throughput in
// the same tokens as embbench train and gensim_train.py: kept corpus
// tokens (vocabulary counts) before subsampling, without the "</s>" token
// word2vec counts once per line. The training wall time is taken between
// the first and the last progress record (so the vocabulary pass, the
// 400 MB noise table fill and writing the vectors are excluded, as the
// other tools' train figures exclude reading); CPU per token comes from
// word2vec's own words per CPU-second.
func w2vlog(args []string) error {
	fs := flag.NewFlagSet("w2vlog", flag.ExitOnError)
	corpus := fs.String("corpus", "", "the corpus word2vec trained on (to count its lines)")
	epochs := fs.Int("epochs", 1, "word2vec -iter")
	fs.Parse(args)
	type rec struct {
		t        time.Time
		progress float64
		kcpu     float64
	}
	var first, last rec
	var n int
	var buf []byte
	var bufTime time.Time // when buf's first byte arrived
	var trainWords, vocab int64
	start := time.Now()
	br := bufio.NewReader(os.Stdin)
	chunk := make([]byte, 4096)
	for {
		k, err := br.Read(chunk)
		now := time.Now()
		if len(buf) == 0 {
			bufTime = now
		}
		buf = append(buf, chunk[:k]...)
		for {
			// A record is complete once the next one (or a newline) has begun;
			// it is timed by the read that brought its first byte.
			end := bytes.IndexAny(buf[1:], "\r\n")
			if end < 0 {
				break
			}
			line, t := buf[:end+1], bufTime
			buf, bufTime = buf[end+1:], now // the delimiter arrived now
			if m := w2vProgress.FindSubmatch(line); m != nil {
				p, _ := strconv.ParseFloat(string(m[2]), 64)
				c, _ := strconv.ParseFloat(string(m[3]), 64)
				r := rec{t, p, c}
				if n == 0 {
					first = r
				}
				last = r
				n++
			}
			if m := w2vWords.FindSubmatch(line); m != nil {
				trainWords, _ = strconv.ParseInt(string(m[1]), 10, 64)
			}
			if m := w2vVocab.FindSubmatch(line); m != nil {
				vocab, _ = strconv.ParseInt(string(m[1]), 10, 64)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	if m := w2vProgress.FindSubmatch(buf); m != nil { // the last record has no terminator
		p, _ := strconv.ParseFloat(string(m[2]), 64)
		c, _ := strconv.ParseFloat(string(m[3]), 64)
		last = rec{bufTime, p, c}
		n++
	}
	total := time.Since(start)
	if n < 2 || trainWords == 0 {
		return fmt.Errorf("w2vlog: %d progress records, train words %d: run word2vec with -debug 2", n, trainWords)
	}
	lines, err := countLines(*corpus)
	if err != nil {
		return err
	}
	kept := trainWords - lines // word2vec counts "</s>" once per newline
	perWord := float64(kept) / float64(trainWords)
	words := (last.progress - first.progress) / 100 * float64(int64(*epochs)*trainWords+1)
	wall := last.t.Sub(first.t).Seconds()
	fmt.Printf("word2vec vocab=%d tokens=%d (train words %d incl. %d </s>) train≈%.2fs (records %.2f%%..%.2f%%, %d records) tokens/s(train wall)=%.0f tokens/cpu-s=%.0f (its words/cpu-s %.0f) run wall to EOF=%.2fs\n",
		vocab-1, kept*int64(*epochs), trainWords, lines, wall/((last.progress-first.progress)/100),
		first.progress, last.progress, n, words*perWord/wall, last.kcpu*1000*perWord, last.kcpu*1000, total.Seconds())
	return nil
}

func countLines(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var n int64
	b := make([]byte, 1<<20)
	for {
		k, err := f.Read(b)
		n += int64(bytes.Count(b[:k], []byte{'\n'}))
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return 0, err
		}
	}
}
