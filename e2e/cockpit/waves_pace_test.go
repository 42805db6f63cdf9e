package cockpit

// A wave's own users on the real server: the team joins the engine makes (as the cockpit's bot) reach a
// rolling wave whose cohort is that team through the engine's batch, not the UserHasJoinedTeam hook
// (which returns before any KV read for them), each user welcomed once by each wave; the dry run gives
// an estimate and the advice on the default-channel join/leave messages (on by default); the finished
// wave's progress carries its measured pace.

import (
	"net/http"
	"testing"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

func TestWaveOwnJoinsReachRollingWavesAndPace(t *testing.T) {
	token := tokenOf(t, env.admin)
	bot := botID(t)
	source, target, users, sfx := waveFixtureUsers(t, "wop", 3)
	welcome := map[string]any{"enabled": true, "template": "Welcome {{first_name}}", "help_link": ""}

	// B takes whoever joins A's target team from now on.
	rolling := createWave(t, token, map[string]any{
		"name":    "Own joins B " + sfx,
		"cohort":  map[string]any{"team_ids": []string{target.Id}},
		"targets": map[string]any{"teams": []map[string]any{{"team_id": source.Id}}},
		"welcome": welcome,
		"rolling": true,
	})
	before := runWave(t, token, rolling)

	wave := createWave(t, token, map[string]any{
		"name":    "Own joins A " + sfx,
		"cohort":  map[string]any{"team_ids": []string{source.Id}},
		"targets": map[string]any{"teams": []map[string]any{{"team_id": target.Id}}},
		"welcome": welcome,
	})
	var report contract.DryRunReport
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/dry-run", token, map[string]any{}, http.StatusOK, &report)
	if report.Estimate == nil || report.Estimate.Users != 3 || report.Estimate.Ms <= 0 {
		t.Fatalf("dry run estimate: %+v", report.Estimate)
	}
	if len(report.Advice) != 1 || report.Advice[0].ID != "join_leave_messages" ||
		report.Advice[0].ConsolePath != "/admin_console/experimental/features" {
		t.Fatalf("dry run advice: %+v", report.Advice)
	}

	done := runWave(t, token, wave)
	if done.State != "completed" || done.Counts.Added != 3 {
		t.Fatalf("wave A: %+v", done)
	}
	if p := done.Pace; p == nil || p.MsPerUser == nil || *p.MsPerUser <= 0 || p.MeasuredUsers != 3 || p.Remaining != 0 {
		t.Fatalf("wave A's pace: %+v", done.Pace)
	}

	// A's batch queued its three joins into B (the checkpoint of A's batch is before its end: no waiting).
	var reopened contract.WaveProgress
	waveCall(t, http.MethodGet, "/api/v1/waves/"+rolling.ID+"/progress", token, nil, http.StatusOK, &reopened)
	if reopened.Pending+reopened.Total-before.Total != 3 {
		t.Fatalf("B after A: %+v (before: %+v)", reopened, before)
	}
	deadline := time.Now().Add(time.Minute)
	var after contract.WaveProgress
	for {
		after = tickWaveToEnd(t, token, rolling.ID)
		if (after.Total == before.Total+3 && after.State == "completed") || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if after.Total != before.Total+3 || after.Counts.Failed != 0 || after.Counts.Welcomed != before.Counts.Welcomed+3 {
		t.Fatalf("B: %+v (before: %+v)", after, before)
	}
	for _, waveID := range []string{wave.ID, rolling.ID} {
		welcomes := welcomesByUser(t, bot, waveID)
		for _, u := range users {
			if n := len(welcomes[u.Id]); n != 1 {
				t.Errorf("wave %s: %s has %d welcome DMs, want 1", waveID, u.Username, n)
			}
		}
	}
}
