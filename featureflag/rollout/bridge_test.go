package rollout

import (
	"math"
	"testing"

	"github.com/craftkit/craftkit/abtest"
	"github.com/craftkit/craftkit/featureflag"
)

func TestTally(t *testing.T) {
	var tl Tally
	if tl.Convert("early", 1) {
		t.Errorf("conversion before exposure counted")
	}
	on := featureflag.Decision{Variant: "on", Reason: featureflag.ReasonRollout}
	off := featureflag.Decision{Reason: featureflag.ReasonOutside}
	tl.Expose(featureflag.Exposure{Flag: "f", Subject: "a", Decision: on})
	tl.Expose(featureflag.Exposure{Flag: "f", Subject: "a", Decision: off}) // ignored: first exposure wins
	tl.Expose(featureflag.Exposure{Flag: "f", Subject: "b", Decision: on})
	tl.Expose(featureflag.Exposure{Flag: "f", Subject: "c", Decision: off})
	tl.Convert("a", 1)
	tl.Convert("a", 2)
	tl.Convert("c", 1)
	got := tl.Samples()
	want := map[string]abtest.Sample{"on": {N: 2, Sum: 3, SumSquares: 9}, "": abtest.Conversions(1, 1)}
	if len(got) != 2 || got["on"] != want["on"] || got[""] != want[""] {
		t.Errorf("Samples = %v, want %v", got, want)
	}
}

// TestTallyRefusesNonFinite checks that a NaN or infinite conversion is
// refused and leaves the arm's Sample as it was, instead of poisoning it.
func TestTallyRefusesNonFinite(t *testing.T) {
	var tl Tally
	tl.Expose(featureflag.Exposure{Subject: "a", Decision: featureflag.Decision{Variant: "on"}})
	tl.Convert("a", 2)
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if tl.Convert("a", v) {
			t.Errorf("Convert(%v) accepted", v)
		}
	}
	if got, want := tl.Samples()["on"], (abtest.Sample{N: 1, Sum: 2, SumSquares: 4}); got != want {
		t.Errorf("Samples()[on] = %+v, want %+v", got, want)
	}
}
