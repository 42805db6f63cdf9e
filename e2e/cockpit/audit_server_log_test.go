package cockpit

// The cockpit's changes in the server's own audit log, beside the server's events: the acting user,
// their session, address and user agent as the server recorded the request.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// serverAuditLine is one record of the server's audit file (model.AuditRecord as the audit logger writes it).
type serverAuditLine struct {
	EventName string `json:"event_name"`
	Status    string `json:"status"`
	Actor     struct {
		UserID    string `json:"user_id"`
		SessionID string `json:"session_id"`
		Client    string `json:"client"`
		IPAddress string `json:"ip_address"`
	} `json:"actor"`
	Event struct {
		Parameters  map[string]any `json:"parameters"`
		PriorState  map[string]any `json:"prior_state"`
		ResultState map[string]any `json:"resulting_state"`
		ObjectType  string         `json:"object_type"`
	} `json:"event"`
	Meta map[string]any `json:"meta"`
}

// waitForServerAuditRecord reads the server's audit file; the logger writes asynchronously, so it waits
// up to 15 s for a record that `match` accepts.
func waitForServerAuditRecord(t *testing.T, match func(serverAuditLine) bool) serverAuditLine {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		data, err := os.ReadFile(env.s.AuditLogPath())
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		scanner := bufio.NewScanner(bytes.NewReader(data))
		scanner.Buffer(make([]byte, 0, 1<<20), 1<<24)
		for scanner.Scan() {
			var line serverAuditLine
			if json.Unmarshal(scanner.Bytes(), &line) == nil && match(line) {
				return line
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no matching record in the server's audit log %s after 15 s (%d bytes)", env.s.AuditLogPath(), len(data))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestAuditReachesTheServersAuditLog(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	p := getPlan(t)
	task := notStartedRequiredTask(t, p)
	const userAgent = "CockpitAuditTest/1.0 (e2e)"

	req, err := http.NewRequestWithContext(ctx(t), http.MethodPatch, env.s.URL+"/plugins/"+mmserver.PluginID+"/api/v1/plan/tasks/"+task.ID,
		bytes.NewReader(mustJSON(t, map[string]any{"expected_version": p.Plan.Version, "changes": map[string]any{"state": "in_progress"}})))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+env.adminClient.AuthToken)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH task: HTTP %d", resp.StatusCode)
	}

	// The cockpit's own trail carries the request's origin…
	entries, _ := auditPage(t, 1)
	entry := entries[0]
	origin := func(field *string) string {
		if field == nil {
			return ""
		}
		return *field
	}
	sessionID, address, agent := origin(entry.SessionID), origin(entry.IPAddress), origin(entry.UserAgent)
	if entry.Action != "plan.task.update" || entry.Target != "task:"+task.ID {
		t.Fatalf("newest cockpit entry %s %s, want plan.task.update task:%s", entry.Action, entry.Target, task.ID)
	}
	if sessionID == "" || address != "127.0.0.1" || agent != userAgent {
		t.Errorf("cockpit entry origin: session %q, address %q, user agent %q; want a session, 127.0.0.1, %q",
			sessionID, address, agent, userAgent)
	}

	// …and the server's audit log has the same change, as the server's own events are recorded.
	adminID := userID(t, env.adminClient)
	record := waitForServerAuditRecord(t, func(line serverAuditLine) bool {
		return line.EventName == "plan.task.update" && line.Event.Parameters["cockpit_audit_id"] == entry.ID
	})
	if record.Status != "success" || record.Actor.UserID != adminID || record.Actor.SessionID != sessionID ||
		record.Actor.IPAddress != "127.0.0.1" || record.Actor.Client != userAgent {
		t.Errorf("server audit record actor/status: %+v %q; want user %s, session %s, 127.0.0.1, %q",
			record.Actor, record.Status, adminID, sessionID, userAgent)
	}
	params := record.Event.Parameters
	if params["plugin_id"] != mmserver.PluginID || params["target"] != "task:"+task.ID || record.Event.ObjectType != "plan" {
		t.Errorf("server audit record event: %+v", record.Event)
	}
	if record.Event.PriorState["state"] != string(task.State) || record.Event.ResultState["state"] != "in_progress" {
		t.Errorf("server audit record states: %v → %v, want %s → in_progress",
			record.Event.PriorState, record.Event.ResultState, task.State)
	}
	if record.Meta["api_path"] != "/api/v1/plan/tasks/"+task.ID {
		t.Errorf("server audit record meta: %v", record.Meta)
	}

	// The CSV export carries the same fields (its header: TestAuditTrailRecordsEditsAndExportsCSV).
	r := call(t, http.MethodGet, "/api/v1/audit/export?format=csv", env.adminClient.AuthToken, nil)
	if !strings.Contains(string(r.Body), userAgent) {
		t.Errorf("the CSV export lacks the user agent %q", userAgent)
	}
}
