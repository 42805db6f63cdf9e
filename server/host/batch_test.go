package host

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
)

func invokeBatch(t *testing.T, api *plugintest.API, binding, args string, into any) {
	t.Helper()
	h := &Host{api: api}
	got, err := h.invoke(binding, args)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(got), into))
	api.AssertExpectations(t)
}

// teams.addMembers: members stay untouched, left and missing members are added by a graceful call of
// their own, a refused user carries the server's error, and admin gives team_admin to whoever lacks it.
func TestTeamsAddMembersAnswersPerUser(t *testing.T) {
	api := &plugintest.API{}
	api.On("GetTeamMember", "t1", "present").Return(&model.TeamMember{UserId: "present", Roles: "team_user team_admin"}, nil)
	api.On("GetTeamMember", "t1", "left").Return(&model.TeamMember{UserId: "left", Roles: "team_user", DeleteAt: 5}, nil)
	api.On("GetTeamMember", "t1", "new").
		Return(nil, model.NewAppError("GetTeamMember", "app.team.get_member.missing.app_error", nil, "", http.StatusNotFound))
	api.On("GetTeamMember", "t1", "refused").
		Return(nil, model.NewAppError("GetTeamMember", "app.team.get_member.missing.app_error", nil, "", http.StatusNotFound))
	api.On("GetTeamMember", "t1", "broken").Return(nil, model.NewAppError("GetTeamMember", "db", nil, "", http.StatusInternalServerError))
	// Every missing user is added once, each by a call of their own.
	added := map[string]int{}
	var mu sync.Mutex // the calls run side by side
	api.On("CreateTeamMembersGracefully", "t1", mock.Anything, "bot").
		Return(func(_ string, ids []string, _ string) ([]*model.TeamMemberWithError, *model.AppError) {
			mu.Lock()
			defer mu.Unlock()
			var out []*model.TeamMemberWithError
			for _, id := range ids {
				added[id]++
				if id == "refused" {
					out = append(
						out,
						&model.TeamMemberWithError{
							UserId: id,
							Error:  model.NewAppError("AddUserToTeam", "api.team.add_members.user_denied", nil, "", http.StatusForbidden),
						},
					)
					continue
				}
				out = append(out, &model.TeamMemberWithError{UserId: id, Member: &model.TeamMember{UserId: id, Roles: "team_user"}})
			}
			return out, nil
		})
	api.On("UpdateTeamMemberRoles", "t1", mock.Anything, "team_user team_admin").
		Return(func(_, userID, roles string) (*model.TeamMember, *model.AppError) {
			return &model.TeamMember{UserId: userID, Roles: roles}, nil
		})
	var results []struct {
		UserID string `json:"user_id"`
		Added  bool   `json:"added"`
		Roles  string `json:"roles"`
		Error  *struct {
			StatusCode int    `json:"status_code"`
			ID         string `json:"id"`
		} `json:"error"`
	}
	invokeBatch(
		t,
		api,
		"teams.addMembers",
		`["t1",["present","left","new","refused","broken"],{"requestor_id":"bot","admin":true}]`,
		&results,
	)
	require.Len(t, results, 5)
	assert.Equal(t, map[string]int{"left": 1, "new": 1, "refused": 1}, added, "only missing users are added, each once")
	// In the order asked.
	assert.Equal(t, "present", results[0].UserID)
	assert.False(t, results[0].Added, "already a member and admin: nothing to do")
	assert.Nil(t, results[0].Error)
	for _, r := range results[1:3] {
		assert.True(t, r.Added, r.UserID)
		assert.Equal(t, "team_user team_admin", r.Roles, r.UserID)
	}
	require.NotNil(t, results[3].Error)
	assert.Equal(t, "api.team.add_members.user_denied", results[3].Error.ID)
	assert.Equal(t, http.StatusForbidden, results[3].Error.StatusCode)
	require.NotNil(t, results[4].Error)
	assert.Equal(t, http.StatusInternalServerError, results[4].Error.StatusCode)
	api.AssertNumberOfCalls(t, "UpdateTeamMemberRoles", 2)
}

// channels.addMembers: one membership lookup for the batch, AddUserToChannel for the others only.
func TestChannelsAddMembersAnswersPerUser(t *testing.T) {
	api := &plugintest.API{}
	ids := []string{}
	for i := range 20 {
		ids = append(ids, fmt.Sprintf("u%02d", i))
	}
	api.On("GetChannelMembersByIds", "c1", ids).
		Return(model.ChannelMembers{{UserId: "u00", Roles: "channel_user"}, {UserId: "u01", Roles: "channel_user channel_admin"}}, nil)
	api.On("AddUserToChannel", "c1", mock.Anything, "bot").Return(func(_, userID, _ string) (*model.ChannelMember, *model.AppError) {
		if userID == "u07" {
			return nil, model.NewAppError("addUserToChannel", "api.channel.add_members.user_denied", nil, "", http.StatusBadRequest)
		}
		return &model.ChannelMember{UserId: userID, Roles: "channel_user"}, nil
	})
	body, _ := json.Marshal([]any{"c1", ids, map[string]any{"requestor_id": "bot", "admin": false}})
	var results []memberAddResult
	invokeBatch(t, api, "channels.addMembers", string(body), &results)
	require.Len(t, results, 20)
	api.AssertNumberOfCalls(t, "AddUserToChannel", 18)
	for i, r := range results {
		assert.Equal(t, ids[i], r.UserID)
		switch r.UserID {
		case "u00", "u01":
			assert.False(t, r.Added)
			assert.Nil(t, r.Error)
		case "u07":
			require.NotNil(t, r.Error)
			assert.Equal(t, "api.channel.add_members.user_denied", r.Error.ID)
		default:
			assert.True(t, r.Added)
			assert.Nil(t, r.Error)
		}
	}
	assert.Equal(t, "channel_user channel_admin", results[1].Roles)
}

// posts.createDirect: a failing DM channel or post is that user's error; the others are posted.
func TestPostsCreateDirectAnswersPerUser(t *testing.T) {
	api := &plugintest.API{}
	api.On("GetDirectChannel", "bot", "a").Return(&model.Channel{Id: "dm-a"}, nil)
	api.On("GetDirectChannel", "bot", "gone").
		Return(nil, model.NewAppError("GetDirectChannel", "app.user.missing", nil, "", http.StatusNotFound))
	api.On("GetDirectChannel", "bot", "b").Return(&model.Channel{Id: "dm-b"}, nil)
	api.On(
		"CreatePost",
		mock.MatchedBy(func(p *model.Post) bool { return p.ChannelId == "dm-a" && p.GetProp("cockpit_welcome") == "w:a" }),
	).
		Return(&model.Post{Id: "p-a"}, nil)
	api.On("CreatePost", mock.MatchedBy(func(p *model.Post) bool { return p.ChannelId == "dm-b" })).
		Return(nil, model.NewAppError("CreatePost", "app.post.save.app_error", nil, "", http.StatusInternalServerError))
	var results []directPostResult
	invokeBatch(
		t,
		api,
		"posts.createDirect",
		`["bot",[{"user_id":"a","message":"hi","props":{"cockpit_welcome":"w:a"}},`+
			`{"user_id":"gone","message":"hi","props":{}},{"user_id":"b","message":"hi","props":null}]]`,
		&results,
	)
	require.Len(t, results, 3)
	assert.Equal(t, directPostResult{UserID: "a", ChannelID: "dm-a", PostID: "p-a"}, results[0])
	require.NotNil(t, results[1].Error)
	assert.Equal(t, http.StatusNotFound, results[1].Error.StatusCode)
	require.NotNil(t, results[2].Error)
	assert.Equal(t, "dm-b", results[2].ChannelID)
	assert.Equal(t, "app.post.save.app_error", results[2].Error.ID)
}

func TestBatchBindingsRefuseOversizedBatches(t *testing.T) {
	ids := make([]string, maxBatchUsers+1)
	for i := range ids {
		ids[i] = fmt.Sprintf("u%d", i)
	}
	body, _ := json.Marshal([]any{ids})
	h := &Host{api: &plugintest.API{}}
	_, err := h.invoke("users.getMany", string(body))
	require.Error(t, err)
	assert.Equal(t, "cockpit.host.bad_arguments", asHostError(err).ID)
}

// When the server's RPC connection breaks (the plugin being disabled mid-batch) the plugin API answers
// nil, nil. Each batch binding then fails that user with cockpit.host.no_answer instead of
// dereferencing nil in a worker goroutine, which ended the plugin process (seen in CI).
func TestBatchBindingsFailUsersTheServerGaveNoAnswerFor(t *testing.T) {
	var noMember *model.ChannelMember
	var noTeamMember *model.TeamMember
	cases := []struct {
		name, binding, args string
		setup               func(api *plugintest.API)
	}{
		{"team lookup", "teams.addMembers", `["t1",["u1"],{"requestor_id":"bot","admin":false}]`, func(api *plugintest.API) {
			api.On("GetTeamMember", "t1", "u1").Return(noTeamMember, nil)
		}},
		{"team add", "teams.addMembers", `["t1",["u1"],{"requestor_id":"bot","admin":false}]`, func(api *plugintest.API) {
			api.On("GetTeamMember", "t1", "u1").Return(nil, model.NewAppError("GetTeamMember", "missing", nil, "", http.StatusNotFound))
			api.On("CreateTeamMembersGracefully", "t1", []string{"u1"}, "bot").Return([]*model.TeamMemberWithError{{UserId: "u1"}}, nil)
		}},
		{"team admin role", "teams.addMembers", `["t1",["u1"],{"requestor_id":"bot","admin":true}]`, func(api *plugintest.API) {
			api.On("GetTeamMember", "t1", "u1").Return(&model.TeamMember{UserId: "u1", Roles: "team_user"}, nil)
			api.On("UpdateTeamMemberRoles", "t1", "u1", "team_user team_admin").Return(noTeamMember, nil)
		}},
		{"channel add", "channels.addMembers", `["c1",["u1"],{"requestor_id":"bot","admin":false}]`, func(api *plugintest.API) {
			api.On("GetChannelMembersByIds", "c1", []string{"u1"}).Return(model.ChannelMembers{}, nil)
			api.On("AddUserToChannel", "c1", "u1", "bot").Return(noMember, nil)
		}},
		{"channel admin role", "channels.addMembers", `["c1",["u1"],{"requestor_id":"bot","admin":true}]`, func(api *plugintest.API) {
			api.On("GetChannelMembersByIds", "c1", []string{"u1"}).Return(model.ChannelMembers{{UserId: "u1", Roles: "channel_user"}}, nil)
			api.On("UpdateChannelMemberRoles", "c1", "u1", "channel_user channel_admin").Return(noMember, nil)
		}},
		{"direct channel", "posts.createDirect", `["bot",[{"user_id":"u1","message":"hi","props":{}}]]`, func(api *plugintest.API) {
			var none *model.Channel
			api.On("GetDirectChannel", "bot", "u1").Return(none, nil)
		}},
		{"direct post", "posts.createDirect", `["bot",[{"user_id":"u1","message":"hi","props":{}}]]`, func(api *plugintest.API) {
			var none *model.Post
			api.On("GetDirectChannel", "bot", "u1").Return(&model.Channel{Id: "dm"}, nil)
			api.On("CreatePost", mock.Anything).Return(none, nil)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := &plugintest.API{}
			tc.setup(api)
			var results []struct {
				UserID string      `json:"user_id"`
				Error  *batchError `json:"error"`
			}
			invokeBatch(t, api, tc.binding, tc.args, &results)
			require.Len(t, results, 1)
			assert.Equal(t, "u1", results[0].UserID)
			require.NotNil(t, results[0].Error, "a user the server gave no answer for must not pass as done")
			assert.Equal(t, "cockpit.host.no_answer", results[0].Error.ID)
			assert.Equal(t, http.StatusServiceUnavailable, results[0].Error.StatusCode)
		})
	}
}

// A panic in a batch worker goroutine would end the plugin process; it becomes the binding's error.
func TestBatchWorkerPanicBecomesTheBindingsError(t *testing.T) {
	api := &plugintest.API{}
	api.On("GetChannelMembersByIds", "c1", mock.Anything).Return(model.ChannelMembers{}, nil)
	api.On("AddUserToChannel", "c1", mock.Anything, "bot").Run(func(mock.Arguments) { panic("boom") })
	api.On("LogError", mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything).Return()
	ids := make([]string, 3*batchWorkers)
	for i := range ids {
		ids[i] = fmt.Sprintf("u%d", i)
	}
	body, _ := json.Marshal([]any{"c1", ids, map[string]any{"requestor_id": "bot", "admin": false}})
	h := &Host{api: api}
	_, err := h.invoke("channels.addMembers", string(body))
	require.Error(t, err)
	assert.Equal(t, "cockpit.host.panic", asHostError(err).ID)
}

// users.setDefaultPreferences writes over a row only when it holds the spec's replace_value (what the
// server writes for every new account); any other value is the user's and stays.
func TestSetDefaultPreferencesReplacesOnlyTheServersCreationValue(t *testing.T) {
	api := &plugintest.API{}
	for userID, step := range map[string]string{"fresh": "0", "toured": "3"} {
		api.On("GetPreferencesForUser", userID).
			Return([]model.Preference{{UserId: userID, Category: "tutorial_step", Name: userID, Value: step}}, nil)
	}
	api.On("UpdatePreferencesForUser", "fresh", []model.Preference{{UserId: "fresh", Category: "tutorial_step", Name: "fresh", Value: "999"}}).
		Return(nil)
	spec := func(userID string) map[string]any {
		return map[string]any{"user_id": userID, "preferences": []map[string]any{
			{"category": "tutorial_step", "name": userID, "value": "999", "replace_value": "0"},
		}}
	}
	body, _ := json.Marshal([]any{[]any{spec("fresh"), spec("toured")}})
	var results []preferenceDefaultsResult
	invokeBatch(t, api, "users.setDefaultPreferences", string(body), &results)
	assert.Equal(t, []preferenceDefaultsResult{{UserID: "fresh", Written: 1}, {UserID: "toured", Written: 0}}, results)
	api.AssertNumberOfCalls(t, "UpdatePreferencesForUser", 1)
}
