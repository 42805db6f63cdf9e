package cockpit

// What the plan, readiness and audit tests share: the plan record as the server answers it, its
// fixtures, and the audit trail.
//
// The plan is ONE plugin-wide record shared by every test of the package. Tests that write it hold
// planMu for their whole run (none of them calls t.Parallel, and planMu keeps it that way if someone
// adds it), and every write starts from the version read just before, never from a remembered one.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// planMu serialises the tests that write the plugin-wide plan record.
var planMu sync.Mutex

func lockPlan(t *testing.T) {
	t.Helper()
	planMu.Lock()
	t.Cleanup(planMu.Unlock)
}

// planState is GET /api/v1/plan's answer. Content is the plan's content (what export writes) as generic
// JSON: plan minus version/updated_at/updated_by, for exact comparisons that also see fields the schema
// does not name.
type planState struct {
	contract.PlanResponse
	Content map[string]any `json:"-"`
}

func (p planState) taskCount() int {
	n := 0
	for _, ph := range p.Plan.Phases {
		n += len(ph.Tasks)
	}
	return n
}

func (p planState) task(id string) (contract.Task, map[string]any) {
	for i, ph := range p.Plan.Phases {
		for j, tk := range ph.Tasks {
			if tk.ID == id {
				raw := p.Content["phases"].([]any)[i].(map[string]any)["tasks"].([]any)[j].(map[string]any)
				return tk, raw
			}
		}
	}
	return contract.Task{}, nil
}

func decodePlan(t *testing.T, body []byte) planState {
	t.Helper()
	var p planState
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("plan body: %v: %.300s", err, body)
	}
	var raw struct {
		Plan map[string]any `json:"plan"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "updated_at", "updated_by"} {
		delete(raw.Plan, k)
	}
	p.Content = raw.Plan
	return p
}

func getPlanAt(t *testing.T, base, token string) planState {
	t.Helper()
	r := callAt(t, base, http.MethodGet, "/api/v1/plan", token, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/plan: %s", r)
	}
	return decodePlan(t, r.Body)
}

func getPlan(t *testing.T) planState {
	t.Helper()
	return getPlanAt(t, env.s.URL, env.adminClient.AuthToken)
}

func patchTask(t *testing.T, token, taskID string, version int, changes map[string]any) apiResult {
	t.Helper()
	return call(
		t,
		http.MethodPatch,
		"/api/v1/plan/tasks/"+taskID,
		token,
		mustJSON(t, map[string]any{"expected_version": version, "changes": changes}),
	)
}

// requirePlanUnchanged fails when the plan's version or content differs from before.
func requirePlanUnchanged(t *testing.T, before planState, what string) {
	t.Helper()
	after := getPlan(t)
	if after.Plan.Version != before.Plan.Version {
		t.Fatalf("%s: plan version %d, was %d", what, after.Plan.Version, before.Plan.Version)
	}
	if !reflect.DeepEqual(after.Content, before.Content) {
		t.Fatalf("%s: plan content changed", what)
	}
}

// defaultPlan is the bundled seed (assets/plan/default-plan.json).
func defaultPlan(t *testing.T) contract.PlanContent {
	t.Helper()
	root, err := mmserver.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "assets", "plan", "default-plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var seed contract.PlanContent
	if err := json.Unmarshal(b, &seed); err != nil {
		t.Fatal(err)
	}
	return seed
}

// importContent replaces the plan with content (expected_version = the current version).
func importContent(t *testing.T, base, token string, content any) planState {
	t.Helper()
	cur := getPlanAt(t, base, token)
	r := callAt(
		t,
		base,
		http.MethodPost,
		"/api/v1/plan/import",
		token,
		mustJSON(t, map[string]any{"expected_version": cur.Plan.Version, "plan": content}),
	)
	if r.Status != http.StatusOK {
		t.Fatalf("POST /api/v1/plan/import: %s", r)
	}
	return decodePlan(t, r.Body)
}

// restorePlanAtCleanup puts the plan's content back as it was when called (one import at the end).
func restorePlanAtCleanup(t *testing.T) {
	t.Helper()
	saved := getPlan(t).Content
	t.Cleanup(func() {
		cur := getPlan(t)
		if reflect.DeepEqual(cur.Content, saved) {
			return
		}
		importContent(t, env.s.URL, env.adminClient.AuthToken, saved)
	})
}

// firstRequiredTask returns a required task of the plan whose state is not done (first phase that has one).
func firstRequiredTask(p planState) (phase contract.Phase, task contract.Task) {
	for _, ph := range p.Plan.Phases {
		for _, tk := range ph.Tasks {
			if !tk.Optional && tk.State != contract.TaskStateDone {
				return ph, tk
			}
		}
	}
	return contract.Phase{}, contract.Task{}
}

// notStartedRequiredTask returns the first required task still not_started, so any state change is a real change.
func notStartedRequiredTask(t *testing.T, p planState) contract.Task {
	t.Helper()
	for _, ph := range p.Plan.Phases {
		for _, tk := range ph.Tasks {
			if !tk.Optional && tk.State == contract.TaskStateNotStarted {
				return tk
			}
		}
	}
	t.Fatal("no required task is not_started")
	return contract.Task{}
}

func deepCopy(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(mustJSON(t, m), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// planRoutes is every plan/readiness/config/audit route with a body that would be valid for an admin.
func planRoutes(t *testing.T, p planState) []struct {
	method, route string
	body          []byte
} {
	ph := p.Plan.Phases[0]
	tk := ph.Tasks[0]
	v := p.Plan.Version
	b := func(x any) []byte { return mustJSON(t, x) }
	var order []string
	taskOrder := map[string][]string{}
	for _, x := range p.Plan.Phases {
		order = append(order, x.ID)
		for _, y := range x.Tasks {
			taskOrder[x.ID] = append(taskOrder[x.ID], y.ID)
		}
	}
	return []struct {
		method, route string
		body          []byte
	}{
		{http.MethodGet, "/api/v1/plan", nil},
		{
			http.MethodPatch,
			"/api/v1/plan/tasks/" + tk.ID,
			b(map[string]any{"expected_version": v, "changes": map[string]any{"state": "done"}}),
		},
		{http.MethodDelete, "/api/v1/plan/tasks/" + tk.ID, b(map[string]any{"expected_version": v})},
		{
			http.MethodPost,
			"/api/v1/plan/phases/" + ph.ID + "/tasks",
			b(map[string]any{"expected_version": v, "task": map[string]any{"id": "perm-task", "title": "Perm"}}),
		},
		{
			http.MethodPost,
			"/api/v1/plan/phases",
			b(map[string]any{"expected_version": v, "phase": map[string]any{"id": "perm-phase", "title": "Perm", "tasks": []any{}}}),
		},
		{
			http.MethodPatch,
			"/api/v1/plan/phases/" + ph.ID,
			b(map[string]any{"expected_version": v, "changes": map[string]any{"title": "Perm"}}),
		},
		{http.MethodDelete, "/api/v1/plan/phases/" + ph.ID, b(map[string]any{"expected_version": v})},
		{http.MethodPost, "/api/v1/plan/reorder", b(map[string]any{"expected_version": v, "phase_order": order, "task_order": taskOrder})},
		{http.MethodGet, "/api/v1/plan/export", nil},
		{http.MethodPost, "/api/v1/plan/import/preview", b(map[string]any{"plan": p.Content})},
		{http.MethodPost, "/api/v1/plan/import", b(map[string]any{"expected_version": v, "plan": p.Content})},
		{http.MethodGet, "/api/v1/readiness", nil},
		{http.MethodPost, "/api/v1/readiness/run", []byte(`{}`)},
		{http.MethodGet, "/api/v1/config/snapshot", nil},
		{
			http.MethodPost,
			"/api/v1/config/compare",
			b(
				map[string]any{
					"snapshot": map[string]any{
						"schema_version": 1,
						"taken_at":       0,
						"server_version": "11.4.0",
						"site_url":       "",
						"settings":       map[string]any{},
					},
				},
			),
		},
		{http.MethodGet, "/api/v1/audit", nil},
		{http.MethodGet, "/api/v1/audit/export?format=csv", nil},
		{http.MethodGet, "/api/v1/audit/export?format=json", nil},
	}
}

// auditSeq is an audit entry's number (its id counts up from 1).
func auditSeq(e contract.AuditEntry) int {
	var n int
	_, _ = fmt.Sscan(e.ID, &n)
	return n
}

func auditPage(t *testing.T, perPage int) (entries []contract.AuditEntry, total int) {
	t.Helper()
	r := call(t, http.MethodGet, fmt.Sprintf("/api/v1/audit?page=0&per_page=%d", perPage), env.adminClient.AuthToken, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/audit: %s", r)
	}
	var page contract.AuditPage
	if err := json.Unmarshal(r.Body, &page); err != nil {
		t.Fatal(err)
	}
	return page.Entries, int(page.Total)
}

func auditTotal(t *testing.T) int {
	t.Helper()
	_, n := auditPage(t, 1)
	return n
}

func auditEntries(t *testing.T, perPage int) []contract.AuditEntry {
	t.Helper()
	e, _ := auditPage(t, perPage)
	return e
}

// completed mirrors contract isTaskCompleted: done, or skipped with a reason.
func completed(tk contract.Task) bool {
	return tk.State == contract.TaskStateDone || (tk.State == contract.TaskStateSkipped && strings.TrimSpace(tk.SkipReason) != "")
}
