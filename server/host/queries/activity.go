package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SystemActivity is what `system.activity` returns: the adoption numbers the plugin API has no call for, read from the database
// through the plugin Driver on the read replica, like `system.stats`. Every window ends at `now`
// (milliseconds, passed by JS so the day a snapshot describes is the caller's).
type SystemActivity struct {
	// Non-bot, non-deactivated users whose Status.LastActivityAt is in the last 24 hours / 7 days / 30 days
	// (the server's own daily/monthly active user statistics read the same column).
	DailyActive   int64 `json:"daily_active"`
	WeeklyActive  int64 `json:"weekly_active"`
	MonthlyActive int64 `json:"monthly_active"`
	// Posts created in the last 24 hours and not deleted, system messages (joins, header changes…) left out.
	PostsLastDay int64 `json:"posts_last_day"`
	// Public and private channels, not archived, with a post in the last 7 days.
	ActiveChannels int64 `json:"active_channels"`
	// Non-bot, non-deactivated users (the same count as system.stats total_users).
	TotalUsers int64 `json:"total_users"`
}

const (
	day = int64(24 * time.Hour / time.Millisecond)

	// One pass over the Status rows active in the last 30 days (bounded by the window, not by all users);
	// bots and deactivated users are joined out.
	countActiveUsersByWindow = `SELECT
			COUNT(*) FILTER (WHERE s.LastActivityAt >= $1),
			COUNT(*) FILTER (WHERE s.LastActivityAt >= $2),
			COUNT(*)
		FROM Status s JOIN Users u ON u.Id = s.UserId
		WHERE s.LastActivityAt >= $3 AND u.DeleteAt = 0
			AND NOT EXISTS (SELECT 1 FROM Bots b WHERE b.UserId = s.UserId)`
	// A range on the Posts.CreateAt index (idx_posts_create_at).
	countPostsSince = `SELECT COUNT(*) FROM Posts WHERE CreateAt >= $1 AND DeleteAt = 0 AND Type NOT LIKE 'system\_%'`
	// Channels is one row per channel (far fewer rows than Posts); LastPostAt is kept by the server on every post.
	countActiveChannelsSince = `SELECT COUNT(*) FROM Channels WHERE LastPostAt >= $1 AND DeleteAt = 0 AND Type IN ('O', 'P')`
)

// activityWindows are the cut-offs (ms) for a snapshot taken at now: 24 h, 7 days, 30 days.
func activityWindows(now int64) (dayStart, weekStart, monthStart int64) {
	return now - day, now - 7*day, now - 30*day
}

// SystemActivity reads the adoption counts at now: a few indexed queries.
func (r *Replica) SystemActivity(now int64) (SystemActivity, error) {
	if now <= 0 {
		return SystemActivity{}, errors.New("system.activity: now must be a positive time in milliseconds")
	}
	var a SystemActivity
	err := r.run("system.activity", func(ctx context.Context, db *sql.DB) error {
		dayStart, weekStart, monthStart := activityWindows(now)
		if err := db.QueryRowContext(ctx, countActiveUsersByWindow, dayStart, weekStart, monthStart).
			Scan(&a.DailyActive, &a.WeeklyActive, &a.MonthlyActive); err != nil {
			return fmt.Errorf("system.activity: active users: %w", err)
		}
		if err := db.QueryRowContext(ctx, countPostsSince, dayStart).Scan(&a.PostsLastDay); err != nil {
			return fmt.Errorf("system.activity: posts: %w", err)
		}
		if err := db.QueryRowContext(ctx, countActiveChannelsSince, weekStart).Scan(&a.ActiveChannels); err != nil {
			return fmt.Errorf("system.activity: channels: %w", err)
		}
		if err := db.QueryRowContext(ctx, countActiveUsers).Scan(&a.TotalUsers); err != nil {
			return fmt.Errorf("system.activity: users: %w", err)
		}
		return nil
	})
	if err != nil {
		return SystemActivity{}, err
	}
	return a, nil
}
