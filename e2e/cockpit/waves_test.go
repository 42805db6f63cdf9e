package cockpit

// What the waves tests share: a checked plugin call, a wave's fixture teams and users, and a wave
// created, started and ticked to its end. The wave at scale (5,000 users, a plugin restart mid-run) is
// waves_scale_test.go; the optional parts of a wave are waves_extras_test.go.

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

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

// waveFixtureUsers creates a source team with n users and a target team; returns both teams and the users.
func waveFixtureUsers(t *testing.T, prefix string, n int) (source, target *model.Team, users []*model.User, sfx string) {
	t.Helper()
	sfx = model.NewId()[:6]
	var err error
	if source, err = env.s.CreateTeam(prefix + "s" + sfx); err != nil {
		t.Fatal(err)
	}
	if target, err = env.s.CreateTeam(prefix + "t" + sfx); err != nil {
		t.Fatal(err)
	}
	if users, err = env.s.CreateUsers(n, mmserver.UserOptions{Prefix: prefix + sfx + "-", Teams: []*model.Team{source}}); err != nil {
		t.Fatal(err)
	}
	return source, target, users, sfx
}

// tickWaveToEnd ticks a started wave until it leaves `running` (the job would too, 3 s after its last run).
func tickWaveToEnd(t *testing.T, token, waveID string) contract.WaveProgress {
	t.Helper()
	var progress contract.WaveProgress
	deadline := time.Now().Add(5 * time.Minute)
	for {
		waveCall(t, http.MethodGet, "/api/v1/waves/"+waveID+"/progress", token, nil, http.StatusOK, &progress)
		if progress.State != "running" && progress.State != "scheduled" {
			return progress
		}
		if time.Now().After(deadline) {
			t.Fatalf("wave %s did not finish: %+v", waveID, progress)
		}
		r := call(t, http.MethodPost, "/api/v1/waves/"+waveID+"/tick", token, []byte(`{}`))
		if r.Status != http.StatusOK && r.Status != http.StatusServiceUnavailable && r.Status != http.StatusConflict {
			t.Fatalf("tick: %s", r)
		}
	}
}

// createWave stores a draft wave with `definition` as `token` (201) and returns it.
func createWave(t *testing.T, token string, definition map[string]any) contract.WaveResponse {
	t.Helper()
	var wave contract.WaveResponse
	waveCall(t, http.MethodPost, "/api/v1/waves", token, definition, http.StatusCreated, &wave)
	return wave
}

// startWave starts `wave` now at the version it was read at (200) and returns the started wave.
func startWave(t *testing.T, token string, wave contract.WaveResponse) contract.WaveResponse {
	t.Helper()
	var started contract.WaveResponse
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/start", token,
		map[string]any{"expected_version": wave.Version}, http.StatusOK, &started)
	return started
}

// scheduleWave starts `wave` at `at` (200) and returns the scheduled wave.
func scheduleWave(t *testing.T, token string, wave contract.WaveResponse, at time.Time) contract.WaveResponse {
	t.Helper()
	var scheduled contract.WaveResponse
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/start", token,
		map[string]any{"expected_version": wave.Version, "start_at": at.UnixMilli()}, http.StatusOK, &scheduled)
	return scheduled
}

// runWave starts `wave` and ticks it to its end; the caller checks how it ended.
func runWave(t *testing.T, token string, wave contract.WaveResponse) contract.WaveProgress {
	t.Helper()
	startWave(t, token, wave)
	return tickWaveToEnd(t, token, wave.ID)
}
