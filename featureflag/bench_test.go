package featureflag

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkEnabled is the 5 % rollout check the bench/featureflag peers
// run too.
func BenchmarkEnabled(b *testing.B) {
	s := mustParse(b, `{"ramp": {"enabled": 5}}`)
	users := ids(1024, 9)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Enabled("ramp", Subject{UserID: users[i&1023]})
		i++
	}
}

func BenchmarkVariant(b *testing.B) {
	s := mustParse(b, `{"ab": {"enabled": {"a": 10, "b": 10, "c": 10}, "users": ["x"], "groups": {"a": ["beta"]}}}`)
	users := ids(1024, 9)
	groups := []string{"eu", "mobile"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Variant("ab", Subject{UserID: users[i&1023], Groups: groups})
		i++
	}
}

func BenchmarkValue(b *testing.B) {
	s := mustParse(b, `{"hsts": {"enabled": {"short": 50, "long": 50}, "params": {"max_age": {"type": "duration", "default": "5m", "variants": {"long": "24h"}}}}}`)
	users := ids(1024, 9)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Value("hsts", "max_age", Subject{UserID: users[i&1023]})
		i++
	}
}

// manyFlags returns a config of n flags mixing the shapes seen in practice.
func manyFlags(n int) []byte {
	var sb strings.Builder
	sb.WriteString("{\n")
	for i := range n {
		if i > 0 {
			sb.WriteString(",\n")
		}
		switch i % 4 {
		case 0:
			fmt.Fprintf(&sb, `"flag_%d": "on"`, i)
		case 1:
			fmt.Fprintf(&sb, `"flag_%d": {"enabled": %d, "users": ["alice", "bob"], "groups": ["beta"]}`, i, i%100)
		case 2:
			fmt.Fprintf(&sb, `"flag_%d": {"enabled": {"a": 10, "b": 10}, "admin": "a", "internal": "b", "public_url_override": true}`, i)
		case 3:
			fmt.Fprintf(&sb, `"flag_%d": {"enabled": 25, "start": "2026-01-01T00:00:00Z", "attributes": {"country": ["DE", "FR"]},
			  "params": {"ttl": {"type": "duration", "default": "1h"}}, "environments": {"dev": "on"}}`, i)
		}
	}
	sb.WriteString("\n}\n")
	return []byte(sb.String())
}

// BenchmarkParse10k loads a config of 10,000 flags (target: 50 ms).
func BenchmarkParse10k(b *testing.B) {
	data := manyFlags(10_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBucket(b *testing.B) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Bucket("checkout", strconv.Itoa(i&1023))
		i++
	}
}
