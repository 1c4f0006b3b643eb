// Package mariadbtest starts throwaway MariaDB servers for integration
// tests: each on its own data dir in a temporary directory, on a unix
// socket (and 127.0.0.1 on a free port, which replication needs), wired
// into master-master pairs with GTID, and stopped by PID at the end.
//
// API, for test files in this module:
//
//	var h *mariadbtest.Harness // nil when MariaDB is absent
//
//	func TestMain(m *testing.M) {
//		os.Exit(mariadbtest.Main(m, func(hh *mariadbtest.Harness) error {
//			h = hh
//			_, err := h.StartPairs("shard_001", "shard_002", "index") // A/B master-master pairs
//			return err
//		}))
//	}
//
//	func TestX(t *testing.T) {
//		mariadbtest.Need(t, h)               // skip (or fail with CRAFTKIT_REQUIRE_SERVICES=1)
//		p := h.Pair("shard_001")             // *Pair{Name, A, B *Server}
//		db := p.A.Open(t, "app")             // *sql.DB on database "app" (created), closed at cleanup
//		dsn := p.A.DSN("app")                // "craftkit:<pw>@unix(<sock>)/app?..." for the code under test
//		h.WaitReplicated(t.Context(), p.A, p.B) // B has applied everything A has
//	}
//
// Other calls: [Harness.Start] (single servers with extra mariadbd flags,
// e.g. the ticket servers' auto-increment settings; see
// [Harness.StartTickets]), [Harness.Replicate] (wire two servers both
// ways), [Server.Kill] and [Server.Restart] (crash and recover one
// server), [Server.Exec] (admin SQL), [Harness.TopologyJSON] (a topology
// file for package shard), [Harness.Close] (stop all by PID; Main calls
// it).
//
// Servers run as the current user with --no-defaults, an 8 MB InnoDB
// buffer pool (about 65 MB RSS each), binary logs in ROW format with
// --log-slave-updates, a distinct server-id per server and gtid-domain-id
// per side, and relaxed durability (innodb_flush_log_at_trx_commit=2,
// sync_binlog=0): they are for tests, not data. One template data dir is
// made per MariaDB version with mariadb-install-db (cached under the user
// cache dir) and copied per server, which takes about a second instead
// of the installer's 7-14 s.
//
// When mariadbd is not installed, [Main] runs the tests and [Need] skips
// each with a message saying how to install it; with
// CRAFTKIT_REQUIRE_SERVICES=1 set, [Main] fails at once instead.
package mariadbtest

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// User and Password are the account every server has, with all
// privileges, on the socket and on 127.0.0.1.
const (
	User     = "craftkit"
	Password = "ck-test-pw"
)

// RequireEnv is the environment variable that turns a missing MariaDB
// into a failure.
const RequireEnv = "CRAFTKIT_REQUIRE_SERVICES"

// BinDirEnv, when set, is the only directory searched for mariadbd and
// mariadb-install-db (to test another build, or, set to an empty
// directory, the behaviour when MariaDB is absent).
const BinDirEnv = "CRAFTKIT_MARIADB_BIN"

// Required reports whether CRAFTKIT_REQUIRE_SERVICES=1 is set.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// installHint is what a skipped test says.
const installHint = "MariaDB not installed (mariadbd not found): apt-get install -y mariadb-server to run these integration tests; " + RequireEnv + "=1 makes this a failure"

// Main runs a package's tests around a harness: when mariadbd is found
// it makes a Harness, calls setup, runs the tests and stops every
// server; when it is not, the tests run with a nil harness (see [Need]),
// unless CRAFTKIT_REQUIRE_SERVICES=1, when Main prints why and returns
// 1. Use it as os.Exit(mariadbtest.Main(m, setup)).
func Main(m *testing.M, setup func(*Harness) error) int {
	bin, err := findBinaries()
	if err != nil {
		if Required() {
			fmt.Fprintf(os.Stderr, "FAIL: %s=1 but %v\n", RequireEnv, err)
			return 1
		}
		fmt.Fprintln(os.Stderr, "mariadbtest: skipping integration tests:", installHint)
		return m.Run()
	}
	h, err := newHarness(bin)
	if err == nil && setup != nil {
		err = setup(h)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mariadbtest: setup failed:", err)
		if h != nil {
			h.Close()
		}
		return 1
	}
	code := m.Run()
	if err := h.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "mariadbtest: stopping servers:", err)
	}
	return code
}

// Need skips t when h is nil (MariaDB absent), or fails it when
// CRAFTKIT_REQUIRE_SERVICES=1.
func Need(t testing.TB, h *Harness) {
	t.Helper()
	if h != nil {
		return
	}
	if Required() {
		t.Fatal(installHint)
	}
	t.Skip(installHint)
}

type binaries struct {
	server, install, version string
}

func findBinaries() (binaries, error) {
	look := func(name string) (string, error) {
		if dir := os.Getenv(BinDirEnv); dir != "" {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err != nil || st.IsDir() {
				return "", fmt.Errorf("%s not found in %s=%s", name, BinDirEnv, dir)
			}
			return p, nil
		}
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
		for _, dir := range []string{"/usr/sbin", "/usr/bin", "/usr/local/mysql/bin", "/usr/local/bin"} {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p, nil
			}
		}
		return "", fmt.Errorf("%s not found on PATH or in /usr/sbin", name)
	}
	var b binaries
	var err error
	if b.server, err = look("mariadbd"); err != nil {
		return b, err
	}
	if b.install, err = look("mariadb-install-db"); err != nil {
		return b, err
	}
	out, err := exec.Command(b.server, "--version").Output()
	if err != nil {
		return b, fmt.Errorf("mariadbd --version: %w", err)
	}
	b.version = strings.TrimSpace(string(out))
	return b, nil
}

// A Harness owns a temporary directory of MariaDB servers. It is safe
// for concurrent use.
type Harness struct {
	// Root is the temporary directory holding every server's data dir.
	Root string

	bin      binaries
	template string

	mu      sync.Mutex
	servers []*Server
	pairs   map[string]*Pair
	nextID  int
}

func newHarness(bin binaries) (*Harness, error) {
	// Unix socket paths are limited to 107 bytes, so stay near /tmp.
	root, err := os.MkdirTemp("/tmp", "mdbt")
	if err != nil {
		return nil, err
	}
	h := &Harness{Root: root, bin: bin, pairs: map[string]*Pair{}}
	if h.template, err = h.makeTemplate(); err != nil {
		os.RemoveAll(root)
		return nil, err
	}
	return h, nil
}

// New returns a harness outside [Main], or an error when mariadbd is
// absent. The caller must call Close.
func New() (*Harness, error) {
	bin, err := findBinaries()
	if err != nil {
		return nil, err
	}
	return newHarness(bin)
}

// makeTemplate returns a data dir made by mariadb-install-db with the
// test account, cached per MariaDB version.
func (h *Harness) makeTemplate() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	key := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, h.bin.version)
	dir := filepath.Join(cache, "craftkit-mariadbtest", key)
	if _, err := os.Stat(filepath.Join(dir, "ready")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "build")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	data := filepath.Join(tmp, "data")
	common := []string{"--innodb-buffer-pool-size=8M", "--innodb-log-file-size=8M"}
	cmd := exec.Command(h.bin.install, append([]string{"--no-defaults", "--user=" + currentUser(), "--datadir=" + data,
		"--auth-root-authentication-method=normal", "--skip-test-db"}, common...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("mariadb-install-db: %v\n%s", err, tail(out, 2000))
	}
	sqlText := "FLUSH PRIVILEGES;\n"
	for _, host := range []string{"localhost", "127.0.0.1"} {
		sqlText += fmt.Sprintf("CREATE USER '%s'@'%s' IDENTIFIED BY '%s';\nGRANT ALL ON *.* TO '%s'@'%s' WITH GRANT OPTION;\n", User, host, Password, User, host)
	}
	cmd = exec.Command(h.bin.server, append([]string{"--no-defaults", "--bootstrap", "--user=" + currentUser(), "--datadir=" + data,
		"--skip-networking", "--log-error=" + filepath.Join(tmp, "bootstrap.err")}, common...)...)
	cmd.Stdin = strings.NewReader(sqlText)
	if out, err := cmd.CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(tmp, "bootstrap.err"))
		return "", fmt.Errorf("mariadbd --bootstrap: %v\n%s%s", err, out, tail(log, 2000))
	}
	if err := os.WriteFile(filepath.Join(data, "ready"), []byte(h.bin.version+"\n"), 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(data, dir); err != nil {
		if _, serr := os.Stat(filepath.Join(dir, "ready")); serr == nil {
			return dir, nil // made by a concurrent test binary
		}
		return "", err
	}
	return dir, nil
}

func currentUser() string {
	if os.Geteuid() == 0 {
		return "root"
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return fmt.Sprint(os.Geteuid())
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// A Spec describes one server to start.
type Spec struct {
	// Name names the server and its directory, e.g. "shard_001_A".
	Name string
	// DomainID is the gtid-domain-id; 0 means the server's id.
	DomainID int
	// Args are extra mariadbd flags, e.g. "--auto-increment-offset=1".
	Args []string
}

// A Server is one running (or stopped) mariadbd.
type Server struct {
	Name     string
	Dir      string // data dir
	Socket   string // unix socket path
	Port     int    // TCP port on 127.0.0.1 (used by replication)
	ServerID int
	DomainID int

	h    *Harness
	args []string

	mu    sync.Mutex
	cmd   *exec.Cmd
	done  chan struct{}
	admin *sql.DB
}

// PID returns the server's process id, or 0 when it is stopped.
func (s *Server) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// Start starts servers from specs in parallel, each on a copy of the
// template data dir, and waits until every one accepts connections.
func (h *Harness) Start(specs ...Spec) ([]*Server, error) {
	out := make([]*Server, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	for i, spec := range specs {
		h.mu.Lock()
		h.nextID++
		id := h.nextID
		h.mu.Unlock()
		s := &Server{Name: spec.Name, Dir: filepath.Join(h.Root, spec.Name), ServerID: id, DomainID: spec.DomainID, h: h, args: spec.Args}
		if s.DomainID == 0 {
			s.DomainID = id
		}
		s.Socket = filepath.Join(s.Dir, "sock")
		out[i] = s
		wg.Go(func() {
			if err := copyDir(h.template, s.Dir); err != nil {
				errs[i] = fmt.Errorf("server %s: copying template: %w", s.Name, err)
				return
			}
			errs[i] = s.start()
		})
	}
	wg.Wait()
	h.mu.Lock()
	h.servers = append(h.servers, out...)
	h.mu.Unlock()
	return out, errors.Join(errs...)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) start() error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if s.Port == 0 || attempt > 0 {
			if s.Port, err = freePort(); err != nil {
				return err
			}
		}
		if err = s.launch(); err == nil {
			return nil
		}
		if !strings.Contains(err.Error(), "Address already in use") {
			return err
		}
	}
	return err
}

func (s *Server) launch() error {
	os.Remove(s.Socket)
	args := []string{
		"--no-defaults", "--user=" + currentUser(),
		"--datadir=" + s.Dir, "--socket=" + s.Socket, "--pid-file=" + filepath.Join(s.Dir, "pid"),
		"--log-error=" + filepath.Join(s.Dir, "error.log"),
		"--bind-address=127.0.0.1", fmt.Sprintf("--port=%d", s.Port),
		"--innodb-buffer-pool-size=8M", "--innodb-log-file-size=8M",
		"--innodb-flush-log-at-trx-commit=2", "--sync-binlog=0",
		"--performance-schema=OFF", "--skip-name-resolve", "--max-connections=400",
		fmt.Sprintf("--server-id=%d", s.ServerID), fmt.Sprintf("--gtid-domain-id=%d", s.DomainID),
		"--log-bin=" + filepath.Join(s.Dir, "bin"), "--binlog-format=ROW", "--log-slave-updates",
		"--relay-log=" + filepath.Join(s.Dir, "relay"),
	}
	args = append(args, s.args...)
	cmd := exec.Command(s.h.bin.server, args...)
	logf, err := os.OpenFile(filepath.Join(s.Dir, "stdout.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("server %s: %w", s.Name, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(done) }()
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()

	deadline := time.Now().Add(90 * time.Second)
	for {
		select {
		case <-done:
			log, _ := os.ReadFile(filepath.Join(s.Dir, "error.log"))
			return fmt.Errorf("server %s exited during start-up:\n%s", s.Name, tail(log, 3000))
		default:
		}
		if _, err := os.Stat(s.Socket); err == nil {
			db, err := sql.Open("mysql", s.DSN(""))
			if err == nil {
				if err = db.Ping(); err == nil {
					db.SetMaxOpenConns(4)
					s.mu.Lock()
					s.admin = db
					s.mu.Unlock()
					return nil
				}
				db.Close()
			}
		}
		if time.Now().After(deadline) {
			s.signal(syscall.SIGKILL)
			return fmt.Errorf("server %s not ready after 90 s", s.Name)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// DSN returns a go-sql-driver/mysql DSN for database db ("" for none)
// over the server's unix socket, with strict SQL mode and utf8mb4.
func (s *Server) DSN(db string) string {
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd = User, Password
	cfg.Net, cfg.Addr, cfg.DBName = "unix", s.Socket, db
	cfg.Params = map[string]string{"sql_mode": "'STRICT_ALL_TABLES,ONLY_FULL_GROUP_BY,NO_ZERO_IN_DATE,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION'"}
	cfg.Collation = "utf8mb4_general_ci"
	cfg.Timeout = 5 * time.Second
	return cfg.FormatDSN()
}

// Exec runs admin statements on the server, in order.
func (s *Server) Exec(ctx context.Context, stmts ...string) error {
	s.mu.Lock()
	db := s.admin
	s.mu.Unlock()
	if db == nil {
		return fmt.Errorf("server %s is not running", s.Name)
	}
	for _, q := range stmts {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("server %s: %s: %w", s.Name, q, err)
		}
	}
	return nil
}

// QueryString runs a query returning one string value.
func (s *Server) QueryString(ctx context.Context, q string, args ...any) (string, error) {
	s.mu.Lock()
	db := s.admin
	s.mu.Unlock()
	if db == nil {
		return "", fmt.Errorf("server %s is not running", s.Name)
	}
	var v sql.NullString
	err := db.QueryRowContext(ctx, q, args...).Scan(&v)
	return v.String, err
}

// Open creates database db if needed and returns a handle on it, closed
// when t ends.
func (s *Server) Open(t testing.TB, db string) *sql.DB {
	t.Helper()
	if err := s.Exec(t.Context(), "CREATE DATABASE IF NOT EXISTS `"+db+"` CHARACTER SET utf8mb4"); err != nil {
		t.Fatal(err)
	}
	h, err := sql.Open("mysql", s.DSN(db))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// Kill stops the server with SIGKILL (a crash) and waits for it to exit.
func (s *Server) Kill() error { return s.stop(syscall.SIGKILL, 10*time.Second) }

// Stop shuts the server down cleanly (SIGTERM), waiting up to a minute
// before killing it.
func (s *Server) Stop() error { return s.stop(syscall.SIGTERM, time.Minute) }

func (s *Server) stop(sig syscall.Signal, wait time.Duration) error {
	s.mu.Lock()
	cmd, done, admin := s.cmd, s.done, s.admin
	s.cmd, s.admin = nil, nil
	s.mu.Unlock()
	if admin != nil {
		admin.Close()
	}
	if cmd == nil {
		return nil
	}
	cmd.Process.Signal(sig)
	select {
	case <-done:
		return nil
	case <-time.After(wait):
		cmd.Process.Kill()
		<-done
		return fmt.Errorf("server %s (pid %d) did not stop on %v within %v; killed", s.Name, cmd.Process.Pid, sig, wait)
	}
}

func (s *Server) signal(sig syscall.Signal) {
	s.mu.Lock()
	cmd := s.cmd
	s.mu.Unlock()
	if cmd != nil {
		cmd.Process.Signal(sig)
	}
}

// Restart starts a stopped server again on its data dir and port.
func (s *Server) Restart() error {
	if s.PID() != 0 {
		return fmt.Errorf("server %s is running", s.Name)
	}
	return s.launch()
}

// A Pair is two servers replicating both ways.
type Pair struct {
	Name string
	A, B *Server
}

// StartPairs starts a master-master pair per name (servers "<name>_A"
// and "<name>_B", gtid-domain-id 1 for A sides and 2 for B sides) and
// wires replication both ways.
func (h *Harness) StartPairs(names ...string) ([]*Pair, error) {
	var specs []Spec
	for _, n := range names {
		specs = append(specs, Spec{Name: n + "_A", DomainID: 1}, Spec{Name: n + "_B", DomainID: 2})
	}
	srv, err := h.Start(specs...)
	if err != nil {
		return nil, err
	}
	pairs := make([]*Pair, len(names))
	for i, n := range names {
		p := &Pair{Name: n, A: srv[2*i], B: srv[2*i+1]}
		if err := h.Replicate(context.Background(), p.A, p.B); err != nil {
			return nil, err
		}
		h.mu.Lock()
		h.pairs[n] = p
		h.mu.Unlock()
		pairs[i] = p
	}
	return pairs, nil
}

// Pair returns the pair started under name, or nil.
func (h *Harness) Pair(name string) *Pair {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.pairs[name]
}

// StartTickets starts the two ticket servers "tickets_A" (odd ids:
// auto_increment_increment=2, offset 1) and "tickets_B" (even ids,
// offset 2). They do not replicate.
func (h *Harness) StartTickets() ([2]*Server, error) {
	srv, err := h.Start(
		Spec{Name: "tickets_A", Args: []string{"--auto-increment-increment=2", "--auto-increment-offset=1"}},
		Spec{Name: "tickets_B", Args: []string{"--auto-increment-increment=2", "--auto-increment-offset=2"}},
	)
	if err != nil {
		return [2]*Server{}, err
	}
	return [2]*Server{srv[0], srv[1]}, nil
}

// Replicate makes a and b replicate from each other with GTID
// (MASTER_USE_GTID=slave_pos) over 127.0.0.1.
func (h *Harness) Replicate(ctx context.Context, a, b *Server) error {
	for _, x := range [][2]*Server{{a, b}, {b, a}} {
		replica, source := x[0], x[1]
		err := replica.Exec(ctx,
			fmt.Sprintf("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%d, MASTER_USER='%s', MASTER_PASSWORD='%s', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1",
				source.Port, User, Password),
			"START SLAVE")
		if err != nil {
			return err
		}
	}
	return nil
}

// WaitReplicated waits until each server in to has applied every
// transaction from has binary log.
func (h *Harness) WaitReplicated(ctx context.Context, from *Server, to ...*Server) error {
	pos, err := from.QueryString(ctx, "SELECT @@gtid_binlog_pos")
	if err != nil {
		return err
	}
	for _, s := range to {
		r, err := s.QueryString(ctx, "SELECT MASTER_GTID_WAIT(?, 60)", pos)
		if err != nil {
			return err
		}
		if r != "0" {
			return fmt.Errorf("server %s did not reach %s of %s within 60 s", s.Name, pos, from.Name)
		}
	}
	return nil
}

// TopologyJSON returns a topology file for package shard naming the
// given pairs as shards, index as the index pair and tickets as the
// ticket servers, each DSN on database db.
func (h *Harness) TopologyJSON(db string, shards []*Pair, index *Pair, tickets [2]*Server) []byte {
	type pj struct {
		Name string `json:"name,omitempty"`
		A    string `json:"a"`
		B    string `json:"b"`
	}
	v := struct {
		Shards  []pj     `json:"shards"`
		Index   pj       `json:"index"`
		Tickets []string `json:"tickets"`
	}{Index: pj{A: index.A.DSN(db), B: index.B.DSN(db)}, Tickets: []string{tickets[0].DSN(db), tickets[1].DSN(db)}}
	for _, p := range shards {
		v.Shards = append(v.Shards, pj{Name: p.Name, A: p.A.DSN(db), B: p.B.DSN(db)})
	}
	out, _ := json.MarshalIndent(v, "", "  ")
	return out
}

// Close stops every server by PID and removes the temporary directory.
func (h *Harness) Close() error {
	h.mu.Lock()
	servers := h.servers
	h.servers = nil
	h.mu.Unlock()
	var wg sync.WaitGroup
	errs := make([]error, len(servers))
	for i, s := range servers {
		wg.Go(func() { errs[i] = s.Stop() })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return os.RemoveAll(h.Root)
}

// copyDir copies the regular files and directories of src into dst.
func copyDir(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if !d.Type().IsRegular() || rel == "ready" {
			return nil
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
