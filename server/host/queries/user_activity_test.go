package queries

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsersActivityRejectsBadInputBeforeTheDatabase(t *testing.T) {
	// The reader checks before opening the database, so no driver is needed.
	read := NewReplica(nil, nil, 0).UsersActivity
	_, err := read([]string{"not-an-id'; DROP TABLE Users; --"}, 0, nil)
	assert.ErrorContains(t, err, "is not a user id")
	_, err = read([]string{strings.Repeat("b", 26)}, 0, []string{"x', '"})
	assert.ErrorContains(t, err, "is not a channel id")
	channels := make([]string, maxActivityChannels+1)
	for i := range channels {
		channels[i] = strings.Repeat("c", 26)
	}
	_, err = read([]string{strings.Repeat("b", 26)}, 0, channels)
	assert.ErrorContains(t, err, "at most 100 channels")
	many := make([]string, maxActivityUsers+1)
	for i := range many {
		many[i] = strings.Repeat("b", 26)
	}
	_, err = read(many, 0, nil)
	assert.ErrorContains(t, err, "at most 1000 users")
	empty, err := read(nil, 0, nil)
	require.NoError(t, err)
	assert.Empty(t, empty)
}

func TestNewAccountNotifyPropsAreTheServersDefaults(t *testing.T) {
	// What the query compares with: the server's own defaults, so a new account reads "not changed".
	var props map[string]string
	require.NoError(t, json.Unmarshal([]byte(newAccountNotifyProps), &props))
	assert.Equal(t, "mention", props["desktop"])
	assert.Equal(t, "true", props["email"])
	assert.NotContains(t, props, "desktop_notification_sound") // a key only a save from the web app writes
}
