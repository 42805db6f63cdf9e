package cockpit

// Load-test results against the sizing on the real server: files of Mattermost's load-test tool
// (server/src/loadtest/testdata, see its README for how they were made) uploaded through the route,
// refused ones store nothing, and the plan's load-test task is verified only when the newest run's
// supported users reach the planned concurrent users.

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func loadTestFixture(t *testing.T, name string) string {
	t.Helper()
	root, err := mmserver.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "server", "src", "loadtest", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// loadTestKeys are the plugin KV keys an upload may write (its runs, its head, its audit entry).
func loadTestKeys(changed []string) []string {
	var out []string
	for _, k := range changed {
		if strings.Contains(k, "loadtest:") || strings.Contains(k, "audit:") {
			out = append(out, k)
		}
	}
	return out
}

func loadTestCheck(t *testing.T, tok string) contract.CheckResult {
	t.Helper()
	r := call(t, http.MethodPost, "/api/v1/readiness/run", tok, []byte(`{}`))
	if r.Status != http.StatusOK {
		t.Fatalf("readiness run: %s", r)
	}
	var report contract.ReadinessReport
	if err := json.Unmarshal(r.Body, &report); err != nil {
		t.Fatal(err)
	}
	for _, c := range report.Results {
		if c.ID == "scale.load-test" {
			return c
		}
	}
	t.Fatalf("no scale.load-test check in %s", r)
	return contract.CheckResult{}
}

func TestLoadTestUploadVerifiesTask(t *testing.T) {
	tok := env.adminClient.AuthToken
	var overview contract.LoadTestOverview
	if r := call(t, http.MethodGet, "/api/v1/loadtest", tok, nil); r.Status != http.StatusOK || json.Unmarshal(r.Body, &overview) != nil {
		t.Fatalf("GET /api/v1/loadtest: %s", r)
	}

	// The plan's saved sizing: 8,000 users, 2,100 at once, the architecture tested for 15,000; read
	// back through its own route and as the load test's target.
	var sizing contract.SizingAnswer
	if r := call(t, http.MethodGet, "/api/v1/sizing", tok, nil); r.Status != http.StatusOK || json.Unmarshal(r.Body, &sizing) != nil {
		t.Fatalf("GET /api/v1/sizing: %s", r)
	}
	planned := map[string]any{"total_users": 8000, "concurrent_users": 2100, "architecture_users": 15000}
	r := call(t, http.MethodPut, "/api/v1/sizing", tok, mustJSON(t, map[string]any{"expected_version": sizing.Version, "sizing": planned}))
	if r.Status != http.StatusOK {
		t.Fatalf("PUT sizing: %s", r)
	}
	if stale := call(t, http.MethodPut, "/api/v1/sizing", tok, mustJSON(t, map[string]any{
		"expected_version": sizing.Version, "sizing": planned,
	})); stale.Status != http.StatusConflict {
		t.Fatalf("PUT sizing at a stale version: %s, want 409", stale)
	}
	got := call(t, http.MethodGet, "/api/v1/sizing", tok, nil)
	if got.Status != http.StatusOK || json.Unmarshal(got.Body, &sizing) != nil ||
		sizing.Sizing == nil || sizing.Sizing.ConcurrentUsers != 2100 || sizing.Sizing.ArchitectureUsers == nil ||
		*sizing.Sizing.ArchitectureUsers != 15000 || sizing.UpdatedBy == nil || *sizing.UpdatedBy != userID(t, env.adminClient) {
		t.Fatalf("GET /api/v1/sizing after the save: %s", got)
	}
	got = call(t, http.MethodGet, "/api/v1/loadtest", tok, nil)
	if got.Status != http.StatusOK || json.Unmarshal(got.Body, &overview) != nil ||
		overview.Target == nil || overview.Target.ConcurrentUsers != 2100 {
		t.Fatalf("GET /api/v1/loadtest after the sizing was saved: %s", got)
	}

	// Refused files: a clear 400 each, nothing stored.
	for _, c := range []struct{ file, content, id string }{
		{"malformed-truncated.json", loadTestFixture(t, "malformed-truncated.json"), "cockpit.loadtest.malformed"},
		{"coordinator-status-running.json", loadTestFixture(t, "coordinator-status-running.json"), "cockpit.loadtest.malformed"},
		{"foreign-k6-summary.json", loadTestFixture(t, "foreign-k6-summary.json"), "cockpit.loadtest.foreign"},
		{"big.json", `{"pad":"` + strings.Repeat("x", 300*1024) + `"}`, "cockpit.loadtest.too_large"},
	} {
		before := takeKVSnapshot(t)
		refused := call(t, http.MethodPost, "/api/v1/loadtest/runs", tok,
			mustJSON(t, map[string]any{"file_name": c.file, "content": c.content}))
		if refused.Status != http.StatusBadRequest {
			t.Fatalf("%s: %s, want 400", c.file, refused)
		}
		if id, msg := refused.errorBody(t); id != c.id || msg == "" {
			t.Errorf("%s: error %q %q, want %s", c.file, id, msg, c.id)
		}
		if changed := loadTestKeys(before.diff(takeKVSnapshot(t))); len(changed) > 0 {
			t.Errorf("%s: a refused upload stored %v", c.file, changed)
		}
	}

	// A comparison whose newest run supported 2,050: below 2,100.
	r = call(t, http.MethodPost, "/api/v1/loadtest/runs", tok, mustJSON(t, map[string]any{
		"file_name": "comparison.json", "content": loadTestFixture(t, "comparison.json"),
	}))
	var answer contract.LoadTestUploadAnswer
	if r.Status != http.StatusCreated || json.Unmarshal(r.Body, &answer) != nil {
		t.Fatalf("upload comparison: %s", r)
	}
	if answer.Run.SupportedUsers != 2050 || answer.Overview.Verdict.State != "below" {
		t.Fatalf("comparison upload: run %+v, verdict %+v", answer.Run, answer.Overview.Verdict)
	}
	if c := loadTestCheck(t, tok); c.Status != contract.CheckStatusError {
		t.Fatalf("check after a run below the target: %+v", c)
	}

	// The output of `ltctl loadtest status`: 2,150 supported, the target is reached.
	r = call(t, http.MethodPost, "/api/v1/loadtest/runs", tok, mustJSON(t, map[string]any{
		"file_name": "status.txt", "content": loadTestFixture(t, "ltctl-status-done.txt"),
	}))
	if r.Status != http.StatusCreated || json.Unmarshal(r.Body, &answer) != nil || answer.Overview.Verdict.State != "reached" {
		t.Fatalf("upload ltctl status: %s", r)
	}
	if c := loadTestCheck(t, tok); c.Status != contract.CheckStatusOK || !strings.Contains(c.Explanation, "2150") {
		t.Fatalf("check after a run reaching the target: %+v", c)
	}

	// The plan's load-test task lists that check (a task is verified when its checks are ok).
	plan := getPlan(t)
	found := false
	for _, phase := range plan.Plan.Phases {
		for _, task := range phase.Tasks {
			if task.ID == "security.load-test" {
				found = true
				if strings.Join(task.Checks, ",") != "scale.load-test" {
					t.Errorf("security.load-test checks %v", task.Checks)
				}
			}
		}
	}
	if !found {
		t.Error("no security.load-test task in the plan")
	}

	// The history, newest first, and the upload's audit entries.
	if r := call(t, http.MethodGet, "/api/v1/loadtest", tok, nil); r.Status != http.StatusOK || json.Unmarshal(r.Body, &overview) != nil {
		t.Fatalf("GET /api/v1/loadtest: %s", r)
	}
	if len(overview.Runs) < 3 || overview.Runs[0].SupportedUsers != 2150 || overview.Runs[1].SupportedUsers != 2050 ||
		overview.Runs[2].SupportedUsers != 1900 {
		t.Errorf("history: %+v", overview.Runs)
	}

	// Members may neither upload nor see it.
	memberClient, err := env.s.Login(env.member)
	if err != nil {
		t.Fatal(err)
	}
	if r := call(t, http.MethodPost, "/api/v1/loadtest/runs", memberClient.AuthToken, mustJSON(t, map[string]any{
		"file_name": "x.json", "content": loadTestFixture(t, "coordinator-status-done.json"),
	})); r.Status != http.StatusForbidden {
		t.Errorf("member upload: %s", r)
	}
}
