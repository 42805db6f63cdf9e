package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SystemLoad is what `system.load` returns: the server-load numbers an admin watches during a pilot that the plugin can read. The
// plugin API has no analytics call, so they come from the database through the plugin Driver:
//   - active_sessions: sessions not yet expired, the same query as the server's own
//     session_count (GET /api/v4/analytics/old?name=extra_counts, SessionStore.AnalyticsSessionCount);
//   - db_connections: connections PostgreSQL holds open to this database, from every node, the
//     server pools and anything else (the server's own total_master/read_db_connections are per-node
//     pool sizes, not reachable from a plugin);
//   - db_max_connections: PostgreSQL's max_connections, the ceiling db_connections runs into.
//
// WebSocket connections live only in each node's memory (and in Prometheus metrics): no plugin API reaches them.
type SystemLoad struct {
	ActiveSessions   int64 `json:"active_sessions"`
	DBConnections    int64 `json:"db_connections"`
	DBMaxConnections int64 `json:"db_max_connections"`
}

const (
	countActiveSessions      = `SELECT COUNT(*) FROM Sessions WHERE ExpiresAt > $1`
	countDatabaseConnections = `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()`
	readMaxConnections       = `SELECT setting::bigint FROM pg_settings WHERE name = 'max_connections'`
)

// SystemLoad reads sessions and database connections at now: a few cheap queries.
func (r *Replica) SystemLoad(now int64) (SystemLoad, error) {
	if now <= 0 {
		return SystemLoad{}, errors.New("system.load: now must be a positive time in milliseconds")
	}
	var load SystemLoad
	err := r.run("system.load", func(ctx context.Context, db *sql.DB) error {
		if err := db.QueryRowContext(ctx, countActiveSessions, now).Scan(&load.ActiveSessions); err != nil {
			return fmt.Errorf("system.load: sessions: %w", err)
		}
		if err := db.QueryRowContext(ctx, countDatabaseConnections).Scan(&load.DBConnections); err != nil {
			return fmt.Errorf("system.load: connections: %w", err)
		}
		if err := db.QueryRowContext(ctx, readMaxConnections).Scan(&load.DBMaxConnections); err != nil {
			return fmt.Errorf("system.load: max_connections: %w", err)
		}
		return nil
	})
	if err != nil {
		return SystemLoad{}, err
	}
	return load, nil
}
