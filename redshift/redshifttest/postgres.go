package redshifttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNoPostgres reports that the PostgreSQL server binaries (initdb, postgres) are not installed
// (Debian package postgresql, /usr/lib/postgresql/<version>/bin). Tests skip on exactly this
// error and fail on any other.
var ErrNoPostgres = errors.New("redshifttest: PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (install the Debian package postgresql)")

// Postgres is a private PostgreSQL cluster started by StartPostgres: a data directory and a Unix
// socket in a temporary directory, no TCP listener, fsync off. Stop it with Close.
type Postgres struct {
	dir  string
	cmd  *exec.Cmd
	done chan struct{}
}

// postgresBinDir returns the newest /usr/lib/postgresql/*/bin holding initdb and postgres.
func postgresBinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", ErrNoPostgres
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func isExecutable(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}

// StartPostgres initializes and starts a private PostgreSQL cluster in a new temporary
// directory and waits until it accepts connections (about a second). When the process runs as
// root, the cluster runs as the system user postgres, since PostgreSQL refuses to run as root.
// It returns an error wrapping ErrNoPostgres when the binaries are missing.
func StartPostgres(ctx context.Context) (*Postgres, error) {
	bin, err := postgresBinDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "redshifttest-pg-")
	if err != nil {
		return nil, fmt.Errorf("redshifttest: %w", err)
	}
	p := &Postgres{dir: dir, done: make(chan struct{})}
	cred, err := credential()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("redshifttest: %w", err)
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "--no-sync", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("redshifttest: initdb: %w: %s", err, bytes.TrimSpace(out))
	}
	var logs bytes.Buffer
	p.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", data, "-k", dir, "-p", "5432",
		"-c", "listen_addresses=", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=200", "-c", "TimeZone=UTC")
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
	p.cmd.Stdout, p.cmd.Stderr = &lockedWriter{w: &logs}, &lockedWriter{w: &logs}
	if err := p.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("redshifttest: start postgres: %w", err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	for {
		conn, err := pgconn.Connect(ctx, p.ConnString("postgres"))
		if err == nil {
			conn.Close(ctx)
			return p, nil
		}
		select {
		case <-p.done:
			os.RemoveAll(dir)
			return nil, fmt.Errorf("redshifttest: postgres exited: %s", bytes.TrimSpace(logs.Bytes()))
		case <-ctx.Done():
			p.Close()
			return nil, fmt.Errorf("redshifttest: waiting for postgres: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.w.Len() > 1<<16 {
		return len(b), nil // keep the start-up log only
	}
	return l.w.Write(b)
}

// credential returns the postgres user's credential when running as root, else nil.
func credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("redshifttest: running as root and %w; PostgreSQL refuses to run as root", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// ConnString returns a connection string (keyword/value form) for database db on the cluster,
// as the superuser postgres over the Unix socket.
func (p *Postgres) ConnString(db string) string {
	return fmt.Sprintf("host=%s port=5432 user=postgres dbname=%s sslmode=disable", p.dir, db)
}

// Close stops the server (a fast shutdown: SIGINT), waits for it to exit and removes its
// directory.
func (p *Postgres) Close() error {
	if p.cmd != nil && p.cmd.Process != nil {
		select {
		case <-p.done:
		default:
			p.cmd.Process.Signal(syscall.SIGINT)
			select {
			case <-p.done:
			case <-time.After(10 * time.Second):
				p.cmd.Process.Kill()
				<-p.done
			}
		}
	}
	return os.RemoveAll(p.dir)
}
