package embeddings

import (
	"errors"
	"io"
	"math"
	"testing"
)

// TestJourneysConfigRanges checks that a JourneyConfig outside its
// documented ranges is refused with an error naming the field, from
// Err and WriteTo, without a panic or a huge allocation.
func TestJourneysConfigRanges(t *testing.T) {
	for _, tt := range []struct {
		cfg  JourneyConfig
		want string
	}{
		{JourneyConfig{SessionLength: 1}, "embeddings: JourneyConfig.SessionLength = 1: must be 0 or in 2..65536"},
		{JourneyConfig{Sessions: -5}, "embeddings: JourneyConfig.Sessions = -5: must be >= 0 (0 means 10000)"},
		{JourneyConfig{Categories: math.MaxInt, ItemsPerCategory: 2}, "embeddings: JourneyConfig.Categories = 9223372036854775807: must be <= 1000000"},
		{JourneyConfig{Categories: 1 << 19, ItemsPerCategory: 1 << 19}, "embeddings: JourneyConfig.ItemsPerCategory = 524288: Categories × ItemsPerCategory must be <= 2147483647"},
		{JourneyConfig{ItemsPerCategory: 1 << 40}, "embeddings: JourneyConfig.ItemsPerCategory = 1099511627776: must be <= 1048576"},
		{JourneyConfig{ShopsPerCategory: -1}, "embeddings: JourneyConfig.ShopsPerCategory = -1: must be >= 0 (0 means 20)"},
		{JourneyConfig{Zipf: math.NaN()}, "embeddings: JourneyConfig.Zipf = NaN: must be finite and >= 0 (0 means 1.1)"},
		{JourneyConfig{Wander: 2}, "embeddings: JourneyConfig.Wander = 2: must be in [0, 1] (0 means 0.3)"},
		{JourneyConfig{CartRate: -0.5}, "embeddings: JourneyConfig.CartRate = -0.5: must be in [0, 1] (0 means 0.1)"},
		{JourneyConfig{Skipped: 5000}, "embeddings: JourneyConfig.Skipped = 5000: must be <= 1000 (0 means 3, negative none)"},
	} {
		j := NewJourneys(tt.cfg)
		err := j.Err()
		if err == nil || err.Error() != tt.want || !errors.Is(err, ErrConfig) {
			t.Errorf("NewJourneys(%+v).Err() = %v, want %q wrapping ErrConfig", tt.cfg, err, tt.want)
		}
		if _, err := j.WriteTo(io.Discard); err == nil || err.Error() != tt.want {
			t.Errorf("WriteTo error = %v, want %q", err, tt.want)
		}
		for range j.All() {
			t.Fatalf("All yields sessions for an invalid config %+v", tt.cfg)
		}
	}
	j := NewJourneys(JourneyConfig{Sessions: 10, SessionLength: 2, Skipped: -1, Categories: 1, ItemsPerCategory: 1})
	if err := j.Err(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for s := range j.All() {
		if len(s.Skipped) != 0 || len(s.Tokens) < 2 {
			t.Errorf("session %+v", s)
		}
		n++
	}
	if n != 10 {
		t.Errorf("%d sessions, want 10", n)
	}
}

func TestPrecisionAtKDefaultK(t *testing.T) {
	m := randomModel(30, 4, 1)
	j := NewJourneys(JourneyConfig{Categories: 3, ItemsPerCategory: 10, ShopsPerCategory: 10})
	if p, want := j.PrecisionAtK(m, "item", 0), j.PrecisionAtK(m, "item", 10); p != want || math.IsNaN(p) {
		t.Errorf("PrecisionAtK(k=0) = %v, want %v (k=10)", p, want)
	}
}
