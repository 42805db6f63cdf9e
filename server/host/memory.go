package host

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
)

// MemoryStats is the plugin process's memory as the host sees it: what the kernel charges the
// process (RSS), what the Go heap holds, and how many script engines exist. It is what the
// Go-native route memoryPath answers and what the memory benchmark prints.
type MemoryStats struct {
	RSSBytes          uint64 `json:"rss_bytes"`           // VmRSS of /proc/self/status (0 where there is none)
	HeapAllocBytes    uint64 `json:"heap_alloc_bytes"`    // objects, live or not yet collected
	HeapInuseBytes    uint64 `json:"heap_inuse_bytes"`    // spans holding objects, with their free slots
	HeapIdleBytes     uint64 `json:"heap_idle_bytes"`     // spans holding nothing
	HeapReleasedBytes uint64 `json:"heap_released_bytes"` // of heap_idle, what was given back to the OS
	GoSysBytes        uint64 `json:"go_sys_bytes"`        // everything the Go runtime obtained from the OS
	StackInuseBytes   uint64 `json:"stack_inuse_bytes"`   // goroutine stacks
	RuntimeMetaBytes  uint64 `json:"runtime_meta_bytes"`  // the GC's and the allocator's own bookkeeping
	TotalAllocBytes   uint64 `json:"total_alloc_bytes"`   // allocated since the process started (garbage included)
	MemoryLimitBytes  int64  `json:"memory_limit_bytes"`  // the GC's soft limit (math.MaxInt64: none)
	MemoryBudgetBytes int64  `json:"memory_budget_bytes"` // the plugin's budget the limit follows (0: none)
	NumGC             uint32 `json:"num_gc"`
	Engines           int64  `json:"engines"`      // engines that exist: idle + busy
	EnginesIdle       int64  `json:"engines_idle"` // of which free
}

// Memory reads the current figures without collecting first: it is what an admin's monitoring sees.
func (h *Host) Memory() MemoryStats {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	stats := h.pool.stats()
	return MemoryStats{
		RSSBytes:          processRSS(),
		HeapAllocBytes:    m.HeapAlloc,
		HeapInuseBytes:    m.HeapInuse,
		HeapIdleBytes:     m.HeapIdle,
		HeapReleasedBytes: m.HeapReleased,
		GoSysBytes:        m.Sys,
		StackInuseBytes:   m.StackInuse,
		RuntimeMetaBytes:  m.GCSys + m.MSpanSys + m.MCacheSys + m.BuckHashSys + m.OtherSys,
		TotalAllocBytes:   m.TotalAlloc,
		MemoryLimitBytes:  debug.SetMemoryLimit(-1),
		MemoryBudgetBytes: gcBudget.Budget(),
		NumGC:             m.NumGC,
		Engines:           stats.PoolIdle + stats.PoolBusy,
		EnginesIdle:       stats.PoolIdle,
	}
}

// EngineCost measures what one engine holds on the Go heap: the live heap after a full
// collection, before and after creating an engine that loads the bundle. The engine is thrown
// away afterwards; it never joins the pool, so calls in flight are not disturbed (they do add
// noise to the figure, which is why the benchmark asks while no load runs).
func (h *Host) EngineCost() (uint64, error) {
	before := liveHeap()
	e, err := h.pool.newEngine(-1)
	if err != nil {
		return 0, err
	}
	after := liveHeap()
	runtime.KeepAlive(e)
	if after < before {
		return 0, nil
	}
	return after - before, nil
}

// liveHeap is the heap's live bytes after a full collection (twice: finalizers queued by the
// first free more in the second).
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// processRSS reads the resident set size from /proc (Linux); 0 elsewhere.
func processRSS() uint64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	scanner := bufio.NewScanner(bytes.NewReader(status))
	for scanner.Scan() {
		fields := bytes.Fields(scanner.Bytes())
		if len(fields) >= 2 && string(fields[0]) == "VmRSS:" {
			kb, convErr := strconv.ParseUint(string(fields[1]), 10, 64)
			if convErr != nil {
				return 0
			}
			return kb * 1024
		}
	}
	return 0
}
