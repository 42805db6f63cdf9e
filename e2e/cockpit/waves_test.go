package cockpit

// What the waves tests share: the progress and wave answers and a checked plugin call. The wave at
// scale (5,000 users, a plugin restart mid-run) is waves_scale_test.go; the optional parts of a wave
// are waves_extras_test.go.

import (
	"encoding/json"
	"testing"
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
