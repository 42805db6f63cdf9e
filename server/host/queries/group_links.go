package queries

import (
	"context"
	"database/sql"
	"fmt"
)

// The groups linked to a team or channel (GroupTeams / GroupChannels rows not deleted, of groups not
// deleted): a group-constrained team or channel takes only members of these groups. The plugin API has
// GetGroupSyncables per group but nothing per team or channel, so the waves dry run reads them here,
// one indexed query per target, to predict who such a target would refuse.
const (
	readGroupsLinkedToTeam = `SELECT gt.GroupId FROM GroupTeams gt JOIN UserGroups g ON g.Id = gt.GroupId
	WHERE gt.TeamId = $1 AND gt.DeleteAt = 0 AND g.DeleteAt = 0`
	readGroupsLinkedToChannel = `SELECT gc.GroupId FROM GroupChannels gc JOIN UserGroups g ON g.Id = gc.GroupId
	WHERE gc.ChannelId = $1 AND gc.DeleteAt = 0 AND g.DeleteAt = 0`
)

// GroupsLinkedTo reads the ids of the groups linked to a team or channel (kind "team" or "channel").
func (r *Replica) GroupsLinkedTo(kind, id string) ([]string, error) {
	query := ""
	switch kind {
	case "team":
		query = readGroupsLinkedToTeam
	case "channel":
		query = readGroupsLinkedToChannel
	default:
		return nil, fmt.Errorf("groups.linkedTo: kind must be team or channel, got %q", kind)
	}
	if !idPattern.MatchString(id) {
		return nil, fmt.Errorf("groups.linkedTo: %q is not an id", id)
	}
	ids := []string{}
	err := r.run("groups.linkedTo", func(ctx context.Context, db *sql.DB) error {
		rows, err := db.QueryContext(ctx, query, id)
		if err != nil {
			return fmt.Errorf("groups.linkedTo: %w", err)
		}
		defer func() { _ = rows.Close() }() // read-only: rows.Err() reports what went wrong
		for rows.Next() {
			var groupID string
			if err := rows.Scan(&groupID); err != nil {
				return fmt.Errorf("groups.linkedTo: %w", err)
			}
			ids = append(ids, groupID)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}
