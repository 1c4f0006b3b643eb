// Package abtest plans, monitors and analyses A/B tests that stay honest
// when people look at the results every day.
//
// Checking a fixed-horizon p-value after every observation and stopping at
// the first p < alpha inflates false positives enormously: with alpha 0.1,
// both arms converting at 50 % and a look after every pair of visitors up
// to 500 pairs, about 74 % of such experiments declare a difference
// ([AuditConversion] computes this exactly). The designs here let people
// peek and stop early while keeping the false-positive rate at alpha, say
// in plain words where an experiment stands ([Monitor], [Report]) and
// estimate the effect honestly after an early stop ([EstimateStop]).
//
// Start here:
//   - [SampleSize] (or [SampleSizes], [MDE]) sizes a conversion test from the baseline rate and the lift to detect.
//   - [NewMonitor] with the target sample per arm, then [Monitor.Observe] each day with cumulative [Conversions] per arm, returns a [Report] saying whether to stop; [Monitor.Final] when the experiment ends before its plan.
//   - [Boundaries] (or [SpendingDesign.Thresholds]) gives a group sequential design's boundaries for the looks you plan.
//   - [NewScorecard] with one primary metric, guardrails and several variants, then [Scorecard.Observe] each day, keeps the family-wise error at alpha.
//
// # Designs
//
// Every design answers one question through the [Design] interface: given
// the information fractions at which the experiment has been looked at
// (the share of the planned sample collected; the last one is "now"),
// which nominal p-value threshold applies at each look. Its [Scale] says
// how to read them: one- or two-sided p-values, fractions of visitors
// per arm or of conversions ([MillerPlan]). Designs of different scales
// are never combined ([Hybrid], [DesignRule] and [WriteCurvesSVG] refuse
// them with [ErrScale]). In every design struct a zero Alpha means
// [DefaultAlpha] and a zero Sides TwoSided, as in the options structs;
// positional alpha and sides arguments are required.
//
//   - [SpendingDesign] and [GroupSequential]: group sequential designs by
//     alpha spending (Lan and DeMets 1983) with the O'Brien-Fleming-type,
//     Pocock-type, power ([PowerSpending], Kim and DeMets) and
//     Hwang-Shih-DeCani families; [Boundaries] returns the z-scale
//     boundaries; [PocockConstant] and [OBrienFlemingConstant] give the
//     classic designs.
//   - [MillerPlan]: Evan Miller's simple sequential test
//     (https://www.evanmiller.org/sequential-ab-testing.html), planned by
//     [PlanMiller] and [PlanMillerSplit] with exact first-passage
//     probabilities (the reflection principle for an equal split, dynamic
//     programming over the conversion walk for unequal splits).
//   - [MSPRT]: always-valid p-values and confidence intervals by the
//     normal-mixture mSPRT (Johari, Koomen, Pekelis and Walsh, "Always
//     valid inference", Operations Research 2022), with an enforced
//     burn-in because plug-in variances are not valid without one.
//     [PlanMSPRT] chooses the mixing variance and the horizon for a
//     planned effect and power and warns when a given horizon loses more
//     than 10 points of power against a fixed-horizon test.
//   - [FixedHorizon], [Naive] (the anti-pattern, for audits) and
//     [Hybrid], the threshold curve dashboards show: sequential early,
//     alpha once the planned sample is reached. Hybrid EXCEEDS its alpha
//     (0.0601 at 0.05 for 14 daily looks, 0.0609 for 28; simulated over
//     20000 conversion experiments: 0.0597 [0.0565, 0.0631] and 0.0614
//     [0.0582, 0.0649]) and is labelled so wherever this package draws
//     it. [FalsePositiveRate] integrates any design's actual level;
//     [ThresholdCurve] returns a curve's points for plotting.
//
// # Which design when
//
//	Situation                                        Design                      Why
//	daily looks, stop early, level kept exactly      SpendingDesign (default)    O'Brien-Fleming-type spending costs ~3 % more sample than fixed
//	looks at any time, no planned horizon            MSPRT (PlanMSPRT)           always valid; needs ~1.7× a fixed test's sample for the same power
//	conversions counted one by one, one-sided        MillerPlan (PlanMiller)     exact, needs no variance; counts conversions, not visitors
//	one analysis at the planned sample               FixedHorizon                smallest sample, no peeking allowed
//	several metrics, guardrails, variants            Scorecard                   alpha split over metrics and variants, spending per test
//	reproducing a dashboard's curve                  Hybrid                      exceeds alpha: never for decisions
//	auditing what peeking does                       Naive + AuditConversion     the anti-pattern, measured
//
// # Several metrics
//
// A [Scorecard] follows one [Primary] metric (two-sided superiority with a
// practical-significance threshold, [Metric].Practical) and [Guardrail]
// metrics (one-sided non-inferiority at a relative [Metric].Margin; a
// guardrail fails when it gets significantly worse) for one or more
// variants against control. Alpha is split equally over the
// metric-variant pairs (Bonferroni) and each pair is a group sequential
// test by alpha spending, so the family-wise false-positive rate over all
// metrics, variants and looks is at most alpha whatever the metrics'
// correlation. Each variant gets a verdict (ship, a guardrail failed, the
// primary got worse, below the practical threshold, no change, continue)
// and every look runs a [SequentialSRM] over the arms' units.
// Measured (scorecard_test.go, CRAFTKIT_LONG=1, 20000 runs of 5 metrics
// and 14 daily looks at alpha 0.05): family-wise false-positive rate
// 0.0478 [0.0449, 0.0508] with no effect, 0.0454 [0.0426, 0.0484] with
// three variants, and 0.0499 [0.0470, 0.0530] with every guardrail
// exactly at its margin (where passing it is the error). An update with 5 metrics
// and one variant takes 0.22 ms (median of 5 runs on a loaded 2-core
// machine; two boundary integrations, 32 allocations). Metrics
// are given as [Sample]s per arm ([Scorecard.Observe]) or as arm
// estimates ([Scorecard.ObserveMeans]) for ratio metrics ([RatioMean])
// and CUPED ([CUPEDMeans]).
//
// # Pictures
//
// [WriteCurvesSVG] draws the threshold curves of designs of one scale and
// [WriteTrajectorySVG] an experiment's trajectory from its reports (lift
// and interval above; z and boundaries below, by day), as deterministic
// SVG (testdata/curves.svg and testdata/trajectory.svg are the golden
// files; examples/abtest -svg writes both).
//
// # Conventions
//
// Boundaries are on the z scale and efficacy only; [PlanFutility] adds
// non-binding futility boundaries (see "Futility" below). A
// two-sided design with level alpha spends alpha/2 on each side with the
// spending function and rejects when |Z_k| ≥ c_k; this is rpact's and
// gsDesign's convention and gives 4.8769, 3.3570, 2.6803, 2.2898, 2.0310
// for O'Brien-Fleming-type spending, alpha 0.05 and five equally spaced
// looks. For O'Brien-Fleming-type spending it means each side spends
// 2 − 2Φ(z_{1−α/4}/√t). Lan and DeMets' original two-sided proposal
// instead spends 2 − 2Φ(z_{1−α/2}/√t) in total (half per side), which
// spends more early and gives 4.3826, 3.0997, 2.5534, 2.2538, 2.0635; to
// get it pass func(t, a float64) float64 { return
// OBrienFlemingSpending(t, 2*a) / 2 } (see the OBrienFlemingSpending
// example). Compare like with like when checking against other tools.
//
// A look whose spending increment is zero — O'Brien-Fleming-type spending
// underflows for very small t — gets the boundary +Inf (no decision is
// possible there), never NaN.
//
// [SampleSize] is the pooled-variance normal approximation of R's
// power.prop.test (strict = FALSE), returned unrounded as the exact root
// rather than R's uniroot approximation.
//
// # Numerics
//
// Boundaries come from recursive numerical integration (Armitage,
// McPherson and Rowe 1969; Jennison and Turnbull, "Group Sequential
// Methods", 2000, chapter 19) of the score statistic's sub-density over
// the continuation region, on Simpson grids whose spacing is a quarter of
// the smaller neighbouring increment's standard deviation (and at most
// 1/40 on the z scale), so accuracy holds for many closely spaced looks:
// about 2e-7 for up to 20 looks and 1e-5 for 1000 equally spaced looks
// where the boundary is at most 8. The Gaussian kernel is evaluated by a
// multiplicative recurrence (no exponentials in the inner loop). A
// [GroupSequential] keeps the density at its latest look, so appending a
// look costs one integration step. Normal quantiles come from
// gonum.org/v1/gonum/mathext.
//
// # Limits
//
// No input makes a function of this package panic, run without bound or
// allocate more than a fixed amount plus a small multiple of its input:
//
//   - Looks: a design holds at most 10000 looks ([ErrTooLarge]);
//     consecutive looks must be at least [MinSpacing] (1e-4 of the planned
//     information) apart wherever boundaries are integrated ([Boundaries],
//     [GroupSequential.Append] and Peek, [SpendingDesign.Thresholds],
//     [AdjustEstimate]), and a closer look is refused with [ErrInfo]
//     naming both looks; a [Monitor] merges it into the previous look.
//     The first look may be at any fraction above 0.
//   - Integration grids hold at most 16000 points at the looks allowed
//     (capped at 32768 whatever the input), so [Boundaries] needs about
//     1 MB whatever the looks; time grows with the number and closeness
//     of looks: 0.35 ms for 5 looks, 45 ms for 1000 equally spaced looks,
//     one to four seconds for 10000 looks or the worst schedules
//     (MinSpacing gaps alternating with large ones) on an idle 2-core
//     machine.
//   - Functions that integrate a whole design many times refuse more than
//     1000 looks ([ErrTooLarge]): [PocockConstant] and
//     [OBrienFlemingConstant] (about 3.5 s at 1000), [AdjustEstimate]
//     (about 400 integrations, 2 s at 1000) and
//     [GroupSequential.Inflation] (about 40); [EstimateStop] also refuses
//     grids beyond 2²¹ points in all and [PlanFutility] more than 100
//     looks.
//   - [AuditConversion] and [DesignRule] take at most 5000 pairs;
//     AuditConversion keeps only the band of counts still holding
//     probability: measured 15 MB allocated in all for p = 0.5 and 2000
//     pairs (the full matrix was 32 MB), under 1 MB for p = 0.01 and 3000
//     pairs (72 MB); the band grows like √pairs. [PlanMiller] plans at most 300000
//     conversions, [PlanMillerSplit] 50000 and 4e9 dynamic-programming
//     cell updates per call ([ErrTooLarge] beyond).
//   - Sufficient statistics are validated by every function taking a
//     [Sample] ([Sample.Validate]): negative counts, more conversions than
//     units, a sum of squares below Sum²/N and non-finite sums are refused
//     with an error naming the arm ([ErrSample], [ErrArgument]);
//     [AlwaysValid.Add] refuses NaN and out-of-range results.
//
// # Analysis
//
// [Compare] works from sufficient statistics ([Sample]: n, sum, sum of
// squares; [Conversions] for conversion metrics), reports absolute and
// relative lift with a delta-method interval and does not allocate.
// [SampleRatio] is the chi-square sample-ratio-mismatch check (flag below
// [SRMThreshold]; for daily checks use [SequentialSRM]); [CompareAll] and [Adjust] apply Holm or
// Benjamini-Hochberg to several variants.
//
// # Sample ratio checks
//
// [SampleRatio] is a one-off chi-square test: checked every day at
// [SRMThreshold] for 28 days it flags 1.1 % of healthy experiments, not
// 0.1 %. [SequentialSRM] (Lindon and Malek's Dirichlet-multinomial
// Bayes factor, NeurIPS 2022) may be checked any number of times: its
// always-valid p-value stays above alpha with probability 1 − alpha.
// Measured (srm_test.go, fixed seeds, 20000 units per arm per day, 28
// daily checks, exact fair-coin traffic): over 20000 healthy runs
// (CRAFTKIT_LONG=1) it flagged 0.0001 [0.00003, 0.0004] at level 0.001 and
// 0.0160 [0.0144, 0.0178] at 0.05 (the daily chi-square: 0.0097 and
// 0.276); over 2000 runs 0.0005 [0.0001, 0.0028] and 0.0155
// [0.0109, 0.0219] (chi-square 0.011 and 0.29). It flags a 1 %
// imbalance (control share 0.5025, 20100 against 19900 a day) within 28
// days in 0.865 [0.860, 0.870] of 20000 runs (0.859 of 2000) and a share of 0.505 in
// all of them; the fixed concentration 10000 ([DefaultSRMConcentration])
// costs little power against 1000 (0.82) or 100000 (0.89). Counts up to
// about 1e12 per arm keep the log Bayes factor accurate to 0.01.
//
// # Metrics from sufficient statistics
//
// Every metric works on per-arm aggregates a warehouse returns, never on
// raw rows:
//
//   - Continuous metrics (order value, time on site): [Compare] on a
//     [Sample] (COUNT, SUM(y), SUM(y*y)) gives the mean difference with
//     Welch's unpooled standard error.
//   - Ratio metrics whose denominator is not the randomisation unit
//     (revenue per session, clicks per page view, randomised by visitor):
//     [CompareRatio] on a [Joint] per arm (per-visitor numerator Y and
//     denominator X: COUNT, SUM(x), SUM(y), SUM(x*x), SUM(y*y), SUM(x*y))
//     by the delta method (Deng, Knoblich and Lu, KDD 2018). Treating
//     sessions as independent understates the variance.
//   - CUPED (Deng, Xu, Kohavi and Walker, WSDM 2013): [CompareCUPED] on a
//     [Joint] per arm whose X is a pre-period covariate, with θ pooled
//     across arms; it reports θ, the correlation and the variance
//     reduction (about ρ²) beside the unadjusted comparison.
//   - Winsorisation: [Winsorize] caps raw values at a ceiling and returns
//     the [Sample]; take the ceiling from the pooled arms ([Quantile]) or
//     fix it in advance, never per arm, and the test keeps its level
//     (with a supplied ceiling a warehouse computes the same sums with
//     LEAST(y, ceiling)). Measured: log-normal (σ = 1.5) revenue capped at
//     the pooled 99th percentile, 500 units per arm, false-positive rate
//     0.0487 [0.0458, 0.0518] over 20000 null runs (0.0490 over 2000) at
//     alpha 0.05, with 0.66× the raw standard error.
//
// Measured with fixed seeds (metrics_test.go; 20000 runs with
// CRAFTKIT_LONG=1): the delta-method SE of revenue per session is 0.989×
// the empirical SE over 20000 simulated experiments of 400 visitors per
// arm (1.015× over 2000); CUPED with pre-period correlation 0.7 reduces
// the variance of the difference by 49.1 % (theory ρ² = 49 %) and keeps
// the false-positive rate at 0.0524 ± 0.0031 for alpha 0.05 over 20000
// null experiments of 1000 units per arm (0.0532 ± 0.0070 over 4000).
//
// # Reports
//
// A [Monitor] takes one look per observation day with any [Design]
// ([MonitorOptions].Design; an O'Brien-Fleming-type [SpendingDesign] by
// default, followed look by look; other designs give their threshold for
// the looks so far and the Monitor records its z-scale boundary) and
// returns a [Report] whose Status is "Waiting on data" (before the
// minimum run length, [DefaultMinDays], or the burn-in), "Not enough
// data", "No change" or the lift such as "+3.2 %", with the headers
// "metric is not powered", "there is no detectable change", "we're
// confident we detected a change", "directional change is correct but
// magnitude might be inflated" (significant before the planned sample)
// and "the planned change is unlikely: stopped for futility", a bar
// colour and warnings. With a planned lift ([MonitorOptions].MDE) it
// reports the power achieved with the sample so far and the planned
// power at the target sample; it always reports the days left to it at the
// traffic so far. [Monitor.Final] takes the last look of an experiment
// that ends before its plan: its boundary spends all the alpha left, so
// the level is used in full.
//
// Which estimate a report shows is named in [Report].Estimator:
//
//   - Before a stop: the raw lift with the repeated confidence interval
//     (Jennison and Turnbull), which excludes zero exactly when the look
//     is significant and is valid whenever the experiment stops.
//   - After a stop (early, at the target, by futility or by Final): the
//     lift and interval conditional on how the experiment ended
//     ([Estimates].Conditional): among experiments that stopped early,
//     outcomes are ordered stagewise (earlier crossings more extreme) and
//     the shown lift is that ordering's median-unbiased estimate within
//     early stops; an experiment that ran to its end is estimated given
//     that it did. So among early stops the shown lift is below the truth
//     half the time and the interval covers the truth with probability
//     1 − alpha, and the same holds over all experiments: the winner's
//     curse of an early stop is removed, not just trimmed. The looks an
//     early stop cut short are assumed at the pace of the looks so far.
//     The price: the interval is wider than the stagewise one and, after
//     an early stop, may include zero although the test rejected (the bar
//     then keeps the colour of the decided direction). [Report].Estimates
//     carries the raw, repeated, stagewise and per-look conditional
//     estimates too.
//
// Measured through the public API (estimate_sim_test.go, CRAFTKIT_LONG=1,
// 20000 experiments per case, 2 % baseline, 20000 visitors per arm per
// day, a target of 14 days, daily looks, O'Brien-Fleming-type spending,
// alpha 0.05; lifts relative to the observed control; 95 % intervals):
//
//	                              +5 % lift               +2 % lift
//	all runs: shown median        1.008× [0.996, 1.021]   0.988× [0.968, 1.010]
//	all runs: coverage            0.949 [0.946, 0.952]    0.950 [0.947, 0.953]
//	early stops                   13392                   2889
//	early: shown mean             0.953× [0.941, 0.965]   1.53× [1.47, 1.59]
//	early: shown median           1.015× [1.001, 1.035]   0.91× [0.76, 1.11]
//	early: coverage               0.948 [0.944, 0.952]    0.948 [0.939, 0.956]
//	early: raw mean               1.360× [1.354, 1.366]   2.93× [2.89, 2.96]
//	early: stagewise coverage     0.957                   0.802
//	before: haircut mean          1.26×                   2.79×
//	before: early coverage        0.59–0.84 where the effect is small
//
// The estimate given the exact stopping look ([Estimates].ConditionalLook)
// is as well calibrated but far more spread: its mean among early stops
// is 1.23× and 2.40×.
//
// # Estimation after a stop
//
// [EstimateStop] returns, for a stop at any look of a group sequential
// design (with or without futility boundaries): the raw estimate, biased
// away from zero after an early stop; the repeated confidence interval;
// the median-unbiased estimate and interval by stagewise ordering
// (Tsiatis, Rosner and Mehta 1984; rpact's and gsDesign's "median
// unbiased estimate" and "final confidence interval"), exact over all
// experiments, agreeing with the test's decision, but still too large
// among early stops; the conditional median-unbiased estimate and
// interval given an early stop (from the whole plan, stagewise ordering
// among early stops), and the one given the exact stopping look, exact
// for every look but far more variable (after a stop near its boundary
// it is pulled close to zero). Everything after a stop comes from the null sub-density
// of the score at each look, computed once, and its exponential tilt for
// each trial effect, so an estimate costs one integration over the looks
// and about 60 passes over stored grids: about 0.4 ms of CPU for 8 looks.
// [AdjustEstimate] (Whitehead's bias-adjusted estimate, which needs the
// looks after the stop) is kept; it does not remove the bias among early
// stops.
//
// # Futility
//
// [PlanFutility] plans non-binding futility boundaries by beta spending:
// at each look the futility boundary is set so that, under the planned
// effect, the probability of falling below it is the beta spent there,
// and the maximum information grows until the futility and efficacy
// boundaries meet at the last look (gsDesign's test.type 4). It reports
// the power, the expected information with and without an effect, and the
// inflation over a fixed design; for gsDesign's default design (three
// looks, one-sided 0.025, power 0.9, Hwang-Shih-DeCani −4 and −2) it
// gives futility boundaries −0.24, 0.94, 2.00 and inflation 1.070 as
// gsDesign does. The efficacy boundaries ignore futility, so the level
// holds whether or not a futility stop is obeyed. A [Monitor] with
// [MonitorOptions].BetaSpending and an MDE computes the same boundaries
// look by look (the planned effect's drift is fixed at the first look
// from the observed control mean) and stops when the lift in the
// preferred direction falls to them. It keeps its target sample, so obeying
// futility costs some power unless the target was grown by the plan's
// Inflation: in 400 simulated runs of the 2 %, 14-day setting below with
// a planned +5 % and O'Brien-Fleming-type beta spending, null experiments
// stopped for futility in 0.95 of runs after 8.2 days on average instead
// of running 14, and with a true +5 % the power was 0.725 with 0.18
// futility stops (0.744 without futility, by integration).
//
// # Concurrency and cost
//
// [SequentialSRM] is not safe for concurrent use. [CompareRatio] and
// [CompareCUPED] take about 0.3 µs and [SequentialSRM.Check] about
// 0.15 µs for two arms, none allocating; [Quantile] sorts a copy of its
// input.
//
// Functions and value types (designs, plans, [Sample]) are safe for
// concurrent use; [GroupSequential], [Monitor] and [AlwaysValid] are not.
// A Monitor update takes about 0.1 ms (one integration step), the update
// at which it stops and estimates about 0.7 ms of CPU for daily looks.
// On an idle 2-core machine five-look boundaries take about 0.35 ms,
// 1000 looks about 45 ms and appending a look to a 1000-look design about
// 0.05 ms; [AuditConversion] costs about pairs³/3 rule calls at most
// (fewer: negligible states are dropped), please evaluate for your
// specific use.
package abtest
