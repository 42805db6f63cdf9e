package host

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/pluginapi/cluster"
)

// jobKeyPrefix namespaces the cluster job keys of the bundle's jobs (the scheduler adds its
// own "cron_" prefix in the KV store).
const jobKeyPrefix = "cockpit_"

// clusterAPI is what the pluginapi cluster helpers need; plugin.API satisfies it.
type clusterAPI interface {
	cluster.JobPluginAPI
}

// jobs keeps the recurring jobs the bundle scheduled. Each tick dispatches the "runJob" hook
// with {"jobId": id}; the cluster scheduler makes sure one node runs it at a time.
type jobs struct {
	api clusterAPI
	run func(jobID string) // dispatches runJob through the pool

	mu        sync.Mutex
	scheduled map[string]scheduledJob
	everyNode map[string]*nodeJob
}

// nodeJob is a recurring job of this node alone: every node of a cluster runs its own, so work the
// bundle shares out under its own locks (a wave's shards) uses every app server's CPU.
type nodeJob struct {
	interval time.Duration
	stop     chan struct{}
	done     chan struct{}
}

type scheduledJob struct {
	job      *cluster.Job
	interval time.Duration
}

func newJobs(api clusterAPI, run func(jobID string)) *jobs {
	return &jobs{api: api, run: run, scheduled: map[string]scheduledJob{}, everyNode: map[string]*nodeJob{}}
}

// scheduleOnEveryNode runs the job on this node, waiting `intervalSeconds` after each run ends (as the
// cluster scheduler's MakeWaitForInterval does). Idempotent like schedule; another interval replaces it.
func (j *jobs) scheduleOnEveryNode(jobID string, intervalSeconds int64) error {
	if jobID == "" || intervalSeconds <= 0 {
		return badArguments("jobs.scheduleOnEveryNode needs a job id and a positive interval")
	}
	interval := time.Duration(intervalSeconds) * time.Second

	j.mu.Lock()
	defer j.mu.Unlock()
	if existing, ok := j.everyNode[jobID]; ok {
		if existing.interval == interval {
			return nil
		}
		// As in schedule: the caller may be a tick of this very job, so never wait for it.
		close(existing.stop)
	}
	job := &nodeJob{interval: interval, stop: make(chan struct{}), done: make(chan struct{})}
	j.everyNode[jobID] = job
	go func() {
		defer close(job.done)
		for {
			select {
			case <-job.stop:
				return
			case <-time.After(interval):
			}
			j.run(jobID)
		}
	}()
	return nil
}

// schedule is idempotent: the bundle calls it on every activation. Re-scheduling with another
// interval replaces the job.
func (j *jobs) schedule(jobID string, intervalSeconds int64) error {
	if jobID == "" || intervalSeconds <= 0 {
		return badArguments("jobs.schedule needs a job id and a positive interval")
	}
	interval := time.Duration(intervalSeconds) * time.Second

	j.mu.Lock()
	defer j.mu.Unlock()
	if existing, ok := j.scheduled[jobID]; ok {
		if existing.interval == interval {
			return nil
		}
		// Closing waits for a running tick; that tick may be the caller itself (a runJob
		// handler re-scheduling its own job), so never wait for it here.
		go func() { _ = existing.job.Close() }()
	}
	job, err := cluster.Schedule(j.api, jobKeyPrefix+jobID, cluster.MakeWaitForInterval(interval), func() { j.run(jobID) })
	if err != nil {
		return err
	}
	j.scheduled[jobID] = scheduledJob{job: job, interval: interval}
	return nil
}

// cancel stops a job; cancelling an unknown job is not an error. Like schedule, it does not
// wait for a tick in progress.
func (j *jobs) cancel(jobID string) {
	j.mu.Lock()
	existing, ok := j.scheduled[jobID]
	delete(j.scheduled, jobID)
	local, isLocal := j.everyNode[jobID]
	delete(j.everyNode, jobID)
	j.mu.Unlock()
	if ok {
		go func() { _ = existing.job.Close() }()
	}
	if isLocal {
		close(local.stop)
	}
}

// closeAll stops every job and waits for running ticks (OnDeactivate).
func (j *jobs) closeAll() {
	j.mu.Lock()
	all := j.scheduled
	j.scheduled = map[string]scheduledJob{}
	local := j.everyNode
	j.everyNode = map[string]*nodeJob{}
	j.mu.Unlock()
	for _, s := range all {
		_ = s.job.Close()
	}
	for _, l := range local {
		close(l.stop)
		<-l.done
	}
}

// mutexes are cluster-wide locks held on behalf of the bundle, by name. They are released
// in OnDeactivate so a crashed-and-reactivated plugin does not wait for the 15 s expiry.
//
// Engines of this process waiting for the same name queue on a local one-slot channel first and
// only the one at its head polls the cluster lock: the cluster mutex polls its KV key about once a
// second, so fifty requests of one node waiting for one lock would otherwise each wait in whole
// seconds and hammer the KV store, while a local hand-over takes microseconds.
type mutexes struct {
	api     cluster.MutexPluginAPI
	timeout time.Duration // how long lock() may wait; a VM blocked in Go cannot be interrupted

	mu    sync.Mutex
	byID  map[string]*cluster.Mutex // created once per name, reused
	local map[string]chan struct{}  // one slot per name: the engine of this process holding or taking it
	held  map[string]bool
}

func newMutexes(api cluster.MutexPluginAPI, timeout time.Duration) *mutexes {
	return &mutexes{
		api: api, timeout: timeout,
		byID: map[string]*cluster.Mutex{}, local: map[string]chan struct{}{}, held: map[string]bool{},
	}
}

// mutexTimeoutID is the error id of a lock not taken within its wait.
const mutexTimeoutID = "cockpit.host.mutex_timeout"

func (m *mutexes) lock(name string) error {
	return m.lockWithin(name, m.timeout)
}

// lockWithin is lock with a shorter wait (never longer than the call timeout): a caller that has
// something else to do (the waves job when a request runs the wave) gives up sooner.
func (m *mutexes) lockWithin(name string, wait time.Duration) error {
	if name == "" {
		return badArguments("mutex.lock needs a name")
	}
	if wait <= 0 || wait > m.timeout {
		wait = m.timeout
	}
	m.mu.Lock()
	mutex, ok := m.byID[name]
	if !ok {
		var err error
		if mutex, err = cluster.NewMutex(m.api, jobKeyPrefix+name); err != nil {
			m.mu.Unlock()
			return err
		}
		m.byID[name] = mutex
		m.local[name] = make(chan struct{}, 1)
	}
	slot := m.local[name]
	m.mu.Unlock()

	// Waiting happens outside m.mu: another VM may hold this lock and need m.mu to unlock it.
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	timedOut := &HostError{
		StatusCode: http.StatusServiceUnavailable,
		ID:         mutexTimeoutID,
		Message:    "timed out waiting for lock " + name,
	}
	select {
	case slot <- struct{}{}:
	case <-ctx.Done():
		return timedOut
	}
	if err := mutex.LockWithContext(ctx); err != nil {
		<-slot
		return timedOut
	}
	m.mu.Lock()
	m.held[name] = true
	m.mu.Unlock()
	return nil
}

func (m *mutexes) unlock(name string) error {
	m.mu.Lock()
	if !m.held[name] {
		m.mu.Unlock()
		return badArguments("mutex %q is not held", name)
	}
	delete(m.held, name)
	mutex, slot := m.byID[name], m.local[name]
	m.mu.Unlock()
	mutex.Unlock()
	<-slot
	return nil
}

func (m *mutexes) releaseAll() {
	m.mu.Lock()
	var held []*cluster.Mutex
	var slots []chan struct{}
	for name := range m.held {
		held = append(held, m.byID[name])
		slots = append(slots, m.local[name])
	}
	m.held = map[string]bool{}
	m.mu.Unlock()
	for i, mutex := range held {
		mutex.Unlock()
		<-slots[i]
	}
}
