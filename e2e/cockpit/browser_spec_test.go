package cockpit

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// Every browser spec runs once per host library profile (webapp/host_profiles/profiles.js, read from the
// harness build's dist/profiles.json): the harness page of that profile exports that profile's React,
// ReactDOM (and, for Mattermost 12, ReactJSXRuntime) to the plugin's real bundle, as that release does.

// forEachHostProfile runs fn as one subtest per host library profile, named by the profile id
// (TestBrowserCockpit/mm11, TestBrowserCockpit/mm12). Use it around a test's own setup when the spec
// changes server state that a second run could not start from.
func forEachHostProfile(t *testing.T, fn func(t *testing.T, profile string)) {
	t.Helper()
	profiles, err := mmserver.HarnessProfiles()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range profiles {
		t.Run(p.ID, func(t *testing.T) {
			t.Logf("host library profile %s: React %s (%s)", p.ID, p.React, p.Releases)
			fn(t, p.ID)
		})
	}
}

// runBrowserSpec runs one node:test spec of e2e/browser once per host library profile (subtests named
// by profile), with the same extra environment each time (screenshot paths made per profile, see
// profileEnv).
func runBrowserSpec(t *testing.T, spec string, extraEnv ...string) {
	t.Helper()
	forEachHostProfile(t, func(t *testing.T, profile string) {
		runBrowserSpecAs(t, profile, spec, extraEnv...)
	})
}

// runBrowserSpecAs runs one node:test spec of e2e/browser (playwright-core + Debian Chromium) against
// the front door's harness page of host library profile `profile`, with HARNESS_URL, HARNESS_PROFILE,
// CHROMIUM_PATH and the given extra environment, and fails the test if the spec fails. The harness page
// is rebuilt first when its sources changed.
func runBrowserSpecAs(t *testing.T, profile, spec string, extraEnv ...string) {
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
	cmd.Env = append(os.Environ(), append([]string{
		"HARNESS_URL=" + env.front.HarnessURLFor(profile),
		"HARNESS_PROFILE=" + profile,
		"CHROMIUM_PATH=" + chromium,
	}, profileEnv(profile, extraEnv)...)...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("node --test e2e/browser/%s (%s, %.1f s):\n%s", spec, profile, time.Since(start).Seconds(), out)
	if err != nil {
		t.Fatalf("browser spec %s failed under host profile %s: %v", spec, profile, err)
	}
}

// profileEnv keeps the screenshot names of the default profile (docs/ copies them) and gives every other
// profile its own: a `*_DIR=<dir>` becomes `<dir>/<profile>`, a `…=<file>.png` becomes `<file>-<profile>.png`.
func profileEnv(profile string, extraEnv []string) []string {
	if profile == mmserver.DefaultHarnessProfile {
		return extraEnv
	}
	out := make([]string, 0, len(extraEnv))
	for _, kv := range extraEnv {
		k, v, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasSuffix(k, "_DIR") && v != "":
			kv = k + "=" + filepath.Join(v, profile)
		case strings.HasSuffix(v, ".png"):
			kv = k + "=" + strings.TrimSuffix(v, ".png") + "-" + profile + ".png"
		}
		out = append(out, kv)
	}
	return out
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
