package host

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGCLimitIsTheBudgetUntilTheLiveHeapNeedsMore(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		name           string
		budget         int64
		live, overhead uint64
		want           int64
	}{
		{"a small live heap: the budget", 120 * mb, 50 * mb, 12 * mb, 120 * mb},
		{"a live heap the budget barely holds: room of half of it", 120 * mb, 80 * mb, 12 * mb, 132 * mb},
		{"a tiny live heap still gets the least room", 8 * mb, 2 * mb, 4 * mb, 22 * mb},
		{"far above the budget", 120 * mb, 400 * mb, 20 * mb, 620 * mb},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, gcLimit(tt.budget, tt.live, tt.overhead))
		})
	}
}

// garbage keeps the allocations of gcCyclesWhileAllocating from being optimised away.
var garbage []byte

func gcCyclesWhileAllocating(total int) uint32 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range total / (32 << 10) {
		garbage = make([]byte, 32<<10)
	}
	runtime.ReadMemStats(&after)
	return after.NumGC - before.NumGC
}

// A wave or an import can hold more live heap than the budget: the limit then rises with it (recomputed after
// every collection), so the GC collects about as often as with no budget instead of back to back, and returns
// to the budget once the heap is small again.
func TestALiveHeapAboveTheBudgetIsNotCollectedBackToBack(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer applyMemoryLimit(0)
	const budgetMB, liveMB, churn = 48, 96, 384 << 20
	applyMemoryLimit(0)
	live := make([]byte, liveMB<<20)
	for i := range live { // touched, so it is resident like a real heap
		live[i] = byte(i)
	}
	runtime.GC()
	withoutBudget := gcCyclesWhileAllocating(churn)

	applyMemoryLimit(budgetMB)
	runtime.GC()
	require.Eventually(t, func() bool { return debug.SetMemoryLimit(-1) > liveMB<<20 }, 5*time.Second, 10*time.Millisecond,
		"the limit rises above the live heap after a collection")
	withBudget := gcCyclesWhileAllocating(churn)
	runtime.KeepAlive(live)
	t.Logf("GC cycles for %d MB allocated over %d MB live: %d without a budget, %d with a %d MB budget",
		churn>>20, liveMB, withoutBudget, withBudget, budgetMB)
	assert.LessOrEqual(t, withBudget, 3*withoutBudget+3)

	// live is not read again: the next collections free it.
	runtime.GC()
	runtime.GC()
	assert.Eventually(t, func() bool { runtime.GC(); return debug.SetMemoryLimit(-1) == budgetMB<<20 }, 5*time.Second, 50*time.Millisecond,
		"back to the budget once the live heap is small")
}
