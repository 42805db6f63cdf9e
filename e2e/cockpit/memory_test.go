package cockpit

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// hostMemory is the Go host's answer on GET /api/v1/host/memory (host.MemoryStats).
type hostMemory struct {
	RSSBytes          uint64 `json:"rss_bytes"`
	HeapInuseBytes    uint64 `json:"heap_inuse_bytes"`
	HeapReleasedBytes uint64 `json:"heap_released_bytes"`
	MemoryLimitBytes  int64  `json:"memory_limit_bytes"`
	MemoryBudgetBytes int64  `json:"memory_budget_bytes"`
	Engines           int64  `json:"engines"`
}

func readHostMemory(t *testing.T, token string) hostMemory {
	t.Helper()
	resp, body := do(t, http.MethodGet, pluginURL("/api/v1/host/memory"), token, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/host/memory: %d %s", resp.StatusCode, body)
	}
	var m hostMemory
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// The plugin process's memory is for system admins only, and measuring an engine is not a GET.
func TestHostMemoryRoutesAreForSystemAdmins(t *testing.T) {
	m := readHostMemory(t, tokenOf(t, env.admin))
	if m.RSSBytes == 0 || m.HeapInuseBytes == 0 || m.Engines < 1 {
		t.Fatalf("implausible memory report %+v", m)
	}
	// The default budget (plugin.json), and a limit at least that and far from none.
	if m.MemoryBudgetBytes != 120<<20 || m.MemoryLimitBytes < m.MemoryBudgetBytes || m.MemoryLimitBytes == math.MaxInt64 {
		t.Fatalf("memory budget %d, limit %d: want the default 120 MB budget and a limit from it", m.MemoryBudgetBytes, m.MemoryLimitBytes)
	}
	member := tokenOf(t, env.member)
	routes := []struct{ method, route string }{
		{http.MethodGet, "/api/v1/host/memory"}, {http.MethodPost, "/api/v1/host/memory/engine-cost"},
	}
	for _, r := range routes {
		if resp, body := do(t, r.method, pluginURL(r.route), member, nil); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("%s %s as a member: %d %s, want 403", r.method, r.route, resp.StatusCode, body)
		}
		if resp, _ := do(t, r.method, pluginURL(r.route), "", nil); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("%s %s without a session: %d, want 401", r.method, r.route, resp.StatusCode)
		}
	}
	resp, _ := do(t, http.MethodGet, pluginURL("/api/v1/host/memory/engine-cost"), tokenOf(t, env.admin), nil)
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET engine-cost: %d, want 405", resp.StatusCode)
	}
}

// Engines a burst made are released once idle for HostIdleSeconds, down to the pre-warmed one, and the
// plugin process gives the memory back: its RSS falls.
func TestIdleEnginesAreReleasedOnTheRealServer(t *testing.T) {
	setIdleSeconds := func(v any) {
		env.s.App.UpdateConfig(func(c *model.Config) {
			settings := c.PluginSettings.Plugins[mmserver.PluginID]
			if settings == nil {
				settings = map[string]any{}
				c.PluginSettings.Plugins[mmserver.PluginID] = settings
			}
			if v == nil {
				delete(settings, "hostidleseconds")
			} else {
				settings["hostidleseconds"] = v
			}
		})
	}
	setIdleSeconds(1)
	t.Cleanup(func() { setIdleSeconds(nil) })
	admin := tokenOf(t, env.admin)

	const callers = 32
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: callers, MaxConnsPerHost: callers}}
	var wg sync.WaitGroup
	failures := make(chan string, callers)
	for range callers {
		wg.Go(func() {
			for range 5 {
				req, _ := http.NewRequest(http.MethodGet, pluginURL("/api/v1/plan"), nil)
				req.Header.Set("Authorization", "Bearer "+admin)
				resp, err := client.Do(req)
				if err != nil {
					failures <- err.Error()
					return
				}
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failures <- resp.Status
					return
				}
			}
		})
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Fatalf("GET /api/v1/plan under %d callers: %s", callers, f)
	}
	grown := readHostMemory(t, admin)
	if grown.Engines < 2 {
		t.Fatalf("the burst left %d engine(s); the pool should have grown", grown.Engines)
	}

	// The count drops before the memory goes back (the pool forgets the engines, then frees the OS pages), so
	// a reading between the two sees one engine and the old RSS: wait for both.
	var idle hostMemory
	if err := mmserver.WaitFor(15*time.Second, func() error {
		idle = readHostMemory(t, admin)
		if idle.Engines != 1 {
			return fmt.Errorf("%d engines", idle.Engines)
		}
		if idle.RSSBytes >= grown.RSSBytes {
			return fmt.Errorf("RSS %d MB with %d engines, %d MB after releasing to 1: memory not given back",
				grown.RSSBytes>>20, grown.Engines, idle.RSSBytes>>20)
		}
		return nil
	}); err != nil {
		t.Fatalf("after the burst (%d engines), idle engines were not released: %v", grown.Engines, err)
	}
	t.Logf("%d engines: RSS %d MB; after idle release to 1: RSS %d MB", grown.Engines, grown.RSSBytes>>20, idle.RSSBytes>>20)
}
