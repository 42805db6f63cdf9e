package cockpit

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Task edits waiting for their turn on one node are saved together (one plan write per turn); the turns of
// two nodes on one database still take the one cluster lock in turn. Admins send edits of tasks nobody else
// edits, all from one version, half through each of two servers at once: every edit is acknowledged and in
// the plan, the plan's version grew by exactly their number, each answer names its own version, and each
// edit has exactly one audit entry by its admin.
func TestPlanTaskEditsOnTwoNodesAtOnce(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	sfx := strings.ToLower(model.NewId()[:6])
	const admins = 24
	adminUsers, tokens := signedInAdmins(t, admins, "tn-admin-"+sfx+"-")

	stopPackagePlugin(t)
	second, admin2 := startSecondNode(t, true)
	enableOnBothNodes(t, admin2)
	defer setPluginEnabled(t, admin2, false)

	plan := getPlan(t)
	var taskIDs []string
	for _, ph := range plan.Plan.Phases {
		for _, tk := range ph.Tasks {
			taskIDs = append(taskIDs, tk.ID)
		}
	}
	if len(taskIDs) < admins {
		t.Fatalf("the plan has %d tasks, the test needs %d", len(taskIDs), admins)
	}
	auditBefore := auditTotal(t)
	value := func(a int) string { return "two nodes " + sfx + " by " + adminUsers[a].Username }
	servers := []string{env.s.URL, second.URL}

	answers := make([]apiResult, admins)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for a := range admins {
		wg.Go(func() {
			body := mustJSONNoT(map[string]any{"expected_version": plan.Plan.Version, "changes": map[string]any{"notes": value(a)}})
			<-start
			r, reqErr := tryRouteAt(servers[a%2], http.MethodPatch, "/api/v1/plan/tasks/"+taskIDs[a], tokens[a], body)
			if reqErr != nil {
				r = apiResult{Body: []byte(reqErr.Error())}
			}
			answers[a] = r
		})
	}
	began := time.Now()
	close(start)
	wg.Wait()
	took := time.Since(began)

	versions := map[int]int{}
	for a, r := range answers {
		if r.Status != http.StatusOK {
			t.Errorf("admin %d's edit through server %d: %s", a, a%2+1, r)
			continue
		}
		answered := decodePlan(t, r.Body)
		if other, seen := versions[answered.Plan.Version]; seen {
			t.Errorf("admins %d and %d were both answered version %d", other, a, answered.Plan.Version)
		}
		versions[answered.Plan.Version] = a
	}
	final := getPlan(t)
	for a := range admins {
		if _, raw := final.task(taskIDs[a]); raw["notes"] != value(a) {
			t.Errorf("admin %d's acknowledged notes of %s are not in the plan: %q", a, taskIDs[a], raw["notes"])
		}
	}
	if final.Plan.Version != plan.Plan.Version+admins {
		t.Errorf("plan version %d after %d edits from %d", final.Plan.Version, admins, plan.Plan.Version)
	}
	entries, total := auditPage(t, admins+20)
	byAdmin := map[string]int{}
	for _, entry := range entries {
		if entry.Action == "plan.task.update" && strings.HasPrefix(fmt.Sprint(entry.After), "map[notes:two nodes "+sfx) {
			byAdmin[entry.UserID]++
		}
	}
	for a, u := range adminUsers {
		if byAdmin[u.Id] != 1 {
			t.Errorf("admin %d's edit has %d audit entries, want 1", a, byAdmin[u.Id])
		}
	}
	if total < auditBefore+admins {
		t.Errorf("audit total %d after %d edits from %d", total, admins, auditBefore)
	}
	t.Logf("%d edits from one version through two servers at once: %d answered 200 with distinct versions, in %s",
		admins, len(versions), took.Round(time.Millisecond))
}
