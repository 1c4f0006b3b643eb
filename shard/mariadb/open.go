package mariadb

import (
	"database/sql"
	"fmt"

	"github.com/go-sql-driver/mysql"
)

// Open returns a handle on the MariaDB or MySQL server named by dsn, in
// the driver's form "user:password@unix(/path/sock)/db?params". It
// checks the DSN's syntax but does not connect. Errors never contain the
// password.
func Open(dsn string) (*sql.DB, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("mariadb: invalid DSN (not shown)")
	}
	c, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("mariadb: DSN for %s: unusable configuration", cfg.Addr)
	}
	return sql.OpenDB(c), nil
}
