package host

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrPoolClosed is returned by calls that arrive after the plugin was deactivated.
var ErrPoolClosed = errors.New("script pool is closed")

// ErrPoolExhausted is returned when every VM stayed busy for a whole call timeout.
var ErrPoolExhausted = errors.New("no script engine became free in time")

// logger is the part of plugin.API the pool and the bindings log through.
type logger interface {
	LogDebug(msg string, keyValuePairs ...any)
	LogInfo(msg string, keyValuePairs ...any)
	LogWarn(msg string, keyValuePairs ...any)
	LogError(msg string, keyValuePairs ...any)
}

// PoolStats is what `system.getHostStats` returns (HostStats in TypeScript): the VM pool's counters.
type PoolStats struct {
	PoolIdle     int64 `json:"pool_idle"`
	PoolBusy     int64 `json:"pool_busy"`
	PoolMax      int64 `json:"pool_max"`
	VMsCreated   int64 `json:"vms_created"`
	VMsDiscarded int64 `json:"vms_discarded"`
	CallsServed  int64 `json:"calls_served"`
	CallsFailed  int64 `json:"calls_failed"`
}

// grant hands a waiting caller either a free engine, or (engine == nil) the right to create
// one because a slot was freed by a discarded engine.
type grant struct {
	engine *engine
	err    error
}

// pool runs calls on a set of engines. It pre-warms some, grows on demand up to max, and
// keeps what it grew until it has been idle for idleAfter: then it drops the engines beyond the
// pre-warmed ones and gives their memory back to the OS (an engine holds megabytes of heap, and
// the plugin is idle most of the day). Growing is not an optimisation but a correctness requirement: hooks are
// re-entrant (JS calling CreatePost makes the server call this plugin's hooks while the first
// call still holds its VM), so a fixed single VM behind a mutex would deadlock.
type pool struct {
	newEngine func(id int64) (*engine, error)
	timeout   time.Duration
	log       logger

	mu       sync.Mutex
	idle     []*engine          // free engines, most recently returned last (warm caches)
	live     int                // engines that exist or are being created: idle + busy
	max      int                // live never exceeds it; callers beyond it queue in waiters
	waiters  []chan grant       // FIFO of callers waiting for a busy engine (or for the chance to grow the pool)
	warned   bool               // a saturation warning was logged for the current burst
	creating int                // engines being created on demand (at most one at a time)
	busy     map[*engine]string // what each engine out of the pool runs (hook, or the job's tick): logged when the pool grows
	returned time.Time          // when a call last gave its engine back (the pool's progress)
	closed   bool

	keep      int           // engines never released for idleness (the pre-warmed ones)
	idleAfter time.Duration // an engine beyond keep unused for this long is released; 0: never
	stopReap  chan struct{} // closed by close(): ends the reaper

	inHostCall   atomic.Int64 // engines blocked in a host binding (waiting on Mattermost), lock waits included
	inLockWait   atomic.Int64 // of those, engines waiting for a cluster lock (mutex.lock, mutex.lockWithin)
	nextID       atomic.Int64
	vmsCreated   atomic.Int64
	vmsDiscarded atomic.Int64
	callsServed  atomic.Int64
	callsFailed  atomic.Int64
}

func newPool(newEngine func(id int64) (*engine, error), max int, timeout time.Duration, log logger) *pool {
	p := &pool{
		newEngine: newEngine, max: max, timeout: timeout, log: log,
		busy: map[*engine]string{}, stopReap: make(chan struct{}),
	}
	go p.reapLoop()
	return p
}

// setIdle sets how many engines stay whatever happens and after how long unused the others go.
func (p *pool) setIdle(keep int, idleAfter time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keep, p.idleAfter = keep, idleAfter
}

// reapInterval bounds how late an idle engine is released: a fraction of idleAfter, so a
// short setting (tests) is honoured closely and a long one costs a wake-up every few seconds.
func reapInterval(idleAfter time.Duration) time.Duration {
	return min(max(idleAfter/4, 100*time.Millisecond), 5*time.Second)
}

func (p *pool) reapLoop() {
	timer := time.NewTimer(time.Second)
	defer timer.Stop()
	for {
		select {
		case <-p.stopReap:
			return
		case <-timer.C:
		}
		p.mu.Lock()
		idleAfter := p.idleAfter
		p.mu.Unlock()
		if idleAfter > 0 {
			p.reap(time.Now().Add(-idleAfter))
		}
		timer.Reset(reapInterval(max(idleAfter, time.Second)))
	}
}

// reap releases the engines beyond keep that were last used before cutoff, oldest first, and
// returns how many it released. Use means a call that countsAsUse (a request, a hook): scheduled jobs
// tick every few seconds or minutes on an idle server, two of them now and then at the same moment,
// and if that kept a second engine in use the plugin would never settle to the pre-warmed ones.
// The engines' memory is then handed back to the OS at once: the Go scavenger would otherwise
// return it over minutes, and the RSS an admin sees would not move.
//
// When the whole pool sat idle and is down to the kept engines, those are replaced by fresh ones
// too: the objects of engines that lived side by side share the heap's spans, so one survivor keeps
// most of the spans of those released alive (measured: 80 MB in use for 25 MB of objects after a
// burst of nine engines). Fresh engines made once the others' memory is gone fill spans of their own.
// Not before: extras used more recently than cutoff go at their own time, and renewing them would
// start their idle time again.
func (p *pool) reap(cutoff time.Time) int {
	p.mu.Lock()
	released := 0
	for p.live > p.keep {
		oldest := -1
		for i, e := range p.idle {
			if e.lastUsed.Before(cutoff) && (oldest < 0 || e.lastUsed.Before(p.idle[oldest].lastUsed)) {
				oldest = i
			}
		}
		if oldest < 0 {
			break
		}
		p.idle = slices.Delete(p.idle, oldest, oldest+1)
		p.live--
		released++
	}
	recycled := 0
	if released > 0 && !p.closed && p.live == len(p.idle) && p.live <= p.keep && len(p.waiters) == 0 {
		recycled = len(p.idle)
		p.live -= recycled
		p.idle = nil
	}
	p.mu.Unlock()
	if released+recycled == 0 {
		return 0
	}
	p.log.LogDebug("Released idle script engines", "released", released, "renewed", recycled)
	p.vmsDiscarded.Add(int64(released + recycled))
	debug.FreeOSMemory()
	if recycled > 0 {
		if err := p.warm(recycled); err != nil {
			p.log.LogError("Could not restart a script engine after releasing idle ones", "err", err.Error())
		}
	}
	return released
}

// warm creates engines until `size` exist (bounded by max), in parallel: each one runs the
// whole bundle, which dominates activation time. The first error is returned.
func (p *pool) warm(size int) error {
	p.mu.Lock()
	missing := min(size, p.max) - p.live
	if missing <= 0 || p.closed {
		p.mu.Unlock()
		return nil
	}
	p.live += missing
	p.mu.Unlock()

	created := make([]*engine, missing)
	errs := make([]error, missing)
	var wg sync.WaitGroup
	for i := range missing {
		wg.Go(func() { created[i], errs[i] = p.create() })
	}
	wg.Wait()

	for i := range missing {
		if errs[i] != nil {
			p.release(nil, false)
		} else {
			p.release(created[i], true)
		}
	}
	return errors.Join(errs...)
}

// setMax changes the cap. Extra engines are dropped as they come back, not interrupted. Waiters are not
// woken: under a raised cap they grow the pool by acquire's rules. Handing each one a slot here made every
// caller queued at that moment create an engine at once (the server reports a configuration change while the
// plugin activates, with the jobs' first ticks waiting behind onActivate).
func (p *pool) setMax(max int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.max = max
	for p.live > p.max && len(p.idle) > 0 {
		p.idle = p.idle[:len(p.idle)-1]
		p.live--
		p.vmsDiscarded.Add(1)
	}
}

func (p *pool) create() (*engine, error) {
	e, err := p.newEngine(p.nextID.Add(1))
	if err != nil {
		return nil, err
	}
	p.vmsCreated.Add(1)
	return e, nil
}

// queuePlace is where a caller waits for an engine when none is free, and how soon it may grow the pool.
type queuePlace int

const (
	// placeInLine: first come, first served; grows the pool after growDelay (see acquire).
	placeInLine queuePlace = iota
	// placeAhead: the caller holds a lock others wait for; it queues at the head.
	placeAhead
	// placeBackground: a scheduled job's tick; in line, but it grows the pool only after backgroundPatience,
	// and its use does not keep an engine from being released for idleness (see reap): an engine it
	// created goes as soon as it is free.
	placeBackground
	// placeUncounted: in line like placeInLine, but, like a tick, its use does not keep an engine: a
	// configuration change is an admin's rare act, not traffic (on a first activation it arrives while
	// the jobs' first ticks hold the pre-warmed engine, and the engine made for it would stay
	// HostIdleSeconds).
	placeUncounted
)

// countsAsUse says whether a call from place keeps its engine from being released for idleness.
func (place queuePlace) countsAsUse() bool {
	return place != placeBackground && place != placeUncounted
}

// backgroundPatience is how long a job's tick waits for a busy engine before it may grow the pool. Ticks
// of different jobs meet (on activation they all start at once; later every minute or so), and an engine
// created for such a meeting would stay for HostIdleSeconds while nobody uses the plugin. A tick is in no
// hurry, and it holds none of the bundle's locks while it waits, so no call waits for it. It still grows
// the pool behind a long call (a wave's tick, or another job's: the adoption refresh took over 5 s on a
// loaded machine), well before the call timeout, and that engine goes as soon as it is free again.
const backgroundPatience = 5 * time.Second

// call runs one hook on a free engine and answers the bundle's JSON text.
func (p *pool) call(hook, argJSON string) (string, error) {
	return p.run(hook, argJSON, placeInLine)
}

// run is call; place: see acquire.
func (p *pool) run(hook, argJSON string, place queuePlace) (string, error) {
	task := hook
	if place == placeBackground {
		task = hook + " " + argJSON // which job
	}
	e, err := p.acquire(task, place)
	if err != nil {
		p.callsFailed.Add(1)
		return "", fmt.Errorf("hook %s: %w", hook, err)
	}
	p.mu.Lock()
	p.busy[e] = task
	p.mu.Unlock()
	result, outcome, err := e.call(hook, argJSON, p.timeout, p.logRejection)
	if place.countsAsUse() {
		e.lastUsed = time.Now()
	}
	p.release(e, outcome == engineReusable)
	if err != nil {
		p.callsFailed.Add(1)
		return "", err
	}
	p.callsServed.Add(1)
	return result, nil
}

func (p *pool) logRejection(hook, reason string) {
	p.log.LogError("Unhandled promise rejection in the plugin bundle", "hook", hook, "reason", reason)
}

// acquire hands out a free engine, or waits for one. A caller that holds a lock others wait for
// (placeAhead) queues at the head: while it waits for an engine, everyone waiting for its lock waits too.
// task names the caller in the log line of a growth.
func (p *pool) acquire(task string, place queuePlace) (*engine, error) {
	ahead := place == placeAhead
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrPoolClosed
	}
	if n := len(p.idle); n > 0 {
		e := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.busy[e] = task
		p.mu.Unlock()
		return e, nil
	}
	if p.live == 0 { // nothing busy that could come back: create at once
		p.live++
		p.mu.Unlock()
		return p.createReserved()
	}
	wait := make(chan grant, 1)
	if ahead {
		p.waiters = append([]chan grant{wait}, p.waiters...)
	} else {
		p.waiters = append(p.waiters, wait)
	}
	if p.live >= p.max {
		p.warnSaturatedLocked()
	}
	p.mu.Unlock()

	// Grow with care: a new engine runs the whole bundle (about 100 ms of CPU for the real
	// one) while most calls take well under a millisecond. So a caller first waits growDelay
	// for a busy engine; then it grows the pool only if the CPUs are not already busy running
	// JS (engines blocked in a host call, like the outer half of a re-entrant call, do not
	// count) or if it has waited for longer than a slow call; and one engine is created at a
	// time. Without this, a CPU-bound burst creates an engine per caller and starves the very
	// calls it was meant to serve. A job's tick first waits backgroundPatience, checking less often.
	waitStart := time.Now()
	every := growDelay
	if place == placeBackground {
		every = backgroundPatience / 50
	}
	grow := time.NewTicker(every)
	defer grow.Stop()
	deadline := time.NewTimer(p.timeout)
	defer deadline.Stop()
	for {
		select {
		case g := <-wait:
			return p.take(g)
		case <-grow.C:
			p.mu.Lock()
			waited := time.Since(waitStart)
			patient := place != placeBackground || waited >= backgroundPatience
			if patient && p.live < p.max && p.creating == 0 && p.mayGrowLocked(waited, ahead) && p.removeWaiterLocked(wait) {
				p.logGrowthLocked(task)
				p.live++
				p.creating++
				p.mu.Unlock()
				e, err := p.createReserved()
				p.mu.Lock()
				p.creating--
				p.mu.Unlock()
				return e, err
			}
			if p.live >= p.max {
				p.warnSaturatedLocked()
			}
			p.mu.Unlock() // keep waiting: at the cap, another creation under way, or already granted
		case <-deadline.C:
			p.mu.Lock()
			queued := p.removeWaiterLocked(wait)
			p.mu.Unlock()
			if queued {
				return nil, ErrPoolExhausted
			}
			return p.take(<-wait) // granted in the meantime: take it rather than leak it
		}
	}
}

// mayGrowLocked says whether a caller that has waited this long may create an engine. Every engine
// costs megabytes of heap, and on a loaded server more engines do not make the CPUs faster: below
// engineSpread engines per CPU the pool grows while a CPU is free of JS, or, for a caller that
// waited slowCall (a slow handler must not hold up every other call), while fewer than
// engineSpread engines per CPU run JS. Beyond that, it grows only when no engine is running JS at
// all and the caller waited stuckCall: every engine is blocked in a host call, and one of those
// may be waiting for this very call (JS → API → server → a hook of this plugin), and no call gave
// its engine back for stuckCall either. That last condition tells a stuck pool from a slow one: on
// a server whose CPUs are taken (by Mattermost, the database, other plugins) host calls slow down
// and every engine may well sit in one at a given moment, but while calls keep finishing the queue
// moves, and engines added then only hold more heap (measured under 32 callers on a loaded
// machine: 9 engines and 490 MB of RSS, against 4 engines).
//
// Engines waiting for a cluster lock are not evidence of a stuck pool: more engines would only
// queue behind the same lock (measured: 51 engines, 2.5 GB, for fifty task edits taking turns).
// Beyond the spread, at least one engine must be in another host call. The exception is a caller
// that holds a lock itself (ahead): when every busy engine waits for a lock, one of them may wait
// for that caller's, which cannot be given back before the caller gets an engine.
func (p *pool) mayGrowLocked(waited time.Duration, ahead bool) bool {
	running, procs := p.runningJSLocked(), runtime.GOMAXPROCS(0)
	if p.live < engineSpread*procs {
		return running < procs || (waited >= slowCall && running < engineSpread*procs)
	}
	lockWaits := int(p.inLockWait.Load())
	if ahead && p.live-len(p.idle)-p.creating <= lockWaits {
		return true
	}
	otherHostCalls := int(p.inHostCall.Load()) - lockWaits
	return waited >= stuckCall && running == 0 && otherHostCalls > 0 && time.Since(p.returned) >= stuckCall
}

// slowCall, stuckCall: see mayGrowLocked. engineSpread: engines per CPU the pool grows to under CPU load.
const (
	slowCall     = 50 * time.Millisecond
	stuckCall    = 250 * time.Millisecond
	engineSpread = 2
)

// runningJSLocked counts engines executing JS right now: busy, not being created, not
// blocked in a host binding.
func (p *pool) runningJSLocked() int {
	return p.live - len(p.idle) - p.creating - int(p.inHostCall.Load())
}

// growDelay is how long a caller waits for a busy engine before the pool grows, and how
// often it checks again while another engine is being created.
const growDelay = 2 * time.Millisecond

// logGrowthLocked says, at debug level, who grew the pool while which calls held every engine: an
// engine costs megabytes for as long as it stays, so an admin asking why there are more engines than
// the pre-warmed ones finds the callers here.
func (p *pool) logGrowthLocked(task string) {
	busy := make([]string, 0, len(p.busy))
	for _, t := range p.busy {
		busy = append(busy, t)
	}
	slices.Sort(busy)
	p.log.LogDebug("Script engine pool grows", "for", task, "engines", p.live+1, "busy_with", strings.Join(busy, "; "))
}

// warnSaturatedLocked logs once per burst: a line per waiting call would flood the server
// log exactly when the server is already under pressure.
func (p *pool) warnSaturatedLocked() {
	if !p.warned {
		p.warned = true
		p.log.LogWarn("All script engines are busy; calls are waiting. Consider raising HostPoolMax.", "pool_max", p.max)
	}
}

// take turns a grant into an engine: a free one, or a new one in a freed slot.
func (p *pool) take(g grant) (*engine, error) {
	if g.err != nil {
		return nil, g.err
	}
	if g.engine != nil {
		return g.engine, nil
	}
	return p.createReserved()
}

// createReserved creates an engine for a slot already counted in live.
func (p *pool) createReserved() (*engine, error) {
	e, err := p.create()
	if err != nil {
		p.release(nil, false)
		return nil, err
	}
	return e, nil
}

// release returns an engine (reusable) or gives up its slot (discarded, or creation failed).
func (p *pool) release(e *engine, reusable bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.busy, e)
	p.returned = time.Now()
	if e == nil || !reusable || p.closed || p.live > p.max {
		p.live--
		if e != nil {
			p.vmsDiscarded.Add(1)
		}
		p.wakeWaitersLocked()
		return
	}
	if len(p.waiters) > 0 {
		p.popWaiterLocked() <- grant{engine: e}
		return
	}
	p.idle = append(p.idle, e)
	p.warned = false // an engine is free with nobody waiting: the burst is over
}

// wakeWaitersLocked lets waiters create engines in slots freed below the cap.
func (p *pool) wakeWaitersLocked() {
	for len(p.waiters) > 0 && (p.closed || p.live < p.max) {
		if p.closed {
			p.popWaiterLocked() <- grant{err: ErrPoolClosed}
			continue
		}
		p.live++
		p.popWaiterLocked() <- grant{}
	}
}

func (p *pool) popWaiterLocked() chan grant {
	w := p.waiters[0]
	p.waiters = p.waiters[1:]
	return w
}

func (p *pool) removeWaiterLocked(w chan grant) bool {
	for i, q := range p.waiters {
		if q == w {
			p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
			return true
		}
	}
	return false
}

// close drops idle engines and fails waiters; busy engines are dropped when they return.
func (p *pool) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		close(p.stopReap)
	}
	p.closed = true
	p.vmsDiscarded.Add(int64(len(p.idle)))
	p.live -= len(p.idle)
	p.idle = nil
	p.wakeWaitersLocked()
}

func (p *pool) stats() PoolStats {
	p.mu.Lock()
	idle, live, max := len(p.idle), p.live, p.max
	p.mu.Unlock()
	return PoolStats{
		PoolIdle:     int64(idle),
		PoolBusy:     int64(live - idle),
		PoolMax:      int64(max),
		VMsCreated:   p.vmsCreated.Load(),
		VMsDiscarded: p.vmsDiscarded.Load(),
		CallsServed:  p.callsServed.Load(),
		CallsFailed:  p.callsFailed.Load(),
	}
}
