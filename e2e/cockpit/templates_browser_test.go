package cockpit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

// TestBrowserTemplates runs e2e/browser/templates.spec.mjs: the system admin creates a template and
// proposes it for a fresh channel of team A in the Templates tab; team admin A opens the review page
// with `/onboarding review`, sees the diff and approves. Afterwards the proposal's status and the
// channel's moderation and header are read back from the real server. Screenshots:
// e2e/artifacts/templates-console.png, templates-review.png and templates-review-decided.png (or $ARTIFACTS_DIR).
func TestBrowserTemplates(t *testing.T) { forEachHostProfile(t, testBrowserTemplates) }

// testBrowserTemplates is one run of TestBrowserTemplates under one host library profile, with its own fixtures.
func testBrowserTemplates(t *testing.T, profile string) {
	// The moderation credential is plugin-wide: one templates test at a time (templates_test.go).
	templatesMu.Lock()
	defer templatesMu.Unlock()
	// The first moderation patch of a channel creates a channel scheme, which a fresh server refuses until
	// its permissions migration has run (see TestTemplatesProposalApproveRollbackOnRealServer).
	if err := env.s.App.SetPhase2PermissionsMigrationStatus(true); err != nil {
		t.Fatal(err)
	}
	sfx := model.NewId()[:6]
	channel, _, err := env.adminClient.CreateChannel(ctx(t), &model.Channel{
		TeamId: env.teamA.Id, Name: "announce-ui-" + sfx, DisplayName: "Announce UI " + sfx, Type: model.ChannelTypeOpen,
	})
	if err != nil {
		t.Fatal(err)
	}
	admin := tokenOf(t, env.admin)
	templateName := "Browser Q&A " + sfx

	// The spec grants the moderation credential when it is not granted yet; put it back as it was.
	var credential contract.CredentialStatus
	browserTemplatesGet(t, "/api/v1/templates/credential", admin, &credential)
	if !credential.Granted {
		t.Cleanup(func() {
			if r := call(t, http.MethodPost, "/api/v1/templates/credential/revoke", admin, []byte("{}")); r.Status != http.StatusOK {
				t.Errorf("revoke the credential granted by the spec: HTTP %d %s", r.Status, r.Body)
			}
		})
	}
	t.Cleanup(func() { browserTemplatesDelete(t, admin, templateName) })

	spec := []string{
		"ARTIFACTS_DIR=" + artifactsDir(),
		"TEMPLATE_NAME=" + templateName,
		"TEAM_A_DISPLAY_NAME=" + env.teamA.DisplayName,
		"TEAM_A_NAME=" + env.teamA.Name,
		"CHANNEL_NAME=" + channel.Name,
		"CHANNEL_DISPLAY_NAME=" + channel.DisplayName,
		"TEAM_ADMIN=" + env.teamAdminA,
		"PASSWORD=" + env.s.Password,
	}
	// Two runs (each within runBrowserSpec's time limit): the system admin proposes, then team admin A reviews.
	runBrowserSpecAs(t, profile, "templates.spec.mjs", append(spec, "STEP=propose")...)
	runBrowserSpecAs(t, profile, "templates.spec.mjs", append(spec, "STEP=review")...)

	// The proposal the spec made, as the system admin sees it through the API.
	var list contract.ProposalList
	browserTemplatesGet(t, "/api/v1/templates/proposals", admin, &list)
	proposalID := ""
	for _, p := range list.Proposals {
		if p.TemplateName == templateName {
			proposalID = p.ID
		}
	}
	if proposalID == "" {
		t.Fatalf("no proposal of %q in GET /api/v1/templates/proposals", templateName)
	}
	var detail contract.ProposalDetail
	browserTemplatesGet(t, "/api/v1/templates/proposals/"+proposalID, admin, &detail)
	if len(detail.Teams) != 1 || detail.Teams[0].TeamID != env.teamA.Id || len(detail.Teams[0].Items) != 1 {
		t.Fatalf("proposal %s: want exactly the one channel of team A, got %+v", proposalID, detail.Teams)
	}
	item := detail.Teams[0].Items[0]
	if item.ChannelID != channel.Id || item.Status != "applied" {
		t.Fatalf("channel %s: status %q (reason %q), want applied", item.ChannelID, item.Status, item.Reason)
	}
	if item.Comment != "Looks right for our announcements" {
		t.Errorf("comment %q, want the one typed in the review panel", item.Comment)
	}
	teamAdminA, _, err := env.adminClient.GetUserByUsername(ctx(t), env.teamAdminA, "")
	if err != nil {
		t.Fatal(err)
	}
	if decidedBy := item.DecidedBy; decidedBy == nil || *decidedBy != teamAdminA.Id {
		t.Errorf("decided by %v, want team admin A %q", decidedBy, teamAdminA.Id)
	}

	// The real server's moderation and header now say what the template says.
	moderations, _, err := env.adminClient.GetChannelModerations(ctx(t), channel.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range moderations {
		if m.Name == "create_post" {
			found = true
			if m.Roles.Members == nil || m.Roles.Members.Value {
				t.Errorf("create_post for members: %+v, want not allowed", m.Roles.Members)
			}
			if m.Roles.Guests == nil || m.Roles.Guests.Value {
				t.Errorf("create_post for guests: %+v, want not allowed", m.Roles.Guests)
			}
		}
	}
	if !found {
		t.Errorf("no create_post in the channel's moderations: %+v", moderations)
	}
	after, _, err := env.adminClient.GetChannel(ctx(t), channel.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := "Questions in threads <b>please</b> [rules](http://evil.example)"; after.Header != want {
		t.Errorf("channel header %q, want %q", after.Header, want)
	}
}

func browserTemplatesGet(t *testing.T, route, token string, into any) {
	t.Helper()
	r := call(t, http.MethodGet, route, token, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d %s", route, r.Status, r.Body)
	}
	if err := json.Unmarshal(r.Body, into); err != nil {
		t.Fatalf("GET %s: %v in %s", route, err, r.Body)
	}
}

// browserTemplatesDelete removes the template the spec created (proposals keep their own copy).
func browserTemplatesDelete(t *testing.T, token, name string) {
	var list contract.TemplateList
	browserTemplatesGet(t, "/api/v1/templates", token, &list)
	for _, tpl := range list.Templates {
		if tpl.Definition.Name == name {
			r := call(
				t,
				http.MethodDelete,
				fmt.Sprintf("/api/v1/templates/%s", tpl.ID),
				token,
				mustJSON(t, map[string]any{"expected_version": tpl.Version}),
			)
			if r.Status != http.StatusOK {
				t.Errorf("delete template %s: HTTP %d %s", tpl.ID, r.Status, r.Body)
			}
		}
	}
}
