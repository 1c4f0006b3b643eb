package schema

import (
	"context"
	"database/sql/driver"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

func TestCheckStrict(t *testing.T) {
	const strict = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"
	const mariaDefault = "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION"
	tests := []struct {
		name     string
		modes    []string // per connection, cycled
		charset  string
		results  any
		opts     *StrictOptions
		missing  []string
		charsets []string
	}{
		{name: "strict utf8mb4", modes: []string{strict}, charset: "utf8mb4", results: "utf8mb4"},
		{name: "strict null results", modes: []string{strict}, charset: "utf8mb4", results: nil, opts: &StrictOptions{Extra: true}},
		{name: "mariadb default", modes: []string{mariaDefault}, charset: "utf8mb4", results: "utf8mb4",
			missing: []string{"STRICT_ALL_TABLES", "ONLY_FULL_GROUP_BY"}},
		{name: "extra", modes: []string{"STRICT_ALL_TABLES,ONLY_FULL_GROUP_BY"}, charset: "utf8mb4", results: "utf8mb4", opts: &StrictOptions{Extra: true},
			missing: []string{"NO_ZERO_IN_DATE", "NO_ZERO_DATE", "NO_ENGINE_SUBSTITUTION"}},
		{name: "set per session on one connection only", modes: []string{strict, mariaDefault, strict}, charset: "utf8mb4", results: "utf8mb4",
			missing: []string{"STRICT_ALL_TABLES", "ONLY_FULL_GROUP_BY"}},
		{name: "latin1", modes: []string{strict}, charset: "latin1", results: "latin1",
			charsets: []string{"character_set_client=latin1", "character_set_connection=latin1", "character_set_results=latin1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n atomic.Int64
			db := openFake(t, func(q string) ([]string, [][]driver.Value, error) {
				if !strings.Contains(q, "@@SESSION.sql_mode") {
					return nil, nil, errors.New("unexpected query")
				}
				i := int(n.Add(1)-1) % len(tt.modes)
				return []string{"m", "c", "n", "r"}, [][]driver.Value{{tt.modes[i], tt.charset, tt.charset, tt.results}}, nil
			})
			rep, err := CheckStrict(context.Background(), db, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rep.Missing, tt.missing) || !slices.Equal(rep.Charsets, tt.charsets) {
				t.Errorf("CheckStrict = missing %q charsets %q, want %q %q", rep.Missing, rep.Charsets, tt.missing, tt.charsets)
			}
			if ok := len(tt.missing) == 0 && len(tt.charsets) == 0; rep.OK() != ok || (rep.Err() == nil) != ok {
				t.Errorf("OK() = %v, Err() = %v; want ok %v", rep.OK(), rep.Err(), ok)
			}
			if !rep.OK() && !errors.Is(rep.Err(), ErrNotStrict) {
				t.Errorf("Err() = %v, want ErrNotStrict", rep.Err())
			}
			if len(rep.SQLMode) != 3 {
				t.Errorf("checked %d connections, want 3", len(rep.SQLMode))
			}
		})
	}
}
