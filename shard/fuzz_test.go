package shard

import (
	"strings"
	"testing"
)

func FuzzParseTopology(f *testing.F) {
	f.Add([]byte(topoJSON(2)))
	f.Add([]byte(`{"shards": [{"name": "a", "a": "1", "b": "1"}], "index": {"a": "2"}, "tickets": ["3"]}`))
	f.Add([]byte(`{"environment": "dev", "shards": [{"name": "s", "a": "u:` + secret + `@x", "b": "y", "weight": 2}], "index": {"a": "i", "b": "j"}, "tickets": ["t", "u"], "disabled": ["s_A"]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		topo, err := ParseTopology(data)
		if err != nil {
			if topo != nil {
				t.Fatalf("topology and error both returned")
			}
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("error reveals a password: %v", err)
			}
			return
		}
		// Invariants of an accepted topology.
		sides := topo.Sides()
		if len(sides) != 2*(len(topo.Shards)+2) {
			t.Fatalf("%d sides for %d shards", len(sides), len(topo.Shards))
		}
		seen := map[string]bool{}
		for _, s := range sides {
			if seen[s] {
				t.Fatalf("side %q twice", s)
			}
			seen[s] = true
			dsn, err := topo.DSN(s)
			if err != nil || dsn == "" {
				t.Fatalf("DSN(%q) = %q, %v", s, dsn, err)
			}
		}
		for i := 0; i < len(sides); i += 2 {
			if topo.IsDisabled(sides[i]) && topo.IsDisabled(sides[i+1]) {
				t.Fatalf("both sides of pair %d disabled", i/2)
			}
		}
	})
}

func FuzzParseSideFile(f *testing.F) {
	f.Add([]byte("shard_001_A\n"))
	f.Add([]byte("# c\n\nindex_B\nshard_0"))
	f.Add([]byte(""))
	f.Add([]byte("a b\n"))
	topo := mustTopology(f, 3)
	f.Fuzz(func(t *testing.T, data []byte) {
		sides, err := ParseSideFile(data)
		if err != nil {
			return
		}
		if len(data) > 0 && data[len(data)-1] != '\n' {
			t.Fatalf("accepted a file without a final newline")
		}
		before := topo.Disabled()
		if err := topo.SetDisabled(sides); err != nil {
			if after := topo.Disabled(); strings.Join(after, ",") != strings.Join(before, ",") {
				t.Fatalf("refused set changed state")
			}
		}
		// Round trip through the writer's format.
		again, err := ParseSideFile([]byte(strings.Join(append(sides, ""), "\n")))
		if err != nil || strings.Join(again, ",") != strings.Join(sides, ",") {
			t.Fatalf("round trip %q -> %q, %v", sides, again, err)
		}
	})
}
