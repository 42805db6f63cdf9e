package cockpit

// Task evidence against the real server: the owner of an expiring task (the disaster-recovery drill) adds
// dated evidence, which the server stamps as theirs and unaccepted; a member who does not own it gets
// 403, and so does the owner on the accept route; a system admin accepts it and the owner's answer shows
// it valid with the evidence badge. Evidence dated long ago (a penetration test more than 365 days old)
// is expired, and the owners' daily digest names it.

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

func acceptEvidence(t *testing.T, token, taskID string, index int) apiResult {
	t.Helper()
	body := mustJSON(t, map[string]any{"expected_version": getPlan(t).Plan.Version, "index": index})
	return call(t, http.MethodPost, "/api/v1/plan/tasks/"+taskID+"/evidence/accept", token, body)
}

func myTask(t *testing.T, token, taskID string) contract.MyTask {
	t.Helper()
	for _, entry := range myTasks(t, token).Tasks {
		if entry.Task.ID == taskID {
			return entry
		}
	}
	t.Fatalf("task %s is not among the caller's tasks", taskID)
	return contract.MyTask{}
}

// evidenceItems reads a task's evidence as items (the task's schema also reads bare links, so the Go type is generic).
func evidenceItems(t *testing.T, evidence []any) []contract.EvidenceItem {
	t.Helper()
	var items []contract.EvidenceItem
	if err := json.Unmarshal(mustJSON(t, evidence), &items); err != nil {
		t.Fatal(err)
	}
	return items
}

func TestPlanEvidenceAcceptedAndExpired(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	users, clients := teamMembersSignedIn(t, "evidence-")
	owner := users[0]
	ownerClient, memberClient := clients[0], clients[1]
	adminTok := env.adminClient.AuthToken
	const drill, pentest = "security.dr-drill", "security.pentest"
	for _, id := range []string{drill, pentest} {
		r := patchTask(t, adminTok, id, getPlan(t).Plan.Version, map[string]any{"owner_id": owner.Id})
		expectStatus(t, "assign "+id, r, http.StatusOK)
	}
	day := func(daysAgo int) string { return time.Now().UTC().AddDate(0, 0, -daysAgo).Format("2006-01-02") }

	// The owner adds dated evidence, claiming it accepted: the server stamps it as theirs, unaccepted.
	forged := map[string]any{"url": "https://wiki.example/dr-drill", "dated": day(10), "accepted_by": owner.Id, "accepted_at": 1}
	r := patchMyTask(t, ownerClient.AuthToken, drill, getPlan(t).Plan.Version, map[string]any{"evidence": []any{forged}})
	expectStatus(t, "the owner adds evidence", r, http.StatusOK)
	got := myTask(t, ownerClient.AuthToken, drill)
	items := evidenceItems(t, got.Task.Evidence)
	if len(items) != 1 || items[0].AcceptedBy != nil || items[0].AddedBy != owner.Id ||
		got.EvidenceStatus.State != contract.EvidenceStateAwaitingAcceptance {
		t.Fatalf("after the owner added evidence: %+v %+v", items, got.EvidenceStatus)
	}

	// Someone who does not own the task may not add evidence; the owner may not accept it.
	r = patchMyTask(t, memberClient.AuthToken, drill, getPlan(t).Plan.Version, map[string]any{"evidence": []any{forged}})
	expectStatus(t, "a member who does not own the task adds evidence", r, http.StatusForbidden)
	expectStatus(t, "the owner accepts", acceptEvidence(t, ownerClient.AuthToken, drill, 0), http.StatusForbidden)

	// A system admin accepts: valid for 90 days from the evidence's date, the evidence badge.
	expectStatus(t, "an admin accepts", acceptEvidence(t, adminTok, drill, 0), http.StatusOK)
	got = myTask(t, ownerClient.AuthToken, drill)
	items = evidenceItems(t, got.Task.Evidence)
	wantUntil := time.Now().UTC().AddDate(0, 0, 79).Format("2006-01-02")
	if got.EvidenceStatus.State != contract.EvidenceStateValid || got.EvidenceStatus.ValidUntil == nil ||
		*got.EvidenceStatus.ValidUntil != wantUntil || got.Verification != contract.TaskVerificationEvidence ||
		items[0].AcceptedBy == nil || *items[0].AcceptedBy != userID(t, env.adminClient) {
		t.Fatalf("after the admin accepted: %+v %+v %s", items, got.EvidenceStatus, got.Verification)
	}

	// A penetration test 400 days old: accepted, it is expired (valid 365 days), so the task needs evidence.
	old := map[string]any{"url": "https://wiki.example/pentest", "dated": day(400)}
	r = patchMyTask(t, ownerClient.AuthToken, pentest, getPlan(t).Plan.Version, map[string]any{"evidence": []any{old}})
	expectStatus(t, "the owner adds an old penetration test", r, http.StatusOK)
	expectStatus(t, "an admin accepts it", acceptEvidence(t, adminTok, pentest, 0), http.StatusOK)
	got = myTask(t, ownerClient.AuthToken, pentest)
	wantExpired := time.Now().UTC().AddDate(0, 0, -35).Format("2006-01-02")
	if got.EvidenceStatus.State != contract.EvidenceStateExpired || got.EvidenceStatus.ExpiredOn == nil ||
		*got.EvidenceStatus.ExpiredOn != wantExpired || got.Verification == contract.TaskVerificationEvidence {
		t.Fatalf("an accepted penetration test 400 days old: %+v %s", got.EvidenceStatus, got.Verification)
	}

	// The daily digest names the task whose evidence expired, once.
	restartPluginForcingJob(t, "plan.digest")
	if err := waitForDigest(t, ownerClient, owner.Id); err != nil {
		t.Fatal(err)
	}
	digests := digestDMs(t, ownerClient, owner.Id)
	if len(digests) != 1 || !strings.Contains(digests[0].Message, got.Task.Title) ||
		!strings.Contains(digests[0].Message, "expired** on "+wantExpired) || strings.Contains(digests[0].Message, "Run a disaster") {
		t.Fatalf("the owner's digest: %d %v", len(digests), digests)
	}
}
