package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/craftkit/craftkit/shard/mariadb/internal/mariadbtest"
	"github.com/go-sql-driver/mysql"
)

var (
	h      *mariadbtest.Harness
	server *mariadbtest.Server
)

func TestMain(m *testing.M) {
	os.Exit(mariadbtest.Main(m, func(hh *mariadbtest.Harness) error {
		h = hh
		s, err := h.Start(mariadbtest.Spec{Name: "audit"})
		if err == nil {
			server = s[0]
		}
		return err
	}))
}

func TestFlags(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-h"}, 0, "usage: replay-audit"},
		{nil, 2, "-dsn is required"},
		{[]string{"-dsn", "u:pw@unix(/x)/db"}, 2, "-log is required"},
		{[]string{"-dsn", "u:pw@unix(/x)/db", "-log", "q.log", "-workers", "0"}, 2, "-workers 0"},
		{[]string{"-dsn", "u:pw@unix(/x)/db", "-log", "q.log", "-format", "binlog"}, 2, `-format "binlog"`},
		{[]string{"-dsn", "u:pw@unix(/x)/db", "-log", "q.log", "extra"}, 2, "unexpected arguments"},
		{[]string{"-nosuch"}, 2, "flag provided but not defined"},
	}
	for _, tt := range tests {
		var out, errs strings.Builder
		if code := run(tt.args, &out, &errs); code != tt.code || !strings.Contains(errs.String(), tt.want) {
			t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tt.args, code, errs.String(), tt.code, tt.want)
		}
	}
}

// The command refuses a lax database, then replays a log against a strict
// one and groups the errors by code; the DSN's password never shows.
func TestReplayAudit(t *testing.T) {
	mariadbtest.Need(t, h)
	s := server
	db := s.Open(t, "audit_app")
	for _, q := range []string{
		"CREATE TABLE users (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, age TINYINT UNSIGNED NOT NULL, name VARCHAR(5) NOT NULL)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	log := filepath.Join(t.TempDir(), "q.log")
	var b strings.Builder
	for i := 1; i <= 30; i++ {
		switch i % 3 {
		case 0:
			b.WriteString("INSERT INTO users VALUES (" + itoa(i) + ", 300, 'ann')\n") // 1264 out of range
		case 1:
			b.WriteString("INSERT INTO users VALUES (" + itoa(i) + ", 30, 'annabelle')\n") // 1406 data too long
		default:
			b.WriteString("INSERT INTO users VALUES (" + itoa(i) + ", 30, 'bob')\n")
		}
	}
	if err := os.WriteFile(log, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	strict := s.DSN("audit_app")
	var out, errs strings.Builder
	if code := run([]string{"-dsn", strict, "-log", log, "-workers", "4"}, &out, &errs); code != 0 {
		t.Fatalf("run = %d, stderr:\n%s", code, errs.String())
	}
	got := out.String()
	for _, want := range []string{"30 queries", "20 errors in 2 groups", "1264", "1406"} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}

	out.Reset()
	errs.Reset()
	code := run([]string{"-dsn", laxDSN(strict), "-log", log}, &out, &errs)
	if code != 1 || !strings.Contains(errs.String(), "STRICT_ALL_TABLES") {
		t.Fatalf("lax database: run = %d, stderr %q; want 1 naming the missing mode", code, errs.String())
	}
	if strings.Contains(errs.String(), mariadbtest.Password) {
		t.Fatalf("stderr shows the DSN's password: %q", errs.String())
	}
}

// laxDSN is dsn with the session sql_mode left at the server's default.
func laxDSN(dsn string) string {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		panic(err)
	}
	delete(cfg.Params, "sql_mode")
	return cfg.FormatDSN()
}

func itoa(i int) string { return strconv.Itoa(i) }
