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
	"github.com/stretchr/testify/require"
)

// pushHost is a host whose config names pushServer as the push notification server.
func pushHost(pushServer string) *Host {
	config := &model.Config{}
	config.SetDefaults()
	config.EmailSettings.PushNotificationServer = new(pushServer)
	api := &plugintest.API{}
	api.On("GetConfig").Return(config)
	return &Host{api: api}
}

func probePush(t *testing.T, h *Host, route string) probeResponse {
	t.Helper()
	got, err := h.invoke("rest.probePushProxy", `["`+route+`"]`)
	require.NoError(t, err)
	var answer probeResponse
	require.NoError(t, json.Unmarshal([]byte(got), &answer))
	return answer
}

// The probe GETs the named route under the configured server (its path prefix kept), with no
// credentials: user info in the setting is dropped and no Authorization or Cookie header is sent.
func TestProbePushProxyAsksTheConfiguredServer(t *testing.T) {
	var gotPath, gotAuth, gotCookie, gotMethod string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotMethod, gotAuth, gotCookie = r.URL.RequestURI(), r.Method, r.Header.Get("Authorization"), r.Header.Get("Cookie")
		_, _ = w.Write([]byte(`{"hash":"abc1234","version":"v6.4.0"}`))
	}))
	t.Cleanup(server.Close)
	withUser := strings.Replace(server.URL, "http://", "http://user:secret@", 1) + "/push/?q=1#f"
	answer := probePush(t, pushHost(withUser), "/version")
	assert.Equal(t, http.StatusOK, answer.Status)
	assert.JSONEq(t, `{"hash":"abc1234","version":"v6.4.0"}`, answer.Body)
	assert.Equal(t, "/push/version", gotPath)
	assert.Equal(t, http.MethodGet, gotMethod)
	assert.Empty(t, gotAuth)
	assert.Empty(t, gotCookie)
}

// A redirect is answered as it came (never followed elsewhere); a long body is cut.
func TestProbePushProxyFollowsNoRedirectAndCapsTheBody(t *testing.T) {
	followed := false
	elsewhere := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { followed = true }))
	t.Cleanup(elsewhere.Close)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			_, _ = w.Write([]byte(strings.Repeat("x", 2*maxPushProbeResponse)))
			return
		}
		http.Redirect(w, r, elsewhere.URL+"/version", http.StatusFound)
	}))
	t.Cleanup(server.Close)
	h := pushHost(server.URL)
	assert.Equal(t, http.StatusFound, probePush(t, h, "/version").Status)
	assert.False(t, followed)
	assert.Len(t, probePush(t, h, "/").Body, maxPushProbeResponse)
}

// Only the push proxy's read-only routes; nothing configured, another scheme, or a closed port
// answer status 0 with the reason.
func TestProbePushProxyRefuses(t *testing.T) {
	for _, route := range []string{"/api/v1/send_push", "/metrics", "version", "/version?x=1", "//elsewhere.example/version"} {
		_, err := pushHost("https://push.example").invoke("rest.probePushProxy", `["`+route+`"]`)
		require.Error(t, err, route)
		assert.Equal(t, http.StatusBadRequest, asHostError(err).StatusCode, route)
	}
	for setting, reason := range map[string]string{
		"":                            "no push notification server",
		"ftp://push.example":          "not an http(s) URL",
		"push.example.without/scheme": "not an http(s) URL",
	} {
		answer := probePush(t, pushHost(setting), "/version")
		assert.Equal(t, 0, answer.Status, setting)
		assert.Contains(t, answer.Error, reason, setting)
	}
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	answer := probePush(t, pushHost(closedURL), "/version")
	assert.Equal(t, 0, answer.Status)
	assert.Contains(t, answer.Error, "refused")
	assert.False(t, answer.TimedOut)
}
