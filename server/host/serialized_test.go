package host

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
)

func TestSerializedRouteMatchesLikeTheBundlesRouter(t *testing.T) {
	route := serializedRoute{Method: "PATCH", Path: "/api/v1/plan/tasks/:taskId", Lock: "l"}
	for _, tt := range []struct {
		method, path string
		want         bool
	}{
		{"PATCH", "/api/v1/plan/tasks/t1", true},
		{"PATCH", "/api/v1/plan/tasks/t1/", true}, // a trailing slash is ignored, as in matchPath
		{"GET", "/api/v1/plan/tasks/t1", false},
		{"PATCH", "/api/v1/plan/tasks", false},
		{"PATCH", "/api/v1/plan/tasks/t1/x", false},
		{"PATCH", "/api/v1/plan/phases/t1", false},
	} {
		assert.Equal(t, tt.want, route.matches(tt.method, tt.path), "%s %s", tt.method, tt.path)
	}
	edit := serializedRouteFor(serializedRoutes, "PATCH", "/api/v1/plan/tasks/abc")
	require.NotNil(t, edit, "the generated table has the task edit")
	assert.Equal(t, []string{"manage_system"}, edit.Permissions, "its guard's permission, asked before the queue")
	owner := serializedRouteFor(serializedRoutes, "PATCH", "/api/v1/my/tasks/abc")
	require.NotNil(t, owner)
	assert.Empty(t, owner.Permissions, "the owner's guard reads the plan: checked in the turn")
	assert.Nil(t, serializedRouteFor(serializedRoutes, "GET", "/api/v1/plan"))
}

// turnsBundle: every request runs 10 ms of JS (a turn's work). /api/v1/in-engine takes the lock from JS,
// as the task edits did before the host took it for them.
// serveHTTPBatch serves a turn's requests one after another and tells each how many shared its turn.
var turnsBundle = bundleWith(`
	serveHTTP: function (req) {
		var inEngine = req.path === '/api/v1/in-engine';
		if (inEngine) { host('mutex.lockWithin', 'plan-task-edit', 20000); }
		var start = Date.now();
		while (Date.now() - start < 10) { /* the turn's work */ }
		if (inEngine) { host('mutex.unlock', 'plan-task-edit'); }
		return {status: 200, body: JSON.stringify({locks: req.locks || []})};
	},
	serveHTTPBatch: function (reqs) {
		return reqs.map(function (req) {
			var answer = handlers.serveHTTP(req);
			answer.body = JSON.stringify({locks: req.locks || [], turn: reqs.length});
			return answer;
		});
	},
`)

// mutexAPI is newAPI whose cluster mutex for the task edits is always free (the local queue serializes)
// and whose users are all system admins.
func mutexAPI(poolMax int) *plugintest.API {
	api := lockOnlyAPI(poolMax)
	api.On("HasPermissionTo", mock.Anything, model.PermissionManageSystem).Return(true).Maybe()
	return api
}

// lockOnlyAPI is mutexAPI without permission answers: the test says whose permissions are what.
func lockOnlyAPI(poolMax int) *plugintest.API {
	api := newAPI(1, poolMax)
	const key = "mutex_cockpit_plan-task-edit"
	api.On("KVSetWithOptions", key, []byte{1}, model.PluginKVSetOptions{Atomic: true, ExpireInSeconds: 15}).Return(true, nil)
	api.On("KVSetWithOptions", key, []byte(nil), model.PluginKVSetOptions{}).Return(true, nil)
	return api
}

// fiftyAtOnce sends 50 concurrent requests and reports their statuses and bodies and the most engines
// busy at one moment.
func fiftyAtOnce(t *testing.T, p *Plugin, method, path string) (statuses map[int]int, bodies []string, peakBusy int64) {
	t.Helper()
	var peak atomic.Int64
	stop := make(chan struct{})
	var watch sync.WaitGroup
	watch.Go(func() {
		for {
			if busy := p.Host().Stats().PoolBusy; busy > peak.Load() {
				peak.Store(busy)
			}
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Microsecond):
			}
		}
	})
	var mu sync.Mutex
	statuses = map[int]int{}
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			r := httptest.NewRequest(method, path, strings.NewReader(`{}`))
			r.Header.Set("Mattermost-User-Id", "u1")
			w := httptest.NewRecorder()
			p.ServeHTTP(nil, w, r)
			mu.Lock()
			defer mu.Unlock()
			statuses[w.Code]++
			bodies = append(bodies, w.Body.String())
		})
	}
	within(t, 60*time.Second, wg.Wait)
	close(stop)
	watch.Wait()
	return statuses, bodies, peak.Load()
}

// Fifty task edits at once: the host queues them on the lock before they get an engine, so one engine
// serves them one after the other and the handler is told it holds the lock. The same fifty taking the
// lock from JS hold an engine each while they wait.
func TestSerializedRequestsWaitForTheirTurnWithoutAnEngine(t *testing.T) {
	const poolMax = 8
	p := activate(t, mutexAPI(poolMax), turnsBundle)

	calls := p.Host().Stats().CallsServed
	statuses, bodies, peakBusy := fiftyAtOnce(t, p, http.MethodPatch, "/api/v1/plan/tasks/t1")
	assert.Equal(t, map[int]int{http.StatusOK: 50}, statuses)
	shared := 0
	for _, body := range bodies {
		var answer struct {
			Locks []string `json:"locks"`
			Turn  int      `json:"turn"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &answer))
		assert.Equal(t, []string{"plan-task-edit"}, answer.Locks)
		if answer.Turn > 1 {
			shared++
		}
	}
	assert.Equal(t, int64(1), peakBusy, "one engine at a time: the others wait in Go")
	turns := p.Host().Stats().CallsServed - calls
	assert.Less(t, turns, int64(10), "requests that arrive during a turn are served together in the next: %d turns", turns)
	assert.Greater(t, shared, 40, "most requests shared their turn")
	assert.LessOrEqual(t, p.Host().Stats().VMsCreated, int64(2), "no engine created for waiting requests")

	statuses, _, peakBusy = fiftyAtOnce(t, p, http.MethodPatch, "/api/v1/in-engine")
	assert.Equal(t, map[int]int{http.StatusOK: 50}, statuses)
	assert.Greater(t, peakBusy, int64(1), "waiting inside JS holds an engine (the contrast that makes the first half meaningful)")
	assert.LessOrEqual(t, p.Host().Stats().VMsCreated, int64(poolMax), "the cap holds")
}

// permissionsBundle answers how the request was served: in a turn (serveHTTPBatch) or alone (serveHTTP),
// with the locks and the permission answers the host passed.
var permissionsBundle = bundleWith(`
	serveHTTP: function (req) {
		return {status: 200, body: JSON.stringify({via: 'alone', locks: req.locks || [], permissions: req.permissions || {}})};
	},
	serveHTTPBatch: function (reqs) {
		return reqs.map(function (req) {
			return {status: 200, body: JSON.stringify({via: 'turn', locks: req.locks || [], permissions: req.permissions || {}})};
		});
	},
`)

type servedHow struct {
	Via         string          `json:"via"`
	Locks       []string        `json:"locks"`
	Permissions map[string]bool `json:"permissions"`
}

func patchTaskAs(t *testing.T, p *Plugin, userID string) servedHow {
	t.Helper()
	r := httptest.NewRequest(http.MethodPatch, "/api/v1/plan/tasks/t1", strings.NewReader(`{}`))
	r.Header.Set("Mattermost-User-Id", userID)
	w := httptest.NewRecorder()
	p.ServeHTTP(nil, w, r)
	var how servedHow
	// assert, not require: called from the requests' own goroutines too.
	if assert.Equal(t, http.StatusOK, w.Code, w.Body.String()) {
		assert.NoError(t, json.Unmarshal(w.Body.Bytes(), &how))
	}
	return how
}

// The caller's permission is asked as each request arrives, before it queues: an admin's edit enters a
// turn with the answer, so the guard need not ask inside it; a caller refused never enters a turn (served
// alone, without the lock, where the guard refuses it); and each request is asked anew, so a permission
// revoked between two requests refuses the second.
func TestSerializedRequestsAskThePermissionBeforeTheyQueue(t *testing.T) {
	api := lockOnlyAPI(2)
	api.On("HasPermissionTo", "admin", model.PermissionManageSystem).Return(true)
	api.On("HasPermissionTo", "member", model.PermissionManageSystem).Return(false)
	api.On("HasPermissionTo", "revoked", model.PermissionManageSystem).Return(true).Once()
	api.On("HasPermissionTo", "revoked", model.PermissionManageSystem).Return(false).Once()
	p := activate(t, api, permissionsBundle)
	batches := p.Host().Stats().CallsServed

	admitted := servedHow{Via: "turn", Locks: []string{"plan-task-edit"}, Permissions: map[string]bool{"manage_system": true}}
	refused := servedHow{Via: "alone", Locks: []string{}, Permissions: map[string]bool{"manage_system": false}}
	assert.Equal(t, admitted, patchTaskAs(t, p, "admin"))
	assert.Equal(t, refused, patchTaskAs(t, p, "member"), "a refused caller never enters a turn")
	assert.Equal(t, admitted, patchTaskAs(t, p, "revoked"))
	assert.Equal(t, refused, patchTaskAs(t, p, "revoked"), "revoked since the last request: asked again, refused")
	api.AssertNumberOfCalls(t, "HasPermissionTo", 4)
	assert.Equal(t, int64(4), p.Host().Stats().CallsServed-batches, "one bundle call each: two turns, two alone")

	// The owner routes' guard reads the plan inside the turn: nothing is asked before it.
	r := httptest.NewRequest(http.MethodPatch, "/api/v1/my/tasks/t1", strings.NewReader(`{}`))
	r.Header.Set("Mattermost-User-Id", "member")
	w := httptest.NewRecorder()
	p.ServeHTTP(nil, w, r)
	var how servedHow
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &how))
	assert.Equal(t, servedHow{Via: "turn", Locks: []string{"plan-task-edit"}, Permissions: map[string]bool{}}, how)
	api.AssertNumberOfCalls(t, "HasPermissionTo", 4)
}

// The permissions of requests arriving together are asked at once, each in its own goroutine, not one
// after another in the turn: ten answers that take 300 ms each are all in within well under ten times that.
func TestSerializedRequestsAskTheirPermissionsInParallel(t *testing.T) {
	const slow = 300 * time.Millisecond
	api := lockOnlyAPI(2)
	api.On("HasPermissionTo", mock.Anything, model.PermissionManageSystem).After(slow).Return(true)
	p := activate(t, api, permissionsBundle)

	started := time.Now()
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() { assert.Equal(t, "turn", patchTaskAs(t, p, "admin"+strconv.Itoa(i)).Via) })
	}
	within(t, 30*time.Second, wg.Wait)
	api.AssertNumberOfCalls(t, "HasPermissionTo", 10)
	assert.Less(t, time.Since(started), 4*slow, "asked in parallel (one after another would take %s)", 10*slow)
}

// Each answer of a turn says where its time went (Server-Timing): the wait for its turn, the lock, the
// turn, how many shared it; the bundle's own metrics stay after them.
func TestSerializedAnswersSayWhereTheirTimeWent(t *testing.T) {
	p := activate(t, mutexAPI(2), bundleWith(`
		serveHTTPBatch: function (reqs) {
			return reqs.map(function () { return {status: 200, headers: {'Server-Timing': 'bundle;dur=7'}, body: '{}'}; });
		},
	`))
	route := serializedRouteFor(serializedRoutes, http.MethodPatch, "/api/v1/plan/tasks/t1")
	require.NotNil(t, route)
	response, err := p.Host().serveInTurn(route, httpRequest{Method: http.MethodPatch, Path: "/api/v1/plan/tasks/t1", UserID: "u1"})
	require.NoError(t, err)
	timing := response.Headers["Server-Timing"]
	assert.Regexp(t, `^queue;dur=[0-9.]+, lock;dur=[0-9.]+, turn;dur=[0-9.]+, batch;desc=1, bundle;dur=7$`, timing)
}

// A turn not given within the declared wait is errTurnBusy (ServeHTTP's declared 503), and the bundle is not called.
func TestSerializedRequestAnswersBusyWhenItsTurnDoesNotCome(t *testing.T) {
	api := newAPI(1, 2)
	const key = "mutex_cockpit_plan-task-edit"
	// Another node holds the lock all along.
	api.On("KVSetWithOptions", key, []byte{1}, model.PluginKVSetOptions{Atomic: true, ExpireInSeconds: 15}).Return(false, nil)
	p := activate(t, api, turnsBundle)
	routes := []serializedRoute{{
		Method: "PATCH", Path: "/api/v1/plan/tasks/:taskId", Lock: "plan-task-edit", WaitMs: 300,
		BusyID: "cockpit.plan.busy", BusyMessage: "busy",
	}}
	served := p.Host().Stats().CallsServed
	_, err := p.Host().serveInTurn(&routes[0], httpRequest{Method: "PATCH", Path: "/api/v1/plan/tasks/t1", UserID: "u1"})
	assert.ErrorIs(t, err, errTurnBusy)
	assert.Equal(t, served, p.Host().Stats().CallsServed, "the bundle never ran")
}

// Engines waiting for a lock do not make the pool grow past its spread: more engines would queue behind
// the same lock. A caller holding a lock may grow it when every busy engine waits for one (maybe its own).
func TestPoolGrowthIgnoresLockWaits(t *testing.T) {
	p := newPool(nil, 64, time.Second, newAPI(1, 64))
	t.Cleanup(p.close)
	spread := engineSpread * runtime.GOMAXPROCS(0)
	p.live = spread // all busy
	p.returned = time.Now().Add(-time.Hour)
	p.inHostCall.Store(int64(spread))
	p.inLockWait.Store(int64(spread))
	assert.False(t, p.mayGrowLocked(time.Hour, false), "every engine waits for a lock: no growth")
	assert.True(t, p.mayGrowLocked(0, true), "the holder of a lock must get an engine")

	p.inLockWait.Store(int64(spread - 1))
	assert.True(t, p.mayGrowLocked(time.Hour, false), "one engine in another host call, stuck: grow (it may wait for this call)")
	assert.False(t, p.mayGrowLocked(0, true), "not all waiting for a lock: the holder waits like the others")
}

// The holder of a lock queues for an engine ahead of callers that came before it: they may be waiting for
// its lock, or be delayed by it.
func TestPoolServesTheLockHolderFirst(t *testing.T) {
	p := activate(t, newAPI(1, 1), bundleWith(``))
	pool := p.Host().pool
	held, err := pool.acquire("test", placeInLine)
	require.NoError(t, err)

	order := make(chan string, 2)
	waitFor := func(waiters int) {
		require.Eventually(t, func() bool {
			pool.mu.Lock()
			defer pool.mu.Unlock()
			return len(pool.waiters) == waiters
		}, 5*time.Second, time.Millisecond)
	}
	queue := func(name string, ahead bool) {
		go func() {
			place := placeInLine
			if ahead {
				place = placeAhead
			}
			e, err := pool.acquire(name, place)
			if assert.NoError(t, err) {
				order <- name
				pool.release(e, true)
			}
		}()
	}
	queue("first in line", false)
	waitFor(1)
	queue("lock holder", true)
	waitFor(2)
	pool.release(held, true)
	assert.Equal(t, "lock holder", <-order)
	assert.Equal(t, "first in line", <-order)
}
