package queries

import (
	"database/sql"
	"os"
	"testing"

	_ "github.com/lib/pq" // the "postgres" driver, as the server's own sqlstore uses
	"github.com/stretchr/testify/require"
)

// testPostgres connects to the PostgreSQL the e2e tests use (TEST_DATABASE_POSTGRESQL_DSN, else the local
// one build/ensure-postgres.sh sets up), so that the readers' SQL conditions are checked by the database
// that runs them. No tables are made: the conditions run on values.
func testPostgres(t *testing.T) *sql.DB {
	t.Helper()
	dsn := os.Getenv("TEST_DATABASE_POSTGRESQL_DSN")
	if dsn == "" {
		dsn = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	db, err := sql.Open("postgres", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Ping(); err != nil {
		t.Fatalf("this test needs PostgreSQL (build/ensure-postgres.sh, or TEST_DATABASE_POSTGRESQL_DSN): %v", err)
	}
	return db
}
