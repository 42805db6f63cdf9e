package cockpit

// Readiness against the real server: a check follows the live config.

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// readinessCheck is the status and explanation of check id in a report ("" when the report lacks it).
func readinessCheck(r contract.ReadinessReport, id string) (status contract.CheckStatus, explanation string) {
	for _, c := range r.Results {
		if c.ID == id {
			return c.Status, c.Explanation
		}
	}
	return "", ""
}

// Changing the real config through the REST API (PatchConfig) changes the matching readiness check on
// the next run, and GET /api/v1/readiness then serves that report.
//
// With MFA enforced, the real server treats the plugin request of an admin WITHOUT MFA as
// unauthenticated (app.MFARequired in servePluginRequest): the cockpit answers 401. So the enforced
// step runs as a second admin whose account has MFA active, and that admin also turns it off again
// (the first admin's PatchConfig would be refused with api.context.mfa_required).
func TestReadinessFollowsRealConfig(t *testing.T) {
	lockPlan(t) // the readiness report is a plugin-wide record too
	orig := env.s.App.Config().ServiceSettings
	origEnable, origEnforce := *orig.EnableMultifactorAuthentication, *orig.EnforceMultifactorAuthentication
	t.Cleanup(func() {
		env.s.App.UpdateConfig(func(c *model.Config) {
			c.ServiceSettings.EnableMultifactorAuthentication = new(origEnable)
			c.ServiceSettings.EnforceMultifactorAuthentication = new(origEnforce)
		})
	})
	mfaAdmin, err := env.s.CreateUser("mfa-admin-"+model.NewId()[:6], mmserver.UserOptions{SystemAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	mfaClient, err := env.s.Login(mfaAdmin.Username) // before MFA is active: no code needed
	if err != nil {
		t.Fatal(err)
	}
	if err := env.s.Srv.Store().User().UpdateMfaActive(mfaAdmin.Id, true); err != nil {
		t.Fatal(err)
	}
	env.s.Srv.Store().User().InvalidateProfileCacheForUser(mfaAdmin.Id)
	env.s.Srv.Store().User().ClearCaches()

	steps := []struct {
		name            string
		enable, enforce bool
		want            contract.CheckStatus
	}{
		{"MFA off", false, false, contract.CheckStatusWarning},
		{"MFA available", true, false, contract.CheckStatusInfo},
		{"MFA enforced", true, true, contract.CheckStatusOK},
		{"MFA off again", false, false, contract.CheckStatusWarning},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			// Whoever can still use the REST API patches: the MFA admin once enforcement is on.
			patcher := env.adminClient
			if *env.s.App.Config().ServiceSettings.EnforceMultifactorAuthentication {
				patcher = mfaClient
			}
			patch := &model.Config{ServiceSettings: model.ServiceSettings{
				EnableMultifactorAuthentication:  new(st.enable),
				EnforceMultifactorAuthentication: new(st.enforce),
			}}
			if _, _, err := patcher.PatchConfig(ctx(t), patch); err != nil {
				t.Fatalf("PatchConfig: %v", err)
			}
			cfg := env.s.App.Config().ServiceSettings
			if *cfg.EnableMultifactorAuthentication != st.enable || *cfg.EnforceMultifactorAuthentication != st.enforce {
				t.Fatalf(
					"config after patch: enable %v enforce %v",
					*cfg.EnableMultifactorAuthentication,
					*cfg.EnforceMultifactorAuthentication,
				)
			}
			tok := env.adminClient.AuthToken
			if st.enforce {
				if r := call(t, http.MethodPost, "/api/v1/readiness/run", tok, []byte(`{}`)); r.Status != http.StatusUnauthorized {
					t.Fatalf("MFA enforced, admin without MFA: %s, want 401 (the server drops the session)", r)
				}
				tok = mfaClient.AuthToken
			}
			r := call(t, http.MethodPost, "/api/v1/readiness/run", tok, []byte(`{}`))
			if r.Status != http.StatusOK {
				t.Fatalf("POST /api/v1/readiness/run: %s", r)
			}
			var rep contract.ReadinessReport
			if err := json.Unmarshal(r.Body, &rep); err != nil {
				t.Fatal(err)
			}
			status, expl := readinessCheck(rep, "auth.mfa")
			if status != st.want {
				t.Fatalf("auth.mfa after %s: %q (%s), want %q", st.name, status, expl, st.want)
			}
			// The cached report (GET) is the one just run.
			g := call(t, http.MethodGet, "/api/v1/readiness", tok, nil)
			var cached contract.ReadinessReport
			if g.Status != http.StatusOK || json.Unmarshal(g.Body, &cached) != nil || cached.CheckedAt != rep.CheckedAt {
				t.Fatalf("GET /api/v1/readiness after the run: %s", g)
			}
			if s, _ := readinessCheck(cached, "auth.mfa"); s != st.want {
				t.Fatalf("cached auth.mfa %q, want %q", s, st.want)
			}
			t.Logf("%s: auth.mfa %s (%s); score %.0f", st.name, status, expl, rep.Score)
		})
	}
}
