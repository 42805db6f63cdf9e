package cockpit

// Adoption metrics against the real server: the daily job stores one snapshot for the UTC day, and
// the numbers the system.activity binding reads from the database match the server's own statistics
// (GET /api/v4/analytics/old?name=standard) after users log in and post through the API.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func getAdoption(t *testing.T) contract.AdoptionResponse {
	t.Helper()
	r := call(t, http.MethodGet, "/api/v1/adoption", env.adminClient.AuthToken, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/adoption: %s", r)
	}
	var a contract.AdoptionResponse
	if err := json.Unmarshal(r.Body, &a); err != nil {
		t.Fatalf("adoption answer: %v: %s", err, r)
	}
	return a
}

// freshAdoption drops the cached measurement so the next GET measures through system.activity now.
func freshAdoption(t *testing.T) contract.AdoptionResponse {
	t.Helper()
	if _, err := env.s.DB().ExecContext(
		ctx(t),
		`DELETE FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey = 'adoption:current'`,
		mmserver.PluginID,
	); err != nil {
		t.Fatal(err)
	}
	a := getAdoption(t)
	if a.Cached || a.Current == nil {
		t.Fatalf("expected a fresh measurement, got cached=%v current=%v", a.Cached, a.Current)
	}
	return a
}

func serverStats(t *testing.T) map[string]float64 {
	t.Helper()
	rows, _, err := env.adminClient.GetAnalyticsOld(ctx(t), "standard", "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, row := range rows {
		out[row.Name] = row.Value
	}
	return out
}

func TestAdoptionDailyJobAndNumbers(t *testing.T) {
	today := time.Now().UTC().Format("2006-01-02")

	// The job is scheduled on activation and first runs at once: one snapshot for today, written once.
	var a contract.AdoptionResponse
	if err := mmserver.WaitFor(60*time.Second, func() error {
		a = getAdoption(t)
		if !a.Cached || len(a.Daily) == 0 {
			return fmt.Errorf("no measurement yet (cached=%v, days=%d)", a.Cached, len(a.Daily))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := a.Daily[len(a.Daily)-1].Day; got != today {
		t.Fatalf("last daily snapshot is %s, want %s", got, today)
	}
	var dayKeys int
	if err := env.s.DB().QueryRowContext(ctx(t),
		`SELECT COUNT(*) FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey LIKE 'adoption:day:%'`,
		mmserver.PluginID).Scan(&dayKeys); err != nil {
		t.Fatal(err)
	}
	if dayKeys != 1 {
		t.Fatalf("%d adoption:day keys, want exactly 1", dayKeys)
	}

	before := freshAdoption(t).Current.Numbers

	// Seed activity: new users log in, set themselves online and post.
	users, err := env.s.CreateUsers(3, mmserver.UserOptions{Prefix: "adopt" + model.NewId()[:6] + "-", Teams: []*model.Team{env.teamA}})
	if err != nil {
		t.Fatal(err)
	}
	channel, _, err := env.adminClient.GetChannelByName(ctx(t), "town-square", env.teamA.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	const postsEach = 2
	for _, u := range users {
		c, err := env.s.Login(u.Username)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.UpdateUserStatus(ctx(t), u.Id, &model.Status{UserId: u.Id, Status: model.StatusOnline}); err != nil {
			t.Fatal(err)
		}
		for i := range postsEach {
			if _, _, err := c.CreatePost(ctx(t), &model.Post{ChannelId: channel.Id, Message: fmt.Sprintf("hello %d", i)}); err != nil {
				t.Fatal(err)
			}
		}
	}

	// The server persists statuses asynchronously: wait until its own DAU sees the new users, then compare.
	var stats map[string]float64
	var after contract.AdoptionNumbers
	if err := mmserver.WaitFor(30*time.Second, func() error {
		stats = serverStats(t)
		after = freshAdoption(t).Current.Numbers
		if int(stats["daily_active_users"]) < before.DailyActive+len(users) {
			return fmt.Errorf("server DAU %v, want ≥ %d", stats["daily_active_users"], before.DailyActive+len(users))
		}
		if after.DailyActive != int(stats["daily_active_users"]) || after.MonthlyActive != int(stats["monthly_active_users"]) {
			return fmt.Errorf(
				"cockpit DAU/MAU %d/%d, server %v/%v",
				after.DailyActive,
				after.MonthlyActive,
				stats["daily_active_users"],
				stats["monthly_active_users"],
			)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, want := after.PostsLastDay-before.PostsLastDay, len(users)*postsEach; got != want {
		t.Errorf("posts in the last 24 h grew by %d, want %d (the seeded posts; join messages are system posts)", got, want)
	}
	if after.ActiveChannels < 1 {
		t.Errorf("active channels %d, want ≥ 1 (town-square got posts)", after.ActiveChannels)
	}
	if got, want := after.TotalUsers-before.TotalUsers, len(users); got != want {
		t.Errorf("total users grew by %d, want %d", got, want)
	}
	if after.WeeklyActive < after.DailyActive || after.MonthlyActive < after.WeeklyActive {
		t.Errorf("windows not nested: %+v", after)
	}
	t.Logf(
		"cockpit %+v; server daily_active_users=%v monthly_active_users=%v",
		after,
		stats["daily_active_users"],
		stats["monthly_active_users"],
	)

	// Still one snapshot for today: page views and re-measurements never add one.
	if err := env.s.DB().QueryRowContext(ctx(t),
		`SELECT COUNT(*) FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey LIKE 'adoption:day:%'`,
		mmserver.PluginID).Scan(&dayKeys); err != nil {
		t.Fatal(err)
	}
	if dayKeys != 1 {
		t.Fatalf("%d adoption:day keys after page views, want 1", dayKeys)
	}
}

func TestAdoptionForbiddenForMembers(t *testing.T) {
	c, err := env.s.Login(env.member)
	if err != nil {
		t.Fatal(err)
	}
	for _, route := range []string{
		"/api/v1/adoption",
		"/api/v1/adoption/export?series=daily",
		"/api/v1/adoption/export?series=waves",
		"/api/v1/adoption/export?series=targets",
	} {
		if r := call(t, http.MethodGet, route, c.AuthToken, nil); r.Status != http.StatusForbidden {
			t.Errorf("member GET %s: %s, want 403", route, r)
		}
	}
}

// TestBrowserAdoption runs e2e/browser/adoption.spec.mjs against the front door (screenshot:
// e2e/artifacts/adoption-desktop.png or $ARTIFACTS_DIR).
// A wave has been measured first, so the per-wave bar charts have data.
func TestBrowserAdoption(t *testing.T) {
	waveID, _ := seedAdoptionWave(t)
	if a := getAdoptionWaves(t); a.Current == nil || !a.Cached || a.Current.Waves[waveID].Cohort == 0 {
		measureWavesNow(t, waveID)
	}
	runBrowserSpec(t, "adoption.spec.mjs", "ARTIFACTS_DIR="+artifactsDir())
}

func adoptionKV(t *testing.T, key string) string {
	t.Helper()
	b, appErr := env.s.App.GetPluginKey(mmserver.PluginID, key)
	if appErr != nil {
		t.Fatalf("read KV %s: %v", key, appErr)
	}
	return string(b)
}

// restartPlugin disables and enables the plugin; the scheduler's record of the adoption job's last
// run is removed first, so the job runs again at once on activation (a second run the same day, as
// a second node or a restart would do).
func restartPluginForcingAdoptionRun(t *testing.T) {
	t.Helper()
	if _, err := env.adminClient.DisablePlugin(ctx(t), mmserver.PluginID); err != nil {
		t.Fatal(err)
	}
	if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateNotRunning, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	res, err := env.s.DB().
		ExecContext(
			ctx(t),
			`DELETE FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey = 'cron_cockpit_adoption.refresh'`,
			mmserver.PluginID,
		)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("the adoption job's scheduler record: %d rows, want 1 (key renamed?)", n)
	}
	if _, err := env.adminClient.EnablePlugin(ctx(t), mmserver.PluginID); err != nil {
		t.Fatal(err)
	}
	if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateRunning, 60*time.Second); err != nil {
		t.Fatal(err)
	}
}

// The job runs again the same day (a restart, or another node after the scheduler's interval): it
// refreshes the current numbers and takes a load sample, but the day's snapshot stays the first one.
// The load sample's sessions equal the server's own count; its database connections cover the
// server's pools.
func TestAdoptionJobOncePerDayAndServerLoad(t *testing.T) {
	today := time.Now().UTC().Format("2006-01-02")
	if err := mmserver.WaitFor(60*time.Second, func() error {
		if a := getAdoption(t); len(a.Daily) == 0 {
			return fmt.Errorf("no daily snapshot yet")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	dayBefore := adoptionKV(t, "adoption:day:"+today)
	// Other tests drop the cached measurement (freshAdoption): 0 then, and any run of the job is newer.
	var currentBefore int
	if a := getAdoption(t); a.Cached {
		currentBefore = a.Current.TakenAt
	}

	restartPluginForcingAdoptionRun(t)
	var a contract.AdoptionResponse
	if err := mmserver.WaitFor(60*time.Second, func() error {
		r := call(t, http.MethodGet, "/api/v1/adoption", env.adminClient.AuthToken, nil)
		if err := json.Unmarshal(r.Body, &a); err != nil {
			return err
		}
		if !a.Cached || a.Current == nil || a.Current.TakenAt <= currentBefore {
			return fmt.Errorf("the job has not run again yet")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := adoptionKV(t, "adoption:day:"+today); got != dayBefore {
		t.Fatalf("the day's snapshot changed on a second run:\nbefore %s\nafter  %s", dayBefore, got)
	}
	if !strings.HasPrefix(dayBefore, `{"version":1,`) {
		t.Fatalf("the day's snapshot was written more than once: %s", dayBefore)
	}
	var dayKeys int
	if err := env.s.DB().QueryRowContext(ctx(t),
		`SELECT COUNT(*) FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey LIKE 'adoption:day:%'`,
		mmserver.PluginID).Scan(&dayKeys); err != nil {
		t.Fatal(err)
	}
	if dayKeys != 1 {
		t.Fatalf("%d adoption:day keys after a second run, want 1", dayKeys)
	}

	// Two activations, two samples at least; the newest is the run just forced.
	if len(a.Load) < 2 {
		t.Fatalf("%d load samples, want ≥ 2 (one per job run)", len(a.Load))
	}
	latest := a.Load[len(a.Load)-1]
	if latest.TakenAt != a.Current.TakenAt {
		t.Fatalf("latest load sample at %d, the run at %d", latest.TakenAt, a.Current.TakenAt)
	}
	extra, _, err := env.adminClient.GetAnalyticsOld(ctx(t), "extra_counts", "")
	if err != nil {
		t.Fatal(err)
	}
	var sessions float64 = -1
	for _, row := range extra {
		if row.Name == "session_count" {
			sessions = row.Value
		}
	}
	// Nobody signed in or out since the sample: the same rows, the same query as the server's.
	if latest.ActiveSessions != int(sessions) {
		t.Errorf("active sessions: cockpit %d, server session_count %v", latest.ActiveSessions, sessions)
	}
	stats := serverStats(t)
	pools := int(stats["total_master_db_connections"] + stats["total_read_db_connections"])
	var maxConnections int
	if err := env.s.DB().QueryRowContext(ctx(t), `SELECT setting::bigint FROM pg_settings WHERE name = 'max_connections'`).Scan(
		&maxConnections,
	); err != nil {
		t.Fatal(err)
	}
	// The server's pools (this node) open and close connections between the sample and now, so they are
	// logged, not compared; the sample counts at least the connection that read it.
	if latest.DBConnections < 1 || latest.DBConnections > maxConnections || latest.DBMaxConnections != maxConnections {
		t.Errorf("database connections %d of %d; PostgreSQL allows %d", latest.DBConnections, latest.DBMaxConnections, maxConnections)
	}
	t.Logf("load sample %+v; server session_count=%v, pools=%d", latest, sessions, pools)
}

// The per-wave numbers and the provisioned base, against the real server: a wave of 4 people runs; one
// of them logs in and posts; the adoption job (forced to run again) stores the wave's funnel and
// feedback equal to the waves' own live funnel, and the users provisioned by all waves equal the sum
// of the waves' run counts; a "% of provisioned" target resolves against that sum; the CSVs carry it.

func getAdoptionWaves(t *testing.T) contract.AdoptionResponse {
	t.Helper()
	var a contract.AdoptionResponse
	waveCall(t, http.MethodGet, "/api/v1/adoption", env.adminClient.AuthToken, nil, http.StatusOK, &a)
	return a
}

// adoptionWave is the wave seeded for the adoption tests (one per test binary run).
var adoptionWave struct {
	id, name string
}

// seedAdoptionWave runs a wave of 4 people to its end (once); one of them then logs in and posts.
func seedAdoptionWave(t *testing.T) (id, name string) {
	t.Helper()
	if adoptionWave.id != "" {
		return adoptionWave.id, adoptionWave.name
	}
	admin := env.adminClient.AuthToken
	sfx := model.NewId()[:6]
	source, err := env.s.CreateTeam("adws" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	target, err := env.s.CreateTeam("adwt" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	users, err := env.s.CreateUsers(4, mmserver.UserOptions{Prefix: "adw" + sfx + "-", Teams: []*model.Team{source}})
	if err != nil {
		t.Fatal(err)
	}
	name = "Adoption pilot " + sfx
	wave := createWave(t, admin, map[string]any{
		"name": name, "cohort": map[string]any{"team_ids": []string{source.Id}}, "targets": map[string]any{
			"teams": []any{map[string]any{"team_id": target.Id}},
		},
		"welcome":  map[string]any{"enabled": true, "template": "Welcome {{first_name}}", "help_link": ""},
		"feedback": map[string]any{"enabled": true},
	})
	startWave(t, admin, wave)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var progress contract.WaveProgress
		waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/progress", admin, nil, http.StatusOK, &progress)
		if progress.State == contract.WaveStateCompleted {
			break
		}
		if progress.State != contract.WaveStateRunning || time.Now().After(deadline) {
			t.Fatalf("the adoption wave did not complete: %+v", progress)
		}
		time.Sleep(500 * time.Millisecond)
	}
	// After the wave reached them: two log in and answer the welcome DM's feedback question (the
	// buttons, through the server's post action route: 👍 and "I need help"); one of them posts.
	channel, _, err := env.adminClient.GetChannelByName(ctx(t), "town-square", target.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	for i, button := range []int{0, 2} {
		c, err := env.s.Login(users[i].Username)
		if err != nil {
			t.Fatal(err)
		}
		var postID string
		if scanErr := env.s.DB().QueryRowContext(ctx(t), `SELECT p.Id FROM Posts p JOIN ChannelMembers m ON m.ChannelId = p.ChannelId
			WHERE m.UserId = $1 AND p.Props::text LIKE '%cockpit_welcome%' AND p.DeleteAt = 0`, users[i].Id).Scan(&postID); scanErr != nil {
			t.Fatalf("%s's welcome DM: %v", users[i].Username, scanErr)
		}
		post, _, err := c.GetPost(ctx(t), postID, "")
		if err != nil {
			t.Fatal(err)
		}
		attachments := post.Attachments()
		if len(attachments) != 1 || len(attachments[0].Actions) != 3 {
			t.Fatalf("welcome attachments: %+v", attachments)
		}
		if _, err := c.DoPostAction(ctx(t), postID, attachments[0].Actions[button].Id); err != nil {
			t.Fatalf("feedback click: %v", err)
		}
		if i == 0 {
			if _, _, err := c.CreatePost(ctx(t), &model.Post{ChannelId: channel.Id, Message: "hello from the pilot"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	adoptionWave.id, adoptionWave.name = wave.ID, name
	return wave.ID, name
}

// measureWavesNow forces a run of the adoption job and waits until its measurement holds the wave.
func measureWavesNow(t *testing.T, waveID string) contract.AdoptionResponse {
	t.Helper()
	var before int
	if a := getAdoptionWaves(t); a.Cached && a.Current != nil {
		before = a.Current.TakenAt
	}
	restartPluginForcingAdoptionRun(t)
	var a contract.AdoptionResponse
	if err := mmserver.WaitFor(60*time.Second, func() error {
		a = getAdoptionWaves(t)
		if !a.Cached || a.Current == nil || a.Current.TakenAt <= before {
			return fmt.Errorf("the job has not run again yet")
		}
		if _, ok := a.Current.Waves[waveID]; !ok {
			return fmt.Errorf("the wave is not in the measurement: %+v", a.Current.Waves)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAdoptionPerWaveAndProvisionedTarget(t *testing.T) {
	admin := env.adminClient.AuthToken
	waveID, name := seedAdoptionWave(t)
	a := measureWavesNow(t, waveID)

	got := a.Current.Waves[waveID]
	var live contract.ActivationFunnel
	waveCall(t, http.MethodGet, "/api/v1/waves/"+waveID+"/activation", admin, nil, http.StatusOK, &live)
	if got.Name != name || got.Cohort != 4 || got.Provisioned != 4 || got.Welcomed != 4 || got.LoggedIn != 2 || got.Posted != 1 ||
		got.Feedback.Great != 1 || got.Feedback.OK != 0 || got.Feedback.Help != 1 {
		t.Errorf(
			"stored wave %+v, want %q with cohort, provisioned and welcomed 4, 2 logged in, 1 posted, feedback 1 great and 1 help",
			got,
			name,
		)
	}
	stored := []float64{
		float64(got.Cohort), float64(got.Provisioned), float64(got.Welcomed), float64(got.LoggedIn), float64(got.Posted),
		float64(got.Feedback.Great), float64(got.Feedback.OK), float64(got.Feedback.Help),
	}
	own := []float64{
		live.Cohort,
		live.Provisioned,
		live.Welcomed,
		live.LoggedIn,
		live.Posted,
		live.Feedback.Great,
		live.Feedback.OK,
		live.Feedback.Help,
	}
	if !slices.Equal(stored, own) {
		t.Errorf("stored wave %+v, the waves' own funnel %+v", got, live)
	}

	// Provisioned: the sum of every wave's added + already members + accounts it created.
	var waves contract.WaveSummaryList
	waveCall(t, http.MethodGet, "/api/v1/waves", admin, nil, http.StatusOK, &waves)
	sum := 0
	for _, w := range waves {
		sum += w.Progress.Counts.Added + w.Progress.Counts.AlreadyMember + w.Progress.Counts.Created
	}
	if a.Current.Numbers.Provisioned == nil || *a.Current.Numbers.Provisioned != sum {
		t.Fatalf("provisioned %v, the waves' counts sum to %d", a.Current.Numbers.Provisioned, sum)
	}

	// A "% of provisioned" target resolves against that sum (rounded up).
	r := call(
		t,
		http.MethodPut,
		"/api/v1/adoption/targets",
		admin,
		mustJSON(t, map[string]any{"expected_version": a.TargetsVersion, "targets": []any{
			map[string]any{
				"id":        "mau-prov",
				"metric":    "monthly_active",
				"kind":      "percent",
				"threshold": 80,
				"base":      "provisioned",
				"due":       "2027-03-01",
			},
		}}),
	)
	if r.Status != http.StatusOK {
		t.Fatalf("PUT targets: %s", r)
	}
	t.Cleanup(func() {
		var now contract.AdoptionResponse
		waveCall(t, http.MethodGet, "/api/v1/adoption", admin, nil, http.StatusOK, &now)
		call(
			t,
			http.MethodPut,
			"/api/v1/adoption/targets",
			admin,
			mustJSON(t, map[string]any{"expected_version": now.TargetsVersion, "targets": []any{}}),
		)
	})
	a = getAdoptionWaves(t)
	if len(a.Progress) != 1 || a.Progress[0].Target.Base != "provisioned" || a.Progress[0].Goal == nil ||
		*a.Progress[0].Goal != float64((80*sum+99)/100) {
		t.Fatalf("progress %+v, want a goal of 80 %% of %d", a.Progress, sum)
	}

	// The CSVs: the wave's row, the target's base and goal, the provisioned count.
	csv := func(series string) string {
		r := call(t, http.MethodGet, "/api/v1/adoption/export?series="+series, admin, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("export %s: %s", series, r)
		}
		return string(r.Body)
	}
	if body := csv("waves"); !strings.Contains(body, fmt.Sprintf(`"%s","%s","4","4","4","2","1","1","0","1",`, waveID, name)) {
		t.Errorf("waves CSV lacks the wave's row:\n%s", body)
	}
	if body := csv("targets"); !strings.Contains(body, `"mau-prov","","monthly_active","percent","80","provisioned","2027-03-01",`) ||
		!strings.Contains(body, fmt.Sprintf(`,"%d",`, (80*sum+99)/100)) {
		t.Errorf("targets CSV:\n%s", body)
	}
	if body := csv("current"); !strings.Contains(body, fmt.Sprintf(`"provisioned","%d",`, sum)) {
		t.Errorf("current CSV:\n%s", body)
	}
	if r := call(t, http.MethodGet, "/api/v1/adoption/export?series=users", admin, nil); r.Status != http.StatusBadRequest ||
		!strings.Contains(string(r.Body), `"id"`) {
		t.Errorf("unknown series: %s, want 400 {error:{id,message}}", r)
	}
}
