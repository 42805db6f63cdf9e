package cockpit

// Real entities for the hardening tests, made once per package run: a completed wave whose users and
// name carry hostile text (formula starts in usernames, markup in first/last names and the wave
// name), a help desk that received a notice, a role template with hostile name and description
// proposed to the hardening fixture's team with a hostile note, and a branding version holding an
// image. The GET pass with real ids, the CSV, DM and browser injection checks all read them.

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

// hostileText is markup, a mention and a formula start at once; it goes into every text field the
// world sets (escaped or neutralised wherever the plugin shows or exports it).
const hostileText = `=HYPERLINK("http://evil.test/x","go") *b* [x](javascript:alert(1)) @all <img src=x onerror=alert(1)> #h |t|`

// hostileName is the same within the 64 characters of a user's first or last name.
const hostileName = `=1+1 *b* [x](javascript:a) @all <img src=x> #h`

type hardeningWorld struct {
	// The wave: completed, welcome DMs sent, one user asked for help.
	waveID, waveName string
	waveVersion      int
	users            []*model.User // users[0], users[2]: usernames starting with = and @ (set with SQL)
	helpDesk         *model.Channel
	helpNotice       *model.Post
	// The role template proposal for the fixture's team, with the admin's hostile note.
	templateID, templateName, templateDesc string
	proposalID, proposalNote               string
	// The branding version that keeps an image (GET …/branding/images/:version).
	brandingVersion int
	// Real values for every path parameter name of the route table.
	ids map[string]string
}

var (
	worldOnce sync.Once
	world     *hardeningWorld
	worldErr  error
)

// hardeningWorldFor builds the world on first use (t's failures during the build fail every user).
func hardeningWorldFor(t *testing.T) *hardeningWorld {
	t.Helper()
	f := hardeningCallers(t)
	worldOnce.Do(func() {
		w, err := buildHardeningWorld(t, f)
		world, worldErr = w, err
	})
	if worldErr != nil {
		t.Fatalf("hardening world: %v", worldErr)
	}
	if world == nil {
		t.Fatal("hardening world: an earlier test failed while building it")
	}
	return world
}

func buildHardeningWorld(t *testing.T, f *hardeningFixture) (*hardeningWorld, error) {
	tok := f.admin.token
	w := &hardeningWorld{ids: map[string]string{}}

	// ---- the wave ----
	source, target, users, sfx := waveFixtureUsers(t, "hw", 3)
	// Usernames a spreadsheet would run (what an identity provider might let through; Mattermost's
	// own validation refuses them, so they are written with SQL before the server caches the users).
	names := []struct{ username, first, last string }{
		{"=cmd-" + sfx, hostileName, "-2+3"},
		{"hw" + sfx + "-plain", "<script>alert(1)</script> **Ada**", "@channel [l](javascript:x)"},
		{"@sum-" + sfx, "+1+cmd|' /C calc'!A0", hostileName},
	}
	for i, n := range names {
		if _, err := env.s.DB().ExecContext(
			ctx(t),
			`UPDATE users SET username = $1, firstname = $2, lastname = $3 WHERE id = $4`,
			n.username,
			n.first,
			n.last,
			users[i].Id,
		); err != nil {
			return nil, fmt.Errorf("hostile names for %s: %w", users[i].Username, err)
		}
		users[i].Username, users[i].FirstName, users[i].LastName = n.username, n.first, n.last
	}
	env.s.Srv.Store().User().ClearCaches()
	w.users = users
	helpDesk, err := env.s.CreateChannel(target, "helpdesk-"+sfx, false)
	if err != nil {
		return nil, err
	}
	w.helpDesk = helpDesk
	w.waveName = "Wave " + hostileText
	wave := createWave(t, tok, map[string]any{
		"name":     w.waveName,
		"cohort":   map[string]any{"team_ids": []string{source.Id}},
		"targets":  map[string]any{"teams": []map[string]any{{"team_id": target.Id}}},
		"welcome":  map[string]any{"enabled": true, "template": "Hi {{first_name}}!", "help_link": ""},
		"feedback": map[string]any{"enabled": true, "help_desk_channel_id": helpDesk.Id},
	})
	if final := runWave(t, tok, wave); final.State != "completed" || final.Counts.Welcomed != len(users) {
		return nil, fmt.Errorf("the hostile wave ended %+v", final)
	}
	waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID, tok, nil, http.StatusOK, &wave)
	w.waveID, w.waveVersion = wave.ID, int(wave.Version)

	// A survey step (due in 90 days, so nothing is sent meanwhile): its results and export are real routes.
	waveCall(t, http.MethodPut, "/api/v1/waves/"+wave.ID+"/journey", tok, map[string]any{"expected_version": 0, "steps": []map[string]any{{
		"id": "pulse", "after": "previous", "delay_minutes": 90 * 24 * 60, "condition": nil, "template": "A survey",
		"survey": map[string]any{"title": "Pulse", "questions": []map[string]any{{"id": "stars", "kind": "rating", "label": "How is it?"}}},
	}}}, http.StatusOK, nil)

	// users[1] clicks "I need help" in their welcome DM: the help desk gets a notice naming them.
	clicker, err := env.s.Login(users[1].Username)
	if err != nil {
		return nil, err
	}
	bot := botID(t)
	dm, _, err := clicker.CreateDirectChannel(ctx(t), users[1].Id, bot)
	if err != nil {
		return nil, err
	}
	posts, _, err := clicker.GetPostsForChannel(ctx(t), dm.Id, 0, 10, "", false, false)
	if err != nil || len(posts.Order) != 1 {
		return nil, fmt.Errorf("the clicker's DM with the bot: %v, %d posts", err, len(posts.Order))
	}
	welcome := posts.Posts[posts.Order[0]]
	help := ""
	for _, a := range welcome.Attachments()[0].Actions {
		if a.Name == "🆘 I need help" {
			help = a.Id
		}
	}
	if help == "" {
		return nil, fmt.Errorf("no help button in %+v", welcome.Attachments())
	}
	if _, doErr := clicker.DoPostAction(ctx(t), welcome.Id, help); doErr != nil {
		return nil, fmt.Errorf("click help: %w", doErr)
	}
	notices, _, err := env.adminClient.GetPostsForChannel(ctx(t), helpDesk.Id, 0, 20, "", false, false)
	if err != nil {
		return nil, err
	}
	for _, id := range notices.Order {
		if p := notices.Posts[id]; p.UserId == bot {
			w.helpNotice = p
		}
	}
	if w.helpNotice == nil {
		return nil, fmt.Errorf("no help-desk notice in %d posts", len(notices.Order))
	}

	// ---- a template and a proposal to the fixture's team ----
	w.templateName = "Tpl " + hostileName
	w.templateDesc = "Desc " + hostileText
	r := requestRoute(t, http.MethodPost, "/api/v1/templates", tok, mustJSON(t, map[string]any{
		"name":        w.templateName,
		"description": w.templateDesc,
		"moderation":  map[string]any{"create_post": map[string]any{"members": true, "guests": false}},
		"properties":  map[string]any{"header": "Header " + hostileText},
	}))
	if r.Status != http.StatusCreated {
		return nil, fmt.Errorf("create the hostile template: %s", r)
	}
	var tpl contract.Template
	if err := json.Unmarshal(r.Body, &tpl); err != nil {
		return nil, err
	}
	w.templateID = tpl.ID
	w.proposalNote = "Note " + hostileText
	r = requestRoute(t, http.MethodPost, "/api/v1/templates/proposals", tok, mustJSON(t, map[string]any{
		"template_id": tpl.ID, "template_version": tpl.Version, "teams": []map[string]any{
			{"team_id": f.team.Id, "name_pattern": "*"},
		}, "note": w.proposalNote,
	}))
	if r.Status != http.StatusCreated {
		return nil, fmt.Errorf("propose the hostile template: %s", r)
	}
	var proposal contract.ProposalDetail
	if err := json.Unmarshal(r.Body, &proposal); err != nil || proposal.Summary.ID == "" {
		return nil, fmt.Errorf("proposal answer %s: %v", r, err)
	}
	w.proposalID = proposal.Summary.ID

	// ---- a branding version with an image (the current values, so the site looks the same) ----
	state := getBranding(t, tok)
	values := brandingValues{}
	maps.Copy(values, state.Values)
	for _, k := range []string{"banner_color", "banner_text_color"} {
		if s, _ := values[k].(string); len(s) != 7 {
			values[k] = "#123456"
		}
	}
	png := tinyPNG()
	sum := sha256.Sum256(png)
	code, body := brandingRequest(t, http.MethodPost, "/api/v1/branding/apply", tok, map[string]any{
		"expected_version": state.Version, "values": values,
		"image": map[string]any{
			"kind":         "uploaded",
			"sha256":       hex.EncodeToString(sum[:]),
			"content_type": "image/png",
			"size":         len(png),
			"data_base64":  base64.StdEncoding.EncodeToString(png),
		},
	})
	if code != http.StatusOK {
		return nil, fmt.Errorf("branding apply with an image: %d %s", code, body)
	}
	var applied contract.ApplyBrandingResponse
	if err := json.Unmarshal(body, &applied); err != nil || applied.Applied == nil {
		return nil, fmt.Errorf("branding apply answer %s: %v", body, err)
	}
	w.brandingVersion = applied.Applied.Version

	// ---- real ids by path parameter name ----
	plan := getPlan(t)
	phase, task := firstRequiredTask(plan)
	w.ids["waveId"] = w.waveID
	w.ids["stepId"] = "pulse"
	w.ids["proposalId"] = w.proposalID
	w.ids["templateId"] = w.templateID
	w.ids["version"] = fmt.Sprint(w.brandingVersion)
	w.ids["kind"] = "windows-reg"
	w.ids["phaseId"] = phase.ID
	w.ids["taskId"] = task.ID
	w.ids["teamId"] = f.team.Id
	return w, nil
}

// tinyPNG is a valid 1×1 PNG.
func tinyPNG() []byte {
	b, _ := base64.StdEncoding.DecodeString(
		"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
	)
	return b
}

// fillRouteReal fills every path parameter with the world's real id for it ("" when a parameter has
// none: the caller fails, since a route added later needs a real entity chosen for it).
func (w *hardeningWorld) fillRouteReal(f *hardeningFixture, r routeEntry) (string, string) {
	u := r.Path
	segments := strings.Split(u, "/")
	for i, s := range segments {
		if len(s) > 0 && s[0] == ':' {
			v, ok := w.ids[s[1:]]
			if !ok {
				return "", s[1:]
			}
			segments[i] = v
		}
	}
	u = strings.Join(segments, "/")
	if in, name := r.teamSource(); in == "query" {
		u += "?" + name + "=" + f.team.Id
	}
	return u, ""
}
