package cockpit

import "testing"

// TestBrowserBranding runs e2e/browser/branding.spec.mjs against the front door: edit, preview,
// apply, reload, roll back. Screenshots: e2e/artifacts/branding-*.png (or $ARTIFACTS_DIR).
func TestBrowserBranding(t *testing.T) {
	runBrowserSpec(t, "branding.spec.mjs", "ARTIFACTS_DIR="+artifactsDir())
}
