package rollout

import (
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
