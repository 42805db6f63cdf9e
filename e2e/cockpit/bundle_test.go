package cockpit

// The staging → production bundle on two real servers: the package server plays staging (a plan edit,
// a role template, a wave with its journey, branding with an image and an adoption target made through
// the cockpit's routes), a fresh server with its own database plays production (the same team, channel
// and user names under other ids). Production previews the file (nothing written), applies it, reads
// every part back through its own routes, applies it again (nothing changes) and refuses a corrupted
// file with a 400 that changes nothing.

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// bundlePartsAll are the parts, in the order the server answers them.
var bundlePartsAll = []string{"plan", "templates", "waves", "branding", "adoption_targets"}

type bundlePartPreview struct {
	Part      string   `json:"part"`
	Added     []string `json:"added"`
	Changed   []string `json:"changed"`
	Removed   []string `json:"removed"`
	Unchanged int      `json:"unchanged"`
	Problems  []string `json:"problems"`
	Notes     []string `json:"notes"`
}

type bundleApplyAnswer struct {
	Parts []struct {
		Part    string            `json:"part"`
		Status  string            `json:"status"`
		Changes bundlePartPreview `json:"changes"`
		Error   *struct {
			ID      string `json:"id"`
			Message string `json:"message"`
		} `json:"error"`
	} `json:"parts"`
	ImageAction  string `json:"image_action"`
	ImageVersion int    `json:"image_version"`
}

func decodeOK(t *testing.T, r apiResult, what string, v any) {
	t.Helper()
	if r.Status != http.StatusOK && r.Status != http.StatusCreated {
		t.Fatalf("%s: %s", what, r)
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("%s: %v: %s", what, err, r)
	}
}

// smallPNG is a real 4×4 PNG the server's image decoder accepts.
func smallPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for x := range 4 {
		img.Set(x, x, color.RGBA{R: 28, G: 88, B: 217, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// prepareStaging makes every part on the package server through its routes and undoes it at cleanup.
// It returns the names of the template and the wave it made.
func prepareStaging(t *testing.T, tok string, pngBytes []byte) (templateName, waveName string) {
	t.Helper()
	lockPlan(t)
	restorePlanAtCleanup(t)
	templatesMu.Lock()
	t.Cleanup(templatesMu.Unlock)

	// A plan edit.
	plan := getPlan(t)
	task := notStartedRequiredTask(t, plan)
	edit := map[string]any{"notes": "Bundle: pilot with 50 people"}
	if r := patchTask(t, tok, task.ID, plan.Plan.Version, edit); r.Status != http.StatusOK {
		t.Fatalf("plan edit: %s", r)
	}

	// A role template whose channel admin is named by username.
	templateName = "Bundle announcements " + time.Now().Format("150405.000")
	var template struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	decodeOK(t, call(t, http.MethodPost, "/api/v1/templates", tok, mustJSON(t, map[string]any{
		"name":           templateName,
		"moderation":     map[string]any{"create_post": map[string]any{"members": false}},
		"channel_admins": map[string]any{"user_ids": []string{userIDOf(t, env.member)}, "channel_creator": true},
	})), "create template", &template)
	t.Cleanup(func() {
		call(t, http.MethodDelete, "/api/v1/templates/"+template.ID, tok, mustJSON(t, map[string]any{"expected_version": template.Version}))
	})

	// A wave of team A with its town square, a channel to create, a help desk and a journey step.
	teamID := env.teamA.Id
	town, _, err := env.adminClient.GetChannelByName(ctx(t), "town-square", teamID, "")
	if err != nil {
		t.Fatal(err)
	}
	offTopic, _, err := env.adminClient.GetChannelByName(ctx(t), "off-topic", teamID, "")
	if err != nil {
		t.Fatal(err)
	}
	waveName = "Bundle pilot " + time.Now().Format("150405.000")
	var wave struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	decodeOK(t, call(t, http.MethodPost, "/api/v1/waves", tok, mustJSON(t, map[string]any{
		"name":   waveName,
		"cohort": map[string]any{"team_ids": []string{teamID}, "email_domains": []string{"bundle.example"}},
		"targets": map[string]any{
			"teams":           []any{map[string]any{"team_id": teamID}},
			"channels":        []any{map[string]any{"channel_id": town.Id}},
			"create_channels": []any{map[string]any{"team_id": teamID, "name": "bundle-pilot", "display_name": "Bundle pilot"}},
		},
		"throttle": map[string]any{"users_per_second": 7},
		"feedback": map[string]any{"enabled": true, "help_desk_channel_id": offTopic.Id},
	})), "create wave", &wave)
	t.Cleanup(func() {
		call(t, http.MethodDelete, "/api/v1/waves/"+wave.ID, tok, mustJSON(t, map[string]any{"expected_version": wave.Version}))
	})
	if r := call(t, http.MethodPut, "/api/v1/waves/"+wave.ID+"/journey", tok, mustJSON(t, map[string]any{
		"expected_version": 0,
		"steps": []any{map[string]any{
			"id": "app", "after": "previous", "delay_minutes": 60, "condition": "no_mobile_session", "template": "Get the mobile app",
		}},
	})); r.Status != http.StatusOK {
		t.Fatalf("journey: %s", r)
	}

	// Branding with an image (the studio's apply with the image's bytes, as the webapp sends it).
	before := getBranding(t, tok)
	values := brandingValues{}
	maps.Copy(values, before.Values)
	for _, k := range []string{"banner_color", "banner_text_color"} {
		if s, _ := values[k].(string); len(s) != 7 {
			values[k] = "#123456"
		}
	}
	values["site_name"] = "Bundle Bank"
	values["help_link"] = "https://help.bundle.example"
	sum := sha256.Sum256(pngBytes)
	code, body := brandingRequest(t, http.MethodPost, "/api/v1/branding/apply", tok, map[string]any{
		"expected_version": before.Version,
		"values":           values,
		"image": map[string]any{
			"kind": "uploaded", "sha256": hex.EncodeToString(sum[:]), "content_type": "image/png", "size": len(pngBytes),
			"data_base64": base64.StdEncoding.EncodeToString(pngBytes),
		},
	})
	if code != http.StatusOK {
		t.Fatalf("branding apply: %d %s", code, body)
	}
	t.Cleanup(func() {
		now := getBranding(t, tok)
		restore := map[string]any{"expected_version": now.Version, "values": before.Values}
		brandingRequest(t, http.MethodPost, "/api/v1/branding/apply", tok, restore)
	})

	// An adoption target.
	var adoption struct {
		TargetsVersion int `json:"targets_version"`
		Progress       []struct {
			Target map[string]any `json:"target"`
		} `json:"progress"`
	}
	decodeOK(t, call(t, http.MethodGet, "/api/v1/adoption", tok, nil), "adoption", &adoption)
	previous := make([]any, 0, len(adoption.Progress))
	for _, p := range adoption.Progress {
		previous = append(previous, p.Target)
	}
	targets := append(slices.Clone(previous), map[string]any{
		"id": "bundle-wau", "label": "WAU", "metric": "weekly_active", "kind": "percent", "threshold": 80, "due": "2027-03-01",
	})
	var saved struct {
		Version int `json:"version"`
	}
	decodeOK(t, call(t, http.MethodPut, "/api/v1/adoption/targets", tok, mustJSON(t, map[string]any{
		"expected_version": adoption.TargetsVersion, "targets": targets,
	})), "save targets", &saved)
	t.Cleanup(func() {
		restore := map[string]any{"expected_version": saved.Version, "targets": previous}
		call(t, http.MethodPut, "/api/v1/adoption/targets", tok, mustJSON(t, restore))
	})
	return templateName, waveName
}

func userIDOf(t *testing.T, username string) string {
	t.Helper()
	u, _, err := env.adminClient.GetUserByUsername(ctx(t), username, "")
	if err != nil {
		t.Fatal(err)
	}
	return u.Id
}

// keepOnly leaves in the bundle's list part the entries whose name is `name` (the package server holds
// other tests' templates and waves, whose teams production does not have).
func keepOnly(t *testing.T, bundle map[string]any, part string, name func(map[string]any) string, want string) {
	t.Helper()
	parts := bundle["parts"].(map[string]any)
	var kept []any
	for _, entry := range parts[part].([]any) {
		if name(entry.(map[string]any)) == want {
			kept = append(kept, entry)
		}
	}
	if len(kept) != 1 {
		t.Fatalf("the export has %d %s named %q", len(kept), part, want)
	}
	parts[part] = kept
}

func definitionName(entry map[string]any) string {
	return entry["definition"].(map[string]any)["name"].(string)
}

// productionState is what every part reads back as on production, through the parts' own GET routes.
func productionState(t *testing.T, base, tok string) map[string]json.RawMessage {
	t.Helper()
	out := map[string]json.RawMessage{}
	for _, route := range []string{"/api/v1/plan", "/api/v1/templates", "/api/v1/waves", "/api/v1/branding", "/api/v1/adoption"} {
		r := callAt(t, base, http.MethodGet, route, tok, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s: %s", route, r)
		}
		out[route] = r.Body
	}
	// Of the adoption answer only the targets: the measurements move on their own.
	var adoption struct {
		TargetsVersion int               `json:"targets_version"`
		Progress       []json.RawMessage `json:"progress"`
	}
	if err := json.Unmarshal(out["/api/v1/adoption"], &adoption); err != nil {
		t.Fatal(err)
	}
	targets := make([]json.RawMessage, 0, len(adoption.Progress))
	for _, p := range adoption.Progress {
		var entry struct {
			Target json.RawMessage `json:"target"`
		}
		if err := json.Unmarshal(p, &entry); err != nil {
			t.Fatal(err)
		}
		targets = append(targets, entry.Target)
	}
	out["/api/v1/adoption"] = mustJSON(t, map[string]any{"version": adoption.TargetsVersion, "targets": targets})
	return out
}

func TestBundleRoundTripsBetweenTwoServers(t *testing.T) {
	tok := env.adminClient.AuthToken
	pngBytes := smallPNG(t)
	templateName, waveName := prepareStaging(t, tok, pngBytes)

	// Export every part (without people: the jest tests cover the cohort files).
	exp := call(t, http.MethodGet, "/api/v1/bundle/export", tok, nil)
	if exp.Status != http.StatusOK || !strings.Contains(exp.Header.Get("Content-Disposition"), "cockpit-bundle-") {
		t.Fatalf("export: %s", exp)
	}
	if bytes.Contains(exp.Body, []byte(env.teamA.Id)) {
		t.Errorf("the bundle carries staging's team id %s", env.teamA.Id)
	}
	var bundle map[string]any
	if err := json.Unmarshal(exp.Body, &bundle); err != nil {
		t.Fatal(err)
	}
	keepOnly(t, bundle, "templates", definitionName, templateName)
	keepOnly(t, bundle, "waves", definitionName, waveName)

	// Production: a fresh server with its own database, the same team and user names.
	t0 := time.Now()
	prod, err := mmserver.Start(mmserver.Options{})
	if err != nil {
		t.Fatalf("production server: %v", err)
	}
	defer prod.Close()
	if _, err = prod.CreateUser("prod-admin", mmserver.UserOptions{SystemAdmin: true}); err != nil {
		t.Fatal(err)
	}
	if _, err = prod.CreateUser("someone-first", mmserver.UserOptions{}); err != nil {
		t.Fatal(err)
	}
	prodMember, err := prod.CreateUser(env.member, mmserver.UserOptions{})
	if err != nil {
		t.Fatal(err)
	}
	prodTeam, err := prod.CreateTeam(env.teamA.Name)
	if err != nil {
		t.Fatal(err)
	}
	pc, err := prod.Login("prod-admin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err = mmserver.InstallPlugin(pc, env.bundle); err != nil {
		t.Fatal(err)
	}
	t.Logf("production server %s with the plugin in %s", prod.URL, time.Since(t0).Round(time.Millisecond))
	ptok := pc.AuthToken
	post := func(route string, body any) apiResult {
		return callAt(t, prod.URL, http.MethodPost, route, ptok, mustJSON(t, body))
	}

	// Preview: nothing written, the numbers right.
	before := productionState(t, prod.URL, ptok)
	var preview struct {
		Parts []bundlePartPreview `json:"parts"`
	}
	decodeOK(t, post("/api/v1/bundle/preview", map[string]any{"bundle": bundle}), "preview", &preview)
	if after := productionState(t, prod.URL, ptok); !reflect.DeepEqual(after, before) {
		t.Fatal("the preview changed production")
	}
	byPart := map[string]bundlePartPreview{}
	for _, p := range preview.Parts {
		byPart[p.Part] = p
		if len(p.Problems) != 0 {
			t.Errorf("preview %s: problems %v", p.Part, p.Problems)
		}
	}
	if got := byPart["templates"].Added; !reflect.DeepEqual(got, []string{templateName}) {
		t.Errorf("preview templates added %v, want [%s]", got, templateName)
	}
	if got := byPart["waves"].Added; !reflect.DeepEqual(got, []string{waveName}) {
		t.Errorf("preview waves added %v, want [%s]", got, waveName)
	}
	if got := byPart["branding"].Changed; !slices.Contains(got, "site_name") || !slices.Contains(got, "brand_image") {
		t.Errorf("preview branding changed %v", got)
	}
	if got := byPart["adoption_targets"].Added; !slices.Contains(got, "bundle-wau") {
		t.Errorf("preview targets added %v", got)
	}
	if p := byPart["plan"]; len(p.Changed)+len(p.Added)+len(p.Removed) == 0 {
		t.Errorf("preview plan: no change %+v", p)
	}

	// A corrupted file: 400 naming the field, nothing changed.
	corrupted := map[string]any{}
	if err = json.Unmarshal(exp.Body, &corrupted); err != nil {
		t.Fatal(err)
	}
	waves := corrupted["parts"].(map[string]any)["waves"].([]any)
	waves[0].(map[string]any)["definition"].(map[string]any)["throttle"] = map[string]any{"users_per_second": "fast"}
	bad := post("/api/v1/bundle/apply", map[string]any{"bundle": corrupted, "parts": bundlePartsAll})
	if bad.Status != http.StatusBadRequest {
		t.Fatalf("corrupted bundle: %s", bad)
	}
	if _, msg := bad.errorBody(t); !strings.Contains(msg, "parts.waves.0.definition.throttle.users_per_second") {
		t.Errorf("corrupted bundle: the message does not name the field: %s", msg)
	}
	foreign := post("/api/v1/bundle/preview", map[string]any{"bundle": map[string]any{"settings": map[string]any{}}})
	if foreign.Status != http.StatusBadRequest {
		t.Fatalf("foreign file: %s", foreign)
	}
	if after := productionState(t, prod.URL, ptok); !reflect.DeepEqual(after, before) {
		t.Fatal("a refused bundle changed production")
	}

	// Apply every part.
	var applied bundleApplyAnswer
	decodeOK(t, post("/api/v1/bundle/apply", map[string]any{"bundle": bundle, "parts": bundlePartsAll}), "apply", &applied)
	for _, p := range applied.Parts {
		if p.Status != "applied" {
			t.Errorf("apply %s: %s %+v", p.Part, p.Status, p.Error)
		}
	}
	if applied.ImageAction != "upload" || applied.ImageVersion == 0 {
		t.Fatalf("apply: image action %q version %d", applied.ImageAction, applied.ImageVersion)
	}
	// What the webapp does next: upload the kept bytes through the server's REST API.
	var kept struct {
		DataBase64 string `json:"data_base64"`
	}
	imageRoute := "/api/v1/branding/images/" + strconv.Itoa(applied.ImageVersion)
	decodeOK(t, callAt(t, prod.URL, http.MethodGet, imageRoute, ptok, nil), "image", &kept)
	keptBytes, err := base64.StdEncoding.DecodeString(kept.DataBase64)
	if err != nil || !bytes.Equal(keptBytes, pngBytes) {
		t.Fatalf("the kept image is not staging's (%v)", err)
	}
	if _, err = pc.UploadBrandImage(ctx(t), keptBytes); err != nil {
		t.Fatalf("upload the brand image: %v", err)
	}
	img, _, err := pc.GetBrandImage(ctx(t))
	if err != nil || len(img) == 0 {
		t.Fatalf("production's brand image: %v", err)
	}

	// Every part read back through its own route.
	stagingPlan, prodPlan := getPlanAt(t, env.s.URL, tok), getPlanAt(t, prod.URL, ptok)
	if !reflect.DeepEqual(stagingPlan.Content, prodPlan.Content) {
		t.Error("production's plan is not staging's")
	}
	var templates struct {
		Templates []struct {
			Definition struct {
				Name          string `json:"name"`
				ChannelAdmins struct {
					UserIDs        []string `json:"user_ids"`
					ChannelCreator bool     `json:"channel_creator"`
				} `json:"channel_admins"`
			} `json:"definition"`
		} `json:"templates"`
	}
	decodeOK(t, callAt(t, prod.URL, http.MethodGet, "/api/v1/templates", ptok, nil), "templates", &templates)
	found := false
	for _, tpl := range templates.Templates {
		if tpl.Definition.Name == templateName {
			found = true
			admins := tpl.Definition.ChannelAdmins
			if !reflect.DeepEqual(admins.UserIDs, []string{prodMember.Id}) || !admins.ChannelCreator {
				t.Errorf("template's channel admins on production: %+v (want %s)", tpl.Definition.ChannelAdmins, prodMember.Id)
			}
		}
	}
	if !found {
		t.Errorf("production has no template %q", templateName)
	}
	var waveList []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	decodeOK(t, callAt(t, prod.URL, http.MethodGet, "/api/v1/waves", ptok, nil), "waves", &waveList)
	if len(waveList) != 1 || waveList[0].Name != waveName {
		t.Fatalf("production's waves: %+v", waveList)
	}
	var wave struct {
		State      string `json:"state"`
		Definition struct {
			Targets struct {
				Teams []struct {
					TeamID string `json:"team_id"`
				} `json:"teams"`
				Channels []struct {
					ChannelID string `json:"channel_id"`
				} `json:"channels"`
			} `json:"targets"`
			Feedback struct {
				HelpDeskChannelID string `json:"help_desk_channel_id"`
			} `json:"feedback"`
			Throttle struct {
				UsersPerSecond int `json:"users_per_second"`
			} `json:"throttle"`
		} `json:"definition"`
	}
	decodeOK(t, callAt(t, prod.URL, http.MethodGet, "/api/v1/waves/"+waveList[0].ID, ptok, nil), "wave", &wave)
	prodTown, _, err := pc.GetChannelByName(ctx(t), "town-square", prodTeam.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	prodOffTopic, _, err := pc.GetChannelByName(ctx(t), "off-topic", prodTeam.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	d := wave.Definition
	if wave.State != "draft" || len(d.Targets.Teams) != 1 || d.Targets.Teams[0].TeamID != prodTeam.Id ||
		len(d.Targets.Channels) != 1 || d.Targets.Channels[0].ChannelID != prodTown.Id ||
		d.Feedback.HelpDeskChannelID != prodOffTopic.Id || d.Throttle.UsersPerSecond != 7 {
		t.Errorf("production's wave does not target production's team and channels: %+v", wave)
	}
	var journey struct {
		Steps []struct{ Template string } `json:"steps"`
	}
	decodeOK(t, callAt(t, prod.URL, http.MethodGet, "/api/v1/waves/"+waveList[0].ID+"/journey", ptok, nil), "journey", &journey)
	if len(journey.Steps) != 1 || journey.Steps[0].Template != "Get the mobile app" {
		t.Errorf("production's journey: %+v", journey)
	}
	stagingBranding := getBranding(t, tok)
	var prodBranding brandingState
	decodeOK(t, callAt(t, prod.URL, http.MethodGet, "/api/v1/branding", ptok, nil), "branding", &prodBranding)
	if !reflect.DeepEqual(prodBranding.Values, stagingBranding.Values) {
		t.Errorf("production's branding %v, staging's %v", prodBranding.Values, stagingBranding.Values)
	}
	prodConfig, _, err := pc.GetConfig(ctx(t))
	if err != nil || *prodConfig.TeamSettings.SiteName != "Bundle Bank" {
		t.Errorf("production's config does not have the site name (%v)", err)
	}
	var prodAdoption struct {
		Progress []struct {
			Target struct{ ID string } `json:"target"`
		} `json:"progress"`
	}
	decodeOK(t, callAt(t, prod.URL, http.MethodGet, "/api/v1/adoption", ptok, nil), "adoption", &prodAdoption)
	targetIDs := make([]string, 0, len(prodAdoption.Progress))
	for _, p := range prodAdoption.Progress {
		targetIDs = append(targetIDs, p.Target.ID)
	}
	if !slices.Contains(targetIDs, "bundle-wau") {
		t.Errorf("production's targets: %v", targetIDs)
	}

	// Again: every part unchanged, production as it was.
	afterFirst := productionState(t, prod.URL, ptok)
	var again bundleApplyAnswer
	decodeOK(t, post("/api/v1/bundle/apply", map[string]any{"bundle": bundle, "parts": bundlePartsAll}), "apply again", &again)
	for _, p := range again.Parts {
		if p.Status != "unchanged" {
			t.Errorf("apply again %s: %s %+v", p.Part, p.Status, p.Changes)
		}
	}
	if after := productionState(t, prod.URL, ptok); !reflect.DeepEqual(after, afterFirst) {
		t.Error("applying the same bundle again changed production")
	}
}
