package schema

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
)

// fakeDriver is a database/sql driver whose answers come from a handler
// per DSN, for tests of code that talks to MySQL without a server.
type fakeDriver struct{}

type fakeHandler func(query string) (cols []string, rows [][]driver.Value, err error)

var (
	fakeMu       sync.Mutex
	fakeHandlers = map[string]fakeHandler{}
	fakeSeq      atomic.Int64
	fakeOnce     sync.Once
)

// openFake returns a *sql.DB answered by h.
func openFake(t testing.TB, h fakeHandler) *sql.DB {
	fakeOnce.Do(func() { sql.Register("schemafake", fakeDriver{}) })
	dsn := fmt.Sprintf("%s#%d", t.Name(), fakeSeq.Add(1))
	fakeMu.Lock()
	fakeHandlers[dsn] = h
	fakeMu.Unlock()
	db, err := sql.Open("schemafake", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func (fakeDriver) Open(dsn string) (driver.Conn, error) {
	fakeMu.Lock()
	h := fakeHandlers[dsn]
	fakeMu.Unlock()
	if h == nil {
		return nil, errors.New("fake: unknown dsn")
	}
	return &fakeConn{h: h}, nil
}

type fakeConn struct{ h fakeHandler }

// fakeClosed counts closed fake connections.
var fakeClosed atomic.Int64

func (c *fakeConn) Prepare(string) (driver.Stmt, error) { return nil, errors.New("fake: no prepare") }
func (c *fakeConn) Close() error                        { fakeClosed.Add(1); return nil }
func (c *fakeConn) Begin() (driver.Tx, error)           { return nil, errors.New("fake: no tx") }

func (c *fakeConn) ExecContext(_ context.Context, q string, _ []driver.NamedValue) (driver.Result, error) {
	_, _, err := c.h(q)
	if err != nil {
		return nil, err
	}
	return driver.RowsAffected(0), nil
}

func (c *fakeConn) QueryContext(_ context.Context, q string, _ []driver.NamedValue) (driver.Rows, error) {
	cols, rows, err := c.h(q)
	if err != nil {
		return nil, err
	}
	return &fakeRows{cols: cols, rows: rows}, nil
}

type fakeRows struct {
	cols []string
	rows [][]driver.Value
}

func (r *fakeRows) Columns() []string { return r.cols }
func (r *fakeRows) Close() error      { return nil }
func (r *fakeRows) Next(dest []driver.Value) error {
	if len(r.rows) == 0 {
		return io.EOF
	}
	copy(dest, r.rows[0])
	r.rows = r.rows[1:]
	return nil
}
