package cockpit

// Faults: the plugin process is killed (SIGKILL, no OnDeactivate, locks left behind) in the middle
// of work, and the server brings it back (its plugin health check restarts a crashed plugin; if it
// has not within 75 s, the test disables and enables it, as an admin would).
//
//   - mid-wave: a wave of 1,000 users (HARDENING_FAULT_USERS overrides) is killed while a batch
//     runs; after the restart it completes, every user is a team member and has exactly one
//     welcome DM (no duplicate, no miss).
//   - mid-import: a plan import is killed while in flight; after the restart the plan is exactly
//     the old content or exactly the imported one, never a mixture, and the audit trail agrees.

import (
	"net/http"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// killPlugin SIGKILLs the plugin process and waits until a new one serves; it returns how long the
// plugin was away and whether the server restarted it by itself.
func killPlugin(t *testing.T) (time.Duration, bool) {
	t.Helper()
	old := pluginPID(t)
	if err := syscall.Kill(old, syscall.SIGKILL); err != nil {
		t.Fatalf("kill the plugin process %d: %v", old, err)
	}
	t0 := time.Now()
	serving := func() bool {
		r := requestRoute(t, http.MethodGet, "/api/v1/ping", env.adminClient.AuthToken, nil)
		return r.Status == http.StatusOK
	}
	for time.Since(t0) < 75*time.Second {
		time.Sleep(time.Second)
		if serving() {
			return time.Since(t0), true
		}
	}
	t.Logf("the server did not restart the killed plugin within 75 s; disabling and enabling it")
	_, _ = env.adminClient.DisablePlugin(ctx(t), mmserver.PluginID)
	_ = mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateNotRunning, 60*time.Second)
	if _, err := env.adminClient.EnablePlugin(ctx(t), mmserver.PluginID); err != nil {
		t.Fatal(err)
	}
	if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateRunning, 90*time.Second); err != nil {
		t.Fatal(err)
	}
	if !serving() {
		t.Fatal("the plugin does not serve after disable + enable")
	}
	return time.Since(t0), false
}

func TestHardeningFaultKillMidWave(t *testing.T) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("HARDENING_FAULT_USERS")); err == nil && v > 0 {
		n = v
	}
	tok := env.adminClient.AuthToken
	sfx := strings.ToLower(model.NewId()[:6])
	source, err := env.s.CreateTeam("fault-src-" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	target, err := env.s.CreateTeam("fault-dst-" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.s.CreateUsers(n, mmserver.UserOptions{Prefix: "fault-" + sfx + "-", Teams: []*model.Team{source}}); err != nil {
		t.Fatal(err)
	}
	cohort := teamMemberIDs(t, source.Id)

	var wave waveResponse
	waveCall(t, http.MethodPost, "/api/v1/waves", tok, map[string]any{
		"name":     "fault " + sfx,
		"cohort":   map[string]any{"team_ids": []string{source.Id}},
		"targets":  map[string]any{"teams": []map[string]any{{"team_id": target.Id}}},
		"welcome":  map[string]any{"enabled": true, "template": "Welcome {{first_name}}", "help_link": ""},
		"throttle": map[string]any{"users_per_second": 20},
	}, http.StatusCreated, &wave)
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/start", tok, map[string]any{"expected_version": wave.Version}, http.StatusOK, &wave)

	// A batch in flight (a tick request), then the kill.
	var wg sync.WaitGroup
	wg.Go(func() {
		req, _ := http.NewRequest(http.MethodPost, pluginURL("/api/v1/waves/"+wave.ID+"/tick"), strings.NewReader(`{}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	})
	time.Sleep(500 * time.Millisecond)
	var before waveProgress
	waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/progress", tok, nil, http.StatusOK, &before)
	away, byItself := killPlugin(t)
	wg.Wait()
	var mid waveProgress
	waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/progress", tok, nil, http.StatusOK, &mid)
	t.Logf("killed at %d/%d processed; back after %s (restarted by the server itself: %v); then %s %d/%d", before.Processed, before.Total, away.Round(time.Millisecond), byItself, mid.State, mid.Processed, mid.Total)
	if mid.Processed >= len(cohort) {
		t.Fatalf("the wave had finished before the kill; nothing was resumed: %+v", mid)
	}

	t0 := time.Now()
	var progress waveProgress
	for {
		if time.Since(t0) > 6*time.Minute {
			t.Fatalf("the wave did not complete after the kill: %+v", progress)
		}
		// Drive it rather than wait for the 10 s job (the same lock and budget as the job).
		requestRoute(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/tick", tok, []byte(`{}`))
		waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/progress", tok, nil, http.StatusOK, &progress)
		if progress.State != "running" {
			break
		}
	}
	if progress.State != "completed" || progress.Processed != len(cohort) || progress.Counts.Failed != 0 || progress.Counts.Welcomed != len(cohort) {
		t.Fatalf("after the kill the wave ended %+v, want completed with %d processed and welcomed", progress, len(cohort))
	}
	members := map[string]bool{}
	for _, id := range teamMemberIDs(t, target.Id) {
		members[id] = true
	}
	missing := 0
	for _, id := range cohort {
		if !members[id] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d cohort users are not members of the target team", missing, len(cohort))
	}
	rows, err := env.s.DB().QueryContext(ctx(t), `SELECT props->>'cockpit_welcome', count(*) FROM posts WHERE userid = $1 AND props->>'cockpit_welcome' LIKE $2 AND deleteat = 0 GROUP BY 1`, botID(t), wave.ID+":%")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	dms, dup := 0, 0
	for rows.Next() {
		var marker string
		var count int
		if err := rows.Scan(&marker, &count); err != nil {
			t.Fatal(err)
		}
		dms++
		if count != 1 {
			dup++
			if dup <= 5 {
				t.Errorf("%s got %d welcome DMs", marker, count)
			}
		}
	}
	if dms != len(cohort) || dup > 0 {
		t.Errorf("%d users got a welcome DM (%d more than one), want each of %d exactly one", dms, dup, len(cohort))
	}
	t.Logf("after SIGKILL mid-wave: completed in %s more; %d members, %d users with exactly one DM", time.Since(t0).Round(time.Millisecond), len(cohort)-missing, dms-dup)
}

func TestHardeningFaultKillMidImport(t *testing.T) {
	lockPlan(t)
	restorePlanAtCleanup(t)
	tok := env.adminClient.AuthToken
	old := getPlan(t)
	// The import: the current content with every task's notes changed (a big, whole-plan change).
	imported := deepCopy(t, old.Content)
	for _, ph := range imported["phases"].([]any) {
		for _, tk := range ph.(map[string]any)["tasks"].([]any) {
			tk.(map[string]any)["notes"] = "imported " + model.NewId()
		}
	}
	auditBefore := auditTotal(t)

	var wg sync.WaitGroup
	var answered apiResult
	wg.Go(func() {
		req, _ := http.NewRequest(http.MethodPost, pluginURL("/api/v1/plan/import"), strings.NewReader(string(mustJSON(t, map[string]any{"plan": imported, "expected_version": old.Plan.Version}))))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			answered.Status = resp.StatusCode
			resp.Body.Close()
		}
	})
	time.Sleep(15 * time.Millisecond)
	away, byItself := killPlugin(t)
	wg.Wait()

	after := getPlan(t)
	switch {
	case reflect.DeepEqual(after.Content, old.Content):
		t.Logf("the kill landed before the import was stored (answer %d): the plan is the old one", answered.Status)
		if answered.Status == http.StatusOK {
			t.Error("the import was acknowledged with 200 but the plan is the old one")
		}
	case reflect.DeepEqual(after.Content, imported):
		t.Logf("the import was stored (answer %d): the plan is exactly the imported one", answered.Status)
		if got := auditTotal(t); got <= auditBefore {
			t.Errorf("the import is stored but the audit trail has no entry for it (%d → %d)", auditBefore, got)
		}
	default:
		t.Fatalf("after a kill mid-import the plan is neither the old nor the imported content")
	}
	t.Logf("plugin back after %s (restarted by the server itself: %v)", away.Round(time.Millisecond), byItself)
}
