package cockpit

// The Plan and Readiness tabs in a real browser against the real server.

import (
	"fmt"
	"testing"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

// TestBrowserPlan runs e2e/browser/plan.spec.mjs (playwright-core + Debian Chromium) against the front
// door: the admin marks a required task done on the Plan tab and sees its phase's progress bar rise,
// reloads, then opens Readiness. Screenshots: e2e/artifacts/plan.png and readiness.png (or
// $PLAN_SCREENSHOT_PATH / $READINESS_SCREENSHOT_PATH). The plan content is restored afterwards.
func TestBrowserPlan(t *testing.T) { forEachHostProfile(t, testBrowserPlan) }

// testBrowserPlan is one run of TestBrowserPlan under one host library profile, with its own fixtures.
func testBrowserPlan(t *testing.T, profile string) {
	lockPlan(t)
	restorePlanAtCleanup(t)

	// A required, not yet completed task whose title is unique (the spec finds its row by title), in a
	// phase with a unique title.
	p := getPlan(t)
	titles := map[string]int{}
	for _, ph := range p.Plan.Phases {
		titles["phase:"+ph.Title]++
		for _, tk := range ph.Tasks {
			titles[tk.Title]++
		}
	}
	var phase contract.Phase
	var task contract.Task
	var prog contract.PhaseProgress
	for i, ph := range p.Plan.Phases {
		for _, tk := range ph.Tasks {
			if task.ID == "" && !tk.Optional && !completed(tk) && titles[tk.Title] == 1 && titles["phase:"+ph.Title] == 1 {
				phase, task, prog = ph, tk, p.Progress.Phases[i]
			}
		}
	}
	if task.ID == "" {
		t.Fatal("no required, not completed task with a unique title")
	}
	// Whole percent, rounded down as the server rounds it.
	completedNow, required := int(prog.Completed), int(prog.Required)
	after := (completedNow + 1) * 100 / required
	t.Logf(
		"phase %q (%d/%d required done, %.0f%%), task %q (%s) -> expect %d%%",
		phase.Title,
		completedNow,
		required,
		prog.Percent,
		task.Title,
		task.State,
		after,
	)

	planShot, readinessShot := artifactPath("PLAN_SCREENSHOT_PATH", "plan.png"), artifactPath("READINESS_SCREENSHOT_PATH", "readiness.png")
	runBrowserSpecAs(t, profile, "plan.spec.mjs",
		"PHASE_TITLE="+phase.Title,
		"TASK_TITLE="+task.Title,
		fmt.Sprintf("EXPECT_BEFORE=%d", int(prog.Percent)),
		fmt.Sprintf("EXPECT_AFTER=%d", after),
		"PLAN_SCREENSHOT_PATH="+planShot,
		"READINESS_SCREENSHOT_PATH="+readinessShot,
	)

	// What the browser did is what the server stored: one write, by the admin the harness signed in as.
	got := getPlan(t)
	if tk, _ := got.task(task.ID); tk.State != contract.TaskStateDone {
		t.Fatalf("task %s is %q on the server after the browser marked it done", task.ID, tk.State)
	}
	if got.Plan.Version != p.Plan.Version+1 || got.Plan.UpdatedBy != userID(t, env.adminClient) {
		t.Errorf("version %d (was %d), updated_by %s", got.Plan.Version, p.Plan.Version, got.Plan.UpdatedBy)
	}
	t.Logf("screenshots: %s, %s", planShot, readinessShot)
}
