package host

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsersActivityBindingDecodesIdsAndSince(t *testing.T) {
	var gotIDs []string
	var gotSince int64
	h := &Host{usersActivity: func(userIDs []string, since int64) (map[string]UserActivity, error) {
		gotIDs, gotSince = userIDs, since
		return map[string]UserActivity{userIDs[0]: {LastLogin: 5, LastActivityAt: 6, LastPostAt: 7}}, nil
	}}
	id := strings.Repeat("a", 26)
	out, err := h.invoke("users.activity", `[["`+id+`"],1767225600000]`)
	require.NoError(t, err)
	assert.Equal(t, []string{id}, gotIDs)
	assert.Equal(t, int64(1767225600000), gotSince)
	assert.JSONEq(t, `{"`+id+`":{"last_login":5,"last_activity_at":6,"last_post_at":7,"desktop_app_at":0,"mobile_app_at":0}}`, out)
}

func TestUsersActivityRejectsBadInputBeforeTheDatabase(t *testing.T) {
	// The reader checks before opening the database, so no driver is needed.
	read := newUsersActivity(nil, nil, 0)
	_, err := read([]string{"not-an-id'; DROP TABLE Users; --"}, 0)
	assert.ErrorContains(t, err, "is not a user id")
	many := make([]string, maxActivityUsers+1)
	for i := range many {
		many[i] = strings.Repeat("b", 26)
	}
	_, err = read(many, 0)
	assert.ErrorContains(t, err, "at most 1000 users")
	empty, err := read(nil, 0)
	require.NoError(t, err)
	assert.Empty(t, empty)
}
