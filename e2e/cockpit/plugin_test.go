package cockpit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func TestPluginIsRunning(t *testing.T) {
	statuses, _, err := env.adminClient.GetPluginStatuses(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range statuses {
		if st.PluginId == mmserver.PluginID {
			if st.State != model.PluginStateRunning {
				t.Fatalf("plugin state %d (%s), want running", st.State, st.Error)
			}
			if st.Version != env.manifest.Version {
				t.Fatalf("running version %s, uploaded %s", st.Version, env.manifest.Version)
			}
			return
		}
	}
	t.Fatalf("%s not in GetPluginStatuses", mmserver.PluginID)
}

// The manifest names the oldest server the plugin is proven on, and that is the server these tests run:
// the server refuses to enable a plugin whose min_server_version is above its own, but nothing else would
// notice a manifest that claims more (an older server) than was ever tested. Moving the pinned server
// forward means moving min_server_version with it, or proving the older one too.
func TestManifestNamesTheTestedServer(t *testing.T) {
	if env.manifest.MinServerVersion != model.CurrentVersion {
		t.Fatalf("plugin.json min_server_version %q, but the real-server tests run Mattermost %s: name the version the tests prove",
			env.manifest.MinServerVersion, model.CurrentVersion)
	}
}

// botID waits for the bot the TS server ensures on activation.
func botID(t *testing.T) string {
	t.Helper()
	var bot *model.User
	err := mmserver.WaitFor(15*time.Second, func() error {
		u, _, err := env.adminClient.GetUserByUsername(ctx(t), "cockpit", "")
		bot = u
		return err
	})
	if err != nil {
		t.Fatalf("bot user cockpit: %v", err)
	}
	if !bot.IsBot {
		t.Fatalf("user cockpit exists but is not a bot")
	}
	return bot.Id
}

func TestBotExists(t *testing.T) {
	id := botID(t)
	b, _, err := env.adminClient.GetBot(ctx(t), id, "")
	if err != nil {
		t.Fatal(err)
	}
	if b.OwnerId != mmserver.PluginID {
		t.Errorf("bot owner %q, want the plugin", b.OwnerId)
	}
	if b.DisplayName != "Onboarding Cockpit" {
		t.Errorf("bot display name %q", b.DisplayName)
	}
}

// do sends one request with a bearer token ("" means no session) and a JSON body (nil for none),
// and returns the response with its whole body read.
func do(t *testing.T, method, url, token string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx(t), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func tokenOf(t *testing.T, username string) string {
	t.Helper()
	if username == "" {
		return ""
	}
	c, err := env.s.Login(username)
	if err != nil {
		t.Fatal(err)
	}
	return c.AuthToken
}

// signedInAdmins creates n system admins named prefix<i> and signs each in: the users and their tokens.
func signedInAdmins(t *testing.T, n int, prefix string) ([]*model.User, []string) {
	t.Helper()
	users, err := env.s.CreateUsers(n, mmserver.UserOptions{Prefix: prefix, SystemAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	tokens := make([]string, n)
	for i, u := range users {
		tokens[i] = tokenOf(t, u.Username)
	}
	return users, tokens
}

func TestStatusRoutePermissions(t *testing.T) {
	cases := []struct {
		role, user string
		want       int
	}{
		{"system admin", env.admin, http.StatusOK},
		{"team admin of team A", env.teamAdminA, http.StatusForbidden},
		{"team admin of team B", env.teamAdminB, http.StatusForbidden},
		{"member", env.member, http.StatusForbidden},
		{"guest", env.guest, http.StatusForbidden},
		{"no session", "", http.StatusUnauthorized},
	}
	for _, c := range cases {
		t.Run(c.role, func(t *testing.T) {
			resp, body := do(t, http.MethodGet, pluginURL("/api/v1/status"), tokenOf(t, c.user), nil)
			if resp.StatusCode != c.want {
				t.Fatalf("GET /api/v1/status as %s: %d %s, want %d", c.role, resp.StatusCode, body, c.want)
			}
			if c.want != http.StatusOK {
				return
			}
			var st contract.Status
			if err := json.Unmarshal(body, &st); err != nil {
				t.Fatalf("status body %s: %v", body, err)
			}
			if st.PluginID != mmserver.PluginID || st.PluginVersion != env.manifest.Version {
				t.Errorf("plugin %s %s, want %s %s", st.PluginID, st.PluginVersion, mmserver.PluginID, env.manifest.Version)
			}
			if st.ServerVersion != env.s.Version {
				t.Errorf("server_version %q, the server is %q", st.ServerVersion, env.s.Version)
			}
			// What the API itself reports (X-Version-Id starts with the version).
			if _, r, err := env.adminClient.GetPing(ctx(t)); err == nil && !strings.HasPrefix(r.ServerVersion, st.ServerVersion) {
				t.Errorf("server_version %q does not match the API's %q", st.ServerVersion, r.ServerVersion)
			}
			if !st.License.Licensed || st.License.SKU != model.LicenseShortSkuEnterprise {
				t.Errorf("license %+v, want the enterprise test licence", st.License)
			}
		})
	}
}

// With cookie auth, a write without the CSRF token (and without X-Requested-With) must reach the
// plugin unauthenticated: the server drops the session, the host answers 401.
func TestCookieAuthWriteWithoutCSRFIsRefused(t *testing.T) {
	sess, err := env.s.LoginCookies(env.s.URL, env.admin)
	if err != nil {
		t.Fatal(err)
	}
	send := func(method string, headers map[string]string) (int, string) {
		req, _ := http.NewRequestWithContext(ctx(t), method, pluginURL("/api/v1/status"), strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := sess.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	cases := []struct {
		name    string
		method  string
		headers map[string]string
		check   func(code int) bool
		want    string
	}{
		{"GET with cookie only (no CSRF needed)", http.MethodGet, nil, func(c int) bool { return c == http.StatusOK }, "200"},
		{"POST without CSRF token", http.MethodPost, nil, func(c int) bool { return c == http.StatusUnauthorized }, "401"},
		{
			"POST with a wrong CSRF token",
			http.MethodPost,
			map[string]string{"X-CSRF-Token": "wrong"},
			func(c int) bool { return c == http.StatusUnauthorized },
			"401",
		},
		// Control: with the token the plugin sees the admin; there is no POST on this route, so not 401.
		{
			"POST with the CSRF token",
			http.MethodPost,
			map[string]string{"X-CSRF-Token": sess.CSRF},
			func(c int) bool { return c != http.StatusUnauthorized && c < 500 },
			"authenticated (not 401, not 5xx)",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body := send(c.method, c.headers)
			if !c.check(code) {
				t.Fatalf("%s: HTTP %d %s, want %s", c.name, code, body, c.want)
			}
		})
	}
}

func TestWebappBundleIsServed(t *testing.T) {
	path, err := mmserver.WebappBundlePath(env.adminClient, mmserver.PluginID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(path, "/static/plugins/"+mmserver.PluginID+"/") {
		t.Fatalf("bundle path %q", path)
	}
	for _, base := range []string{env.s.URL, env.front.URL} {
		resp, body := do(t, http.MethodGet, base+path, "", nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s%s: %d", base, path, resp.StatusCode)
		}
		if !strings.Contains(string(body), "registerPlugin") {
			t.Fatalf("GET %s%s: %d bytes without registerPlugin", base, path, len(body))
		}
	}
}

func TestHostPing(t *testing.T) {
	tok := tokenOf(t, env.member)
	for _, route := range []string{"/api/v1/host/ping", "/api/v1/ping"} {
		resp, body := do(t, http.MethodGet, pluginURL(route), tok, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"ok":true`) {
			t.Fatalf("GET %s: %d %s", route, resp.StatusCode, body)
		}
		if resp, _ := do(t, http.MethodGet, pluginURL(route), "", nil); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("GET %s without a session: %d, want 401", route, resp.StatusCode)
		}
	}
}

func TestPingBurst(t *testing.T) {
	const n = 200
	tok := tokenOf(t, env.member)
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: n}}
	start := make(chan struct{})
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			req, _ := http.NewRequest(http.MethodGet, pluginURL("/api/v1/ping"), nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := client.Do(req)
			if err != nil {
				errs[i] = err
				return
			}
			b, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				errs[i] = fmt.Errorf("request %d: HTTP %d %s", i, resp.StatusCode, b)
			}
		}(i)
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(t0)
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d concurrent GET /api/v1/ping: all 200 in %s", n, elapsed.Round(time.Millisecond))

	resp, body := do(t, http.MethodGet, pluginURL("/api/v1/status"), env.adminClient.AuthToken, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("after the burst, /api/v1/status: %d %s", resp.StatusCode, body)
	}
	var st contract.Status
	if err := json.Unmarshal(body, &st); err == nil {
		t.Logf("host stats after the burst: %v", st.Host)
	}
}

// KV written by the plugin's JS (the bot id, stored by onActivate under bot:user_id) is still
// there after a disable + enable, and the bot is the same user.
func TestKVSurvivesDisableEnable(t *testing.T) {
	const key = "bot:user_id"
	before := botID(t)
	read := func() string {
		b, appErr := env.s.App.GetPluginKey(mmserver.PluginID, key)
		if appErr != nil {
			t.Fatalf("read KV %s: %v", key, appErr)
		}
		return string(b)
	}
	v0 := read()
	if !strings.Contains(v0, before) {
		t.Fatalf("KV %s = %q, want it to hold the bot id %s", key, v0, before)
	}
	if _, err := env.adminClient.DisablePlugin(ctx(t), mmserver.PluginID); err != nil {
		t.Fatal(err)
	}
	if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateNotRunning, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if v := read(); v != v0 {
		t.Fatalf("KV %s while disabled = %q, was %q", key, v, v0)
	}
	if _, err := env.adminClient.EnablePlugin(ctx(t), mmserver.PluginID); err != nil {
		t.Fatal(err)
	}
	if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateRunning, 60*time.Second); err != nil {
		t.Fatal(err)
	}
	if v := read(); v != v0 {
		t.Fatalf("KV %s after enable = %q, was %q", key, v, v0)
	}
	if after := botID(t); after != before {
		t.Fatalf("bot id changed across disable/enable: %s -> %s", before, after)
	}
	resp, body := do(t, http.MethodGet, pluginURL("/api/v1/status"), env.adminClient.AuthToken, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("after re-enable, /api/v1/status: %d %s", resp.StatusCode, body)
	}
}

// A write through a JS route (the plan's versioned KV record, compare-and-set) survives a plugin
// disable + enable; a write based on a stale version is refused with 409 by the real KV.
func TestKVWrittenByRouteSurvivesDisableEnable(t *testing.T) {
	tok := env.adminClient.AuthToken
	getPlan := func() contract.PlanResponse {
		t.Helper()
		resp, body := do(t, http.MethodGet, pluginURL("/api/v1/plan"), tok, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /api/v1/plan: %d %s", resp.StatusCode, body)
		}
		var p contract.PlanResponse
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatalf("plan body %s: %v", body, err)
		}
		return p
	}
	before := getPlan()
	if len(before.Plan.Phases) == 0 {
		t.Fatalf("the default plan has no phases")
	}
	phase := before.Plan.Phases[0].ID
	title := "E2E phase " + model.NewId()[:8]
	patch := func(version int) (int, []byte) {
		body := fmt.Sprintf(`{"expected_version":%d,"changes":{"title":%q}}`, version, title)
		req, _ := http.NewRequestWithContext(ctx(t), http.MethodPatch, pluginURL("/api/v1/plan/phases/"+phase), strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	if code, body := patch(before.Plan.Version); code != http.StatusOK {
		t.Fatalf("PATCH phase %s: %d %s", phase, code, body)
	}
	written := getPlan()
	if written.Plan.Version <= before.Plan.Version || written.Plan.Phases[0].Title != title {
		t.Fatalf("after the write: version %d (was %d), title %q", written.Plan.Version, before.Plan.Version, written.Plan.Phases[0].Title)
	}
	if code, body := patch(before.Plan.Version); code != http.StatusConflict {
		t.Fatalf("PATCH with the stale version %d: %d %s, want 409", before.Plan.Version, code, body)
	}

	if _, err := env.adminClient.DisablePlugin(ctx(t), mmserver.PluginID); err != nil {
		t.Fatal(err)
	}
	if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateNotRunning, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := env.adminClient.EnablePlugin(ctx(t), mmserver.PluginID); err != nil {
		t.Fatal(err)
	}
	if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateRunning, 60*time.Second); err != nil {
		t.Fatal(err)
	}
	after := getPlan()
	if after.Plan.Version != written.Plan.Version || after.Plan.Phases[0].Title != title {
		t.Fatalf(
			"after disable+enable: version %d title %q, want %d %q",
			after.Plan.Version,
			after.Plan.Phases[0].Title,
			written.Plan.Version,
			title,
		)
	}
	if me, _, err := env.adminClient.GetMe(ctx(t), ""); err == nil && after.Plan.UpdatedBy != me.Id {
		t.Errorf("updated_by %q, want the admin %s", after.Plan.UpdatedBy, me.Id)
	}
}
