package host

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
)

func configListeningOn(listen, siteURL string) *model.Config {
	config := &model.Config{}
	config.SetDefaults()
	config.ServiceSettings.ListenAddress = new(listen)
	config.ServiceSettings.SiteURL = new(siteURL)
	return config
}

// rest.request calls this server on the loopback address with the bearer token, and answers the
// status and body whatever they are (a 403 is data for the bundle, not an exception).
func TestRestRequestCallsTheServerWithTheToken(t *testing.T) {
	var gotAuth, gotPath, gotBody, gotMethod string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotPath, gotMethod = r.Header.Get("Authorization"), r.URL.Path, r.Method
		body, _ := io.ReadAll(r.Body)
		gotBody = string(body)
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"id":"api.channel.patch_channel_moderations.license.error"}`))
	}))
	defer server.Close()
	listen := strings.TrimPrefix(server.URL, "http://")

	api := &plugintest.API{}
	api.On("GetConfig").Return(configListeningOn(listen, "https://chat.example.com"))
	h := &Host{api: api}
	got, err := h.invoke(
		"rest.request",
		`[{"method":"put","path":"/api/v4/channels/`+channelID+`/moderations/patch","body":"[]","token":"tok"}]`,
	)
	require.NoError(t, err)
	var answer restResponse
	require.NoError(t, json.Unmarshal([]byte(got), &answer))
	assert.Equal(t, http.StatusForbidden, answer.Status)
	assert.Contains(t, answer.Body, "license.error")
	assert.Equal(t, "Bearer tok", gotAuth)
	assert.Equal(t, http.MethodPut, gotMethod)
	assert.Equal(t, "/api/v4/channels/"+channelID+"/moderations/patch", gotPath)
	assert.Equal(t, "[]", gotBody)
}

// channelID is a Mattermost id (26 characters of [a-z0-9]).
const channelID = "4xp9fdt7pbgium38k8k5kfkm1c"

// The host makes exactly the calls of restAllowList: GET a channel's moderation and PUT its patch.
// Every other method, path, id shape, suffix, query string, traversal or foreign host is refused
// before any request leaves the host (the test server fails the test if it is called).
func TestRestRequestAllowList(t *testing.T) {
	called := ""
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		called = r.Method + " " + r.URL.RequestURI()
		_, _ = w.Write([]byte(`[]`))
	}))
	defer server.Close()
	listen := strings.TrimPrefix(server.URL, "http://")
	moderations := "/api/v4/channels/" + channelID + "/moderations"

	for _, tc := range []struct {
		method, path string
		allowed      bool
	}{
		// the two calls of role templates (server/src/templates/credential.ts)
		{"GET", moderations, true},
		{"get", moderations, true},
		{"PUT", moderations + "/patch", true},
		{"put", moderations + "/patch", true},
		// the same paths with another method
		{"PUT", moderations, false},
		{"POST", moderations, false},
		{"DELETE", moderations, false},
		{"GET", moderations + "/patch", false},
		{"POST", moderations + "/patch", false},
		{"PATCH", moderations + "/patch", false},
		{"DELETE", moderations + "/patch", false},
		{"TRACE", moderations, false},
		// what system_user_manager could do, and the credential's own plumbing: never through the host
		{"GET", "/api/v4/users/me", false},
		{"POST", "/api/v4/users/" + channelID + "/tokens", false},
		{"POST", "/api/v4/bots", false},
		{"PUT", "/api/v4/users/" + channelID + "/roles", false},
		{"DELETE", "/api/v4/channels/" + channelID, false},
		{"PUT", "/api/v4/channels/" + channelID + "/patch", false},
		{"POST", "/api/v4/teams/" + channelID + "/members", false},
		{"PUT", "/api/v4/config", false},
		{"GET", "/api/v4/channels/" + channelID, false},
		// id shapes: not 26 characters of [a-z0-9]
		{"GET", "/api/v4/channels/c1/moderations", false},
		{"GET", "/api/v4/channels/" + strings.ToUpper(channelID) + "/moderations", false},
		{"GET", "/api/v4/channels/" + channelID + "x/moderations", false},
		{"GET", "/api/v4/channels/" + channelID[:25] + "/moderations", false},
		{"GET", "/api/v4/channels//moderations", false},
		{"GET", "/api/v4/channels/" + channelID[:24] + "%2F/moderations", false},
		// anything around the allowed paths
		{"GET", moderations + "/", false},
		{"GET", moderations + "?per_page=1", false},
		{"GET", moderations + "#x", false},
		{"PUT", moderations + "/patch/", false},
		{"PUT", moderations + "/patch?x=1", false},
		{"GET", moderations + "/../../../users/me", false},
		{"GET", "/api/v4/channels/" + channelID + "/../" + channelID + "/moderations", false},
		{"GET", "/api/v4//channels/" + channelID + "/moderations", false},
		{"GET", "/api/v3/channels/" + channelID + "/moderations", false},
		{"GET", "api/v4/channels/" + channelID + "/moderations", false},
		{"GET", "http://evil.example" + moderations, false},
		{"GET", "//evil.example" + moderations, false},
		{"GET", "/plugins/other" + moderations, false},
		{"GET", moderations + "\n", false},
		{"GET", moderations + " ", false},
		{"GET", "", false},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			called = ""
			api := &plugintest.API{}
			api.On("GetConfig").Return(configListeningOn(listen, ""))
			h := &Host{api: api}
			args, err := json.Marshal([]map[string]any{{"method": tc.method, "path": tc.path, "body": "[]", "token": "tok"}})
			require.NoError(t, err)
			got, err := h.invoke("rest.request", string(args))
			if !tc.allowed {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "not a call the host allows")
				assert.NotContains(t, err.Error(), "tok\"", "the error never names the token")
				assert.Empty(t, called, "a refused call must not reach the server")
				return
			}
			require.NoError(t, err)
			var answer restResponse
			require.NoError(t, json.Unmarshal([]byte(got), &answer))
			assert.Equal(t, http.StatusOK, answer.Status)
			assert.Equal(t, strings.ToUpper(tc.method)+" "+tc.path, called)
		})
	}
}

// rest.get goes through the same list: only the moderation read.
func TestRestGetAllowList(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`[]`)) }))
	defer server.Close()
	api := &plugintest.API{}
	api.On("GetConfig").Return(configListeningOn(strings.TrimPrefix(server.URL, "http://"), ""))
	h := &Host{api: api}
	_, err := h.invoke("rest.get", `["/api/v4/channels/`+channelID+`/moderations","tok"]`)
	require.NoError(t, err)
	_, err = h.invoke("rest.get", `["/api/v4/users/me","tok"]`)
	assert.Error(t, err)
	_, err = h.invoke("rest.get", `["/api/v4/channels/`+channelID+`/moderations/patch","tok"]`)
	assert.Error(t, err, "the patch path is PUT only")
}

func TestRestRequestNeedsAToken(t *testing.T) {
	h := &Host{api: &plugintest.API{}}
	_, err := h.invoke("rest.request", `[{"method":"GET","path":"/api/v4/channels/`+channelID+`/moderations","body":null,"token":""}]`)
	assert.Error(t, err)
}

func TestRestBaseURL(t *testing.T) {
	base, err := restBaseURL(configListeningOn(":8065", "https://chat.example.com"))
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8065", base, "a plain-HTTP listener is called on loopback")

	tls := configListeningOn(":443", "https://chat.example.com/")
	tls.ServiceSettings.ConnectionSecurity = model.NewPointer(model.ConnSecurityTLS)
	base, err = restBaseURL(tls)
	require.NoError(t, err)
	assert.Equal(t, "https://chat.example.com", base, "TLS on the listener: the Site URL")

	_, err = restBaseURL(configListeningOn("", ""))
	assert.Error(t, err)
}

// config.patchAs: only for an active, human system admin; the patch goes to PUT /api/v4/config/patch
// as JSON (a false stays false) with a session made for this call and revoked after it, whatever
// the server answers; the server's refusal comes back with its status and id.
func TestConfigPatchAs(t *testing.T) {
	const userID = "6kd6b4srdtf6bq6hx4hjbsgy1e"
	admin := &model.User{Id: userID, Roles: "system_user system_admin"}
	for _, tc := range []struct {
		name       string
		user       *model.User
		answer     int
		answerBody string
		wantStatus int // 0: no error
		wantID     string
		wantCalled bool
	}{
		{name: "system admin, server accepts", user: admin, answer: http.StatusOK, answerBody: `{}`, wantCalled: true},
		{
			name: "system admin, server refuses", user: admin, answer: http.StatusForbidden,
			answerBody: `{"id":"api.config.update_config.restricted_merge.app_error","message":"read-only"}`,
			wantStatus: http.StatusForbidden, wantID: "api.config.update_config.restricted_merge.app_error", wantCalled: true,
		},
		{
			name:       "member",
			user:       &model.User{Id: userID, Roles: "system_user"},
			wantStatus: http.StatusForbidden,
			wantID:     "cockpit.config.not_system_admin",
		},
		{
			name:       "deactivated admin",
			user:       &model.User{Id: userID, Roles: "system_user system_admin", DeleteAt: 1},
			wantStatus: http.StatusForbidden,
			wantID:     "cockpit.config.not_system_admin",
		},
		{
			name:       "bot with the admin role",
			user:       &model.User{Id: userID, Roles: "system_user system_admin", IsBot: true},
			wantStatus: http.StatusForbidden,
			wantID:     "cockpit.config.not_system_admin",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var called bool
			var gotAuth, gotMethod, gotPath, gotBody string
			server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				called = true
				gotAuth, gotMethod, gotPath = r.Header.Get("Authorization"), r.Method, r.URL.Path
				body, _ := io.ReadAll(r.Body)
				gotBody = string(body)
				w.WriteHeader(tc.answer)
				_, _ = w.Write([]byte(tc.answerBody))
			}))
			defer server.Close()

			api := &plugintest.API{}
			api.On("GetUser", userID).Return(tc.user, nil)
			api.On("GetConfig").Return(configListeningOn(strings.TrimPrefix(server.URL, "http://"), ""))
			var made *model.Session
			api.On("CreateSession", mock.AnythingOfType("*model.Session")).Return(func(s *model.Session) (*model.Session, *model.AppError) {
				made = s
				return &model.Session{Id: "session-id", Token: "session-token", UserId: s.UserId, Roles: s.Roles}, nil
			})
			api.On("RevokeSession", "session-id").Return(nil)
			h := &Host{api: api}

			_, err := h.invoke("config.patchAs", `["`+userID+`", {"TeamSettings": {"EnableCustomBrand": false, "SiteName": "Bank"}}]`)
			assert.Equal(t, tc.wantCalled, called)
			if tc.wantStatus == 0 {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				hostErr := asHostError(err)
				assert.Equal(t, tc.wantStatus, hostErr.StatusCode)
				assert.Equal(t, tc.wantID, hostErr.ID)
			}
			if !tc.wantCalled {
				api.AssertNotCalled(t, "CreateSession", mock.Anything)
				return
			}
			assert.Equal(t, "Bearer session-token", gotAuth)
			assert.Equal(t, http.MethodPut, gotMethod)
			assert.Equal(t, "/api/v4/config/patch", gotPath)
			assert.JSONEq(t, `{"TeamSettings": {"EnableCustomBrand": false, "SiteName": "Bank"}}`, gotBody)
			require.NotNil(t, made)
			assert.Equal(t, admin.Roles, made.Roles)
			assert.LessOrEqual(t, made.ExpiresAt, model.GetMillis()+adminSessionTTL.Milliseconds())
			api.AssertCalled(t, "RevokeSession", "session-id")
		})
	}
}
