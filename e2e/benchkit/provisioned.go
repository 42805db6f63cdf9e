package benchkit

import (
	"fmt"

	"github.com/lib/pq"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// CheckProvisioned reads the database: every user in the team and the channels, and exactly one post
// from the sender in each user's DM with the sender. The provisioning benchmarks run it after each
// approach, so a fast approach that left work undone does not count.
func CheckProvisioned(s *mmserver.Server, teamID string, channels []*model.Channel, userIDs []string, sender string) error {
	db := s.DB()
	ids := pq.Array(userIDs)
	n := len(userIDs)
	var got int
	if err := db.QueryRow(
		`SELECT count(*) FROM TeamMembers WHERE TeamId = $1 AND DeleteAt = 0 AND UserId = ANY($2)`,
		teamID,
		ids,
	).Scan(&got); err != nil ||
		got != n {
		return fmt.Errorf("team members: %d of %d (%v)", got, n, err)
	}
	for _, ch := range channels {
		if err := db.QueryRow(
			`SELECT count(*) FROM ChannelMembers WHERE ChannelId = $1 AND UserId = ANY($2)`,
			ch.Id,
			ids,
		).Scan(&got); err != nil ||
			got != n {
			return fmt.Errorf("channel %s members: %d of %d (%v)", ch.Name, got, n, err)
		}
	}
	names := make([]string, n)
	for i, id := range userIDs {
		names[i] = model.GetDMNameFromIds(sender, id)
	}
	rows, err := db.Query(`SELECT c.Name, count(*) FROM Posts p JOIN Channels c ON c.Id = p.ChannelId
		WHERE c.Type = 'D' AND c.Name = ANY($1) AND p.UserId = $2 AND p.DeleteAt = 0 AND p.Type = ''
		GROUP BY c.Name`,
		pq.Array(names), sender)
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }()
	users := 0
	for rows.Next() {
		var name string
		var k int
		if err := rows.Scan(&name, &k); err != nil {
			return err
		}
		if k != 1 {
			return fmt.Errorf("DM %s has %d posts from the sender", name, k)
		}
		users++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if users != n {
		return fmt.Errorf("%d of %d users have their DM", users, n)
	}
	return nil
}
