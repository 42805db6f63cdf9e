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

// What one script engine costs, on the real bundle and without a server: the quickest signal while cutting
// an engine's heap. `go test ./host -run TestRealBundleEngineHeap -v` prints it; ENGINE_HEAP_BUNDLE=other.js
// measures another build (a bundle of the contract alone, say), ENGINE_HEAP_PROFILE=heap.pprof writes the
// heap profile taken while the engines are alive.

// realBundle reads the webpack output the plugin embeds (built by `make server-bundle`, which
// `make test-host` depends on), or the build ENGINE_HEAP_BUNDLE names.
func realBundle(t testing.TB) string {
	t.Helper()
	path := "../dist/plugin.js"
	if other := os.Getenv("ENGINE_HEAP_BUNDLE"); other != "" {
		path = other
	}
	source, err := os.ReadFile(path) //nolint:gosec // G304, G703: a bundle the developer running the test names
	if os.IsNotExist(err) {
		t.Skip("server/dist/plugin.js is not built (make server-bundle)")
	}
	require.NoError(t, err)
	return string(source)
}

// measuredEngines: enough that one engine's share is not noise, few enough to stay fast.
const measuredEngines = 3

// realEngineCost compiles the real bundle once, then reports the live heap the compiled program holds
// (shared by every engine: its code and the inline source map) and what one engine adds, after a full
// collection, with how long each took.
func realEngineCost(t testing.TB) (program, perEngine uint64, compile, create time.Duration) {
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
	held := make([]*engine, 0, measuredEngines)
	start = time.Now()
	for id := range int64(measuredEngines) {
		e, err := newEngine(-1-id, compiled, h.installGlobals)
		require.NoError(t, err)
		held = append(held, e)
	}
	create = time.Since(start) / measuredEngines
	afterEngines := liveHeap()
	if path := os.Getenv("ENGINE_HEAP_PROFILE"); path != "" {
		f, err := os.Create(path) //nolint:gosec // G304: where the developer asked for the profile
		require.NoError(t, err)
		require.NoError(t, pprof.WriteHeapProfile(f))
		require.NoError(t, f.Close())
	}
	runtime.KeepAlive(held)
	runtime.KeepAlive(compiled)
	return afterCompile - base, (afterEngines - afterCompile) / measuredEngines, compile, create
}

// engineHeapBudget fails the test when an engine grows well past what it holds today (4.7 MB: zod's own
// module and the bundle's functions; the contract's schemas are built on first use, contract/lazy.ts,
// where building them all at load took 24.5 MB): every engine alive pays it, on every server node, and a
// schema built at load again (a top-level .parse, .shape or .extend outside lazySchema) shows here.
const engineHeapBudget = 10 << 20

func TestRealBundleEngineHeap(t *testing.T) {
	program, perEngine, compile, create := realEngineCost(t)
	assert.LessOrEqual(t, perEngine, uint64(engineHeapBudget), "one engine's live heap after loading the bundle")
	t.Logf("compiled program %.1f MB (%s); per engine %.1f MB (%s to create)",
		float64(program)/(1<<20), compile.Round(time.Millisecond), float64(perEngine)/(1<<20), create.Round(time.Millisecond))
}
