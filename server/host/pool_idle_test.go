package host

import (
	"math"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
)

// growTo runs n concurrent calls of the "test" hook, so the pool creates engines beyond the pre-warmed ones.
func growTo(t *testing.T, p *Plugin, n int) {
	t.Helper()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_, err := call(p, "test", "null")
			assert.NoError(t, err)
		})
	}
	within(t, 10*time.Second, wg.Wait)
}

func slowBundleAPI(config map[string]any) *Plugin {
	api := newAPI(1, 8)
	api.ExpectedCalls = without(api.ExpectedCalls, "GetPluginConfig")
	api.On("GetPluginConfig").Return(config)
	api.On("KVGet", "slow").Return([]byte("v"), nil).Run(func(mock.Arguments) { time.Sleep(30 * time.Millisecond) })
	p := New("test.js", bundleWith(`test: function () { return host('kv.get', 'slow'); }`))
	p.SetAPI(api)
	return p
}

func TestIdleEnginesAreReleasedDownToThePrewarmedOnes(t *testing.T) {
	p := slowBundleAPI(map[string]any{"hostpoolsize": float64(1), "hostpoolmax": float64(8), "hostidleseconds": float64(3600)})
	require.NoError(t, p.OnActivate())
	defer func() { _ = p.OnDeactivate() }()
	growTo(t, p, 6)
	grown := p.Host().Stats()
	require.Greater(t, grown.PoolIdle, int64(1), "the burst grew the pool")

	pool := p.Host().pool
	assert.Equal(t, 0, pool.reap(time.Now().Add(-time.Minute)), "engines used just now stay")
	released := pool.reap(time.Now().Add(time.Minute))
	assert.Equal(t, int(grown.PoolIdle-1), released, "every engine beyond the pre-warmed one goes")
	stats := p.Host().Stats()
	assert.Equal(t, int64(1), stats.PoolIdle)
	// The whole pool was idle: the kept engine is replaced by a fresh one, compact in the heap.
	assert.Equal(t, grown.VMsDiscarded+int64(released)+1, stats.VMsDiscarded)
	assert.Equal(t, grown.VMsCreated+1, stats.VMsCreated)
	assert.Equal(t, int64(1), p.Host().Memory().Engines)

	got, err := call(p, "test", "null")
	require.NoError(t, err)
	assert.Equal(t, `"v"`, got, "the fresh engine serves")
}

func TestTheReaperReleasesAfterTheConfiguredIdleTime(t *testing.T) {
	p := slowBundleAPI(map[string]any{"hostpoolsize": float64(1), "hostpoolmax": float64(8), "hostidleseconds": float64(1)})
	require.NoError(t, p.OnActivate())
	defer func() { _ = p.OnDeactivate() }()
	growTo(t, p, 6)
	require.Greater(t, p.Host().Stats().PoolIdle, int64(1))

	start := time.Now()
	require.Eventually(t, func() bool { return p.Host().Stats().PoolIdle == 1 }, 5*time.Second, 20*time.Millisecond)
	assert.GreaterOrEqual(t, time.Since(start), 500*time.Millisecond, "not before the engines were idle for a while")

	growTo(t, p, 6)
	assert.Greater(t, p.Host().Stats().VMsCreated, int64(2), "after the release, a burst grows the pool again")
}

func TestIdleReleaseKeepsBusyEnginesAndThePrewarmedCount(t *testing.T) {
	p := slowBundleAPI(map[string]any{"hostpoolsize": float64(3), "hostpoolmax": float64(8), "hostidleseconds": float64(3600)})
	require.NoError(t, p.OnActivate())
	defer func() { _ = p.OnDeactivate() }()
	assert.Equal(t, 0, p.Host().pool.reap(time.Now().Add(time.Minute)), "never below HostPoolSize")
	assert.Equal(t, int64(3), p.Host().Stats().PoolIdle)
}

func TestEngineCostIsMeasuredWithoutJoiningThePool(t *testing.T) {
	p := slowBundleAPI(map[string]any{"hostpoolsize": float64(1)})
	require.NoError(t, p.OnActivate())
	defer func() { _ = p.OnDeactivate() }()
	cost, err := p.Host().EngineCost()
	require.NoError(t, err)
	assert.Greater(t, cost, uint64(10_000), "an engine with the fixture bundle holds some heap")
	stats := p.Host().Stats()
	assert.Equal(t, int64(1), stats.PoolIdle+stats.PoolBusy)
	memory := p.Host().Memory()
	assert.Positive(t, memory.HeapInuseBytes)
	assert.Positive(t, memory.RSSBytes)
}

func TestCPUBoundCallsDoNotGrowThePoolBeyondTwoEnginesPerCPU(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	api := newAPI(1, 16)
	p := activate(t, api, bundleWith(`test: function () { var t = Date.now(); while (Date.now() - t < 150) {} return 1; }`))
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			_, err := call(p, "test", "null")
			assert.NoError(t, err)
		})
	}
	within(t, 10*time.Second, wg.Wait)
	// One CPU: after slowCall a waiter may add a second engine running JS, never a third; the
	// other callers wait for one of the two (more engines would only split the CPU further).
	assert.Equal(t, int64(2), p.Host().Stats().VMsCreated)
}

func TestTheMemoryBudgetIsAppliedUnlessGOMEMLIMITIsSet(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer applyMemoryLimit(0)
	setConfig := func(api *plugintest.API, config map[string]any) {
		api.ExpectedCalls = without(api.ExpectedCalls, "GetPluginConfig")
		api.On("GetPluginConfig").Return(config)
	}
	api := newAPI(1, 2)
	setConfig(api, map[string]any{"hostmemorylimitmb": float64(400)})
	p := activate(t, api, bundleWith(``))
	m := p.Host().Memory()
	assert.Equal(t, int64(400<<20), m.MemoryBudgetBytes)
	assert.Equal(t, int64(400<<20), m.MemoryLimitBytes, "a live heap well inside the budget: the limit is the budget")

	setConfig(api, map[string]any{})
	require.NoError(t, p.OnConfigurationChange())
	assert.Equal(t, int64(defaultMemoryLimitMB<<20), p.Host().Memory().MemoryBudgetBytes, "no setting: the default budget")
	assert.GreaterOrEqual(t, p.Host().Memory().MemoryLimitBytes, int64(defaultMemoryLimitMB<<20))

	setConfig(api, map[string]any{"hostmemorylimitmb": "0"})
	require.NoError(t, p.OnConfigurationChange())
	assert.Equal(t, int64(math.MaxInt64), p.Host().Memory().MemoryLimitBytes, "0: no limit")
	assert.Equal(t, int64(0), p.Host().Memory().MemoryBudgetBytes)

	setConfig(api, map[string]any{"hostmemorylimitmb": float64(400)})
	debug.SetMemoryLimit(1 << 40)
	t.Setenv("GOMEMLIMIT", "1TiB")
	require.NoError(t, p.OnConfigurationChange())
	runtime.GC()
	assert.Equal(t, int64(1<<40), p.Host().Memory().MemoryLimitBytes, "the admin's GOMEMLIMIT wins")
	assert.Equal(t, int64(0), p.Host().Memory().MemoryBudgetBytes)
}

func TestEnginesBlockedInHostCallsStillGrowThePoolBeyondTheSpread(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	api := newAPI(1, 16)
	api.On("KVGet", "slow").Return([]byte("v"), nil).Run(func(mock.Arguments) { time.Sleep(300 * time.Millisecond) })
	p := activate(t, api, bundleWith(`test: function () { return host('kv.get', 'slow'); }`))
	growTo(t, p, 6)
	// No engine runs JS while they all wait on the server, and one of them may be waiting for the
	// very call that waits for an engine: the pool must grow past two engines per CPU.
	assert.Greater(t, p.Host().Stats().VMsCreated, int64(2))
}

func TestSlowHostCallsThatKeepFinishingDoNotGrowThePoolBeyondTheSpread(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	api := newAPI(1, 16)
	// Shorter than stuckCall, so an engine comes back at least that often, while the queue of
	// sixteen callers makes most of them wait longer than stuckCall with both engines in host calls.
	api.On("KVGet", "slow").Return([]byte("v"), nil).Run(func(mock.Arguments) { time.Sleep(80 * time.Millisecond) })
	p := activate(t, api, bundleWith(`test: function () { return host('kv.get', 'slow'); }`))
	growTo(t, p, 16)
	// The queue moves: the pool is slow, not stuck, and more engines would only hold more heap.
	assert.Equal(t, int64(2), p.Host().Stats().VMsCreated)
}

// Job ticks that meet an engine busy for a moment wait for it: on activation every job starts at once while
// onActivate still holds the pre-warmed engine, and an engine created for that would stay HostIdleSeconds.
func TestJobTicksOnActivationWaitForThePrewarmedEngine(t *testing.T) {
	api := newAPI(1, 8)
	api.On("KVSetWithOptions", mock.Anything, mock.Anything, mock.Anything).Return(true, nil)
	api.On("KVGet", mock.MatchedBy(func(key string) bool { return key != "slow" })).Return(nil, nil)
	api.On("KVGet", "slow").Return([]byte("v"), nil).Run(func(mock.Arguments) { time.Sleep(300 * time.Millisecond) })
	ran := make(chan string, 8)
	api.On("KVSet", "ran", mock.Anything).Return(nil).Run(func(args mock.Arguments) { ran <- string(args.Get(1).([]byte)) })
	p := activate(t, api, bundleWith(`
		onActivate: function () {
			['a', 'b', 'c', 'd'].forEach(function (id) { host('jobs.schedule', id, 3600); });
			host('kv.get', 'slow'); // the jobs' first ticks arrive meanwhile
		},
		runJob: function (args) { host('kv.set', 'ran', args.jobId); },
	`))
	for range 4 {
		select {
		case <-ran:
		case <-time.After(10 * time.Second):
			t.Fatal("a job never ran")
		}
	}
	assert.Equal(t, int64(1), p.Host().Stats().VMsCreated, "the ticks took turns on the pre-warmed engine")
}

// Once a burst grew the pool, job ticks that meet (two at the same minute) use the extra engines, but that
// is not use that keeps them: an idle plugin settles to the pre-warmed engines.
func TestJobTicksDoNotKeepExtraEnginesFromBeingReleased(t *testing.T) {
	api := newAPI(1, 8)
	var inCall, overlap atomic.Int64
	api.On("KVGet", "slow").Return([]byte("v"), nil).Run(func(mock.Arguments) {
		overlap.Store(max(overlap.Load(), inCall.Add(1)))
		time.Sleep(50 * time.Millisecond)
		inCall.Add(-1)
	})
	p := activate(t, api, bundleWith(`
		test: function () { return host('kv.get', 'slow'); },
		runJob: function () { return host('kv.get', 'slow'); },
	`))
	growTo(t, p, 4)
	engines := p.Host().Stats().PoolIdle
	require.Greater(t, engines, int64(1), "the burst grew the pool")

	time.Sleep(10 * time.Millisecond)
	lastRequest := time.Now()
	overlap.Store(0)
	// As many ticks at once as there are engines: each one runs on an engine of its own.
	var wg sync.WaitGroup
	for range engines {
		wg.Go(func() { p.Host().jobs.run("sweep") })
	}
	within(t, 10*time.Second, wg.Wait)
	require.Equal(t, engines, overlap.Load(), "every engine ran a tick")
	require.Equal(t, engines, p.Host().Stats().PoolIdle, "the ticks needed no new engine")

	released := p.Host().pool.reap(lastRequest)
	assert.Equal(t, int(engines-1), released, "unused by requests since lastRequest: every engine beyond the pre-warmed one goes")
}

// A tick behind a long call (a wave's tick holds its engine for its whole time budget) still gets an engine
// of its own after backgroundPatience, well within the call timeout; that engine does not stay for
// HostIdleSeconds after.
func TestJobTicksGrowThePoolBehindALongCall(t *testing.T) {
	api := newAPI(1, 8)
	api.On("KVGet", "long").Return([]byte("v"), nil).Run(func(mock.Arguments) { time.Sleep(backgroundPatience + time.Second) })
	p := activate(t, api, bundleWith(`
		test: function () { return host('kv.get', 'long'); },
		runJob: function () { return 1; },
	`))
	long := make(chan struct{})
	go func() {
		defer close(long)
		_, err := call(p, "test", "null")
		assert.NoError(t, err)
	}()
	require.Eventually(t, func() bool { return p.Host().Stats().PoolBusy == 1 }, 5*time.Second, time.Millisecond)

	start := time.Now()
	within(t, backgroundPatience+5*time.Second, func() { p.Host().jobs.run("sweep") })
	assert.GreaterOrEqual(t, time.Since(start), backgroundPatience, "the tick waited before growing the pool")
	select {
	case <-long:
		t.Fatal("the tick ran only once the long call ended")
	default:
	}
	assert.Equal(t, int64(2), p.Host().Stats().VMsCreated)
	<-long
	// The reaper (every 5 s at the default HostIdleSeconds) releases it: no request used it.
	assert.Eventually(t, func() bool { return p.Host().Memory().Engines == 1 }, 2*reapInterval(300*time.Second), 50*time.Millisecond,
		"the engine made for the tick goes as soon as it is free")
}

// Engines of one burst were last used at different moments. The first release takes the older ones only:
// the others are neither released nor renewed (a fresh engine would start its idle time again, and an
// engine of the burst would still be there HostIdleSeconds after the plugin went idle).
func TestIdleReleaseRenewsTheKeptEnginesOnlyOnceTheExtrasAreGone(t *testing.T) {
	p := slowBundleAPI(map[string]any{"hostpoolsize": float64(1), "hostpoolmax": float64(8), "hostidleseconds": float64(3600)})
	require.NoError(t, p.OnActivate())
	defer func() { _ = p.OnDeactivate() }()
	growTo(t, p, 6)
	grown := p.Host().Stats()
	require.Greater(t, grown.PoolIdle, int64(2), "the burst grew the pool to three engines or more")

	pool := p.Host().pool
	now := time.Now()
	pool.mu.Lock()
	pool.idle[0].lastUsed = now.Add(-time.Hour) // the engine the burst used first, not since
	pool.mu.Unlock()

	assert.Equal(t, 1, pool.reap(now.Add(-time.Minute)))
	stats := p.Host().Stats()
	assert.Equal(t, grown.PoolIdle-1, stats.PoolIdle, "the engines used since stay")
	assert.Equal(t, grown.VMsCreated, stats.VMsCreated, "and are not renewed")

	released := pool.reap(now.Add(time.Minute))
	assert.Equal(t, int(grown.PoolIdle-2), released, "they go at their own time")
	stats = p.Host().Stats()
	assert.Equal(t, int64(1), stats.PoolIdle)
	assert.Equal(t, grown.VMsCreated+1, stats.VMsCreated, "then the kept engine is renewed")
}

// A configuration change (the server sends one while the plugin activates) sets the cap again; callers
// waiting at that moment keep waiting by the usual rules rather than each creating an engine at once.
func TestAConfigurationChangeDoesNotGrowThePoolForWaitingTicks(t *testing.T) {
	p := activate(t, newAPI(1, 8), bundleWith(`runJob: function () { return 1; }`))
	pool := p.Host().pool
	held, err := pool.acquire("onActivate", placeInLine)
	require.NoError(t, err)
	ticks := 3
	var wg sync.WaitGroup
	for range ticks {
		wg.Go(func() { p.Host().jobs.run("sweep") })
	}
	require.Eventually(t, func() bool {
		pool.mu.Lock()
		defer pool.mu.Unlock()
		return len(pool.waiters) == ticks
	}, 5*time.Second, time.Millisecond)

	pool.setMax(8) // what OnConfigurationChange does first
	time.Sleep(100 * time.Millisecond)
	assert.Equal(t, int64(1), p.Host().Stats().VMsCreated, "the waiting ticks created no engine")
	pool.release(held, true)
	within(t, 5*time.Second, wg.Wait)
	assert.Equal(t, int64(1), p.Host().Stats().VMsCreated, "they took turns on the pre-warmed engine")
}

// On a first activation the server's configuration change arrives while the jobs' first ticks hold the
// pre-warmed engine: it must not wait behind them, and the engine made for it goes as soon as it is free.
func TestAConfigurationChangeBehindAJobLeavesNoEngineBehind(t *testing.T) {
	beforeActivation := time.Now()
	api := newAPI(1, 8)
	api.On("KVGet", "long").Return([]byte("v"), nil).Run(func(mock.Arguments) { time.Sleep(300 * time.Millisecond) })
	p := activate(t, api, bundleWith(`
		runJob: function () { return host('kv.get', 'long'); },
		onConfigurationChange: function () { return 1; },
	`))
	tick := make(chan struct{})
	go func() { defer close(tick); p.Host().jobs.run("sweep") }()
	require.Eventually(t, func() bool { return p.Host().Stats().PoolBusy == 1 }, 5*time.Second, time.Millisecond)

	within(t, 200*time.Millisecond, func() { require.NoError(t, p.OnConfigurationChange()) })
	within(t, 5*time.Second, func() { <-tick })
	require.Equal(t, int64(2), p.Host().Stats().PoolIdle, "the change did not wait for the tick")
	// The pre-warmed engine served onActivate after beforeActivation: only an engine nothing counted as
	// use can be released with that cutoff.
	assert.Equal(t, 1, p.Host().pool.reap(beforeActivation), "the engine made for the change is not kept for HostIdleSeconds")
}
