package cockpit

// The roll-out plan's routes against the real server: the default plan, edits, concurrent edits,
// who may call the plan, readiness, config snapshot and audit routes, bad input, export and import.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func TestPlanDefaultLoads(t *testing.T) {
	lockPlan(t)
	p := getPlan(t)
	if p.Plan.SchemaVersion != 1 {
		t.Errorf("schema_version %d, want 1", p.Plan.SchemaVersion)
	}
	if len(p.Plan.Phases) != 10 || p.taskCount() != 56 {
		t.Fatalf("plan has %d phases and %d tasks, want the default 10 and 56", len(p.Plan.Phases), p.taskCount())
	}
	if p.Plan.Version < 0 {
		t.Fatalf("version %d", p.Plan.Version)
	}
	// Same phases and tasks, in the same order, as the bundled seed (other tests may have renamed a phase).
	seed := defaultPlan(t)
	var ids, seedIDs []string
	for _, ph := range p.Plan.Phases {
		ids = append(ids, ph.ID)
		for _, tk := range ph.Tasks {
			ids = append(ids, tk.ID)
		}
	}
	for _, ph := range seed.Phases {
		seedIDs = append(seedIDs, ph.ID)
		for _, tk := range ph.Tasks {
			seedIDs = append(seedIDs, tk.ID)
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
	t.Logf("plan %q: 10 phases, 56 tasks, version %d, %.0f%% done", p.Plan.Title, p.Plan.Version, p.Progress.Percent)
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
				t.Fatalf(
					"version: GET %d, PATCH answered %d, was %d; want %d",
					got.Plan.Version,
					resp.Plan.Version,
					cur.Plan.Version,
					cur.Plan.Version+1,
				)
			}
			if got.Plan.UpdatedBy != adminID {
				t.Errorf("updated_by %q, want the admin %s", got.Plan.UpdatedBy, adminID)
			}
			// Exactly the changed fields changed; everything else in the plan is as before.
			want := deepCopy(t, cur.Content)
			_, rawWant := planState{PlanResponse: contract.PlanResponse{Plan: got.Plan}, Content: want}.task(task.ID)
			maps.Copy(rawWant, c.changes)
			if !reflect.DeepEqual(got.Content, want) {
				_, rawGot := got.task(task.ID)
				t.Fatalf("after PATCH %v:\n task %v\n want %v (was %v)", c.changes, rawGot, rawWant, rawBefore)
			}
		})
	}
}

// Two system admins change the same fields of the same task from the same version at the same moment:
// one wins (200), the other gets 409 cockpit.plan.field_conflict, the stored task holds the winner's
// change and nothing else in the plan changed. Repeated a few times (each round both requests are released together).
func TestPlanConcurrentEditConflict(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	second, err := env.s.CreateUser(
		"sysadmin2-"+model.NewId()[:6],
		mmserver.UserOptions{SystemAdmin: true, Teams: []*model.Team{env.teamA}},
	)
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
					t.Fatalf(
						"round %d: both PATCHes from version %d succeeded: %s / %s",
						round,
						before.Plan.Version,
						results[0],
						results[1],
					)
				}
				winner = i
			case http.StatusConflict:
				loser = i
				if id, _ := r.errorBody(t); id != "cockpit.plan.field_conflict" {
					t.Fatalf("round %d: 409 with id %q, want cockpit.plan.field_conflict", round, id)
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
		_, rawWant := planState{PlanResponse: contract.PlanResponse{Plan: before.Plan}, Content: want}.task(task.ID)
		maps.Copy(rawWant, changes[winner])
		if !reflect.DeepEqual(after.Content, want) {
			_, rawGot := after.task(task.ID)
			t.Fatalf("round %d: stored task %v, want the winner's (admin %d) change: %v", round, rawGot, winner+1, rawWant)
		}
	}
	// One audit entry per won write, each by its winner.
	entries := auditEntries(t, 200)
	var mine []contract.AuditEntry
	for _, e := range entries {
		if auditSeq(e) > auditBefore && e.Action == "plan.task.update" && e.Target == "task:"+task.ID {
			mine = append(mine, e)
		}
	}
	if len(mine) != rounds {
		t.Fatalf("%d audit entries for the %d won writes", len(mine), rounds)
	}
	t.Logf("%d rounds: admin 1 won %d, admin 2 won %d; every loser got 409 cockpit.plan.field_conflict", rounds, wins[0], wins[1])
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
		{
			"PATCH task: malformed JSON",
			http.MethodPatch,
			"/api/v1/plan/tasks/" + taskID,
			[]byte(`{"expected_version": ` + fmt.Sprint(v) + `, "changes": {"state": "done"`),
			"cockpit.request.bad_json",
			nil,
		},
		{
			"PATCH task: unknown top-level field",
			http.MethodPatch,
			"/api/v1/plan/tasks/" + taskID,
			mustJSON(t, map[string]any{"expected_version": v, "changes": map[string]any{"state": "done"}, "force": true}),
			"cockpit.request.invalid",
			[]string{"force"},
		},
		{
			"PATCH task: unknown field in changes",
			http.MethodPatch,
			"/api/v1/plan/tasks/" + taskID,
			mustJSON(t, map[string]any{"expected_version": v, "changes": map[string]any{"colour": "red"}}),
			"cockpit.request.invalid",
			[]string{"colour"},
		},
		{
			"PATCH task: unknown state",
			http.MethodPatch,
			"/api/v1/plan/tasks/" + taskID,
			mustJSON(t, map[string]any{"expected_version": v, "changes": map[string]any{"state": "finished"}}),
			"cockpit.request.invalid",
			[]string{"body.changes.state"},
		},
		{
			"import: malformed JSON",
			http.MethodPost,
			"/api/v1/plan/import",
			[]byte(`{"expected_version": 0, "plan": {"schema_version": 1,,}}`),
			"cockpit.request.bad_json",
			nil,
		},
		{
			"import: unknown field in a task",
			http.MethodPost,
			"/api/v1/plan/import",
			mustJSON(t, map[string]any{"expected_version": v, "plan": unknownTaskField}),
			"cockpit.request.invalid",
			[]string{"priority"},
		},
		{
			"import: 10,000 tasks",
			http.MethodPost,
			"/api/v1/plan/import",
			mustJSON(t, map[string]any{"expected_version": v, "plan": bigPlan}),
			"cockpit.request.invalid",
			[]string{"at most 2000 tasks", "10000"},
		},
		{
			"import: newer schema_version",
			http.MethodPost,
			"/api/v1/plan/import",
			mustJSON(t, map[string]any{"expected_version": v, "plan": newer}),
			"cockpit.request.invalid",
			[]string{"schema version 2", "upgrade the plugin"},
		},
		{
			"import preview: 10,000 tasks",
			http.MethodPost,
			"/api/v1/plan/import/preview",
			mustJSON(t, map[string]any{"plan": bigPlan}),
			"cockpit.request.invalid",
			[]string{"at most 2000 tasks"},
		},
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
	if r := patchTask(
		t,
		tok,
		task.ID,
		cur.Plan.Version,
		map[string]any{"state": "in_progress", "notes": "exported " + model.NewId()[:8], "evidence": []string{"https://example.com/e2e"}},
	); r.Status != http.StatusOK {
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
	var page contract.AuditPage
	if err := json.Unmarshal(a.Body, &page); err != nil || len(page.Entries) == 0 || page.Entries[0].Action != "plan.import" ||
		page.Entries[0].UserID != userID(t, c2) {
		t.Errorf("fresh server's audit: %s", a)
	}
}
