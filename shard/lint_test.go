package shard_test

import (
	"testing"

	"github.com/craftkit/craftkit/shard"
)

// TestLintSchemaContract checks the contract named in the issue: each of
// an INT id, an INT foreign key, AUTO_INCREMENT, ENGINE=MyISAM and
// CHARSET=utf8 yields a finding with its rule; a clean table yields none.
func TestLintSchemaContract(t *testing.T) {
	const parent = "CREATE TABLE p (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
	tests := []struct {
		name, ddl, rule string
	}{
		{"int id", "CREATE TABLE t (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", "id-type"},
		{"int foreign key", parent + "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, p_id INT NOT NULL, FOREIGN KEY (p_id) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", "fk-type"},
		{"auto_increment", "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", "generated"},
		{"myisam", "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4", "engine"},
		{"utf8", "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8", "charset"},
		{"unparseable", "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY", "parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shard.LintSchema(tt.ddl)
			for _, f := range got {
				if f.Rule == tt.rule {
					return
				}
			}
			t.Errorf("LintSchema(%q) = %v, want a %q finding", tt.ddl, got, tt.rule)
		})
	}
	clean := "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL, owner_id BIGINT UNSIGNED NOT NULL, amount BIGINT UNSIGNED NOT NULL, name VARCHAR(64) NOT NULL, PRIMARY KEY (id), KEY (owner_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"
	if got := shard.LintSchema(clean); len(got) != 0 {
		t.Errorf("LintSchema(clean) = %v, want none", got)
	}
}
