package schema

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// clean is a table every rule accepts, used as a base for one-change cases.
const clean = "CREATE TABLE `t` (\n  `id` bigint(20) unsigned NOT NULL,\n  `name` varchar(100) NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"

// lintCases are DDL shapes seen in mysqldump output and SHOW CREATE TABLE
// of MySQL 5.7/8.0 and MariaDB 10.x, written for these tests. want lists
// "rule table.column" for every finding (table/column empty when absent).
var lintCases = []struct {
	name string
	ddl  string
	opts *Options
	want []string
}{
	{name: "clean", ddl: clean},
	{name: "clean mysql8 show create", ddl: "CREATE TABLE `orders` (\n  `order_id` bigint unsigned NOT NULL,\n  `buyer_id` bigint unsigned NOT NULL,\n  `note` text COLLATE utf8mb4_0900_ai_ci,\n  PRIMARY KEY (`order_id`),\n  KEY `buyer_id` (`buyer_id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci"},
	{name: "clean mariadb show create", ddl: "CREATE TABLE `orders` (\n  `order_id` bigint(20) unsigned NOT NULL,\n  `note` text DEFAULT NULL,\n  `amount` decimal(12,2) NOT NULL DEFAULT 0.00,\n  PRIMARY KEY (`order_id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci"},
	{name: "int id", ddl: "CREATE TABLE t (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"id-type t.id"}},
	{name: "int(11) id mariadb", ddl: "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci", want: []string{"id-type t.id"}},
	{name: "signed bigint id", ddl: "CREATE TABLE t (id BIGINT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"id-type t.id"}},
	{name: "int user_id", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, user_id INT UNSIGNED NOT NULL, KEY (user_id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"id-type t.user_id"}},
	{name: "camelCase id", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, shopId INT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"id-type t.shopId"}},
	{name: "char id", ddl: "CREATE TABLE t (session_id CHAR(32) NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"id-type t.session_id"}},
	{name: "custom IsID", ddl: "CREATE TABLE t (session_id CHAR(32) NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
		opts: &Options{IsID: func(c string) bool { return c == "id" }}},
	{name: "auto_increment", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"generated t.id"}},
	{name: "serial", ddl: "CREATE TABLE t (id SERIAL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"generated t.id"}},
	{name: "tickets64 allowed", ddl: "CREATE TABLE `Tickets64` (\n  `id` bigint(20) unsigned NOT NULL auto_increment,\n  `stub` char(1) NOT NULL default '',\n  PRIMARY KEY  (`id`),\n  UNIQUE KEY `stub` (`stub`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "tickets64 not allowed when list empty", opts: &Options{AllowGenerated: []string{}}, ddl: "CREATE TABLE Tickets64 (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, stub CHAR(1) NOT NULL DEFAULT '', UNIQUE KEY stub (stub)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"generated Tickets64.id"}},
	{name: "custom allow list", opts: &Options{AllowGenerated: []string{"seq"}}, ddl: "CREATE TABLE seq (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "default current_timestamp mysql", ddl: "CREATE TABLE `t` (\n  `id` bigint unsigned NOT NULL,\n  `created_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"generated t.created_at"}},
	{name: "on update mariadb", ddl: "CREATE TABLE `t` (\n  `id` bigint(20) unsigned NOT NULL,\n  `updated` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"generated t.updated"}},
	{name: "datetime(6) default now(6)", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, at DATETIME(6) NOT NULL DEFAULT NOW(6)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"generated t.at"}},
	{name: "mysql8 expression default uuid", ddl: "CREATE TABLE `t` (\n  `id` bigint unsigned NOT NULL,\n  `token` binary(16) NOT NULL DEFAULT (uuid_to_bin(uuid())),\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"generated t.token"}},
	{name: "mariadb uuid default", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, u UUID NOT NULL DEFAULT uuid()) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"generated t.u"}},
	{name: "rand default", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, r DOUBLE NOT NULL DEFAULT (RAND())) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"generated t.r"}},
	{name: "sysdate generated column", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, d INT AS (YEAR(SYSDATE())) VIRTUAL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"generated t.d"}},
	{name: "deterministic generated column", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, a BIGINT NOT NULL, b BIGINT GENERATED ALWAYS AS (a * 2) STORED) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "literal timestamp default", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:01') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "myisam", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4", want: []string{"engine t."}},
	{name: "aria mariadb", ddl: "CREATE TABLE `t` (\n  `id` bigint(20) unsigned NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=Aria DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=1", want: []string{"engine t."}},
	{name: "memory lowercase engine", ddl: "create table t (id bigint unsigned not null primary key) engine=memory default charset=utf8mb4", want: []string{"engine t."}},
	{name: "utf8 table", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8", want: []string{"charset t."}},
	{name: "utf8mb3 mariadb 10.6", ddl: "CREATE TABLE `t` (\n  `id` bigint(20) unsigned NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci", want: []string{"charset t."}},
	{name: "latin1 via collate only", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB COLLATE=latin1_swedish_ci", want: []string{"charset t."}},
	{name: "no charset", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB", want: []string{"charset t."}},
	{name: "character set spelled out", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4 DEFAULT COLLATE = utf8mb4_unicode_ci"},
	{name: "utf8 column", ddl: "CREATE TABLE `t` (\n  `id` bigint unsigned NOT NULL,\n  `title` varchar(100) CHARACTER SET utf8 COLLATE utf8_bin NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"charset t.title"}},
	{name: "latin1 column via collate", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, code CHAR(2) COLLATE latin1_bin NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"charset t.code"}},
	{name: "binary column charset ok", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, h CHAR(20) CHARACTER SET binary NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "set names utf8", ddl: "SET NAMES utf8;\n" + clean, want: []string{"charset ."}},
	{name: "set names utf8mb4 collate", ddl: "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci;\n" + clean},
	{name: "set character_set_client latin1", ddl: "/*!40101 SET character_set_client = latin1 */;\n" + clean, want: []string{"charset ."}},
	{name: "no primary key", ddl: "CREATE TABLE log (id BIGINT UNSIGNED NOT NULL, msg VARCHAR(100) NOT NULL, KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"primary-key log."}},
	{name: "composite primary key", ddl: "CREATE TABLE m (a_id BIGINT UNSIGNED NOT NULL, b_id BIGINT UNSIGNED NOT NULL, PRIMARY KEY (a_id, b_id) USING BTREE) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "fk int to bigint", ddl: "CREATE TABLE p (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\nCREATE TABLE c (\n  id BIGINT UNSIGNED NOT NULL PRIMARY KEY,\n  parent INT(11) NOT NULL,\n  CONSTRAINT fk_p FOREIGN KEY (parent) REFERENCES p (id) ON DELETE CASCADE\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;",
		want: []string{"fk-type c.parent", "id-type c.parent"}},
	{name: "fk equal types", ddl: "CREATE TABLE p (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\nCREATE TABLE c (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, parent BIGINT(20) UNSIGNED NOT NULL, FOREIGN KEY (parent) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;"},
	{name: "fk referenced column narrow", ddl: "CREATE TABLE p (code INT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\nCREATE TABLE c (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, code BIGINT UNSIGNED NOT NULL, FOREIGN KEY (code) REFERENCES p (code)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;",
		want: []string{"fk-type c.code", "id-type p.code"}},
	{name: "inline references", ddl: "CREATE TABLE c (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, p_ref INT REFERENCES p(id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"id-type c.p_ref"}},
	{name: "fk to missing column", ddl: "CREATE TABLE c (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, FOREIGN KEY (nope) REFERENCES p (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"fk-type c.nope"}},
	{name: "varchar 255 unique utf8mb4", ddl: "CREATE TABLE `u` (\n  `id` bigint unsigned NOT NULL,\n  `email` varchar(255) NOT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `email` (`email`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"index-length u.email"}},
	{name: "varchar 191 key ok", ddl: "CREATE TABLE u (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, email VARCHAR(191) NOT NULL, UNIQUE KEY (email)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "varchar 255 prefix 191 ok", ddl: "CREATE TABLE u (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, url VARCHAR(2048) NOT NULL, KEY url (url(191))) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "text prefix too long", ddl: "CREATE TABLE u (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, body TEXT NOT NULL, KEY body (body(255))) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"index-length u.body"}},
	{name: "latin1 varchar 255 key fits", opts: &Options{Disable: []string{RuleCharset}}, ddl: "CREATE TABLE u (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, k VARCHAR(255) NOT NULL, KEY (k)) ENGINE=InnoDB DEFAULT CHARSET=latin1"},
	{name: "fulltext long ok", ddl: "CREATE TABLE u (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, body VARCHAR(5000) NOT NULL, FULLTEXT KEY ft (body)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "create index on long column", ddl: clean + "CREATE TABLE w (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(300) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\nCREATE INDEX by_name ON w (name);", want: []string{"index-length w.name"}},
	{name: "max index bytes 3072", opts: &Options{MaxIndexBytes: 3072}, ddl: "CREATE TABLE u (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, email VARCHAR(255) NOT NULL, UNIQUE KEY (email)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ROW_FORMAT=DYNAMIC"},
	{name: "unsigned counter", ddl: "CREATE TABLE s (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, views INT UNSIGNED NOT NULL DEFAULT 0) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"unsigned-counter s.views"}},
	{name: "unsigned indexed not counter", ddl: "CREATE TABLE s (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, rank_pos INT UNSIGNED NOT NULL, KEY (rank_pos)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "unsigned amount not a counter", ddl: "CREATE TABLE s (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, amount BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "camelCase counter", ddl: "CREATE TABLE s (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, viewCount INT UNSIGNED NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"unsigned-counter s.viewCount"}},
	{name: "custom IsCounter", opts: &Options{IsCounter: func(string) bool { return true }}, ddl: "CREATE TABLE s (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, amount BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"unsigned-counter s.amount"}},
	{name: "signed counter ok", ddl: "CREATE TABLE s (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, views BIGINT NOT NULL DEFAULT 0) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "temporal off by default", ddl: "CREATE TABLE e (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, born DATE NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "temporal enabled", opts: &Options{Enable: []string{RuleTemporal}}, ddl: "CREATE TABLE e (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, born DATE NOT NULL, at DATETIME NOT NULL, t TIME, y YEAR(4)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
		want: []string{"temporal e.at", "temporal e.born", "temporal e.t", "temporal e.y"}},
	{name: "rule disabled", opts: &Options{Disable: []string{RuleEngine}}, ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4"},
	{name: "parse cannot be disabled", opts: &Options{Disable: []string{RuleParse}}, ddl: "CREATE TABLE t (", want: []string{"parse t."}},
	{name: "everything wrong", ddl: "CREATE TABLE `legacy` (\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n  `user_id` int(11) DEFAULT NULL,\n  `title` varchar(255) DEFAULT NULL,\n  `hits` int(10) unsigned NOT NULL DEFAULT '0',\n  `added` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,\n  PRIMARY KEY (`id`),\n  KEY `title` (`title`)\n) ENGINE=MyISAM AUTO_INCREMENT=42 DEFAULT CHARSET=utf8;",
		want: []string{"charset legacy.", "engine legacy.", "generated legacy.added", "generated legacy.id", "id-type legacy.id", "id-type legacy.user_id", "unsigned-counter legacy.hits"}},
	{name: "create or replace mariadb", ddl: "CREATE OR REPLACE TABLE t (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;", want: []string{"id-type t.id"}},
	{name: "create or replace twice keeps last", ddl: "CREATE OR REPLACE TABLE t (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\nCREATE OR REPLACE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;"},
	{name: "if not exists temporary", ddl: "CREATE TEMPORARY TABLE IF NOT EXISTS tmp (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=MEMORY DEFAULT CHARSET=utf8mb4", want: []string{"engine tmp."}},
	{name: "qualified name and comments", ddl: "# nightly\n-- schema\n/* multi\n line */ CREATE TABLE `shop`.`t` ( -- the key\n `id` bigint unsigned NOT NULL COMMENT 'ticket id; not auto', # trailing\n PRIMARY KEY (`id`) COMMENT 'pk'\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='a ''quoted'' comment; ok'"},
	{name: "backtick with spaces and doubled", ddl: "CREATE TABLE `my table` (`the ``id``` bigint unsigned NOT NULL, PRIMARY KEY (`the ``id```)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "versioned comment options", ddl: "CREATE TABLE `t` (\n  `id` bigint unsigned NOT NULL,\n  `v` int /*!80023 INVISIBLE */ NOT NULL DEFAULT '0',\n  PRIMARY KEY (`id`)\n) /*!50100 TABLESPACE `innodb_system` */ ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 /*!80016 ENCRYPTION='N' */"},
	{name: "partitioned", ddl: "CREATE TABLE `ev` (\n  `id` bigint unsigned NOT NULL,\n  `shard` int NOT NULL,\n  PRIMARY KEY (`id`,`shard`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4\n/*!50100 PARTITION BY HASH (`shard`)\nPARTITIONS 4 */"},
	{name: "check constraint mysql8", ddl: "CREATE TABLE `t` (\n  `id` bigint unsigned NOT NULL,\n  `qty` bigint NOT NULL,\n  PRIMARY KEY (`id`),\n  CONSTRAINT `t_chk_1` CHECK ((`qty` >= 0))\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci"},
	{name: "check constraint mariadb column", ddl: "CREATE TABLE `t` (\n  `id` bigint(20) unsigned NOT NULL,\n  `doc` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`doc`)),\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci"},
	{name: "alter add int column", ddl: "ALTER TABLE users ADD COLUMN team_id INT NOT NULL AFTER id;", want: []string{"id-type users.team_id"}},
	{name: "alter engine myisam", ddl: "ALTER TABLE users ENGINE=MyISAM;", want: []string{"engine users."}},
	{name: "alter convert utf8", ddl: "ALTER TABLE users CONVERT TO CHARACTER SET utf8 COLLATE utf8_general_ci;", want: []string{"charset users."}},
	{name: "alter convert utf8mb4", ddl: "ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci, ALGORITHM=INPLACE, LOCK=NONE;"},
	{name: "alter fixes create", ddl: "CREATE TABLE t (id INT NOT NULL PRIMARY KEY) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4;\nALTER TABLE t MODIFY id BIGINT UNSIGNED NOT NULL, ENGINE=InnoDB;"},
	{name: "alter change column", ddl: clean + "ALTER TABLE t CHANGE COLUMN name user_id INT(11) NOT NULL;", want: []string{"id-type t.user_id"}},
	{name: "alter drop primary", ddl: clean + "ALTER TABLE t DROP PRIMARY KEY;", want: []string{"primary-key t."}},
	{name: "alter add several", ddl: "ALTER TABLE t ADD COLUMN (a_id BIGINT UNSIGNED NOT NULL, b VARCHAR(500) NOT NULL), ADD UNIQUE KEY ab (a_id, b), ADD CONSTRAINT fk FOREIGN KEY (a_id) REFERENCES a (id);", want: []string{"index-length t.b"}},
	{name: "alter set default now", ddl: clean + "ALTER TABLE t ALTER COLUMN name SET DEFAULT NOW();", want: []string{"generated t.name"}},
	{name: "alter online mariadb if exists", ddl: "ALTER ONLINE TABLE IF EXISTS t ADD COLUMN IF NOT EXISTS c BIGINT NOT NULL DEFAULT 0, ADD INDEX IF NOT EXISTS c (c);"},
	{name: "rename then alter", ddl: clean + "RENAME TABLE t TO t2;\nALTER TABLE t2 ENGINE=MyISAM;", want: []string{"engine t2."}},
	{name: "drop table forgets", ddl: "CREATE TABLE t (id INT PRIMARY KEY) ENGINE=MyISAM;\nDROP TABLE IF EXISTS t;"},
	{name: "delimiter and trigger", ddl: clean + "DELIMITER ;;\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.id = 1; END ;;\nDELIMITER ;\n", want: []string{"unchecked ."}},
	{name: "statement before delimiter line", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4\nDELIMITER ;;\n", want: []string{"engine t."}},
	{name: "view unchecked", ddl: "/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */\n/*!50001 VIEW `v` AS select 1 AS `x` */;", want: []string{"unchecked ."}},
	{name: "create table like", ddl: "CREATE TABLE t2 LIKE t;", want: []string{"parse t2."}},
	{name: "create table select", ddl: "CREATE TABLE t2 AS SELECT * FROM t;", want: []string{"parse t2."}},
	{name: "unknown type", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, x MONEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"parse t."}},
	{name: "typo option", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGNE=MyISAM", want: []string{"parse t."}},
	{name: "unterminated string", ddl: clean + "CREATE TABLE x (id BIGINT UNSIGNED COMMENT 'oops) ENGINE=InnoDB;", want: []string{"parse ."}},
	{name: "unterminated comment", ddl: "/* never closed\n" + clean, want: []string{"parse ."}},
	{name: "garbage", ddl: "hello world", want: []string{"parse ."}},
	{name: "bad statement then good", ddl: "CREATE TABLE a (id INT NOT NULL PRIMARY KEY,, ) ENGINE=InnoDB;\nCREATE TABLE b (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;", want: []string{"id-type b.id", "parse a."}},
	{name: "empty", ddl: ""},
	{name: "only comments", ddl: "-- nothing\n/* here */\n# at all\n"},
	{name: "mariadb system versioning", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, v BIGINT NOT NULL WITHOUT SYSTEM VERSIONING) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 WITH SYSTEM VERSIONING"},
	{name: "enum set json", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, s ENUM('a','b') CHARACTER SET latin1 NOT NULL, f SET('x','y') NOT NULL DEFAULT '', j JSON) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", want: []string{"charset t.s"}},
	{name: "double precision and decimal", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, d DOUBLE PRECISION NOT NULL DEFAULT -1.5e3, m NUMERIC(10,2) NOT NULL, b BIT(1) NOT NULL DEFAULT b'0', f BOOL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "charset introducer default", ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, s VARCHAR(10) NOT NULL DEFAULT _utf8mb4'x') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"},
	{name: "severity override", opts: &Options{Severity: map[string]Severity{RuleEngine: Warning}}, ddl: "CREATE TABLE t (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4", want: []string{"engine t."}},
	{name: "too large", opts: &Options{MaxBytes: 10}, ddl: clean, want: []string{"parse ."}},
}

func TestLint(t *testing.T) {
	if len(lintCases) < 50 {
		t.Fatalf("only %d lint cases", len(lintCases))
	}
	for _, tt := range lintCases {
		t.Run(tt.name, func(t *testing.T) {
			got := Lint(tt.ddl, tt.opts)
			keys := findingKeys(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(keys, want) {
				t.Errorf("Lint(%q) = %q, want %q\nfindings:\n%s", tt.ddl, keys, want, render(got))
			}
			for _, f := range got {
				if f.Line < 1 || f.Message == "" {
					t.Errorf("finding %v lacks a line or message", f)
				}
			}
		})
	}
}

func findingKeys(fs []Finding) []string {
	keys := []string{}
	for _, f := range fs {
		keys = append(keys, f.Rule+" "+f.Table+"."+f.Column)
	}
	slices.Sort(keys)
	if len(keys) == 0 {
		return nil
	}
	return keys
}

func render(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.String() + "\n")
	}
	return b.String()
}

func TestLintDumps(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"testdata/mysqldump80.sql", nil},
		{"testdata/mariadb1011.sql", []string{
			"charset .", "charset .", "charset users.", "charset users.email", "engine users.", "generated users.created",
			"generated users.id", "id-type users.id", "unsigned-counter users.login_count"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			got := Lint(string(b), nil)
			if keys := findingKeys(got); !slices.Equal(keys, tt.want) {
				t.Errorf("Lint(%s) = %q, want %q\n%s", tt.file, keys, tt.want, render(got))
			}
		})
	}
}

func TestLintLines(t *testing.T) {
	ddl := clean + "\n-- next\nCREATE TABLE u (\n  id INT NOT NULL,\n  PRIMARY KEY (id)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\nCREATE TABLE v (id BIGINT UNSIGNED NOT NULL PRIMARY KEY,\n x VARCHAR(10) NOT NULL DEFAULT 'a' 'b') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;"
	got := Lint(ddl, nil)
	want := []Finding{
		{Rule: RuleIDType, Table: "u", Column: "id", Line: 8},
		{Rule: RuleParse, Table: "v", Line: 13},
	}
	if len(got) != len(want) {
		t.Fatalf("Lint = \n%s want %d findings", render(got), len(want))
	}
	for i := range want {
		if got[i].Rule != want[i].Rule || got[i].Table != want[i].Table || got[i].Column != want[i].Column || got[i].Line != want[i].Line {
			t.Errorf("finding %d = %v, want %+v", i, got[i], want[i])
		}
	}
}

func TestSeverity(t *testing.T) {
	got := Lint("CREATE TABLE s (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, hits INT UNSIGNED NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", nil)
	if len(got) != 1 || got[0].Severity != Warning || Failed(got) {
		t.Errorf("unsigned counter: %v, Failed = %v; want one warning that does not fail", got, Failed(got))
	}
	got = Lint("CREATE TABLE s (id INT PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4", &Options{Severity: map[string]Severity{RuleIDType: Warning}})
	if Failed(got) {
		t.Errorf("downgraded rule still fails: %v", got)
	}
}
