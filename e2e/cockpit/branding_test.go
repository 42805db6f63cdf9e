package cockpit

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

// The branding studio against the real server: apply writes exactly the branding settings into the
// server's config (read back through GET /api/v4/config), rollback restores the previous values
// exactly, secrets survive (the write goes through the unsanitized config), non-admins get 403, and
// the server's own REST API refuses a non-image brand image without changing anything.

// brandingValues are the branding values as generic JSON: the tests copy them, change some by name and
// compare every key the server sends, including any the schema does not name.
type brandingValues map[string]any

// brandingState is GET /api/v1/branding's answer with its values as brandingValues (the outer field
// takes the JSON key from the embedded one).
type brandingState struct {
	contract.BrandingState
	Values brandingValues `json:"values"`
}

// brandingVersion is one version of the branding history with its values as brandingValues.
type brandingVersion struct {
	contract.BrandingVersion
	Values brandingValues `json:"values"`
}

func brandingRequest(t *testing.T, method, route, token string, body any) (int, []byte) {
	t.Helper()
	var reader *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(b)
	} else {
		reader = bytes.NewReader(nil)
	}
	resp, b := do(t, method, pluginURL(route), token, reader)
	return resp.StatusCode, b
}

func getBranding(t *testing.T, token string) brandingState {
	t.Helper()
	code, body := brandingRequest(t, http.MethodGet, "/api/v1/branding", token, nil)
	if code != http.StatusOK {
		t.Fatalf("GET /api/v1/branding: %d %s", code, body)
	}
	var s brandingState
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// brandingSettings are the config settings the branding studio writes (contract/branding.ts).
var brandingSettings = map[string]bool{
	"TeamSettings.SiteName": true, "TeamSettings.CustomDescriptionText": true, "TeamSettings.EnableCustomBrand": true,
	"TeamSettings.CustomBrandText": true, "AnnouncementSettings.EnableBanner": true, "AnnouncementSettings.BannerText": true,
	"AnnouncementSettings.BannerColor": true, "AnnouncementSettings.BannerTextColor": true,
	"AnnouncementSettings.AllowBannerDismissal": true, "SupportSettings.HelpLink": true, "SupportSettings.SupportEmail": true,
	"SupportSettings.TermsOfServiceLink": true, "SupportSettings.PrivacyPolicyLink": true, "SupportSettings.AboutLink": true,
	"SupportSettings.ReportAProblemLink": true,
}

// settingsBesidesBranding flattens every top-level setting of cfg ("Section.Name" → its JSON) except
// the branding ones and the plugins' own sections.
func settingsBesidesBranding(t *testing.T, cfg *model.Config) map[string]string {
	t.Helper()
	raw, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var sections map[string]json.RawMessage
	if err := json.Unmarshal(raw, &sections); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for section, body := range sections {
		var settings map[string]json.RawMessage
		if section == "PluginSettings" || json.Unmarshal(body, &settings) != nil {
			continue
		}
		for name, value := range settings {
			if path := section + "." + name; !brandingSettings[path] {
				out[path] = string(value)
			}
		}
	}
	return out
}

func TestBrandingApplyAndRollback(t *testing.T) {
	token := tokenOf(t, env.admin)
	before := getBranding(t, token)
	if !before.License.Announcement {
		t.Logf("the test licence has no announcement feature: the banner is left out")
	}
	secretBefore := *env.s.App.Config().SqlSettings.DataSource
	saltBefore := *env.s.App.Config().FileSettings.PublicLinkSalt
	othersBefore := settingsBesidesBranding(t, env.s.App.Config())

	want := brandingValues{}
	maps.Copy(want, before.Values)
	want["site_name"] = `E2E "Brand" <&>`
	want["custom_description_text"] = "Onboarding 5,000 people"
	want["enable_custom_brand"] = true
	want["custom_brand_text"] = "**Welcome** <img src=x onerror=alert(1)>"
	want["help_link"] = "https://help.e2e.example/start"
	want["support_email"] = "it@e2e.example"
	want["report_a_problem_link"] = "https://e2e.example/report"
	// A value another tool may have left that the form would refuse must not block the apply.
	for _, k := range []string{"banner_color", "banner_text_color"} {
		if s, _ := want[k].(string); len(s) != 7 {
			want[k] = "#123456"
		}
	}
	if before.License.Announcement {
		want["banner_enabled"] = true
		want["banner_text"] = "Go-live on Monday"
		want["banner_color"] = "#1c58d9"
		want["banner_text_color"] = "#ffffff"
		// allow_banner_dismissal: TestBrandingSavesFalseSettingsAndReadsThemBack.
	}

	code, body := brandingRequest(
		t,
		http.MethodPost,
		"/api/v1/branding/apply",
		token,
		map[string]any{"expected_version": before.Version, "values": want},
	)
	if code != http.StatusOK {
		t.Fatalf("apply: %d %s", code, body)
	}
	var applied struct {
		State   brandingState    `json:"state"`
		Applied *brandingVersion `json:"applied"`
	}
	if err := json.Unmarshal(body, &applied); err != nil {
		t.Fatal(err)
	}
	if applied.Applied == nil || len(applied.Applied.NotApplied) != 0 {
		t.Fatalf("apply answer: %s", body)
	}
	t.Logf("applied version %d, changed %v", applied.Applied.Version, applied.Applied.Changed)

	// The real server's config, as an admin reads it through the REST API.
	cfg, _, err := env.adminClient.GetConfig(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]any{
		"TeamSettings.SiteName":              *cfg.TeamSettings.SiteName,
		"TeamSettings.CustomDescriptionText": *cfg.TeamSettings.CustomDescriptionText,
		"TeamSettings.EnableCustomBrand":     *cfg.TeamSettings.EnableCustomBrand,
		"TeamSettings.CustomBrandText":       *cfg.TeamSettings.CustomBrandText,
		"SupportSettings.HelpLink":           *cfg.SupportSettings.HelpLink,
		"SupportSettings.SupportEmail":       *cfg.SupportSettings.SupportEmail,
		"SupportSettings.ReportAProblemLink": *cfg.SupportSettings.ReportAProblemLink,
	}
	expect := map[string]any{
		"TeamSettings.SiteName":              want["site_name"],
		"TeamSettings.CustomDescriptionText": want["custom_description_text"],
		"TeamSettings.EnableCustomBrand":     true,
		"TeamSettings.CustomBrandText":       want["custom_brand_text"],
		"SupportSettings.HelpLink":           want["help_link"],
		"SupportSettings.SupportEmail":       want["support_email"],
		"SupportSettings.ReportAProblemLink": want["report_a_problem_link"],
	}
	if before.License.Announcement {
		checks["AnnouncementSettings.EnableBanner"] = *cfg.AnnouncementSettings.EnableBanner
		checks["AnnouncementSettings.BannerText"] = *cfg.AnnouncementSettings.BannerText
		checks["AnnouncementSettings.BannerColor"] = *cfg.AnnouncementSettings.BannerColor
		expect["AnnouncementSettings.EnableBanner"] = true
		expect["AnnouncementSettings.BannerText"] = "Go-live on Monday"
		expect["AnnouncementSettings.BannerColor"] = "#1c58d9"
	}
	for k, v := range expect {
		if checks[k] != v {
			t.Errorf("after apply, GET /api/v4/config %s = %#v, want %#v", k, checks[k], v)
		}
	}
	// Secrets were not replaced by the sanitized mask.
	if got := *env.s.App.Config().SqlSettings.DataSource; got != secretBefore {
		t.Errorf("SqlSettings.DataSource changed by the apply")
	}
	if got := *env.s.App.Config().FileSettings.PublicLinkSalt; got != saltBefore || strings.Contains(got, fakeSettingMask) {
		t.Errorf("FileSettings.PublicLinkSalt changed by the apply")
	}
	// Nothing but the branding settings changed: a false boolean lost on the way through the plugin
	// would come back as the server's default (often true, e.g. SendEmailNotifications).
	othersAfter := settingsBesidesBranding(t, env.s.App.Config())
	for path, was := range othersBefore {
		if now := othersAfter[path]; now != was {
			t.Errorf("the apply changed %s: %s → %s", path, was, now)
		}
	}

	// A stale version: 409, nothing changes.
	code, body = brandingRequest(
		t,
		http.MethodPost,
		"/api/v1/branding/apply",
		token,
		map[string]any{"expected_version": before.Version, "values": before.Values},
	)
	if code != http.StatusConflict {
		t.Fatalf("stale apply: %d %s, want 409", code, body)
	}
	if got := *env.s.App.Config().TeamSettings.SiteName; got != want["site_name"] {
		t.Fatalf("site name after the refused apply: %q", got)
	}

	// Roll back to the version before this apply: the values come back exactly.
	target := applied.Applied.Version - 1
	code, body = brandingRequest(
		t,
		http.MethodPost,
		"/api/v1/branding/rollback",
		token,
		map[string]any{"expected_version": applied.State.Version, "version": target},
	)
	if code != http.StatusOK {
		t.Fatalf("rollback: %d %s", code, body)
	}
	after := getBranding(t, token)
	for k, v := range before.Values {
		if after.Values[k] != v {
			t.Errorf("after rollback %s = %#v, want %#v (as before the apply)", k, after.Values[k], v)
		}
	}
	cfg, _, err = env.adminClient.GetConfig(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if *cfg.TeamSettings.SiteName != before.Values["site_name"] || *cfg.SupportSettings.HelpLink != before.Values["help_link"] {
		t.Errorf("GET /api/v4/config after rollback: SiteName %q HelpLink %q, want %q %q",
			*cfg.TeamSettings.SiteName, *cfg.SupportSettings.HelpLink, before.Values["site_name"], before.Values["help_link"])
	}
	if got := *env.s.App.Config().SqlSettings.DataSource; got != secretBefore {
		t.Errorf("SqlSettings.DataSource changed by the rollback")
	}

	// The history lists both writes, newest first.
	code, body = brandingRequest(t, http.MethodGet, "/api/v1/branding/history", token, nil)
	var history struct {
		Versions []brandingVersion `json:"versions"`
	}
	if code != http.StatusOK || json.Unmarshal(body, &history) != nil || len(history.Versions) < 2 ||
		history.Versions[0].Kind != "rollback" || history.Versions[1].Kind != "apply" {
		t.Fatalf("history: %d %s", code, body)
	}
}

// fakeSettingMask is the mask the server puts in place of secrets in a sanitized config.
const fakeSettingMask = "********************************"

func TestBrandingRoutesAreForSystemAdminsOnly(t *testing.T) {
	values := getBranding(t, tokenOf(t, env.admin)).Values
	routes := []struct {
		method, route string
		body          any
	}{
		{http.MethodGet, "/api/v1/branding", nil},
		{http.MethodPost, "/api/v1/branding/apply", map[string]any{"expected_version": 0, "values": values}},
		{http.MethodGet, "/api/v1/branding/history", nil},
		{http.MethodPost, "/api/v1/branding/rollback", map[string]any{"expected_version": 0, "version": 1}},
		{http.MethodGet, "/api/v1/branding/presets/windows-reg", nil},
	}
	siteName := *env.s.App.Config().TeamSettings.SiteName
	for _, who := range []struct{ name, user string }{{"member", env.member}, {"team admin", env.teamAdminA}} {
		token := tokenOf(t, who.user)
		for _, r := range routes {
			code, body := brandingRequest(t, r.method, r.route, token, r.body)
			if code != http.StatusForbidden {
				t.Errorf("%s %s %s: %d %s, want 403", who.name, r.method, r.route, code, body)
			}
		}
	}
	if got := *env.s.App.Config().TeamSettings.SiteName; got != siteName {
		t.Errorf("site name changed by refused requests: %q", got)
	}
}

func TestBrandingPresetDownload(t *testing.T) {
	resp, body := do(t, http.MethodGet, pluginURL("/api/v1/branding/presets/macos-mobileconfig"), tokenOf(t, env.admin), nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preset: %d %s", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".mobileconfig") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !bytes.Contains(body, []byte("<string>Mattermost.Desktop</string>")) || !bytes.Contains(body, []byte(env.s.SiteURL())) {
		t.Errorf("profile without the desktop domain or the site URL:\n%s", body)
	}
}

// The image goes through Mattermost's own REST API with the admin's session (the plugin API has no
// brand image call). A file that is not an image is refused with a 4xx and nothing changes.
func TestBrandingNonImageUploadIsRefused(t *testing.T) {
	imgBefore, _, errBefore := env.adminClient.GetBrandImage(ctx(t))
	resp, err := env.adminClient.UploadBrandImage(ctx(t), []byte("MZ this is not an image at all"))
	if err == nil {
		t.Fatalf("the server took a non-image as the brand image")
	}
	if resp == nil || resp.StatusCode < 400 || resp.StatusCode >= 500 {
		t.Fatalf("non-image upload: %v (status %v), want a 4xx", err, resp)
	}
	t.Logf("server refused the non-image: %d %v", resp.StatusCode, err)
	imgAfter, _, errAfter := env.adminClient.GetBrandImage(ctx(t))
	if (errBefore == nil) != (errAfter == nil) || !bytes.Equal(imgBefore, imgAfter) {
		t.Errorf(
			"brand image changed: before %d bytes (err %v), after %d bytes (err %v)",
			len(imgBefore),
			errBefore,
			len(imgAfter),
			errAfter,
		)
	}
}

// A false setting whose server default is true is saved as false and read back as false: over the
// plugin RPC (gob) a false arrives as "unset", so a whole-config save turned it into the default and
// the cockpit read it back as true. The apply goes through the server's REST patch instead.
func TestBrandingSavesFalseSettingsAndReadsThemBack(t *testing.T) {
	token := tokenOf(t, env.admin)
	before := getBranding(t, token)
	if !before.License.Announcement {
		t.Fatal(
			"the e2e server runs with a test licence that includes the announcement feature; without it this test cannot apply " +
				"a banner setting",
		)
	}
	want := brandingValues{}
	maps.Copy(want, before.Values)
	want["allow_banner_dismissal"] = !before.Values["allow_banner_dismissal"].(bool)
	code, body := brandingRequest(
		t,
		http.MethodPost,
		"/api/v1/branding/apply",
		token,
		map[string]any{"expected_version": before.Version, "values": want},
	)
	if code != http.StatusOK {
		t.Fatalf("apply: %d %s", code, body)
	}
	var applied struct {
		State   brandingState    `json:"state"`
		Applied *brandingVersion `json:"applied"`
	}
	if err := json.Unmarshal(body, &applied); err != nil || applied.Applied == nil {
		t.Fatalf("apply answer: %s", body)
	}
	cfg, _, err := env.adminClient.GetConfig(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf(
		"AllowBannerDismissal %v → %v: the server reads back %v; the cockpit reads %v; not_applied %v",
		before.Values["allow_banner_dismissal"],
		want["allow_banner_dismissal"],
		*cfg.AnnouncementSettings.AllowBannerDismissal,
		applied.State.Values["allow_banner_dismissal"],
		applied.Applied.NotApplied,
	)
	if *cfg.AnnouncementSettings.AllowBannerDismissal != want["allow_banner_dismissal"] ||
		applied.State.Values["allow_banner_dismissal"] != want["allow_banner_dismissal"] {
		t.Errorf("AllowBannerDismissal=%v not saved or not read back", want["allow_banner_dismissal"])
	}
	if len(applied.Applied.NotApplied) != 0 {
		t.Errorf("not_applied %v, want none", applied.Applied.NotApplied)
	}
	// Put the previous values back.
	if code, body := brandingRequest(
		t,
		http.MethodPost,
		"/api/v1/branding/rollback",
		token,
		map[string]any{"expected_version": applied.State.Version, "version": applied.Applied.Version - 1},
	); code != http.StatusOK {
		t.Fatalf("rollback: %d %s", code, body)
	}
}
