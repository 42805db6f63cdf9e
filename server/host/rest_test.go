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
	"github.com/stretchr/testify/require"
)

func configListeningOn(listen, siteURL string) *model.Config {
	config := &model.Config{}
	config.SetDefaults()
	config.ServiceSettings.ListenAddress = model.NewPointer(listen)
	config.ServiceSettings.SiteURL = model.NewPointer(siteURL)
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
	got, err := h.invoke("rest.request", `[{"method":"put","path":"/api/v4/channels/c1/moderations/patch","body":"[]","token":"tok"}]`)
	require.NoError(t, err)
	var answer restResponse
	require.NoError(t, json.Unmarshal([]byte(got), &answer))
	assert.Equal(t, http.StatusForbidden, answer.Status)
	assert.Contains(t, answer.Body, "license.error")
	assert.Equal(t, "Bearer tok", gotAuth)
	assert.Equal(t, http.MethodPut, gotMethod)
	assert.Equal(t, "/api/v4/channels/c1/moderations/patch", gotPath)
	assert.Equal(t, "[]", gotBody)
}

func TestRestRequestRefusesOtherPathsAndMethods(t *testing.T) {
	for _, args := range []string{
		`[{"method":"GET","path":"/plugins/other/x","body":null,"token":"t"}]`,
		`[{"method":"GET","path":"http://evil.example/api/v4/x","body":null,"token":"t"}]`,
		`[{"method":"GET","path":"/api/v4/../../plugins/x","body":null,"token":"t"}]`,
		`[{"method":"TRACE","path":"/api/v4/users/me","body":null,"token":"t"}]`,
		`[{"method":"GET","path":"/api/v4/users/me","body":null,"token":""}]`,
	} {
		h := &Host{api: &plugintest.API{}}
		_, err := h.invoke("rest.request", args)
		assert.Error(t, err, args)
	}
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
