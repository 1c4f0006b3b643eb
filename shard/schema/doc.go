// Package schema keeps the schema of a sharded MySQL/MariaDB fleet safe:
// a lint for CREATE TABLE and ALTER TABLE text, changesets that carry a
// schema change with its checks and record, a strict-mode readiness audit,
// and a runner that applies a changeset one side of every pair at a time.
//
// Start here:
//   - Lint a file of DDL: findings := schema.Lint(ddl, nil); fail CI when schema.Failed(findings).
//   - Read a finding: f.Rule ("id-type", "engine", "parse", ...), f.Table, f.Column, f.Line, f.Message.
//   - Turn rules on and off: schema.Lint(ddl, &schema.Options{Enable: []string{schema.RuleTemporal}}).
//
// # Lint
//
// [Lint] reads the subset of SQL that defines tables, in the MySQL and
// MariaDB dialects: CREATE [OR REPLACE] [TEMPORARY] TABLE [IF NOT EXISTS]
// with columns, keys, foreign keys, CHECK constraints, table options and
// partition clauses; ALTER [ONLINE] TABLE with ADD/MODIFY/CHANGE/ALTER/
// DROP/RENAME COLUMN, keys and constraints, CONVERT TO CHARACTER SET and
// table options; CREATE/DROP INDEX; DROP and RENAME TABLE; SET NAMES and
// SET character_set_client. Comments ("-- ", "#", "/* */") are skipped and
// executable comments ("/*!40101 ... */", MariaDB's "/*M!100100 ... */")
// are read as SQL, so mysqldump files and SHOW CREATE TABLE output of
// MySQL 5.7/8.0 and MariaDB 10.x lint as they are. Statements that change
// no table (INSERT, LOCK TABLES, SET @var ...) are skipped; views,
// triggers and routines are reported as "unchecked" warnings.
//
// The parser is written here, with the standard library, because no Go
// SQL parser is fit to lean on: one drops a table definition it cannot
// parse (so a lint on it passes bad DDL), the others are dozens of modules
// and reject MariaDB's CREATE OR REPLACE. Whatever this parser cannot
// read is a [RuleParse] finding with its line and column, never a pass;
// the lint then goes on with the next statement.
//
// Tables are checked in their final state (an ALTER later in the text
// can fix a CREATE). The rules, each named by a Rule constant and
// configurable through [Options] (Disable, Enable, Severity), follow the
// operational lessons behind Etsy's sharded MySQL and Skeema's lint:
//
//	engine            ENGINE other than InnoDB
//	charset           table, column or connection charset other than utf8mb4 (utf8 is 3 bytes)
//	primary-key       a created table without a primary key
//	id-type           id or foreign-key column not BIGINT UNSIGNED (32-bit ids clamp at 2147483647)
//	fk-type           foreign key type differs from the referenced column (INT(11) -> BIGINT)
//	generated         AUTO_INCREMENT, SERIAL, DEFAULT/ON UPDATE CURRENT_TIMESTAMP, NOW(), RAND(),
//	                  UUID(), SYSDATE() ...; Options.AllowGenerated exempts the ticket tables
//	index-length      key part over 767 bytes (191 utf8mb4 chars); suggests a hash column
//	unsigned-counter  warning: UNSIGNED counter ("view_count", "hits"; [IsCounter]) outside keys
//	                  (c = c + VALUES(c) fails on a decrement)
//	temporal          optional: DATE/TIME/DATETIME/TIMESTAMP/YEAR columns
//
// Id columns are "id", "*_id" and camelCase "*Id" by default ([IsID]).
//
// # Changesets and dry runs
//
// A [Changeset] is the recipe and the record of one schema change: SQL,
// author, creation time, lint findings ([Changeset.RunLint]), the dry-run
// result, the expected checksums of the tables it touches, a status and a
// numbered step log. It is stored as JSON ([Changeset.WriteFile] writes a
// temporary file, syncs it and renames it into place; [ReadChangeset]
// validates every field and refuses unknown ones). [Changeset.RunDryRun]
// loads the current schema (no rows; [DumpSchema] reads it from a live
// server) into an empty scratch database, applies the change statement by
// statement, and records each failing statement with its line and error;
// with a [Checksummer] it records table checksums before and after every
// statement. A changeset whose lint and dry run pass is ready to run.
//
// # Strict mode, replay audit, utf8mb4 and id audits
//
// [CheckStrict] is a start-up self-check: it holds several pooled
// connections at once and reads each one's sql_mode and connection
// character sets, so a setting made in one session rather than in the DSN
// shows as missing. [ReadLog] reads captured queries (one per line, or the
// general or slow query log of MySQL/MariaDB); [Replay] runs them with N
// workers (8 by default) against a strict-mode test database and groups
// the errors by server error code ([ErrorCode] reads go-sql-driver/mysql
// errors by their Number field or text, without importing the driver) and
// by [Normalize]d query (literals replaced by "?"), with counts and
// throughput. [LoadInfo] reads information_schema; [ConvertUTF8MB4] plans
// the ALTERs to utf8mb4 and reports the columns it cannot convert because
// a key over 191 characters covers them; [NarrowIDs] and [ClampAudit]
// ([AuditIDs] across servers) find id columns under 64 bits and values
// sitting at 2147483647 or 4294967295.
//
// # Running a change side by side
//
// A [Runner] applies a ready changeset to a fleet of master-master pairs
// one side at a time, following Etsy's Schemanator: for each [Side],
// preflight hook (cluster status, replication, can the other side carry
// the load), [Downtime] set, side disabled through a [SideControl]
// (*shard.Topology satisfies it), a hook that confirms traffic has left,
// the statements on every database of the side in parallel jobs, each
// connection with `SET SESSION sql_log_bin=0` so nothing replicates to the
// side still serving, progress read from the process list, checksums
// verified against the dry run's (or, lacking those, equal across the
// side and then required of the next side), side enabled, downtime
// cancelled, and a hook that waits for replication to catch up. Every
// step is logged to the changeset and saved before the next begins.
// Run pauses at configured points ([ErrPaused]) and resumes from the
// record, also after a crash: a statement that began but was not logged
// as done is recognised as applied, or not, by comparing the server's
// checksums with the dry run's before and after that statement. A
// statement failing on some servers stops the run with an [*ApplyError]
// naming them, with the side still out; [Runner.Abort] puts every side
// back in.
//
// # Limits and costs
//
// Input over [Options].MaxBytes (default 16 MiB) is refused with one
// finding; a table may hold at most 4096 columns and 1024 keys, a key 64
// parts (MySQL's own limits are lower). Lint reads one statement at a
// time, so its memory grows with the largest statement and the schema
// model, not the input; it never panics (FuzzLint). On a shared 2-core
// machine a schema of 2,000 tables (600 KB) lints in about 15 ms
// (BenchmarkLintLarge, ~40 MB/s; 3.6 MB allocated).
//
// # Concurrency
//
// Lint, Split, Normalize, ConvertUTF8MB4 and NarrowIDs are pure functions
// and safe for concurrent use. A Changeset is not safe for concurrent
// use; a Runner owns its changeset while it runs and calls its Now and
// Progress hooks from several goroutines at once. Replay is safe to call
// concurrently; it starts its workers and waits for them before returning.
package schema
