package benchkit

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

// WaveSpec is the benchmarks' wave: cohort into the team and its channels, a welcome DM each, a throttle
// high enough not to be what is measured. Callers add keys (newcomers) before CreateWave.
func WaveSpec(name string, cohort map[string]any, team *model.Team, channels []*model.Channel) map[string]any {
	targets := []map[string]any{}
	for _, ch := range channels {
		targets = append(targets, map[string]any{"channel_id": ch.Id})
	}
	return map[string]any{
		"name":     name,
		"cohort":   cohort,
		"targets":  map[string]any{"teams": []map[string]any{{"team_id": team.Id}}, "channels": targets},
		"welcome":  map[string]any{"enabled": true, "template": "Welcome {{first_name}} to {{team}}: {{channels}}"},
		"throttle": map[string]any{"users_per_second": 500},
	}
}

// CreateWave creates a wave from spec.
func (t *Target) CreateWave(client *http.Client, spec map[string]any) (contract.WaveResponse, error) {
	body, _ := json.Marshal(spec)
	var wave contract.WaveResponse
	err := t.Call(client, http.MethodPost, "/api/v1/waves", body, http.StatusCreated, &wave)
	return wave, err
}

// StartWave starts the wave at the version the caller last saw.
func (t *Target) StartWave(client *http.Client, wave contract.WaveResponse) error {
	start, _ := json.Marshal(map[string]any{"expected_version": wave.Version})
	return t.Call(client, http.MethodPost, "/api/v1/waves/"+wave.ID+"/start", start, http.StatusOK, nil)
}

// Progress reads the wave's progress.
func (t *Target) Progress(client *http.Client, waveID string) (contract.WaveProgress, error) {
	var progress contract.WaveProgress
	err := t.Call(client, http.MethodGet, "/api/v1/waves/"+waveID+"/progress", nil, http.StatusOK, &progress)
	return progress, err
}

// TickUntilDone drives a started wave by its tick route back to back (its job runs too) until it is no
// longer running, logging its progress every 30 s, and returns the last progress. limit > 0 bounds the
// time; the progress then still says running.
func (t *Target) TickUntilDone(client *http.Client, waveID string, limit time.Duration) (contract.WaveProgress, error) {
	var progress contract.WaveProgress
	deadline := time.Now().Add(limit)
	for last := time.Now(); limit <= 0 || time.Now().Before(deadline); {
		code, _, err := t.Send(client, http.MethodPost, "/api/v1/waves/"+waveID+"/tick", []byte(`{}`))
		if err != nil {
			return progress, err
		}
		if code == http.StatusServiceUnavailable { // the job holds the wave right now
			time.Sleep(100 * time.Millisecond)
		}
		if progress, err = t.Progress(client, waveID); err != nil {
			return progress, err
		}
		if progress.State != contract.WaveStateRunning {
			break
		}
		if time.Since(last) > 30*time.Second {
			log.Printf("  engine: %.0f/%.0f", progress.Processed, progress.Total)
			last = time.Now()
		}
	}
	return progress, nil
}

// CheckWelcomed is nil when the wave completed with all n users processed and welcomed, none failed.
func CheckWelcomed(progress contract.WaveProgress, n int) error {
	if progress.State != contract.WaveStateCompleted || progress.Processed != float64(n) || progress.Counts.Failed != 0 ||
		progress.Counts.Welcomed != n {
		return fmt.Errorf("the wave ended %+v", progress)
	}
	return nil
}
