package host

import (
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/dop251/goja"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// realBundle reads the webpack output the plugin embeds (built by `make server-bundle`, which
// `make test-host` depends on).
func realBundle(t testing.TB) string {
	t.Helper()
	path := "../dist/plugin.js"
	if other := os.Getenv("ENGINE_HEAP_BUNDLE"); other != "" { // another build, to compare
		path = other
	}
	source, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		t.Skip("server/dist/plugin.js is not built (make server-bundle)")
	}
	require.NoError(t, err)
	return string(source)
}

// realEngineCost compiles the real bundle once, then reports the live heap the compiled program
// holds and what each of `engines` engines adds, after a full collection.
func realEngineCost(t testing.TB, engines int) (program uint64, perEngine uint64, compile, create time.Duration) {
	t.Helper()
	source := realBundle(t)
	h := newHost(newAPI(1, 1), nil, nil, poolSettings{size: 1, max: 1}, time.Second)
	defer h.shutdown()
	base := liveHeap()
	start := time.Now()
	compiled, err := goja.Compile("plugin.js", source, false)
	require.NoError(t, err)
	compile = time.Since(start)
	afterCompile := liveHeap()
	held := make([]*engine, 0, engines)
	start = time.Now()
	for i := range engines {
		e, err := newEngine(int64(i), compiled, h.installGlobals)
		require.NoError(t, err)
		held = append(held, e)
	}
	create = time.Since(start) / time.Duration(engines)
	afterEngines := liveHeap()
	if path := os.Getenv("ENGINE_HEAP_PROFILE"); path != "" {
		f, err := os.Create(path)
		require.NoError(t, err)
		require.NoError(t, pprof.WriteHeapProfile(f))
		require.NoError(t, f.Close())
	}
	runtime.KeepAlive(held)
	runtime.KeepAlive(compiled)
	return afterCompile - base, (afterEngines - afterCompile) / uint64(engines), compile, create
}

// engineHeapBudget fails the test when an engine grows far past what it holds today (24.5 MB with the
// contract's schemas built at load): every engine's heap is paid on every server node, per engine alive.
const engineHeapBudget = 32 << 20

func TestRealBundleEngineHeap(t *testing.T) {
	program, perEngine, compile, create := realEngineCost(t, 3)
	assert.LessOrEqual(t, perEngine, uint64(engineHeapBudget), "one engine's live heap after loading the bundle")
	t.Logf("compiled program %.1f MB (%s); per engine %.1f MB (%s to create)",
		float64(program)/(1<<20), compile.Round(time.Millisecond), float64(perEngine)/(1<<20), create.Round(time.Millisecond))
}
