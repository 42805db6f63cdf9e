package host

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"

	"github.com/onboarding-cockpit/onboarding-cockpit/server/host/queries"
)

// Each row calls one binding the way JS does (a JSON argument array) against a mock that
// only matches the decoded Go arguments, and checks the JSON JS receives.
func TestBindingsDecodeArguments(t *testing.T) {
	user := &model.User{Id: "u1", Username: "ada", Password: "hash", MfaSecret: "secret"}
	tests := []struct {
		binding string
		args    string
		mock    func(api *plugintest.API)
		want    string
	}{
		{"kv.get", `["k"]`, func(api *plugintest.API) { api.On("KVGet", "k").Return([]byte("v"), nil) }, `"v"`},
		{"kv.get", `["missing"]`, func(api *plugintest.API) { api.On("KVGet", "missing").Return(nil, nil) }, `null`},
		{"kv.set", `["k","v"]`, func(api *plugintest.API) { api.On("KVSet", "k", []byte("v")).Return(nil) }, `null`},
		{"kv.setWithOptions", `["k","v",{"atomic":true,"old_value":"o","expire_in_seconds":60}]`, func(api *plugintest.API) {
			api.On(
				"KVSetWithOptions",
				"k",
				[]byte("v"),
				model.PluginKVSetOptions{Atomic: true, OldValue: []byte("o"), ExpireInSeconds: 60},
			).
				Return(true, nil)
		}, `true`},
		{"kv.setWithOptions", `["k",null,{"atomic":true,"old_value":null}]`, func(api *plugintest.API) {
			api.On("KVSetWithOptions", "k", []byte(nil), model.PluginKVSetOptions{Atomic: true}).Return(false, nil)
		}, `false`},
		{
			"kv.setWithExpiry",
			`["k","v",30]`,
			func(api *plugintest.API) { api.On("KVSetWithExpiry", "k", []byte("v"), int64(30)).Return(nil) },
			`null`,
		},
		{"kv.compareAndSet", `["k",null,"new"]`, func(api *plugintest.API) {
			api.On("KVCompareAndSet", "k", []byte(nil), []byte("new")).Return(true, nil)
		}, `true`},
		{"kv.createAll", `[[{"key":"a","value":"1"},{"key":"b","value":"2"},{"key":"c","value":"3"}]]`, func(api *plugintest.API) {
			api.On("KVCompareAndSet", "a", []byte(nil), []byte("1")).Return(true, nil)
			api.On("KVCompareAndSet", "b", []byte(nil), []byte("2")).Return(false, nil)
			down := model.NewAppError("KVCompareAndSet", "kv.down", nil, "", http.StatusInternalServerError)
			api.On("KVCompareAndSet", "c", []byte(nil), []byte("3")).Return(false, down)
		}, `[{"created":true},{"created":false},{"created":false,"error":{"status_code":500,"id":"kv.down","message":"kv.down"}}]`},
		{"kv.delete", `["k"]`, func(api *plugintest.API) { api.On("KVDelete", "k").Return(nil) }, `null`},
		{"kv.listKeys", `[0,100]`, func(api *plugintest.API) { api.On("KVList", 0, 100).Return(nil, nil) }, `[]`},
		{"users.get", `["u1"]`, func(api *plugintest.API) { api.On("GetUser", "u1").Return(user, nil) }, ``},
		{"users.getByEmail", `["a@b.c"]`, func(api *plugintest.API) { api.On("GetUserByEmail", "a@b.c").Return(user, nil) }, ``},
		{"users.getByUsername", `["ada"]`, func(api *plugintest.API) { api.On("GetUserByUsername", "ada").Return(user, nil) }, ``},
		{"users.list", `[1,50,"t1"]`, func(api *plugintest.API) {
			api.On("GetUsersInTeam", "t1", 1, 50).Return([]*model.User{user}, nil)
		}, ``},
		{"users.list", `[0,50,""]`, func(api *plugintest.API) {
			api.On("GetUsers", &model.UserGetOptions{Active: true, Page: 0, PerPage: 50}).Return([]*model.User{user}, nil)
		}, ``},
		{"teams.get", `["t1"]`, func(api *plugintest.API) { api.On("GetTeam", "t1").Return(&model.Team{Id: "t1"}, nil) }, ``},
		{
			"teams.getByName",
			`["core"]`,
			func(api *plugintest.API) { api.On("GetTeamByName", "core").Return(&model.Team{Id: "t1"}, nil) },
			``,
		},
		{"teams.list", `[]`, func(api *plugintest.API) { api.On("GetTeams").Return([]*model.Team{{Id: "t1"}}, nil) }, ``},
		{"teams.listForUser", `["u1"]`, func(api *plugintest.API) { api.On("GetTeamsForUser", "u1").Return(nil, nil) }, `[]`},
		{"teams.getMember", `["t1","u1"]`, func(api *plugintest.API) {
			api.On("GetTeamMember", "t1", "u1").Return(&model.TeamMember{TeamId: "t1", UserId: "u1"}, nil)
		}, ``},
		{"teams.addMember", `["t1","u1"]`, func(api *plugintest.API) {
			api.On("CreateTeamMember", "t1", "u1").Return(&model.TeamMember{TeamId: "t1", UserId: "u1"}, nil)
		}, ``},
		{"teams.updateMemberRoles", `["t1","u1","team_user team_admin"]`, func(api *plugintest.API) {
			api.On("UpdateTeamMemberRoles", "t1", "u1", "team_user team_admin").Return(&model.TeamMember{TeamId: "t1", UserId: "u1"}, nil)
		}, ``},
		{"channels.updateMemberRoles", `["c1","u1","channel_user channel_admin"]`, func(api *plugintest.API) {
			api.On("UpdateChannelMemberRoles", "c1", "u1", "channel_user channel_admin").
				Return(&model.ChannelMember{ChannelId: "c1", UserId: "u1"}, nil)
		}, ``},
		{"posts.listForChannel", `["c1",0,60]`, func(api *plugintest.API) {
			api.On("GetPostsForChannel", "c1", 0, 60).
				Return(&model.PostList{Order: []string{"p2", "p1"}, Posts: map[string]*model.Post{"p1": {Id: "p1"}, "p2": {Id: "p2"}}}, nil)
		}, ``},
		{"posts.listForChannel", `["empty",1,10]`, func(api *plugintest.API) {
			api.On("GetPostsForChannel", "empty", 1, 10).Return(model.NewPostList(), nil)
		}, `[]`},
		{"groups.members", `["g1",2,100]`, func(api *plugintest.API) {
			api.On("GetGroupMemberUsers", "g1", 2, 100).Return([]*model.User{user}, nil)
		}, ``},
		{"groups.get", `["g1"]`, func(api *plugintest.API) {
			api.On("GetGroup", "g1").Return(&model.Group{Id: "g1", Name: new("helpdesk")}, nil)
		}, ``},
		{"groups.getByName", `["helpdesk"]`, func(api *plugintest.API) {
			api.On("GetGroupByName", "helpdesk").Return(&model.Group{Id: "g1", Name: new("helpdesk")}, nil)
		}, ``},
		{"groups.idsForUser", `["u1"]`, func(api *plugintest.API) {
			api.On("GetGroupsForUser", "u1").Return([]*model.Group{{Id: "g1"}, {Id: "g2"}}, nil)
		}, `["g1","g2"]`},
		{"groups.idsForUser", `["lonely"]`, func(api *plugintest.API) {
			api.On("GetGroupsForUser", "lonely").Return(nil, nil)
		}, `[]`},
		{"channels.get", `["c1"]`, func(api *plugintest.API) { api.On("GetChannel", "c1").Return(&model.Channel{Id: "c1"}, nil) }, ``},
		{"channels.getByName", `["t1","town-square"]`, func(api *plugintest.API) {
			api.On("GetChannelByName", "t1", "town-square", false).Return(&model.Channel{Id: "c1"}, nil)
		}, ``},
		{"channels.getMember", `["c1","u1"]`, func(api *plugintest.API) {
			api.On("GetChannelMember", "c1", "u1").Return(&model.ChannelMember{ChannelId: "c1", UserId: "u1"}, nil)
		}, ``},
		{"channels.addMember", `["c1","u1","bot"]`, func(api *plugintest.API) {
			api.On("AddUserToChannel", "c1", "u1", "bot").Return(&model.ChannelMember{ChannelId: "c1", UserId: "u1"}, nil)
		}, ``},
		{"channels.getDirect", `["u1","u2"]`, func(api *plugintest.API) {
			api.On("GetDirectChannel", "u1", "u2").Return(&model.Channel{Id: "dm"}, nil)
		}, ``},
		{"posts.create", `[{"channel_id":"c1","message":"hi","props":{"k":1}}]`, func(api *plugintest.API) {
			api.On("CreatePost", mock.MatchedBy(func(p *model.Post) bool {
				return p.ChannelId == "c1" && p.Message == "hi" && p.GetProp("k") == float64(1)
			})).Return(&model.Post{Id: "p1"}, nil)
		}, ``},
		{"posts.sendEphemeral", `["u1",{"channel_id":"c1","message":"psst"}]`, func(api *plugintest.API) {
			api.On("SendEphemeralPost", "u1", mock.MatchedBy(func(p *model.Post) bool { return p.Message == "psst" })).
				Return(&model.Post{Id: "e1"})
		}, ``},
		{
			"dialogs.open",
			`[{"trigger_id":"t1","url":"/plugins/x/submit","dialog":{"title":"Survey","elements":[{"name":"q1","type":"radio"}]}}]`,
			func(api *plugintest.API) {
				api.On("OpenInteractiveDialog", mock.MatchedBy(func(r model.OpenDialogRequest) bool {
					return r.TriggerId == "t1" && r.URL == "/plugins/x/submit" && r.Dialog.Title == "Survey" &&
						r.Dialog.Elements[0].Type == "radio"
				})).Return(nil)
			},
			`null`,
		},
		{"bot.ensure", `[{"username":"cockpit","display_name":"Cockpit","description":"d"}]`, func(api *plugintest.API) {
			api.On("EnsureBotUser", &model.Bot{Username: "cockpit", DisplayName: "Cockpit", Description: "d"}).Return("bot1", nil)
		}, `"bot1"`},
		{
			"mail.send",
			`["a@b.c","Hi","<b>x</b>"]`,
			func(api *plugintest.API) { api.On("SendMail", "a@b.c", "Hi", "<b>x</b>").Return(nil) },
			`null`,
		},
		{"config.get", `[]`, func(api *plugintest.API) { api.On("GetConfig").Return(&model.Config{}) }, ``},
		{"config.getUnsanitized", `[]`, func(api *plugintest.API) { api.On("GetUnsanitizedConfig").Return(&model.Config{}) }, ``},
		{"config.getPlugin", `[]`, func(api *plugintest.API) { api.On("GetPluginConfig").Return(nil) }, `{}`},
		{"system.getLicense", `[]`, func(api *plugintest.API) { api.On("GetLicense").Return(nil) }, `null`},
		{"system.getServerVersion", `[]`, func(api *plugintest.API) { api.On("GetServerVersion").Return("11.2.0") }, `"11.2.0"`},
		{"system.getPluginStates", `[]`, func(api *plugintest.API) {
			api.On("GetPlugins").Return([]*model.Manifest{{Id: "p1", Name: "P", Version: "1.0.0"}}, nil)
			api.On("GetPluginStatus", "p1").Return(&model.PluginStatus{PluginId: "p1", State: model.PluginStateFailedToStart}, nil)
		}, `[{"id":"p1","name":"P","version":"1.0.0","state":3}]`},
		{"permissions.hasSystemPermission", `["u1","manage_system"]`, func(api *plugintest.API) {
			api.On("HasPermissionTo", "u1", model.PermissionManageSystem).Return(true)
		}, `true`},
		{"permissions.hasTeamPermission", `["u1","t1","manage_team"]`, func(api *plugintest.API) {
			api.On("HasPermissionToTeam", "u1", "t1", model.PermissionManageTeam).Return(false)
		}, `false`},
		{"permissions.hasChannelPermission", `["u1","c1","manage_public_channel_properties"]`, func(api *plugintest.API) {
			api.On("HasPermissionToChannel", "u1", "c1", model.PermissionManagePublicChannelProperties).Return(true)
		}, `true`},
		// ---- role templates; rest.request has its own test (rest_test.go) ----
		{"admin.updateUserRoles", `["u1","system_user system_user_manager"]`, func(api *plugintest.API) {
			api.On("UpdateUserRoles", "u1", "system_user system_user_manager").Return(user, nil)
		}, ``},
		{"admin.createAccessToken", `["b1","moderation"]`, func(api *plugintest.API) {
			api.On("CreateUserAccessToken", &model.UserAccessToken{UserId: "b1", Description: "moderation"}).
				Return(&model.UserAccessToken{Id: "tid", Token: "tok", UserId: "b1"}, nil)
		}, `{"id":"tid","token":"tok"}`},
		{"admin.revokeAccessToken", `["tid"]`, func(api *plugintest.API) { api.On("RevokeUserAccessToken", "tid").Return(nil) }, `null`},
		{"admin.createBot", `[{"username":"mod","display_name":"Mod","description":"d"}]`, func(api *plugintest.API) {
			api.On("GetUserByUsername", "mod").Return(nil, model.NewAppError("x", "not_found", nil, "", 404))
			api.On("CreateBot", &model.Bot{Username: "mod", DisplayName: "Mod", Description: "d"}).Return(&model.Bot{UserId: "b1"}, nil)
		}, `"b1"`},
		{
			"admin.registerCommand",
			`[{"trigger":"onboarding","display_name":"O","description":"d","auto_complete_desc":"a","auto_complete_hint":"review"}]`,
			func(api *plugintest.API) {
				api.On(
					"RegisterCommand",
					&model.Command{
						Trigger:          "onboarding",
						DisplayName:      "O",
						Description:      "d",
						AutoComplete:     true,
						AutoCompleteDesc: "a",
						AutoCompleteHint: "review",
					},
				).
					Return(nil)
			},
			`null`,
		},
		{"channels.update", `[{"id":"c1","header":"h"}]`, func(api *plugintest.API) {
			api.On("UpdateChannel", mock.MatchedBy(func(c *model.Channel) bool { return c.Id == "c1" && c.Header == "h" })).
				Return(&model.Channel{Id: "c1"}, nil)
		}, ``},
		{"channels.listPublic", `["t1",0,200]`, func(api *plugintest.API) {
			api.On("GetPublicChannelsForTeam", "t1", 0, 200).Return(nil, nil)
		}, `[]`},
		{"channels.members", `["c1",0,200]`, func(api *plugintest.API) {
			api.On("GetChannelMembers", "c1", 0, 200).Return(model.ChannelMembers{{ChannelId: "c1", UserId: "u1", SchemeAdmin: true}}, nil)
		}, ``},
		{"channels.create", `[{"team_id":"t1","name":"welcome","display_name":"Welcome","type":"P"}]`, func(api *plugintest.API) {
			api.On("CreateChannel", &model.Channel{TeamId: "t1", Name: "welcome", DisplayName: "Welcome", Type: model.ChannelTypePrivate}).
				Return(&model.Channel{Id: "c9"}, nil)
		}, ``},
		{"posts.get", `["p1"]`, func(api *plugintest.API) { api.On("GetPost", "p1").Return(&model.Post{Id: "p1"}, nil) }, ``},
		{"posts.update", `[{"id":"p1","message":"edited"}]`, func(api *plugintest.API) {
			api.On("UpdatePost", mock.MatchedBy(func(p *model.Post) bool { return p.Id == "p1" && p.Message == "edited" })).
				Return(&model.Post{Id: "p1", Message: "edited"}, nil)
		}, ``},
		{
			"audit.logServer", `[{"event_name":"plan.task.update","status":"success","user_id":"u1","session_id":"s1",` +
				`"ip_address":"203.0.113.7","x_forwarded_for":"","client":"UA","object_type":"plan",` +
				`"parameters":{"target":"task:t"},"resulting_state":{"state":"done"},"meta":{}}]`,
			func(api *plugintest.API) {
				api.On("LogAuditRec", &model.AuditRecord{
					EventName: "plan.task.update",
					Status:    "success",
					Actor:     model.AuditEventActor{UserId: "u1", SessionId: "s1", Client: "UA", IpAddress: "203.0.113.7"},
					EventData: model.AuditEventData{
						Parameters:  map[string]any{"target": "task:t"},
						ResultState: map[string]any{"state": "done"},
						ObjectType:  "plan",
					},
					Meta: map[string]any{},
				}).Return()
			}, `null`,
		},
		{"teams.members", `["t1",0,200]`, func(api *plugintest.API) {
			api.On("GetTeamMembers", "t1", 0, 200).Return([]*model.TeamMember{{TeamId: "t1", UserId: "u1", SchemeAdmin: true}}, nil)
		}, ``},
		{"teams.stats", `["t1"]`, func(api *plugintest.API) {
			api.On("GetTeamStats", "t1").Return(&model.TeamStats{TeamId: "t1", TotalMemberCount: 12, ActiveMemberCount: 10}, nil)
		}, ``},
		// ---- waves engine batches; batch_test.go covers their per-user answers ----
		{
			"users.getMany",
			`[["u1"]]`,
			func(api *plugintest.API) { api.On("GetUsersByIds", []string{"u1"}).Return([]*model.User{user}, nil) },
			``,
		},
		{"teams.addMembers", `["t1",["u1"],{"requestor_id":"bot","admin":false}]`, func(api *plugintest.API) {
			api.On("GetTeamMember", "t1", "u1").Return(&model.TeamMember{TeamId: "t1", UserId: "u1", Roles: "team_user"}, nil)
		}, `[{"user_id":"u1","added":false,"roles":"team_user","error":null}]`},
		{"channels.addMembers", `["c1",["u1"],{"requestor_id":"bot","admin":false}]`, func(api *plugintest.API) {
			api.On("GetChannelMembersByIds", "c1", []string{"u1"}).Return(model.ChannelMembers{}, nil)
			api.On("AddUserToChannel", "c1", "u1", "bot").
				Return(&model.ChannelMember{ChannelId: "c1", UserId: "u1", Roles: "channel_user"}, nil)
		}, `[{"user_id":"u1","added":true,"roles":"channel_user","error":null}]`},
		{"posts.createDirect", `["bot",[{"user_id":"u1","message":"hi","props":{"k":"v"}}]]`, func(api *plugintest.API) {
			api.On("GetDirectChannel", "bot", "u1").Return(&model.Channel{Id: "dm"}, nil)
			api.On("CreatePost", mock.MatchedBy(func(p *model.Post) bool {
				return p.ChannelId == "dm" && p.UserId == "bot" && p.Message == "hi" && p.GetProp("k") == "v"
			})).Return(&model.Post{Id: "p1"}, nil)
		}, `[{"user_id":"u1","channel_id":"dm","post_id":"p1","error":null}]`},
		{
			"users.createMany", `[[{"email":"a@corp.example","username":"a","auth_service":"ldap","auth_data":"uid-a"}]]`,
			func(api *plugintest.API) {
				api.On("CreateUser", mock.MatchedBy(func(u *model.User) bool {
					return u.Email == "a@corp.example" && u.Username == "a" && u.AuthService == "ldap" &&
						*u.AuthData == "uid-a" && u.Password == ""
				})).Return(&model.User{Id: "u9"}, nil)
			},
			`[{"email":"a@corp.example","user_id":"u9","created":true,"error":null}]`,
		},
		{"system.timezones", `[]`, func(*plugintest.API) {}, ``},
		// Only the default the user has no row for is written: their own collapsed_reply_threads stays.
		{
			"users.setDefaultPreferences",
			`[[{"user_id":"u1","preferences":[{"category":"display_settings","name":"collapsed_reply_threads","value":"off"},` +
				`{"category":"notifications","name":"email_interval","value":"3600"}]}]]`,
			func(api *plugintest.API) {
				api.On("GetPreferencesForUser", "u1").
					Return(
						[]model.Preference{{UserId: "u1", Category: "display_settings", Name: "collapsed_reply_threads", Value: "on"}},
						nil,
					)
				api.On(
					"UpdatePreferencesForUser",
					"u1",
					[]model.Preference{{UserId: "u1", Category: "notifications", Name: "email_interval", Value: "3600"}},
				).
					Return(nil)
			},
			`[{"user_id":"u1","written":1,"error":null}]`,
		},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.binding] = true
		t.Run(tt.binding, func(t *testing.T) {
			api := &plugintest.API{}
			tt.mock(api)
			h := &Host{api: api}
			got, err := h.invoke(tt.binding, tt.args)
			require.NoError(t, err)
			if tt.want != "" {
				assert.JSONEq(t, tt.want, got)
			}
			assert.NotContains(t, got, `"hash"`, "user secrets never reach JS")
			assert.NotContains(t, got, `"secret"`)
			api.AssertExpectations(t)
		})
	}
	// The stateful bindings (system.getHostStats, jobs.*, mutex.*) and those calling the REST API have their own tests.
	for _, b := range bindings {
		switch b.Name {
		case "system.getHostStats",
			"system.stats",
			"system.activity",
			"system.load",
			"users.activity",
			"groups.linkedTo",
			"system.getNodeId",
			"jobs.schedule",
			"jobs.scheduleOnEveryNode",
			"jobs.cancel",
			"mutex.lock",
			"mutex.lockWithin",
			"mutex.unlock",
			"rest.request",
			"rest.get",
			"rest.probeAsAdmin",
			"rest.probePushProxy",
			"config.patchAs":
			continue
		}
		assert.True(t, covered[b.Name], "binding %s has no row in this table", b.Name)
	}
}

// JS sees failures as thrown Errors named HostError with status_code, id and message.
func TestHostErrorsSeenByJS(t *testing.T) {
	tests := []struct {
		name   string
		call   string // JS: name and JSON args of a __host_call
		mock   func(api *plugintest.API)
		status int
		id     string
		msg    string
	}{
		{"AppError keeps status and id", `'users.get', '["nobody"]'`, func(api *plugintest.API) {
			api.On("GetUser", "nobody").
				Return(nil, model.NewAppError("GetUser", "app.user.missing.app_error", nil, "", http.StatusNotFound))
		}, 404, "app.user.missing.app_error", "app.user.missing.app_error"},
		{"plain error is a 500", `'bot.ensure', '[{"username":"b","display_name":"B","description":""}]'`, func(api *plugintest.API) {
			api.On("EnsureBotUser", mock.Anything).Return("", errors.New("bots disabled"))
		}, 500, "cockpit.host.error", "bots disabled"},
		{"unknown binding", `'kv.nope', '[]'`, nil, 404, "cockpit.host.unknown_binding", "unknown host binding kv.nope"},
		{"wrong argument type", `'kv.get', '[5]'`, nil, 400, "cockpit.host.bad_arguments", ""},
		{"wrong argument count", `'kv.set', '["k"]'`, nil, 400, "cockpit.host.bad_arguments", "kv.set expects 2 argument(s), got 1"},
		{"arguments not an array", `'kv.get', '{}'`, nil, 400, "cockpit.host.bad_arguments", ""},
		{
			"null object argument",
			`'posts.create', '[null]'`,
			nil,
			400,
			"cockpit.host.bad_arguments",
			"posts.create: argument 1 must be an object",
		},
		{
			"unknown permission",
			`'permissions.hasSystemPermission', '["u1","fly"]'`,
			nil,
			400,
			"cockpit.host.bad_arguments",
			`unknown permission "fly"`,
		},
		{"unlock of a lock not held", `'mutex.unlock', '["plan"]'`, nil, 400, "cockpit.host.bad_arguments", `mutex "plan" is not held`},
		{"non-positive job interval", `'jobs.schedule', '["j",0]'`, nil, 400, "cockpit.host.bad_arguments", ""},
		{"panicking binding", `'system.getServerVersion', '[]'`, func(api *plugintest.API) {
			api.On("GetServerVersion").Run(func(mock.Arguments) { panic("nil map") }).Return("")
		}, 500, "cockpit.host.panic", "system.getServerVersion failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newAPI(1, 1)
			if tt.mock != nil {
				tt.mock(api)
			}
			p := activate(t, api, bundleWith(`test: function () {
				try { __host_call(`+tt.call+`); return 'no error'; }
				catch (e) { return {isError: e instanceof Error, name: e.name, status_code: e.status_code, id: e.id, message: e.message}; }
			}`))
			got, err := call(p, "test", "null")
			require.NoError(t, err)
			var thrown struct {
				IsError    bool   `json:"isError"`
				Name       string `json:"name"`
				StatusCode int    `json:"status_code"`
				ID         string `json:"id"`
				Message    string `json:"message"`
			}
			require.NoError(t, jsonUnmarshal(got, &thrown), got)
			assert.True(t, thrown.IsError)
			assert.Equal(t, "HostError", thrown.Name)
			assert.Equal(t, tt.status, thrown.StatusCode)
			assert.Equal(t, tt.id, thrown.ID)
			if tt.msg != "" {
				assert.Equal(t, tt.msg, thrown.Message)
			} else {
				assert.NotEmpty(t, thrown.Message)
			}
		})
	}
}

func TestSystemStatsBinding(t *testing.T) {
	h := &Host{systemStats: func() (queries.SystemStats, error) { return queries.SystemStats{TotalUsers: 12, TotalPosts: 345}, nil }}
	got, err := h.invoke("system.stats", `[]`)
	require.NoError(t, err)
	assert.JSONEq(t, `{"total_users":12,"total_posts":345}`, got)
}

func TestHostStatsBinding(t *testing.T) {
	p := activate(t, newAPI(2, 7), bundleWith(`test: function () { return host('system.getHostStats'); }`))
	got, err := call(p, "test", "null")
	require.NoError(t, err)
	assert.JSONEq(t, `{"pool_idle":1,"pool_busy":1,"pool_max":7,"vms_created":2,"vms_discarded":0,"calls_served":1,"calls_failed":0}`, got)
}

func TestConsoleRouting(t *testing.T) {
	api := &plugintest.API{}
	api.On("GetPluginConfig").Return(map[string]any{})
	api.On("LogInfo", `hello {"a":[1,2]} 3 true null undefined`).Once()
	api.On("LogInfo", "via info").Once()
	api.On("LogWarn", "careful").Once()
	api.On("LogDebug", "details").Once()
	api.On("LogInfo", "structured", "user_id", "u1", "count", int64(3), "ok", true).Once()
	api.On("LogInfo", `nested {"a":{"b":1}}`).Once()
	api.On("LogError", mock.MatchedBy(func(msg string) bool {
		return assert.Contains(t, msg, "failed: Error: broken") && assert.Contains(t, msg, "test.js")
	})).Once()
	p := activate(t, api, bundleWith(`test: function () {
		console.log('hello', {a: [1, 2]}, 3, true, null, undefined);
		console.info('via info');
		console.warn('careful');
		console.debug('details');
		console.info('structured', {user_id: 'u1', count: 3, ok: true});
		console.info('nested', {a: {b: 1}});
		console.error('failed:', new Error('broken'));
	}`))
	_, err := call(p, "test", "null")
	require.NoError(t, err)
	api.AssertExpectations(t)
}

// The TypeScript the bundle compiles against (binding types, facade, host API, read-only view) is
// generated from the table above; this fails when someone edits one without the other.
func TestGeneratedTypeScriptIsUpToDate(t *testing.T) {
	files, err := GenerateTS(".")
	require.NoError(t, err)
	require.Len(t, files, 4)
	serverModule := os.DirFS("..")
	for path, text := range files {
		onDisk, err := fs.ReadFile(serverModule, path)
		require.NoError(t, err)
		if string(onDisk) != text {
			t.Errorf("%s is stale: run `cd server && go run ./host/cmd/gendts` (or `make`)", path)
		}
	}
}

// Each signature's parameters are the Go function's, in number and kind: the TypeScript side
// cannot send a string where the host decodes a number, or leave out an argument.
func TestSignaturesMatchGoParameters(t *testing.T) {
	for _, b := range bindings {
		params, _ := splitSignature(b.Signature)
		if !assert.Len(t, params, len(b.params), "%s: parameter count", b.Name) {
			continue
		}
		for i, param := range params {
			_, tsType, _ := strings.Cut(param, ": ")
			assert.True(
				t,
				tsKindMatches(b.params[i], tsType),
				"%s: parameter %d is %s in TypeScript and %s in Go",
				b.Name,
				i+1,
				tsType,
				b.params[i],
			)
		}
	}
}

func tsKindMatches(goType reflect.Type, tsType string) bool {
	switch goType.Kind() {
	case reflect.String:
		return tsType == "string" || strings.HasPrefix(tsType, "'")
	case reflect.Int, reflect.Int64, reflect.Float64:
		return tsType == "number"
	case reflect.Bool:
		return tsType == "boolean"
	case reflect.Slice:
		return strings.HasSuffix(tsType, "[]") && tsKindMatches(goType.Elem(), strings.TrimSuffix(tsType, "[]"))
	case reflect.Pointer:
		if goType.Elem().Kind() == reflect.String {
			return tsType == "string | null"
		}
		return tsKindMatches(goType.Elem(), tsType)
	case reflect.Struct:
		return strings.ToUpper(tsType[:1]) == tsType[:1] // a named interface or model
	case reflect.Map:
		return tsType == "ServerConfig" || strings.HasPrefix(tsType, "Record<")
	default:
		return false
	}
}

// A binding's name is the facade method it becomes: `namespace.method`, both plain identifiers.
func TestBindingNamesAreFacadeMethods(t *testing.T) {
	name := regexp.MustCompile(`^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$`)
	for _, b := range bindings {
		assert.Regexp(t, name, b.Name)
	}
}

// The read-only view has no writer: every binding in it reads (get, list, has…, or a reader of the
// database), and the reads that create or reveal secrets stay out.
func TestReadOnlyBindingsAreReaders(t *testing.T) {
	reader := regexp.MustCompile(`\.(get[A-Za-z]*|list[A-Za-z]*|has[A-Za-z]*|members|activity|idsForUser|linkedTo|stats|load|timezones)$`)
	for _, b := range bindings {
		if b.ReadOnly {
			assert.Regexp(t, reader, b.Name)
		}
	}
	for _, notInView := range []string{"channels.getDirect", "config.getUnsanitized", "rest.request", "kv.set"} {
		assert.False(t, bindingsByName[notInView].ReadOnly, notInView)
	}
}
