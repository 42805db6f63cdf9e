package host

import (
	"encoding/json"
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

// probeHost is a host whose server is handler, with userID resolving to user and sessions recorded.
func probeHost(t *testing.T, user *model.User, handler http.HandlerFunc) (*Host, *plugintest.API) {
	t.Helper()
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)
	api := &plugintest.API{}
	api.On("GetUser", user.Id).Return(user, nil)
	api.On("GetConfig").Return(configListeningOn(strings.TrimPrefix(server.URL, "http://"), ""))
	api.On("CreateSession", mock.AnythingOfType("*model.Session")).Return(func(s *model.Session) (*model.Session, *model.AppError) {
		return &model.Session{Id: "probe-session", Token: "probe-token", UserId: s.UserId, Roles: s.Roles, Props: s.Props}, nil
	})
	api.On("RevokeSession", "probe-session").Return(nil)
	return &Host{api: api}, api
}

// rest.probeAsAdmin calls an allow-listed probe as the admin, with no body, answers the status and
// body whatever they are, and revokes the session at once.
func TestProbeAsAdminCallsTheServerAsTheAdmin(t *testing.T) {
	admin := &model.User{Id: channelID, Roles: "system_user system_admin"}
	var gotAuth, gotURL string
	var gotLength int64
	h, api := probeHost(t, admin, func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotURL, gotLength = r.Header.Get("Authorization"), r.URL.RequestURI(), r.ContentLength
		w.WriteHeader(http.StatusNotImplemented)
		_, _ = w.Write([]byte(`{"id":"ent.ldap.disabled.app_error","status_code":501}`))
	})
	got, err := h.invoke("rest.probeAsAdmin", `["`+channelID+`", {"method":"POST","path":"/api/v4/ldap/test"}]`)
	require.NoError(t, err)
	var answer probeResponse
	require.NoError(t, json.Unmarshal([]byte(got), &answer))
	assert.Equal(t, http.StatusNotImplemented, answer.Status)
	assert.Contains(t, answer.Body, "ent.ldap.disabled.app_error")
	assert.Equal(t, "Bearer probe-token", gotAuth)
	assert.Equal(t, "/api/v4/ldap/test", gotURL)
	assert.Equal(t, int64(0), gotLength)
	api.AssertCalled(t, "RevokeSession", "probe-session")

	_, err = h.invoke("rest.probeAsAdmin", `["`+channelID+`", {"method":"GET","path":"/api/v4/system/ping?get_server_status=true"}]`)
	require.NoError(t, err)
	assert.Equal(t, "/api/v4/system/ping?get_server_status=true", gotURL)
}

// Only the allow-list: another path, another method, or an extra query parameter is refused before
// any session exists; a member, a deactivated admin or a bot is refused too.
func TestProbeAsAdminRefuses(t *testing.T) {
	admin := &model.User{Id: channelID, Roles: "system_user system_admin"}
	h, api := probeHost(t, admin, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	for _, call := range []string{
		`{"method":"GET","path":"/api/v4/ldap/test"}`,
		`{"method":"POST","path":"/api/v4/config/patch"}`,
		`{"method":"GET","path":"/api/v4/cluster/status?x=1"}`,
		`{"method":"GET","path":"/api/v4/jobs/type/ldap_sync?page=0&per_page=1&status=error"}`,
		`{"method":"GET","path":"/api/v4/users"}`,
	} {
		_, err := h.invoke("rest.probeAsAdmin", `["`+channelID+`", `+call+`]`)
		require.Error(t, err, call)
		assert.Equal(t, http.StatusBadRequest, asHostError(err).StatusCode, call)
	}
	api.AssertNotCalled(t, "CreateSession", mock.Anything)

	for _, user := range []*model.User{
		{Id: channelID, Roles: "system_user"},
		{Id: channelID, Roles: "system_user system_admin", DeleteAt: 1},
		{Id: channelID, Roles: "system_user system_admin", IsBot: true},
	} {
		h, api := probeHost(t, user, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
		_, err := h.invoke("rest.probeAsAdmin", `["`+channelID+`", {"method":"GET","path":"/api/v4/cluster/status"}]`)
		require.Error(t, err)
		assert.Equal(t, http.StatusForbidden, asHostError(err).StatusCode)
		api.AssertNotCalled(t, "CreateSession", mock.Anything)
	}
}
