package cockpit

// The Overview and the Plan tab's status updates in a real browser against the real server.

import (
	"fmt"
	"testing"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

// TestBrowserRollout runs e2e/browser/rollout.spec.mjs under every host profile: the Overview shows the
// plan's progress and the readiness score the routes answer, its engine counters collapsed; the Plan tab
// previews the status post (its markdown carries the same numbers, rendered inert) and posts it, and the
// timeline shows the post. Screenshots: e2e/artifacts/overview.png and status-preview.png (or
// $OVERVIEW_SCREENSHOT_PATH / $PREVIEW_SCREENSHOT_PATH). The channel then holds exactly that one post.
func TestBrowserRollout(t *testing.T) { forEachHostProfile(t, testBrowserRollout) }

func testBrowserRollout(t *testing.T, profile string) {
	lockPlan(t)
	channel := projectChannel(t)
	saveUpdateSettings(t, channel.Id, map[string]any{"kind": "off"})
	var readiness contract.ReadinessReport
	getJSON(t, "/api/v1/readiness", &readiness)
	plan := getPlan(t)

	overviewShot := artifactPath("OVERVIEW_SCREENSHOT_PATH", "overview.png")
	previewShot := artifactPath("PREVIEW_SCREENSHOT_PATH", "status-preview.png")
	runBrowserSpecAs(t, profile, "rollout.spec.mjs",
		fmt.Sprintf("PLAN_PERCENT=%d", int(plan.Progress.Percent)),
		fmt.Sprintf("READINESS_SCORE=%d", int(readiness.Score)),
		fmt.Sprintf("CHANNEL_LABEL=%s (%s)", channel.DisplayName, env.teamA.DisplayName),
		"OVERVIEW_SCREENSHOT_PATH="+overviewShot,
		"PREVIEW_SCREENSHOT_PATH="+previewShot,
	)
	if n := len(statusPosts(t, channel.Id)); n != 1 {
		t.Fatalf("status posts in the project channel after the browser's Post now: %d, want 1", n)
	}
	t.Logf("screenshots: %s, %s", overviewShot, previewShot)
}
