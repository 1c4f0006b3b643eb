package shard

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

const secret = "s3cr3t-pw"

// topoJSON builds a topology file with n shards whose DSNs carry secret.
func topoJSON(n int) string {
	var b strings.Builder
	b.WriteString(`{"shards": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"name": "shard_%03d", "a": "app:%s@unix(/run/s%da.sock)/app", "b": "app:%s@unix(/run/s%db.sock)/app"}`, i+1, secret, i, secret, i)
	}
	fmt.Fprintf(&b, `], "index": {"a": "app:%s@unix(/run/ia.sock)/idx", "b": "app:%s@unix(/run/ib.sock)/idx"}, "tickets": ["app:%s@unix(/run/t1.sock)/t", "app:%s@unix(/run/t2.sock)/t"]}`, secret, secret, secret, secret)
	return b.String()
}

func mustTopology(t testing.TB, n int) *Topology {
	t.Helper()
	topo, err := ParseTopology([]byte(topoJSON(n)))
	if err != nil {
		t.Fatalf("ParseTopology: %v", err)
	}
	return topo
}

func TestParseTopology(t *testing.T) {
	topo := mustTopology(t, 2)
	want := []string{"shard_001_A", "shard_001_B", "shard_002_A", "shard_002_B", "index_A", "index_B", "tickets_A", "tickets_B"}
	if got := topo.Sides(); !slices.Equal(got, want) {
		t.Errorf("Sides() = %v, want %v", got, want)
	}
	if dsn, _ := topo.DSN("shard_002_B"); dsn != "app:"+secret+"@unix(/run/s1b.sock)/app" {
		t.Errorf("DSN(shard_002_B) = %q", dsn)
	}
	if id, ok := topo.ShardID("shard_002"); !ok || id != 1 {
		t.Errorf("ShardID(shard_002) = %d, %v, want 1, true", id, ok)
	}
}

func TestParseTopologyProblems(t *testing.T) {
	tests := []struct {
		name string
		json string
		want []string // fields with problems, in order
	}{
		{"empty object", `{}`, []string{"shards", "index", "tickets"}},
		{"all at once", `{"shards": [
			{"name": "shard_001", "a": "u:` + secret + `@x/a", "b": ""},
			{"name": "shard_001", "a": "u:` + secret + `@x/a", "b": "y"},
			{"name": "Bad Name", "a": "p", "b": "q", "weight": -1},
			{"name": "index", "a": "r", "b": "s"}],
			"index": {"a": "i1"},
			"tickets": ["t1", "t1"],
			"disabled": ["nope_A", "shard_001_A", "shard_001_B"]}`,
			[]string{"shards[0].b", "shards[1].name", "shards[1].a", "shards[2].name", "shards[2].weight",
				"shards[3].name", "index.b", "tickets[1]", "disabled", "disabled"}},
		{"unknown key", `{"shards": [], "indx": {}}`, []string{"file"}},
		{"syntax", `{"shards": [`, []string{"file"}},
		{"trailing", `{"shards": []} {}`, []string{"file"}},
		{"wrong type", `{"shards": "x"}`, []string{"file"}},
		{"one ticket server", `{"shards": [{"name": "s", "a": "1", "b": "2"}], "index": {"a": "3", "b": "4"}, "tickets": ["5"]}`, []string{"tickets"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTopology([]byte(tt.json))
			te, ok := errors.AsType[*TopologyError](err)
			if !ok {
				t.Fatalf("ParseTopology error = %v, want *TopologyError", err)
			}
			if !errors.Is(err, ErrTopology) {
				t.Errorf("error does not wrap ErrTopology")
			}
			var got []string
			for _, p := range te.Problems {
				got = append(got, p.Field)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problem fields = %v, want %v\n%v", got, tt.want, err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error reveals the password: %v", err)
			}
		})
	}
}

func TestParseEnvironment(t *testing.T) {
	data := `{"environments": {"dev": ` + topoJSON(1) + `, "prod": ` + topoJSON(3) + `}}`
	prod, err := ParseEnvironment([]byte(data), "prod")
	if err != nil {
		t.Fatal(err)
	}
	if prod.Environment != "prod" || len(prod.Shards) != 3 {
		t.Errorf("prod: environment %q, %d shards, want prod, 3", prod.Environment, len(prod.Shards))
	}
	_, err = ParseEnvironment([]byte(data), "staging")
	if err == nil || !strings.Contains(err.Error(), `"dev", "prod"`) {
		t.Errorf("ParseEnvironment(staging) = %v, want an error naming dev and prod", err)
	}
}

func TestDisable(t *testing.T) {
	topo := mustTopology(t, 2)
	if err := topo.Disable([]string{"shard_001_A", "index_B", "tickets_A"}); err != nil {
		t.Fatalf("Disable(valid set) = %v", err)
	}
	for _, tt := range []struct {
		sides []string
		want  error
	}{
		{[]string{"shard_001_B"}, ErrBothSides},
		{[]string{"index_A"}, ErrBothSides},
		{[]string{"tickets_B"}, ErrBothSides},
		{[]string{"shard_003_A"}, ErrUnknownSide},
		{[]string{"shard_001"}, ErrUnknownSide},
	} {
		err := topo.Disable(tt.sides)
		if !errors.Is(err, tt.want) {
			t.Errorf("Disable(%v) = %v, want %v", tt.sides, err, tt.want)
		}
	}
	want := []string{"shard_001_A", "index_B", "tickets_A"}
	if got := topo.Disabled(); !slices.Equal(got, want) {
		t.Errorf("after refused changes Disabled() = %v, want %v", got, want)
	}
	if err := topo.Enable([]string{"shard_001_A"}); err != nil {
		t.Fatal(err)
	}
	if err := topo.Disable([]string{"shard_001_B"}); err != nil {
		t.Errorf("Disable(shard_001_B) after Enable(shard_001_A) = %v", err)
	}
	if err := topo.Enable([]string{"x"}); !errors.Is(err, ErrUnknownSide) {
		t.Errorf("Enable(x) = %v, want ErrUnknownSide", err)
	}
	if err := topo.SetDisabled(nil); err != nil || len(topo.Disabled()) != 0 {
		t.Errorf("SetDisabled(nil) = %v, Disabled() = %v", err, topo.Disabled())
	}
	err := topo.Disable([]string{"shard_002_A", "shard_002_B", "zz_A"})
	if !errors.Is(err, ErrBothSides) || !errors.Is(err, ErrUnknownSide) {
		t.Errorf("Disable(both + unknown) = %v, want both errors reported", err)
	}
}

// TestDisableProperty draws random topologies and random disabled sets
// (known and unknown names, repeats) and checks Disable and SetDisabled
// against a direct statement of the rule: the set is accepted exactly
// when every name is known and no pair loses both sides; a refused set
// changes nothing; no pair ever has both sides out.
func TestDisableProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 1))
	dir := t.TempDir()
	for trial := range 500 {
		n := 1 + r.IntN(6)
		topo := mustTopology(t, n)
		sides := topo.Sides()
		for range 10 {
			var set []string
			for range r.IntN(2 * len(sides)) {
				if r.IntN(20) == 0 {
					set = append(set, fmt.Sprintf("shard_%03d_%c", 1+r.IntN(9), "ABC"[r.IntN(3)]))
				} else {
					set = append(set, sides[r.IntN(len(sides))])
				}
			}
			before := topo.Disabled()
			var err error
			replace := r.IntN(2) == 0
			if replace {
				err = topo.SetDisabled(set)
			} else {
				err = topo.Disable(set)
			}
			// Reference: the resulting set and whether it is valid.
			result := map[string]bool{}
			if !replace {
				for _, s := range before {
					result[s] = true
				}
			}
			valid := true
			for _, s := range set {
				if !slices.Contains(sides, s) {
					valid = false
				}
				result[s] = true
			}
			for i := 0; i < len(sides); i += 2 {
				if result[sides[i]] && result[sides[i+1]] {
					valid = false
				}
			}
			if valid != (err == nil) {
				t.Fatalf("trial %d: set %v (replace %v, before %v): err = %v, valid = %v", trial, set, replace, before, err, valid)
			}
			after := topo.Disabled()
			if err != nil && !slices.Equal(before, after) {
				t.Fatalf("trial %d: refused set changed state %v -> %v", trial, before, after)
			}
			for i := 0; i < len(sides); i += 2 {
				if topo.IsDisabled(sides[i]) && topo.IsDisabled(sides[i+1]) {
					t.Fatalf("trial %d: both %s and %s disabled", trial, sides[i], sides[i+1])
				}
			}
			// The same set as a file through a SideFile.
			if r.IntN(25) == 0 {
				checkFileAgrees(t, dir, topo, set)
			}
		}
	}
}

// checkFileAgrees writes set as a file and checks that SideFile applies
// it exactly when SetDisabled would accept it, keeping state otherwise.
func checkFileAgrees(t *testing.T, dir string, topo *Topology, set []string) {
	t.Helper()
	path := filepath.Join(dir, "disabled")
	if err := os.WriteFile(path, []byte(strings.Join(append(set, ""), "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	before := topo.Disabled()
	wantErr := topo.CheckDisabled(set)
	f := &SideFile{Path: path, Topology: topo}
	_, err := f.Reload()
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("file %v: Reload = %v, CheckDisabled = %v", set, err, wantErr)
	}
	if err != nil && !slices.Equal(before, topo.Disabled()) {
		t.Fatalf("rejected file changed state")
	}
}

func TestSideFile(t *testing.T) {
	topo := mustTopology(t, 2)
	path := filepath.Join(t.TempDir(), "disabled_sides")
	var changes [][]string
	f := &SideFile{Path: path, Topology: topo, OnChange: func(d []string) { changes = append(changes, d) }}
	step := func(content *string, wantChanged bool, wantErr error, want []string) {
		t.Helper()
		if content != nil {
			if err := os.WriteFile(path, []byte(*content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		changed, err := f.Reload()
		if changed != wantChanged || !errors.Is(err, wantErr) && !(err == nil && wantErr == nil) {
			t.Errorf("Reload() = %v, %v, want %v, %v", changed, err, wantChanged, wantErr)
		}
		if got := topo.Disabled(); !slices.Equal(got, want) {
			t.Errorf("Disabled() = %v, want %v", got, want)
		}
	}
	s := func(v string) *string { return &v }
	step(nil, false, nil, nil) // absent: all in
	step(s("# maintenance\nshard_001_A\n\nindex_B\n"), true, nil, []string{"shard_001_A", "index_B"})
	step(nil, false, nil, []string{"shard_001_A", "index_B"}) // unchanged file
	step(s("shard_002_A\nshard_00"), false, ErrSideFile, []string{"shard_001_A", "index_B"})
	step(s("shard_001_A\nshard_001_B\n"), false, ErrBothSides, []string{"shard_001_A", "index_B"})
	step(s("shard_009_A\n"), false, ErrUnknownSide, []string{"shard_001_A", "index_B"})
	step(s("shard 001\n"), false, ErrSideFile, []string{"shard_001_A", "index_B"})
	step(s(""), true, nil, nil)
	step(s("tickets_B\n"), true, nil, []string{"tickets_B"})
	os.Remove(path)
	step(nil, true, nil, nil)
	if len(changes) != 4 {
		t.Errorf("OnChange called %d times, want 4: %v", len(changes), changes)
	}
}

func TestSideFileRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		topo := mustTopology(t, 1)
		path := filepath.Join(t.TempDir(), "disabled_sides")
		var mu sync.Mutex
		var errs []error
		f := &SideFile{Path: path, Topology: topo, Interval: time.Second, OnError: func(err error) {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- f.Run(ctx) }()
		synctest.Wait()
		WriteSideFile(path, []string{"shard_001_B"})
		time.Sleep(1500 * time.Millisecond)
		if !topo.IsDisabled("shard_001_B") {
			t.Errorf("Run did not apply the file within one interval")
		}
		WriteSideFile(path, []string{"shard_001_B", "shard_001_A"})
		time.Sleep(time.Second)
		synctest.Wait()
		mu.Lock()
		nerr := len(errs)
		mu.Unlock()
		if !topo.IsDisabled("shard_001_B") || topo.IsDisabled("shard_001_A") || nerr == 0 {
			t.Errorf("bad file: disabled %v, errors %v", topo.Disabled(), errs)
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
	})
}

func TestRedactDSN(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"app:" + secret + "@unix(/run/a.sock)/db?parseTime=true", "app:xxxxx@unix(/run/a.sock)/db?parseTime=true"},
		{"app:p@ss/w@rd@tcp(h:3306)/db", "app:xxxxx@tcp(h:3306)/db"},
		{"mysql://app:" + secret + "@host/db", "mysql://app:xxxxx@host/db"},
		{"host=x user=u password=" + secret + " dbname=d", "host=x user=u password=xxxxx dbname=d"},
		{"file:/tmp/a.db?_pragma=busy_timeout(5000)", "file:/tmp/a.db?_pragma=busy_timeout(5000)"},
		{"root@unix(/s)/", "root@unix(/s)/"},
	} {
		if got := RedactDSN(tt.in); got != tt.want {
			t.Errorf("RedactDSN(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Disable and Enable on a SideFile go through the file, so a second
// process polling it follows; a refused change leaves the file alone.
func TestSideFileDisableEnable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "disabled_sides")
	runner := &SideFile{Path: path, Topology: mustTopology(t, 2)}
	app := &SideFile{Path: path, Topology: mustTopology(t, 2)} // another process's view
	follow := func(want ...string) {
		t.Helper()
		if _, err := app.Reload(); err != nil {
			t.Fatalf("app Reload: %v", err)
		}
		if got := app.Topology.Disabled(); !slices.Equal(got, want) {
			t.Fatalf("app sees disabled %v, want %v", got, want)
		}
	}
	if err := runner.Disable([]string{"shard_001_A", "shard_002_A"}); err != nil {
		t.Fatal(err)
	}
	follow("shard_001_A", "shard_002_A")
	before, _ := os.ReadFile(path)
	if err := runner.Disable([]string{"shard_001_B"}); !errors.Is(err, ErrBothSides) {
		t.Fatalf("Disable(both sides of shard_001) = %v, want ErrBothSides", err)
	}
	if err := runner.Enable([]string{"shard_009_A"}); !errors.Is(err, ErrUnknownSide) {
		t.Fatalf("Enable(unknown) = %v, want ErrUnknownSide", err)
	}
	if after, _ := os.ReadFile(path); !slices.Equal(before, after) {
		t.Fatalf("a refused change rewrote the file:\n%s\nwas\n%s", after, before)
	}
	if err := runner.Enable([]string{"shard_001_A"}); err != nil {
		t.Fatal(err)
	}
	follow("shard_002_A")
	if err := runner.Enable([]string{"shard_002_A"}); err != nil {
		t.Fatal(err)
	}
	follow()
}
