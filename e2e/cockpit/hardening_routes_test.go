package cockpit

// What the hardening tests share: the route table (testdata/routes.json, generated from the
// router's own declarations by server/src/http/routeTable.test.ts, so routes added later are picked
// up without editing these tests), the callers of the authorization matrix, the way a route's path
// is filled with real ids, and a snapshot of the plugin's KV store taken with SQL.

import (
	"bytes"
	"context"
	"crypto/md5" //nolint:gosec // G501: a fingerprint of KV values to compare, not a security use
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// routeEntry is RouteTableEntry of server/src/testing/routeTable.ts.
type routeEntry struct {
	Method string   `json:"method"`
	Path   string   `json:"path"`
	Params []string `json:"params"`
	Access *struct {
		Kind string `json:"kind"`
		Team *struct {
			In   string `json:"in"`
			Name string `json:"name"`
		} `json:"team"`
		List string `json:"list"`
		Rule string `json:"rule"`
	} `json:"access"`
	Guard string `json:"guard"`
	Body  *struct {
		Type   string               `json:"type"`
		Strict bool                 `json:"strict"`
		Fields map[string]bodyField `json:"fields"`
	} `json:"body"`
}

type bodyField struct {
	Type     string `json:"type"`
	Optional bool   `json:"optional"`
	Nullable bool   `json:"nullable"`
}

func (r routeEntry) String() string { return r.Method + " " + r.Path }

// teamSource says where a team-scoped route reads its team id ("" when the route is not team-scoped).
func (r routeEntry) teamSource() (in, name string) {
	if r.Access != nil && r.Access.Team != nil {
		return r.Access.Team.In, r.Access.Team.Name
	}
	return "", ""
}

const routeTableUpdate = "make routes"

// loadRouteTable reads testdata/routes.json; an empty or unreadable table fails the test.
func loadRouteTable(t *testing.T) []routeEntry {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "routes.json"))
	if err != nil {
		t.Fatalf("read the route table (generate it with `%s`): %v", routeTableUpdate, err)
	}
	var routes []routeEntry
	if err := json.Unmarshal(b, &routes); err != nil {
		t.Fatalf("decode testdata/routes.json: %v", err)
	}
	if len(routes) == 0 {
		t.Fatalf("testdata/routes.json lists no route; run `%s`", routeTableUpdate)
	}
	return routes
}

// caller is one column of the authorization matrix.
type caller struct {
	name  string
	token string // "" = no session
	// role decides what a guard kind expects of this caller.
	role callerRole
}

type callerRole int

const (
	roleSystemAdmin callerRole = iota
	roleTeamAdminOfTeam
	roleTeamAdminOfOtherTeam
	roleMember
	roleGuest
	// system_user system_read_only_admin: reads the whole System Console, changes nothing.
	roleReadOnlyAdmin
	roleDeactivated
	roleBot
	roleAnonymous
)

// hardeningFixture holds callers of its own (fresh personas, so that no other test's changes to the
// shared ones, e.g. listing the member as a stakeholder, shift the expectations) and the team that
// team-scoped routes are called for.
type hardeningFixture struct {
	team, otherTeam *model.Team
	callers         []caller
	admin           caller
}

var (
	hardeningOnce sync.Once
	hardening     *hardeningFixture
	hardeningErr  error
)

func hardeningCallers(t *testing.T) *hardeningFixture {
	t.Helper()
	hardeningOnce.Do(func() { hardening, hardeningErr = newHardeningFixture() })
	if hardeningErr != nil {
		t.Fatalf("hardening callers: %v", hardeningErr)
	}
	return hardening
}

func newHardeningFixture() (*hardeningFixture, error) {
	p, err := env.s.CreatePersonas()
	if err != nil {
		return nil, err
	}
	login := func(u *model.User) (string, error) {
		c, loginErr2 := env.s.Login(u.Username)
		if loginErr2 != nil {
			return "", loginErr2
		}
		return c.AuthToken, nil
	}
	f := &hardeningFixture{team: p.TeamA, otherTeam: p.TeamB}
	for _, c := range []struct {
		name string
		user *model.User
		role callerRole
	}{
		{"system admin", p.SystemAdmin, roleSystemAdmin},
		{"team admin (this team)", p.TeamAdminA, roleTeamAdminOfTeam},
		{"team admin (other team)", p.TeamAdminB, roleTeamAdminOfOtherTeam},
		{"member", p.Member, roleMember},
		{"guest", p.Guest, roleGuest},
	} {
		tok, loginErr := login(c.user)
		if loginErr != nil {
			return nil, loginErr
		}
		f.callers = append(f.callers, caller{name: c.name, token: tok, role: c.role})
	}
	f.admin = f.callers[0]
	bg := context.Background()

	// A system read-only admin: the console shows them the cockpit (sysconsole_read_plugins), without
	// manage_system.
	readOnly, err := env.s.CreateUser("readonly-"+model.NewId()[:6], mmserver.UserOptions{Teams: []*model.Team{p.TeamA}})
	if err != nil {
		return nil, err
	}
	if _, updateErr2 := env.adminClient.UpdateUserRoles(
		bg,
		readOnly.Id,
		model.SystemUserRoleId+" "+model.SystemReadOnlyAdminRoleId,
	); updateErr2 != nil {
		return nil, fmt.Errorf("read-only admin role: %w", updateErr2)
	}
	readOnlyTok, err := login(readOnly)
	if err != nil {
		return nil, err
	}
	f.callers = append(f.callers, caller{name: "read-only admin", token: readOnlyTok, role: roleReadOnlyAdmin})

	// A user who had a session, then was deactivated: the server revokes the session, so the token
	// they still hold must open nothing.
	gone, err := env.s.CreateUser("deactivated-"+model.NewId()[:6], mmserver.UserOptions{Teams: []*model.Team{p.TeamA}})
	if err != nil {
		return nil, err
	}
	goneTok, err := login(gone)
	if err != nil {
		return nil, err
	}
	if _, updateErr := env.adminClient.UpdateUserActive(bg, gone.Id, false); updateErr != nil {
		return nil, fmt.Errorf("deactivate %s: %w", gone.Username, updateErr)
	}
	f.callers = append(f.callers, caller{name: "deactivated user", token: goneTok, role: roleDeactivated})

	// A bot with a personal access token (what an integration would call the plugin with).
	bot, _, err := env.adminClient.CreateBot(bg, &model.Bot{Username: "hardening-bot-" + model.NewId()[:6], DisplayName: "Hardening bot"})
	if err != nil {
		return nil, fmt.Errorf("create bot: %w", err)
	}
	if _, _, addErr := env.adminClient.AddTeamMember(bg, p.TeamA.Id, bot.UserId); addErr != nil {
		return nil, fmt.Errorf("bot joins the team: %w", addErr)
	}
	botTok, _, err := env.adminClient.CreateUserAccessToken(bg, bot.UserId, "hardening")
	if err != nil {
		return nil, fmt.Errorf("bot access token: %w", err)
	}
	f.callers = append(f.callers, caller{name: "bot token", token: botTok.Token, role: roleBot})
	f.callers = append(f.callers, caller{name: "no session", role: roleAnonymous})
	// Logging in runs the plugin's userHasLoggedIn hook, which may write KV asynchronously; let that
	// settle before anyone compares KV snapshots.
	time.Sleep(time.Second)
	return f, nil
}

// filledRoute is a route with its path params and query filled in.
type filledRoute struct {
	url   string // relative to the plugin root, with the query
	query url.Values
}

// fillRoute puts the fixture's team id where a team-scoped route reads it, and unknown ids in every
// other path parameter (so the handler, once past the guard, finds nothing to change).
func (f *hardeningFixture) fillRoute(r routeEntry) filledRoute {
	in, name := r.teamSource()
	segments := strings.Split(r.Path, "/")
	for i, s := range segments {
		if !strings.HasPrefix(s, ":") {
			continue
		}
		if in == "param" && s[1:] == name {
			segments[i] = f.team.Id
		} else {
			segments[i] = "unknown" + model.NewId()[:12]
		}
	}
	q := url.Values{}
	if in == "query" {
		q.Set(name, f.team.Id)
	}
	u := strings.Join(segments, "/")
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return filledRoute{url: u, query: q}
}

// probeBody is a body the router can never accept, so a write route that lets the caller through
// answers 400 without running its handler: malformed JSON fails in the router before any schema or
// handler. A route that reads its team id from the body gets valid JSON with the team id and a field
// no strict schema accepts.
func (f *hardeningFixture) probeBody(r routeEntry) []byte {
	if r.Body == nil {
		return nil
	}
	if in, name := r.teamSource(); in == "body" {
		return mustJSONNoT(map[string]any{name: f.team.Id, "__hardening_probe__": true})
	}
	return []byte(`{"__hardening_probe__":`)
}

func mustJSONNoT(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// kvSnapshot is every plugin KV key with a hash of its value (and expiry). Keys only background jobs
// write are kept apart (backgroundKey): they change whenever a job runs.
type kvSnapshot struct {
	data map[string]string
	jobs map[string]string
}

func takeKVSnapshot(t *testing.T) kvSnapshot {
	t.Helper()
	rows, err := env.s.DB().QueryContext(ctx(t),
		`SELECT PKey, COALESCE(PValue, ''::bytea), ExpireAt FROM PluginKeyValueStore WHERE PluginId = $1`, mmserver.PluginID)
	if err != nil {
		t.Fatalf("KV snapshot: %v", err)
	}
	defer func() { _ = rows.Close() }()
	s := kvSnapshot{data: map[string]string{}, jobs: map[string]string{}}
	for rows.Next() {
		var key string
		var value []byte
		var expire sql.NullInt64
		if err := rows.Scan(&key, &value, &expire); err != nil {
			t.Fatal(err)
		}
		sum := md5.Sum(value) //nolint:gosec // G401: a fingerprint, as above
		h := hex.EncodeToString(sum[:]) + fmt.Sprintf("/%d", expire.Int64)
		if backgroundKey(key) {
			s.jobs[key] = h
		} else {
			s.data[key] = h
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return s
}

// diff lists the keys added, removed or changed between two snapshots (plugin data only).
func (a kvSnapshot) diff(b kvSnapshot) []string {
	var out []string
	for k, v := range b.data {
		if old, ok := a.data[k]; !ok {
			out = append(out, "+"+k)
		} else if old != v {
			out = append(out, "~"+k)
		}
	}
	for k := range a.data {
		if _, ok := b.data[k]; !ok {
			out = append(out, "-"+k)
		}
	}
	sort.Strings(out)
	return out
}

// backgroundKey says whether only a background job writes the key: the host's cluster helpers (mutex_,
// cron_), the journey's per-shard progress, which the waves job rewrites every 30 s while a wave has
// follow-up steps (no route writes it), and the privacy sweep's records (a user deactivated by another test
// queues a check; only the sweep, job or its admin POST, writes them afterwards).
func backgroundKey(key string) bool {
	return strings.HasPrefix(key, "mutex_") || strings.HasPrefix(key, "cron_") ||
		(strings.HasPrefix(key, "journey:") && strings.Contains(key, ":progress:")) ||
		// The deactivation hook queues a check; the privacy sweep (job) marks the waves retention emptied.
		key == "privacy:pending" || strings.HasPrefix(key, "privacy:retained:")
}

// jobRan says whether a background job left a trace between two snapshots (a cron record or a journey
// shard changed; a mutex alone says nothing once released): a change to plugin data seen across such a
// window may be the job's, not the request's.
func (a kvSnapshot) jobRan(b kvSnapshot) bool {
	for k, v := range b.jobs {
		if !strings.HasPrefix(k, "mutex_") && a.jobs[k] != v {
			return true
		}
	}
	return false
}

// unchangedAround runs request and reports the plugin KV keys it changed. A window in which a
// background job ran is inconclusive and retried (up to 4 times); a request that lazily writes on
// its first call is still caught, because that first call's window is kept unless a job ran in it.
func unchangedAround(t *testing.T, request func() apiResult) (apiResult, []string) {
	t.Helper()
	var res apiResult
	for attempt := 0; ; attempt++ {
		before := takeKVSnapshot(t)
		res = request()
		after := takeKVSnapshot(t)
		changed := before.diff(after)
		if len(changed) == 0 || !before.jobRan(after) || attempt == 3 {
			return res, changed
		}
	}
}

// isErrorBody says whether b is the plugin's error shape {error:{id,message}} with both set.
func isErrorBody(b []byte) bool {
	var e struct {
		Error *struct {
			ID      string `json:"id"`
			Message string `json:"message"`
		} `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&e); err != nil || e.Error == nil {
		return false
	}
	return e.Error.ID != "" && e.Error.Message != ""
}

// noRedirects answers a redirect as it is: following one would turn a refused PATCH into a GET of
// the cleaned path and credit the route with someone else's answer.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// requestRoute sends method + route (relative to the plugin) with raw body bytes (nil: no body),
// with a bearer token ("" = no session), without following redirects.
func requestRoute(t *testing.T, method, route, token string, body []byte) apiResult {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx(t), method, pluginURL(route), rd)
	if err != nil {
		t.Fatalf("%s %s: %v", method, route, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, route, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return apiResult{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// hostServes fails the test when the plugin no longer answers its JS ping as a signed-in user.
func hostServes(t *testing.T, token string) {
	t.Helper()
	if r := call(t, http.MethodGet, "/api/v1/ping", token, nil); r.Status != http.StatusOK {
		t.Fatalf("the plugin stopped serving: GET /api/v1/ping: %s", r)
	}
}
