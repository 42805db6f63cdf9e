package host

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/onboarding-cockpit/onboarding-cockpit/server/host/queries"
)

// The bindings over the SQL readers (queries/) decode their arguments and pass them on unchanged;
// the readers themselves are tested in their package.

func TestSystemActivityBindingDecodesNow(t *testing.T) {
	var got []int64
	h := &Host{systemActivity: func(now int64) (queries.SystemActivity, error) {
		got = append(got, now)
		return queries.SystemActivity{
			DailyActive:    3,
			WeeklyActive:   5,
			MonthlyActive:  8,
			PostsLastDay:   13,
			ActiveChannels: 2,
			TotalUsers:     21,
		}, nil
	}}
	out, err := h.invoke("system.activity", `[1767225600000]`)
	require.NoError(t, err)
	assert.Equal(t, []int64{1767225600000}, got, "JS milliseconds arrive as int64 unchanged")
	assert.JSONEq(
		t,
		`{"daily_active":3,"weekly_active":5,"monthly_active":8,"posts_last_day":13,"active_channels":2,"total_users":21}`,
		out,
	)
}

func TestSystemActivityBindingRejectsBadArguments(t *testing.T) {
	h := &Host{systemActivity: func(now int64) (queries.SystemActivity, error) {
		t.Fatalf("called with %d", now)
		return queries.SystemActivity{}, nil
	}}
	for _, args := range []string{`[]`, `["today"]`, `[1.5]`, `[null, 1]`, `[1, 2]`} {
		_, err := h.invoke("system.activity", args)
		assert.Error(t, err, args)
	}
}

func TestSystemLoadBindingPassesNow(t *testing.T) {
	var got int64
	h := &Host{systemLoad: func(now int64) (queries.SystemLoad, error) {
		got = now
		return queries.SystemLoad{ActiveSessions: 7, DBConnections: 12, DBMaxConnections: 100}, nil
	}}
	out, err := h.invoke("system.load", `[1767225600000]`)
	require.NoError(t, err)
	assert.Equal(t, int64(1767225600000), got)
	assert.JSONEq(t, `{"active_sessions":7,"db_connections":12,"db_max_connections":100}`, out)
}

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

func TestUsersActivityBindingDecodesIdsSinceAndChannels(t *testing.T) {
	var gotIDs, gotChannels []string
	var gotSince int64
	h := &Host{usersActivity: func(userIDs []string, since int64, channelIDs []string) (map[string]queries.UserActivity, error) {
		gotIDs, gotSince, gotChannels = userIDs, since, channelIDs
		return map[string]queries.UserActivity{userIDs[0]: {
			LastLogin: 5, LastActivityAt: 6, LastPostAt: 7, NotifyPropsChanged: true, ChannelViewedAt: map[string]int64{channelIDs[0]: 8},
		}}, nil
	}}
	id := strings.Repeat("a", 26)
	channel := strings.Repeat("c", 26)
	out, err := h.invoke("users.activity", `[["`+id+`"],1767225600000,["`+channel+`"]]`)
	require.NoError(t, err)
	assert.Equal(t, []string{id}, gotIDs)
	assert.Equal(t, int64(1767225600000), gotSince)
	assert.Equal(t, []string{channel}, gotChannels)
	assert.JSONEq(t, `{"`+id+`":{"last_login":5,"last_activity_at":6,"last_post_at":7,"desktop_app_at":0,"mobile_app_at":0,`+
		`"notify_props_changed":true,"channel_viewed_at":{"`+channel+`":8}}}`, out)
}
