package queries

import (
	"encoding/json"
	"maps"
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

// The notification-settings condition, run by PostgreSQL on a user's NotifyProps against the build's
// defaults: a key the user lacks never counts (a server older than the build gives fewer), a changed
// value or a key new accounts do not get does.
func TestNotifyPropsChangedComparesKeyByKey(t *testing.T) {
	db := testPostgres(t)
	var defaults map[string]string
	require.NoError(t, json.Unmarshal([]byte(newAccountNotifyProps), &defaults))
	require.Contains(t, defaults, "push_threads")
	with := func(change func(props map[string]string)) string {
		props := maps.Clone(defaults)
		change(props)
		text, err := json.Marshal(props)
		require.NoError(t, err)
		return string(text)
	}
	const query = `SELECT ` + notifyPropsChanged + ` FROM (SELECT $1::jsonb AS NotifyProps, $2::int AS Unused) u`
	for _, row := range []struct {
		name    string
		props   any // the Users.NotifyProps value (nil: SQL NULL)
		changed bool
	}{
		{"the build's defaults", newAccountNotifyProps, false},
		{"the build's defaults in another key order", `{"push":"mention",` + strings.TrimPrefix(newAccountNotifyProps, "{"), false},
		{"a key the build's defaults have and the account lacks", with(func(p map[string]string) { delete(p, "push_threads") }), false},
		{"only one key of the defaults", `{"email":"true"}`, false},
		{"empty", `{}`, false},
		{"NULL", nil, false},
		{"not an object", `"mention"`, false},
		{"a changed value", with(func(p map[string]string) { p["email"] = "false" }), true},
		{"a changed value, another default key missing", with(func(p map[string]string) {
			p["desktop"] = "all"
			delete(p, "push_threads")
		}), true},
		{"a key new accounts do not get", with(func(p map[string]string) { p["desktop_notification_sound"] = "Bing" }), true},
	} {
		var changed bool
		require.NoError(t, db.QueryRow(query, row.props, 0, newAccountNotifyProps).Scan(&changed), row.name)
		assert.Equal(t, row.changed, changed, row.name)
	}
}
