package rollout_test

import (
	"fmt"
	"time"

	"github.com/craftkit/craftkit/abtest"
	"github.com/craftkit/craftkit/featureflag/rollout"
)

func ExampleController_Observe() {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	// An error-rate guardrail (lower is better) at 5 %, catching 10 % harm.
	c, err := rollout.NewController(rollout.DefaultPlan(0.05, 0.10, true, 48*time.Hour), start)
	if err != nil {
		fmt.Println(err)
		return
	}
	var control, treatment abtest.Sample
	for day := 1; day <= 30; day++ {
		exposed := int64(20000 * c.Percent() / 100)
		rate := 0.05
		if day > 4 {
			rate = 0.08 // a regression ships on day 5
		}
		control = addDay(control, 20000-exposed, 0.05)
		treatment = addDay(treatment, exposed, rate)
		d, err := c.Observe(rollout.Observation{Time: start.AddDate(0, 0, day), Control: control, Treatment: treatment})
		if err != nil {
			fmt.Println(err)
			return
		}
		if d.Action != rollout.Hold {
			fmt.Printf("day %d: %s to %v %%\n", day, d.Action, d.Percent)
		}
		if d.Action == rollout.RollBack || d.Action == rollout.Done {
			break
		}
	}
	// Output:
	// day 2: advance to 5 %
	// day 4: advance to 25 %
	// day 5: roll back to 0 %
}

// addDay adds n users converting at rate (deterministic for the example).
func addDay(s abtest.Sample, n int64, rate float64) abtest.Sample {
	conv := float64(int64(float64(n) * rate))
	return abtest.Sample{N: s.N + n, Sum: s.Sum + conv, SumSquares: s.SumSquares + conv}
}
