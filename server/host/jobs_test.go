package host

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
)

func TestScheduledJobDispatchesRunJob(t *testing.T) {
	api := newAPI(1, 2)
	// The cluster scheduler keeps its lock and metadata in the KV store.
	api.On("KVSetWithOptions", mock.Anything, mock.Anything, mock.Anything).Return(true, nil)
	api.On("KVGet", "cron_cockpit_digest").Return(nil, nil)
	ran := make(chan string, 4)
	api.On("KVSet", "ran", mock.Anything).Return(nil).Run(func(args mock.Arguments) { ran <- string(args.Get(1).([]byte)) })
	p := New("test.js", bundleWith(`
		onActivate: function () {
			host('jobs.schedule', 'digest', 3600);
			host('jobs.schedule', 'digest', 3600); // idempotent: activation may run again
		},
		runJob: function (args) { host('kv.set', 'ran', args.jobId); },
	`))
	p.SetAPI(api)
	require.NoError(t, p.OnActivate())

	select {
	case jobID := <-ran:
		assert.Equal(t, "digest", jobID)
	case <-time.After(5 * time.Second):
		t.Fatal("the job never ran")
	}
	assert.Len(t, p.Host().jobs.scheduled, 1)

	within(t, 5*time.Second, func() { require.NoError(t, p.OnDeactivate()) })
	assert.Empty(t, ran, "ran once: the next tick is an hour away")
}

func TestJobsCancel(t *testing.T) {
	api := newAPI(1, 2)
	api.On("KVSetWithOptions", mock.Anything, mock.Anything, mock.Anything).Return(true, nil)
	api.On("KVGet", mock.Anything).Return(nil, nil)
	p := activate(t, api, bundleWith(`
		test: function () { host('jobs.schedule', 'a', 60); host('jobs.cancel', 'a'); host('jobs.cancel', 'never-scheduled'); },
	`))
	_, err := call(p, "test", "null")
	require.NoError(t, err)
	assert.Empty(t, p.Host().jobs.scheduled)
}

func TestMutexLockUnlock(t *testing.T) {
	api := newAPI(1, 2)
	const key = "mutex_cockpit_plan"
	api.On("KVSetWithOptions", key, []byte{1}, model.PluginKVSetOptions{Atomic: true, ExpireInSeconds: 15}).Return(true, nil)
	api.On("KVSetWithOptions", key, []byte(nil), model.PluginKVSetOptions{}).Return(true, nil)
	p := New("test.js", bundleWith(`
		test: function () {
			host('mutex.lock', 'plan');
			host('mutex.unlock', 'plan');
			try { host('mutex.unlock', 'plan'); } catch (e) { return e.status_code; }
		},
		lockAndKeep: function () { host('mutex.lock', 'plan'); },
	`))
	p.SetAPI(api)
	require.NoError(t, p.OnActivate())

	got, err := call(p, "test", "null")
	require.NoError(t, err)
	assert.Equal(t, "400", got, "unlocking a lock that is not held throws a 400")
	api.AssertNumberOfCalls(t, "KVSetWithOptions", 2)

	// A lock the bundle forgot is released on deactivation.
	_, err = call(p, "lockAndKeep", "null")
	require.NoError(t, err)
	require.NoError(t, p.OnDeactivate())
	api.AssertNumberOfCalls(t, "KVSetWithOptions", 4)
}

func TestDeactivateClosesThePool(t *testing.T) {
	api := newAPI(2, 4)
	api.On("KVSet", "bye", []byte("1")).Return(nil).Once()
	p := New("test.js", bundleWith(`onDeactivate: function () { host('kv.set', 'bye', '1'); }`))
	p.SetAPI(api)
	require.NoError(t, p.OnActivate())
	h := p.Host()
	require.NoError(t, p.OnDeactivate())

	api.AssertExpectations(t)
	assert.Nil(t, p.Host())
	_, err := h.pool.call("test", "null")
	require.ErrorIs(t, err, ErrPoolClosed)
	assert.Equal(t, int64(0), h.Stats().PoolIdle)
	p.UserHasLoggedIn(nil, &model.User{Id: "u1"}) // logged, not a panic
}

// mutex.lockWithin gives up after its own wait, well before the call timeout, with the same error as lock.
func TestMutexLockWithinGivesUpSoon(t *testing.T) {
	api := newAPI(1, 2)
	const key = "mutex_cockpit_wave-w1"
	// Someone else holds the lock all along: every attempt to take it fails.
	api.On("KVSetWithOptions", key, []byte{1}, model.PluginKVSetOptions{Atomic: true, ExpireInSeconds: 15}).Return(false, nil)
	p := activate(t, api, bundleWith(`
		test: function () {
			try { host('mutex.lockWithin', 'wave-w1', 300); } catch (e) { return e.status_code + ' ' + e.id; }
		},
	`))
	started := time.Now()
	got, err := call(p, "test", "null")
	require.NoError(t, err)
	assert.Equal(t, `"503 cockpit.host.mutex_timeout"`, got)
	assert.Less(t, time.Since(started), 5*time.Second, "gave up after its wait, not the 30 s call timeout")
}

func TestJobOnEveryNodeRunsOnThisNodeWithoutTheClusterScheduler(t *testing.T) {
	api := newAPI(1, 2)
	ran := make(chan string, 8)
	api.On("KVSet", "ran", mock.Anything).Return(nil).Run(func(args mock.Arguments) { ran <- string(args.Get(1).([]byte)) })
	p := New("test.js", bundleWith(`
		onActivate: function () {
			host('jobs.scheduleOnEveryNode', 'waves', 1);
			host('jobs.scheduleOnEveryNode', 'waves', 1); // idempotent: activation may run again
		},
		runJob: function (args) { host('kv.set', 'ran', args.jobId); },
		node: function () { return host('system.getNodeId'); },
	`))
	p.SetAPI(api)
	require.NoError(t, p.OnActivate())

	// Twice, one interval apart: no cluster metadata or lock is written (the mock would fail on KVSetWithOptions).
	for range 2 {
		select {
		case jobID := <-ran:
			assert.Equal(t, "waves", jobID)
		case <-time.After(5 * time.Second):
			t.Fatal("the job did not run")
		}
	}
	assert.Len(t, p.Host().jobs.everyNode, 1)
	assert.Empty(t, p.Host().jobs.scheduled)

	node, err := call(p, "node", "null")
	require.NoError(t, err)
	assert.Len(t, node, 28, "a quoted 26-character id")
	assert.Equal(t, `"`+p.Host().nodeID+`"`, node)

	h := p.Host()
	within(t, 5*time.Second, func() { require.NoError(t, p.OnDeactivate()) })
	assert.Empty(t, h.jobs.everyNode)
	for len(ran) > 0 {
		<-ran
	}
	time.Sleep(1500 * time.Millisecond)
	assert.Empty(t, ran, "no run after deactivation")
}

// Engines of one process waiting for the same lock queue locally: one holder at a time even where the
// cluster lock alone would let them overlap (the mock's KV accepts every attempt), and every acquisition
// costs one KV attempt, no polling.
func TestMutexWaitersOfOneProcessQueueLocally(t *testing.T) {
	api := newAPI(1, 2)
	const key = "mutex_cockpit_plan-edit"
	api.On("KVSetWithOptions", key, []byte{1}, model.PluginKVSetOptions{Atomic: true, ExpireInSeconds: 15}).Return(true, nil)
	api.On("KVSetWithOptions", key, []byte(nil), model.PluginKVSetOptions{}).Return(true, nil)
	m := newMutexes(api, 10*time.Second)

	const waiters = 8
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for range waiters {
		wg.Go(func() {
			assert.NoError(t, m.lockWithin("plan-edit", 5*time.Second))
			now := inside.Add(1)
			for {
				seen := most.Load()
				if now <= seen || most.CompareAndSwap(seen, now) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			inside.Add(-1)
			assert.NoError(t, m.unlock("plan-edit"))
		})
	}
	wg.Wait()
	assert.Equal(t, int32(1), most.Load(), "never two holders at once")
	api.AssertNumberOfCalls(t, "KVSetWithOptions", 2*waiters)
}
