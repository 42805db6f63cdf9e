package cockpit

// The owners' page in a real browser against the real server, under every host library profile.

import (
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// TestBrowserOwners runs e2e/browser/owners.spec.mjs: a member (not an admin) who owns one task opens
// "My roll-out tasks" from the team menu and marks it done; the admin's Plan tab, the table for the
// default plan, filtered by that owner, shows it done. Screenshots: e2e/artifacts/my-tasks.png and
// plan-table.png (or $MY_TASKS_SCREENSHOT_PATH, $PLAN_TABLE_SCREENSHOT_PATH; per profile, see profileEnv).
func TestBrowserOwners(t *testing.T) { forEachHostProfile(t, testBrowserOwners) }

func testBrowserOwners(t *testing.T, profile string) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	sfx := strings.ToLower(model.NewId()[:6])
	users, err := env.s.CreateUsers(1, mmserver.UserOptions{Prefix: "owner-ui-" + sfx + "-", Teams: []*model.Team{env.teamA}})
	if err != nil {
		t.Fatal(err)
	}
	owner := users[0]

	// A task with a title nobody else's task has, not done yet, for the owner alone.
	p := getPlan(t)
	titles := map[string]int{}
	for _, ph := range p.Plan.Phases {
		for _, tk := range ph.Tasks {
			titles[tk.Title]++
		}
	}
	var task contract.Task
	for _, ph := range p.Plan.Phases {
		for _, tk := range ph.Tasks {
			if task.ID == "" && !completed(tk) && titles[tk.Title] == 1 && (tk.OwnerID == nil || *tk.OwnerID == "") {
				task = tk
			}
		}
	}
	if task.ID == "" {
		t.Fatal("no open task with a unique title and no owner")
	}
	r := patchTask(t, env.adminClient.AuthToken, task.ID, p.Plan.Version, map[string]any{"owner_id": owner.Id, "state": "not_started"})
	expectStatus(t, "assign the task to the member", r, 200)

	shot := artifactPath("MY_TASKS_SCREENSHOT_PATH", "my-tasks.png")
	tableShot := artifactPath("PLAN_TABLE_SCREENSHOT_PATH", "plan-table.png")
	runBrowserSpecAs(t, profile, "owners.spec.mjs",
		"OWNER_USER="+owner.Username,
		"USER_PASSWORD="+env.s.Password,
		"TEAM_NAME="+env.teamA.Name,
		"TASK_TITLE="+task.Title,
		"MY_TASKS_SCREENSHOT_PATH="+shot,
		"PLAN_TABLE_SCREENSHOT_PATH="+tableShot,
	)

	// What the browser did is what the server stored: done, by the owner.
	got := getPlan(t)
	if tk, _ := got.task(task.ID); tk.State != contract.TaskStateDone {
		t.Fatalf("task %s is %q on the server after the owner marked it done", task.ID, tk.State)
	}
	if got.Plan.UpdatedBy != owner.Id {
		t.Errorf("the plan was last updated by %s, want the owner %s", got.Plan.UpdatedBy, owner.Id)
	}
	t.Logf("screenshots: %s, %s", shot, tableShot)
}
