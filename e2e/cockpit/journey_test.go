package cockpit

// The waves' journey on the real server: a wave with a welcome and two follow-ups, the first "after 1
// minute if no mobile session". A person signed in from a mobile app (a session with the app's client
// props, as the rolling-hooks test makes) never gets it; the others get each follow-up exactly once,
// sent by the waves' job across plugin restarts; a click on "No more tips" (through the server's real
// post-action route) stops the later steps for that person only.

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

// followUpsByUser reads the bot’s follow-up DMs of the wave from the database: user id → step ids in the order
// they were posted (with repeats).
func followUpsByUser(t *testing.T, bot, waveID string) map[string][]string {
	t.Helper()
	rows, err := env.s.DB().Query(`SELECT p.props->>'cockpit_journey' FROM posts p JOIN channels c ON c.id = p.channelid
		WHERE p.userid = $1 AND p.props->>'cockpit_journey' LIKE $2 AND p.deleteat = 0 AND c.type = 'D'
		ORDER BY p.createat, p.id`, bot, waveID+":%")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	out := map[string][]string{}
	for rows.Next() {
		var marker string
		if err := rows.Scan(&marker); err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(marker, ":")
		out[parts[2]] = append(out[parts[2]], parts[1])
	}
	return out
}

// waitFollowUps polls the database until `done` holds for the follow-ups (the job runs every 3 s).
func waitFollowUps(t *testing.T, bot, waveID string, limit time.Duration, done func(map[string][]string) bool) map[string][]string {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		got := followUpsByUser(t, bot, waveID)
		if done(got) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("follow-ups after %s: %v", limit, got)
		}
		time.Sleep(2 * time.Second)
	}
}

func TestJourneyFollowUpsOnceWithConditionsAndStop(t *testing.T) {
	token := tokenOf(t, env.admin)
	bot := botID(t)
	source, target, users, sfx := waveFixtureUsers(t, "jrn", 3)
	onMobile, plain, stopper := users[0], users[1], users[2]
	mobile := env.s.Client()
	if _, _, err := mobile.LoginWithDevice(ctx(t), onMobile.Username, env.s.Password, "android_rn-v2:jrn"+sfx); err != nil {
		t.Fatal(err)
	}

	wave := createWave(t, token, map[string]any{
		"name":    "Journey " + sfx,
		"cohort":  map[string]any{"team_ids": []string{source.Id}},
		"targets": map[string]any{"teams": []map[string]any{{"team_id": target.Id}}},
		"welcome": map[string]any{"enabled": true, "template": "Welcome {{first_name}}", "help_link": ""},
	})
	journeyPath := "/api/v1/waves/" + wave.ID + "/journey"

	// Validated at the boundary: a duplicate id and a negative delay are refused with the error shape.
	bad := call(t, http.MethodPut, journeyPath, token, mustJSON(t, map[string]any{"expected_version": 0, "steps": []map[string]any{
		{"id": "a", "after": "previous", "delay_minutes": -1, "condition": nil, "template": "x"},
	}}))
	if bad.Status != http.StatusBadRequest || !isErrorBody(bad.Body) {
		t.Fatalf("invalid journey: %s", bad)
	}
	var journey contract.JourneyResponse
	waveCall(t, http.MethodPut, journeyPath, token, map[string]any{"expected_version": 0, "steps": []map[string]any{
		{
			"id": "app", "after": "previous", "delay_minutes": 1, "condition": "no_mobile_session",
			"template": "Get the mobile app, {{first_name}}",
		},
		{"id": "two", "after": "previous", "delay_minutes": 1, "condition": nil, "template": "Tip two for {{first_name}}"},
	}}, http.StatusOK, &journey)
	staleBody := mustJSON(t, map[string]any{"expected_version": 0, "steps": []any{}})
	if stale := call(t, http.MethodPut, journeyPath, token, staleBody); stale.Status != http.StatusConflict {
		t.Fatalf("stale journey edit: %s", stale)
	}

	// Preview for a chosen person: their real state (the mobile session) decides whether the step would go.
	var preview contract.JourneyPreviewResponse
	waveCall(t, http.MethodPost, journeyPath+"/preview", token, map[string]any{
		"template": "Get the mobile app, {{first_name}}", "condition": "no_mobile_session", "user_id": onMobile.Id,
	}, http.StatusOK, &preview)
	if preview.WouldSend || !preview.State.MobileSession || !strings.Contains(preview.Markdown, onMobile.FirstName) {
		t.Fatalf("preview for the mobile user: %+v", preview)
	}
	waveCall(t, http.MethodPost, journeyPath+"/preview", token, map[string]any{
		"template": "x", "condition": "no_mobile_session", "user_id": plain.Id,
	}, http.StatusOK, &preview)
	if !preview.WouldSend || preview.State.MobileSession {
		t.Fatalf("preview for the plain user: %+v", preview)
	}

	if final := runWave(t, token, wave); final.State != "completed" || final.Counts.Welcomed != 3 {
		t.Fatalf("wave: %+v", final)
	}
	welcomedAt := time.Now()
	if got := followUpsByUser(t, bot, wave.ID); len(got) != 0 {
		t.Fatalf("follow-ups before their delay: %v", got)
	}

	// A restart between the welcome and the first follow-up: the job on the new process sends it.
	restartPlugin(t)
	got := waitFollowUps(t, bot, wave.ID, 3*time.Minute, func(m map[string][]string) bool {
		return len(m[plain.Id]) > 0 && len(m[stopper.Id]) > 0
	})
	if since := time.Since(welcomedAt); since < 50*time.Second {
		t.Fatalf("the first follow-up came %s after the welcome, before its 1-minute delay", since)
	}
	if len(got[onMobile.Id]) != 0 {
		t.Fatalf("the person with a mobile session got %v", got[onMobile.Id])
	}

	// The stopper clicks "No more tips" on their follow-up, through the server's post-action route.
	stopperClient, err := env.s.Login(stopper.Username)
	if err != nil {
		t.Fatal(err)
	}
	posts := botDMPosts(t, stopperClient, stopper.Id)
	var followUp string
	var actionID string
	for _, id := range posts.Order {
		p := posts.Posts[id]
		if p.GetProp("cockpit_journey") == wave.ID+":app:"+stopper.Id {
			followUp = p.Id
			if atts := p.Attachments(); len(atts) == 1 && len(atts[0].Actions) == 1 {
				actionID = atts[0].Actions[0].Id
			}
		}
	}
	if followUp == "" || actionID == "" {
		t.Fatalf("no follow-up with a button in the stopper's DM: %d posts", len(posts.Order))
	}
	// Someone else cannot stop the stopper's tips through the plugin route.
	plainClient, err := env.s.Login(plain.Username)
	if err != nil {
		t.Fatal(err)
	}
	forged := call(t, http.MethodPost, "/api/v1/journey/actions/stop", plainClient.AuthToken, mustJSON(t, map[string]any{
		"user_id": stopper.Id, "post_id": followUp, "context": map[string]any{"wave_id": wave.ID, "user_id": stopper.Id},
	}))
	if forged.Status != http.StatusForbidden {
		t.Fatalf("forged stop: %s", forged)
	}
	if _, err := stopperClient.DoPostAction(ctx(t), followUp, actionID); err != nil {
		t.Fatalf("click No more tips: %v", err)
	}

	// Another restart before the second step is due; then every due step is in, each exactly once.
	restartPlugin(t)
	waitFollowUps(t, bot, wave.ID, 3*time.Minute, func(m map[string][]string) bool {
		return len(m[plain.Id]) >= 2 && len(m[onMobile.Id]) >= 1
	})
	// A few more job runs change nothing.
	time.Sleep(10 * time.Second)
	got = followUpsByUser(t, bot, wave.ID)
	want := map[string]string{onMobile.Id: "two", plain.Id: "app,two", stopper.Id: "app"}
	for userID, steps := range want {
		if strings.Join(got[userID], ",") != steps {
			t.Errorf("%s: follow-ups %v, want %s", userID, got[userID], steps)
		}
	}

	waveCall(t, http.MethodGet, journeyPath, token, nil, http.StatusOK, &journey)
	if journey.Stopped != 1 || journey.Counts["app"].Sent != 2 || journey.Counts["app"].Skipped != 1 ||
		journey.Counts["two"].Sent != 2 || journey.Counts["two"].Skipped != 1 {
		t.Fatalf("journey counts: %+v stopped %v", journey.Counts, journey.Stopped)
	}
}

// TestJourneyWelcomeListKeptTrue: the welcome's getting-started list starts empty (sent before anyone
// signed in) and the bot ticks that same post as each item becomes done on the real server: a desktop-app
// sign-in, the notification settings saved and one of the wave's channels opened, each through the REST
// route the web app uses. Nothing new is posted; the idle person's welcome never changes. The one who
// signs in reads German: their welcome is the wave's German one, its list in German, ticked in German;
// the idle person's is English.
func TestJourneyWelcomeListKeptTrue(t *testing.T) {
	token := tokenOf(t, env.admin)
	bot := botID(t)
	source, target, users, sfx := waveFixtureUsers(t, "jls", 2)
	if patched, _, err := env.adminClient.PatchUser(ctx(t), users[0].Id, &model.UserPatch{Locale: new("de")}); err != nil ||
		patched.Locale != "de" {
		t.Fatalf("set the locale to de: %v", err)
	}
	var channels []*model.Channel
	for _, name := range []string{"jlsa" + sfx, "jlsb" + sfx} {
		channel, err := env.s.CreateChannel(target, name, false)
		if err != nil {
			t.Fatal(err)
		}
		channels = append(channels, channel)
	}
	wave := createWave(t, token, map[string]any{
		"name":   "List " + sfx,
		"cohort": map[string]any{"team_ids": []string{source.Id}},
		"targets": map[string]any{
			"teams":    []map[string]any{{"team_id": target.Id}},
			"channels": []map[string]any{{"channel_id": channels[0].Id}, {"channel_id": channels[1].Id}},
		},
		"welcome": map[string]any{
			"enabled":      true,
			"template":     "Welcome {{first_name}} {{getting_started}}",
			"translations": map[string]string{"de": "Willkommen {{first_name}} {{getting_started}}"},
			"help_link":    "",
		},
	})
	if final := runWave(t, token, wave); final.State != "completed" || final.Counts.Welcomed != 2 {
		t.Fatalf("wave: %+v", final)
	}
	desktopUser, idle := users[0], users[1]
	welcomeOf := func(userID string) (id, message string, editAt int64, botPosts int) {
		t.Helper()
		err := env.s.DB().QueryRow(`SELECT p.id, p.message, p.editat FROM posts p JOIN channels c ON c.id = p.channelid
			WHERE p.userid = $1 AND p.props->>'cockpit_welcome' = $2 AND p.deleteat = 0 AND c.type = 'D'`,
			bot, wave.ID+":"+userID).Scan(&id, &message, &editAt)
		if err != nil {
			t.Fatal(err)
		}
		if err := env.s.DB().QueryRow(`SELECT count(*) FROM posts p JOIN channels c ON c.id = p.channelid
			WHERE p.userid = $1 AND c.type = 'D' AND c.name LIKE $2 AND p.deleteat = 0`, bot, "%"+userID+"%").Scan(&botPosts); err != nil {
			t.Fatal(err)
		}
		return id, message, editAt, botPosts
	}
	// The German words (server/src/i18n/catalogues/de.json, list.*).
	visitA, visitB := "Besuchen Sie ~"+channels[0].Name, "Besuchen Sie ~"+channels[1].Name
	const (
		desktopApp    = "Installieren Sie die Desktop-App"
		mobileApp     = "Installieren Sie die mobile App"
		notifications = "Wählen Sie Ihre Benachrichtigungseinstellungen"
	)
	firstID, first, _, before := welcomeOf(desktopUser.Id)
	if !strings.HasPrefix(first, "Willkommen ") || strings.Contains(first, "Install the") {
		t.Fatalf("the German welcome: %q", first)
	}
	for _, line := range []string{desktopApp, mobileApp, notifications, visitA, visitB} {
		if !strings.Contains(first, "- [ ] "+line) {
			t.Fatalf("welcome before the sign-in, %q open: %q", line, first)
		}
	}
	if _, message, _, _ := welcomeOf(idle.Id); !strings.HasPrefix(message, "Welcome ") ||
		!strings.Contains(message, "- [ ] Install the desktop app") || !strings.Contains(message, "- [ ] Visit ~"+channels[0].Name) {
		t.Fatalf("the English welcome: %q", message)
	}

	// The premise of "visited": the membership the wave made has never been viewed.
	var lastViewed int64
	if err := env.s.DB().QueryRow(`SELECT lastviewedat FROM channelmembers WHERE channelid = $1 AND userid = $2`,
		channels[0].Id, desktopUser.Id).Scan(&lastViewed); err != nil || lastViewed != 0 {
		t.Fatalf("a new membership's LastViewedAt: %d (%v)", lastViewed, err)
	}

	desktop := env.s.Client()
	desktop.HTTPHeader = map[string]string{
		"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Mattermost/5.9.0 Chrome/120.0 Electron/28.0.0 Safari/537.36",
	}
	if _, _, err := desktop.Login(ctx(t), desktopUser.Username, env.s.Password); err != nil {
		t.Fatal(err)
	}
	waitTicked := func(line string) string {
		t.Helper()
		deadline := time.Now().Add(3 * time.Minute)
		for {
			id, message, editAt, after := welcomeOf(desktopUser.Id)
			if strings.Contains(message, "- [x] "+line) {
				if id != firstID || editAt == 0 || after != before {
					t.Fatalf("edited welcome: id %s (was %s), edit_at %d, bot posts %d (were %d), message %q",
						id, firstID, editAt, after, before, message)
				}
				return message
			}
			if time.Now().After(deadline) {
				t.Fatalf("%q was not ticked: %q", line, message)
			}
			time.Sleep(3 * time.Second)
		}
	}
	if message := waitTicked(desktopApp); !strings.Contains(message, "- [ ] "+mobileApp) ||
		!strings.Contains(message, "- [ ] "+notifications) || !strings.Contains(message, "- [ ] "+visitA) {
		t.Fatalf("only the desktop app is done: %q", message)
	}

	// Saving the notification settings as the web app's settings modal does (user_settings_notifications.tsx
	// handleSubmit → updateMe → PUT /api/v4/users/me/patch with the whole notify_props), values unchanged.
	me, _, err := desktop.GetMe(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := desktop.PatchUser(ctx(t), "me", &model.UserPatch{NotifyProps: webAppNotifySave(me.NotifyProps)}); err != nil {
		t.Fatal(err)
	}

	// Opening a channel as the web app does (Client4.viewMyChannel: POST /api/v4/channels/members/me/view).
	view := &model.ChannelView{ChannelId: channels[0].Id, CollapsedThreadsSupported: true}
	if _, _, err := desktop.ViewChannel(ctx(t), "me", view); err != nil {
		t.Fatal(err)
	}
	waitTicked(notifications)
	message := waitTicked(visitA)
	if !strings.Contains(message, "- [ ] "+visitB) || !strings.Contains(message, "- [ ] "+mobileApp) {
		t.Fatalf("the channel not opened and the mobile app stay open: %q", message)
	}
	if _, message, editAt, _ := welcomeOf(idle.Id); strings.Contains(message, "- [x]") || editAt != 0 {
		t.Fatalf("the idle person's welcome changed: %q (edit_at %d)", message, editAt)
	}
}

// webAppNotifySave is what the web app's notification settings modal sends on Save without a change: every
// key it edits, from the user's current props or its own defaults (user_settings_notifications.tsx,
// getNotificationsStateFromProps and handleSubmit).
func webAppNotifySave(current model.StringMap) model.StringMap {
	or := func(key, fallback string) string {
		if value := current[key]; value != "" {
			return value
		}
		return fallback
	}
	return model.StringMap{
		"email":                      or("email", "true"),
		"desktop_sound":              or("desktop_sound", "true"),
		"calls_desktop_sound":        or("calls_desktop_sound", "true"),
		"desktop_notification_sound": or("desktop_notification_sound", "Bing"),
		"calls_notification_sound":   or("calls_notification_sound", "Calm"),
		"desktop":                    or("desktop", "mention"),
		"desktop_threads":            or("desktop_threads", "all"),
		"email_threads":              or("email_threads", "all"),
		"push_threads":               or("push_threads", "all"),
		"push":                       or("push", "mention"),
		"push_status":                or("push_status", "away"),
		"comments":                   or("comments", "never"),
		"auto_responder_active":      "false",
		"auto_responder_message":     "Hello, I am out of office and unable to respond to messages.",
		"first_name":                 or("first_name", "false"),
		"channel":                    or("channel", "false"),
		"mention_keys":               current["mention_keys"],
		"highlight_keys":             "",
	}
}
