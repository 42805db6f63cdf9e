package cockpit

// Crashes at several moments: the plugin process is SIGKILLed (hardening_kill_test.go) while a write
// is in flight, at fractions of the time the same write takes when nothing goes wrong (0 = as the
// request leaves, then about a third and two thirds of the way through), so the kill is not one lucky
// timing. After each kill the plugin is brought back (disable + enable) and the state is checked:
//
//   - wave: one wave of a few hundred users, a tick killed at each moment, then driven to the end:
//     every user is a member of the target team and channel, with exactly one welcome DM, none missed;
//   - plan import: a large import killed at each moment, and once the instant the plan record changes
//     in the database: the stored record is byte for byte the old one, or exactly the imported
//     content one version later with its audit entry;
//   - branding apply: killed at each moment, and once the instant the server's config holds the new
//     value (polled in-process): the config, the history head and the version record are all the new
//     ones (with the audit entry), or none of them changed;
//   - role-template approval: a team admin approves a template for several channels, killed at each
//     moment: per channel, applied (the settings on the server, the audit entry), or untouched and
//     still decidable or retryable; never a channel changed in part, never one stuck.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// killMoments are the kill times as fractions of the undisturbed duration of the same request.
var killMoments = []float64{0, 0.35, 0.7}

// inflight sends one plugin request in the background; wait returns its status (0 = no answer).
type inflight struct{ done chan int }

func sendInflight(method, route, token string, body []byte) inflight {
	f := inflight{done: make(chan int, 1)}
	go func() {
		req, err := http.NewRequest(method, pluginURL(route), bytes.NewReader(body))
		if err != nil {
			f.done <- 0
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		client := &http.Client{Timeout: 90 * time.Second}
		resp, err := client.Do(req)
		if err != nil {
			f.done <- 0
			return
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		f.done <- resp.StatusCode
	}()
	return f
}

func (f inflight) wait() int { return <-f.done }

// killDuring sends the request, SIGKILLs the plugin after `after`, waits for the request's end and
// restarts the plugin. Returns the request's status and the restart time.
func killDuring(t *testing.T, after time.Duration, method, route, token string, body []byte) (int, time.Duration) {
	t.Helper()
	f := sendInflight(method, route, token, body)
	time.Sleep(after)
	sigkillPlugin(t)
	status := f.wait()
	return status, restartKilledPlugin(t)
}

// killWhen sends the request and SIGKILLs the plugin the moment `reached` says so (polled every
// millisecond; at the latest when the request ends), then restarts the plugin.
func killWhen(t *testing.T, reached func() bool, method, route, token string, body []byte) (int, time.Duration) {
	t.Helper()
	f := sendInflight(method, route, token, body)
	status := -1
	for status < 0 && !reached() {
		select {
		case status = <-f.done:
		case <-time.After(time.Millisecond):
		}
	}
	sigkillPlugin(t)
	if status < 0 {
		status = f.wait()
	}
	return status, restartKilledPlugin(t)
}

func momentName(fraction float64, d time.Duration) string {
	return fmt.Sprintf("at_%.0fpct_%dms", fraction*100, time.Duration(fraction*float64(d)).Milliseconds())
}

// kvRaw reads a plugin KV value straight from the database (nil when absent).
func kvRaw(t *testing.T, key string) []byte {
	t.Helper()
	var value []byte
	err := env.s.DB().
		QueryRowContext(ctx(t), `SELECT PValue FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey = $2`, mmserver.PluginID, key).
		Scan(&value)
	if err != nil {
		return nil
	}
	return value
}

// auditCount counts the audit entries with this action and target written at or after `since` (ms).
func auditCount(t *testing.T, action, target string, since int64) int {
	t.Helper()
	var n int
	err := env.s.DB().QueryRowContext(ctx(t), `SELECT count(*) FROM PluginKeyValueStore
		WHERE PluginId = $1 AND PKey LIKE 'audit:entry:%'
		  AND convert_from(PValue, 'UTF8')::jsonb->'value'->>'action' = $2
		  AND convert_from(PValue, 'UTF8')::jsonb->'value'->>'target' = $3
		  AND (convert_from(PValue, 'UTF8')::jsonb->'value'->>'at')::bigint >= $4`,
		mmserver.PluginID, action, target, since).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestHardeningCrashMidWaveTick(t *testing.T) {
	const n = 200
	token := env.adminClient.AuthToken
	sfx := model.NewId()[:6]
	source, err := env.s.CreateTeam("crs" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	target, err := env.s.CreateTeam("crt" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	channel, err := env.s.CreateChannel(target, "crash"+sfx, false)
	if err != nil {
		t.Fatal(err)
	}
	users, err := env.s.CreateUsers(n, mmserver.UserOptions{Prefix: "cr" + sfx + "-", Teams: []*model.Team{source}})
	if err != nil {
		t.Fatal(err)
	}
	// The cohort is whoever is in the source team (the server may add accounts of its own).
	var cohort []string
	rows, err := env.s.DB().QueryContext(ctx(t), `SELECT UserId FROM TeamMembers WHERE TeamId = $1 AND DeleteAt = 0`, source.Id)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if scanErr3 := rows.Scan(&id); scanErr3 != nil {
			t.Fatal(scanErr3)
		}
		cohort = append(cohort, id)
	}
	_ = rows.Close()
	if len(cohort) < n {
		t.Fatalf("the source team has %d members, want at least the %d created", len(cohort), len(users))
	}

	// 2 users/s: a run takes 2 × (10 s + its own time) users, so a tick is a few dozen users: several
	// ticks, each long enough to be killed in the middle.
	wave := createWave(t, token, map[string]any{
		"name":   "Crash wave " + sfx,
		"cohort": map[string]any{"team_ids": []string{source.Id}},
		"targets": map[string]any{
			"teams":    []map[string]any{{"team_id": target.Id}},
			"channels": []map[string]any{{"channel_id": channel.Id}},
		},
		"welcome":  map[string]any{"enabled": true, "template": "Welcome {{first_name}} to {{team}}", "help_link": ""},
		"throttle": map[string]any{"users_per_second": 2},
	})
	startWave(t, token, wave)

	// tickUntilServed ticks until a run gets the wave's lock (a killed run's lock expires after 15 s).
	tickUntilServed := func() (contract.WaveProgress, time.Duration) {
		deadline := time.Now().Add(60 * time.Second)
		for {
			t0 := time.Now()
			p, status := tickWave(t, token, wave.ID)
			if status == http.StatusOK {
				return p, time.Since(t0)
			}
			if status == http.StatusConflict || time.Now().After(deadline) {
				t.Fatalf("tick: HTTP %d; progress %+v", status, waveProgressOf(t, token, wave.ID))
			}
			time.Sleep(250 * time.Millisecond)
		}
	}
	before, d := tickUntilServed()
	t.Logf("undisturbed tick: %s, %.0f/%.0f processed", d.Round(time.Millisecond), before.Processed, before.Total)

	kills := 0
	for _, fraction := range killMoments {
		after := time.Duration(fraction * float64(d))
		pre := waveProgressOf(t, token, wave.ID)
		if pre.State != "running" {
			// The background job also moves the wave, so on a fast machine it can end early; the
			// kills that did land mid-run are checked below (at least two are required).
			t.Logf("the wave ended before the kill %s: %+v", momentName(fraction, d), pre)
			break
		}
		kills++
		status, restart := killDuring(t, after, http.MethodPost, "/api/v1/waves/"+wave.ID+"/tick", token, []byte(`{}`))
		post := waveProgressOf(t, token, wave.ID)
		t.Logf(
			"kill %s: tick answered %d; %.0f → %.0f processed; plugin back in %s",
			momentName(fraction, d),
			status,
			pre.Processed,
			post.Processed,
			restart.Round(time.Millisecond),
		)
		if post.Processed < pre.Processed || post.State != "running" && post.State != "completed" {
			t.Fatalf("after the kill: %+v (before %+v)", post, pre)
		}
		if post.State == "running" {
			tickUntilServed() // the dead run's lock expired: the next kill hits real work again
		}
	}
	if kills < 2 {
		t.Fatalf("only %d kills landed while the wave ran; use more users", kills)
	}
	final := tickWaveToEnd(t, token, wave.ID)
	total := len(cohort)
	c := final.Counts
	if final.State != "completed" || final.Processed != float64(total) || c.Failed != 0 || c.Skipped != 0 || c.Welcomed != total ||
		c.Added+c.AlreadyMember != total {
		t.Fatalf("final progress after %d kills: %+v (cohort %d)", kills, final, total)
	}

	db := env.s.DB()
	var members, channelMembers int
	if scanErr2 := db.QueryRowContext(
		ctx(t),
		`SELECT count(*) FROM TeamMembers WHERE TeamId = $1 AND DeleteAt = 0 AND UserId = ANY($2)`,
		target.Id,
		pq.Array(cohort),
	).Scan(&members); scanErr2 != nil {
		t.Fatal(scanErr2)
	}
	if scanErr := db.QueryRowContext(
		ctx(t),
		`SELECT count(*) FROM ChannelMembers WHERE ChannelId = $1 AND UserId = ANY($2)`,
		channel.Id,
		pq.Array(cohort),
	).Scan(&channelMembers); scanErr != nil {
		t.Fatal(scanErr)
	}
	if members != total || channelMembers != total {
		t.Fatalf("%d of %d users are team members, %d channel members", members, total, channelMembers)
	}
	dms := map[string]int{}
	rows, err = db.QueryContext(
		ctx(t),
		`SELECT props->>'cockpit_welcome', count(*) FROM Posts WHERE UserId = $1 AND props->>'cockpit_welcome' LIKE $2 AND `+
			`DeleteAt = 0 GROUP BY 1`,
		botID(t),
		wave.ID+":%",
	)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var marker string
		var k int
		if err := rows.Scan(&marker, &k); err != nil {
			t.Fatal(err)
		}
		dms[marker] = k
	}
	_ = rows.Close()
	missing, duplicated := 0, 0
	for _, id := range cohort {
		switch k := dms[wave.ID+":"+id]; {
		case k == 0:
			missing++
		case k > 1:
			duplicated++
		}
	}
	if missing > 0 || duplicated > 0 || len(dms) != total {
		t.Fatalf("welcome DMs: %d users without one, %d with more than one, %d markers for %d users", missing, duplicated, len(dms), total)
	}
	t.Logf(
		"after %d kills mid-tick: %d users, all in the team and the channel, exactly one welcome DM each (%d counted as already members)",
		kills,
		total,
		c.AlreadyMember,
	)
}

// bigPlanImport builds a plan of about 300 KB from the current one: the same phases, each with many
// tasks shaped like the existing ones (every field present, so the stored content equals it exactly).
func bigPlanImport(t *testing.T, base map[string]any, tag string) map[string]any {
	t.Helper()
	plan := deepCopy(t, base)
	plan["title"] = "Crash import " + tag
	phases := plan["phases"].([]any)
	template := deepCopy(t, phases[0].(map[string]any)["tasks"].([]any)[0].(map[string]any))
	template["checks"] = []any{}
	template["owner_id"] = nil
	template["due_date"] = nil
	perPhase := 600 / len(phases)
	for p, ph := range phases {
		tasks := make([]any, 0, perPhase)
		for i := range perPhase {
			task := deepCopy(t, template)
			task["id"] = fmt.Sprintf("crash.%d.%d", p, i)
			task["title"] = fmt.Sprintf("Crash task %d.%d %s", p, i, tag)
			task["description"] = strings.Repeat("Import under a kill must be all or nothing. ", 7)
			task["notes"] = tag
			task["state"] = "not_started"
			tasks = append(tasks, task)
		}
		ph.(map[string]any)["tasks"] = tasks
	}
	return plan
}

func TestHardeningCrashMidPlanImport(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	token := env.adminClient.AuthToken
	const planKey = "plan:current"

	// The undisturbed duration of such an import.
	cur := getPlan(t)
	warm := bigPlanImport(t, cur.Content, "warm-up")
	body := mustJSON(t, map[string]any{"expected_version": cur.Plan.Version, "plan": warm})
	t0 := time.Now()
	if r := call(t, http.MethodPost, "/api/v1/plan/import", token, body); r.Status != http.StatusOK {
		t.Fatalf("import: %s", r)
	}
	d := time.Since(t0)
	t.Logf("undisturbed import of a %d KB plan: %s", len(body)/1024, d.Round(time.Millisecond))

	// The moments: the fractions of the undisturbed import, and the instant the plan record changes in
	// the database (stored, its audit entry not yet written, if ever).
	moments := map[string]float64{}
	var names []string
	for _, fraction := range killMoments {
		names = append(names, momentName(fraction, d))
		moments[names[len(names)-1]] = fraction
	}
	names = append(names, "when_the_plan_is_stored")
	outcomes := map[string]int{}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			old := getPlan(t)
			oldRaw := kvRaw(t, planKey)
			if oldRaw == nil {
				t.Fatalf("no %s record in the KV store", planKey)
			}
			imported := bigPlanImport(t, old.Content, model.NewId())
			since := time.Now().UnixMilli()
			body := mustJSON(t, map[string]any{"expected_version": old.Plan.Version, "plan": imported})
			var status int
			var restart time.Duration
			if fraction, ok := moments[name]; ok {
				status, restart = killDuring(t, time.Duration(fraction*float64(d)), http.MethodPost, "/api/v1/plan/import", token, body)
			} else {
				status, restart = killWhen(t, func() bool {
					var raw []byte
					err := env.s.DB().QueryRow(
						`SELECT PValue FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey = $2`,
						mmserver.PluginID,
						planKey,
					).Scan(&raw)
					return err == nil && !bytes.Equal(raw, oldRaw)
				}, http.MethodPost, "/api/v1/plan/import", token, body)
			}
			raw := kvRaw(t, planKey)
			after := getPlan(t)
			switch {
			case bytes.Equal(raw, oldRaw):
				outcomes["old"]++
				t.Logf(
					"import answered %d; the stored plan is byte for byte the old one; plugin back in %s",
					status,
					restart.Round(time.Millisecond),
				)
				if status == http.StatusOK {
					t.Error("the import was acknowledged with 200 but the plan is the old one")
				}
			case reflect.DeepEqual(after.Content, imported) && after.Plan.Version == old.Plan.Version+1:
				outcomes["new"]++
				audited := auditCount(t, "plan.import", "plan", since)
				t.Logf("import answered %d; the stored plan is exactly the imported one (version %d), %d audit entries; plugin back in %s",
					status, after.Plan.Version, audited, restart.Round(time.Millisecond))
				if audited != 1 {
					t.Errorf("the import is stored but has %d audit entries, want 1", audited)
				}
			default:
				t.Fatalf(
					"after the kill the plan is neither the old record nor the imported content: version %d (was %d), %d tasks, title %q",
					after.Plan.Version,
					old.Plan.Version,
					after.taskCount(),
					after.Plan.Title,
				)
			}
		})
	}
	t.Logf("outcomes over %d kills: %v", len(names), outcomes)
}

func TestHardeningCrashMidBrandingApply(t *testing.T) {
	token := env.adminClient.AuthToken
	start := getBranding(t, token)
	siteName := func() string { return *env.s.App.Config().TeamSettings.SiteName }
	apply := func(state brandingState, name string) []byte {
		values := brandingValues{}
		maps.Copy(values, state.Values)
		values["site_name"] = name
		values["custom_description_text"] = "crash test " + name
		return mustJSON(t, map[string]any{"expected_version": state.Version, "values": values})
	}
	t.Cleanup(func() {
		// Back to the values the test started with: one rollback to the version that held them.
		now := getBranding(t, token)
		target := start.Version
		if target == 0 {
			target = 1 // the baseline the first apply recorded
		}
		if code, body := brandingRequest(
			t,
			http.MethodPost,
			"/api/v1/branding/rollback",
			token,
			map[string]any{"expected_version": now.Version, "version": target},
		); code != http.StatusOK {
			t.Errorf("restore the branding: %d %s", code, body)
		}
	})

	// The undisturbed duration (this apply also records the baseline on a fresh server).
	t0 := time.Now()
	if code, body := brandingRequest(
		t,
		http.MethodPost,
		"/api/v1/branding/apply",
		token,
		json.RawMessage(apply(start, "Crash warm-up "+model.NewId()[:6])),
	); code != http.StatusOK {
		t.Fatalf("apply: %d %s", code, body)
	}
	d := time.Since(t0)
	t.Logf("undisturbed apply: %s", d.Round(time.Millisecond))

	// The moments: the fractions of the undisturbed apply, and the instant the server's config holds
	// the new value (the save is done, the version record not yet written, if ever).
	type moment struct {
		name  string
		after time.Duration
		saved bool
	}
	var moments []moment
	for _, fraction := range killMoments {
		moments = append(moments, moment{name: momentName(fraction, d), after: time.Duration(fraction * float64(d))})
	}
	moments = append(moments, moment{name: "when_the_config_is_saved", saved: true})
	outcomes := map[string]int{}
	for _, m := range moments {
		t.Run(m.name, func(t *testing.T) {
			before := getBranding(t, token)
			oldName := siteName()
			name := "Crash " + model.NewId()[:8]
			since := time.Now().UnixMilli()
			body := apply(before, name)
			var status int
			var restart time.Duration
			if m.saved {
				status, restart = killWhen(
					t,
					func() bool { return siteName() == name },
					http.MethodPost,
					"/api/v1/branding/apply",
					token,
					body,
				)
			} else {
				status, restart = killDuring(t, m.after, http.MethodPost, "/api/v1/branding/apply", token, body)
			}
			after := getBranding(t, token)
			configName := siteName()
			record := kvRaw(t, fmt.Sprintf("branding:version:%d", after.Version))
			var stored struct {
				Value brandingVersion `json:"value"`
			}
			if record != nil {
				if err := json.Unmarshal(record, &stored); err != nil {
					t.Fatal(err)
				}
			}
			state := fmt.Sprintf(
				"apply answered %d; config site name %q (was %q, sent %q); head %d (was %d); record at head: %v (site name %v)",
				status,
				configName,
				oldName,
				name,
				after.Version,
				before.Version,
				record != nil,
				stored.Value.Values["site_name"],
			)
			switch {
			case configName == oldName && after.Version == before.Version:
				outcomes["not applied"]++
				t.Logf("not applied: %s; plugin back in %s", state, restart.Round(time.Millisecond))
				if status == http.StatusOK {
					t.Error("acknowledged with 200 but not applied")
				}
			case configName == name && after.Version == before.Version+1 && record != nil &&
				stored.Value.Values["site_name"] == name && stored.Value.Kind == "apply":
				outcomes["applied"]++
				audited := auditCount(t, "branding.apply", fmt.Sprintf("branding:version:%d", after.Version), since)
				t.Logf("applied: %s; %d audit entries; plugin back in %s", state, audited, restart.Round(time.Millisecond))
				if audited != 1 {
					t.Errorf("applied, but %d audit entries for it, want 1", audited)
				}
			default:
				outcomes["half"]++
				t.Errorf("half applied after the kill: %s", state)
			}
			// Whatever happened, the next apply from what the page now shows must go through.
			if code, body := brandingRequest(
				t,
				http.MethodPost,
				"/api/v1/branding/apply",
				token,
				json.RawMessage(apply(after, name+" again")),
			); code != http.StatusOK {
				t.Errorf("apply after the kill: %d %s", code, body)
			} else if siteName() != name+" again" {
				t.Errorf("apply after the kill answered 200 but the config says %q", siteName())
			}
		})
	}
	t.Logf("outcomes over %d kills: %v", len(moments), outcomes)
}

func TestHardeningCrashMidTemplateApproval(t *testing.T) {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	const channelsPerProposal = 6
	admin := env.adminClient
	adminTok := admin.AuthToken
	tokA := tokenOf(t, env.teamAdminA)
	memberClient, err := env.s.Login(env.member)
	if err != nil {
		t.Fatal(err)
	}
	memberID := userID(t, memberClient)
	if err := env.s.App.SetPhase2PermissionsMigrationStatus(true); err != nil {
		t.Fatal(err)
	}
	grantCredential(t, env.s.URL, adminTok)
	t.Cleanup(func() {
		if r := call(t, http.MethodPost, "/api/v1/templates/credential/revoke", adminTok, []byte(`{}`)); r.Status != http.StatusOK {
			t.Errorf("revoke the credential: %s", r)
		}
	})
	templateID, templateVersion := createTemplateAt(t, env.s.URL, adminTok)
	wantHeader := readOnlyTemplate["properties"].(map[string]any)["header"].(string)

	// propose makes channels in team A (created by the member: the template makes the creator channel
	// admin) and proposes the template for them; returns the review route, its version and the channels.
	propose := func() (string, int, []*model.Channel) {
		sfx := model.NewId()[:6]
		var channels []*model.Channel
		for i := range channelsPerProposal {
			ch, _, err := memberClient.CreateChannel(
				ctx(t),
				&model.Channel{
					TeamId:      env.teamA.Id,
					Name:        fmt.Sprintf("crash-%s-%d", sfx, i),
					DisplayName: fmt.Sprintf("crash %s %d", sfx, i),
					Type:        model.ChannelTypeOpen,
				},
			)
			if err != nil {
				t.Fatal(err)
			}
			channels = append(channels, ch)
		}
		r := call(t, http.MethodPost, "/api/v1/templates/proposals", adminTok, mustJSON(t, map[string]any{
			"template_id": templateID, "template_version": templateVersion, "note": "crash test",
			"teams": []map[string]any{{"team_id": env.teamA.Id, "name_pattern": "crash-" + sfx + "-*"}},
		}))
		expectStatus(t, "propose", r, http.StatusCreated)
		var detail contract.ProposalDetail
		decodeInto(t, r, &detail)
		if len(detail.Teams) != 1 || len(detail.Teams[0].Items) != channelsPerProposal {
			t.Fatalf("the proposal resolved %s", r)
		}
		return "/api/v1/templates/review/teams/" + env.teamA.Id + "/proposals/" + detail.Summary.ID, detail.Teams[0].Version, channels
	}
	approveAll := func(version int, channels []*model.Channel) []byte {
		var decisions []map[string]any
		for _, ch := range channels {
			decisions = append(decisions, map[string]any{"channel_id": ch.Id, "decision": "approve"})
		}
		return mustJSON(t, map[string]any{"expected_version": version, "decisions": decisions})
	}
	// settingsOf says whether a channel carries the template (all of it), none of it, or part of it.
	settingsOf := func(ch *model.Channel) string {
		m := serverModeration(t, env.s.URL, adminTok, ch.Id)
		got, _, err := admin.GetChannel(ctx(t), ch.Id, "")
		if err != nil {
			t.Fatal(err)
		}
		parts := []bool{
			!m.CreatePost.Members.Value,
			!m.CreatePost.Guests.Value,
			!m.ChannelMentions.Members.Value,
			got.Header == wantHeader,
			isChannelAdmin(t, admin, ch.Id, memberID),
		}
		// The creator starts as channel admin of a channel they create; that part says nothing alone.
		changed := 0
		for _, p := range parts[:4] {
			if p {
				changed++
			}
		}
		switch {
		case changed == 4 && parts[4]:
			return "template"
		case changed == 0:
			return "untouched"
		default:
			return fmt.Sprintf(
				"part (post members off %v, guests off %v, mentions off %v, header %v, creator admin %v)",
				parts[0],
				parts[1],
				parts[2],
				parts[3],
				parts[4],
			)
		}
	}

	review, version, channels := propose()
	t0 := time.Now()
	r := call(t, http.MethodPost, review+"/decide", tokA, approveAll(version, channels))
	d := time.Since(t0)
	expectStatus(t, "approve", r, http.StatusOK)
	var decided tplTeamReview
	decodeInto(t, r, &decided)
	for _, ch := range channels {
		if item := decided.item(t, ch.Id); item.Status != "applied" || settingsOf(ch) != "template" {
			t.Fatalf("undisturbed approval: channel %s is %s (%s), settings %s", ch.Name, item.Status, item.Reason, settingsOf(ch))
		}
	}
	t.Logf("undisturbed approval of %d channels: %s", channelsPerProposal, d.Round(time.Millisecond))

	outcomes := map[string]int{}
	for _, fraction := range killMoments {
		t.Run(momentName(fraction, d), func(t *testing.T) {
			review, version, channels := propose()
			since := time.Now().UnixMilli()
			status, restart := killDuring(
				t,
				time.Duration(fraction*float64(d)),
				http.MethodPost,
				review+"/decide",
				tokA,
				approveAll(version, channels),
			)
			r := call(t, http.MethodGet, review, tokA, nil)
			expectStatus(t, "review after the kill", r, http.StatusOK)
			var after tplTeamReview
			decodeInto(t, r, &after)
			var line []string
			var retry, redecide []*model.Channel
			for _, ch := range channels {
				item := after.item(t, ch.Id)
				settings := settingsOf(ch)
				audited := auditCount(t, "templates.channel.apply", "channel:"+ch.Id, since)
				line = append(line, fmt.Sprintf("%s/%s/audit %d", item.Status, strings.SplitN(settings, " ", 2)[0], audited))
				outcomes[string(item.Status)+" + "+strings.SplitN(settings, " ", 2)[0]]++
				switch item.Status {
				case "applied":
					if settings != "template" || audited != 1 {
						t.Errorf("channel %s is applied, but its settings are %s and it has %d audit entries", ch.Name, settings, audited)
					}
				case "pending":
					if settings != "untouched" {
						t.Errorf("channel %s is still pending, but its settings are %s", ch.Name, settings)
					}
					redecide = append(redecide, ch)
				case "approved", "failed":
					if settings != "untouched" && settings != "template" {
						t.Errorf("channel %s is %s with its settings in %s: a silent half state", ch.Name, item.Status, settings)
					}
					retry = append(retry, ch)
				default:
					t.Errorf("channel %s is %s (%s) after the kill", ch.Name, item.Status, item.Reason)
				}
			}
			t.Logf("decide answered %d; per channel %v; plugin back in %s", status, line, restart.Round(time.Millisecond))
			// What was not applied must still be possible: pending ones decided again, approved ones retried.
			if len(redecide) > 0 {
				expectStatus(
					t,
					"approve the channels still pending",
					call(t, http.MethodPost, review+"/decide", tokA, approveAll(after.Version, redecide)),
					http.StatusOK,
				)
				decodeInto(t, call(t, http.MethodGet, review, tokA, nil), &after)
			}
			if len(retry) > 0 {
				var ids []string
				for _, ch := range retry {
					ids = append(ids, ch.Id)
				}
				if r := call(
					t,
					http.MethodPost,
					review+"/retry",
					tokA,
					mustJSON(t, map[string]any{"expected_version": after.Version, "channel_ids": ids}),
				); r.Status != http.StatusOK {
					t.Errorf("%d channels left %s by the kill cannot be retried: %s", len(retry), after.item(t, retry[0].Id).Status, r)
				}
			}
			decodeInto(t, call(t, http.MethodGet, review, tokA, nil), &after)
			for _, ch := range channels {
				if item := after.item(t, ch.Id); item.Status != "applied" || settingsOf(ch) != "template" {
					t.Errorf(
						"after deciding/retrying what the kill left, channel %s is %s with settings %s",
						ch.Name,
						item.Status,
						settingsOf(ch),
					)
				}
			}
		})
	}
	t.Logf("per-channel outcomes (status + settings) over %d kills: %v", len(killMoments), outcomes)
}
