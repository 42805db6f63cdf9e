package cockpit

// Personal data on the real server: a person welcomed by a wave, who clicked a feedback button, answered
// the journey's survey and owns a plan task, is erased by a system admin; SQL over the plugin's rows of
// PluginKeyValueStore then finds no key and no value naming their user id, username or email outside the
// audit trail, and the wave's counts, feedback counts and survey counts are what they were. A member and a
// team admin get 403. The server permanently deleting a user (DELETE /api/v4/users/{id}?permanent=true)
// erases them through the deactivation hook and the sweep. Retention: of two completed waves, the one
// that finished before the cutoff loses its per-user data and keeps its counts; the other, and a
// scheduled wave, are untouched.

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

// kvRowsNaming lists the plugin's KV keys outside the audit trail whose key or value contains one of needles.
func kvRowsNaming(t *testing.T, needles ...string) []string {
	t.Helper()
	var found []string
	for _, needle := range needles {
		rows, err := env.s.DB().Query(`SELECT PKey FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey NOT LIKE 'audit:%'
			AND (strpos(PKey, $2) > 0 OR position(convert_to($2, 'UTF8') IN PValue) > 0) ORDER BY PKey`, env.manifest.Id, needle)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var key string
			if err = rows.Scan(&key); err != nil {
				t.Fatal(err)
			}
			found = append(found, key)
		}
		if err = rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return found
}

type privacyAggregates struct {
	Counts   contract.WaveCounts
	Feedback any
	Answered int
	Stars    string
}

func privacyAggregatesOf(t *testing.T, token, waveID string) privacyAggregates {
	t.Helper()
	var progress contract.WaveProgress
	waveCall(t, http.MethodGet, "/api/v1/waves/"+waveID+"/progress", token, nil, http.StatusOK, &progress)
	var activation contract.ActivationFunnel
	waveCall(t, http.MethodGet, "/api/v1/waves/"+waveID+"/activation", token, nil, http.StatusOK, &activation)
	var results contract.SurveyResults
	waveCall(t, http.MethodGet, "/api/v1/waves/"+waveID+"/surveys/pulse/results", token, nil, http.StatusOK, &results)
	stars := ""
	for _, q := range results.Questions {
		if q.ID == "stars" {
			encoded, _ := json.Marshal(q.Counts)
			stars = string(encoded)
		}
	}
	return privacyAggregates{Counts: progress.Counts, Feedback: activation.Feedback, Answered: results.Answered, Stars: stars}
}

// answerSurvey clicks the person's survey Answer button and submits the dialog the server pushes.
func answerSurvey(t *testing.T, c *model.Client4, user *model.User, bot, waveID, teamID string) {
	t.Helper()
	events := wsEvents(t, c.AuthToken)
	dm, postID, actionID := surveyPostOf(t, c, user.Id, bot, waveID+":pulse:"+user.Id)
	if _, err := c.DoPostAction(ctx(t), postID, actionID); err != nil {
		t.Fatalf("click Answer: %v", err)
	}
	opened := events(model.WebsocketEventOpenDialog, 30*time.Second, func(map[string]any) bool { return true })
	if opened == nil {
		t.Fatal("no dialog after the click")
	}
	var dialog model.OpenDialogRequest
	if err := json.Unmarshal([]byte(opened["dialog"].(string)), &dialog); err != nil {
		t.Fatal(err)
	}
	answer, _, err := c.SubmitInteractiveDialog(ctx(t), model.SubmitDialogRequest{
		URL: dialog.URL, CallbackId: dialog.Dialog.CallbackId, State: postID, ChannelId: dm, TeamId: teamID,
		Submission: map[string]any{"stars": "4", "why": "I am " + user.Username},
	})
	if err != nil || answer.Error != "" || len(answer.Errors) != 0 {
		t.Fatalf("survey answer: %+v %v", answer, err)
	}
}

// clickFeedback clicks the first feedback button of the person's welcome.
func clickFeedback(t *testing.T, c *model.Client4, user *model.User, bot string) {
	t.Helper()
	dm, _, err := c.CreateDirectChannel(ctx(t), user.Id, bot)
	if err != nil {
		t.Fatal(err)
	}
	posts, _, err := c.GetPostsForChannel(ctx(t), dm.Id, 0, 20, "", false, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range posts.Order {
		for _, attachment := range posts.Posts[id].Attachments() {
			if len(attachment.Actions) == 3 {
				if _, err = c.DoPostAction(ctx(t), id, attachment.Actions[0].Id); err != nil {
					t.Fatalf("feedback click: %v", err)
				}
				return
			}
		}
	}
	t.Fatal("no welcome with feedback buttons")
}

func TestPrivacyEraseLeavesNoKeyNamingThePersonAndKeepsAggregates(t *testing.T) {
	token := tokenOf(t, env.admin)
	bot := botID(t)
	source, target, users, sfx := waveFixtureUsers(t, "prv", 3)
	ada, bob := users[0], users[1]
	wave := createWave(t, token, map[string]any{
		"name":     "Privacy " + sfx,
		"cohort":   map[string]any{"team_ids": []string{source.Id}},
		"targets":  map[string]any{"teams": []map[string]any{{"team_id": target.Id}}},
		"welcome":  map[string]any{"enabled": true, "template": "Welcome {{first_name}}", "help_link": ""},
		"feedback": map[string]any{"enabled": true},
	})
	journeyPath := "/api/v1/waves/" + wave.ID + "/journey"
	waveCall(t, http.MethodPut, journeyPath, token, map[string]any{"expected_version": 0, "steps": []map[string]any{{
		"id": "pulse", "after": "previous", "delay_minutes": 0, "condition": nil, "template": "A survey",
		"survey": map[string]any{"title": "First week", "questions": []map[string]any{
			{"id": "stars", "kind": "rating", "label": "Rate the tools"},
			{"id": "why", "kind": "text", "label": "Anything to add?"},
		}},
	}}}, http.StatusOK, nil)
	if final := runWave(t, token, wave); final.State != "completed" || final.Counts.Welcomed != 3 {
		t.Fatalf("wave: %+v", final)
	}
	waitFollowUps(t, bot, wave.ID, 2*time.Minute, func(m map[string][]string) bool {
		return len(m[ada.Id]) == 1 && len(m[bob.Id]) == 1
	})

	clients := map[string]*model.Client4{}
	for _, user := range []*model.User{ada, bob} {
		c, err := env.s.Login(user.Username)
		if err != nil {
			t.Fatal(err)
		}
		clients[user.Id] = c
		clickFeedback(t, c, user, bot)
		answerSurvey(t, c, user, bot, wave.ID, target.Id)
	}

	// Ada owns a plan task.
	lockPlan(t)
	restorePlanAtCleanup(t)
	plan := getPlan(t)
	task := plan.Plan.Phases[0].Tasks[0]
	if r := patchTask(t, token, task.ID, plan.Plan.Version, map[string]any{"owner_id": ada.Id}); r.Status != http.StatusOK {
		t.Fatalf("assign: %s", r)
	}

	before := privacyAggregatesOf(t, token, wave.ID)
	if before.Answered != 2 || before.Counts.Welcomed != 3 {
		t.Fatalf("before: %+v", before)
	}
	if named := kvRowsNaming(t, ada.Id); len(named) < 5 {
		t.Fatalf("rows naming ada before the erasure: %v", named)
	}

	// Only system admins may look people up or erase them.
	eraseBody := mustJSON(t, map[string]any{"user_id": ada.Id})
	for _, who := range []string{env.member, env.teamAdminA} {
		if r := call(t, http.MethodPost, "/api/v1/privacy/erase", tokenOf(t, who), eraseBody); r.Status != http.StatusForbidden {
			t.Fatalf("%s erasing: %s", who, r)
		}
		r := call(t, http.MethodGet, "/api/v1/privacy/people?term="+ada.Username, tokenOf(t, who), nil)
		if r.Status != http.StatusForbidden {
			t.Fatalf("%s looking up: %s", who, r)
		}
	}
	r := call(t, http.MethodPost, "/api/v1/privacy/erase", token, []byte(`{"user_id":"x","email":null}`))
	if r.Status != http.StatusBadRequest || !isErrorBody(r.Body) {
		t.Fatalf("bad erase body: %s", r)
	}

	var lookup contract.PersonLookup
	waveCall(t, http.MethodGet, "/api/v1/privacy/people?term="+ada.Username, token, nil, http.StatusOK, &lookup)
	if lookup.User == nil || lookup.User.ID != ada.Id || lookup.Records.WaveResults != 1 || lookup.Records.FeedbackAnswers != 1 ||
		lookup.Records.SurveyAnswers != 1 || lookup.Records.PlanTasks != 1 {
		t.Fatalf("lookup: %+v", lookup)
	}
	var erased contract.EraseResponse
	waveCall(t, http.MethodPost, "/api/v1/privacy/erase", token, map[string]any{"user_id": ada.Id}, http.StatusOK, &erased)
	if erased.Records != lookup.Records {
		t.Fatalf("erased %+v, found %+v", erased.Records, lookup.Records)
	}
	if named := kvRowsNaming(t, ada.Id, ada.Email, "I am "+ada.Username); len(named) != 0 {
		t.Fatalf("rows still naming ada: %v", named)
	}
	if after := privacyAggregatesOf(t, token, wave.ID); !jsonSame(t, after, before) {
		t.Fatalf("aggregates changed: %+v, were %+v", after, before)
	}
	if named := kvRowsNaming(t, bob.Id); len(named) < 5 {
		t.Fatalf("bob's rows went too: %v", named)
	}
	entries := auditEntries(t, 20)
	found := false
	for _, entry := range entries {
		if entry.Action == "privacy.erase" && entry.Target == "user:"+ada.Id {
			encoded, _ := json.Marshal(entry)
			if strings.Contains(string(encoded), ada.Email) {
				t.Fatalf("the audit entry keeps data: %s", encoded)
			}
			found = true
		}
	}
	if !found {
		t.Fatal("no audit entry for the erasure")
	}

	// The server deleting Bob for good erases him: the deactivation hook, then the sweep sees him gone.
	enabled := *env.s.App.Config().ServiceSettings.EnableAPIUserDeletion
	env.s.App.UpdateConfig(func(c *model.Config) { c.ServiceSettings.EnableAPIUserDeletion = new(true) })
	t.Cleanup(func() {
		env.s.App.UpdateConfig(func(c *model.Config) { c.ServiceSettings.EnableAPIUserDeletion = new(enabled) })
	})
	if _, err := env.adminClient.PermanentDeleteUser(ctx(t), bob.Id); err != nil {
		t.Fatalf("permanent delete: %v", err)
	}
	deadline := time.Now().Add(90 * time.Second)
	for len(kvRowsNaming(t, bob.Id)) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("rows still naming bob after the server deleted him: %v", kvRowsNaming(t, bob.Id))
		}
		waveCall(t, http.MethodPost, "/api/v1/privacy/sweep", token, map[string]any{}, http.StatusOK, nil)
		time.Sleep(time.Second)
	}
	after := privacyAggregatesOf(t, token, wave.ID)
	if after.Answered != before.Answered || after.Counts != before.Counts || after.Stars != before.Stars {
		t.Fatalf("aggregates after the deletion: %+v, were %+v", after, before)
	}
}

func jsonSame(t *testing.T, a, b any) bool {
	t.Helper()
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestPrivacyRetentionRemovesOnlyWavesFinishedBeforeTheCutoff(t *testing.T) {
	token := tokenOf(t, env.admin)
	newWave := func(prefix string, start bool) (contract.WaveResponse, []*model.User) {
		source, target, users, sfx := waveFixtureUsers(t, prefix, 2)
		wave := createWave(t, token, map[string]any{
			"name":    "Retention " + sfx,
			"cohort":  map[string]any{"team_ids": []string{source.Id}},
			"targets": map[string]any{"teams": []map[string]any{{"team_id": target.Id}}},
		})
		if !start {
			scheduleWave(t, token, wave, time.Now().Add(48*time.Hour))
		} else if final := runWave(t, token, wave); final.State != "completed" {
			t.Fatalf("wave: %+v", final)
		}
		return wave, users
	}
	old, oldUsers := newWave("rto", true)
	recent, recentUsers := newWave("rtr", true)
	scheduled, scheduledUsers := newWave("rts", false)

	// The old wave finished ten days ago (its run record says so, as the engine wrote it then).
	tenDaysAgo := time.Now().Add(-240 * time.Hour).UnixMilli()
	if _, err := env.s.DB().Exec(`UPDATE PluginKeyValueStore SET PValue = convert_to(jsonb_set(convert_from(PValue, 'UTF8')::jsonb,
		'{value,finished_at}', to_jsonb($3::bigint))::text, 'UTF8') WHERE PluginId = $1 AND PKey = $2`,
		env.manifest.Id, "wave:"+old.ID+":run", tenDaysAgo); err != nil {
		t.Fatal(err)
	}
	progressOf := func(id string) contract.WaveProgress {
		var p contract.WaveProgress
		waveCall(t, http.MethodGet, "/api/v1/waves/"+id+"/progress", token, nil, http.StatusOK, &p)
		return p
	}
	oldBefore, recentBefore := progressOf(old.ID), progressOf(recent.ID)
	recentRows := kvRowsNaming(t, recentUsers[0].Id, recentUsers[1].Id)
	if len(kvRowsNaming(t, oldUsers[0].Id)) == 0 || len(recentRows) == 0 {
		t.Fatal("no per-user rows before retention")
	}

	var state contract.PrivacyState
	waveCall(t, http.MethodGet, "/api/v1/privacy", token, nil, http.StatusOK, &state)
	if r := call(t, http.MethodPut, "/api/v1/privacy/settings", token,
		mustJSON(t, map[string]any{
			"expected_version": state.Version,
			"settings":         map[string]any{"retention_days": 0, "erase_on_deactivation": false},
		})); r.Status != http.StatusBadRequest {
		t.Fatalf("retention of 0 days: %s", r)
	}
	waveCall(t, http.MethodPut, "/api/v1/privacy/settings", token, map[string]any{
		"expected_version": state.Version, "settings": map[string]any{"retention_days": 7, "erase_on_deactivation": false},
	}, http.StatusOK, &state)
	t.Cleanup(func() {
		var now contract.PrivacyState
		waveCall(t, http.MethodGet, "/api/v1/privacy", token, nil, http.StatusOK, &now)
		waveCall(t, http.MethodPut, "/api/v1/privacy/settings", token, map[string]any{
			"expected_version": now.Version, "settings": map[string]any{"retention_days": nil, "erase_on_deactivation": false},
		}, http.StatusOK, nil)
	})

	var swept contract.SweepResponse
	waveCall(t, http.MethodPost, "/api/v1/privacy/sweep", token, map[string]any{}, http.StatusOK, &swept)
	if named := kvRowsNaming(t, oldUsers[0].Id, oldUsers[1].Id, oldUsers[0].Username, oldUsers[1].Username); len(named) != 0 {
		t.Fatalf("rows of the old wave still naming its people: %v (sweep %+v)", named, swept)
	}
	if got := kvRowsNaming(t, recentUsers[0].Id, recentUsers[1].Id); strings.Join(got, ",") != strings.Join(recentRows, ",") {
		t.Fatalf("the recent wave's rows changed: %v, were %v", got, recentRows)
	}
	if len(kvRowsNaming(t, scheduledUsers[0].Id)) != 0 && progressOf(scheduled.ID).State != "scheduled" {
		t.Fatal("the scheduled wave changed")
	}
	if after := progressOf(old.ID); after.Counts != oldBefore.Counts || after.Total != oldBefore.Total {
		t.Fatalf("old wave's counts: %+v, were %+v", after, oldBefore)
	}
	if after := progressOf(recent.ID); after.Counts != recentBefore.Counts {
		t.Fatalf("recent wave's counts: %+v, were %+v", after, recentBefore)
	}
	waveCall(t, http.MethodGet, "/api/v1/privacy", token, nil, http.StatusOK, &state)
	removed := map[string]bool{}
	for _, w := range state.Waves {
		removed[w.WaveID] = w.RemovedAt != nil
	}
	if !removed[old.ID] || removed[recent.ID] {
		t.Fatalf("retention state: %+v", state.Waves)
	}
}
