package host

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
)

// echoBundle answers every request with the request it received, as JSON, plus a header.
var echoBundle = bundleWith(`
	serveHTTP: function (req) {
		if (req.path === '/api/v1/throw') { throw new Error('secret internals'); }
		if (req.path === '/api/v1/html') { return {status: 200, headers: {'Content-Type': 'text/html'}, body: '<p>hi</p>'}; }
		return {status: 201, headers: {'X-Echo': 'yes'}, body: JSON.stringify(req)};
	},
`)

func TestServeHTTP(t *testing.T) {
	const user = "user1"
	tests := []struct {
		name        string
		method      string
		target      string
		userID      string
		body        string
		wantStatus  int
		wantBody    string // JSON, compared with JSONEq
		wantType    string
		wantHeaders map[string]string
	}{
		{
			name: "round trip of method, path, query, headers, body and user", method: "POST",
			target: "/api/v1/plan?phase=1&phase=2&q=a+b", userID: user, body: `{"x":1}`,
			wantStatus: 201, wantType: "application/json", wantHeaders: map[string]string{"X-Echo": "yes"},
			wantBody: `{"method":"POST","path":"/api/v1/plan","query":{"phase":["1","2"],"q":["a b"]},
				"headers":{"Mattermost-User-Id":"user1","X-Custom":"first","Content-Type":"application/json"},
				"body":"{\"x\":1}","userId":"user1"}`,
		},
		{
			name: "an API route without a session is refused before JS", method: "GET", target: "/api/v1/plan",
			wantStatus: 401, wantType: "application/json",
			wantBody: `{"error":{"id":"cockpit.auth.unauthenticated","message":"Log in to use this endpoint."}}`,
		},
		{
			name: "a body over 1 MiB is refused before JS", method: "POST", target: "/api/v1/plan", userID: user,
			body: strings.Repeat("x", MaxRequestBody+1), wantStatus: 413, wantType: "application/json",
			wantBody: `{"error":{"id":"cockpit.request.too_large","message":"The request body is larger than 1 MiB."}}`,
		},
		{
			name: "a body of exactly 1 MiB reaches JS", method: "POST", target: "/public", userID: user,
			body: strings.Repeat("x", MaxRequestBody), wantStatus: 201,
		},
		{
			name: "a JS failure is a 500 without the JS detail", method: "GET", target: "/api/v1/throw", userID: user,
			wantStatus: 500, wantType: "application/json",
			wantBody: `{"error":{"id":"cockpit.internal","message":"internal error"}}`,
		},
		{
			name: "non-API paths may be anonymous", method: "GET", target: "/static/thing",
			wantStatus: 201, wantType: "application/json",
		},
		{
			name: "JS may set its own content type", method: "GET", target: "/api/v1/html", userID: user,
			wantStatus: 200, wantType: "text/html",
		},
		{
			name: "the Go-native ping route", method: "GET", target: "/api/v1/host/ping", userID: user,
			wantStatus: 200, wantType: "application/json", wantBody: `{"ok":true}`,
		},
		{
			name: "the ping route needs a session too", method: "GET", target: "/api/v1/host/ping",
			wantStatus: 401,
		},
	}
	api := newAPI(1, 4)
	p := activate(t, api, echoBundle)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			r.Header.Del("Content-Type")
			if tt.body != "" {
				r.Header.Set("content-type", "application/json")
			}
			if tt.userID != "" {
				r.Header.Set("Mattermost-User-Id", tt.userID)
			}
			r.Header["x-custom"] = []string{"first", "second"} // not canonical on purpose
			w := httptest.NewRecorder()
			p.ServeHTTP(nil, w, r)

			assert.Equal(t, tt.wantStatus, w.Code)
			if tt.wantType != "" {
				assert.Equal(t, tt.wantType, w.Header().Get("Content-Type"))
			}
			for name, value := range tt.wantHeaders {
				assert.Equal(t, value, w.Header().Get(name))
			}
			if tt.wantBody != "" {
				assert.JSONEq(t, tt.wantBody, w.Body.String())
			}
			assert.NotContains(t, w.Body.String(), "secret internals")
		})
	}
}

// The session, address and user agent the server saw reach the bundle, which records them with audit entries.
func TestServeHTTPPassesTheRequestOrigin(t *testing.T) {
	p := activate(t, newAPI(1, 4), echoBundle)
	r := httptest.NewRequest("POST", "/api/v1/echo", strings.NewReader(`{}`))
	r.Header.Set("Mattermost-User-Id", "user1")
	w := httptest.NewRecorder()
	p.ServeHTTP(&plugin.Context{SessionId: "s1", IPAddress: "203.0.113.7", UserAgent: "UA/1"}, w, r)
	require.Equal(t, 201, w.Code)
	var echoed struct {
		Origin requestOrigin `json:"origin"`
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &echoed))
	assert.Equal(t, requestOrigin{SessionID: "s1", IPAddress: "203.0.113.7", UserAgent: "UA/1"}, echoed.Origin)
}

func TestServeHTTPLogsTheJSFailure(t *testing.T) {
	api := newAPI(1, 1)
	logged := make(chan string, 1)
	api.On("LogError", "HTTP handler failed in the plugin bundle", "method", "GET", "path", "/api/v1/throw", "err", mock.Anything).
		Run(func(args mock.Arguments) { logged <- args.String(6) }).Once()
	first(api.ExpectedCalls)
	p := activate(t, api, echoBundle)

	r := httptest.NewRequest("GET", "/api/v1/throw", nil)
	r.Header.Set("Mattermost-User-Id", "u1")
	p.ServeHTTP(nil, httptest.NewRecorder(), r)
	assert.Contains(t, <-logged, "secret internals")
}

// ServeHTTP re-entered from inside a JS call: JS → API → server → our ServeHTTP (inter-plugin
// requests and hooks work this way).
func TestServeHTTPReentrant(t *testing.T) {
	api := newAPI(1, 3)
	var p *Plugin
	api.On("KVGet", "reenter").Return([]byte("x"), nil).Run(func(mock.Arguments) {
		r := httptest.NewRequest("GET", "/api/v1/host/ping", nil)
		r.Header.Set("Mattermost-User-Id", "u1")
		p.ServeHTTP(nil, httptest.NewRecorder(), r)
		r = httptest.NewRequest("GET", "/inner", nil)
		w := httptest.NewRecorder()
		p.ServeHTTP(nil, w, r)
		if w.Code != http.StatusOK {
			panic("inner request failed")
		}
	})
	p = activate(t, api, bundleWith(`serveHTTP: function (req) {
		if (req.path === '/inner') { return {status: 200, body: 'inner'}; }
		return {status: 200, body: host('kv.get', 'reenter')};
	}`))
	within(t, 5*time.Second, func() {
		w := httptest.NewRecorder()
		p.ServeHTTP(nil, w, httptest.NewRequest("GET", "/outer", nil))
		assert.Equal(t, http.StatusOK, w.Code)
		body, _ := io.ReadAll(w.Body)
		assert.Equal(t, "x", string(body))
	})
}

func TestServeHTTPWhenNotActive(t *testing.T) {
	api := newAPI(1, 1)
	p := New("test.js", echoBundle)
	p.SetAPI(api)
	w := httptest.NewRecorder()
	p.ServeHTTP(nil, w, httptest.NewRequest("GET", "/x", nil))
	assert.Equal(t, http.StatusInternalServerError, w.Code)
}

func TestForwardedHooks(t *testing.T) {
	api := newAPI(1, 2)
	seen := map[string]string{}
	api.On("KVSet", mock.Anything, mock.Anything).Return(nil).Run(func(args mock.Arguments) {
		seen[args.String(0)] = string(args.Get(1).([]byte))
	})
	p := activate(t, api, bundleWith(`
		userHasBeenCreated: function (u) { host('kv.set', 'created', JSON.stringify(u)); },
		userHasLoggedIn: function (u) { host('kv.set', 'login', u.username); },
		userHasBeenDeactivated: function (u) { host('kv.set', 'deactivated', JSON.stringify(u)); },
		userHasJoinedTeam: function (a) {
			host('kv.set', 'joined', a.team_member.team_id + '/' + a.team_member.user_id + ' by ' + a.actor.id);
		},
		executeCommand: function (args) { return {response_type: 'ephemeral', text: 'ran ' + args.command}; },
	`))

	p.UserHasBeenCreated(nil, &model.User{Id: "u1", Username: "ada", Password: "hash", MfaSecret: "totp"})
	p.UserHasLoggedIn(nil, &model.User{Id: "u1", Username: "ada"})
	p.UserHasBeenDeactivated(nil, &model.User{Id: "u2", DeleteAt: 7, Password: "hash2"})
	p.UserHasJoinedTeam(nil, &model.TeamMember{TeamId: "t1", UserId: "u1"}, &model.User{Id: "admin"})
	response, appErr := p.ExecuteCommand(nil, &model.CommandArgs{Command: "/cockpit status"})

	assert.Contains(t, seen["created"], `"username":"ada"`)
	assert.NotContains(t, seen["created"], "hash")
	assert.NotContains(t, seen["created"], "totp")
	assert.Equal(t, "ada", seen["login"])
	assert.Contains(t, seen["deactivated"], `"id":"u2"`)
	assert.Contains(t, seen["deactivated"], `"delete_at":7`)
	assert.NotContains(t, seen["deactivated"], "hash2")
	assert.Equal(t, "t1/u1 by admin", seen["joined"])
	require.Nil(t, appErr)
	assert.Equal(t, &model.CommandResponse{ResponseType: "ephemeral", Text: "ran /cockpit status"}, response)
}

func TestExecuteCommandFailure(t *testing.T) {
	p := activate(t, newAPI(1, 1), bundleWith(`executeCommand: function () { throw new Error('nope'); }`))
	response, appErr := p.ExecuteCommand(nil, &model.CommandArgs{Command: "/cockpit"})
	assert.Nil(t, response)
	require.NotNil(t, appErr)
	assert.Equal(t, "cockpit.internal", appErr.Id)
	assert.Equal(t, http.StatusInternalServerError, appErr.StatusCode)
}

// The server calls only hooks whose signature matches plugin.Hooks exactly; a typo would
// silently disable a hook. This also pins the set (no per-post hooks).
func TestImplementedHooks(t *testing.T) {
	hooks := reflect.TypeFor[plugin.Hooks]()
	impl := reflect.TypeFor[*Plugin]()
	var implemented []string
	for want := range hooks.Methods() {
		if got, ok := impl.MethodByName(want.Name); ok {
			// Drop the receiver from the method's func type before comparing.
			in := make([]reflect.Type, 0, got.Type.NumIn()-1)
			for j := 1; j < got.Type.NumIn(); j++ {
				in = append(in, got.Type.In(j))
			}
			out := make([]reflect.Type, 0, got.Type.NumOut())
			for out0 := range got.Type.Outs() {
				out = append(out, out0)
			}
			if reflect.FuncOf(in, out, false) == want.Type {
				implemented = append(implemented, want.Name)
			}
		}
	}
	assert.ElementsMatch(t, []string{
		"OnActivate", "OnDeactivate", "OnConfigurationChange", "ServeHTTP", "ExecuteCommand",
		"UserHasBeenCreated", "UserHasJoinedTeam", "UserHasLoggedIn", "ChannelHasBeenCreated", "UserHasBeenDeactivated",
	}, implemented)
}

func TestMemoryRoutes(t *testing.T) {
	api := newAPI(1, 4)
	api.On("HasPermissionTo", "admin", model.PermissionManageSystem).Return(true)
	api.On("HasPermissionTo", "user", model.PermissionManageSystem).Return(false)
	p := activate(t, api, echoBundle)
	serve := func(method, target, userID string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, target, nil)
		if userID != "" {
			r.Header.Set("Mattermost-User-Id", userID)
		}
		w := httptest.NewRecorder()
		p.ServeHTTP(nil, w, r)
		return w
	}

	w := serve("GET", "/api/v1/host/memory", "admin")
	require.Equal(t, http.StatusOK, w.Code)
	var memory MemoryStats
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &memory))
	assert.Positive(t, memory.RSSBytes)
	assert.Positive(t, memory.HeapInuseBytes)
	assert.Equal(t, int64(1), memory.Engines)

	w = serve("POST", "/api/v1/host/memory/engine-cost", "admin")
	require.Equal(t, http.StatusOK, w.Code)
	var cost struct {
		EngineHeapBytes uint64 `json:"engine_heap_bytes"`
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &cost))
	assert.Positive(t, cost.EngineHeapBytes)
	assert.Equal(t, int64(1), p.Host().Memory().Engines, "the measured engine did not join the pool")

	assert.Equal(t, http.StatusForbidden, serve("GET", "/api/v1/host/memory", "user").Code)
	assert.Equal(t, http.StatusForbidden, serve("POST", "/api/v1/host/memory/engine-cost", "user").Code)
	assert.Equal(t, http.StatusUnauthorized, serve("GET", "/api/v1/host/memory", "").Code)
	w = serve("GET", "/api/v1/host/memory/engine-cost", "admin")
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code, "measuring runs GCs and a bundle: not on GET")
	assert.Equal(t, "POST", w.Header().Get("Allow"))
	assert.Equal(t, http.StatusMethodNotAllowed, serve("DELETE", "/api/v1/host/memory", "admin").Code)
}
