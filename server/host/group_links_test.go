package host

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGroupsLinkedToBindingPassesKindAndID(t *testing.T) {
	var gotKind, gotID string
	h := &Host{groupsLinkedTo: func(kind, id string) ([]string, error) {
		gotKind, gotID = kind, id
		return []string{"g1"}, nil
	}}
	out, err := h.invoke("groups.linkedTo", `["channel","c1"]`)
	require.NoError(t, err)
	assert.Equal(t, "channel", gotKind)
	assert.Equal(t, "c1", gotID)
	assert.JSONEq(t, `["g1"]`, out)
}

func TestGroupsLinkedToRejectsBadInputBeforeTheDatabase(t *testing.T) {
	// The reader checks before opening the database, so no driver is needed.
	read := newGroupsLinkedTo(nil, nil, 0)
	_, err := read("user", strings.Repeat("a", 26))
	assert.ErrorContains(t, err, "kind must be team or channel")
	_, err = read("team", "x'; DROP TABLE GroupTeams; --")
	assert.ErrorContains(t, err, "is not an id")
}
