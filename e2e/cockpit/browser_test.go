package cockpit

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// TestBrowserCockpit runs e2e/browser/cockpit.spec.mjs under every host library profile: the Overview
// shows what the real server reports, inside the System Console's settings form (which no cockpit
// submit may reach); the registerAdminConsolePlugin page and the Site Statistics rows render; a
// system read-only admin (no sysconsole_write_plugins) gets the setting with `disabled`. The screenshot
// goes to e2e/artifacts/cockpit-overview.png (mm11; cockpit-overview-<profile>.png for the others) or $SCREENSHOT_PATH.
func TestBrowserCockpit(t *testing.T) {
	readOnly, err := env.s.CreateUser("readonly-"+model.NewId()[:6], mmserver.UserOptions{Teams: []*model.Team{env.teamA}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.adminClient.UpdateUserRoles(
		ctx(t),
		readOnly.Id,
		model.SystemUserRoleId+" "+model.SystemReadOnlyAdminRoleId,
	); err != nil {
		t.Fatal(err)
	}
	shot := artifactPath("SCREENSHOT_PATH", "cockpit-overview.png")
	runBrowserSpec(t, "cockpit.spec.mjs",
		"EXPECT_SERVER_VERSION="+env.s.Version,
		"EXPECT_PLUGIN_VERSION="+env.manifest.Version,
		"SCREENSHOT_PATH="+shot,
		"READONLY_USER="+readOnly.Username,
		"USER_PASSWORD="+env.s.Password,
	)
	t.Logf("screenshot: %s", shot)
}
