package cockpit

// A system read-only admin (system_user system_read_only_admin: sysconsole_read_plugins, no
// manage_system) against the real server: the System Console shows them the cockpit, so its reads
// answer 200; every write, the config snapshot and the credential details answer 403.

import (
	"net/http"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// readOnlyAdminToken creates a fresh user with the read-only admin role and returns a session token.
func readOnlyAdminToken(t *testing.T) string {
	t.Helper()
	u, err := env.s.CreateUser("readonly-admin-"+model.NewId()[:6], mmserver.UserOptions{Teams: []*model.Team{env.teamA}})
	if err != nil {
		t.Fatal(err)
	}
	if _, updateErr := env.adminClient.UpdateUserRoles(
		ctx(t),
		u.Id,
		model.SystemUserRoleId+" "+model.SystemReadOnlyAdminRoleId,
	); updateErr != nil {
		t.Fatal(updateErr)
	}
	c, err := env.s.Login(u.Username)
	if err != nil {
		t.Fatal(err)
	}
	return c.AuthToken
}

func TestReadOnlyAdminReadsButDoesNotWrite(t *testing.T) {
	token := readOnlyAdminToken(t)
	for _, route := range []string{
		"/api/v1/status",
		"/api/v1/plan",
		"/api/v1/plan/export",
		"/api/v1/readiness",
		"/api/v1/audit",
		"/api/v1/branding",
		"/api/v1/adoption",
		"/api/v1/waves",
		"/api/v1/templates",
	} {
		if r := requestRoute(t, http.MethodGet, route, token, nil); r.Status != http.StatusOK {
			t.Errorf("GET %s as a read-only admin: %s, want 200", route, r)
		}
	}
	for _, c := range []struct{ method, route, body string }{
		{http.MethodPost, "/api/v1/readiness/run", `{}`},
		{http.MethodPost, "/api/v1/plan/import", `{"plan":{},"expected_version":0}`},
		{http.MethodPut, "/api/v1/adoption/targets", `{"expected_version":0,"targets":[]}`},
		{http.MethodGet, "/api/v1/config/snapshot", ``},
		{http.MethodGet, "/api/v1/templates/credential", ``},
	} {
		var body []byte
		if c.body != "" {
			body = []byte(c.body)
		}
		r := requestRoute(t, c.method, c.route, token, body)
		if r.Status != http.StatusForbidden || !isErrorBody(r.Body) {
			t.Errorf("%s %s as a read-only admin: %s, want 403 with an error body", c.method, c.route, r)
		}
	}
}
