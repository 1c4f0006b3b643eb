package address

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGeneratedDataCurrent regenerates the embedded tables from data/ and
// checks that the committed files are identical.
func TestGeneratedDataCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	out := t.TempDir()
	cmd := exec.Command(gobin, "run", "gen.go", "-out", out, ".")
	cmd.Dir = "data"
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", b)
	for _, pair := range [][2]string{
		{filepath.Join(out, "regions_gen.go"), "regions_gen.go"},
		{filepath.Join(out, "countrynames_gen.go"), "countrynames_gen.go"},
	} {
		got, err := os.ReadFile(pair[1])
		require.NoError(t, err)
		want, err := os.ReadFile(pair[0])
		require.NoError(t, err)
		assert.True(t, bytes.Equal(got, want), "%s is stale: run go generate", pair[1])
	}
}

func TestEmbeddedSize(t *testing.T) {
	// The generated sources bound the embedded data: every byte of string
	// data appears in them once (quoted).
	regions, err := os.ReadFile("regions_gen.go")
	require.NoError(t, err)
	names, err := os.ReadFile("countrynames_gen.go")
	require.NoError(t, err)
	var data int
	for _, kn := range embeddedNodes {
		n := kn.n
		data += len(kn.key)
		for _, s := range []string{n.Fmt, n.Lfmt, n.Require, n.Upper, n.Name, n.Lname, n.Key, n.Isoid, n.Lang, n.Languages,
			n.Postprefix, n.Posturl, n.Zip, n.Zipex, n.StateType, n.LocalityType, n.SublocalType, n.ZipType,
			n.SubKeys, n.SubNames, n.SubLnames, n.SubIsoids, n.SubZips, n.SubZipexs, n.WidthOverrides, n.ZipFirst} {
			data += len(s)
		}
	}
	for _, row := range countryNames {
		for _, s := range row.names {
			data += len(s)
		}
	}
	t.Logf("generated sources: regions %d bytes, country names %d bytes; string data %d bytes", len(regions), len(names), data)
	assert.LessOrEqual(t, len(regions)+len(names), 500<<10)
}

func TestDefaultRules(t *testing.T) {
	rs := Default()
	assert.Len(t, rs.Regions(), 252)
	assert.True(t, rs.Has("us"))
	assert.False(t, rs.Has("QZ"))
	assert.Same(t, rs, Default())
	var subs int
	for _, c := range rs.Regions() {
		subs += len(rs.lookup(c).subs)
	}
	assert.Equal(t, 1382, subs)
}

// allJSON reads the 2023 source snapshot copied in data/.
func allJSON(t testing.TB) map[string]map[string]any {
	t.Helper()
	b, err := os.ReadFile("data/all.json")
	require.NoError(t, err)
	var m map[string]map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

type postalExample struct {
	country, state, code string
	zip, subZip          string // country pattern, subdivision prefix pattern
}

// postalExamples lists Google's country-level and subdivision-level
// postal-code examples.
func postalExamples(t testing.TB) (country, sub []postalExample) {
	m := allJSON(t)
	for k, n := range m {
		zipex, _ := n["zipex"].(string)
		if zipex == "" || strings.Contains(k, "--") {
			continue
		}
		parts := strings.Split(k, "/")
		switch len(parts) {
		case 1:
			zip, _ := m[k]["zip"].(string)
			for _, ex := range strings.Split(zipex, ",") {
				country = append(country, postalExample{country: k, code: ex, zip: zip})
			}
		case 2:
			zip, _ := m[parts[0]]["zip"].(string)
			subZip, _ := n["zip"].(string)
			for _, ex := range strings.Split(zipex, ",") {
				sub = append(sub, postalExample{country: parts[0], state: parts[1], code: ex, zip: zip, subZip: subZip})
			}
		}
	}
	return country, sub
}

func postalProblems(err error) []Problem {
	var ps []Problem
	if ve, ok := err.(*ValidationError); ok {
		for _, p := range ve.Problems {
			if p.Field == PostalCode || p.Field == State && p.Kind == UnknownValue {
				ps = append(ps, p)
			}
		}
	}
	return ps
}

func TestPostalExamplesAccepted(t *testing.T) {
	country, sub := postalExamples(t)
	assert.Len(t, country, 432)
	assert.Len(t, sub, 599)
	for _, ex := range append(country, sub...) {
		err := Validate(Address{Country: ex.country, State: ex.state, PostalCode: ex.code})
		assert.Empty(t, postalProblems(err), "Validate(%s %s %q)", ex.country, ex.state, ex.code)
	}
}

// mutations returns the example with one character dropped, one added,
// and one letter turned into a digit or a digit into a letter.
func mutations(s string) []string {
	var out []string
	for i := range len(s) {
		out = append(out, s[:i]+s[i+1:])
	}
	for i := 0; i <= len(s); i++ {
		out = append(out, s[:i]+"7"+s[i:], s[:i]+"K"+s[i:])
	}
	for i := range len(s) {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			out = append(out, s[:i]+"Q"+s[i+1:])
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
			out = append(out, s[:i]+"4"+s[i+1:])
		}
	}
	return out
}

// TestPostalMutations checks every mutated example against a naive
// reference (the Google pattern compiled on its own, anchored at both
// ends; the subdivision pattern anchored at the start). A mutation the
// pattern still allows (dropping a digit of "\d{4,5}") must be accepted;
// every other one must be rejected.
func TestPostalMutations(t *testing.T) {
	country, sub := postalExamples(t)
	var total, rejected int
	for _, ex := range append(country, sub...) {
		if ex.zip == "" {
			continue
		}
		full := regexp.MustCompile("^(?:" + ex.zip + ")$")
		var prefix *regexp.Regexp
		if ex.subZip != "" {
			prefix = regexp.MustCompile("^(?:" + ex.subZip + ")")
		}
		for _, m := range mutations(ex.code) {
			if m == ex.code {
				continue
			}
			want := full.MatchString(m) && (prefix == nil || prefix.MatchString(m))
			got := len(postalProblems(Validate(Address{Country: ex.country, State: ex.state, PostalCode: m}))) == 0
			total++
			if !got {
				rejected++
			}
			if got != want {
				t.Errorf("Validate(%s %s %q) accepted=%v, want %v", ex.country, ex.state, m, got, want)
			}
		}
	}
	t.Logf("%d mutations, %d rejected (%.1f%%), the rest are valid codes by the pattern", total, rejected, 100*float64(rejected)/float64(total))
}

// TestPostalPatternsCompile checks every embedded postal pattern: a pattern
// Go cannot compile would silently disable its check (lazyRegexp.get
// returns nil).
func TestPostalPatternsCompile(t *testing.T) {
	rs := Default()
	for _, c := range rs.Regions() {
		r := rs.lookup(c)
		if r.zip != "" && r.zipRE.get() == nil {
			t.Errorf("%s: postal pattern %q does not compile", c, r.zip)
		}
		for i := range r.subs {
			if s := &r.subs[i]; s.zip != "" && s.zipRE.get() == nil {
				t.Errorf("%s/%s: postal prefix %q does not compile", c, s.key, s.zip)
			}
		}
	}
}
