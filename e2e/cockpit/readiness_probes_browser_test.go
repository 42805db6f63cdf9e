package cockpit

// The Readiness tab's live probes in a real browser.

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// TestBrowserReadinessProbes runs e2e/browser/readiness_probes.spec.mjs under every host profile with the
// server's SMTP at a sink on loopback: the admin runs the probes from the Readiness tab and sees their
// states, raw facts and the checks' badges. Screenshots: e2e/artifacts/readiness-probes.png (the other profile's with its suffix).
func TestBrowserReadinessProbes(t *testing.T) { forEachHostProfile(t, testBrowserReadinessProbes) }

func testBrowserReadinessProbes(t *testing.T, profile string) {
	lockPlan(t)
	sink, err := mmserver.StartSMTPSink()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sink.Close() }()
	restore, err := env.s.UseSMTPSink(sink)
	if err != nil {
		t.Fatal(err)
	}
	defer restore()

	shot := artifactPath("PROBES_SCREENSHOT_PATH", "readiness-probes.png")
	runBrowserSpecAs(t, profile, "readiness_probes.spec.mjs", "SMTP_ADDR="+sink.Addr(), "PROBES_SCREENSHOT_PATH="+shot)

	// What the page showed is what the server cached: the SMTP probe passed, run by the admin.
	g := call(t, http.MethodGet, "/api/v1/readiness", env.adminClient.AuthToken, nil)
	var rep contract.ReadinessReport
	if g.Status != http.StatusOK || json.Unmarshal(g.Body, &rep) != nil {
		t.Fatalf("GET /api/v1/readiness: %s", g)
	}
	if p := probeOf(t, rep, "smtp"); p.State != contract.ProbeStatePassed || p.ProbedBy == nil ||
		p.ProbedBy.UserID != userID(t, env.adminClient) {
		t.Fatalf("cached smtp probe after the browser ran it: %+v", p)
	}
	t.Logf("screenshot: %s", shot)
}
