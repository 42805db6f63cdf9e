package cockpit

// The waves' rolling onboarding on the real server, in one rolling wave: default preferences written for
// each user (never over the user's own choice), the welcome's getting-started list ticked from real
// desktop and mobile sessions, and rolling onboarding through the hooks: a new account in the cohort's
// email domain (UserHasBeenCreated) and an existing user added to the cohort team (UserHasJoinedTeam)
// each end up in the targets with exactly one welcome DM.

import (
	"database/sql"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// preferenceOf reads the user's preference row straight from the database ("" when there is none).
func preferenceOf(t *testing.T, userID, category, name string) string {
	t.Helper()
	var value string
	err := env.s.DB().
		QueryRow(`SELECT value FROM preferences WHERE userid = $1 AND category = $2 AND name = $3`, userID, category, name).
		Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return value
}

// welcomesByUser returns the wave's welcome DMs from the bot per recipient: their messages.
func welcomesByUser(t *testing.T, bot, waveID string) map[string][]string {
	t.Helper()
	rows, err := env.s.DB().Query(`SELECT c.name, p.message FROM posts p JOIN channels c ON c.id = p.channelid
		WHERE p.userid = $1 AND p.props->>'cockpit_welcome' LIKE $2 AND p.deleteat = 0 AND c.type = 'D'`, bot, waveID+":%")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	out := map[string][]string{}
	for rows.Next() {
		var channel, message string
		if err := rows.Scan(&channel, &message); err != nil {
			t.Fatal(err)
		}
		for id := range strings.SplitSeq(channel, "__") {
			if id != bot {
				out[id] = append(out[id], message)
			}
		}
	}
	return out
}

func TestWaveRollingHooksPreferencesAndGettingStarted(t *testing.T) {
	token := tokenOf(t, env.admin)
	bot := botID(t)
	source, target, users, sfx := waveFixtureUsers(t, "wrh", 3)
	domain := "r" + sfx + ".example"
	outsider, err := env.s.CreateUser("wrhx"+sfx, mmserver.UserOptions{})
	if err != nil {
		t.Fatal(err)
	}

	// users[0] chose threaded replies on before the wave: the wave's default must not change that.
	if appErr := env.s.App.UpdatePreferences(env.s.Ctx(), users[0].Id, model.Preferences{
		{
			UserId:   users[0].Id,
			Category: model.PreferenceCategoryDisplaySettings,
			Name:     model.PreferenceNameCollapsedThreadsEnabled,
			Value:    "on",
		},
	}); appErr != nil {
		t.Fatal(appErr)
	}
	// users[1] signs in from the desktop app, users[2] from a mobile app: sessions the server records.
	desktop := env.s.Client()
	desktop.HTTPHeader = map[string]string{
		"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Mattermost/5.9.0 Chrome/120.0 Electron/28.0.0 Safari/537.36",
	}
	if _, _, loginErr2 := desktop.Login(ctx(t), users[1].Username, env.s.Password); loginErr2 != nil {
		t.Fatal(loginErr2)
	}
	mobile := env.s.Client()
	if _, _, loginErr := mobile.LoginWithDevice(ctx(t), users[2].Username, env.s.Password, "android_rn-v2:wrh"+sfx); loginErr != nil {
		t.Fatal(loginErr)
	}

	wave := createWave(t, token, map[string]any{
		"name":   "Rolling hooks " + sfx,
		"cohort": map[string]any{"team_ids": []string{source.Id}, "email_domains": []string{domain}},
		"targets": map[string]any{
			"teams": []map[string]any{{"team_id": target.Id}},
			"preferences": []map[string]any{
				{
					"key":   "collapsed_reply_threads",
					"value": "off",
				}, {"key": "email_interval", "value": "3600"}, {"key": "skip_tour", "value": "999"},
			},
		},
		"welcome": map[string]any{
			"enabled":   true,
			"template":  "Welcome {{first_name}}, since {{start_date}}. {{getting_started}}",
			"help_link": "",
		},
		"rolling": true,
	})
	if final := runWave(t, token, wave); final.State != "completed" || final.Total != 3 || final.Counts.Welcomed != 3 {
		t.Fatalf("first run: %+v", final)
	}

	// Default preferences: rows in the database, the user's own choice kept.
	for i, u := range users {
		wantThreads := "off"
		if i == 0 {
			wantThreads = "on"
		}
		if got := preferenceOf(
			t,
			u.Id,
			model.PreferenceCategoryDisplaySettings,
			model.PreferenceNameCollapsedThreadsEnabled,
		); got != wantThreads {
			t.Errorf("%s: collapsed_reply_threads = %q, want %q", u.Username, got, wantThreads)
		}
		if got := preferenceOf(t, u.Id, model.PreferenceCategoryNotifications, model.PreferenceNameEmailInterval); got != "3600" {
			t.Errorf("%s: email_interval = %q, want 3600", u.Username, got)
		}
		if got := preferenceOf(t, u.Id, model.PreferenceCategoryTutorialSteps, u.Id); got != "999" {
			t.Errorf("%s: tutorial_step = %q, want 999", u.Username, got)
		}
	}
	// And through the REST API, as the user's own webapp reads it.
	userClient, err := env.s.Login(users[1].Username)
	if err != nil {
		t.Fatal(err)
	}
	if pref, _, getErr := userClient.GetPreferenceByCategoryAndName(
		ctx(t),
		users[1].Id,
		model.PreferenceCategoryNotifications,
		model.PreferenceNameEmailInterval,
	); getErr != nil ||
		pref.Value != "3600" {
		t.Fatalf("GET preference: %+v, %v", pref, getErr)
	}

	// The getting-started list: the apps are ticked from the sessions the server holds.
	welcomes := welcomesByUser(t, bot, wave.ID)
	line := func(userID, item string) string {
		for l := range strings.SplitSeq(strings.Join(welcomes[userID], "\n"), "\n") {
			if strings.Contains(l, item) {
				return l
			}
		}
		return ""
	}
	for _, c := range []struct {
		user   *model.User
		item   string
		ticked bool
	}{
		{users[0], "Install the desktop app", false},
		{users[0], "Install the mobile app", false},
		{users[1], "Install the desktop app", true},
		{users[1], "Install the mobile app", false},
		{users[2], "Install the desktop app", false},
		{users[2], "Install the mobile app", true},
	} {
		l := line(c.user.Id, c.item)
		if l == "" || strings.HasPrefix(l, "- [x]") != c.ticked {
			t.Errorf("%s: %q line is %q, ticked should be %v; welcome: %q", c.user.Username, c.item, l, c.ticked, welcomes[c.user.Id])
		}
	}

	// Rolling: a new account in the cohort's email domain, and an existing user added to the cohort team.
	newcomer, _, err := env.adminClient.CreateUser(ctx(t), &model.User{
		Username: "wrhn" + sfx, Email: "newcomer@" + domain, Password: env.s.Password, EmailVerified: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := env.adminClient.AddTeamMember(ctx(t), source.Id, outsider.Id); err != nil {
		t.Fatal(err)
	}
	// The hooks run asynchronously on the server; the job would run the reopened wave, a tick does it now.
	var final contract.WaveProgress
	deadline := time.Now().Add(2 * time.Minute)
	for {
		waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/progress", token, nil, http.StatusOK, &final)
		if final.Total == 5 && final.State == "completed" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the arrivals were not onboarded: %+v", final)
		}
		if final.State == "running" {
			final = tickWaveToEnd(t, token, wave.ID)
			continue
		}
		time.Sleep(200 * time.Millisecond)
	}
	if final.Processed != 5 || final.Counts.Welcomed != 5 || final.Counts.Failed != 0 {
		t.Fatalf("after the arrivals: %+v", final)
	}
	for _, u := range []*model.User{newcomer, outsider} {
		if member, _, err := env.adminClient.GetTeamMember(ctx(t), target.Id, u.Id, ""); err != nil || member.DeleteAt != 0 {
			t.Errorf("%s is not in the target team: %v", u.Username, err)
		}
		if got := preferenceOf(t, u.Id, model.PreferenceCategoryNotifications, model.PreferenceNameEmailInterval); got != "3600" {
			t.Errorf("%s: email_interval = %q, want 3600", u.Username, got)
		}
	}
	// Exactly one welcome DM per user, the arrivals included, and a tick changes nothing.
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/tick", token, map[string]any{}, http.StatusConflict, nil)
	welcomes = welcomesByUser(t, bot, wave.ID)
	for _, u := range append([]*model.User{newcomer, outsider}, users...) {
		if n := len(welcomes[u.Id]); n != 1 {
			t.Errorf("%s has %d welcome DMs, want 1", u.Username, n)
		}
	}
	if len(welcomes) != 5 {
		t.Errorf("%d users got welcome DMs, want 5", len(welcomes))
	}
}
