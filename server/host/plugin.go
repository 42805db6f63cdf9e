// Package host runs the plugin's TypeScript bundle inside the Mattermost plugin process. Most of
// it is a generic goja host that knows nothing of the cockpit: a pool of VMs (pool.go, engine.go),
// the server hooks forwarded to the bundle's `__plugin.dispatch(hook, argJSON)` (hooks.go,
// http.go, jobs.go), and the JS side of host calls (bridge.go). The binding table (bindings.go)
// is the plugin API as the bundle sees it, generating its TypeScript types and facade (dts.go);
// most entries pass one API call through, a few exist for the cockpit: batch calls for the waves
// engine (batch.go) and an allow-listed REST client (rest.go). Product-specific SQL, the readers
// for what the plugin API lacks (activity, load, group links, stats), lives in queries/.
package host

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dop251/goja"
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/onboarding-cockpit/onboarding-cockpit/server/host/queries"
)

const (
	// One engine ready: it serves the idle plugin's occasional calls; a burst grows the pool
	// (an engine costs megabytes of heap, so every one kept warm is paid on every server node).
	defaultPoolSize    = 1
	defaultPoolMax     = 64
	defaultIdleSeconds = 300
	// The GC's budget: the process stays near it while the live heap fits, and the limit rises with
	// the live heap beyond it (gcLimit), so a burst or a wave is never collected back to back.
	defaultMemoryLimitMB = 120
	defaultCallTimeout   = 30 * time.Second
)

// ErrNotActive is returned by hooks that arrive while no bundle is running (before
// OnActivate, after OnDeactivate, or after a failed activation).
var ErrNotActive = errors.New("plugin is not active")

// Plugin is the Mattermost plugin: it embeds MattermostPlugin (API, Driver) and forwards a
// fixed set of hooks to the bundle (see hooks.go and http.go).
type Plugin struct {
	plugin.MattermostPlugin

	bundleName   string
	bundleSource string
	callTimeout  time.Duration

	compile func() (*goja.Program, error) // once: the *Program is shared by all VMs

	// host is the running bundle; nil when not active. Hooks load it without locking, so a
	// hook re-entering from inside a JS call (JS → API → server → hook) never waits on a lock
	// held by the call that caused it.
	host atomic.Pointer[Host]
}

// Option adjusts a Plugin; used by tests and the benchmark.
type Option func(*Plugin)

// WithCallTimeout bounds every JS call (default 30 s).
func WithCallTimeout(d time.Duration) Option { return func(p *Plugin) { p.callTimeout = d } }

// New returns the plugin for a bundle: JS source assigning `var __plugin = {dispatch}`.
// bundleName appears in JS stack traces.
func New(bundleName, bundleSource string, options ...Option) *Plugin {
	p := &Plugin{bundleName: bundleName, bundleSource: bundleSource, callTimeout: defaultCallTimeout}
	p.compile = sync.OnceValues(func() (*goja.Program, error) {
		// Not strict at the top level: the bundle's own "use strict" directives decide.
		return goja.Compile(p.bundleName, p.bundleSource, false)
	})
	for _, option := range options {
		option(p)
	}
	return p
}

// Host is one activation's running bundle and the state its bindings keep.
type Host struct {
	api     plugin.API
	pool    *pool
	jobs    *jobs
	mutexes *mutexes
	nodeID  string // system.nodeId
	// Requests of serialized routes waiting for their lock, by lock (serialized.go).
	turnsMu sync.Mutex
	turns   map[string]*turnQueue
	// Records for the server's audit log, sent off the bundle's path (nil: sent at once).
	audits *serverAudits
	// The SQL readers of queries/ (a queries.Replica's methods), as fields so tests can stub the database.
	systemStats    func() (queries.SystemStats, error)
	systemActivity func(now int64) (queries.SystemActivity, error)
	systemLoad     func(now int64) (queries.SystemLoad, error)
	usersActivity  func(userIDs []string, since int64, channelIDs []string) (map[string]queries.UserActivity, error)
	groupsLinkedTo func(kind, id string) ([]string, error)
}

func newHost(api plugin.API, driver plugin.Driver, program *goja.Program, settings poolSettings, callTimeout time.Duration) *Host {
	replica := queries.NewReplica(api, driver, callTimeout)
	h := &Host{
		api: api, mutexes: newMutexes(api, callTimeout), nodeID: model.NewId(), systemStats: replica.SystemStats,
		systemActivity: replica.SystemActivity, systemLoad: replica.SystemLoad,
		usersActivity: replica.UsersActivity, groupsLinkedTo: replica.GroupsLinkedTo, audits: newServerAudits(api),
	}
	h.pool = newPool(func(id int64) (*engine, error) {
		return newEngine(id, program, h.installGlobals)
	}, settings.max, callTimeout, api)
	h.jobs = newJobs(api, func(jobID string) {
		arg, _ := json.Marshal(map[string]string{"jobId": jobID})
		if _, err := h.pool.run("runJob", string(arg), placeBackground); err != nil {
			api.LogError("Scheduled job failed", "job_id", jobID, "err", err.Error())
		}
	})
	return h
}

// Stats reports the pool counters (also exposed to JS as system.getHostStats).
func (h *Host) Stats() PoolStats { return h.pool.stats() }

func (h *Host) shutdown() {
	h.jobs.closeAll()
	h.mutexes.releaseAll()
	h.pool.close()
	h.audits.close()
}

// OnActivate compiles the bundle, pre-warms the pool and dispatches "onActivate"; an error
// from the bundle fails the activation (the server shows it and keeps the plugin disabled).
func (p *Plugin) OnActivate() error {
	program, err := p.compile()
	if err != nil {
		return fmt.Errorf("compile %s: %w", p.bundleName, err)
	}
	settings := readPoolSettings(p.API.GetPluginConfig())
	h := newHost(p.API, p.Driver, program, settings, p.callTimeout)
	h.pool.setIdle(settings.size, settings.idleAfter)
	applyMemoryLimit(settings.memoryLimitMB)
	if err := h.pool.warm(settings.size); err != nil {
		h.shutdown()
		return fmt.Errorf("start script engines: %w", err)
	}
	// Published before onActivate runs: the bundle may call APIs that trigger our own hooks.
	p.host.Store(h)
	if _, err := h.pool.call("onActivate", "null"); err != nil {
		p.host.Store(nil)
		h.shutdown()
		return err
	}
	return nil
}

// OnDeactivate lets the bundle clean up, then stops jobs, releases cluster locks and drops
// the VMs. The bundle's error is returned after the cleanup, which happens regardless.
func (p *Plugin) OnDeactivate() error {
	h := p.host.Load()
	if h == nil {
		return nil
	}
	_, err := h.pool.call("onDeactivate", "null")
	p.host.Store(nil)
	h.shutdown()
	return err
}

// OnConfigurationChange applies the pool settings and tells the bundle. The server calls it
// once before OnActivate, when there is no bundle running yet to tell.
func (p *Plugin) OnConfigurationChange() error {
	h := p.host.Load()
	if h == nil {
		return nil
	}
	settings := readPoolSettings(p.API.GetPluginConfig())
	h.pool.setMax(settings.max)
	h.pool.setIdle(settings.size, settings.idleAfter)
	applyMemoryLimit(settings.memoryLimitMB)
	if err := h.pool.warm(settings.size); err != nil {
		p.API.LogError("Could not start more script engines", "err", err.Error())
	}
	_, err := h.pool.run("onConfigurationChange", "null", placeUncounted)
	return err
}

// Host returns the running bundle's host, nil when the plugin is not active.
func (p *Plugin) Host() *Host { return p.host.Load() }

type poolSettings struct {
	size      int           // pre-warmed VMs, never released
	max       int           // upper bound, including VMs grown on demand
	idleAfter time.Duration // a VM grown on demand is released after this long unused

	memoryLimitMB int // the GC's budget (0: none), unless GOMEMLIMIT is set
}

// readPoolSettings reads HostPoolSize/HostPoolMax/HostIdleSeconds/HostMemoryLimitMB from the plugin config. The server
// lower-cases setting keys, and values may arrive as numbers or as strings depending on how
// they were saved, so both are accepted; anything unusable falls back to the default.
func readPoolSettings(config map[string]any) poolSettings {
	settings := poolSettings{
		size: defaultPoolSize, max: defaultPoolMax, idleAfter: defaultIdleSeconds * time.Second, memoryLimitMB: defaultMemoryLimitMB,
	}
	for key, value := range config {
		n, ok := settingInt(value)
		if !ok {
			continue
		}
		key = strings.ToLower(key)
		if key == "hostmemorylimitmb" { // 0 turns the budget off
			settings.memoryLimitMB = n
			continue
		}
		if n == 0 {
			continue
		}
		switch key {
		case "hostpoolsize":
			settings.size = n
		case "hostpoolmax":
			settings.max = n
		case "hostidleseconds":
			settings.idleAfter = time.Duration(n) * time.Second
		}
	}
	settings.max = max(settings.max, settings.size)
	return settings
}

// settingInt reads a whole number from 0 to 10,000.
func settingInt(value any) (int, bool) {
	var n float64
	switch v := value.(type) {
	case float64:
		n = v
	case int:
		n = float64(v)
	case int64:
		n = float64(v)
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return 0, false
		}
		n = f
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return 0, false
		}
		n = f
	default:
		return 0, false
	}
	if n < 0 || n > 10000 || n != float64(int(n)) {
		return 0, false
	}
	return int(n), true
}
