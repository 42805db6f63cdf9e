package cockpit

// The roll-out plan, readiness, config snapshot and audit routes against the real server.
//
// The plan is ONE plugin-wide record shared by every test of the package. Tests that write it hold
// planMu for their whole run (none of them calls t.Parallel, and planMu keeps it that way if someone
// adds it), and every write starts from the version read just before, never from a remembered one.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// planMu serialises the tests that write the plugin-wide plan record.
var planMu sync.Mutex

func lockPlan(t *testing.T) {
	t.Helper()
	planMu.Lock()
	t.Cleanup(planMu.Unlock)
}

// apiResult is one answer of a plugin route.
type apiResult struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r apiResult) String() string {
	b := r.Body
	if len(b) > 600 {
		b = append(b[:600:600], "…"...)
	}
	return fmt.Sprintf("HTTP %d %s", r.Status, b)
}

// errorBody decodes contract ApiErrorBody.
func (r apiResult) errorBody(t *testing.T) (id, message string) {
	t.Helper()
	var e struct {
		Error struct{ ID, Message string } `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &e); err != nil {
		t.Fatalf("error body is not ApiErrorBody: %v: %s", err, r)
	}
	return e.Error.ID, e.Error.Message
}

// callAt sends a request to a plugin route of the server at base with a bearer token ("" = no session).
func callAt(t *testing.T, base, method, route, token string, body []byte) apiResult {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	resp, b := do(t, method, base+"/plugins/"+mmserver.PluginID+route, token, rd)
	return apiResult{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func call(t *testing.T, method, route, token string, body []byte) apiResult {
	t.Helper()
	return callAt(t, env.s.URL, method, route, token, body)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Plan types: only what the assertions read; content comparisons use the raw JSON.
type planTask struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Optional   bool     `json:"optional"`
	State      string   `json:"state"`
	SkipReason string   `json:"skip_reason"`
	Notes      string   `json:"notes"`
	Checks     []string `json:"checks"`
}

type planPhase struct {
	ID    string     `json:"id"`
	Title string     `json:"title"`
	Tasks []planTask `json:"tasks"`
}

type phaseProgress struct {
	PhaseID   string `json:"phase_id"`
	Required  int    `json:"required"`
	Completed int    `json:"completed"`
	Percent   int    `json:"percent"`
	Complete  bool   `json:"complete"`
}

type planState struct {
	Plan struct {
		SchemaVersion int         `json:"schema_version"`
		Title         string      `json:"title"`
		Phases        []planPhase `json:"phases"`
		Version       int         `json:"version"`
		UpdatedAt     int64       `json:"updated_at"`
		UpdatedBy     string      `json:"updated_by"`
	} `json:"plan"`
	Progress struct {
		Phases  []phaseProgress `json:"phases"`
		Percent int             `json:"percent"`
	} `json:"progress"`
	// Content is the plan's content (what export writes) as generic JSON: plan minus
	// version/updated_at/updated_by, for exact comparisons.
	Content map[string]any `json:"-"`
}

func (p planState) taskCount() int {
	n := 0
	for _, ph := range p.Plan.Phases {
		n += len(ph.Tasks)
	}
	return n
}

func (p planState) task(id string) (planTask, map[string]any) {
	for i, ph := range p.Plan.Phases {
		for j, tk := range ph.Tasks {
			if tk.ID == id {
				raw := p.Content["phases"].([]any)[i].(map[string]any)["tasks"].([]any)[j].(map[string]any)
				return tk, raw
			}
		}
	}
	return planTask{}, nil
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
	return call(t, http.MethodPatch, "/api/v1/plan/tasks/"+taskID, token, mustJSON(t, map[string]any{"expected_version": version, "changes": changes}))
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

// defaultPlanJSON is the bundled seed (assets/plan/default-plan.json).
func defaultPlanJSON(t *testing.T) map[string]any {
	t.Helper()
	root, err := mmserver.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "assets", "plan", "default-plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// importContent replaces the plan with content (expected_version = the current version).
func importContent(t *testing.T, base, token string, content any) planState {
	t.Helper()
	cur := getPlanAt(t, base, token)
	r := callAt(t, base, http.MethodPost, "/api/v1/plan/import", token, mustJSON(t, map[string]any{"expected_version": cur.Plan.Version, "plan": content}))
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

func userID(t *testing.T, c *model.Client4) string {
	t.Helper()
	me, _, err := c.GetMe(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	return me.Id
}

// firstRequiredTask returns a required task of the plan whose state is not done (first phase that has one).
func firstRequiredTask(p planState) (phase planPhase, task planTask) {
	for _, ph := range p.Plan.Phases {
		for _, tk := range ph.Tasks {
			if !tk.Optional && tk.State != "done" {
				return ph, tk
			}
		}
	}
	return planPhase{}, planTask{}
}

// notStartedRequiredTask returns the first required task still not_started, so any state change is a real change.
func notStartedRequiredTask(t *testing.T, p planState) planTask {
	t.Helper()
	for _, ph := range p.Plan.Phases {
		for _, tk := range ph.Tasks {
			if !tk.Optional && tk.State == "not_started" {
				return tk
			}
		}
	}
	t.Fatal("no required task is not_started")
	return planTask{}
}

func TestPlanDefaultLoads(t *testing.T) {
	lockPlan(t)
	p := getPlan(t)
	if p.Plan.SchemaVersion != 1 {
		t.Errorf("schema_version %d, want 1", p.Plan.SchemaVersion)
	}
	if len(p.Plan.Phases) != 10 || p.taskCount() != 54 {
		t.Fatalf("plan has %d phases and %d tasks, want the default 10 and 54", len(p.Plan.Phases), p.taskCount())
	}
	if p.Plan.Version < 0 {
		t.Fatalf("version %d", p.Plan.Version)
	}
	// Same phases and tasks, in the same order, as the bundled seed (other tests may have renamed a phase).
	seed := defaultPlanJSON(t)
	var ids, seedIDs []string
	for _, ph := range p.Plan.Phases {
		ids = append(ids, ph.ID)
		for _, tk := range ph.Tasks {
			ids = append(ids, tk.ID)
		}
	}
	for _, ph := range seed["phases"].([]any) {
		ph := ph.(map[string]any)
		seedIDs = append(seedIDs, ph["id"].(string))
		for _, tk := range ph["tasks"].([]any) {
			seedIDs = append(seedIDs, tk.(map[string]any)["id"].(string))
		}
	}
	if !reflect.DeepEqual(ids, seedIDs) {
		t.Fatalf("phase/task ids differ from assets/plan/default-plan.json:\n got %v\nwant %v", ids, seedIDs)
	}
	if len(p.Progress.Phases) != 10 {
		t.Errorf("progress has %d phases", len(p.Progress.Phases))
	}
	if p.Plan.Version == 0 && p.Plan.UpdatedBy != "" {
		t.Errorf("version 0 (never written) but updated_by %q", p.Plan.UpdatedBy)
	}
	t.Logf("plan %q: 10 phases, 54 tasks, version %d, %d%% done", p.Plan.Title, p.Plan.Version, p.Progress.Percent)
}

func TestPlanEditPersists(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	adminID := userID(t, env.adminClient)
	tok := env.adminClient.AuthToken

	task := notStartedRequiredTask(t, getPlan(t))
	notes := "e2e " + model.NewId()[:8]
	cases := []struct {
		name    string
		changes map[string]any
	}{
		{"state in_progress", map[string]any{"state": "in_progress"}},
		{"state done and notes", map[string]any{"state": "done", "notes": notes}},
		{"state blocked", map[string]any{"state": "blocked"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cur := getPlan(t)
			_, rawBefore := cur.task(task.ID)
			r := patchTask(t, tok, task.ID, cur.Plan.Version, c.changes)
			if r.Status != http.StatusOK {
				t.Fatalf("PATCH task %s: %s", task.ID, r)
			}
			resp := decodePlan(t, r.Body)
			got := getPlan(t)
			if got.Plan.Version != cur.Plan.Version+1 || resp.Plan.Version != got.Plan.Version {
				t.Fatalf("version: GET %d, PATCH answered %d, was %d; want %d", got.Plan.Version, resp.Plan.Version, cur.Plan.Version, cur.Plan.Version+1)
			}
			if got.Plan.UpdatedBy != adminID {
				t.Errorf("updated_by %q, want the admin %s", got.Plan.UpdatedBy, adminID)
			}
			// Exactly the changed fields changed; everything else in the plan is as before.
			want := deepCopy(t, cur.Content)
			_, rawWant := planState{Plan: got.Plan, Content: want}.task(task.ID)
			maps.Copy(rawWant, c.changes)
			if !reflect.DeepEqual(got.Content, want) {
				_, rawGot := got.task(task.ID)
				t.Fatalf("after PATCH %v:\n task %v\n want %v (was %v)", c.changes, rawGot, rawWant, rawBefore)
			}
		})
	}
}

func deepCopy(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(mustJSON(t, m), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// Two system admins change the same task from the same version at the same moment: one wins (200),
// the other gets 409 cockpit.state.version_conflict, the stored task holds the winner's change and
// nothing else in the plan changed. Repeated a few times (each round both requests are released together).
func TestPlanConcurrentEditConflict(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	second, err := env.s.CreateUser("sysadmin2-"+model.NewId()[:6], mmserver.UserOptions{SystemAdmin: true, Teams: []*model.Team{env.teamA}})
	if err != nil {
		t.Fatal(err)
	}
	c2, err := env.s.Login(second.Username)
	if err != nil {
		t.Fatal(err)
	}
	admins := []struct {
		id, token string
	}{
		{userID(t, env.adminClient), env.adminClient.AuthToken},
		{second.Id, c2.AuthToken},
	}
	_, task := firstRequiredTask(getPlan(t))
	if task.ID == "" {
		t.Fatal("no required task that is not done")
	}
	auditBefore := auditTotal(t)
	const rounds = 5
	wins := map[int]int{}
	for round := range rounds {
		before := getPlan(t)
		// Different changes per admin, so the stored task shows whose write won.
		changes := []map[string]any{
			{"state": "done", "notes": fmt.Sprintf("admin 1, round %d", round)},
			{"state": "blocked", "notes": fmt.Sprintf("admin 2, round %d", round), "skip_reason": "x"},
		}
		results := make([]apiResult, 2)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range admins {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				body := mustJSON(t, map[string]any{"expected_version": before.Plan.Version, "changes": changes[i]})
				req, _ := http.NewRequest(http.MethodPatch, pluginURL("/api/v1/plan/tasks/"+task.ID), bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+admins[i].token)
				<-start
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					results[i] = apiResult{Status: -1, Body: []byte(err.Error())}
					return
				}
				defer func() { _ = resp.Body.Close() }()
				b, _ := io.ReadAll(resp.Body)
				results[i] = apiResult{Status: resp.StatusCode, Header: resp.Header, Body: b}
			}(i)
		}
		close(start)
		wg.Wait()

		winner, loser := -1, -1
		for i, r := range results {
			switch r.Status {
			case http.StatusOK:
				if winner >= 0 {
					t.Fatalf("round %d: both PATCHes from version %d succeeded: %s / %s", round, before.Plan.Version, results[0], results[1])
				}
				winner = i
			case http.StatusConflict:
				loser = i
				if id, _ := r.errorBody(t); id != "cockpit.state.version_conflict" {
					t.Fatalf("round %d: 409 with id %q, want cockpit.state.version_conflict", round, id)
				}
			default:
				t.Fatalf("round %d: admin %d got %s", round, i+1, r)
			}
		}
		if winner < 0 || loser < 0 {
			t.Fatalf("round %d: want one 200 and one 409, got %s / %s", round, results[0], results[1])
		}
		wins[winner]++

		after := getPlan(t)
		if after.Plan.Version != before.Plan.Version+1 {
			t.Fatalf("round %d: version %d, want %d", round, after.Plan.Version, before.Plan.Version+1)
		}
		if after.Plan.UpdatedBy != admins[winner].id {
			t.Fatalf("round %d: updated_by %s, winner was %s", round, after.Plan.UpdatedBy, admins[winner].id)
		}
		want := deepCopy(t, before.Content)
		_, rawWant := planState{Plan: before.Plan, Content: want}.task(task.ID)
		maps.Copy(rawWant, changes[winner])
		if !reflect.DeepEqual(after.Content, want) {
			_, rawGot := after.task(task.ID)
			t.Fatalf("round %d: stored task %v, want the winner's (admin %d) change: %v", round, rawGot, winner+1, rawWant)
		}
	}
	// One audit entry per won write, each by its winner.
	entries := auditEntries(t, 200)
	var mine []auditEntry
	for _, e := range entries {
		if e.seq() > auditBefore && e.Action == "plan.task.update" && e.Target == "task:"+task.ID {
			mine = append(mine, e)
		}
	}
	if len(mine) != rounds {
		t.Fatalf("%d audit entries for the %d won writes", len(mine), rounds)
	}
	t.Logf("%d rounds: admin 1 won %d, admin 2 won %d; every loser got 409 cockpit.state.version_conflict", rounds, wins[0], wins[1])
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
		{http.MethodPatch, "/api/v1/plan/tasks/" + tk.ID, b(map[string]any{"expected_version": v, "changes": map[string]any{"state": "done"}})},
		{http.MethodDelete, "/api/v1/plan/tasks/" + tk.ID, b(map[string]any{"expected_version": v})},
		{http.MethodPost, "/api/v1/plan/phases/" + ph.ID + "/tasks", b(map[string]any{"expected_version": v, "task": map[string]any{"id": "perm-task", "title": "Perm"}})},
		{http.MethodPost, "/api/v1/plan/phases", b(map[string]any{"expected_version": v, "phase": map[string]any{"id": "perm-phase", "title": "Perm", "tasks": []any{}}})},
		{http.MethodPatch, "/api/v1/plan/phases/" + ph.ID, b(map[string]any{"expected_version": v, "changes": map[string]any{"title": "Perm"}})},
		{http.MethodDelete, "/api/v1/plan/phases/" + ph.ID, b(map[string]any{"expected_version": v})},
		{http.MethodPost, "/api/v1/plan/reorder", b(map[string]any{"expected_version": v, "phase_order": order, "task_order": taskOrder})},
		{http.MethodGet, "/api/v1/plan/export", nil},
		{http.MethodPost, "/api/v1/plan/import/preview", b(map[string]any{"plan": p.Content})},
		{http.MethodPost, "/api/v1/plan/import", b(map[string]any{"expected_version": v, "plan": p.Content})},
		{http.MethodGet, "/api/v1/readiness", nil},
		{http.MethodPost, "/api/v1/readiness/run", []byte(`{}`)},
		{http.MethodGet, "/api/v1/config/snapshot", nil},
		{http.MethodPost, "/api/v1/config/compare", b(map[string]any{"snapshot": map[string]any{"schema_version": 1, "taken_at": 0, "server_version": "11.4.0", "site_url": "", "settings": map[string]any{}}})},
		{http.MethodGet, "/api/v1/audit", nil},
		{http.MethodGet, "/api/v1/audit/export?format=csv", nil},
		{http.MethodGet, "/api/v1/audit/export?format=json", nil},
	}
}

// Everyone but a system admin is refused on every plan, readiness, config and audit route (403), no
// session is 401, and none of the refused requests changed the plan or the audit trail.
func TestPlanReadinessAuditConfigRoutesNeedSystemAdmin(t *testing.T) {
	lockPlan(t)
	before := getPlan(t)
	auditBefore := auditTotal(t)
	routes := planRoutes(t, before)
	users := []struct {
		role, user string
		want       int
		wantID     string
	}{
		{"member", env.member, http.StatusForbidden, "cockpit.auth.forbidden"},
		{"team admin A", env.teamAdminA, http.StatusForbidden, "cockpit.auth.forbidden"},
		{"team admin B", env.teamAdminB, http.StatusForbidden, "cockpit.auth.forbidden"},
		{"guest", env.guest, http.StatusForbidden, "cockpit.auth.forbidden"},
		{"no session", "", http.StatusUnauthorized, "cockpit.auth.unauthenticated"},
	}
	for _, u := range users {
		t.Run(u.role, func(t *testing.T) {
			tok := tokenOf(t, u.user)
			for _, rt := range routes {
				r := call(t, rt.method, rt.route, tok, rt.body)
				if r.Status != u.want {
					t.Errorf("%s %s as %s: %s, want %d", rt.method, rt.route, u.role, r, u.want)
					continue
				}
				if id, _ := r.errorBody(t); id != u.wantID {
					t.Errorf("%s %s as %s: error id %q, want %q", rt.method, rt.route, u.role, id, u.wantID)
				}
			}
		})
	}
	requirePlanUnchanged(t, before, "after the refused requests")
	if n := auditTotal(t); n != auditBefore {
		t.Fatalf("audit total %d after refused requests, was %d", n, auditBefore)
	}
	// Control: the same table as the system admin reaches the handlers (read routes answer 200).
	for _, rt := range routes {
		if rt.method != http.MethodGet {
			continue
		}
		if r := call(t, rt.method, rt.route, env.adminClient.AuthToken, nil); r.Status != http.StatusOK {
			t.Errorf("%s %s as system admin: %s", rt.method, rt.route, r)
		}
	}
}

// Bad input is refused with 400 and a message that names the problem; the plan is unchanged.
func TestPlanBadInputIsRefused(t *testing.T) {
	lockPlan(t)
	before := getPlan(t)
	auditBefore := auditTotal(t)
	v := before.Plan.Version
	taskID := before.Plan.Phases[0].Tasks[0].ID

	bigPlan := map[string]any{"schema_version": 1, "title": "Too big", "phases": func() []any {
		var phases []any
		for p := range 10 {
			var tasks []any
			for i := range 1000 {
				tasks = append(tasks, map[string]any{"id": fmt.Sprintf("t%d-%d", p, i), "title": "T"})
			}
			phases = append(phases, map[string]any{"id": fmt.Sprintf("p%d", p), "title": "P", "tasks": tasks})
		}
		return phases
	}()}
	newer := deepCopy(t, before.Content)
	newer["schema_version"] = 2
	unknownTaskField := deepCopy(t, before.Content)
	unknownTaskField["phases"].([]any)[0].(map[string]any)["tasks"].([]any)[0].(map[string]any)["priority"] = "high"

	cases := []struct {
		name, method, route string
		body                []byte
		wantID              string
		wantMsg             []string // substrings of the message
	}{
		{"PATCH task: malformed JSON", http.MethodPatch, "/api/v1/plan/tasks/" + taskID, []byte(`{"expected_version": ` + fmt.Sprint(v) + `, "changes": {"state": "done"`), "cockpit.request.bad_json", nil},
		{"PATCH task: unknown top-level field", http.MethodPatch, "/api/v1/plan/tasks/" + taskID, mustJSON(t, map[string]any{"expected_version": v, "changes": map[string]any{"state": "done"}, "force": true}), "cockpit.request.invalid", []string{"force"}},
		{"PATCH task: unknown field in changes", http.MethodPatch, "/api/v1/plan/tasks/" + taskID, mustJSON(t, map[string]any{"expected_version": v, "changes": map[string]any{"colour": "red"}}), "cockpit.request.invalid", []string{"colour"}},
		{"PATCH task: unknown state", http.MethodPatch, "/api/v1/plan/tasks/" + taskID, mustJSON(t, map[string]any{"expected_version": v, "changes": map[string]any{"state": "finished"}}), "cockpit.request.invalid", []string{"body.changes.state"}},
		{"import: malformed JSON", http.MethodPost, "/api/v1/plan/import", []byte(`{"expected_version": 0, "plan": {"schema_version": 1,,}}`), "cockpit.request.bad_json", nil},
		{"import: unknown field in a task", http.MethodPost, "/api/v1/plan/import", mustJSON(t, map[string]any{"expected_version": v, "plan": unknownTaskField}), "cockpit.request.invalid", []string{"priority"}},
		{"import: 10,000 tasks", http.MethodPost, "/api/v1/plan/import", mustJSON(t, map[string]any{"expected_version": v, "plan": bigPlan}), "cockpit.request.invalid", []string{"at most 2000 tasks", "10000"}},
		{"import: newer schema_version", http.MethodPost, "/api/v1/plan/import", mustJSON(t, map[string]any{"expected_version": v, "plan": newer}), "cockpit.request.invalid", []string{"schema version 2", "upgrade the plugin"}},
		{"import preview: 10,000 tasks", http.MethodPost, "/api/v1/plan/import/preview", mustJSON(t, map[string]any{"plan": bigPlan}), "cockpit.request.invalid", []string{"at most 2000 tasks"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := call(t, c.method, c.route, env.adminClient.AuthToken, c.body)
			if r.Status != http.StatusBadRequest {
				t.Fatalf("%s (%d bytes): %s, want 400", c.name, len(c.body), r)
			}
			id, msg := r.errorBody(t)
			if id != c.wantID {
				t.Errorf("error id %q, want %q (message %q)", id, c.wantID, msg)
			}
			if strings.TrimSpace(msg) == "" {
				t.Errorf("empty message")
			}
			for _, s := range c.wantMsg {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q does not mention %q", msg, s)
				}
			}
			t.Logf("400 %s: %.200s", id, msg)
			requirePlanUnchanged(t, before, c.name)
		})
	}
	if n := auditTotal(t); n != auditBefore {
		t.Fatalf("audit total %d after refused requests, was %d", n, auditBefore)
	}
}

// Export on this server, import on a FRESH server (its own database, the same bundle): the second
// server then holds exactly the same plan content, and exports the same file.
func TestPlanExportImportOnFreshServer(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	tok := env.adminClient.AuthToken
	// Make the plan differ from the default, so the import has something to carry.
	cur := getPlan(t)
	_, task := firstRequiredTask(cur)
	if r := patchTask(t, tok, task.ID, cur.Plan.Version, map[string]any{"state": "in_progress", "notes": "exported " + model.NewId()[:8], "evidence": []string{"https://example.com/e2e"}}); r.Status != http.StatusOK {
		t.Fatalf("PATCH: %s", r)
	}
	exp := call(t, http.MethodGet, "/api/v1/plan/export", tok, nil)
	if exp.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/plan/export: %s", exp)
	}
	if ct := exp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("export Content-Type %q", ct)
	}
	if cd := exp.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".json") {
		t.Errorf("export Content-Disposition %q", cd)
	}
	var exported map[string]any
	if err := json.Unmarshal(exp.Body, &exported); err != nil {
		t.Fatal(err)
	}
	source := getPlan(t)
	if !reflect.DeepEqual(exported, source.Content) {
		t.Fatalf("the export differs from GET /api/v1/plan's content")
	}

	t0 := time.Now()
	s2, err := mmserver.Start(mmserver.Options{})
	if err != nil {
		t.Fatalf("second server: %v", err)
	}
	defer s2.Close()
	if _, createErr := s2.CreateUser("fresh-admin", mmserver.UserOptions{SystemAdmin: true}); createErr != nil {
		t.Fatal(createErr)
	}
	c2, err := s2.Login("fresh-admin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mmserver.InstallPlugin(c2, env.bundle); err != nil {
		t.Fatal(err)
	}
	t.Logf("fresh server %s (db %s) with the plugin in %s", s2.URL, s2.DBName, time.Since(t0).Round(time.Millisecond))

	fresh := getPlanAt(t, s2.URL, c2.AuthToken)
	if fresh.Plan.Version != 0 {
		t.Fatalf("the fresh server's plan is at version %d, want 0 (never written)", fresh.Plan.Version)
	}
	if reflect.DeepEqual(fresh.Content, exported) {
		t.Fatal("the fresh server already has the exported content: the test would prove nothing")
	}
	prev := callAt(t, s2.URL, http.MethodPost, "/api/v1/plan/import/preview", c2.AuthToken, mustJSON(t, map[string]any{"plan": exported}))
	if prev.Status != http.StatusOK || !strings.Contains(string(prev.Body), task.ID) {
		t.Fatalf("import preview on the fresh server: %s (want %s among the changed tasks)", prev, task.ID)
	}
	// Import the downloaded file as-is, based on version 0.
	body := append(append([]byte(`{"expected_version":0,"plan":`), exp.Body...), '}')
	if r := callAt(t, s2.URL, http.MethodPost, "/api/v1/plan/import", c2.AuthToken, body); r.Status != http.StatusOK {
		t.Fatalf("import on the fresh server: %s", r)
	}
	imported := getPlanAt(t, s2.URL, c2.AuthToken)
	if imported.Plan.Version != 1 {
		t.Errorf("version after import %d, want 1", imported.Plan.Version)
	}
	if !reflect.DeepEqual(imported.Content, source.Content) {
		t.Fatalf("the fresh server's plan differs from the source after import")
	}
	if !reflect.DeepEqual(imported.Progress, source.Progress) {
		t.Errorf("progress differs: %+v vs %+v", imported.Progress, source.Progress)
	}
	exp2 := callAt(t, s2.URL, http.MethodGet, "/api/v1/plan/export", c2.AuthToken, nil)
	if exp2.Status != http.StatusOK {
		t.Fatal(exp2)
	}
	if !bytes.Equal(exp2.Body, exp.Body) {
		t.Errorf("the fresh server's export (%d bytes) is not byte-identical to the source's (%d bytes)", len(exp2.Body), len(exp.Body))
	}
	// The import is audited on the fresh server, by its admin.
	a := callAt(t, s2.URL, http.MethodGet, "/api/v1/audit", c2.AuthToken, nil)
	var page struct {
		Entries []auditEntry `json:"entries"`
	}
	if err := json.Unmarshal(a.Body, &page); err != nil || len(page.Entries) == 0 || page.Entries[0].Action != "plan.import" || page.Entries[0].UserID != userID(t, c2) {
		t.Errorf("fresh server's audit: %s", a)
	}
}

type readinessReport struct {
	Score     float64 `json:"score"`
	CheckedAt int64   `json:"checked_at"`
	Results   []struct {
		ID          string `json:"id"`
		Status      string `json:"status"`
		Explanation string `json:"explanation"`
	} `json:"results"`
}

func (r readinessReport) check(id string) (status, explanation string) {
	for _, c := range r.Results {
		if c.ID == id {
			return c.Status, c.Explanation
		}
	}
	return "", ""
}

// Changing the real config through the REST API (PatchConfig) changes the matching readiness check on
// the next run, and GET /api/v1/readiness then serves that report.
//
// With MFA enforced, the real server treats the plugin request of an admin WITHOUT MFA as
// unauthenticated (app.MFARequired in servePluginRequest): the cockpit answers 401. So the enforced
// step runs as a second admin whose account has MFA active, and that admin also turns it off again
// (the first admin's PatchConfig would be refused with api.context.mfa_required).
func TestReadinessFollowsRealConfig(t *testing.T) {
	lockPlan(t) // the readiness report is a plugin-wide record too
	orig := env.s.App.Config().ServiceSettings
	origEnable, origEnforce := *orig.EnableMultifactorAuthentication, *orig.EnforceMultifactorAuthentication
	t.Cleanup(func() {
		env.s.App.UpdateConfig(func(c *model.Config) {
			c.ServiceSettings.EnableMultifactorAuthentication = new(origEnable)
			c.ServiceSettings.EnforceMultifactorAuthentication = new(origEnforce)
		})
	})
	mfaAdmin, err := env.s.CreateUser("mfa-admin-"+model.NewId()[:6], mmserver.UserOptions{SystemAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	mfaClient, err := env.s.Login(mfaAdmin.Username) // before MFA is active: no code needed
	if err != nil {
		t.Fatal(err)
	}
	if err := env.s.Srv.Store().User().UpdateMfaActive(mfaAdmin.Id, true); err != nil {
		t.Fatal(err)
	}
	env.s.Srv.Store().User().InvalidateProfileCacheForUser(mfaAdmin.Id)
	env.s.Srv.Store().User().ClearCaches()

	steps := []struct {
		name            string
		enable, enforce bool
		want            string
	}{
		{"MFA off", false, false, "warning"},
		{"MFA available", true, false, "info"},
		{"MFA enforced", true, true, "ok"},
		{"MFA off again", false, false, "warning"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			// Whoever can still use the REST API patches: the MFA admin once enforcement is on.
			patcher := env.adminClient
			if *env.s.App.Config().ServiceSettings.EnforceMultifactorAuthentication {
				patcher = mfaClient
			}
			patch := &model.Config{ServiceSettings: model.ServiceSettings{
				EnableMultifactorAuthentication:  new(st.enable),
				EnforceMultifactorAuthentication: new(st.enforce),
			}}
			if _, _, err := patcher.PatchConfig(ctx(t), patch); err != nil {
				t.Fatalf("PatchConfig: %v", err)
			}
			cfg := env.s.App.Config().ServiceSettings
			if *cfg.EnableMultifactorAuthentication != st.enable || *cfg.EnforceMultifactorAuthentication != st.enforce {
				t.Fatalf("config after patch: enable %v enforce %v", *cfg.EnableMultifactorAuthentication, *cfg.EnforceMultifactorAuthentication)
			}
			tok := env.adminClient.AuthToken
			if st.enforce {
				if r := call(t, http.MethodPost, "/api/v1/readiness/run", tok, []byte(`{}`)); r.Status != http.StatusUnauthorized {
					t.Fatalf("MFA enforced, admin without MFA: %s, want 401 (the server drops the session)", r)
				}
				tok = mfaClient.AuthToken
			}
			r := call(t, http.MethodPost, "/api/v1/readiness/run", tok, []byte(`{}`))
			if r.Status != http.StatusOK {
				t.Fatalf("POST /api/v1/readiness/run: %s", r)
			}
			var rep readinessReport
			if err := json.Unmarshal(r.Body, &rep); err != nil {
				t.Fatal(err)
			}
			status, expl := rep.check("auth.mfa")
			if status != st.want {
				t.Fatalf("auth.mfa after %s: %q (%s), want %q", st.name, status, expl, st.want)
			}
			// The cached report (GET) is the one just run.
			g := call(t, http.MethodGet, "/api/v1/readiness", tok, nil)
			var cached readinessReport
			if g.Status != http.StatusOK || json.Unmarshal(g.Body, &cached) != nil || cached.CheckedAt != rep.CheckedAt {
				t.Fatalf("GET /api/v1/readiness after the run: %s", g)
			}
			if s, _ := cached.check("auth.mfa"); s != st.want {
				t.Fatalf("cached auth.mfa %q, want %q", s, st.want)
			}
			t.Logf("%s: auth.mfa %s (%s); score %.0f", st.name, status, expl, rep.Score)
		})
	}
}

type auditEntry struct {
	ID     string          `json:"id"`
	At     int64           `json:"at"`
	UserID string          `json:"user_id"`
	Action string          `json:"action"`
	Target string          `json:"target"`
	Before json.RawMessage `json:"before"`
	After  json.RawMessage `json:"after"`
}

func (e auditEntry) seq() int {
	var n int
	_, _ = fmt.Sscan(e.ID, &n)
	return n
}

func auditPage(t *testing.T, perPage int) (entries []auditEntry, total int) {
	t.Helper()
	r := call(t, http.MethodGet, fmt.Sprintf("/api/v1/audit?page=0&per_page=%d", perPage), env.adminClient.AuthToken, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/audit: %s", r)
	}
	var page struct {
		Entries []auditEntry `json:"entries"`
		Total   int          `json:"total"`
	}
	if err := json.Unmarshal(r.Body, &page); err != nil {
		t.Fatal(err)
	}
	return page.Entries, page.Total
}

func auditTotal(t *testing.T) int {
	t.Helper()
	_, n := auditPage(t, 1)
	return n
}

func auditEntries(t *testing.T, perPage int) []auditEntry {
	t.Helper()
	e, _ := auditPage(t, perPage)
	return e
}

// Edits by two admins show up in the audit trail with the right user ids and exactly what changed;
// the CSV export downloads as text/csv with the same entries.
func TestAuditTrailRecordsEditsAndExportsCSV(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	second, err := env.s.CreateUser("sysadmin3-"+model.NewId()[:6], mmserver.UserOptions{SystemAdmin: true})
	if err != nil {
		t.Fatal(err)
	}
	c2, err := env.s.Login(second.Username)
	if err != nil {
		t.Fatal(err)
	}
	adminID := userID(t, env.adminClient)
	start := auditTotal(t)

	p := getPlan(t)
	task := notStartedRequiredTask(t, p)
	note := "audited " + model.NewId()[:8]
	if r := patchTask(t, env.adminClient.AuthToken, task.ID, p.Plan.Version, map[string]any{"state": "in_progress"}); r.Status != http.StatusOK {
		t.Fatal(r)
	}
	if r := patchTask(t, c2.AuthToken, task.ID, p.Plan.Version+1, map[string]any{"notes": note}); r.Status != http.StatusOK {
		t.Fatal(r)
	}
	// A refused (stale) write leaves no entry.
	if r := patchTask(t, c2.AuthToken, task.ID, p.Plan.Version, map[string]any{"state": "done"}); r.Status != http.StatusConflict {
		t.Fatalf("stale PATCH: %s, want 409", r)
	}

	entries, total := auditPage(t, 50)
	if total != start+2 {
		t.Fatalf("audit total %d, want %d (+2 edits; the 409 leaves none)", total, start+2)
	}
	want := []struct {
		user, before, after string
	}{
		// Newest first.
		{second.Id, fmt.Sprintf(`{"notes":%q}`, task.Notes), fmt.Sprintf(`{"notes":%q}`, note)},
		{adminID, fmt.Sprintf(`{"state":%q}`, task.State), `{"state":"in_progress"}`},
	}
	for i, w := range want {
		e := entries[i]
		if e.Action != "plan.task.update" || e.Target != "task:"+task.ID || e.UserID != w.user {
			t.Errorf("entry %d: %s %s by %s, want plan.task.update task:%s by %s", i, e.Action, e.Target, e.UserID, task.ID, w.user)
		}
		if !jsonEqual(e.Before, w.before) || !jsonEqual(e.After, w.after) {
			t.Errorf("entry %d: before %s after %s, want %s → %s", i, e.Before, e.After, w.before, w.after)
		}
		if time.Since(time.UnixMilli(e.At)) > 5*time.Minute {
			t.Errorf("entry %d at %d: not recent", i, e.At)
		}
	}

	r := call(t, http.MethodGet, "/api/v1/audit/export?format=csv", env.adminClient.AuthToken, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("CSV export: %s", r)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("CSV export Content-Type %q, want text/csv", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, ".csv") {
		t.Errorf("CSV export Content-Disposition %q", cd)
	}
	csv := string(r.Body)
	lines := strings.Split(strings.TrimRight(csv, "\r\n"), "\r\n")
	if lines[0] != `"id","at","user_id","username","action","target","before","after"` {
		t.Errorf("CSV header %q", lines[0])
	}
	// The CSV holds every stored entry: the JSON export's count, not the counter (`total`), which also
	// counts numbers reserved by writers that died before writing their entry (the crash tests make such holes).
	jr := call(t, http.MethodGet, "/api/v1/audit/export?format=json", env.adminClient.AuthToken, nil)
	var exported struct {
		Total int `json:"total"`
	}
	if jr.Status != http.StatusOK || json.Unmarshal(jr.Body, &exported) != nil {
		t.Fatalf("JSON export: %s", jr)
	}
	if exported.Total > total || exported.Total < 2 {
		t.Errorf("JSON export has %d entries, the counter stands at %d", exported.Total, total)
	}
	if len(lines)-1 != exported.Total {
		t.Errorf("CSV has %d rows, the JSON export %d entries (counter %d)", len(lines)-1, exported.Total, total)
	}
	if !strings.HasPrefix(lines[1], fmt.Sprintf(`"%d",`, start+2)) || !strings.Contains(lines[1], `"`+second.Id+`","`+second.Username+`","plan.task.update","task:`+task.ID+`"`) {
		t.Errorf("CSV newest row %q: want entry %d by %s (%s)", lines[1], start+2, second.Username, second.Id)
	}
	if !strings.Contains(lines[2], `"`+adminID+`","`+env.admin+`"`) {
		t.Errorf("CSV second row %q: want the admin %s", lines[2], env.admin)
	}
	t.Logf("audit: %d entries; CSV %d bytes, %s", total, len(csv), r.Header.Get("Content-Disposition"))
}

func jsonEqual(a json.RawMessage, b string) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

// completed mirrors contract isTaskCompleted: done, or skipped with a reason.
func completed(tk planTask) bool {
	return tk.State == "done" || (tk.State == "skipped" && strings.TrimSpace(tk.SkipReason) != "")
}

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
	var phase planPhase
	var task planTask
	var prog phaseProgress
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
	after := (prog.Completed + 1) * 100 / prog.Required
	t.Logf("phase %q (%d/%d required done, %d%%), task %q (%s) -> expect %d%%", phase.Title, prog.Completed, prog.Required, prog.Percent, task.Title, task.State, after)

	planShot, readinessShot := artifactPath("PLAN_SCREENSHOT_PATH", "plan.png"), artifactPath("READINESS_SCREENSHOT_PATH", "readiness.png")
	runBrowserSpecAs(t, profile, "plan.spec.mjs",
		"PHASE_TITLE="+phase.Title,
		"TASK_TITLE="+task.Title,
		fmt.Sprintf("EXPECT_BEFORE=%d", prog.Percent),
		fmt.Sprintf("EXPECT_AFTER=%d", after),
		"PLAN_SCREENSHOT_PATH="+planShot,
		"READINESS_SCREENSHOT_PATH="+readinessShot,
	)

	// What the browser did is what the server stored: one write, by the admin the harness signed in as.
	got := getPlan(t)
	if tk, _ := got.task(task.ID); tk.State != "done" {
		t.Fatalf("task %s is %q on the server after the browser marked it done", task.ID, tk.State)
	}
	if got.Plan.Version != p.Plan.Version+1 || got.Plan.UpdatedBy != userID(t, env.adminClient) {
		t.Errorf("version %d (was %d), updated_by %s", got.Plan.Version, p.Plan.Version, got.Plan.UpdatedBy)
	}
	t.Logf("screenshots: %s, %s", planShot, readinessShot)
}
