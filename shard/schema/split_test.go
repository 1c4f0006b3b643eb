package schema

import (
	"reflect"
	"testing"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		name   string
		script string
		want   []Statement
	}{
		{"two", "CREATE TABLE a (x INT);\nALTER TABLE a ADD y INT;", []Statement{{"CREATE TABLE a (x INT)", 1}, {"ALTER TABLE a ADD y INT", 2}}},
		{"no final delimiter", "SELECT 1", []Statement{{"SELECT 1", 1}}},
		{"delimiter in string and comment", "INSERT INTO t VALUES ('a;b'); -- c;d\n# e;f\n/* g;h */ SELECT `i;j`;",
			[]Statement{{"INSERT INTO t VALUES ('a;b')", 1}, {"SELECT `i;j`", 3}}},
		{"only comments dropped", "-- x\n;\n/* y */;\n", nil},
		{"executable comment kept", "/*!40101 SET NAMES utf8mb4 */;\nSET x=1;", []Statement{{"/*!40101 SET NAMES utf8mb4 */", 1}, {"SET x=1", 2}}},
		{"delimiter", "DELIMITER ;;\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END;;\nDELIMITER ;\nSELECT 2;",
			[]Statement{{"CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET NEW.x = 1; END", 2}, {"SELECT 2", 4}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Split(tt.script)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Split(%q) = %+v, want %+v", tt.script, got, tt.want)
			}
		})
	}
	if _, err := Split("SELECT 'open"); err == nil {
		t.Error("Split(unterminated string) = nil error")
	}
}
