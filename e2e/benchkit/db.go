package benchkit

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// PGMode is how bench/e2e-command.sh provided the database (BENCH_PG_MODE): "private" (a production-like
// instance started for this run by bench/pg-production.sh), "shared" (BENCH_SHARED_POSTGRES=1: the
// machine's shared PostgreSQL, whose autovacuum is off) or "" (the command was run directly).
func PGMode() string { return os.Getenv("BENCH_PG_MODE") }

// PrintDatabase prints which PostgreSQL the benchmark runs on and its settings, read back from the
// running instance with SHOW.
func PrintDatabase(s *mmserver.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	names := []string{
		"server_version",
		"autovacuum",
		"shared_buffers",
		"effective_cache_size",
		"work_mem",
		"maintenance_work_mem",
		"random_page_cost",
		"max_connections",
	}
	var settings []string
	for _, n := range names {
		var v string
		if err := s.DB().QueryRowContext(ctx, "SHOW "+n).Scan(&v); err != nil {
			return fmt.Errorf("SHOW %s: %w", n, err)
		}
		settings = append(settings, n+"="+v)
	}
	mode := map[string]string{
		"private": "private production-like instance for this run (bench/pg-production.sh)",
		"shared":  "the machine's shared instance (BENCH_SHARED_POSTGRES=1; ANALYZE after every bulk seed)",
	}[PGMode()]
	if mode == "" {
		mode = "TEST_DATABASE_POSTGRESQL_DSN or the default, as found (not started by bench/e2e-command.sh)"
	}
	host := "?"
	if u, err := url.Parse(mmserver.AdminDSN()); err == nil {
		host = u.Host
	}
	fmt.Printf("database: PostgreSQL at %s, database %s: %s\n", host, s.DBName, mode)
	fmt.Printf("database settings (SHOW): %s\n", strings.Join(settings, ", "))
	return nil
}

// AnalyzeIfShared refreshes the planner statistics of the whole benchmark database after a bulk seed
// when the benchmark runs on the shared PostgreSQL, where autovacuum is off and nothing else would.
// On the private instance autovacuum does it, as in production.
func AnalyzeIfShared(s *mmserver.Server) error {
	if PGMode() != "shared" {
		return nil
	}
	if _, err := s.DB().ExecContext(context.Background(), "ANALYZE"); err != nil {
		return fmt.Errorf("analyze after bulk seed: %w", err)
	}
	return nil
}
