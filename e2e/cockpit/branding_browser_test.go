package cockpit

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// TestBrowserBranding runs e2e/browser/branding.spec.mjs (playwright-core + Chromium) against the
// front door: edit, preview, apply, reload, roll back. Screenshots: e2e/artifacts/branding-*.png
// (or $ARTIFACTS_DIR).
func TestBrowserBranding(t *testing.T) {
	chromium := os.Getenv("CHROMIUM_PATH")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("Chromium not found at %s: apt-get install -y chromium (or set CHROMIUM_PATH)", chromium)
	}
	if _, err := mmserver.BuildHarness(); err != nil {
		t.Fatal(err)
	}
	root, _ := mmserver.RepoRoot()
	artifacts := os.Getenv("ARTIFACTS_DIR")
	if artifacts == "" {
		artifacts = filepath.Join(root, "e2e", "artifacts")
	}
	cmd := exec.CommandContext(ctx(t), "node", "--test", "--test-reporter=spec", filepath.Join(root, "e2e", "browser", "branding.spec.mjs"))
	cmd.Dir = root
	cmd.Env = append(os.Environ(),
		"HARNESS_URL="+env.front.HarnessURL(),
		"ARTIFACTS_DIR="+artifacts,
		"CHROMIUM_PATH="+chromium,
	)
	out, err := cmd.CombinedOutput()
	t.Logf("node --test e2e/browser/branding.spec.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("browser spec failed: %v", err)
	}
}
