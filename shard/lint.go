package shard

import "github.com/craftkit/craftkit/shard/schema"

// Finding is one problem found by [LintSchema]: its Rule (for example
// "id-type", "engine", "charset", "generated", or "parse" for text the
// lint cannot read), severity, table, column, statement line and message.
type Finding = schema.Finding

// LintSchema checks CREATE TABLE and ALTER TABLE statements (MySQL and
// MariaDB dialects, as written by hand, by mysqldump or by SHOW CREATE
// TABLE) against the rules a sharded schema needs: InnoDB, utf8mb4,
// a primary key, BIGINT UNSIGNED ids and foreign keys, no values the
// database generates (AUTO_INCREMENT, CURRENT_TIMESTAMP, UUID() ...), and
// index keys within 767 bytes. Text it cannot parse is a "parse" finding,
// never a pass. It uses the default rule set; see [schema.Lint] and
// [schema.Options] to configure rules, and [schema.Failed] for a CI gate.
func LintSchema(ddl string) []Finding { return schema.Lint(ddl, nil) }
