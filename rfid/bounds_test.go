package rfid

import (
	"runtime"
	"strings"
	"testing"
	"time"
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

// TestReadCaptureAllocBound checks the documented bound of ReadCapture,
// 8 bytes allocated per byte of capture, on the shortest event lines,
// the longest allowed line, comments and blank lines.
func TestReadCaptureAllocBound(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation bounds are checked without the race detector")
	}
	shapes := map[string]string{
		"shortest events":      strings.Repeat("0 0 f\n", 200000),
		"shortest events, odd": strings.Repeat("0 0 f\n", 333333),
		"with sequence":        strings.Repeat("1 D1 rise 4294967295\n", 50000),
		"long lines":           strings.Repeat("0 0 f"+strings.Repeat(" ", maxCaptureLine-7)+"\n", 1000),
		"comments":             strings.Repeat("#\n", 500000),
		"blank lines":          strings.Repeat("\n", 1000000),
	}
	for name, s := range shapes {
		t.Run(name, func(t *testing.T) {
			var err error
			r := allocPerByte(len(s), func() { _, err = ReadCapture(strings.NewReader(s)) })
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %.1f bytes per byte", name, r)
			if r > 8 {
				t.Errorf("ReadCapture(%s, %d bytes) allocated %.1f bytes per byte, want at most 8", name, len(s), r)
			}
		})
	}
}

// TestDecoderEdgeBound feeds a million edges of every kind: the decoder
// keeps constant state and never allocates.
func TestDecoderEdgeBound(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation bounds are checked without the race detector")
	}
	for _, both := range []bool{false, true} {
		d, err := NewDecoder(&Options{BothEdges: both, Gap: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		var at time.Duration
		n := 0
		allocs := testing.AllocsPerRun(1, func() {
			for i := range 1 << 20 {
				at += time.Duration(i%7) * 300 * time.Microsecond
				e := Event{Time: at - time.Duration(i%5)*time.Microsecond, Line: Line(i % 3 % 2), Edge: Edge(i % 2), Seq: uint32(i % 11)}
				if _, ok := d.Edge(e); ok {
					n++
				}
				if _, ok := d.Tick(at); ok {
					n++
				}
			}
		})
		if allocs != 0 {
			t.Errorf("both=%v: %v allocations for a million edges, want 0", both, allocs)
		}
		if n == 0 {
			t.Errorf("both=%v: no frame delivered", both)
		}
	}
}
