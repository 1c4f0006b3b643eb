// Package rollout ramps a feature flag step by step while a guardrail
// metric shows no harm, and rolls it back as soon as it does, with the
// false-rollback rate controlled across every look.
//
// Start here:
//   - Build a [Plan] (or [DefaultPlan]: 1 → 5 → 25 → 50 → 100 %) and call
//     [NewController] with the ramp's start time.
//   - Each day (or hour) call [Controller.Observe] with the cumulative
//     control and treatment [abtest.Sample]s, e.g. from a [Tally] fed by
//     featureflag exposures and conversions.
//   - Set the flag's percentage to the returned [Decision].Percent; its Why
//     says in plain words why.
//
// # Model
//
// The harm test is one one-sided alpha-spending group sequential design
// (Lan and DeMets; [abtest.GroupSequential], O'Brien-Fleming-type spending
// by default) spanning the whole ramp. Each observation with new data is a
// look at information fraction t = I/I_max, where I = 1/(v(1/n_c + 1/n_t))
// uses the planned baseline variance v = p(1−p), so look positions depend
// only on the counts, and I_max = 1.1·((z_{1−α} + z_{power})/(p·harm))²
// plans the information to detect the relative harm with the given power
// (the 1.1 covers the sequential design's inflation). The statistic is the
// unpooled z of [abtest.Compare], signed so that positive is worse. The
// ramp rolls back when z reaches the look's boundary; it advances a step
// when the step's minimum time has passed and the step's required
// information share is reached without harm. Because alpha is spent over
// looks, peeking daily does not inflate false rollbacks beyond Alpha,
// unlike checking p < 0.05 at every look.
//
// The controller is a pure state machine: no clock, no goroutines, no I/O.
// Persisting its state is the caller's (replaying the observations
// rebuilds it).
//
// # Simulation
//
// sim_test.go simulates [DefaultPlan] with two days a step on an error
// rate of 5 %, Alpha 0.05, Power 0.95, new users each day, 10,000 runs
// per case (CRAFTKIT_LONG=1; a fixed-seed run of 150 is part of the
// ordinary tests). Rolled back, and median day of the rollback:
//
//	users/day  no harm (false rollback)  10 % relative harm (before 50 % exposure)
//	 5,000     4.85 %, day 22            94.69 %, day 16
//	20,000     4.61 %, day 8             95.41 %, day 7
//	80,000     4.69 %, day 5             97.71 %, day 5
//
// Without harm the ramps that complete reach 100 % on day 30, 12 and 9.
// False rollbacks stay at Alpha whatever the traffic; with less traffic
// the ramp waits longer at 25 % for the planned information, so harm is
// still caught before 50 % but later; with more traffic the two-day
// minimum per step, not the data, sets the pace.
//
// # Concurrency
//
// A [Controller] and a [Tally] are not safe for concurrent use; a [Plan]
// is a value.
package rollout
