package cockpit

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// TestBrowserCockpit builds the harness page (e2e/harness, webpack), then runs the node:test browser
// spec (e2e/browser/cockpit.spec.mjs: playwright-core + Debian Chromium) against the front door,
// and fails if it fails. The screenshot goes to e2e/artifacts/cockpit-overview.png (or $SCREENSHOT_PATH).
func TestBrowserCockpit(t *testing.T) {
	chromium := os.Getenv("CHROMIUM_PATH")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("Chromium not found at %s: apt-get install -y chromium (or set CHROMIUM_PATH)", chromium)
	}
	t0 := time.Now()
	if _, err := mmserver.BuildHarness(); err != nil {
		t.Fatal(err)
	}
	t.Logf("harness ready in %s", time.Since(t0).Round(time.Millisecond))

	root, _ := mmserver.RepoRoot()
	shot := os.Getenv("SCREENSHOT_PATH")
	if shot == "" {
		shot = filepath.Join(root, "e2e", "artifacts", "cockpit-overview.png")
	}
	cmd := exec.CommandContext(ctx(t), "node", "--test", "--test-reporter=spec", filepath.Join(root, "e2e", "browser", "cockpit.spec.mjs"))
	cmd.Dir = root
	cmd.Env = append(os.Environ(),
		"HARNESS_URL="+env.front.HarnessURL(),
		"EXPECT_SERVER_VERSION="+env.s.Version,
		"EXPECT_PLUGIN_VERSION="+env.manifest.Version,
		"SCREENSHOT_PATH="+shot,
		"CHROMIUM_PATH="+chromium,
	)
	out, err := cmd.CombinedOutput()
	t.Logf("node --test e2e/browser/cockpit.spec.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("browser spec failed: %v", err)
	}
	t.Logf("screenshot: %s", shot)
}
