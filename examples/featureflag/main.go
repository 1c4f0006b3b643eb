// Command featureflag loads an embedded flag config, shows a flag ramping
// from 1 % to 50 % for a few users, hot-reloads a changed config file and
// prints the new decisions with the change report, replaces an
// experiment's variants keeping its users in place, and runs a simulated
// guarded rollout that advances and then rolls back when a regression
// ships.
//
// Usage:
//
//	featureflag [-users 10] [-ramp 1,5,25,50] [-harm 0.6]
//
// Everything runs locally in a temporary directory; no network.
package main

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/craftkit/craftkit/abtest"
	"github.com/craftkit/craftkit/examples/internal/cli"
	"github.com/craftkit/craftkit/featureflag"
	"github.com/craftkit/craftkit/featureflag/rollout"
	"github.com/craftkit/craftkit/internal/atomicfile"
)

//go:embed flags.json
var flagsJSON []byte

// config holds the validated command-line flags.
type config struct {
	users int
	ramp  []float64
	harm  float64
}

const maxUsers = 1000

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run returns the exit status: 0 on success or -h, 2 for bad flags, 1
// when a step fails.
func run(args []string, stdout, stderr io.Writer) int {
	prog := cli.Program{Name: "featureflag", Stderr: stderr, Hint: "Run 'featureflag -h' for usage."}
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return prog.UsageError(err)
	}
	return prog.Exit(demo(stdout, cfg))
}

// parseFlags parses and validates the command line. Usage goes to stderr
// on -h, -help or --help (flag.ErrHelp is returned); errors are returned
// to be reported once, by run.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	var ramp string
	fs := cli.NewFlagSet("featureflag", stderr, "Usage: featureflag [flags]\n\n"+
		"Loads an embedded flag config, ramps a flag for a few users, hot-reloads a\n"+
		"changed config and runs a simulated guarded rollout.\n\nFlags:\n")
	fs.IntVar(&cfg.users, "users", 10, fmt.Sprintf("users to show, 1..%d", maxUsers))
	fs.StringVar(&ramp, "ramp", "1,5,25,50", "percentages to ramp through, increasing, each in [0, 100]")
	fs.Float64Var(&cfg.harm, "harm", 0.6, "relative error-rate increase of the regression in the guarded rollout, in (0, 10]")
	if err := cli.ParseQuiet(fs, args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q (all settings are flags)", fs.Arg(0))
	}
	if cfg.users < 1 || cfg.users > maxUsers {
		return cfg, fmt.Errorf("-users %d: must be in 1..%d", cfg.users, maxUsers)
	}
	if !(cfg.harm > 0 && cfg.harm <= 10) {
		return cfg, fmt.Errorf("-harm %v: must be in (0, 10]", cfg.harm)
	}
	prev := -1.0
	for _, s := range strings.Split(ramp, ",") {
		p, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || !(p >= 0 && p <= 100) || p <= prev || math.IsNaN(p) {
			return cfg, fmt.Errorf("-ramp %q: %q is not an increasing percentage in [0, 100]", ramp, s)
		}
		cfg.ramp = append(cfg.ramp, p)
		prev = p
	}
	if len(cfg.ramp) > 20 {
		return cfg, fmt.Errorf("-ramp %q: at most 20 steps", ramp)
	}
	return cfg, nil
}

func demo(w io.Writer, cfg config) error {
	set, err := featureflag.Parse(flagsJSON)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "loaded %d flags: %s\n", set.Len(), strings.Join(set.Flags(), ", "))
	staff := featureflag.Subject{UserID: "1001", Staff: true}
	fmt.Fprintf(w, "staff user 1001: new_checkout %q (%s)\n\n", set.Variant("new_checkout", staff), set.Evaluate("new_checkout", staff).Reason)

	// 1. Ramp a flag: the users in at 1 % stay in at every later step.
	fmt.Fprintln(w, "ramping new_search:")
	fmt.Fprintf(w, "  %-8s", "user")
	for _, p := range cfg.ramp {
		fmt.Fprintf(w, " %5v%%", p)
	}
	fmt.Fprintln(w)
	sets := make([]*featureflag.Set, len(cfg.ramp))
	for i, p := range cfg.ramp {
		if sets[i], err = featureflag.Parse(fmt.Appendf(nil, `{"new_search": %v}`, p)); err != nil {
			return err
		}
	}
	for u := range cfg.users {
		id := strconv.Itoa(100 + u*37)
		fmt.Fprintf(w, "  %-8s", id)
		for _, s := range sets {
			mark := "-"
			if s.Enabled("new_search", featureflag.Subject{UserID: id}) {
				mark = "on"
			}
			fmt.Fprintf(w, " %6s", mark)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  %-8s", "of 1000")
	for _, s := range sets {
		n := 0
		for u := range 1000 {
			if s.Enabled("new_search", featureflag.Subject{UserID: strconv.Itoa(u)}) {
				n++
			}
		}
		fmt.Fprintf(w, " %6d", n)
	}
	fmt.Fprintln(w)

	// 2. Hot reload: write the config to a file, change it, reload.
	if err := reload(w, set); err != nil {
		return err
	}

	// 3. Next week's experiment: B and C instead of A and B.
	if err := swapVariants(w); err != nil {
		return err
	}

	// 4. Guarded rollout.
	return guarded(w, cfg.harm)
}

// swapVariants replaces experiment A/B with B/C, first as written, then
// with lanes from KeepLanes, and counts how many of B's users stay in B.
func swapVariants(w io.Writer) error {
	oldDoc := []byte(`{"search_rank": {"enabled": {"A": 50, "B": 50}}}`)
	newDoc := []byte(`{"search_rank": {"enabled": {"B": 50, "C": 50}}}`)
	kept, err := featureflag.KeepLanes(oldDoc, newDoc)
	if err != nil {
		return err
	}
	before, err := featureflag.Parse(oldDoc)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nreplacing variants A/B with B/C:")
	for _, doc := range [][]byte{newDoc, kept} {
		after, err := featureflag.Parse(doc)
		if err != nil {
			return err
		}
		inB, stay := 0, 0
		for u := range 1000 {
			s := featureflag.Subject{UserID: strconv.Itoa(u)}
			if before.Variant("search_rank", s) == "B" {
				inB++
				if after.Variant("search_rank", s) == "B" {
					stay++
				}
			}
		}
		fmt.Fprintf(w, "  %s\n    %d of %d B users stay in B; report: %v\n", doc, stay, inB, featureflag.Diff(before, after))
	}
	return nil
}

func reload(w io.Writer, set *featureflag.Set) error {
	dir, err := os.MkdirTemp("", "featureflag-example")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "flags.json")
	if err := atomicfile.WriteBytes(path, flagsJSON); err != nil {
		return err
	}
	var report featureflag.Changes
	var rejected error
	watcher, err := featureflag.NewWatcher(path, featureflag.WatcherConfig{
		OnReload: func(_ *featureflag.Set, c featureflag.Changes) { report = c },
		OnError:  func(err error) { rejected = err },
	})
	if err != nil {
		return err
	}
	user := featureflag.Subject{UserID: "4242"}
	twoPage := func() int {
		n := 0
		for u := range 1000 {
			if watcher.Set().Variant("new_checkout", featureflag.Subject{UserID: strconv.Itoa(u)}) == "two_page" {
				n++
			}
		}
		return n
	}
	fmt.Fprintf(w, "\nhot reload of %s:\n  before: new_checkout two_page for %d of 1000 users, dark_mode %v\n", filepath.Base(path),
		twoPage(), watcher.Set().Enabled("dark_mode", user))
	changed := strings.Replace(string(flagsJSON), `"dark_mode": "off"`, `"dark_mode": "on"`, 1)
	changed = strings.Replace(changed, `"two_page": 5`, `"two_page": 50`, 1)
	changed = strings.Replace(changed, `"legacy_banner": "on",`, `"holiday_theme": {"enabled": 10, "start": "2026-12-01T00:00:00Z"},`, 1)
	if err := atomicfile.WriteBytes(path, []byte(changed)); err != nil {
		return err
	}
	// A Watcher polls in Run(ctx); here one poll is made by hand.
	if _, err := watcher.Reload(); err != nil {
		return err
	}
	fmt.Fprintf(w, "  change report: %v\n", report)
	fmt.Fprintf(w, "  after:  new_checkout two_page for %d of 1000 users, dark_mode %v\n", twoPage(), watcher.Set().Enabled("dark_mode", user))
	if err := atomicfile.WriteBytes(path, []byte(`{"dark_mode": {"enabled": 150}}`)); err != nil {
		return err
	}
	if _, err := watcher.Reload(); err == nil {
		return errors.New("a bad config was accepted")
	}
	fmt.Fprintf(w, "  bad push rejected, still serving dark_mode %v:\n    %v\n", watcher.Set().Enabled("dark_mode", user),
		strings.ReplaceAll(rejected.Error(), dir, "$TMPDIR"))
	return nil
}

// guarded simulates a ramp whose treatment errors at 2 % like control
// until a regression ships on day 5 and raises it by harm.
func guarded(w io.Writer, harm float64) error {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	c, err := rollout.NewController(rollout.DefaultPlan(0.02, 0.10, true, 48*time.Hour), start)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nguarded rollout (error rate 2 %%, 20,000 users a day, regression of +%.0f %% on day 5):\n", 100*harm)
	var control, treatment abtest.Sample
	for day := 1; day <= 60; day++ {
		exposed := int64(20000 * c.Percent() / 100)
		rate := 0.02
		if day >= 5 {
			rate *= 1 + harm
		}
		control = add(control, 20000-exposed, 0.02)
		treatment = add(treatment, exposed, rate)
		d, err := c.Observe(rollout.Observation{Time: start.AddDate(0, 0, day), Control: control, Treatment: treatment})
		if err != nil {
			return err
		}
		if d.Action != rollout.Hold {
			fmt.Fprintf(w, "  day %2d: %-9s -> %5v %%  (%s)\n", day, d.Action, d.Percent, d.Why)
		}
		if d.Action == rollout.RollBack || d.Action == rollout.Done {
			return nil
		}
	}
	return nil
}

func add(s abtest.Sample, n int64, rate float64) abtest.Sample {
	conv := math.Round(float64(n) * rate)
	return abtest.Sample{N: s.N + n, Sum: s.Sum + conv, SumSquares: s.SumSquares + conv}
}
