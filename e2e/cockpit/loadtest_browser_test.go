package cockpit

// A load-test upload and task evidence in a real browser.

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func getSizing(t *testing.T) contract.SizingAnswer {
	t.Helper()
	var sizing contract.SizingAnswer
	if r := call(t, http.MethodGet, "/api/v1/sizing", env.adminClient.AuthToken, nil); r.Status != http.StatusOK ||
		json.Unmarshal(r.Body, &sizing) != nil {
		t.Fatalf("GET /api/v1/sizing: %s", r)
	}
	return sizing
}

// restoreSizingAtCleanup puts the saved sizing back at the end. A sizing cannot be unsaved (the route
// takes a sizing, not null): when none was saved before, the test's one stays.
func restoreSizingAtCleanup(t *testing.T) {
	t.Helper()
	before := getSizing(t)
	t.Cleanup(func() {
		if before.Sizing == nil {
			return
		}
		r := call(t, http.MethodPut, "/api/v1/sizing", env.adminClient.AuthToken,
			mustJSON(t, map[string]any{"expected_version": getSizing(t).Version, "sizing": before.Sizing}))
		if r.Status != http.StatusOK {
			t.Errorf("restoring the sizing: %s", r)
		}
	})
}

// TestBrowserLoadTest runs e2e/browser/loadtest.spec.mjs under every host profile: the admin saves the
// sizing (9,000 users, 2,120 at once, the architecture for 15,000), uploads a comparison whose newest
// run supported 2,050 (not enough) and the `ltctl loadtest status` of a run that supported 2,150
// (verified, the load-test task shows the evidence badge), then adds a link to the disaster-recovery
// drill dated 10 days ago, accepts it and sees it valid until its 90th day. The plan and the sizing are
// restored afterwards; the uploaded runs stay (runs have no delete route), so the newest run is 2,150.
// Screenshots: e2e/artifacts/loadtest.png and evidence.png (the other profile's with its suffix).
func TestBrowserLoadTest(t *testing.T) { forEachHostProfile(t, testBrowserLoadTest) }

func testBrowserLoadTest(t *testing.T, profile string) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	restoreSizingAtCleanup(t)
	adminTok := env.adminClient.AuthToken
	const loadTestTask, drillTask = "security.load-test", "security.dr-drill"
	const total, concurrent, architecture, below, reached = 9000, 2120, 15000, 2050, 2150

	// The drill starts without evidence, whatever an earlier test left.
	plan := getPlan(t)
	lt, _ := plan.task(loadTestTask)
	drill, _ := plan.task(drillTask)
	if lt.ID == "" || drill.ID == "" {
		t.Fatalf("the plan lacks %s or %s", loadTestTask, drillTask)
	}
	if len(drill.Evidence) > 0 {
		expectStatus(t, "clear the drill's evidence",
			patchTask(t, adminTok, drillTask, plan.Plan.Version, map[string]any{"evidence": []any{}}), http.StatusOK)
	}

	root, err := mmserver.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	testdata := filepath.Join(root, "server", "src", "loadtest", "testdata")
	dated := time.Now().UTC().AddDate(0, 0, -10).Format("2006-01-02")
	validUntil := time.Now().UTC().AddDate(0, 0, 79).Format("2006-01-02")
	evidenceURL := "https://wiki.example/dr-drill-" + profile
	loadTestShot := artifactPath("LOADTEST_SCREENSHOT_PATH", "loadtest.png")
	evidenceShot := artifactPath("EVIDENCE_SCREENSHOT_PATH", "evidence.png")
	runBrowserSpecAs(t, profile, "loadtest.spec.mjs",
		"TOTAL_USERS="+strconv.Itoa(total), "CONCURRENT_USERS="+strconv.Itoa(concurrent),
		"ARCHITECTURE_LABEL=Up to 15,000 concurrent users",
		"BELOW_FILE="+filepath.Join(testdata, "comparison.json"), "BELOW_USERS="+strconv.Itoa(below),
		"REACHED_FILE="+filepath.Join(testdata, "ltctl-status-done.txt"), "REACHED_USERS="+strconv.Itoa(reached),
		"LOADTEST_TASK_TITLE="+lt.Title, "DRILL_TASK_ID="+drillTask, "DRILL_TASK_TITLE="+drill.Title,
		"EVIDENCE_URL="+evidenceURL, "EVIDENCE_DATED="+dated, "EXPECT_VALID_UNTIL="+validUntil,
		"LOADTEST_SCREENSHOT_PATH="+loadTestShot, "EVIDENCE_SCREENSHOT_PATH="+evidenceShot)

	// What the page showed is what the server stored, by the admin.
	admin := userID(t, env.adminClient)
	s := getSizing(t)
	if s.Sizing == nil || s.Sizing.TotalUsers != total || s.Sizing.ConcurrentUsers != concurrent ||
		s.Sizing.ArchitectureUsers == nil || *s.Sizing.ArchitectureUsers != architecture || s.UpdatedBy == nil || *s.UpdatedBy != admin {
		t.Errorf("the sizing after the browser saved it: %+v", s)
	}
	var overview contract.LoadTestOverview
	if r := call(t, http.MethodGet, "/api/v1/loadtest", adminTok, nil); r.Status != http.StatusOK ||
		json.Unmarshal(r.Body, &overview) != nil {
		t.Fatalf("GET /api/v1/loadtest: %s", r)
	}
	if len(overview.Runs) < 2 || overview.Runs[0].SupportedUsers != reached || overview.Runs[1].SupportedUsers != below ||
		overview.Verdict.State != "reached" {
		t.Errorf("the load-test history after the browser's uploads: verdict %+v, runs %+v", overview.Verdict, overview.Runs)
	}
	drill, _ = getPlan(t).task(drillTask)
	items := evidenceItems(t, drill.Evidence)
	if len(items) != 1 || items[0].URL == nil || *items[0].URL != evidenceURL || items[0].Dated == nil || *items[0].Dated != dated ||
		items[0].AddedBy != admin || items[0].AcceptedBy == nil || *items[0].AcceptedBy != admin {
		t.Errorf("the drill's evidence after the browser added and accepted it: %+v", items)
	}
	t.Logf("screenshots: %s, %s", loadTestShot, evidenceShot)
}
