package benchkit

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// CPUMeter samples the CPU time (utime+stime from /proc/<pid>/stat) of the three parties of a server
// benchmark:
//
//   - server:   this process — the in-process Mattermost, and the benchmark's load client with it;
//   - plugin:   the plugin's processes (the server's go-plugin children, whose executable lives in the
//     plugin's folder of this server's data directory, as e2e/cockpit/hardening_kill_test.go finds them;
//     with AddServer, those of the other in-process servers too);
//   - postgres: on the private instance (BENCH_PG_MODE=private) the whole instance: the postmaster
//     and all its children, plus the CPU of the children it reaped meanwhile (cutime+cstime), so
//     backends that ended and autovacuum workers count too; otherwise the backends of the
//     benchmark's database in pg_stat_activity (backends that end between two samples are missed).
//
// PostgreSQL is only measured when it runs on this machine (its processes are in /proc).
type CPUMeter struct {
	s          *mmserver.Server
	pluginDirs []string
	postmaster int // the private instance's postmaster, 0 if not measured that way
	clkTck     float64
}

// CPUSample is one reading, in seconds.
type CPUSample struct {
	At                       time.Time
	Server, Plugin, Postgres float64
	PostgresOK               bool
}

// CPUUsage is the CPU seconds spent between two samples, beside the wall time.
type CPUUsage struct {
	Server, Plugin, Postgres float64
	PostgresOK               bool
	Wall                     time.Duration
}

// NewCPUMeter prepares a meter for s.
func NewCPUMeter(s *mmserver.Server) *CPUMeter {
	m := &CPUMeter{s: s, pluginDirs: []string{pluginDirOf(s)}, clkTck: 100}
	if out, err := exec.Command("getconf", "CLK_TCK").Output(); err == nil {
		if v, convErr := strconv.ParseFloat(strings.TrimSpace(string(out)), 64); convErr == nil && v > 0 {
			m.clkTck = v
		}
	}
	if PGMode() == "private" {
		var backend int
		if err := s.DB().QueryRowContext(context.Background(), "SELECT pg_backend_pid()").Scan(&backend); err == nil {
			if st, ok := m.stat(backend); ok {
				m.postmaster = st.ppid
			}
		}
	}
	return m
}

func pluginDirOf(s *mmserver.Server) string {
	return filepath.Join(s.DataDir, "plugins", mmserver.PluginID) + string(filepath.Separator)
}

// AddServer counts the plugin processes of another in-process server (a second node on the same database) as plugin.
func (m *CPUMeter) AddServer(s *mmserver.Server) { m.pluginDirs = append(m.pluginDirs, pluginDirOf(s)) }

type procStat struct {
	ppid                        int
	utime, stime, cutime, cstim float64
}

// stat reads /proc/<pid>/stat; the times in seconds.
func (m *CPUMeter) stat(pid int) (procStat, bool) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return procStat{}, false
	}
	// pid (comm) state ppid … ; comm may hold spaces and parentheses: split after the last ')'.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return procStat{}, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 15 {
		return procStat{}, false
	}
	num := func(k int) float64 { v, _ := strconv.ParseFloat(f[k-3], 64); return v / m.clkTck } // field k of stat(5)
	ppid, _ := strconv.Atoi(f[1])
	return procStat{ppid: ppid, utime: num(14), stime: num(15), cutime: num(16), cstim: num(17)}, true
}

// Sample reads the CPU seconds so far.
func (m *CPUMeter) Sample() CPUSample {
	smp := CPUSample{At: time.Now()}
	if st, ok := m.stat(os.Getpid()); ok {
		smp.Server = st.utime + st.stime
	}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, ok := m.stat(pid)
		if !ok {
			continue
		}
		switch {
		case m.postmaster != 0 && pid == m.postmaster:
			smp.Postgres += st.utime + st.stime + st.cutime + st.cstim
			smp.PostgresOK = true
		case m.postmaster != 0 && st.ppid == m.postmaster:
			smp.Postgres += st.utime + st.stime
		default:
			if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && m.isPlugin(exe) {
				smp.Plugin += st.utime + st.stime
			}
		}
	}
	if m.postmaster == 0 {
		smp.Postgres, smp.PostgresOK = m.backends()
	}
	return smp
}

func (m *CPUMeter) isPlugin(exe string) bool {
	for _, dir := range m.pluginDirs {
		if strings.HasPrefix(exe, dir) {
			return true
		}
	}
	return false
}

// backends sums the CPU of the benchmark database's backends listed in pg_stat_activity.
func (m *CPUMeter) backends() (float64, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rows, err := m.s.DB().QueryContext(ctx, "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
	if err != nil {
		return 0, false
	}
	defer func() { _ = rows.Close() }()
	var sum float64
	found := false
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) != nil {
			continue
		}
		if st, ok := m.stat(pid); ok {
			sum += st.utime + st.stime
			found = true
		}
	}
	return sum, found && rows.Err() == nil
}

// Since is the CPU spent from before to now.
func (m *CPUMeter) Since(before CPUSample) CPUUsage {
	after := m.Sample()
	return after.Sub(before)
}

// Sub is the usage between before and s.
func (s CPUSample) Sub(before CPUSample) CPUUsage {
	return CPUUsage{
		Server: s.Server - before.Server, Plugin: s.Plugin - before.Plugin, Postgres: s.Postgres - before.Postgres,
		PostgresOK: s.PostgresOK && before.PostgresOK, Wall: s.At.Sub(before.At),
	}
}

// Add sums two usages (e.g. the rounds of one cell).
func (u CPUUsage) Add(o CPUUsage) CPUUsage {
	ok := o.PostgresOK && (u.PostgresOK || u.Wall == 0)
	return CPUUsage{
		Server:     u.Server + o.Server,
		Plugin:     u.Plugin + o.Plugin,
		Postgres:   u.Postgres + o.Postgres,
		PostgresOK: ok,
		Wall:       u.Wall + o.Wall,
	}
}

// String is "cpu: server X s, plugin Y s, postgres Z s, wall W s".
func (u CPUUsage) String() string {
	pg := "n/a"
	if u.PostgresOK {
		pg = fmt.Sprintf("%.2f s", u.Postgres)
	}
	return fmt.Sprintf("cpu: server %.2f s, plugin %.2f s, postgres %s, wall %.2f s", u.Server, u.Plugin, pg, u.Wall.Seconds())
}

// PostgresScope says what the postgres figure of a CPUUsage covers.
func PostgresScope() string {
	if PGMode() == "private" {
		return "the whole private instance, autovacuum included"
	}
	return "the live backends of the benchmark's database"
}
