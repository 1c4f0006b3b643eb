package schema

import (
	"os"
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
