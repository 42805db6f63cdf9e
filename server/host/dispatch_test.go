package host

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
)

func TestDispatchOutcomes(t *testing.T) {
	tests := []struct {
		name          string
		handler       string
		want          string
		wantErr       error  // errors.Is target, when set
		wantErrText   string // substring of the error, when set
		wantDiscarded int64
	}{
		{name: "plain value", handler: `function () { return {ok: true}; }`, want: `{"ok":true}`},
		{name: "undefined becomes null", handler: `function () {}`, want: `null`},
		{
			name:        "throw carries the JS stack",
			handler:     `function () { throw new TypeError('boom'); }`,
			wantErrText: "TypeError: boom",
		},
		{
			name:        "rejected promise",
			handler:     `async function () { throw new Error('rejected on purpose'); }`,
			wantErrText: "rejected on purpose",
		},
		{
			name:          "pending promise discards the VM",
			handler:       `function () { return new Promise(function () {}); }`,
			wantErr:       ErrPendingPromise,
			wantDiscarded: 1,
		},
		{
			name: "async handler awaiting host calls",
			handler: `async function () {
				var first = await Promise.resolve(host('kv.get', 'a'));
				var second = await host('kv.get', 'missing');
				return {first: first, second: second};
			}`,
			want: `{"first":"1","second":null}`,
		},
		{
			name:          "infinite loop times out and discards the VM",
			handler:       `function () { for (;;) {} }`,
			wantErr:       ErrTimeout,
			wantDiscarded: 1,
		},
		{
			name:          "runaway recursion is a stack overflow, not a crash",
			handler:       `function () { function f() { return f() + 1; } return f(); }`,
			wantErrText:   "maximum call stack size exceeded",
			wantDiscarded: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newAPI(1, 2)
			api.On("KVGet", "a").Return([]byte("1"), nil).Maybe()
			api.On("KVGet", "missing").Return(nil, nil).Maybe()
			p := activate(
				t,
				api,
				bundleWith(`test: `+tt.handler+`, ping: function () { return 'pong'; }`),
				WithCallTimeout(300*time.Millisecond),
			)

			got, err := call(p, "test", "null")
			switch {
			case tt.wantErr != nil:
				require.ErrorIs(t, err, tt.wantErr)
			case tt.wantErrText != "":
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErrText)
			default:
				require.NoError(t, err)
				assert.JSONEq(t, tt.want, got)
			}
			stats := p.Host().Stats()
			assert.Equal(t, tt.wantDiscarded, stats.VMsDiscarded)

			// Whatever happened, the pool still serves the next call.
			got, err = call(p, "ping", "null")
			require.NoError(t, err)
			assert.Equal(t, `"pong"`, got)
		})
	}
}

func TestScriptErrorHasStack(t *testing.T) {
	api := newAPI(1, 1)
	p := activate(t, api, bundleWith(`test: function thrower() { throw new Error('deep'); }`))
	_, err := call(p, "test", "null")
	var scriptErr *ScriptError
	require.ErrorAs(t, err, &scriptErr)
	assert.Equal(t, "test", scriptErr.Hook)
	assert.Contains(t, scriptErr.Stack, "thrower")
	assert.Contains(t, scriptErr.Stack, "test.js")
}

func TestUnhandledRejectionIsLogged(t *testing.T) {
	api := newAPI(1, 1)
	logged := make(chan string, 1)
	api.On("LogError", "Unhandled promise rejection in the plugin bundle", "hook", "test", "reason", mock.Anything).
		Run(func(args mock.Arguments) { logged <- args.String(4) }).Once()
	first(api.ExpectedCalls) // before the catch-all logging expectations
	p := activate(t, api, bundleWith(`test: function () { Promise.reject(new Error('forgotten')); return 1; }`))

	got, err := call(p, "test", "null")
	require.NoError(t, err)
	assert.Equal(t, "1", got)
	select {
	case reason := <-logged:
		assert.Contains(t, reason, "forgotten")
	case <-time.After(time.Second):
		t.Fatal("unhandled rejection was not logged")
	}
}

func TestActivationFailures(t *testing.T) {
	tests := map[string]string{
		"onActivate throws":  bundleWith(`onActivate: function () { throw new Error('no activation'); }`),
		"bundle throws":      `throw new Error('broken bundle');`,
		"no __plugin":        `var somethingElse = 1;`,
		"syntax error":       `var __plugin = {`,
		"dispatch not a fn":  `var __plugin = {dispatch: 1};`,
		"onActivate pending": bundleWith(`onActivate: function () { return new Promise(function () {}); }`),
	}
	for name, bundle := range tests {
		t.Run(name, func(t *testing.T) {
			p := New("test.js", bundle)
			p.SetAPI(newAPI(2, 4))
			require.Error(t, p.OnActivate())
			assert.Nil(t, p.Host(), "a failed activation leaves no running bundle")
			assert.Nil(t, p.OnDeactivate())
		})
	}
}

// A handler calls an API whose server side calls this plugin's hooks again before
// returning (CreatePost → hooks). With one VM behind a lock this deadlocks.
func TestReentrantCallsDoNotDeadlock(t *testing.T) {
	api := newAPI(1, 4)
	var p *Plugin
	api.On("CreatePost", mock.Anything).Return(&model.Post{Id: "p1"}, nil).Run(func(mock.Arguments) {
		p.UserHasBeenCreated(nil, &model.User{Id: "u1", Password: "hash"})
	})
	api.On("KVSet", "created", []byte("u1:")).Return(nil).Once()
	p = activate(t, api, bundleWith(`
		test: function () { return host('posts.create', {channel_id: 'c1', message: 'hi'}).id; },
		userHasBeenCreated: function (user) { host('kv.set', 'created', user.id + ':' + (user.password || '')); },
	`))

	within(t, 5*time.Second, func() {
		got, err := call(p, "test", "null")
		require.NoError(t, err)
		assert.Equal(t, `"p1"`, got)
	})
	api.AssertCalled(t, "KVSet", "created", []byte("u1:")) // and the password hash never reached JS
	assert.Equal(t, int64(2), p.Host().Stats().VMsCreated, "the pool grew by one VM for the nested call")
}

func TestPoolGrowsUnderConcurrency(t *testing.T) {
	const callers, poolMax = 32, 8
	api := newAPI(2, poolMax)
	// Longer than stuckCall: past two engines per CPU, only callers waiting that long on engines
	// all blocked in host calls grow the pool.
	api.On("KVGet", "slow").Return([]byte("v"), nil).Run(func(mock.Arguments) { time.Sleep(300 * time.Millisecond) })
	p := activate(t, api, bundleWith(`test: function () { return host('kv.get', 'slow'); }`))

	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		wg.Go(func() {
			got, err := call(p, "test", "null")
			if err == nil && got != `"v"` {
				err = errors.New("unexpected answer " + got)
			}
			errs <- err
		})
	}
	within(t, 10*time.Second, wg.Wait)
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	stats := p.Host().Stats()
	assert.LessOrEqual(t, stats.VMsCreated, int64(poolMax))
	assert.Greater(t, stats.VMsCreated, int64(2), "the pool grew beyond the pre-warmed VMs")
	assert.Equal(t, int64(callers+1), stats.CallsServed, "the callers and onActivate")
	assert.Equal(t, stats.VMsCreated, stats.PoolIdle, "grown VMs are kept for reuse")
	api.AssertCalled(t, "LogWarn", "All script engines are busy; calls are waiting. Consider raising HostPoolMax.", "pool_max", poolMax)
}

func TestPoolWaitsAtTheCap(t *testing.T) {
	api := newAPI(1, 2)
	release := make(chan struct{})
	api.On("KVGet", "block").Return([]byte("v"), nil).Run(func(mock.Arguments) { <-release })
	p := activate(t, api, bundleWith(`test: function () { return host('kv.get', 'block'); }`))

	results := make(chan error, 3)
	for range 3 {
		go func() { _, err := call(p, "test", "null"); results <- err }()
	}
	require.Eventually(t, func() bool { return p.Host().Stats().PoolBusy == 2 }, 2*time.Second, 5*time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	assert.Len(t, results, 0, "the third caller waits while both VMs are busy")
	assert.Equal(t, int64(2), p.Host().Stats().VMsCreated)

	close(release)
	within(t, 5*time.Second, func() {
		for range 3 {
			require.NoError(t, <-results)
		}
	})
	assert.Equal(t, int64(2), p.Host().Stats().VMsCreated, "the waiter reused a VM instead of creating one")
}

func TestPoolWaitGivesUpAfterTheTimeout(t *testing.T) {
	api := newAPI(1, 1)
	release := make(chan struct{})
	defer close(release)
	api.On("KVGet", "block").Return([]byte("v"), nil).Run(func(mock.Arguments) { <-release })
	p := activate(t, api, bundleWith(`test: function () { return host('kv.get', 'block'); }`), WithCallTimeout(200*time.Millisecond))

	go func() { _, _ = call(p, "test", "null") }()
	require.Eventually(t, func() bool { return p.Host().Stats().PoolBusy == 1 }, 2*time.Second, 5*time.Millisecond)
	_, err := call(p, "test", "null")
	require.ErrorIs(t, err, ErrPoolExhausted)
}

func TestReadPoolSettings(t *testing.T) {
	const idle = 300 * time.Second
	tests := []struct {
		name   string
		config map[string]any
		want   poolSettings
	}{
		{"defaults", nil, poolSettings{size: 1, max: 64, idleAfter: idle, memoryLimitMB: 120}},
		{
			"numbers",
			map[string]any{"hostpoolsize": float64(2), "hostpoolmax": float64(10)},
			poolSettings{size: 2, max: 10, idleAfter: idle, memoryLimitMB: 120},
		},
		{
			"strings and any case",
			map[string]any{"HostPoolSize": "3", "HOSTPOOLMAX": " 12 "},
			poolSettings{size: 3, max: 12, idleAfter: idle, memoryLimitMB: 120},
		},
		{
			"max below size is raised",
			map[string]any{"hostpoolsize": float64(8), "hostpoolmax": float64(2)},
			poolSettings{size: 8, max: 8, idleAfter: idle, memoryLimitMB: 120},
		},
		{
			"idle seconds",
			map[string]any{"HostIdleSeconds": float64(2)},
			poolSettings{size: 1, max: 64, idleAfter: 2 * time.Second, memoryLimitMB: 120},
		},
		{"memory limit", map[string]any{"HostMemoryLimitMB": "256"}, poolSettings{size: 1, max: 64, idleAfter: idle, memoryLimitMB: 256}},
		{"memory limit off", map[string]any{"hostmemorylimitmb": float64(0)}, poolSettings{size: 1, max: 64, idleAfter: idle}},
		{
			"zero engines or seconds fall back",
			map[string]any{"hostpoolsize": "0", "hostpoolmax": float64(0), "hostidleseconds": 0},
			poolSettings{size: 1, max: 64, idleAfter: idle, memoryLimitMB: 120},
		},
		{
			"garbage falls back",
			map[string]any{"hostpoolsize": "many", "hostpoolmax": float64(-1), "hostidleseconds": 0.5},
			poolSettings{size: 1, max: 64, idleAfter: idle, memoryLimitMB: 120},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, readPoolSettings(tt.config))
		})
	}
}

// The System Console shows plugin.json's defaults; the host must fall back to the same values.
func TestPoolDefaultsAreTheManifestsDefaults(t *testing.T) {
	raw, err := os.ReadFile("../../plugin.json")
	require.NoError(t, err)
	var manifest model.Manifest
	require.NoError(t, json.Unmarshal(raw, &manifest))
	defaults := map[string]any{}
	for _, setting := range manifest.SettingsSchema.Settings {
		if strings.HasPrefix(setting.Key, "Host") {
			defaults[setting.Key] = setting.Default
		}
	}
	require.Len(t, defaults, 4)
	assert.Equal(t, readPoolSettings(nil), readPoolSettings(defaults))
}

func TestConfigurationChange(t *testing.T) {
	api := newAPI(1, 4)
	p := New("test.js", bundleWith(`onConfigurationChange: function () { host('kv.set', 'cfg', 'seen'); }`))
	p.SetAPI(api)
	// Before activation the server calls it once: nothing to tell, nothing to fail.
	require.NoError(t, p.OnConfigurationChange())

	require.NoError(t, p.OnActivate())
	defer func() { _ = p.OnDeactivate() }()
	api.On("KVSet", "cfg", []byte("seen")).Return(nil).Once()
	api.ExpectedCalls = without(api.ExpectedCalls, "GetPluginConfig")
	api.On("GetPluginConfig").Return(map[string]any{"hostpoolsize": float64(3), "hostpoolmax": float64(5)})

	require.NoError(t, p.OnConfigurationChange())
	api.AssertCalled(t, "KVSet", "cfg", []byte("seen"))
	stats := p.Host().Stats()
	assert.Equal(t, int64(5), stats.PoolMax)
	assert.Equal(t, int64(3), stats.PoolIdle, "the new pre-warm size is applied")
}

func without(calls []*mock.Call, method string) []*mock.Call {
	var kept []*mock.Call
	for _, c := range calls {
		if c.Method != method {
			kept = append(kept, c)
		}
	}
	return kept
}

// first moves the most recently added expectation to the front, so it wins over the
// catch-all expectations newAPI registered (testify uses the first match).
func first(calls []*mock.Call) {
	last := calls[len(calls)-1]
	copy(calls[1:], calls[:len(calls)-1])
	calls[0] = last
}

func TestGoPanicOutsideBindingsDoesNotCrash(t *testing.T) {
	api := newAPI(1, 2)
	api.On("LogInfo", "explode").Run(func(mock.Arguments) { panic("logger broke") })
	first(api.ExpectedCalls)
	p := activate(t, api, bundleWith(`test: function () { console.log('explode'); }, ping: function () { return 1; }`))

	_, err := call(p, "test", "null")
	require.ErrorContains(t, err, "logger broke")
	assert.Equal(t, int64(1), p.Host().Stats().VMsDiscarded)
	got, err := call(p, "ping", "null")
	require.NoError(t, err)
	assert.Equal(t, "1", got)
}

// A direct or group message channel never reaches the bundle (a wave opens one per user); a team's does.
func TestChannelHasBeenCreatedSkipsDirectMessages(t *testing.T) {
	api := newAPI(1, 2)
	api.On("KVSet", "seen", mock.Anything).Return(nil)
	p := activate(t, api, bundleWith(`channelHasBeenCreated: function (channel) { host('kv.set', 'seen', channel.id); }`))

	p.ChannelHasBeenCreated(nil, &model.Channel{Id: "dm", Type: model.ChannelTypeDirect})
	p.ChannelHasBeenCreated(nil, &model.Channel{Id: "gm", Type: model.ChannelTypeGroup})
	api.AssertNotCalled(t, "KVSet", "seen", mock.Anything)

	p.ChannelHasBeenCreated(nil, &model.Channel{Id: "open", Type: model.ChannelTypeOpen, TeamId: "t"})
	api.AssertCalled(t, "KVSet", "seen", []byte("open"))
}
