package cockpit

// Rollout waves on the real server: 500 cheap users of a source team are provisioned into a target
// team and two channels (one as channel admin) and welcomed by the bot. The wave is stopped mid-run by
// disabling the plugin while a batch is in flight, then enabled again and driven to the end: every
// user is a member everywhere and has exactly one welcome DM.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

type waveProgress struct {
	State     string `json:"state"`
	Total     int    `json:"total"`
	Processed int    `json:"processed"`
	Counts    struct {
		Added         int `json:"added"`
		AlreadyMember int `json:"already_member"`
		Skipped       int `json:"skipped"`
		Failed        int `json:"failed"`
		Welcomed      int `json:"welcomed"`
	} `json:"counts"`
	Ran int `json:"ran"`
}

type waveResponse struct {
	ID       string       `json:"id"`
	Version  int          `json:"version"`
	State    string       `json:"state"`
	Progress waveProgress `json:"progress"`
}

func waveCall(t *testing.T, method, route, token string, body any, want int, into any) {
	t.Helper()
	var b []byte
	if body != nil {
		b = mustJSON(t, body)
	}
	r := call(t, method, route, token, b)
	if r.Status != want {
		t.Fatalf("%s %s: want %d, got %s", method, route, want, r)
	}
	if into != nil {
		if err := json.Unmarshal(r.Body, into); err != nil {
			t.Fatalf("%s %s: decode: %v: %s", method, route, err, r)
		}
	}
}

func TestWaveProvisionsAndWelcomesOnceAcrossPluginRestart(t *testing.T) {
	const n = 500
	token := tokenOf(t, env.admin)
	sfx := model.NewId()[:6]
	source, err := env.s.CreateTeam("wsrc" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	target, err := env.s.CreateTeam("wdst" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	info, err := env.s.CreateChannel(target, "info"+sfx, false)
	if err != nil {
		t.Fatal(err)
	}
	help, err := env.s.CreateChannel(target, "help"+sfx, true)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	users, err := env.s.CreateUsers(n, mmserver.UserOptions{Prefix: "wave" + sfx + "-", Teams: []*model.Team{source}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("created %d users in %s", n, time.Since(t0).Round(time.Millisecond))
	bot := botID(t)
	// The cohort is whoever is in the source team: the 500, plus any account the server put there itself.
	cohort := map[string]bool{}
	extra := []string{}
	for p := 0; ; p++ {
		members, _, err := env.adminClient.GetTeamMembers(ctx(t), source.Id, p, 200, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range members {
			cohort[m.UserId] = true
		}
		if len(members) < 200 {
			break
		}
	}
	created := map[string]bool{}
	for _, u := range users {
		created[u.Id] = true
	}
	for id := range cohort {
		if !created[id] {
			u, _, err := env.adminClient.GetUser(ctx(t), id, "")
			if err != nil {
				t.Fatal(err)
			}
			extra = append(extra, fmt.Sprintf("%s(bot=%v,deleted=%v,roles=%s)", u.Username, u.IsBot, u.DeleteAt > 0, u.Roles))
		}
	}
	t.Logf("source team: %d members; not created by this test: %v", len(cohort), extra)

	// A team member (not an admin) cannot create or read waves.
	memberToken := tokenOf(t, env.member)
	waveCall(t, http.MethodGet, "/api/v1/waves", memberToken, nil, http.StatusForbidden, nil)
	waveCall(t, http.MethodPost, "/api/v1/waves", memberToken, map[string]any{"name": "x", "cohort": map[string]any{}, "targets": map[string]any{}}, http.StatusForbidden, nil)

	var wave waveResponse
	waveCall(t, http.MethodPost, "/api/v1/waves", token, map[string]any{
		"name":   "E2E wave " + sfx,
		"cohort": map[string]any{"team_ids": []string{source.Id}, "csv": []map[string]any{{"line": 2, "value": "no-such-user-" + sfx}}},
		"targets": map[string]any{
			"teams":    []map[string]any{{"team_id": target.Id}},
			"channels": []map[string]any{{"channel_id": info.Id}, {"channel_id": help.Id, "role": "channel_admin"}},
		},
		"welcome":  map[string]any{"enabled": true, "template": "Welcome {{first_name}} to {{team}}: {{channels}}", "help_link": ""},
		"throttle": map[string]any{"users_per_second": 15}, // 150 users per run (10 s job interval)
	}, http.StatusCreated, &wave)

	var dry struct {
		CohortSize  int `json:"cohort_size"`
		CsvProblems []struct {
			Line   int    `json:"line"`
			Reason string `json:"reason"`
		} `json:"csv_problems"`
		Targets []struct {
			WouldAdd int `json:"would_add"`
		} `json:"targets"`
	}
	tDry := time.Now()
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/dry-run", token, map[string]any{}, http.StatusOK, &dry)
	t.Logf("dry run of %d users: %s", dry.CohortSize, time.Since(tDry).Round(time.Millisecond))
	if dry.CohortSize != n || len(dry.CsvProblems) != 1 || dry.CsvProblems[0].Line != 2 || dry.CsvProblems[0].Reason != "no such user" {
		t.Fatalf("dry run: %+v", dry)
	}
	for _, target := range dry.Targets {
		if target.WouldAdd != n {
			t.Fatalf("dry run targets: %+v", dry.Targets)
		}
	}

	// Start: the first batches run in the request.
	tStart := time.Now()
	var started waveResponse
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/start", token, map[string]any{"expected_version": wave.Version}, http.StatusOK, &started)
	t.Logf("start: %d/%d processed in %s", started.Progress.Processed, started.Progress.Total, time.Since(tStart).Round(time.Millisecond))
	if started.State != "running" || started.Progress.Total != n || started.Progress.Processed == 0 || started.Progress.Processed >= n {
		t.Fatalf("after start: %+v", started)
	}

	// Disable the plugin while a batch is running, then enable it again.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		// Its answer does not matter: the plugin may go away under it.
		req, _ := http.NewRequest(http.MethodPost, pluginURL("/api/v1/waves/"+wave.ID+"/tick"), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	time.Sleep(700 * time.Millisecond)
	if _, err := env.adminClient.DisablePlugin(ctx(t), mmserver.PluginID); err != nil {
		t.Fatal(err)
	}
	if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateNotRunning, 60*time.Second); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	var mid waveProgress
	if _, err := env.adminClient.EnablePlugin(ctx(t), mmserver.PluginID); err != nil {
		t.Fatal(err)
	}
	if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateRunning, 60*time.Second); err != nil {
		t.Fatal(err)
	}
	waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/progress", token, nil, http.StatusOK, &mid)
	t.Logf("after disable+enable: %s %d/%d", mid.State, mid.Processed, mid.Total)
	if mid.Processed >= n {
		t.Fatalf("the wave finished before the restart; nothing was resumed: %+v", mid)
	}

	// The job (every 10 s, 8 s of work per run) takes it from here: the plugin was re-enabled, so this
	// also proves the job is scheduled again on activation.
	tResume := time.Now()
	resumedFrom := mid.Processed
	var progress waveProgress
	for {
		if time.Since(tResume) > 5*time.Minute {
			t.Fatalf("wave did not complete: %+v", progress)
		}
		waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/progress", token, nil, http.StatusOK, &progress)
		if progress.State != "running" {
			break
		}
		time.Sleep(time.Second)
	}
	resumeTime := time.Since(tResume)
	t.Logf("resumed %d users in %s (%.0f users/s incl. 2 channels + DM each); final %+v",
		n-resumedFrom, resumeTime.Round(time.Millisecond), float64(n-resumedFrom)/resumeTime.Seconds(), progress)
	if progress.State != "completed" || progress.Processed != n || progress.Counts.Failed != 0 || progress.Counts.Welcomed != n ||
		progress.Counts.Added+progress.Counts.AlreadyMember != n {
		t.Fatalf("final progress: %+v", progress)
	}

	// Every user is a member of the team and both channels (REST API).
	want := map[string]bool{}
	for _, u := range users {
		want[u.Id] = true
	}
	checkMembers := func(what string, page func(p int) ([]string, error)) {
		got := map[string]bool{}
		for p := 0; ; p++ {
			ids, err := page(p)
			if err != nil {
				t.Fatalf("%s members: %v", what, err)
			}
			for _, id := range ids {
				got[id] = true
			}
			if len(ids) < 200 {
				break
			}
		}
		for id := range want {
			if !got[id] {
				t.Fatalf("user %s is not a member of %s", id, what)
			}
		}
	}
	checkMembers("team", func(p int) ([]string, error) {
		members, _, err := env.adminClient.GetTeamMembers(ctx(t), target.Id, p, 200, "")
		ids := []string{}
		for _, m := range members {
			ids = append(ids, m.UserId)
		}
		return ids, err
	})
	for _, ch := range []*model.Channel{info, help} {
		checkMembers(ch.Name, func(p int) ([]string, error) {
			members, _, err := env.adminClient.GetChannelMembers(ctx(t), ch.Id, p, 200, "")
			ids := []string{}
			for _, m := range members {
				if ch.Id == help.Id && want[m.UserId] && !m.SchemeAdmin {
					return nil, fmt.Errorf("user %s is not a channel admin of %s", m.UserId, ch.Name)
				}
				ids = append(ids, m.UserId)
			}
			return ids, err
		})
	}

	// Exactly one welcome DM per user: every bot post of this wave, grouped by user (the DB), then
	// a REST spot check of three users' DM channels as the users themselves see them.
	rows, err := env.s.DB().Query(`SELECT props->>'cockpit_welcome', count(*) FROM posts WHERE userid = $1 AND props->>'cockpit_welcome' LIKE $2 AND deleteat = 0 GROUP BY 1`,
		bot, wave.ID+":%")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	dms := map[string]int{}
	for rows.Next() {
		var marker string
		var count int
		if err := rows.Scan(&marker, &count); err != nil {
			t.Fatal(err)
		}
		dms[marker] = count
	}
	if len(dms) != n {
		t.Fatalf("%d users got a welcome DM, want %d", len(dms), n)
	}
	for marker, count := range dms {
		if count != 1 {
			t.Fatalf("%s got %d welcome DMs", marker, count)
		}
	}
	for _, u := range []*model.User{users[0], users[n/2], users[n-1]} {
		c, err := env.s.Login(u.Username)
		if err != nil {
			t.Fatal(err)
		}
		dm, _, err := c.CreateDirectChannel(ctx(t), u.Id, bot)
		if err != nil {
			t.Fatal(err)
		}
		posts, _, err := c.GetPostsForChannel(ctx(t), dm.Id, 0, 100, "", false, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts.Order) != 1 || posts.Posts[posts.Order[0]].UserId != bot {
			t.Fatalf("%s sees %d posts in the bot DM, want 1", u.Username, len(posts.Order))
		}
	}

	// Paged results: 500 rows, none failed.
	var page struct {
		Total   int `json:"total"`
		Results []struct {
			Outcome string `json:"outcome"`
		} `json:"results"`
	}
	waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/results?per_page=100&page=4", token, nil, http.StatusOK, &page)
	if page.Total != n || len(page.Results) != 100 {
		t.Fatalf("results page 4: total %d, %d rows", page.Total, len(page.Results))
	}
	waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/results?outcome=failed", token, nil, http.StatusOK, &page)
	if page.Total != 0 {
		t.Fatalf("%d failed results", page.Total)
	}
}
