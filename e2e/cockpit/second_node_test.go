package cockpit

import (
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/benchkit"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// startSecondNode starts a second server on the package server's database (benchkit.StartSecondNode),
// signed in as the package's admin and closed when the test ends: its plugin running, or installed but
// disabled so that the test enables it together with the package server's (enableOnBothNodes).
func startSecondNode(t *testing.T, disabled bool) (*mmserver.Server, *model.Client4) {
	t.Helper()
	o := benchkit.NodeOptions{Bundle: env.bundle, Admin: env.admin, Disabled: disabled}
	_, second, admin2, err := benchkit.StartSecondNode(env.s, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(second.Close)
	return second, admin2
}

// stopPackagePlugin disables the package server's plugin for the rest of the test; whatever happens,
// the package server ends the test with its plugin running.
func stopPackagePlugin(t *testing.T) {
	t.Helper()
	t.Cleanup(func() {
		_, _ = env.adminClient.EnablePlugin(ctx(t), mmserver.PluginID)
		if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateRunning, 90*time.Second); err != nil {
			t.Errorf("restore the plugin on the package server: %v", err)
		}
	})
	setPluginEnabled(t, env.adminClient, false)
}

// enableOnBothNodes enables the plugin on the package server and on admin2's server at the same moment
// and waits until both run it.
func enableOnBothNodes(t *testing.T, admin2 *model.Client4) {
	t.Helper()
	var wg sync.WaitGroup
	for _, c := range []*model.Client4{env.adminClient, admin2} {
		wg.Go(func() { setPluginEnabled(t, c, true) })
	}
	wg.Wait()
}

func setPluginEnabled(t *testing.T, c *model.Client4, enabled bool) {
	t.Helper()
	var err error
	state := model.PluginStateNotRunning
	if enabled {
		_, err = c.EnablePlugin(ctx(t), mmserver.PluginID)
		state = model.PluginStateRunning
	} else {
		_, err = c.DisablePlugin(ctx(t), mmserver.PluginID)
	}
	if err != nil {
		t.Fatalf("enable=%v on %s: %v", enabled, c.URL, err)
	}
	if err := mmserver.WaitPluginState(c, mmserver.PluginID, state, 90*time.Second); err != nil {
		t.Fatal(err)
	}
}
