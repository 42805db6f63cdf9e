package queries

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGroupsLinkedToRejectsBadInputBeforeTheDatabase(t *testing.T) {
	// The reader checks before opening the database, so no driver is needed.
	read := NewReplica(nil, nil, 0).GroupsLinkedTo
	_, err := read("user", strings.Repeat("a", 26))
	assert.ErrorContains(t, err, "kind must be team or channel")
	_, err = read("team", "x'; DROP TABLE GroupTeams; --")
	assert.ErrorContains(t, err, "is not an id")
}
