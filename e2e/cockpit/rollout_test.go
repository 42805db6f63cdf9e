package cockpit

// Status updates and the timeline against the real server: the bot's status post carries the numbers
// the plan, readiness and waves routes answer with; the scheduled post goes out exactly once per weekly
// slot across a plugin restart and across two plugin processes (a second server on the same database)
// that run the job at the same moment; and the owners' daily digest, exactly once per owner per day
// across the same two processes (owners_test.go covers the restart).

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

const rolloutUpdateJob = "rollout.update"

// projectChannel creates a public channel in team A for the status posts.
func projectChannel(t *testing.T) *model.Channel {
	t.Helper()
	sfx := strings.ToLower(model.NewId()[:6])
	channel, _, err := env.adminClient.CreateChannel(ctx(t), &model.Channel{
		TeamId: env.teamA.Id, Name: "rollout-" + sfx, DisplayName: "Roll-out " + sfx, Type: model.ChannelTypeOpen,
	})
	if err != nil {
		t.Fatal(err)
	}
	return channel
}

func saveUpdateSettings(t *testing.T, channelID string, schedule map[string]any) contract.UpdateSettingsResponse {
	t.Helper()
	tok := env.adminClient.AuthToken
	r := call(t, http.MethodGet, "/api/v1/rollout/updates", tok, nil)
	expectStatus(t, "GET /api/v1/rollout/updates", r, http.StatusOK)
	var current contract.UpdateSettingsResponse
	decodeInto(t, r, &current)
	r = call(t, http.MethodPut, "/api/v1/rollout/updates", tok, mustJSON(t, map[string]any{
		"expected_version": current.Version, "channel_id": channelID, "schedule": schedule,
	}))
	expectStatus(t, "PUT /api/v1/rollout/updates", r, http.StatusOK)
	var saved contract.UpdateSettingsResponse
	decodeInto(t, r, &saved)
	return saved
}

// statusPosts lists the bot's status posts in the channel.
func statusPosts(t *testing.T, channelID string) []*model.Post {
	t.Helper()
	posts, _, err := env.adminClient.GetPostsForChannel(ctx(t), channelID, 0, 100, "", false, false)
	if err != nil {
		t.Fatal(err)
	}
	var out []*model.Post
	for _, id := range posts.Order {
		if p := posts.Posts[id]; p.GetProp("cockpit_status_update") != nil {
			out = append(out, p)
		}
	}
	return out
}

func getJSON(t *testing.T, route string, into any) {
	t.Helper()
	r := call(t, http.MethodGet, route, env.adminClient.AuthToken, nil)
	expectStatus(t, "GET "+route, r, http.StatusOK)
	decodeInto(t, r, into)
}

func TestRolloutStatusPostNumbersEqualTheRoutes(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	tok := env.adminClient.AuthToken

	// Some progress to report: two tasks of the first phase done, one blocked with an owner.
	tasks := getPlan(t).Plan.Phases[0].Tasks
	edits := []map[string]any{{"state": "done"}, {"state": "done"}, {"state": "blocked", "owner_id": userID(t, env.adminClient)}}
	for i, changes := range edits {
		expectStatus(t, "edit "+tasks[i].ID, patchTask(t, tok, tasks[i].ID, getPlan(t).Plan.Version, changes), http.StatusOK)
	}
	expectStatus(t, "POST /api/v1/readiness/run", call(t, http.MethodPost, "/api/v1/readiness/run", tok, []byte(`{}`)), http.StatusOK)
	channel := projectChannel(t)
	saveUpdateSettings(t, channel.Id, map[string]any{"kind": "off"})

	// Only system admins manage the updates.
	member, err := env.s.Login(env.member)
	if err != nil {
		t.Fatal(err)
	}
	r := call(t, http.MethodPost, "/api/v1/rollout/updates/post", member.AuthToken, []byte(`{}`))
	expectStatus(t, "a member posts", r, http.StatusForbidden)

	var preview contract.UpdatePreview
	getJSON(t, "/api/v1/rollout/updates/preview", &preview)
	r = call(t, http.MethodPost, "/api/v1/rollout/updates/post", tok, []byte(`{}`))
	expectStatus(t, "POST /api/v1/rollout/updates/post", r, http.StatusCreated)
	var posted contract.PostUpdateResponse
	decodeInto(t, r, &posted)
	post, _, err := env.adminClient.GetPost(ctx(t), posted.PostID, "")
	if err != nil {
		t.Fatal(err)
	}
	if post.ChannelId != channel.Id || post.Message != preview.Message {
		t.Fatalf("the post (channel %s) is not the preview:\n%s\n---\n%s", post.ChannelId, post.Message, preview.Message)
	}

	// The numbers of the routes, read after the post (nothing changed in between: the plan is locked).
	plan := getPlan(t)
	var readiness contract.ReadinessReport
	getJSON(t, "/api/v1/readiness", &readiness)
	var waves contract.WaveSummaryList
	getJSON(t, "/api/v1/waves", &waves)
	var summary contract.RolloutSummary
	getJSON(t, "/api/v1/rollout/summary", &summary)

	required, completed := 0, 0
	for _, p := range plan.Progress.Phases {
		required += int(p.Required)
		completed += int(p.Completed)
	}
	want := []string{
		fmt.Sprintf("**Plan:** %d %% (%d of %d required tasks)", int(plan.Progress.Percent), completed, required),
		fmt.Sprintf("**Readiness:** %d / 100", int(readiness.Score)),
	}
	for i, ph := range plan.Plan.Phases {
		p := plan.Progress.Phases[i]
		want = append(want, fmt.Sprintf("| `%s` | %d / %d | %d %% |", ph.Title, int(p.Completed), int(p.Required), int(p.Percent)))
	}
	running, scheduled, done := 0, 0, 0
	for _, w := range waves {
		switch w.State {
		case contract.WaveStateRunning, contract.WaveStatePaused:
			running++
		case contract.WaveStateScheduled:
			scheduled++
		case contract.WaveStateCompleted, contract.WaveStateCompletedWithFailures:
			done++
		}
	}
	want = append(want, fmt.Sprintf("**Waves:** %d running, %d scheduled, %d completed", running, scheduled, done))
	want = append(want, fmt.Sprintf("- `%s` (`%s`): @%s", tasks[2].Title, plan.Plan.Phases[0].Title, env.admin))
	for _, line := range want {
		if !strings.Contains(post.Message, line) {
			t.Errorf("the status post lacks %q:\n%s", line, post.Message)
		}
	}

	// The Overview's summary: the same numbers, and the post is now its baseline.
	if summary.Plan.Percent != plan.Progress.Percent || summary.Readiness.Score != readiness.Score ||
		len(summary.Waves.Running) != running || summary.Waves.Scheduled != scheduled || summary.Waves.Completed != done {
		t.Errorf("summary %+v differs from the routes (plan %v %%, readiness %v, waves %d/%d/%d)",
			summary, plan.Progress.Percent, readiness.Score, running, scheduled, done)
	}
	for i, p := range summary.Plan.Phases {
		if p.Completed != int(plan.Progress.Phases[i].Completed) || p.Required != int(plan.Progress.Phases[i].Required) {
			t.Errorf("phase %s: summary %d/%d, plan route %v/%v", p.ID, p.Completed, p.Required,
				plan.Progress.Phases[i].Completed, plan.Progress.Phases[i].Required)
		}
	}
	if summary.LastUpdateAt == nil || len(summary.CompletedSinceLast) != 0 || summary.Readiness.PreviousScore == nil {
		t.Errorf("after the post: last_update_at %v, completed since %d, previous score %v",
			summary.LastUpdateAt, len(summary.CompletedSinceLast), summary.Readiness.PreviousScore)
	}

	// The timeline, from the audit trail: the post, then the task edits, newest first.
	var timeline contract.TimelinePage
	getJSON(t, "/api/v1/rollout/timeline?per_page=5", &timeline)
	var kinds []string
	for _, e := range timeline.Entries {
		kinds = append(kinds, string(e.Kind)+" "+e.Target+" "+e.To)
	}
	joined := strings.Join(kinds, "\n")
	for _, line := range []string{
		"status_posted channel:" + channel.Id, "task_state task:" + tasks[2].ID + " blocked",
		"task_assigned task:" + tasks[2].ID, "task_state task:" + tasks[1].ID + " done",
	} {
		if !strings.Contains(joined, line) {
			t.Errorf("timeline lacks %q:\n%s", line, joined)
		}
	}
}

// setKVValueField changes one field of a stored versioned record's value (a test's way to move time).
func setKVValueField(t *testing.T, key, field string, value any) {
	t.Helper()
	var raw []byte
	if err := env.s.DB().QueryRowContext(ctx(t), `SELECT PValue FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey = $2`,
		mmserver.PluginID, key).Scan(&raw); err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	var record map[string]any
	if err := json.Unmarshal(raw, &record); err != nil {
		t.Fatal(err)
	}
	record["value"].(map[string]any)[field] = value
	if _, err := env.s.DB().ExecContext(ctx(t), `UPDATE PluginKeyValueStore SET PValue = $3 WHERE PluginId = $1 AND PKey = $2`,
		mmserver.PluginID, key, mustJSON(t, record)); err != nil {
		t.Fatal(err)
	}
}

func deleteKV(t *testing.T, keys ...string) {
	t.Helper()
	for _, key := range keys {
		if _, err := env.s.DB().ExecContext(ctx(t), `DELETE FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey = $2`,
			mmserver.PluginID, key); err != nil {
			t.Fatal(err)
		}
	}
}

// waitJobRan waits until the job's cluster metadata is written again (the scheduler writes it after a run).
func waitJobRan(t *testing.T, jobID string) {
	t.Helper()
	if err := mmserver.WaitFor(60*time.Second, func() error {
		var n int
		if err := env.s.DB().QueryRowContext(ctx(t), `SELECT COUNT(*) FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey = $2`,
			mmserver.PluginID, "cron_cockpit_"+jobID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("job %s has not run yet", jobID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// The weekly slot: a schedule whose latest slot (the last full hour) is due, saved before it. The job
// posts once; a plugin restart that runs the job again does not post again. Then a fresh slot with
// two plugin processes whose schedulers find the job due at the same moment: one post. The owners'
// digest rides along: an owner with a task due today gets one DM from the two processes.
func TestRolloutScheduledPostOncePerSlotAcrossRestartAndTwoNodes(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	slot := time.Now().UTC().Add(-time.Hour).Truncate(time.Hour)
	channel := projectChannel(t)
	saveUpdateSettings(t, channel.Id, map[string]any{"kind": "weekly", "weekday": int(slot.Weekday()), "hour": slot.Hour()})
	t.Cleanup(func() { saveUpdateSettings(t, channel.Id, map[string]any{"kind": "off"}) })

	// As if the schedule had been saved before the slot (a schedule saved after its slot waits a week).
	setKVValueField(t, "rollout:settings", "updated_at", slot.Add(-time.Hour).UnixMilli())
	deleteKV(t, "rollout:last_update")

	for run := 1; run <= 2; run++ {
		restartPluginForcingJob(t, rolloutUpdateJob)
		waitJobRan(t, rolloutUpdateJob)
		if n := len(statusPosts(t, channel.Id)); n != 1 {
			t.Fatalf("after run %d: %d status posts, want 1", run, n)
		}
	}
	if got := statusPosts(t, channel.Id)[0].GetProp("cockpit_status_update"); got != fmt.Sprint(slot.UnixMilli()) {
		t.Fatalf("the post is for slot %v, want %d", got, slot.UnixMilli())
	}

	// Two nodes. A fresh slot (as a new week would bring) and an owner who has had no digest today.
	deleteKV(t, "rollout:last_update")
	prefix := "digest2-" + strings.ToLower(model.NewId()[:6]) + "-"
	users, err := env.s.CreateUsers(1, mmserver.UserOptions{Prefix: prefix, Teams: []*model.Team{env.teamA}})
	if err != nil {
		t.Fatal(err)
	}
	owner := users[0]
	ownerClient, err := env.s.Login(owner.Username)
	if err != nil {
		t.Fatal(err)
	}
	task := getPlan(t).Plan.Phases[2].Tasks[0]
	today := time.Now().UTC().Format("2006-01-02")
	expectStatus(t, "assign a task due today", patchTask(t, env.adminClient.AuthToken, task.ID, getPlan(t).Plan.Version,
		map[string]any{"owner_id": owner.Id, "due_date": today, "state": "in_progress"}), http.StatusOK)

	stopPackagePlugin(t)
	_, admin2 := startSecondNode(t, true)

	// Both jobs due at once on both nodes: no metadata, no stale lock.
	deleteKV(t, "cron_cockpit_"+rolloutUpdateJob, "mutex_cron_cockpit_"+rolloutUpdateJob,
		"cron_cockpit_plan.digest", "mutex_cron_cockpit_plan.digest")
	enableOnBothNodes(t, admin2)
	waitJobRan(t, rolloutUpdateJob)
	waitJobRan(t, "plan.digest")

	// Time for a second run on the other node to show, were there one.
	time.Sleep(5 * time.Second)
	setPluginEnabled(t, admin2, false)
	if n := len(statusPosts(t, channel.Id)); n != 2 {
		t.Fatalf("status posts after the two-node run: %d, want 2 (one per slot)", n)
	}
	if got := digestDMs(t, ownerClient, owner.Id); len(got) != 1 || !strings.Contains(got[0].Message, task.Title) {
		t.Fatalf("digests to the owner from two nodes: %d %v", len(got), got)
	}
}
