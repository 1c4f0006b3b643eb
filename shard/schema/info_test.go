package schema

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"
)

func ns(s string) sql.NullString { return sql.NullString{String: s, Valid: true} }

func legacyInfo(mariaDB bool) *Info {
	def := ns("guest")
	if mariaDB {
		def = ns("'guest'")
	}
	return &Info{
		MariaDB: mariaDB,
		Tables: []TableInfo{
			{Table: "users", Engine: "InnoDB", Collation: "latin1_swedish_ci"},
			{Table: "posts", Engine: "InnoDB", Collation: "utf8_general_ci"},
			{Table: "fresh", Engine: "InnoDB", Collation: "utf8mb4_unicode_ci"},
		},
		Columns: []ColumnInfo{
			{Table: "users", Column: "id", DataType: "int", ColumnType: "int(11)"},
			{Table: "users", Column: "email", DataType: "varchar", ColumnType: "varchar(255)", CharLength: 255, Charset: "latin1", Collation: "latin1_swedish_ci"},
			{Table: "users", Column: "name", DataType: "varchar", ColumnType: "varchar(64)", CharLength: 64, Charset: "latin1", Collation: "latin1_swedish_ci", Default: def, Comment: "shown 'as is'"},
			{Table: "users", Column: "bio", DataType: "text", ColumnType: "text", CharLength: 65535, Charset: "latin1", Collation: "latin1_swedish_ci", Nullable: true},
			{Table: "posts", Column: "post_id", DataType: "bigint", ColumnType: "bigint(20) unsigned"},
			{Table: "posts", Column: "user_id", DataType: "mediumint", ColumnType: "mediumint(8) unsigned"},
			{Table: "posts", Column: "title", DataType: "varchar", ColumnType: "varchar(300)", CharLength: 300, Charset: "utf8", Collation: "utf8_general_ci"},
			{Table: "fresh", Column: "session_id", DataType: "char", ColumnType: "char(32)", CharLength: 32, Charset: "utf8mb4", Collation: "utf8mb4_unicode_ci"},
			{Table: "fresh", Column: "note", DataType: "varchar", ColumnType: "varchar(10)", CharLength: 10, Charset: "utf8mb4", Collation: "utf8mb4_unicode_ci"},
		},
		Indexes: []IndexColumn{
			{Table: "users", Index: "PRIMARY", Column: "id", IndexType: "BTREE"},
			{Table: "users", Index: "email", Column: "email", IndexType: "BTREE"},
			{Table: "posts", Index: "title", Column: "title", SubPart: 100, IndexType: "BTREE"},
			{Table: "posts", Index: "ft", Column: "title", IndexType: "FULLTEXT"},
		},
	}
}

func TestConvertUTF8MB4(t *testing.T) {
	for _, mariaDB := range []bool{false, true} {
		got := ConvertUTF8MB4(legacyInfo(mariaDB), nil)
		def := "'guest'"
		want := &Conversion{
			Statements: []string{
				"ALTER TABLE `posts` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
				"ALTER TABLE `users` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci, " +
					"MODIFY `name` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL DEFAULT " + def + " COMMENT 'shown ''as is''', " +
					"MODIFY `bio` mediumtext CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL",
			},
			Skipped: []SkippedColumn{{Table: "users", Column: "email", Index: "email", KeyChars: 255,
				Reason: "key email covers 255 characters, over 191; key a hash column or a shorter prefix, then convert"}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ConvertUTF8MB4(mariaDB=%v) =\n%#v\nwant\n%#v", mariaDB, got, want)
		}
	}
	// A larger key limit converts the whole users table.
	got := ConvertUTF8MB4(legacyInfo(false), &ConvertOptions{MaxKeyChars: 768, Collation: "utf8mb4_0900_ai_ci"})
	if len(got.Skipped) != 0 || got.Statements[1] != "ALTER TABLE `users` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci" {
		t.Errorf("ConvertUTF8MB4(MaxKeyChars 768) = %#v", got)
	}
}

func TestNarrowIDs(t *testing.T) {
	got := NarrowIDs(legacyInfo(false), nil)
	want := []NarrowID{
		{Table: "users", Column: "id", ColumnType: "int(11)", Bits: 32},
		{Table: "posts", Column: "user_id", ColumnType: "mediumint(8) unsigned", Bits: 24},
		{Table: "fresh", Column: "session_id", ColumnType: "char(32)", Bits: 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("NarrowIDs = %+v, want %+v", got, want)
	}
}

func TestClampAudit(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"CREATE TABLE users (id INTEGER PRIMARY KEY, score INTEGER, name TEXT)",
		"INSERT INTO users VALUES (1, 5, 'a'), (2147483647, 2147483647, 'b'), (3, 4294967295, 'c'), (4, 4294967295, 'd')",
		"CREATE TABLE clean (id INTEGER PRIMARY KEY)",
		"INSERT INTO clean VALUES (1), (2147483646)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	info := &Info{Columns: []ColumnInfo{
		{Table: "users", Column: "id", DataType: "int"},
		{Table: "users", Column: "score", DataType: "bigint"},
		{Table: "users", Column: "name", DataType: "varchar"},
		{Table: "clean", Column: "id", DataType: "bigint"},
	}}
	got, err := ClampAudit(context.Background(), db, info)
	if err != nil {
		t.Fatal(err)
	}
	want := []Clamp{
		{Table: "users", Column: "id", AtInt32: 1},
		{Table: "users", Column: "score", AtInt32: 1, AtUint32: 2},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ClampAudit = %+v, want %+v", got, want)
	}
}
