package cockpit

// A rollout wave at scale on the real server: 5,000 people of a source team (COCKPIT_WAVE_USERS to
// change it) are provisioned into a target team and three channels (one public, one private where they
// become channel admins, one private and group-synced) and welcomed by the bot. Among the cohort are
// deactivated people and people outside the synced channel's group: they end as reasons (skipped:
// deactivated; failed: refused by the synced channel), not as crashes. The wave is driven by the tick
// route as fast as the server goes, stopped at ~40 % by disabling the plugin while a batch is in
// flight, enabled again and driven to the end. Then, from the database: every user is a member of the
// team and the three channels, and has exactly one welcome DM. A 10 MB CSV upload is refused (413).
// People who may not run waves (a team admin, a member) get 403 on reading, creating and starting one.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// waveScaleUsers is the cohort size of TestWaveAtScale: COCKPIT_WAVE_USERS, default 5,000.
func waveScaleUsers(t *testing.T) int {
	if v := os.Getenv("COCKPIT_WAVE_USERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 100 {
			t.Fatalf("COCKPIT_WAVE_USERS=%q: want a number ≥ 100", v)
		}
		return n
	}
	return 5000
}

// tickWave runs the wave once through the tick route. 503 (the job holds the wave's lock right now)
// and 409 (the wave is no longer running) are answers, not failures.
func tickWave(t *testing.T, token, waveID string) (progress contract.WaveProgress, status int) {
	t.Helper()
	r := call(t, http.MethodPost, "/api/v1/waves/"+waveID+"/tick", token, []byte(`{}`))
	switch r.Status {
	case http.StatusOK:
		if err := json.Unmarshal(r.Body, &progress); err != nil {
			t.Fatalf("tick: %v: %s", err, r)
		}
	case http.StatusServiceUnavailable, http.StatusConflict:
	default:
		t.Fatalf("tick: %s", r)
	}
	return progress, r.Status
}

func waveProgressOf(t *testing.T, token, waveID string) contract.WaveProgress {
	t.Helper()
	var progress contract.WaveProgress
	waveCall(t, http.MethodGet, "/api/v1/waves/"+waveID+"/progress", token, nil, http.StatusOK, &progress)
	return progress
}

// groupSyncedChannel makes a private channel constrained to an LDAP-sourced group holding members.
func groupSyncedChannel(t *testing.T, team *model.Team, name string, members []string) *model.Channel {
	t.Helper()
	channel, err := env.s.CreateChannel(team, name, true)
	if err != nil {
		t.Fatal(err)
	}
	group, appErr := env.s.App.CreateGroup(&model.Group{
		Name: new("g" + name), DisplayName: "Group " + name, Source: model.GroupSourceLdap, RemoteId: new("cn=" + name),
	})
	if appErr != nil {
		t.Fatal(appErr)
	}
	if _, appErr := env.s.App.UpsertGroupMembers(group.Id, members); appErr != nil {
		t.Fatal(appErr)
	}
	if _, appErr := env.s.App.UpsertGroupSyncable(model.NewGroupChannel(group.Id, channel.Id, false)); appErr != nil {
		t.Fatal(appErr)
	}
	// As an admin turns it on in the System Console: from now on only the group's members may join.
	patched, _, err := env.adminClient.PatchChannel(ctx(t), channel.Id, &model.ChannelPatch{GroupConstrained: new(true)})
	if err != nil {
		t.Fatal(err)
	}
	if !patched.IsGroupConstrained() {
		t.Fatal("the channel is not group-constrained after the patch")
	}
	return patched
}

func TestWaveAtScale(t *testing.T) {
	n := waveScaleUsers(t)
	const retiredN, outsidersN = 25, 25
	total := n + retiredN + outsidersN
	token := tokenOf(t, env.admin)
	sfx := model.NewId()[:6]
	source, err := env.s.CreateTeam("wxs" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	target, err := env.s.CreateTeam("wxt" + sfx)
	if err != nil {
		t.Fatal(err)
	}

	tSetup := time.Now()
	users, err := env.s.CreateUsers(n, mmserver.UserOptions{Prefix: "wx" + sfx + "-", Teams: []*model.Team{source}, Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	retired, err := env.s.CreateUsers(retiredN, mmserver.UserOptions{Prefix: "wxr" + sfx + "-", Teams: []*model.Team{source}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range retired {
		if _, appErr := env.s.App.UpdateActive(env.s.Ctx(), u, false); appErr != nil {
			t.Fatal(appErr)
		}
	}
	outsiders, err := env.s.CreateUsers(outsidersN, mmserver.UserOptions{Prefix: "wxo" + sfx + "-", Teams: []*model.Team{source}})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(us []*model.User) []string {
		out := make([]string, len(us))
		for i, u := range us {
			out[i] = u.Id
		}
		return out
	}
	info, err := env.s.CreateChannel(target, "info"+sfx, false)
	if err != nil {
		t.Fatal(err)
	}
	help, err := env.s.CreateChannel(target, "help"+sfx, true)
	if err != nil {
		t.Fatal(err)
	}
	synced := groupSyncedChannel(t, target, "synced"+sfx, ids(users))
	t.Logf("set-up: %d users (+%d deactivated, +%d outside the synced group), 2 teams, 3 channels, 1 group in %s",
		n, retiredN, outsidersN, time.Since(tSetup).Round(time.Millisecond))

	// Who may not run waves: a team admin and a member get 403 on reading, creating and starting.
	definition := map[string]any{
		"name":   "Scale wave " + sfx,
		"cohort": map[string]any{"team_ids": []string{source.Id}, "csv": []map[string]any{{"line": 2, "value": "no-such-user-" + sfx}}},
		"targets": map[string]any{
			"teams": []map[string]any{{"team_id": target.Id}},
			"channels": []map[string]any{
				{"channel_id": info.Id}, {"channel_id": help.Id, "role": "channel_admin"}, {"channel_id": synced.Id},
			},
		},
		"welcome":  map[string]any{"enabled": true, "template": "Welcome {{first_name}} to {{team}}: {{channels}}", "help_link": ""},
		"throttle": map[string]any{"users_per_second": 500},
	}
	for _, who := range []string{env.teamAdminA, env.member} {
		other := tokenOf(t, who)
		waveCall(t, http.MethodGet, "/api/v1/waves", other, nil, http.StatusForbidden, nil)
		waveCall(t, http.MethodPost, "/api/v1/waves", other, definition, http.StatusForbidden, nil)
	}

	wave := createWave(t, token, definition)
	for _, who := range []string{env.teamAdminA, env.member} {
		other := tokenOf(t, who)
		waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID, other, nil, http.StatusForbidden, nil)
		waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/results", other, nil, http.StatusForbidden, nil)
		waveCall(
			t,
			http.MethodPost,
			"/api/v1/waves/"+wave.ID+"/start",
			other,
			map[string]any{"expected_version": wave.Version},
			http.StatusForbidden,
			nil,
		)
	}

	// A 10 MB CSV is refused by the host before it reaches the bundle, with a JSON error saying why.
	big := fmt.Sprintf(`{"expected_version":%.0f,"rows":[`, wave.Version)
	row := `{"line":1,"value":"` + strings.Repeat("x", 300) + `"},`
	big += strings.Repeat(row, 10*1024*1024/len(row)) + `{"line":2,"value":"y"}]}`
	r := call(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/csv", token, []byte(big))
	if r.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("10 MB CSV upload: want 413, got %s", r)
	}
	if id, message := r.errorBody(t); id != "cockpit.request.too_large" || !strings.Contains(message, "1 MiB") {
		t.Fatalf("10 MB CSV upload: error %q %q", id, message)
	}
	var unchanged contract.WaveResponse
	waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID, token, nil, http.StatusOK, &unchanged)
	if unchanged.Version != wave.Version {
		t.Fatalf("the refused upload changed the wave: version %.0f → %.0f", wave.Version, unchanged.Version)
	}

	// The dry run sees everyone, and says who cannot be onboarded.
	var dry contract.DryRunReport
	tDry := time.Now()
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/dry-run", token, map[string]any{}, http.StatusOK, &dry)
	t.Logf("dry run of %.0f users: %s", dry.CohortSize, time.Since(tDry).Round(time.Millisecond))
	if dry.CohortSize != float64(total) || dry.CannotAdd.Deactivated != retiredN || len(dry.CSVProblems) != 1 ||
		dry.CSVProblems[0].Reason != "no such user" {
		t.Fatalf("dry run: %+v", dry)
	}
	// The outsiders are not in the synced channel's group: the dry run predicts its refusals. Memberships
	// are checked for at most 5,000 users, so with more only those checked can be counted.
	if checkedAll := dry.MembershipChecked == float64(total-retiredN); (checkedAll && dry.CannotAdd.GroupSynced != outsidersN) ||
		dry.CannotAdd.GroupSynced > outsidersN {
		t.Fatalf(
			"dry run: %.0f users refused by the group-synced channel, want %d (checked %.0f): %+v",
			dry.CannotAdd.GroupSynced,
			outsidersN,
			dry.MembershipChecked,
			dry,
		)
	}

	// Start (the first batches run in the request), then tick as fast as the server answers until ~40 %.
	tRun := time.Now()
	started := startWave(t, token, wave)
	if started.State != "running" || started.Progress.Total != float64(total) {
		t.Fatalf("after start: %+v", started)
	}
	// The server's cost per join grows with the channel (each join posts a system message whose
	// notification pass reads every member of the channel): 30 minutes up to 2,500
	// users, then 0.72 s per user (measured here: 3,763 of 5,050 in 30 minutes on 2 cores).
	limit := max(30*time.Minute, time.Duration(total)*720*time.Millisecond)
	progress := started.Progress
	for progress.Processed < float64(total*2/5) {
		if time.Since(tRun) > limit*2/3 {
			t.Fatalf("the wave is too slow: %+v after %s", progress, time.Since(tRun))
		}
		if p, status := tickWave(t, token, wave.ID); status == http.StatusOK {
			progress = p
		} else {
			progress = waveProgressOf(t, token, wave.ID)
		}
	}
	t.Logf("40 %%: %.0f/%d in %s", progress.Processed, total, time.Since(tRun).Round(time.Millisecond))

	// Disable the plugin while a batch is in flight, then enable it again.
	var wg sync.WaitGroup
	wg.Go(func() {
		// Its answer does not matter: the plugin goes away under it.
		req, _ := http.NewRequest(http.MethodPost, pluginURL("/api/v1/waves/"+wave.ID+"/tick"), strings.NewReader(`{}`))
		req.Header.Set("Authorization", "Bearer "+token)
		if resp, doErr := http.DefaultClient.Do(req); doErr == nil {
			_ = resp.Body.Close()
		}
	})
	time.Sleep(1500 * time.Millisecond)
	tRestart := time.Now()
	if _, disableErr := env.adminClient.DisablePlugin(ctx(t), mmserver.PluginID); disableErr != nil {
		t.Fatal(disableErr)
	}
	if waitErr2 := mmserver.WaitPluginState(
		env.adminClient,
		mmserver.PluginID,
		model.PluginStateNotRunning,
		60*time.Second,
	); waitErr2 != nil {
		t.Fatal(waitErr2)
	}
	wg.Wait()
	if _, enableErr := env.adminClient.EnablePlugin(ctx(t), mmserver.PluginID); enableErr != nil {
		t.Fatal(enableErr)
	}
	if waitErr := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateRunning, 60*time.Second); waitErr != nil {
		t.Fatal(waitErr)
	}
	mid := waveProgressOf(t, token, wave.ID)
	t.Logf(
		"plugin disabled and enabled in %s; the wave stands at %s %.0f/%.0f",
		time.Since(tRestart).Round(time.Millisecond),
		mid.State,
		mid.Processed,
		mid.Total,
	)
	if mid.State != "running" || mid.Processed >= float64(total) {
		t.Fatalf("the wave finished before the restart; nothing was resumed: %+v", mid)
	}

	// Resume: ticks again (the job, scheduled again on activation, helps too) until it leaves `running`.
	progress = mid
	for progress.State == "running" {
		if time.Since(tRun) > limit {
			t.Fatalf("the wave did not complete within %s: %+v", limit, progress)
		}
		if _, status := tickWave(t, token, wave.ID); status == http.StatusServiceUnavailable {
			time.Sleep(200 * time.Millisecond)
		}
		progress = waveProgressOf(t, token, wave.ID)
	}
	elapsed := time.Since(tRun)
	t.Logf("WAVE AT SCALE: %d users (team + 3 channels + DM each) in %s including the plugin restart: %.1f users/s; final %+v",
		total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), progress)
	c := progress.Counts
	if progress.State != "completed_with_failures" || progress.Processed != float64(total) || c.Skipped != retiredN ||
		c.Failed != outsidersN ||
		c.Welcomed != n ||
		c.Added+c.AlreadyMember != n {
		t.Fatalf("final progress: %+v", progress)
	}
	// Users of the batch in flight at the restart may count as already members; never more than a batch.
	if c.AlreadyMember > 1000 {
		t.Fatalf("%d users counted as already members", c.AlreadyMember)
	}

	// The reasons, paged through the results API.
	var page contract.WaveResultsPage
	waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/results?outcome=skipped&per_page=100", token, nil, http.StatusOK, &page)
	if page.Total != retiredN {
		t.Fatalf("%.0f skipped results, want %d", page.Total, retiredN)
	}
	for _, r := range page.Results {
		if r.Reason != "deactivated" || r.Welcome != "not_sent" {
			t.Fatalf("skipped result %+v", r)
		}
	}
	waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/results?outcome=failed&per_page=100", token, nil, http.StatusOK, &page)
	outsider := map[string]bool{}
	for _, id := range ids(outsiders) {
		outsider[id] = true
	}
	if page.Total != outsidersN {
		t.Fatalf("%.0f failed results, want %d", page.Total, outsidersN)
	}
	for _, r := range page.Results {
		if !outsider[r.UserID] || !strings.Contains(r.Reason, "Channel synced"+sfx) ||
			!strings.Contains(r.Reason, "api.channel.add_members.user_denied") ||
			r.Welcome != "not_sent" {
			t.Fatalf("failed result %+v", r)
		}
	}
	waveCall(
		t,
		http.MethodGet,
		fmt.Sprintf("/api/v1/waves/%s/results?per_page=1000&page=%d", wave.ID, total/1000),
		token,
		nil,
		http.StatusOK,
		&page,
	)
	if page.Total != float64(total) || len(page.Results) != total%1000 {
		t.Fatalf("last results page: total %.0f, %d rows", page.Total, len(page.Results))
	}

	// Memberships, from the database: everyone in the team, info and help (as channel admins), synced
	// only the group's members; nobody deactivated anywhere.
	db := env.s.DB()
	count := func(query string, args ...any) int {
		t.Helper()
		var k int
		if scanErr := db.QueryRow(query, args...).Scan(&k); scanErr != nil {
			t.Fatal(scanErr)
		}
		return k
	}
	want := ids(users)
	if got := count(
		`SELECT count(*) FROM TeamMembers WHERE TeamId = $1 AND DeleteAt = 0 AND UserId = ANY($2)`,
		target.Id,
		pq.Array(want),
	); got != n {
		t.Fatalf("%d of %d users are members of the target team", got, n)
	}
	for _, ch := range []*model.Channel{info, help, synced} {
		if got := count(`SELECT count(*) FROM ChannelMembers WHERE ChannelId = $1 AND UserId = ANY($2)`, ch.Id, pq.Array(want)); got != n {
			t.Fatalf("%d of %d users are members of %s", got, n, ch.Name)
		}
	}
	if got := count(
		`SELECT count(*) FROM ChannelMembers WHERE ChannelId = $1 AND SchemeAdmin AND UserId = ANY($2)`,
		help.Id,
		pq.Array(want),
	); got != n {
		t.Fatalf("%d of %d users are channel admins of %s", got, n, help.Name)
	}
	if got := count(
		`SELECT count(*) FROM ChannelMembers WHERE ChannelId = $1 AND UserId = ANY($2)`,
		synced.Id,
		pq.Array(ids(outsiders)),
	); got != 0 {
		t.Fatalf("%d people outside the group joined the synced channel", got)
	}
	if got := count(
		`SELECT count(*) FROM TeamMembers WHERE TeamId = $1 AND UserId = ANY($2)`,
		target.Id,
		pq.Array(ids(retired)),
	); got != 0 {
		t.Fatalf("%d deactivated people were added to the team", got)
	}

	// Exactly one welcome DM per user, and none for the others: every bot post of this wave, by marker.
	bot := botID(t)
	rows, err := db.Query(
		`SELECT props->>'cockpit_welcome', count(*) FROM posts WHERE userid = $1 AND props->>'cockpit_welcome' LIKE $2 AND `+
			`deleteat = 0 GROUP BY 1`,
		bot,
		wave.ID+":%",
	)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	dms := map[string]int{}
	for rows.Next() {
		var marker string
		var k int
		if err := rows.Scan(&marker, &k); err != nil {
			t.Fatal(err)
		}
		dms[marker] = k
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(dms) != n {
		t.Fatalf("%d users got a welcome DM, want %d", len(dms), n)
	}
	for _, id := range want {
		if k := dms[wave.ID+":"+id]; k != 1 {
			t.Fatalf("user %s got %d welcome DMs", id, k)
		}
	}
	// As the users themselves see it (REST), for a few of them, the restart's neighbourhood included.
	for _, u := range []*model.User{users[0], users[int(mid.Processed)%n], users[n-1]} {
		c, err := env.s.Login(u.Username)
		if err != nil {
			t.Fatal(err)
		}
		posts := botDMPosts(t, c, u.Id)
		if len(posts.Order) != 1 || posts.Posts[posts.Order[0]].UserId != bot ||
			!strings.HasPrefix(posts.Posts[posts.Order[0]].Message, "Welcome User") {
			t.Fatalf("%s sees %d posts in the bot DM, want 1 welcome", u.Username, len(posts.Order))
		}
	}
}
