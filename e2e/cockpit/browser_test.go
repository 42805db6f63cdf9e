package cockpit

import "testing"

// TestBrowserCockpit runs e2e/browser/cockpit.spec.mjs: the Overview shows what the real server
// reports. The screenshot goes to e2e/artifacts/cockpit-overview.png (or $SCREENSHOT_PATH).
func TestBrowserCockpit(t *testing.T) {
	shot := artifactPath("SCREENSHOT_PATH", "cockpit-overview.png")
	runBrowserSpec(t, "cockpit.spec.mjs",
		"EXPECT_SERVER_VERSION="+env.s.Version,
		"EXPECT_PLUGIN_VERSION="+env.manifest.Version,
		"SCREENSHOT_PATH="+shot,
	)
	t.Logf("screenshot: %s", shot)
}
