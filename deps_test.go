package craftkit

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// budget is the one place that says which non-standard modules each package
// may import (directly or not). A package not listed inherits the budget of
// its closest listed parent; packages under examples/ may use anything the
// library packages may. A nil list means standard library only.
var budget = map[string][]string{
	"address": nil,
	"alerts":  nil,
	// featureflag holds large user-id sets as compressed bitmaps.
	"featureflag": {"github.com/RoaringBitmap/roaring/v2", "github.com/bits-and-blooms/bitset", "golang.org/x/sys/cpu"},
	// The guarded-rollout controller runs abtest's sequential designs.
	"featureflag/rollout": {"github.com/RoaringBitmap/roaring/v2", "github.com/bits-and-blooms/bitset", "golang.org/x/sys/cpu",
		"gonum.org/v1/gonum/mathext", "gonum.org/v1/gonum/internal"},
	"ipdb":       nil,
	"rfid":       nil,
	"shard":      nil,
	"internal":   nil,
	"abtest":     {"gonum.org/v1/gonum/mathext", "gonum.org/v1/gonum/internal"},
	"embeddings": {"gonum.org/v1/gonum/floats", "gonum.org/v1/gonum/internal"},
	"fraudgraph": nil,
	// The GPIO adapter is the only place the GPIO library may appear.
	"rfid/gpio": {"github.com/warthog618/go-gpiocdev", "golang.org/x/sys/unix"},
	"examples":  {"*"},
}

// budgetFor returns the allowed import-path prefixes for a package
// directory relative to the module root, and whether one was found.
func budgetFor(rel string) ([]string, bool) {
	for dir := rel; ; {
		if allowed, ok := budget[dir]; ok {
			return allowed, true
		}
		i := strings.LastIndexByte(dir, '/')
		if i < 0 {
			return nil, false
		}
		dir = dir[:i]
	}
}

func allowedImport(path string, allowed []string) bool {
	for _, a := range allowed {
		if a == "*" || path == a || strings.HasPrefix(path, a+"/") {
			return true
		}
	}
	return false
}

// TestDependencyBudget fails when a package imports a module outside its
// budget, such as the GPIO library from the rfid core or anything
// non-standard from address.
func TestDependencyBudget(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH")
	}
	const mod = "github.com/craftkit/craftkit"
	out, err := exec.Command(gobin, "list", "-e", "-f", "{{.ImportPath}}{{range .Deps}} {{.}}{{end}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for line := range strings.Lines(string(out)) {
		fields := strings.Fields(line)
		if len(fields) == 0 || fields[0] == mod {
			continue
		}
		rel := strings.TrimPrefix(fields[0], mod+"/")
		allowed, ok := budgetFor(rel)
		if !ok {
			t.Errorf("package %s has no entry in the dependency budget; add its top-level folder to budget in deps_test.go", rel)
			continue
		}
		checked++
		var bad []string
		for _, dep := range fields[1:] {
			first, _, _ := strings.Cut(dep, "/")
			if !strings.Contains(first, ".") || dep == mod || strings.HasPrefix(dep, mod+"/") {
				continue // standard library or this module
			}
			if !allowedImport(dep, allowed) {
				bad = append(bad, dep)
			}
		}
		if len(bad) > 0 {
			sort.Strings(bad)
			t.Errorf("%s: dependencies outside its budget %q:\n  %s", rel, allowed, strings.Join(bad, "\n  "))
		}
	}
	t.Logf("checked %d packages", checked)
}

func TestBudgetFor(t *testing.T) {
	tests := []struct {
		rel  string
		want []string
		ok   bool
	}{
		{"rfid", nil, true},
		{"rfid/gpio", budget["rfid/gpio"], true},
		{"rfid/checkout", nil, true},
		{"examples/tour", []string{"*"}, true},
		{"nosuch", nil, false},
	}
	for _, tt := range tests {
		got, ok := budgetFor(tt.rel)
		if ok != tt.ok || strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("budgetFor(%q) = %q, %v, want %q, %v", tt.rel, got, ok, tt.want, tt.ok)
		}
	}
	if allowedImport("github.com/warthog618/go-gpiocdev", budget["rfid"]) {
		t.Error("rfid core may not import the GPIO library")
	}
	if !allowedImport("gonum.org/v1/gonum/mathext/internal/amos", budget["abtest"]) {
		t.Error("abtest may import gonum mathext internals")
	}
	if allowedImport("gonum.org/v1/gonum/stat/distuv", budget["abtest"]) {
		t.Error("abtest may not import gonum stat/distuv")
	}
}
