package cockpit

// A journey's survey on the real server: a wave whose journey's first step is a survey (delay 0), sent
// by the waves' job; its "Answer" button clicked through POST /api/v4/posts/{id}/actions/{id} makes the
// server push the dialog (open_dialog over the user's websocket); the answers go through the real
// POST /api/v4/actions/dialogs/submit: field errors come back in the dialog's shape, the answer set is
// stored, edited (a low rating tells the help desk), refused for someone else and once closed;
// aggregated, exported as CSV (formula-safe), and made into a plan task that links back to them.
// The same wave shows its channel welcome as an ephemeral to the person it adds to that channel, and
// not to one who was already a member.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// eventWait waits for a websocket event of `kind` whose data `match` accepts and answers its data (nil
// when none came within the time).
type eventWait func(kind model.WebsocketEventType, within time.Duration, match func(map[string]any) bool) map[string]any

// wsEvents collects a user's websocket events for an eventWait.
func wsEvents(t *testing.T, token string) eventWait {
	t.Helper()
	ws, err := model.NewWebSocketClient4("ws"+strings.TrimPrefix(env.s.URL, "http"), token)
	if err != nil {
		t.Fatalf("websocket: %v", err)
	}
	ws.Listen()
	t.Cleanup(ws.Close)
	return func(kind model.WebsocketEventType, within time.Duration, match func(map[string]any) bool) map[string]any {
		deadline := time.After(within)
		for {
			select {
			case event, ok := <-ws.EventChannel:
				if !ok {
					return nil
				}
				if event.EventType() == kind && match(event.GetData()) {
					return event.GetData()
				}
			case <-deadline:
				return nil
			}
		}
	}
}

func ephemeralContaining(text string) func(map[string]any) bool {
	return func(data map[string]any) bool {
		post, _ := data["post"].(string)
		return strings.Contains(post, text)
	}
}

// surveyPostOf finds the person's survey follow-up in their DM with the bot: the post and its Answer button.
func surveyPostOf(t *testing.T, c *model.Client4, userID, bot, marker string) (dm, postID, actionID string) {
	t.Helper()
	channel, _, err := c.CreateDirectChannel(ctx(t), userID, bot)
	if err != nil {
		t.Fatal(err)
	}
	posts, _, err := c.GetPostsForChannel(ctx(t), channel.Id, 0, 20, "", false, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range posts.Order {
		p := posts.Posts[id]
		if p.GetProp("cockpit_journey") != marker {
			continue
		}
		for _, attachment := range p.Attachments() {
			for _, action := range attachment.Actions {
				if action.Id == "surveyanswer" {
					return channel.Id, p.Id, action.Id
				}
			}
		}
	}
	t.Fatalf("no survey with an Answer button in the DM of %s (%d posts)", userID, len(posts.Order))
	return "", "", ""
}

func TestJourneySurveyAnsweredAggregatedExportedAndPlanned(t *testing.T) {
	token := tokenOf(t, env.admin)
	bot := botID(t)
	source, target, users, sfx := waveFixtureUsers(t, "srv", 3)
	answerer, other, already := users[0], users[1], users[2]
	sfx = strings.ToLower(sfx)
	welcomeChannel, err := env.s.CreateChannel(target, "srvwelcome-"+sfx, false)
	if err != nil {
		t.Fatal(err)
	}
	helpDesk, err := env.s.CreateChannel(target, "srvhelp-"+sfx, true)
	if err != nil {
		t.Fatal(err)
	}
	// One person is in the team and the channel before the wave: the wave does not add them.
	if err = env.s.AddMemberships([]*model.User{already}, mmserver.UserOptions{
		Teams: []*model.Team{target}, Channels: []*model.Channel{welcomeChannel},
	}); err != nil {
		t.Fatal(err)
	}
	answererClient, err := env.s.Login(answerer.Username)
	if err != nil {
		t.Fatal(err)
	}
	otherClient, err := env.s.Login(other.Username)
	if err != nil {
		t.Fatal(err)
	}
	alreadyClient, err := env.s.Login(already.Username)
	if err != nil {
		t.Fatal(err)
	}
	answererEvents := wsEvents(t, answererClient.AuthToken)
	alreadyEvents := wsEvents(t, alreadyClient.AuthToken)

	welcomeText := "Glad you joined, {{first_name}}: tip-" + sfx
	wave := createWave(t, token, map[string]any{
		"name":   "Survey " + sfx,
		"cohort": map[string]any{"team_ids": []string{source.Id}},
		"targets": map[string]any{
			"teams":    []map[string]any{{"team_id": target.Id}},
			"channels": []map[string]any{{"channel_id": welcomeChannel.Id, "welcome_message": welcomeText}},
		},
		"welcome":  map[string]any{"enabled": true, "template": "Welcome {{first_name}}", "help_link": ""},
		"feedback": map[string]any{"enabled": true, "help_desk_channel_id": helpDesk.Id},
	})
	journeyPath := "/api/v1/waves/" + wave.ID + "/journey"
	surveyPath := "/api/v1/waves/" + wave.ID + "/surveys/pulse"

	questions := []map[string]any{
		{"id": "mood", "kind": "choice", "label": "How is it going?", "options": []string{"Fine", "I need help"}},
		{"id": "stars", "kind": "rating", "label": "Rate the tools"},
		{"id": "why", "kind": "text", "label": "Anything to add?", "help": "In your own words"},
	}
	pulse := func(closesAt any) map[string]any {
		return map[string]any{
			"id": "pulse", "after": "previous", "delay_minutes": 0, "condition": nil, "template": "A quick survey, {{first_name}}",
			"survey": map[string]any{"title": "First week", "questions": questions, "closes_at": closesAt},
		}
	}
	// Validated at the boundary: a choice with one option, and "has not answered" with no survey before it.
	for _, steps := range [][]map[string]any{
		{{"id": "pulse", "after": "previous", "delay_minutes": 0, "condition": nil, "template": "x", "survey": map[string]any{
			"title": "T", "questions": []map[string]any{{"id": "a", "kind": "choice", "label": "x", "options": []string{"one"}}},
		}}},
		{{"id": "nag", "after": "previous", "delay_minutes": 0, "condition": "not_answered_survey", "template": "x"}},
	} {
		bad := call(t, http.MethodPut, journeyPath, token, mustJSON(t, map[string]any{"expected_version": 0, "steps": steps}))
		if bad.Status != http.StatusBadRequest || !isErrorBody(bad.Body) {
			t.Fatalf("invalid survey journey: %s", bad)
		}
	}
	var journey contract.JourneyResponse
	waveCall(t, http.MethodPut, journeyPath, token, map[string]any{"expected_version": 0, "steps": []map[string]any{
		pulse(nil),
		{"id": "nag", "after": "previous", "delay_minutes": 60, "condition": "not_answered_survey", "template": "Still time to answer"},
	}}, http.StatusOK, &journey)

	if final := runWave(t, token, wave); final.State != "completed" || final.Counts.Welcomed != 3 {
		t.Fatalf("wave: %+v", final)
	}

	// The channel welcome: shown to the person the wave added, with their name; not to the one already there.
	if alreadyEvents(model.WebsocketEventEphemeralMessage, 100*time.Millisecond, ephemeralContaining("tip-"+sfx)) != nil {
		t.Fatal("the channel welcome reached a person the wave did not add")
	}
	seen := answererEvents(model.WebsocketEventEphemeralMessage, 30*time.Second, ephemeralContaining("tip-"+sfx))
	if seen == nil {
		t.Fatal("no channel welcome for the person the wave added")
	}
	var ephemeral model.Post
	if err = json.Unmarshal([]byte(seen["post"].(string)), &ephemeral); err != nil {
		t.Fatal(err)
	}
	if ephemeral.ChannelId != welcomeChannel.Id || ephemeral.UserId != bot || !strings.Contains(ephemeral.Message, answerer.FirstName) {
		t.Fatalf("channel welcome: %s", seen["post"])
	}
	if alreadyEvents(model.WebsocketEventEphemeralMessage, 2*time.Second, ephemeralContaining("tip-"+sfx)) != nil {
		t.Fatal("the channel welcome reached a person the wave did not add")
	}

	// The survey is sent by the job (delay 0), once per person.
	waitFollowUps(t, bot, wave.ID, 2*time.Minute, func(m map[string][]string) bool {
		return len(m[answerer.Id]) == 1 && len(m[other.Id]) == 1 && len(m[already.Id]) == 1
	})

	// "Answer" through the server's post-action route: the server pushes the dialog to the clicking user.
	dm, postID, actionID := surveyPostOf(t, answererClient, answerer.Id, bot, wave.ID+":pulse:"+answerer.Id)
	if _, err = answererClient.DoPostAction(ctx(t), postID, actionID); err != nil {
		t.Fatalf("click Answer: %v", err)
	}
	opened := answererEvents(model.WebsocketEventOpenDialog, 30*time.Second, func(map[string]any) bool { return true })
	if opened == nil {
		t.Fatal("the server pushed no dialog after the click")
	}
	var dialog model.OpenDialogRequest
	if err = json.Unmarshal([]byte(opened["dialog"].(string)), &dialog); err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, element := range dialog.Dialog.Elements {
		names = append(names, element.Name+":"+element.Type)
	}
	if !strings.HasSuffix(dialog.URL, "/api/v1/survey/dialogs/submit") || dialog.Dialog.CallbackId != wave.ID+":pulse" ||
		dialog.Dialog.State != postID || dialog.Dialog.Title != "First week" ||
		strings.Join(names, ",") != "mood:radio,stars:radio,why:textarea" {
		t.Fatalf("dialog: %+v", dialog)
	}

	submit := func(c *model.Client4, channelID, state string, values map[string]any) (*model.SubmitDialogResponse, error) {
		answer, _, submitErr := c.SubmitInteractiveDialog(ctx(t), model.SubmitDialogRequest{
			URL: dialog.URL, CallbackId: dialog.Dialog.CallbackId, State: state,
			ChannelId: channelID, TeamId: target.Id, Submission: values,
		})
		return answer, submitErr
	}
	results := func() contract.SurveyResults {
		var r contract.SurveyResults
		waveCall(t, http.MethodGet, surveyPath+"/results", token, nil, http.StatusOK, &r)
		return r
	}
	countsOf := func(r contract.SurveyResults, question string) string {
		for _, q := range r.Questions {
			if q.ID == question {
				parts := []string{}
				for _, c := range q.Counts {
					parts = append(parts, fmt.Sprintf("%s=%d", c.Value, c.Count))
				}
				return strings.Join(parts, " ")
			}
		}
		return ""
	}

	// Field errors come back in the dialog's shape; nothing is stored.
	answer, err := submit(answererClient, dm, postID, map[string]any{"mood": "Maybe", "stars": "9"})
	if err != nil || answer.Errors["mood"] == "" || answer.Errors["stars"] == "" {
		t.Fatalf("invalid submission: %+v %v", answer, err)
	}
	if r := results(); r.Answered != 0 || r.Asked != 3 {
		t.Fatalf("results after an invalid submission: %+v", r)
	}
	formula := `=HYPERLINK("http://evil.example","x")`
	if answer, err = submit(answererClient, dm, postID, map[string]any{"mood": "Fine", "stars": "4", "why": formula}); err != nil ||
		answer.Error != "" || len(answer.Errors) != 0 {
		t.Fatalf("submission: %+v %v", answer, err)
	}
	r := results()
	if r.Answered != 1 || r.Asked != 3 || r.ResponseRate < 0.33 || r.ResponseRate > 0.34 ||
		countsOf(r, "mood") != "Fine=1 I need help=0" || countsOf(r, "stars") != "1=0 2=0 3=0 4=1 5=0" ||
		r.TextsTotal != 1 || r.Texts[0].Text != formula || r.Texts[0].Username != answerer.Username || r.Texts[0].ID != answerer.Id+":why" {
		t.Fatalf("results after the answer: %+v", r)
	}

	// Someone else cannot answer with that person's survey post.
	otherDM, _, _ := surveyPostOf(t, otherClient, other.Id, bot, wave.ID+":pulse:"+other.Id)
	if _, err = submit(otherClient, otherDM, postID, map[string]any{"mood": "I need help", "stars": "1"}); err == nil {
		t.Fatal("a submission for someone else's survey was accepted")
	}

	// The answer is edited: one answer set still, the rating moved, and a rating of 2 tells the help desk.
	answer, err = submit(answererClient, dm, postID, map[string]any{"mood": "Fine", "stars": "2", "why": formula})
	if err != nil || answer.Error != "" {
		t.Fatalf("edit: %+v %v", answer, err)
	}
	r = results()
	if r.Answered != 1 || countsOf(r, "stars") != "1=0 2=1 3=0 4=0 5=0" {
		t.Fatalf("results after the edit: %+v", r)
	}
	var notices int
	if err = env.s.DB().QueryRow(`SELECT count(*) FROM posts WHERE channelid = $1 AND userid = $2 AND props->>'cockpit_help' = $3`,
		helpDesk.Id, bot, wave.ID+":"+answerer.Id).Scan(&notices); err != nil {
		t.Fatal(err)
	}
	if notices != 1 {
		t.Fatalf("help-desk notices: %d", notices)
	}

	// The export: one row per answer set, the formula shown as text.
	csv := call(t, http.MethodGet, surveyPath+"/export", token, nil)
	if csv.Status != http.StatusOK || !strings.Contains(string(csv.Body), `"'=HYPERLINK(""http://evil.example"",""x"")"`) ||
		!strings.Contains(string(csv.Body), answerer.Username) || strings.Count(string(csv.Body), "\r\n") != 2 {
		t.Fatalf("export: %s", csv)
	}

	// A plan task from the question's answers, in the plan, linked back to them.
	lockPlan(t)
	restorePlanAtCleanup(t)
	plan := getPlan(t)
	phaseID := plan.Plan.Phases[0].ID
	taskBody := map[string]any{
		"phase_id": phaseID, "title": "Follow up " + sfx, "question_id": "why", "expected_version": plan.Plan.Version,
	}
	var made contract.SurveyTaskResponse
	waveCall(t, http.MethodPost, surveyPath+"/tasks", token, taskBody, http.StatusCreated, &made)
	if stale := call(t, http.MethodPost, surveyPath+"/tasks", token, mustJSON(t, taskBody)); stale.Status != http.StatusConflict {
		t.Fatalf("task on a stale plan version: %s", stale)
	}
	plan = getPlan(t)
	task, _ := plan.task(made.TaskID)
	if task.Survey == nil || task.Survey.WaveID != wave.ID || task.Survey.StepID != "pulse" ||
		strings.Join(task.Survey.AnswerIDs, ",") != answerer.Id+":why" || !strings.Contains(task.Description, "HYPERLINK") ||
		made.PlanVersion != plan.Plan.Version {
		t.Fatalf("task from answers: %+v (made %+v)", task, made)
	}

	// Closed: the answer set can no longer change.
	waveCall(t, http.MethodGet, journeyPath, token, nil, http.StatusOK, &journey)
	closed := pulse(time.Now().Add(-time.Minute).UnixMilli())
	waveCall(t, http.MethodPut, journeyPath, token, map[string]any{"expected_version": journey.Version, "steps": []map[string]any{closed}},
		http.StatusOK, nil)
	if answer, err = submit(answererClient, dm, postID, map[string]any{"mood": "Fine", "stars": "5"}); err != nil ||
		!strings.Contains(answer.Error, "closed") {
		t.Fatalf("submission to a closed survey: %+v %v", answer, err)
	}
	if r = results(); !r.Closed || countsOf(r, "stars") != "1=0 2=1 3=0 4=0 5=0" {
		t.Fatalf("results after closing: %+v", r)
	}
}

// answeredSurveyWave runs a wave whose journey is one survey step (delay 0) that both of its people
// answer through the real dialog-submit route (ratings 2 and 4, one free text); answers the wave's name.
func answeredSurveyWave(t *testing.T) string {
	t.Helper()
	token := tokenOf(t, env.admin)
	bot := botID(t)
	source, target, users, sfx := waveFixtureUsers(t, "sbr", 2)
	name := "Answered survey " + sfx
	wave := createWave(t, token, map[string]any{
		"name":    name,
		"cohort":  map[string]any{"team_ids": []string{source.Id}},
		"targets": map[string]any{"teams": []map[string]any{{"team_id": target.Id}}},
		"welcome": map[string]any{"enabled": true, "template": "Welcome {{first_name}}", "help_link": ""},
	})
	journeyPath := "/api/v1/waves/" + wave.ID + "/journey"
	waveCall(t, http.MethodPut, journeyPath, token, map[string]any{"expected_version": 0, "steps": []map[string]any{{
		"id": "pulse", "after": "previous", "delay_minutes": 0, "condition": nil, "template": "A quick survey",
		"survey": map[string]any{"title": "First week", "questions": []map[string]any{
			{"id": "stars", "kind": "rating", "label": "Rate the tools"},
			{"id": "mood", "kind": "choice", "label": "How is it going?", "options": []string{"Fine", "I need help"}},
			{"id": "why", "kind": "text", "label": "Anything to add?"},
		}},
	}}}, http.StatusOK, nil)
	if final := runWave(t, token, wave); final.State != "completed" || final.Counts.Welcomed != 2 {
		t.Fatalf("wave: %+v", final)
	}
	waitFollowUps(t, bot, wave.ID, 2*time.Minute, func(m map[string][]string) bool {
		return len(m[users[0].Id]) == 1 && len(m[users[1].Id]) == 1
	})
	submissions := []map[string]any{
		{"stars": "2", "mood": "Fine", "why": "More docs please"},
		{"stars": "4", "mood": "Fine"},
	}
	for i, user := range users {
		answerPulse(t, user, bot, wave.ID, target.Id, submissions[i])
	}
	return name
}

// answerPulse signs the person in and answers their "pulse" survey through the real dialog-submit route,
// as the dialog its Answer button opens does.
func answerPulse(t *testing.T, user *model.User, bot, waveID, teamID string, submission map[string]any) {
	t.Helper()
	c, err := env.s.Login(user.Username)
	if err != nil {
		t.Fatal(err)
	}
	dm, postID, _ := surveyPostOf(t, c, user.Id, bot, waveID+":pulse:"+user.Id)
	answer, _, err := c.SubmitInteractiveDialog(ctx(t), model.SubmitDialogRequest{
		URL: "/plugins/" + mmserver.PluginID + "/api/v1/survey/dialogs/submit", CallbackId: waveID + ":pulse", State: postID,
		ChannelId: dm, TeamId: teamID, Submission: submission,
	})
	if err != nil || answer.Error != "" || len(answer.Errors) != 0 {
		t.Fatalf("answer of %s: %+v %v", user.Username, answer, err)
	}
}

// TestJourneyNotAnsweredSurveyFollowUp: a follow-up "1 minute after the survey, if not answered" reaches
// only the person who did not answer (once); the one who answered through the real dialog-submit route
// before it was due has it skipped.
func TestJourneyNotAnsweredSurveyFollowUp(t *testing.T) {
	token := tokenOf(t, env.admin)
	bot := botID(t)
	source, target, users, sfx := waveFixtureUsers(t, "sna", 2)
	answerer, silent := users[0], users[1]
	wave := createWave(t, token, map[string]any{
		"name":    "Not answered " + sfx,
		"cohort":  map[string]any{"team_ids": []string{source.Id}},
		"targets": map[string]any{"teams": []map[string]any{{"team_id": target.Id}}},
		"welcome": map[string]any{"enabled": true, "template": "Welcome {{first_name}}", "help_link": ""},
	})
	journeyPath := "/api/v1/waves/" + wave.ID + "/journey"
	waveCall(t, http.MethodPut, journeyPath, token, map[string]any{"expected_version": 0, "steps": []map[string]any{
		{
			"id": "pulse", "after": "previous", "delay_minutes": 0, "condition": nil, "template": "A quick survey",
			"survey": map[string]any{"title": "First week", "questions": []map[string]any{
				{"id": "stars", "kind": "rating", "label": "Rate the tools"},
			}},
		},
		{"id": "nag", "after": "previous", "delay_minutes": 1, "condition": "not_answered_survey", "template": "Still time to answer"},
	}}, http.StatusOK, nil)
	if final := runWave(t, token, wave); final.State != "completed" || final.Counts.Welcomed != 2 {
		t.Fatalf("wave: %+v", final)
	}
	waitFollowUps(t, bot, wave.ID, 2*time.Minute, func(m map[string][]string) bool {
		return len(m[answerer.Id]) == 1 && len(m[silent.Id]) == 1
	})

	answerPulse(t, answerer, bot, wave.ID, target.Id, map[string]any{"stars": "4"})

	// Due a minute after the survey: sent to the silent person, skipped for the one who answered.
	deadline := time.Now().Add(3 * time.Minute)
	var journey contract.JourneyResponse
	for {
		waveCall(t, http.MethodGet, journeyPath, token, nil, http.StatusOK, &journey)
		if journey.Counts["nag"].Sent+journey.Counts["nag"].Skipped == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the follow-up was not decided for both: %+v", journey.Counts)
		}
		time.Sleep(3 * time.Second)
	}
	got := followUpsByUser(t, bot, wave.ID)
	if journey.Counts["nag"].Sent != 1 || journey.Counts["nag"].Skipped != 1 ||
		strings.Join(got[answerer.Id], ",") != "pulse" || strings.Join(got[silent.Id], ",") != "pulse,nag" {
		t.Fatalf("after the survey: counts %+v, follow-ups %v", journey.Counts, got)
	}
}
