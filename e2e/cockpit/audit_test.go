package cockpit

// The audit trail against the real server: who changed what, and the CSV and JSON exports.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

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
	if r := patchTask(
		t,
		env.adminClient.AuthToken,
		task.ID,
		p.Plan.Version,
		map[string]any{"state": "in_progress"},
	); r.Status != http.StatusOK {
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
			t.Errorf("entry %d: before %s after %s, want %s → %s", i, mustJSON(t, e.Before), mustJSON(t, e.After), w.before, w.after)
		}
		if time.Since(time.UnixMilli(int64(e.At))) > 5*time.Minute {
			t.Errorf("entry %d at %.0f: not recent", i, e.At)
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
	if lines[0] != `"id","at","user_id","username","action","target","before","after","session_id","ip_address","user_agent"` {
		t.Errorf("CSV header %q", lines[0])
	}
	// The CSV holds every stored entry: the JSON export's count, not the counter (`total`), which also
	// counts numbers reserved by writers that died before writing their entry (the crash tests make such holes).
	jr := call(t, http.MethodGet, "/api/v1/audit/export?format=json", env.adminClient.AuthToken, nil)
	var exported contract.AuditPage
	if jr.Status != http.StatusOK || json.Unmarshal(jr.Body, &exported) != nil {
		t.Fatalf("JSON export: %s", jr)
	}
	exportedTotal := int(exported.Total)
	if exportedTotal > total || exportedTotal < 2 {
		t.Errorf("JSON export has %d entries, the counter stands at %d", exportedTotal, total)
	}
	if len(lines)-1 != exportedTotal {
		t.Errorf("CSV has %d rows, the JSON export %d entries (counter %d)", len(lines)-1, exportedTotal, total)
	}
	if !strings.HasPrefix(lines[1], fmt.Sprintf(`"%d",`, start+2)) ||
		!strings.Contains(lines[1], `"`+second.Id+`","`+second.Username+`","plan.task.update","task:`+task.ID+`"`) {
		t.Errorf("CSV newest row %q: want entry %d by %s (%s)", lines[1], start+2, second.Username, second.Id)
	}
	if !strings.Contains(lines[2], `"`+adminID+`","`+env.admin+`"`) {
		t.Errorf("CSV second row %q: want the admin %s", lines[2], env.admin)
	}
	t.Logf("audit: %d entries; CSV %d bytes, %s", total, len(csv), r.Header.Get("Content-Disposition"))
}

// jsonEqual tells whether a decoded JSON value equals the JSON text b.
func jsonEqual(decoded any, b string) bool {
	var want any
	if json.Unmarshal([]byte(b), &want) != nil {
		return false
	}
	return reflect.DeepEqual(decoded, want)
}
