//go:build unix

package scripts

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// postgres is a PostgreSQL server of the machine's packages, started for one test: its own data
// directory in a temporary directory, listening on 127.0.0.1 on its own port and a Unix socket in
// that directory. Connections over TCP need a password (scram-sha-256); the superuser postgres
// connects through the socket.
type postgres struct {
	bin, psqlPath string
	dir, data     string
	port          int
	cred          *syscall.Credential // the server's user when this test runs as root
}

// postgresBin is the directory of the server's programs: initdb and pg_ctl on PATH, or Debian's
// /usr/lib/postgresql/<version>/bin (the newest), which the postgresql package does not put on
// PATH.
func postgresBin() string {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		if dir := filepath.Dir(p); fileExists(filepath.Join(dir, "initdb")) {
			return dir
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return vi > vj
	})
	for _, dir := range dirs {
		if fileExists(filepath.Join(dir, "initdb")) && fileExists(filepath.Join(dir, "pg_ctl")) && fileExists(filepath.Join(dir, "psql")) {
			return dir
		}
	}
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// startPostgres starts the server, or skips the test when the machine has no PostgreSQL server
// and this is not CI (CI=true: .ci/run installs Debian's postgresql package, so there it fails).
func startPostgres(t *testing.T) *postgres {
	t.Helper()
	var err error
	bin := postgresBin()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true, and no PostgreSQL server (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin: " +
				".ci/run installs it with apt-get install -y postgresql")
		}
		t.Skip("no PostgreSQL server (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin; " +
			"apt-get install postgresql (as .ci/run does) to run this test")
	}
	pg := &postgres{bin: bin, psqlPath: filepath.Join(bin, "psql")}
	if !fileExists(pg.psqlPath) {
		if pg.psqlPath, err = exec.LookPath("psql"); err != nil {
			t.Fatalf("PostgreSQL's server is in %s, but there is no psql: %v", bin, err)
		}
	}
	// Not t.TempDir(): its directories are private to this user, and the server may run as another.
	dir, err := os.MkdirTemp("", "haptik-pg-")
	if err != nil {
		t.Fatal(err)
	}
	pg.dir, pg.data = dir, filepath.Join(dir, "data")
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		// initdb and postgres refuse to run as root: run them as the postgres user the package
		// creates.
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, and no postgres user to run the server as (Debian's postgresql package creates it): %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		pg.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	pg.port = freePort(t)
	pg.server(t, "initdb", "-D", pg.data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
		"-E", "UTF8", "--no-locale", "--no-sync")
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c max_connections=20", pg.port, dir)
	pg.server(t, "pg_ctl", "-D", pg.data, "-l", filepath.Join(dir, "server.log"), "-o", opts, "-w", "-t", "60", "start")
	t.Cleanup(func() {
		// Not t.Context(): it is canceled before cleanups run.
		if out, err := pg.serverErr(context.Background(), "pg_ctl", "-D", pg.data, "-m", "fast", "-w", "stop"); err != nil {
			t.Errorf("pg_ctl stop: %v\n%s", err, out)
		}
	})
	return pg
}

// freePort is a TCP port on 127.0.0.1 that nothing listened on a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	var lc net.ListenConfig
	l, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port
}

func (pg *postgres) server(t *testing.T, program string, args ...string) {
	t.Helper()
	if out, err := pg.serverErr(t.Context(), program, args...); err != nil {
		log, _ := os.ReadFile(filepath.Join(pg.dir, "server.log"))
		t.Fatalf("%s %s: %v\n%s\nserver log:\n%s", program, strings.Join(args, " "), err, out, log)
	}
}

func (pg *postgres) serverErr(ctx context.Context, program string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(pg.bin, program), args...)
	cmd.Dir = pg.dir
	cmd.Env = append(cleanEnv("PG"), "LC_ALL=C")
	if pg.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: pg.cred}
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// psql runs psql as the superuser through the socket, stopping at the first error.
func (pg *postgres) psql(t *testing.T, args ...string) string {
	t.Helper()
	base := []string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", pg.dir, "-p", strconv.Itoa(pg.port), "-U", "postgres"}
	return run(t, pg.dir, append(cleanEnv("PG"), "LC_ALL=C"), pg.psqlPath, append(base, args...)...)
}

// connStr is a connection string over TCP for the role.
func (pg *postgres) connStr(role, password, db string) string {
	return fmt.Sprintf("postgres://%s:%s@127.0.0.1:%d/%s?sslmode=disable", role, password, pg.port, db)
}

// cleanEnv is this process's environment without the variables whose names start with one of
// the prefixes.
func cleanEnv(prefixes ...string) []string {
	var env []string
next:
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		for _, p := range prefixes {
			if strings.HasPrefix(strings.ToUpper(name), p) {
				continue next
			}
		}
		env = append(env, kv)
	}
	return env
}
