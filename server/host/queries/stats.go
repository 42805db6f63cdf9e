package queries

import (
	"context"
	"database/sql"
	"fmt"
)

// SystemStats is what `system.stats` returns. The plugin API has no call for server-wide totals, so they are read from the
// database through the plugin Driver: active non-bot users, counted exactly, and posts, from
// PostgreSQL's planner estimate once the table is large (an exact COUNT over a hundred million
// posts would take the replica seconds every readiness run; the thresholds it feeds are in millions).
type SystemStats struct {
	TotalUsers int64 `json:"total_users"`
	TotalPosts int64 `json:"total_posts"`
}

const (
	countActiveUsers = `SELECT COUNT(*) FROM Users WHERE DeleteAt = 0 AND Id NOT IN (SELECT UserId FROM Bots)`
	// reltuples is -1 for a table never analyzed; below 100,000 rows the exact count is cheap anyway.
	countPosts = `SELECT CASE WHEN est >= 100000 THEN est ELSE (SELECT COUNT(*) FROM Posts WHERE DeleteAt = 0) END
		FROM (SELECT COALESCE((SELECT reltuples::bigint FROM pg_class WHERE relname = 'posts'), -1) AS est) AS estimate`
)

// SystemStats reads the server-wide totals.
func (r *Replica) SystemStats() (SystemStats, error) {
	var stats SystemStats
	err := r.run("system.stats", func(ctx context.Context, db *sql.DB) error {
		for _, q := range []struct {
			query string
			dest  *int64
		}{{countActiveUsers, &stats.TotalUsers}, {countPosts, &stats.TotalPosts}} {
			if err := db.QueryRowContext(ctx, q.query).Scan(q.dest); err != nil {
				return fmt.Errorf("system.stats: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return SystemStats{}, err
	}
	return stats, nil
}
