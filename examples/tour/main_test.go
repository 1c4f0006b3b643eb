package main

import (
	"bytes"
	"testing"
)

// TestTour runs every step the way a newcomer does, so a broken step fails
// go test rather than the first run after cloning.
func TestTour(t *testing.T) {
	for _, s := range steps() {
		t.Run(s.pkg, func(t *testing.T) {
			var buf bytes.Buffer
			if err := run(&buf, s.pkg); err != nil {
				t.Fatalf("step %s: %v\n%s", s.pkg, err, buf.String())
			}
			if buf.Len() == 0 {
				t.Fatalf("step %s printed nothing", s.pkg)
			}
		})
	}
}

func TestTourUnknownStep(t *testing.T) {
	if err := run(&bytes.Buffer{}, "nosuch"); err == nil {
		t.Fatal(`run(w, "nosuch") = nil, want an error naming the steps`)
	}
}
