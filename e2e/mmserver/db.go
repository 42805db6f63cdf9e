package mmserver

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	_ "github.com/lib/pq" // the "postgres" driver; the server's sqlstore uses it too
)

// DefaultAdminDSN is used when TEST_DATABASE_POSTGRESQL_DSN is unset: the local PostgreSQL
// with trust auth that build/ensure-postgres.sh provides.
const DefaultAdminDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// AdminDSN returns the DSN used to create and drop databases.
func AdminDSN() string {
	if dsn := os.Getenv("TEST_DATABASE_POSTGRESQL_DSN"); dsn != "" {
		return dsn
	}
	return DefaultAdminDSN
}

var dbNameRE = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// dsnForDatabase returns adminDSN with its database replaced by name.
func dsnForDatabase(adminDSN, name string) (string, error) {
	u, err := url.Parse(adminDSN)
	if err != nil {
		return "", fmt.Errorf("parse DSN: %w", err)
	}
	u.Path = "/" + name
	q := u.Query()
	if q.Get("connect_timeout") == "" {
		q.Set("connect_timeout", "10")
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// ensureDatabase creates database name if it does not exist and reports whether it created it.
func ensureDatabase(ctx context.Context, adminDSN, name string) (created bool, err error) {
	if !dbNameRE.MatchString(name) {
		return false, fmt.Errorf("invalid database name %q", name)
	}
	db, err := sql.Open("postgres", adminDSN)
	if err != nil {
		return false, err
	}
	defer func() { _ = db.Close() }()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		return false, fmt.Errorf(
			"PostgreSQL at %s is not reachable (run build/ensure-postgres.sh, or set TEST_DATABASE_POSTGRESQL_DSN): %w",
			redact(adminDSN),
			err,
		)
	}
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return false, err
	}
	if exists {
		return false, nil
	}
	if _, err := db.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		return false, fmt.Errorf("create database %s: %w", name, err)
	}
	return true, nil
}

// dropDatabase drops database name, disconnecting any remaining session.
func dropDatabase(adminDSN, name string) error {
	if !dbNameRE.MatchString(name) {
		return fmt.Errorf("invalid database name %q", name)
	}
	db, err := sql.Open("postgres", adminDSN)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err = db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	return err
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "<dsn>"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	return strings.TrimSpace(u.String())
}
