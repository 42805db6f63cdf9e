package cockpit

// The cockpit in the admin's language in a real browser against the real server.

import (
	"net/http"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

// TestBrowserI18n runs e2e/browser/i18n.spec.mjs under every host profile: the admin's Mattermost locale is
// set to German and then Japanese through PUT /api/v4/users/me/patch from the page, the harness reads it as
// the web app does, and the Plan tab (table and cards) and the Waves tab (list, a draft wave's editor, its
// dry run) show no English text of the cockpit's own. Screenshots: e2e/artifacts/i18n-<locale>-<profile>.png.
// The admin's locale is put back afterwards and the draft wave deleted.
func TestBrowserI18n(t *testing.T) {
	me, _, err := env.adminClient.GetMe(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		back := &model.UserPatch{Locale: new(me.Locale)}
		if _, _, patchErr := env.adminClient.PatchUser(ctx(t), me.Id, back); patchErr != nil {
			t.Errorf("restoring the admin's locale %q: %v", me.Locale, patchErr)
		}
	})

	admin := env.adminClient.AuthToken
	name := "I18n wave " + model.NewId()[:6]
	wave := createWave(t, admin, map[string]any{
		"name":    name,
		"cohort":  map[string]any{"team_ids": []string{env.teamA.Id}},
		"targets": map[string]any{"teams": []any{map[string]any{"team_id": env.teamB.Id}}},
		"welcome": map[string]any{"enabled": true, "template": "Welcome {{first_name}}", "help_link": ""},
	})
	t.Cleanup(func() {
		var current contract.WaveResponse
		waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID, admin, nil, http.StatusOK, &current)
		remove := map[string]any{"expected_version": current.Version}
		waveCall(t, http.MethodDelete, "/api/v1/waves/"+wave.ID, admin, remove, http.StatusOK, nil)
	})

	forEachHostProfile(t, func(t *testing.T, profile string) {
		// Each run starts from English, as an admin who has not picked a language.
		english := &model.UserPatch{Locale: new("en")}
		if _, _, patchErr := env.adminClient.PatchUser(ctx(t), me.Id, english); patchErr != nil {
			t.Fatal(patchErr)
		}
		runBrowserSpecAs(t, profile, "i18n.spec.mjs",
			"LOCALES=de,ja",
			"WAVE_NAME="+name,
			"I18N_SHOT_PREFIX="+artifactPath("I18N_SHOT_PREFIX", "i18n"),
		)

		// The spec left the admin on the last locale it tried: the server holds what the page set.
		got, _, getErr := env.adminClient.GetMe(ctx(t), "")
		if getErr != nil {
			t.Fatal(getErr)
		}
		if got.Locale != "ja" {
			t.Errorf("the admin's locale on the server is %q after the spec set ja", got.Locale)
		}
	})
}
