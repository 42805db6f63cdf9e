package cockpit

// Killing the plugin process on the real server: the server starts the plugin executable (the Go host
// that runs the bundle) as a child process through hashicorp/go-plugin; SIGKILL on it is a crash with no
// OnDeactivate, no deferred write and no released lock. These helpers find it by its executable under
// the server's plugin directory, kill it, and bring the plugin back the way an admin would (disable +
// enable through the REST API), measuring how long each step takes.

import (
	"fmt"
	"net/http"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// pluginProcesses lists the live plugin processes of the test server.
func pluginProcesses() []int { return pluginProcessesIn(env.s.DataDir) }

// sigkillPlugin sends SIGKILL to the plugin process and waits until it is gone; returns its pid.
func sigkillPlugin(t *testing.T) int {
	t.Helper()
	pids := pluginProcesses()
	if len(pids) != 1 {
		t.Fatalf("want one plugin process, found %v", pids)
	}
	if err := syscall.Kill(pids[0], syscall.SIGKILL); err != nil {
		t.Fatalf("kill %d: %v", pids[0], err)
	}
	// Waits for that process only: the server's plugin health check may already have started a new one,
	// which restartKilledPlugin's disable + enable replaces anyway.
	if err := mmserver.WaitFor(10*time.Second, func() error {
		if slices.Contains(pluginProcesses(), pids[0]) {
			return fmt.Errorf("plugin process %d still alive", pids[0])
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return pids[0]
}

// restartKilledPlugin brings the plugin back after sigkillPlugin as an admin would: disable, enable
// (a new process), then waits until a plugin route answers. Returns how long it took.
func restartKilledPlugin(t *testing.T) time.Duration {
	t.Helper()
	t0 := time.Now()
	cyclePlugin(t)
	// The server's plugin health check may restart the killed plugin while the disable above runs; on a
	// loaded machine that restart can finish after the disable and leave a process the server no longer
	// tracks. The tests count processes, so such an orphan is stopped with the plugin disabled and the
	// plugin enabled once more.
	if pids := pluginProcesses(); len(pids) > 1 {
		t.Logf("%d plugin processes after the restart (%v): stopping the one the server lost track of", len(pids), pids)
		if _, err := env.adminClient.DisablePlugin(ctx(t), mmserver.PluginID); err != nil {
			t.Fatalf("disable the plugin: %v", err)
		}
		if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateNotRunning, 60*time.Second); err != nil {
			t.Fatal(err)
		}
		for _, pid := range pluginProcesses() {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		cyclePlugin(t)
	}
	if pids := pluginProcesses(); len(pids) != 1 {
		t.Fatalf("want one plugin process after the restart, found %v", pids)
	}
	return time.Since(t0)
}

// cyclePlugin disables and enables the plugin and waits until its status route answers.
func cyclePlugin(t *testing.T) {
	t.Helper()
	if _, err := env.adminClient.DisablePlugin(ctx(t), mmserver.PluginID); err != nil {
		t.Fatalf("disable the plugin: %v", err)
	}
	if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateNotRunning, 60*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := env.adminClient.EnablePlugin(ctx(t), mmserver.PluginID); err != nil {
		t.Fatalf("enable the plugin again: %v", err)
	}
	if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateRunning, 60*time.Second); err != nil {
		t.Fatal(err)
	}
	token := env.adminClient.AuthToken
	if err := mmserver.WaitFor(30*time.Second, func() error {
		if r := call(t, http.MethodGet, "/api/v1/status", token, nil); r.Status != http.StatusOK {
			return fmt.Errorf("GET /api/v1/status: %s", r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
