package cockpit

// What the waves tests share: a checked plugin call. The wave at scale (5,000 users, a plugin restart
// mid-run) is waves_scale_test.go; the optional parts of a wave are waves_extras_test.go.

import (
	"encoding/json"
	"testing"
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
