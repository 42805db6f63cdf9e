package host

import (
	_ "embed"
	"encoding/json"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
)

//go:embed testdata/harness.js
var harness string

// bundleWith returns a fixture bundle whose handlers object is given as JS source
// (the inside of an object literal).
func bundleWith(handlers string) string {
	return harness + "\nvar handlers = {" + handlers + "};\n"
}

// newAPI returns a mock API that tolerates logging and answers the pool settings.
func newAPI(poolSize, poolMax int) *plugintest.API {
	api := &plugintest.API{}
	for _, level := range []string{"LogDebug", "LogInfo", "LogWarn", "LogError"} {
		api.On(level, mock.Anything).Maybe()
		api.On(level, mock.Anything, mock.Anything, mock.Anything).Maybe()
		api.On(level, mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything).Maybe()
		api.On(level, mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything, mock.Anything).Maybe()
	}
	api.On("GetPluginConfig").Return(map[string]any{"hostpoolsize": float64(poolSize), "hostpoolmax": float64(poolMax)}).Maybe()
	return api
}

// activate starts a plugin on a fixture bundle and deactivates it when the test ends.
func activate(t *testing.T, api *plugintest.API, bundle string, options ...Option) *Plugin {
	t.Helper()
	p := New("test.js", bundle, options...)
	p.SetAPI(api)
	require.NoError(t, p.OnActivate())
	t.Cleanup(func() { _ = p.OnDeactivate() })
	return p
}

// call dispatches a hook directly and returns the bundle's JSON answer.
func call(p *Plugin, hook, argJSON string) (string, error) {
	return p.Host().pool.call(hook, argJSON)
}

// within fails the test if fn does not return in time (a deadlock, typically).
func within(t *testing.T, d time.Duration, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("did not finish within %s (deadlock?)", d)
	}
}

func jsonUnmarshal(text string, v any) error { return json.Unmarshal([]byte(text), v) }
