package address

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// allocPerByte returns the bytes f allocates per byte of an input of n
// bytes (total allocations, garbage included).
func allocPerByte(n int, f func()) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
}

// TestParseTemplateAllocBound checks the documented bound of ParseTemplate
// (at most 64 bytes allocated per byte of template) on the shapes that
// allocate most: a new line every two bytes, tiny literals that escape to
// five times their size, named tokens, and the longest template allowed.
func TestParseTemplateAllocBound(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation bounds are checked without the race detector")
	}
	shapes := map[string]string{
		"new lines":          strings.Repeat("%n", MaxTemplateSize/2),
		"escaped new lines":  strings.Repeat(`\n`, MaxTemplateSize/2),
		"escaping literals":  strings.Repeat("'%N", MaxTemplateSize/3),
		"named tokens":       strings.Repeat("%zip", MaxTemplateSize/4),
		"percent signs":      strings.Repeat("%%", MaxTemplateSize/2),
		"one long literal":   strings.Repeat("<&>", MaxTemplateSize/3),
		"literal and fields": strings.Repeat("a%Cb%S", MaxTemplateSize/6),
	}
	for name, s := range shapes {
		t.Run(name, func(t *testing.T) {
			if len(s) > MaxTemplateSize {
				t.Fatalf("shape of %d bytes", len(s))
			}
			var err error
			r := allocPerByte(len(s), func() { _, err = ParseTemplate(s) })
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %.1f bytes per byte", name, r)
			if r > 64 {
				t.Errorf("ParseTemplate(%s, %d bytes) allocated %.1f bytes per byte, want at most 64", name, len(s), r)
			}
		})
	}
	_, err := ParseTemplate(strings.Repeat("a", MaxTemplateSize+1))
	if err == nil {
		t.Errorf("ParseTemplate of %d bytes: no error, want one", MaxTemplateSize+1)
	}
}

// TestParseRulesAllocBound checks ParseRules' documented bound, 512 bytes
// allocated per byte of input, on many small nodes, long subdivision
// lists and the largest postal patterns allowed.
func TestParseRulesAllocBound(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation bounds are checked without the race detector")
	}
	var lines, subs, zips strings.Builder
	for i := range 26 * 26 {
		fmt.Fprintf(&lines, "data/%c%c={\"fmt\":\"%%N%%n%%A%%n%%C\",\"zip\":\"\\\\d{5}\"}\n", 'A'+i/26%26, 'A'+i%26)
	}
	keys := make([]string, 5000)
	szips := make([]string, 5000)
	for i := range keys {
		keys[i] = fmt.Sprint("K", i)
		szips[i] = fmt.Sprint(i % 100)
	}
	fmt.Fprintf(&subs, `data/US={"sub_keys":"%s","sub_zips":"%s"}`, strings.Join(keys, "~"), strings.Join(szips, "~"))
	for i := range 300 {
		fmt.Fprintf(&zips, "data/%c%c={\"zip\":\"\\\\d{15}\"}\n", 'A'+i/26%26, 'A'+i%26)
	}
	short := make([]string, 20000)
	for i := range short {
		short[i] = string(rune('a' + i%26))
	}
	oneLetter := `data/US={"sub_keys":"` + strings.Join(short, "~") + `","sub_zips":"` + strings.Join(short, "~") + `"}`
	for name, data := range map[string]string{"many nodes": lines.String(), "long lists": subs.String(),
		"large patterns": zips.String(), "one-letter keys and patterns": oneLetter} {
		t.Run(name, func(t *testing.T) {
			var err error
			r := allocPerByte(len(data), func() { _, err = ParseRules(strings.NewReader(data)) })
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s (%d bytes): %.1f bytes per byte, err %v", name, len(data), r, err)
			if r > 512 {
				t.Errorf("ParseRules(%s) allocated %.1f bytes per byte, want at most 512", name, r)
			}
		})
	}
}
