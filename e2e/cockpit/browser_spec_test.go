package cockpit

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// runBrowserSpec runs one node:test spec of e2e/browser (playwright-core + Debian Chromium) against
// the front door, with HARNESS_URL, CHROMIUM_PATH and the given extra environment, and fails the test
// if the spec fails. The harness page is rebuilt first when its sources changed.
func runBrowserSpec(t *testing.T, spec string, extraEnv ...string) {
	t.Helper()
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
	cmd := exec.CommandContext(ctx(t), "node", "--test", "--test-reporter=spec", filepath.Join(root, "e2e", "browser", spec))
	cmd.Dir = root
	cmd.Env = append(os.Environ(), append([]string{"HARNESS_URL=" + env.front.HarnessURL(), "CHROMIUM_PATH=" + chromium}, extraEnv...)...)
	out, err := cmd.CombinedOutput()
	t.Logf("node --test e2e/browser/%s:\n%s", spec, out)
	if err != nil {
		t.Fatalf("browser spec %s failed: %v", spec, err)
	}
}

// artifactsDir is where screenshots go: $ARTIFACTS_DIR if set, else e2e/artifacts.
func artifactsDir() string {
	if v := os.Getenv("ARTIFACTS_DIR"); v != "" {
		return v
	}
	root, _ := mmserver.RepoRoot()
	return filepath.Join(root, "e2e", "artifacts")
}

// artifactPath is where one screenshot goes: $envName if set, else <artifactsDir>/<file>.
func artifactPath(envName, file string) string {
	if v := os.Getenv(envName); v != "" {
		return v
	}
	return filepath.Join(artifactsDir(), file)
}
