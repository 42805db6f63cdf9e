package host

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// minGCRoom is the least room the limit leaves above the live heap, so a small heap is not collected
// for every few kilobytes allocated.
const minGCRoom = 16 << 20

// gcLimit is the GC's soft memory limit for a budget (bytes): the budget itself while the live heap
// fits well inside it, otherwise what the runtime holds beside the heap's objects (overhead) plus the
// live heap and half as much again (at least minGCRoom). Go's default GC lets the heap grow to twice
// what is live; a limit below the live heap would make it collect back to back, while this floor
// makes it collect at most about twice as often as without a budget.
func gcLimit(budget int64, live, overhead uint64) int64 {
	floor := overhead + live + max(live/2, minGCRoom)
	if floor > math.MaxInt64 {
		return math.MaxInt64
	}
	return max(budget, int64(floor))
}

// gcBudget is the process's one budget: the GC's limit is a process-wide setting.
var gcBudget memoryBudget

// memoryBudget keeps the GC's soft limit at gcLimit, recomputed after every collection (a finalizer
// on a sentinel object runs once per GC cycle that frees it) while a budget is set.
type memoryBudget struct {
	mu       sync.Mutex
	budget   int64 // bytes; 0: none
	watching bool  // a sentinel is waiting for the next collection
}

// applyMemoryLimit gives the Go GC the plugin's memory budget in MB (0: none), unless the admin set a
// limit for the process with GOMEMLIMIT (which then wins, as it does for any Go program). Near the
// budget the GC collects sooner and returns free spans to the system, so the process stays near
// what is live instead of twice that.
func applyMemoryLimit(mb int) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		gcBudget.set(0, false)
		return
	}
	gcBudget.set(int64(mb)<<20, true)
}

// set stores the budget; own says whether the limit is this host's to set (false: GOMEMLIMIT's).
func (m *memoryBudget) set(budget int64, own bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.budget = budget
	if budget == 0 {
		if own {
			debug.SetMemoryLimit(math.MaxInt64)
		}
		return
	}
	m.adjustLocked()
	if !m.watching {
		m.watching = true
		watchNextGC(m)
	}
}

// Budget is the budget set (bytes; 0: none).
func (m *memoryBudget) Budget() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.budget
}

func (m *memoryBudget) afterGC() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.budget == 0 {
		m.watching = false
		return
	}
	m.adjustLocked()
	watchNextGC(m)
}

func (m *memoryBudget) adjustLocked() {
	live, overhead := heapFigures()
	debug.SetMemoryLimit(gcLimit(m.budget, live, overhead))
}

// gcSentinel holds a pointer so it is not batched by the tiny allocator (whose objects may never be
// finalized).
type gcSentinel struct{ budget *memoryBudget }

func watchNextGC(m *memoryBudget) {
	runtime.SetFinalizer(&gcSentinel{budget: m}, func(s *gcSentinel) { s.budget.afterGC() })
}

var heapSamples = []string{
	"/gc/heap/live:bytes",
	"/memory/classes/total:bytes",
	"/memory/classes/heap/released:bytes",
	"/memory/classes/heap/free:bytes",
	"/memory/classes/heap/objects:bytes",
}

// heapFigures reads the heap marked live by the last collection and what the runtime holds from the
// system beside heap objects and free spans (stacks, its own bookkeeping, fragmentation), without
// stopping the world.
func heapFigures() (live, overhead uint64) {
	samples := make([]metrics.Sample, len(heapSamples))
	for i, name := range heapSamples {
		samples[i].Name = name
	}
	metrics.Read(samples)
	value := func(i int) uint64 {
		if samples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return samples[i].Value.Uint64()
	}
	total, notOverhead := value(1), value(2)+value(3)+value(4)
	if total < notOverhead {
		return value(0), 0
	}
	return value(0), total - notOverhead
}
