package cockpit

// The bot speaks each person's language on the real server: a wave with a German and a Japanese
// welcome reaches a `de`, a `ja` and a `sv` user (Swedish: offered by Mattermost, not by the cockpit).
// Each gets their language's welcome with the feedback buttons in it, the Swede the fallback in the
// server's default (English); a click answers in the clicker's language, and a slash command replies
// in the caller's.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

// setLocales gives each user the Mattermost locale of the same index.
func setLocales(t *testing.T, users []*model.User, locales []string) {
	t.Helper()
	for i, user := range users {
		patched, _, err := env.adminClient.PatchUser(ctx(t), user.Id, &model.UserPatch{Locale: new(locales[i])})
		if err != nil || patched.Locale != locales[i] {
			t.Fatalf("set %s's locale to %s: %v", user.Username, locales[i], err)
		}
	}
}

func TestWaveSpeaksEachPersonsLanguage(t *testing.T) {
	token := tokenOf(t, env.admin)
	source, target, users, sfx := waveFixtureUsers(t, "wlang", 3)
	locales := []string{"de", "ja", "sv"}
	setLocales(t, users, locales)

	wave := createWave(t, token, map[string]any{
		"name":    "Languages " + sfx,
		"cohort":  map[string]any{"team_ids": []string{source.Id}},
		"targets": map[string]any{"teams": []map[string]any{{"team_id": target.Id}}},
		"welcome": map[string]any{
			"enabled":  true,
			"template": "Welcome, {{first_name}}!",
			"translations": map[string]string{
				"de": "Willkommen, {{first_name}}!",
				"ja": "ようこそ、{{first_name}} さん！",
			},
		},
		"feedback": map[string]any{"enabled": true},
	})

	// A language the cockpit does not have is refused, and nothing is stored.
	waveCall(t, http.MethodPatch, "/api/v1/waves/"+wave.ID, token, map[string]any{
		"expected_version": wave.Version,
		"changes": map[string]any{
			"welcome": map[string]any{"template": "x", "translations": map[string]string{"sv": "Välkommen"}},
		},
	}, http.StatusBadRequest, nil)

	// The dry run: one person per language; German and Japanese have their own text, English is the fallback.
	var dry struct {
		WelcomeLanguages []struct {
			Locale      string `json:"locale"`
			People      int    `json:"people"`
			OwnTemplate bool   `json:"own_template"`
		} `json:"welcome_languages"`
	}
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/dry-run", token, map[string]any{}, http.StatusOK, &dry)
	languages := map[string]bool{}
	for _, l := range dry.WelcomeLanguages {
		if l.People != 1 {
			t.Fatalf("dry run languages: %+v", dry.WelcomeLanguages)
		}
		languages[l.Locale] = l.OwnTemplate
	}
	if len(languages) != 3 || !languages["de"] || !languages["ja"] || languages["en"] {
		t.Fatalf("dry run languages: %+v", dry.WelcomeLanguages)
	}

	// The preview switches language.
	var preview contract.WelcomePreviewResponse
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/welcome/preview", token,
		map[string]any{"locale": "ja"}, http.StatusOK, &preview)
	if !strings.HasPrefix(preview.Markdown, "ようこそ、") {
		t.Fatalf("Japanese preview: %q", preview.Markdown)
	}

	if final := runWave(t, token, wave); final.State != "completed" || final.Counts.Welcomed != 3 {
		t.Fatalf("final: %+v", final)
	}

	type expected struct {
		message, question string
		buttons           []string
	}
	want := []expected{
		{"Willkommen, ", "Wie läuft Ihr Start?", []string{"👍 Super", "😐 Geht so", "🆘 Ich brauche Hilfe"}},
		{"ようこそ、", "スタートは順調ですか？", []string{"👍 順調", "😐 まあまあ", "🆘 助けが必要"}},
		{"Welcome, ", "How is your start going?", []string{"👍 Great", "😐 OK", "🆘 I need help"}},
	}
	for i, user := range users {
		client, err := env.s.Login(user.Username)
		if err != nil {
			t.Fatal(err)
		}
		posts := botDMPosts(t, client, user.Id)
		if len(posts.Order) != 1 {
			t.Fatalf("%s's DM with the bot: %d posts", locales[i], len(posts.Order))
		}
		welcome := posts.Posts[posts.Order[0]]
		attachments := welcome.Attachments()
		if len(attachments) != 1 {
			t.Fatalf("%s: attachments %+v", locales[i], attachments)
		}
		var names []string
		for _, action := range attachments[0].Actions {
			names = append(names, action.Name)
		}
		t.Logf("%s: %q, %q, buttons %q", locales[i], welcome.Message, attachments[0].Text, names)
		if !strings.HasPrefix(welcome.Message, want[i].message) || attachments[0].Text != want[i].question ||
			strings.Join(names, "|") != strings.Join(want[i].buttons, "|") {
			t.Fatalf("%s's welcome: want %+v", locales[i], want[i])
		}

		if i != 0 {
			continue
		}
		// The German user answers: the buttons' answer line is German too.
		if _, clickErr := client.DoPostAction(ctx(t), welcome.Id, attachments[0].Actions[0].Id); clickErr != nil {
			t.Fatalf("click: %v", clickErr)
		}
		updated, _, err := client.GetPost(ctx(t), welcome.Id, "")
		if err != nil {
			t.Fatal(err)
		}
		const answered = "Wie läuft Ihr Start? Ihre Antwort: 👍 Super (klicken Sie eine andere an, um sie zu ändern)."
		if got := updated.Attachments()[0].Text; got != answered {
			t.Fatalf("after the German click: %q", got)
		}
	}

	// A slash command answers in the caller's language.
	jaClient, err := env.s.Login(users[1].Username)
	if err != nil {
		t.Fatal(err)
	}
	channel, _, err := jaClient.GetChannelByName(ctx(t), "town-square", target.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	reply, _, err := jaClient.ExecuteCommand(ctx(t), channel.Id, "/onboarding tasks")
	if err != nil || reply.Text != "担当しているロールアウトタスクはありません。" {
		t.Fatalf("/onboarding tasks for the Japanese user: %v %+v", err, reply)
	}
}

// TestWaveCohortFilteredByLanguage: a wave whose cohort is narrowed to German reaches only the `de` user
// of a team with a `de`, a `ja` and a `sv` user (the Swede reads the server's default, English): the dry
// run counts the two others apart, the run provisions and greets the German alone, and a language the
// cockpit does not speak is refused with an error body, the stored filter unchanged.
func TestWaveCohortFilteredByLanguage(t *testing.T) {
	token := tokenOf(t, env.admin)
	source, target, users, sfx := waveFixtureUsers(t, "wfilt", 3)
	locales := []string{"de", "ja", "sv"}
	setLocales(t, users, locales)

	wave := createWave(t, token, map[string]any{
		"name":    "German only " + sfx,
		"cohort":  map[string]any{"team_ids": []string{source.Id}, "locales": []string{"de"}},
		"targets": map[string]any{"teams": []map[string]any{{"team_id": target.Id}}},
		"welcome": map[string]any{"enabled": true, "template": "Welcome!", "translations": map[string]string{"de": "Willkommen!"}},
	})
	if got := wave.Definition.Cohort.Locales; len(got) != 1 || got[0] != "de" {
		t.Fatalf("stored filter: %v", got)
	}

	r := call(t, http.MethodPatch, "/api/v1/waves/"+wave.ID, token, mustJSON(t, map[string]any{
		"expected_version": wave.Version,
		"changes":          map[string]any{"cohort": map[string]any{"team_ids": []string{source.Id}, "locales": []string{"de", "xx"}}},
	}))
	if id, message := r.errorBody(t); r.Status != http.StatusBadRequest || id == "" || !strings.Contains(message, "locales") {
		t.Fatalf("unknown locale: want 400 naming locales, got %s", r)
	}

	var dry contract.DryRunReport
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/dry-run", token, map[string]any{}, http.StatusOK, &dry)
	if dry.CohortSize != 1 || dry.OutsideLanguages != 2 || dry.Sources.Teams != 3 {
		t.Fatalf("dry run: cohort %v, outside %v, from teams %v", dry.CohortSize, dry.OutsideLanguages, dry.Sources.Teams)
	}
	if len(dry.WelcomeLanguages) != 1 || dry.WelcomeLanguages[0].Locale != "de" || dry.WelcomeLanguages[0].People != 1 {
		t.Fatalf("dry run languages: %+v", dry.WelcomeLanguages)
	}

	if final := runWave(t, token, wave); final.State != "completed" || final.Total != 1 || final.Counts.Welcomed != 1 {
		t.Fatalf("final: %+v", final)
	}
	for i, user := range users {
		_, _, err := env.adminClient.GetTeamMember(ctx(t), target.Id, user.Id, "")
		if member := err == nil; member != (locales[i] == "de") {
			t.Fatalf("%s (%s): team member %v, want only the de user", user.Username, locales[i], member)
		}
	}
}
