package schema

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func BenchmarkLint(b *testing.B) {
	src, err := os.ReadFile("testdata/mysqldump80.sql")
	if err != nil {
		b.Fatal(err)
	}
	ddl := string(src)
	b.ReportAllocs()
	b.SetBytes(int64(len(ddl)))
	for b.Loop() {
		Lint(ddl, nil)
	}
}

// BenchmarkLintLarge lints a schema of 2,000 tables (about 1 MB).
func BenchmarkLintLarge(b *testing.B) {
	var sb strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&sb, "CREATE TABLE `t%d` (\n  `id` bigint unsigned NOT NULL,\n  `owner_id` bigint unsigned NOT NULL,\n  `name` varchar(100) NOT NULL DEFAULT '',\n  `view_count` bigint NOT NULL DEFAULT '0',\n  PRIMARY KEY (`id`),\n  KEY `owner_id` (`owner_id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;\n", i)
	}
	ddl := sb.String()
	if f := Lint(ddl, nil); len(f) != 0 {
		b.Fatalf("findings: %v", f[:1])
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(ddl)))
	for b.Loop() {
		Lint(ddl, nil)
	}
}

func BenchmarkNormalize(b *testing.B) {
	q := "SELECT shop_id, title FROM listings WHERE listing_id IN (1, 2, 3, 4) AND state = 'active' LIMIT 10"
	b.ReportAllocs()
	for b.Loop() {
		Normalize(q)
	}
}
