package schema_test

import (
	"fmt"

	"github.com/craftkit/craftkit/shard/schema"
)

func ExampleLint() {
	ddl := `CREATE TABLE accounts (
  account_id BIGINT UNSIGNED NOT NULL,
  email VARCHAR(255) NOT NULL,
  logins INT UNSIGNED NOT NULL DEFAULT 0,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (account_id),
  UNIQUE KEY email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;`
	findings := schema.Lint(ddl, &schema.Options{Enable: []string{schema.RuleTemporal}})
	for _, f := range findings {
		fmt.Printf("%s %s %s.%s\n", f.Severity, f.Rule, f.Table, f.Column)
	}
	fmt.Println("gate fails:", schema.Failed(findings))
	// Output:
	// warning unsigned-counter accounts.logins
	// error generated accounts.created_at
	// error temporal accounts.created_at
	// error index-length accounts.email
	// gate fails: true
}
