// Command hostbench measures what running a route in JS costs compared with Go, inside the
// same host: the same ServeHTTP, the same checks, a mock API, no network. It also reports
// how many VMs the pool creates under concurrent load. Run it with bench/host.sh.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/mock"

	"github.com/onboarding-cockpit/onboarding-cockpit/server/host"
)

// benchBundle does what a real bundle does for a trivial route: decode the request, find
// the route, encode a JSON answer.
const benchBundle = `
var routes = {
    'GET /api/v1/bench/ping': function () { return {status: 200, body: JSON.stringify({ok: true})}; },
};
var __plugin = {
    dispatch: function (hook, argJSON) {
        if (hook !== 'serveHTTP') { return 'null'; }
        var req = JSON.parse(argJSON);
        var route = routes[req.method + ' ' + req.path];
        var res = route ? route(req) : {status: 404, body: '{"error":{"id":"cockpit.route.not_found","message":"not found"}}'};
        return JSON.stringify(res);
    },
};
`

const goPath = "/api/v1/host/ping"

var jsPath = "/api/v1/bench/ping"

func main() {
	sequential := flag.Int("n", 3000, "sequential requests per route")
	callers := flag.Int("callers", 32, "concurrent callers")
	perCaller := flag.Int("per-caller", 100, "requests per concurrent caller")
	poolSize := flag.Int("pool-size", 4, "pre-warmed VMs (HostPoolSize)")
	poolMax := flag.Int("pool-max", 64, "VM cap (HostPoolMax)")
	bundlePath := flag.String("bundle", "", "a real bundle (server/dist/plugin.js) instead of the inline fixture")
	flag.StringVar(&jsPath, "js-path", jsPath, "the JS route to measure (GET, answering 200)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the whole run here")
	flag.Parse()
	bundle, bundleName := benchBundle, "inline fixture"
	if *bundlePath != "" {
		source, err := os.ReadFile(*bundlePath)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		bundle, bundleName = string(source), fmt.Sprintf("%s (%d KiB)", *bundlePath, len(source)/1024)
	}

	// Last before the run: a failure after it would exit without writing the profile.
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}

	start := time.Now()
	p := activate(bundle, *poolSize, *poolMax)
	fmt.Printf("host benchmark: bundle %s, GOMAXPROCS=%d, %d sequential requests per route, pool %d..%d\n",
		bundleName, runtime.GOMAXPROCS(0), *sequential, *poolSize, *poolMax)
	fmt.Printf("activation (compile + %d VMs + onActivate): %s\n", *poolSize, time.Since(start).Round(time.Millisecond))

	for range 300 { // warm-up: JIT-less, but Go's allocator and the VMs' shapes settle
		serve(p, goPath)
		serve(p, jsPath)
	}
	goTimes := measure(p, goPath, *sequential)
	jsTimes := measure(p, jsPath, *sequential)
	goMedian, goP95 := percentile(goTimes, 50), percentile(goTimes, 95)
	jsMedian, jsP95 := percentile(jsTimes, 50), percentile(jsTimes, 95)
	fmt.Printf("%-28s %12s %12s\n", "sequential", "median", "p95")
	fmt.Printf("%-28s %12s %12s\n", "go  "+goPath, goMedian, goP95)
	fmt.Printf("%-28s %12s %12s\n", "js  "+jsPath, jsMedian, jsP95)
	fmt.Printf("%-28s %11.1fx %11.1fx\n", "ratio js/go", ratio(jsMedian, goMedian), ratio(jsP95, goP95))

	// A fresh plugin, so the VM count shows what the burst alone makes the pool create.
	_ = p.OnDeactivate() // benchmark teardown
	p = activate(bundle, *poolSize, *poolMax)
	fmt.Printf("\nconcurrent: %d callers x %d requests\n", *callers, *perCaller)
	fmt.Printf("%-28s %12s %12s %12s %10s\n", "", "median", "p95", "req/s", "failed")
	for _, path := range []string{goPath, jsPath} {
		times, failed, wall := concurrent(p, path, *callers, *perCaller)
		fmt.Printf("%-28s %12s %12s %12.0f %10d\n", path, percentile(times, 50), percentile(times, 95),
			float64(len(times))/wall.Seconds(), failed)
	}
	stats := p.Host().Stats()
	fmt.Printf("VMs created under %d concurrent callers: %d (pre-warmed %d, max %d, discarded %d)\n",
		*callers, stats.VMsCreated, *poolSize, *poolMax, stats.VMsDiscarded)
	_ = p.OnDeactivate() // benchmark teardown
}

func activate(bundle string, poolSize, poolMax int) *host.Plugin {
	api := &plugintest.API{}
	for _, level := range []string{"LogDebug", "LogInfo", "LogWarn", "LogError"} {
		for n := 1; n <= 9; n += 2 { // a message plus 0..4 key/value pairs
			api.On(level, anything(n)...).Maybe()
		}
	}
	api.On("GetPluginConfig").Return(map[string]any{"hostpoolsize": float64(poolSize), "hostpoolmax": float64(poolMax)})
	// What a real bundle's onActivate typically does (bot, KV, job scheduling): accept it all.
	api.On("EnsureBotUser", mock.Anything).Return("benchbot", nil).Maybe()
	// Scheduled jobs look freshly run, so no background tick competes with the measurement.
	jobRan, _ := json.Marshal(map[string]time.Time{"LastFinished": time.Now()})
	api.On("KVGet", mock.MatchedBy(func(key string) bool { return strings.HasPrefix(key, "cron_") })).Return(jobRan, nil).Maybe()
	api.On("KVGet", mock.Anything).Return(nil, nil).Maybe()
	api.On("KVSet", mock.Anything, mock.Anything).Return(nil).Maybe()
	api.On("KVSetWithOptions", mock.Anything, mock.Anything, mock.Anything).Return(true, nil).Maybe()
	api.On("KVCompareAndSet", mock.Anything, mock.Anything, mock.Anything).Return(true, nil).Maybe()
	api.On("HasPermissionTo", mock.Anything, mock.Anything).Return(true).Maybe()
	p := host.New("bench.js", bundle)
	p.SetAPI(api)
	if err := p.OnActivate(); err != nil {
		fmt.Fprintln(os.Stderr, "activate:", err)
		os.Exit(1)
	}
	return p
}

func anything(n int) mock.Arguments {
	args := make(mock.Arguments, n)
	for i := range args {
		args[i] = mock.Anything
	}
	return args
}

func serve(p *host.Plugin, path string) int {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Header.Set("Mattermost-User-Id", "benchuser")
	w := httptest.NewRecorder()
	p.ServeHTTP(nil, w, r)
	return w.Code
}

func measure(p *host.Plugin, path string, n int) []time.Duration {
	times := make([]time.Duration, n)
	for i := range times {
		start := time.Now()
		if code := serve(p, path); code != http.StatusOK {
			fmt.Fprintf(os.Stderr, "%s answered %d\n", path, code)
			os.Exit(1)
		}
		times[i] = time.Since(start)
	}
	return times
}

func concurrent(p *host.Plugin, path string, callers, perCaller int) (times []time.Duration, failed int, wall time.Duration) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range callers {
		wg.Go(func() {
			local := make([]time.Duration, 0, perCaller)
			bad := 0
			for range perCaller {
				t0 := time.Now()
				if serve(p, path) != http.StatusOK {
					bad++
				}
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			times = append(times, local...)
			failed += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	return times, failed, time.Since(start)
}

func percentile(times []time.Duration, pct int) time.Duration {
	sorted := slices.Clone(times)
	slices.Sort(sorted)
	return sorted[(len(sorted)-1)*pct/100].Round(100 * time.Nanosecond)
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }
