package cockpit

// Task owners who are not admins, against the real server: a member who owns tasks sees only theirs
// (GET /api/v1/my/tasks), may change only their state, notes and evidence (403 for anything else and
// for anyone else, system admins included on the owner route); the bot's assignment DM and its buttons,
// clicked through the server's own POST /api/v4/posts/{post_id}/actions/{action_id}, work for the owner
// only; `/onboarding tasks` lists the caller's tasks. And task edits from the same plan version: 50
// admins on different tasks all succeed with nothing lost; 25 pairs, each two admins on the same field of
// one task, all at once: per pair one 200 and one 409 naming it, the winner's value kept.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// assignmentDM finds the bot's assignment DM about taskID in the user's DM with the bot (nil when none).
func assignmentDM(t *testing.T, c *model.Client4, userID, taskID string) *model.Post {
	t.Helper()
	posts := botDMPosts(t, c, userID)
	for _, id := range posts.Order {
		if post := posts.Posts[id]; post.GetProp("cockpit_task_assignment") == taskID {
			return post
		}
	}
	return nil
}

func myTasks(t *testing.T, token string) contract.MyTasksResponse {
	t.Helper()
	r := call(t, http.MethodGet, "/api/v1/my/tasks", token, nil)
	expectStatus(t, "GET /api/v1/my/tasks", r, http.StatusOK)
	var mine contract.MyTasksResponse
	decodeInto(t, r, &mine)
	return mine
}

func patchMyTask(t *testing.T, token, taskID string, version int, changes map[string]any) apiResult {
	t.Helper()
	body := mustJSON(t, map[string]any{"expected_version": version, "changes": changes})
	return call(t, http.MethodPatch, "/api/v1/my/tasks/"+taskID, token, body)
}

func TestPlanOwnersWhoAreNotAdmins(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	sfx := strings.ToLower(model.NewId()[:6])
	users, err := env.s.CreateUsers(2, mmserver.UserOptions{Prefix: "owner-" + sfx + "-", Teams: []*model.Team{env.teamA}})
	if err != nil {
		t.Fatal(err)
	}
	owner, other := users[0], users[1]
	ownerClient, err := env.s.Login(owner.Username)
	if err != nil {
		t.Fatal(err)
	}
	otherClient, err := env.s.Login(other.Username)
	if err != nil {
		t.Fatal(err)
	}
	adminTok := env.adminClient.AuthToken

	plan := getPlan(t)
	tasks := plan.Plan.Phases[0].Tasks
	mineA, theirs, mineB := tasks[0], tasks[1], tasks[2]
	for _, a := range []struct {
		task  contract.Task
		owner string
	}{{mineA, owner.Id}, {theirs, other.Id}, {mineB, owner.Id}} {
		r := patchTask(t, adminTok, a.task.ID, getPlan(t).Plan.Version, map[string]any{"owner_id": a.owner, "due_date": "2027-01-15"})
		expectStatus(t, "assign "+a.task.ID, r, http.StatusOK)
	}

	// The owner sees exactly their tasks, with phase and checks; the plan itself stays for admins.
	mine := myTasks(t, ownerClient.AuthToken)
	var ids []string
	for _, m := range mine.Tasks {
		ids = append(ids, m.Task.ID)
	}
	if !slices.Equal(ids, []string{mineA.ID, mineB.ID}) {
		t.Fatalf("the owner's tasks: %v, want [%s %s]", ids, mineA.ID, mineB.ID)
	}
	if m := mine.Tasks[0]; m.PhaseID != plan.Plan.Phases[0].ID || len(m.Checks) != len(mineA.Checks) || m.Task.DueDate == nil {
		t.Fatalf("the owner's first task: %+v", m)
	}
	expectStatus(t, "the owner reads the plan", call(t, http.MethodGet, "/api/v1/plan", ownerClient.AuthToken, nil), http.StatusForbidden)
	expectStatus(t, "the owner uses the admin route", patchTask(t, ownerClient.AuthToken, mineA.ID, mine.Version,
		map[string]any{"state": "done"}), http.StatusForbidden)

	// The owner changes state, notes and evidence; the admin's plan shows it.
	changes := map[string]any{"state": "done", "notes": "cut over " + sfx, "evidence": []string{"https://wiki.example/" + sfx}}
	r := patchMyTask(t, ownerClient.AuthToken, mineA.ID, mine.Version, changes)
	expectStatus(t, "the owner marks a task done", r, http.StatusOK)
	if tk, _ := getPlan(t).task(mineA.ID); tk.State != contract.TaskStateDone || tk.Notes != changes["notes"] || len(tk.Evidence) != 1 ||
		tk.OwnerID == nil || *tk.OwnerID != owner.Id {
		t.Fatalf("the admin's plan after the owner's change: %+v", tk)
	}

	// Anything else, or anyone else: 403 and nothing changes.
	before := getPlan(t)
	for _, c := range []struct {
		what, token, task string
		changes           map[string]any
	}{
		{"the owner changes the title", ownerClient.AuthToken, mineA.ID, map[string]any{"title": "mine"}},
		{"the owner changes the due date", ownerClient.AuthToken, mineA.ID, map[string]any{"due_date": "2030-01-01"}},
		{"the owner hands the task on", ownerClient.AuthToken, mineA.ID, map[string]any{"owner_id": other.Id}},
		{"the owner changes another's task", ownerClient.AuthToken, theirs.ID, map[string]any{"state": "done"}},
		{"another member changes the owner's task", otherClient.AuthToken, mineA.ID, map[string]any{"notes": "x"}},
		{"a system admin uses the owner route", adminTok, mineA.ID, map[string]any{"notes": "x"}},
	} {
		expectStatus(t, c.what, patchMyTask(t, c.token, c.task, before.Plan.Version, c.changes), http.StatusForbidden)
	}
	requirePlanUnchanged(t, before, "refused owner edits")

	// The assignment DM: the task, its due date, four buttons; they work for the owner only.
	post := assignmentDM(t, ownerClient, owner.Id, mineB.ID)
	if post == nil {
		t.Fatal("no assignment DM to the owner")
	}
	if !strings.Contains(post.Message, mineB.Title) || !strings.Contains(post.Message, "2027-01-15") {
		t.Fatalf("the assignment DM: %q", post.Message)
	}
	if assignmentDM(t, otherClient, other.Id, mineB.ID) != nil {
		t.Fatal("the other member got a DM about the owner's task")
	}
	if _, doErr := otherClient.DoPostActionWithCookie(ctx(t), post.Id, "start", "", ""); doErr == nil {
		t.Fatal("another member clicked a button of the owner's DM")
	}
	forged := mustJSON(t, map[string]any{
		"user_id": owner.Id, "post_id": post.Id, "context": map[string]any{"task_id": mineB.ID, "state": "done"},
	})
	expectStatus(t, "another member forges the owner's click", call(t, http.MethodPost, "/api/v1/plan/task-actions",
		otherClient.AuthToken, forged), http.StatusForbidden)
	own := mustJSON(t, map[string]any{
		"user_id": other.Id, "post_id": post.Id, "context": map[string]any{"task_id": mineB.ID, "state": "done"},
	})
	expectStatus(t, "another member clicks for the owner's task", call(t, http.MethodPost, "/api/v1/plan/task-actions",
		otherClient.AuthToken, own), http.StatusForbidden)
	me, _, err := env.adminClient.GetMe(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	adminClick := mustJSON(t, map[string]any{
		"user_id": me.Id, "post_id": post.Id, "context": map[string]any{"task_id": mineB.ID, "state": "done"},
	})
	expectStatus(t, "a system admin clicks for the owner's task", call(t, http.MethodPost, "/api/v1/plan/task-actions",
		adminTok, adminClick), http.StatusForbidden)
	requirePlanUnchanged(t, before, "refused clicks")
	for _, button := range []struct{ id, state string }{{"start", "in_progress"}, {"blocked", "blocked"}} {
		if _, doErr := ownerClient.DoPostActionWithCookie(ctx(t), post.Id, button.id, "", ""); doErr != nil {
			t.Fatalf("the owner clicks %s: %v", button.id, doErr)
		}
		if tk, _ := getPlan(t).task(mineB.ID); string(tk.State) != button.state {
			t.Fatalf("after the owner's %s click the task is %s", button.id, tk.State)
		}
	}

	// `/onboarding tasks`: the caller's tasks only.
	townSquare, _, err := ownerClient.GetChannelByName(ctx(t), "town-square", env.teamA.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	resp, _, err := ownerClient.ExecuteCommand(ctx(t), townSquare.Id, "/onboarding tasks")
	if err != nil {
		t.Fatal(err)
	}
	listed := strings.Contains(resp.Text, mineA.Title) && strings.Contains(resp.Text, mineB.Title)
	page := "/" + env.teamA.Name + "/onboarding-cockpit/tasks"
	if !listed || strings.Contains(resp.Text, theirs.Title) || !strings.Contains(resp.Text, page) {
		t.Fatalf("/onboarding tasks for the owner: %q", resp.Text)
	}
}

func TestPlanConcurrentTaskEditsFromOneVersion(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	sfx := strings.ToLower(model.NewId()[:6])
	const admins = 50
	adminUsers, tokens := signedInAdmins(t, admins, "cc-admin-"+sfx+"-")
	plan := getPlan(t)
	var taskIDs []string
	for _, ph := range plan.Plan.Phases {
		for _, tk := range ph.Tasks {
			taskIDs = append(taskIDs, tk.ID)
		}
	}
	// Admin a edits one (task, field) nobody else edits: the notes of one task, or the description of
	// another when there are fewer tasks than admins.
	target := func(a int) (string, string) {
		return taskIDs[a%len(taskIDs)], []string{"notes", "description"}[a/len(taskIDs)%2]
	}

	// Every admin saves from the same version at once.
	statuses := make([]apiResult, admins)
	start := make(chan struct{})
	var wg sync.WaitGroup
	began := time.Now()
	for a := range admins {
		wg.Go(func() {
			taskID, field := target(a)
			changes := map[string]any{field: "edit " + sfx + " by " + adminUsers[a].Username}
			body := mustJSONNoT(map[string]any{"expected_version": plan.Plan.Version, "changes": changes})
			<-start
			r, reqErr := tryRoute(http.MethodPatch, "/api/v1/plan/tasks/"+taskID, tokens[a], body)
			if reqErr != nil {
				r = apiResult{Body: []byte(reqErr.Error())}
			}
			statuses[a] = r
		})
	}
	close(start)
	wg.Wait()
	took := time.Since(began)
	refused := 0
	for a, r := range statuses {
		if r.Status != http.StatusOK {
			refused++
			t.Errorf("admin %d's edit of a task nobody else edits: %s", a, r)
		}
	}
	final := getPlan(t)
	lost := 0
	for a := range admins {
		taskID, field := target(a)
		_, raw := final.task(taskID)
		if raw[field] != "edit "+sfx+" by "+adminUsers[a].Username {
			lost++
			t.Errorf("admin %d's acknowledged %s of %s is not in the plan: %q", a, field, taskID, raw[field])
		}
	}
	if final.Plan.Version != plan.Plan.Version+admins {
		t.Errorf("plan version %d after %d edits from %d", final.Plan.Version, admins, plan.Plan.Version)
	}
	t.Logf("%d admins editing different tasks from one version at once: %d acknowledged, %d refused, %d lost in %s",
		admins, admins-refused, refused, lost, took.Round(time.Millisecond))

	// The same field of the same task from one version, by pairs: admins 2k and 2k+1 both save the notes
	// of task k, every pair at once. Per pair exactly one 200 and one 409 naming the field, the winner and
	// their value; the winner's value stays (nothing acknowledged is lost).
	version := final.Plan.Version
	pairs := min(admins/2, len(taskIDs))
	results := make([]apiResult, 2*pairs)
	start = make(chan struct{})
	for i := range 2 * pairs {
		wg.Go(func() {
			body := mustJSONNoT(map[string]any{"expected_version": version, "changes": map[string]any{"notes": "same field " + sfx + " " +
				adminUsers[i].Username}})
			<-start
			r, reqErr := tryRoute(http.MethodPatch, "/api/v1/plan/tasks/"+taskIDs[i/2], tokens[i], body)
			if reqErr != nil {
				r = apiResult{Body: []byte(reqErr.Error())}
			}
			results[i] = r
		})
	}
	close(start)
	wg.Wait()
	after := getPlan(t)
	conflicts := 0
	for k := range pairs {
		winner, loser := 2*k, 2*k+1
		if results[winner].Status == http.StatusConflict {
			winner, loser = loser, winner
		}
		if results[winner].Status != http.StatusOK || results[loser].Status != http.StatusConflict {
			t.Errorf("pair %d, two saves of the notes of %s: %s / %s, want one 200 and one 409",
				k, taskIDs[k], results[2*k], results[2*k+1])
			continue
		}
		conflicts++
		var answer struct {
			Error struct {
				ID       string `json:"id"`
				Conflict struct {
					TaskID     string `json:"task_id"`
					Field      string `json:"field"`
					By         string `json:"by"`
					ByUsername string `json:"by_username"`
					Value      any    `json:"value"`
				} `json:"conflict"`
			} `json:"error"`
		}
		if err := json.Unmarshal(results[loser].Body, &answer); err != nil {
			t.Fatal(err)
		}
		want := "same field " + sfx + " " + adminUsers[winner].Username
		c := answer.Error.Conflict
		if answer.Error.ID != "cockpit.plan.field_conflict" || c.TaskID != taskIDs[k] || c.Field != "notes" ||
			c.By != adminUsers[winner].Id || c.ByUsername != adminUsers[winner].Username || c.Value != want {
			t.Errorf("pair %d: the 409 does not name the task, the field, the other admin and their value: %s", k, results[loser])
		}
		if _, raw := after.task(taskIDs[k]); raw["notes"] != want {
			t.Errorf("pair %d: the winner's notes are not stored: %q", k, raw["notes"])
		}
	}
	if after.Plan.Version != version+conflicts {
		t.Errorf("plan version %d after %d acknowledged same-field saves from %d", after.Plan.Version, conflicts, version)
	}
	t.Logf("%d pairs saving the same field of one task each, at once: %d pairs with exactly one 200 and one 409", pairs, conflicts)
}

// restartPluginForcingJob disables and enables the plugin with the scheduler's record of `jobID` removed,
// so the job runs at once on activation: a second run the same day, as a restart or another node makes.
func restartPluginForcingJob(t *testing.T, jobID string) {
	t.Helper()
	if _, err := env.adminClient.DisablePlugin(ctx(t), mmserver.PluginID); err != nil {
		t.Fatal(err)
	}
	if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateNotRunning, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := env.s.DB().ExecContext(ctx(t), `DELETE FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey = $2`,
		mmserver.PluginID, "cron_cockpit_"+jobID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.adminClient.EnablePlugin(ctx(t), mmserver.PluginID); err != nil {
		t.Fatal(err)
	}
	if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateRunning, 60*time.Second); err != nil {
		t.Fatal(err)
	}
}

// digestDMs counts the bot's digest posts in the user's DM with the bot.
func digestDMs(t *testing.T, c *model.Client4, userID string) []*model.Post {
	t.Helper()
	posts := botDMPosts(t, c, userID)
	var out []*model.Post
	for _, id := range posts.Order {
		if p := posts.Posts[id]; p.GetProp("cockpit_task_digest") != nil {
			out = append(out, p)
		}
	}
	return out
}

// waitForDigest waits until the user has a digest DM (the job runs on the plugin's activation).
func waitForDigest(t *testing.T, c *model.Client4, userID string) error {
	t.Helper()
	return mmserver.WaitFor(30*time.Second, func() error {
		if n := len(digestDMs(t, c, userID)); n == 0 {
			return fmt.Errorf("no digest yet")
		}
		return nil
	})
}

// teamMembersSignedIn creates two members of team A (usernames starting with prefix) and signs both in.
func teamMembersSignedIn(t *testing.T, prefix string) ([]*model.User, []*model.Client4) {
	t.Helper()
	sfx := strings.ToLower(model.NewId()[:6])
	users, err := env.s.CreateUsers(2, mmserver.UserOptions{Prefix: prefix + sfx + "-", Teams: []*model.Team{env.teamA}})
	if err != nil {
		t.Fatal(err)
	}
	clients := make([]*model.Client4, len(users))
	for i, u := range users {
		if clients[i], err = env.s.Login(u.Username); err != nil {
			t.Fatal(err)
		}
	}
	return users, clients
}

// The daily digest: an owner with a task due this week gets one DM when the job runs, and no second one
// the same day when the job runs again after a plugin restart; an owner who muted it gets none.
func TestPlanDigestOncePerDayAcrossRestarts(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	users, clients := teamMembersSignedIn(t, "digest-")
	owner, muted := users[0], users[1]
	ownerClient, mutedClient := clients[0], clients[1]
	townSquare, _, err := mutedClient.GetChannelByName(ctx(t), "town-square", env.teamA.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	if resp, _, cmdErr := mutedClient.ExecuteCommand(ctx(t), townSquare.Id, "/onboarding tasks mute"); cmdErr != nil ||
		!strings.Contains(resp.Text, "Muted") {
		t.Fatalf("/onboarding tasks mute: %v %v", resp, cmdErr)
	}
	today := time.Now().UTC().Format("2006-01-02")
	tasks := getPlan(t).Plan.Phases[1].Tasks
	for i, a := range []string{owner.Id, muted.Id} {
		r := patchTask(t, env.adminClient.AuthToken, tasks[i].ID, getPlan(t).Plan.Version,
			map[string]any{"owner_id": a, "due_date": today, "state": "in_progress"})
		expectStatus(t, "assign a task due today", r, http.StatusOK)
	}

	for run := 1; run <= 2; run++ {
		restartPluginForcingJob(t, "plan.digest")
		if err := waitForDigest(t, ownerClient, owner.Id); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
	}
	got := digestDMs(t, ownerClient, owner.Id)
	if len(got) != 1 || !strings.Contains(got[0].Message, tasks[0].Title) || !strings.Contains(got[0].Message, "due "+today) {
		t.Fatalf("digests to the owner after two runs on one day: %d %v", len(got), got)
	}
	if n := len(digestDMs(t, mutedClient, muted.Id)); n != 0 {
		t.Fatalf("the owner who muted the digest got %d", n)
	}
}
