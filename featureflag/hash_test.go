package featureflag

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// hashInputs are the (key, id) pairs pinned by testdata/hash_vectors.txt.
var hashInputs = [][2]string{
	{"", ""}, {"a", ""}, {"", "1"}, {"checkout", "1"}, {"checkout", "2"},
	{"checkout", "12345"}, {"checkout", "4294967295"}, {"new_search", "alice"},
	{"new_search", "bob"}, {"new_search", "visitor-9f3a"}, {"hsts_max_age", "42"},
	{"ünïcode", "用户"}, {"salt-2026", "123456789"}, {"a-b", "c"}, {"a", "b-c"},
}

func TestHashGolden(t *testing.T) {
	const file = "testdata/hash_vectors.txt"
	var b strings.Builder
	b.WriteString("# key<TAB>id<TAB>53-bit position (decimal); Bucket = position / 2^53\n")
	for _, in := range hashInputs {
		fmt.Fprintf(&b, "%q\t%q\t%d\n", in[0], in[1], position(keyState(in[0]), in[1]))
	}
	if *update {
		if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		parts := strings.Split(sc.Text(), "\t")
		key, _ := strconv.Unquote(parts[0])
		id, _ := strconv.Unquote(parts[1])
		want, _ := strconv.ParseUint(parts[2], 10, 64)
		if got := position(keyState(key), id); got != want {
			t.Errorf("position(%q, %q) = %d, want %d (the bucketing hash is frozen)", key, id, got, want)
		}
		if got, w := Bucket(key, id), float64(want)/float64(posScale); got != w {
			t.Errorf("Bucket(%q, %q) = %v, want %v", key, id, got, w)
		}
		n++
	}
	if n != len(hashInputs) {
		t.Errorf("%d vectors in %s, want %d", n, file, len(hashInputs))
	}
}

// TestHashReference checks the streaming implementation against a
// straightforward one written from the documented spec.
func TestHashReference(t *testing.T) {
	ref := func(key, id string) uint64 {
		h := uint64(14695981039346656037)
		for _, c := range []byte(key + "-" + id) {
			h = (h ^ uint64(c)) * 1099511628211
		}
		h ^= h >> 33
		h *= 0xff51afd7ed558ccd
		h ^= h >> 33
		h *= 0xc4ceb9fe1a85ec53
		h ^= h >> 33
		return h >> 11
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		key := strconv.FormatUint(r.Uint64(), 36)[:r.IntN(8)+1]
		id := strconv.FormatUint(r.Uint64(), 10)
		if got, want := position(keyState(key), id), ref(key, id); got != want {
			t.Fatalf("position(%q, %q) = %d, want %d", key, id, got, want)
		}
	}
}

func TestAnchor(t *testing.T) {
	want := []float64{0, 0.5, 0.25, 0.75, 0.125, 0.625, 0.375, 0.875}
	for i, w := range want {
		if got := float64(anchor(i)) / float64(posScale); got != w {
			t.Errorf("anchor(%d) = %v, want %v", i, got, w)
		}
	}
}
