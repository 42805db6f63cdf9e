// Command memorybench measures the plugin's memory footprint through a real Mattermost server (in-process,
// PostgreSQL), at the points an admin looks at it:
//
//	idle        -settle after the plugin was enabled;
//	under load  the peak while 32 callers read GET /api/v1/plan and GET /api/v1/readiness (-plan-n, -readiness-n);
//	after reads right after that load;
//	after wave  after a wave of -wave users (team + 3 channels + welcome DM each; 0: none);
//	after idle  after -idle without a call (the pool releases engines after HostIdleSeconds, -idle-seconds);
//
// and prints, at each point, the plugin process's RSS, its Go heap in use and released (from the host's
// Go-native memory route), the number of script engines, the server's RSS (this process: Mattermost and
// the load client) and the ratios. The heap one engine holds is measured directly (POST …/memory/engine-cost:
// the live heap after a full GC, before and after creating one). References, same run: the server with the
// plugin disabled, and a minimal Go plugin built here (what go-plugin and server/public cost any Go plugin).
// With -before OLD.tar.gz, an older bundle goes through the idle and load points first (not the wave and the
// idle wait), so the footprint and the latency of the GET routes can be compared in the same run.
//
// Each point's RSS is also split into what the Go runtime accounts for (heap in use, free spans kept, stacks,
// its own bookkeeping) and the rest (the executable's pages, memory outside Go), and the GET load's
// allocation per request and GC cycles are printed: the garbage between two collections is what lifts
// the heap above the engines' live objects. -variants measures more plugin settings in the same run.
//
//	bench/memory.sh [-before old.tar.gz] [-idle 10m] [-idle-seconds 300] [-wave 1000] [-settings k=v,…] [-variants "k=v;k=v"]
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/benchkit"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func main() { os.Exit(run()) }

const minimalID = "memorybench-minimal"

type config struct {
	planN, readinessN, callers, wave, idleSeconds int
	settle, idle                                  time.Duration
	settings                                      string // plugin settings for the bundle under test, key=value,…
	variants                                      string // more settings for the idle and load points, ;-separated
}

// point is one row of the table.
type point struct {
	bundle, name string
	pluginRSS    uint64
	heapAlloc    uint64 // live objects (and garbage not yet collected)
	heapInuse    uint64 // 0 and haveHeap false when the bundle's host has no memory route
	heapReleased uint64
	heapIdle     uint64 // spans holding nothing (heapReleased of them returned to the OS)
	stacks       uint64 // goroutine stacks
	runtimeMeta  uint64 // the GC's and the allocator's bookkeeping
	goSys        uint64 // everything the Go runtime holds from the OS
	totalAlloc   uint64 // bytes allocated since the process started
	numGC        uint32
	engines      int64
	haveHeap     bool
	serverRSS    uint64
	note         string
}

type bench struct {
	cfg    config
	s      *mmserver.Server
	target *benchkit.Target
	admin  *model.Client4
	client *http.Client
	points []point
	// latency of the GET routes under load, by bundle label then route
	latency map[string]map[string]benchkit.Result
	cpu     map[string]benchkit.CPUUsage
	meter   *benchkit.CPUMeter
	labels  []string
	waves   []waveRun
}

// waveRun is one wave's figures: its peak RSS, wall time, CPU and the plugin's GC work.
type waveRun struct {
	label     string
	wall      time.Duration
	cpu       benchkit.CPUUsage
	peakRSS   uint64
	gcCycles  uint32
	allocated uint64
}

func run() int {
	var cfg config
	var bundle, before string
	flag.StringVar(&bundle, "bundle", "", "plugin bundle (default: COCKPIT_BUNDLE or dist/)")
	flag.StringVar(&before, "before", "", "an older bundle measured first, for the latency and footprint comparison")
	flag.IntVar(&cfg.planN, "plan-n", 2000, "GET /api/v1/plan requests under load")
	flag.IntVar(&cfg.readinessN, "readiness-n", 3000, "GET /api/v1/readiness requests under load")
	flag.IntVar(&cfg.callers, "c", 32, "concurrent callers")
	flag.IntVar(&cfg.wave, "wave", 1000, "users of the wave (0: no wave)")
	flag.IntVar(&cfg.idleSeconds, "idle-seconds", 0, "HostIdleSeconds to configure (0: the plugin's default)")
	flag.DurationVar(&cfg.settle, "settle", 30*time.Second, "wait after enabling a plugin before the idle point")
	flag.DurationVar(&cfg.idle, "idle", 10*time.Minute, "idle time before the last point")
	flag.StringVar(&cfg.settings, "settings", "", "plugin settings for the bundle under test (not -before): k=v,k=v")
	flag.StringVar(&cfg.variants, "variants", "",
		"more settings, ;-separated, each measured through the idle and load points on the restarted plugin: k=v,k=v;k=v")
	flag.Parse()
	if bundle == "" {
		var err error
		if bundle, err = mmserver.FindBundle(); err != nil {
			log.Print(err)
			return 1
		}
	}
	minimal, err := buildMinimalPlugin()
	if err != nil {
		log.Print(err)
		return 1
	}
	defer func() { _ = os.RemoveAll(filepath.Dir(minimal)) }()

	first := bundle
	if before != "" {
		first = before
	}
	target, s, err := benchkit.StartServer(first)
	if err != nil {
		log.Print(err)
		return 1
	}
	defer target.Close()
	b := &bench{
		cfg: cfg, s: s, target: target, client: benchkit.NewClient(cfg.callers * 2), admin: s.Client(),
		latency: map[string]map[string]benchkit.Result{}, cpu: map[string]benchkit.CPUUsage{}, meter: benchkit.NewCPUMeter(s),
	}
	b.admin.SetToken(target.Token)

	if before != "" {
		// The older bundle only gives the reference points and latencies: the wave and the idle time, the
		// longest parts, are measured on the bundle under test.
		if err := b.measureBundle("before", false, false); err != nil {
			log.Print(err)
			return 1
		}
		if _, err := mmserver.InstallPlugin(b.admin, bundle); err != nil {
			log.Print(err)
			return 1
		}
	}
	if err := b.measureBundle("after", true, true); err != nil {
		log.Print(err)
		return 1
	}
	if err := b.measureVariants(); err != nil {
		log.Print(err)
		return 1
	}
	if err := b.references(minimal); err != nil {
		log.Print(err)
		return 1
	}
	b.print()
	return 0
}

// measureBundle takes the points of the installed cockpit bundle: idle and under the GET load, then (wave)
// during and after a wave, then (idle) after the idle time.
func (b *bench) measureBundle(label string, wave, idle bool) error {
	b.labels = append(b.labels, label)
	settings := map[string]any{}
	if b.cfg.idleSeconds > 0 {
		settings["hostidleseconds"] = b.cfg.idleSeconds
	}
	if idle && b.cfg.settings != "" {
		given, err := parseSettings(b.cfg.settings)
		if err != nil {
			return err
		}
		maps.Copy(settings, given)
	}
	if len(settings) > 0 {
		if err := b.setSettings(settings); err != nil {
			return err
		}
	}
	time.Sleep(b.cfg.settle)
	if err := b.take(label, "idle after activation", ""); err != nil {
		return err
	}

	peak, stop := b.samplePeak(mmserver.PluginID)
	before := b.meter.Sample()
	b.latency[label] = map[string]benchkit.Result{}
	for _, r := range []struct {
		path string
		n    int
	}{{"/api/v1/plan", b.cfg.planN}, {"/api/v1/readiness", b.cfg.readinessN}} {
		req := benchkit.Request{Name: r.path, Method: http.MethodGet, Path: r.path}
		res := benchkit.Summarize(b.target.Load(b.client, req, b.cfg.callers, r.n, 5*time.Minute))
		if res.Errors > 0 {
			stop()
			return fmt.Errorf("%s: %d errors, first: %s", r.path, res.Errors, res.FirstErr)
		}
		b.latency[label][r.path] = res
	}
	b.cpu[label] = b.meter.Since(before)
	stop()
	if err := b.take(label, fmt.Sprintf("peak under %d-caller load", b.cfg.callers), ""); err != nil {
		return err
	}
	b.points[len(b.points)-1].pluginRSS = *peak
	if err := b.take(label, "after the reads", ""); err != nil {
		return err
	}

	if wave && b.cfg.wave > 0 {
		if err := b.measureWave(label); err != nil {
			return err
		}
	}
	if !idle {
		return nil
	}
	log.Printf("idle for %s", b.cfg.idle)
	time.Sleep(b.cfg.idle)
	if err := b.take(label, "after "+b.cfg.idle.String()+" idle", ""); err != nil {
		return err
	}
	// The first call after the idle time: served by the engine that stayed.
	t0 := time.Now()
	code, _, err := b.target.Send(b.client, http.MethodGet, "/api/v1/plan", nil)
	if err != nil || code != http.StatusOK {
		return fmt.Errorf("first GET /api/v1/plan after idle: %d %v", code, err)
	}
	b.points[len(b.points)-1].note = fmt.Sprintf("first GET /api/v1/plan after it: %s", time.Since(t0).Round(time.Millisecond))
	return nil
}

// measureWave takes the peak during a wave and the point after it, with the wave's wall time, CPU and GC cycles.
func (b *bench) measureWave(label string) error {
	peak, stop := b.samplePeak(mmserver.PluginID)
	before := b.meter.Sample()
	t0 := time.Now()
	err := b.runWave(b.cfg.wave)
	wall := time.Since(t0)
	cpu := b.meter.Since(before)
	stop()
	if err != nil {
		return err
	}
	name := fmt.Sprintf("after a %d-user wave", b.cfg.wave)
	if err := b.take(label, name, fmt.Sprintf("wave %.0f s", wall.Seconds())); err != nil {
		return err
	}
	after := b.points[len(b.points)-1]
	reads := b.points[len(b.points)-2] // "after the reads", right before the wave
	b.waves = append(b.waves, waveRun{
		label: label, wall: wall, cpu: cpu, peakRSS: *peak,
		gcCycles: after.numGC - reads.numGC, allocated: after.totalAlloc - reads.totalAlloc,
	})
	return nil
}

// measureVariants runs the idle and load points (and the wave, with -wave) again for each -variants set of
// settings, on the bundle under test restarted with them, so settings are compared against the same server,
// database and load in one run.
func (b *bench) measureVariants() error {
	if b.cfg.variants == "" {
		return nil
	}
	var previous map[string]any
	for variant := range strings.SplitSeq(b.cfg.variants, ";") {
		settings, err := parseSettings(variant)
		if err != nil {
			return err
		}
		reset := map[string]any{}
		for key := range previous {
			reset[key] = "" // not a number: the plugin's default again
		}
		maps.Copy(reset, settings)
		previous = settings
		if err := b.setSettings(reset); err != nil {
			return err
		}
		ctx := context.Background()
		if _, err := b.admin.DisablePlugin(ctx, mmserver.PluginID); err != nil {
			return fmt.Errorf("disable: %w", err)
		}
		if _, err := b.admin.EnablePlugin(ctx, mmserver.PluginID); err != nil {
			return fmt.Errorf("enable: %w", err)
		}
		if err := mmserver.WaitPluginState(b.admin, mmserver.PluginID, model.PluginStateRunning, time.Minute); err != nil {
			return err
		}
		label := variant
		if slices.Contains(b.labels, label) { // a variant repeated to see the run-to-run spread
			label = fmt.Sprintf("%s (#%d)", variant, len(b.labels))
		}
		if err := b.measureBundle(label, true, false); err != nil {
			return err
		}
	}
	return nil
}

func parseSettings(text string) (map[string]any, error) {
	settings := map[string]any{}
	for pair := range strings.SplitSeq(text, ",") {
		key, value, ok := strings.Cut(pair, "=")
		if !ok {
			return nil, fmt.Errorf("settings: %q is not key=value", pair)
		}
		settings[strings.ToLower(strings.TrimSpace(key))] = strings.TrimSpace(value)
	}
	return settings, nil
}

// references: the engine's own heap, the plugin disabled, the minimal Go plugin.
func (b *bench) references(minimal string) error {
	t0 := time.Now()
	code, body, err := b.target.Send(b.client, http.MethodPost, "/api/v1/host/memory/engine-cost", nil)
	if err != nil || code != http.StatusOK {
		return fmt.Errorf("engine cost: %d %v %s", code, err, body)
	}
	var cost struct {
		EngineHeapBytes uint64 `json:"engine_heap_bytes"`
	}
	if jsonErr := json.Unmarshal(body, &cost); jsonErr != nil {
		return jsonErr
	}
	b.points = append(b.points, point{
		bundle: "after", name: "one more engine (heap, after GC)", heapInuse: cost.EngineHeapBytes, haveHeap: true,
		note: fmt.Sprintf("created and measured in %s", time.Since(t0).Round(time.Millisecond)),
	})

	ctx := context.Background()
	if _, disableErr := b.admin.DisablePlugin(ctx, mmserver.PluginID); disableErr != nil {
		return fmt.Errorf("disable: %w", disableErr)
	}
	time.Sleep(b.cfg.settle)
	runtime.GC()
	b.points = append(b.points, point{bundle: "-", name: "plugin disabled", serverRSS: rss(os.Getpid())})

	f, err := os.Open(minimal)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	if _, _, uploadErr := b.admin.UploadPluginForced(ctx, f); uploadErr != nil {
		return fmt.Errorf("upload the minimal plugin: %w", uploadErr)
	}
	if _, enableErr := b.admin.EnablePlugin(ctx, minimalID); enableErr != nil {
		return fmt.Errorf("enable the minimal plugin: %w", enableErr)
	}
	if waitErr := mmserver.WaitPluginState(b.admin, minimalID, model.PluginStateRunning, time.Minute); waitErr != nil {
		return waitErr
	}
	time.Sleep(b.cfg.settle)
	p := point{bundle: "minimal", name: "minimal Go plugin, idle", pluginRSS: b.pluginRSS(minimalID), serverRSS: rss(os.Getpid())}
	minimalTarget := *b.target
	minimalTarget.PluginURL = strings.TrimSuffix(b.target.PluginURL, mmserver.PluginID) + minimalID
	code, body, err = minimalTarget.Send(b.client, http.MethodGet, "/", nil)
	if err != nil || code != http.StatusOK {
		return fmt.Errorf("the minimal plugin's heap: %d %v", code, err)
	}
	var heap struct {
		HeapAlloc    uint64 `json:"heap_alloc_bytes"`
		HeapInuse    uint64 `json:"heap_inuse_bytes"`
		HeapReleased uint64 `json:"heap_released_bytes"`
	}
	if err := json.Unmarshal(body, &heap); err != nil {
		return err
	}
	p.heapAlloc, p.heapInuse, p.heapReleased, p.haveHeap = heap.HeapAlloc, heap.HeapInuse, heap.HeapReleased, true
	b.points = append(b.points, p)
	return nil
}

func (b *bench) setSettings(values map[string]any) error {
	cfg, _, err := b.admin.GetConfig(context.Background())
	if err != nil {
		return err
	}
	settings := cfg.PluginSettings.Plugins[mmserver.PluginID]
	if settings == nil {
		settings = map[string]any{}
	}
	maps.Copy(settings, values)
	cfg.PluginSettings.Plugins[mmserver.PluginID] = settings
	_, _, err = b.admin.UpdateConfig(context.Background(), cfg)
	return err
}

// take records a point: the plugin's RSS from /proc, the host's heap figures from its Go-native route.
func (b *bench) take(label, name, note string) error {
	p := point{bundle: label, name: name, note: note, serverRSS: rss(os.Getpid()), pluginRSS: b.pluginRSS(mmserver.PluginID)}
	code, body, err := b.target.Send(b.client, http.MethodGet, "/api/v1/host/memory", nil)
	if err != nil {
		return err
	}
	if code == http.StatusOK {
		var m struct {
			HeapAlloc    uint64 `json:"heap_alloc_bytes"`
			HeapInuse    uint64 `json:"heap_inuse_bytes"`
			HeapReleased uint64 `json:"heap_released_bytes"`
			HeapIdle     uint64 `json:"heap_idle_bytes"`
			Stacks       uint64 `json:"stack_inuse_bytes"`
			RuntimeMeta  uint64 `json:"runtime_meta_bytes"`
			GoSys        uint64 `json:"go_sys_bytes"`
			TotalAlloc   uint64 `json:"total_alloc_bytes"`
			NumGC        uint32 `json:"num_gc"`
			Engines      int64  `json:"engines"`
		}
		if err := json.Unmarshal(body, &m); err != nil {
			return err
		}
		p.heapAlloc, p.heapInuse, p.heapReleased, p.engines, p.haveHeap = m.HeapAlloc, m.HeapInuse, m.HeapReleased, m.Engines, true
		p.heapIdle, p.stacks, p.runtimeMeta = m.HeapIdle, m.Stacks, m.RuntimeMeta
		p.goSys, p.totalAlloc, p.numGC = m.GoSys, m.TotalAlloc, m.NumGC
	}
	log.Printf("%s / %s: plugin RSS %s, heap in use %s, engines %d", label, name, mb(p.pluginRSS), mb(p.heapInuse), p.engines)
	b.points = append(b.points, p)
	return nil
}

// samplePeak polls the plugin's RSS every 100 ms until stop is called; *peak is the highest seen.
func (b *bench) samplePeak(id string) (peak *uint64, stop func()) {
	var value atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			if r := b.pluginRSS(id); r > value.Load() {
				value.Store(r)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	var result uint64
	return &result, func() { close(done); wg.Wait(); result = value.Load() }
}

// pluginRSS sums the RSS of the processes whose executable lives in the plugin's folder.
func (b *bench) pluginRSS(id string) uint64 {
	dir := filepath.Join(b.s.DataDir, "plugins", id) + string(filepath.Separator)
	entries, _ := os.ReadDir("/proc")
	var total uint64
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && strings.HasPrefix(exe, dir) {
			total += rss(pid)
		}
	}
	return total
}

// rss is VmRSS of /proc/<pid>/status in bytes (0 if unreadable).
func rss(pid int) uint64 {
	status, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// runWave: n SSO users in a source team, a wave into a target team with 3 channels and a welcome DM,
// ticked back to back until done (as bench/waves.sh's engine approach does).
func (b *bench) runWave(n int) error {
	f, err := benchkit.NewFixture(b.s, n, benchkit.FixtureOptions{Prefix: "m", SSO: true})
	if err != nil {
		return err
	}
	cohort := map[string]any{"team_ids": []string{f.Source.Id}}
	spec := benchkit.WaveSpec("Memory bench wave "+model.NewId()[:5], cohort, f.Team, f.Channels)
	wave, err := b.target.CreateWave(b.client, spec)
	if err != nil {
		return err
	}
	if err = b.target.StartWave(b.client, wave); err != nil {
		return err
	}
	progress, err := b.target.TickUntilDone(b.client, wave.ID, 15*time.Minute)
	if err != nil {
		return err
	}
	if progress.State != contract.WaveStateCompleted || progress.Processed != float64(n) || progress.Counts.Failed != 0 {
		return fmt.Errorf("the wave ended %+v", progress)
	}
	return nil
}

// buildMinimalPlugin compiles ./cmd/memorybench/minimalplugin and packs it as a plugin bundle.
func buildMinimalPlugin() (string, error) {
	root, err := mmserver.RepoRoot()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "memorybench-minimal")
	if err != nil {
		return "", err
	}
	exe := filepath.Join(dir, "plugin-linux-amd64")
	build := exec.Command("go", "build", "-o", exe, "./cmd/memorybench/minimalplugin")
	build.Dir = filepath.Join(root, "e2e")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, buildErr := build.CombinedOutput(); buildErr != nil {
		return "", fmt.Errorf("build the minimal plugin: %w: %s", buildErr, out)
	}
	binary, err := os.ReadFile(exe)
	if err != nil {
		return "", err
	}
	manifest, _ := json.Marshal(map[string]any{
		"id": minimalID, "name": "Memory bench minimal Go plugin", "version": "0.0.1",
		"server": map[string]any{"executables": map[string]string{"linux-amd64": "server/plugin-linux-amd64"}},
	})
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct {
		name string
		mode int64
		data []byte
	}{{minimalID + "/plugin.json", 0o644, manifest}, {minimalID + "/server/plugin-linux-amd64", 0o755, binary}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.data))}); err != nil {
			return "", err
		}
		if _, err := tw.Write(f.data); err != nil {
			return "", err
		}
	}
	if err := tw.Close(); err != nil {
		return "", err
	}
	if err := gz.Close(); err != nil {
		return "", err
	}
	bundle := filepath.Join(dir, minimalID+".tar.gz")
	return bundle, os.WriteFile(bundle, buf.Bytes(), 0o600)
}

func mb(v uint64) string { return fmt.Sprintf("%.1f MB", float64(v)/(1<<20)) }

func (b *bench) print() {
	var minimal, disabled point
	for _, p := range b.points {
		switch p.name {
		case "minimal Go plugin, idle":
			minimal = p
		case "plugin disabled":
			disabled = p
		}
	}
	fmt.Printf("\nPlugin memory through a real Mattermost %s (in-process, PostgreSQL %s), %d CPUs, one run.\n",
		b.s.Version, benchkit.PGMode(), runtime.NumCPU())
	fmt.Printf("RSS: /proc/<pid>/status VmRSS; heap: the plugin's runtime.MemStats; server = this process (Mattermost + load client).\n\n")
	fmt.Printf("| bundle | point | plugin RSS | Go heap in use | heap objects | heap released | engines | server RSS |" +
		" plugin/server | plugin/minimal | note |\n")
	fmt.Printf("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, p := range b.points {
		heap, objects, released, engines := "n/a", "n/a", "n/a", "n/a"
		if p.haveHeap {
			heap, released = mb(p.heapInuse), mb(p.heapReleased)
			if p.heapAlloc > 0 {
				objects = mb(p.heapAlloc)
			}
			if p.bundle != "minimal" && p.name != "one more engine (heap, after GC)" {
				engines = strconv.FormatInt(p.engines, 10)
			}
		}
		if p.name == "one more engine (heap, after GC)" {
			objects, released = heap, ""
		}
		plugin, server, toServer, toMinimal := "", "", "", ""
		if p.pluginRSS > 0 {
			plugin = mb(p.pluginRSS)
			if minimal.pluginRSS > 0 {
				toMinimal = fmt.Sprintf("%.2fx", float64(p.pluginRSS)/float64(minimal.pluginRSS))
			}
		}
		if p.serverRSS > 0 {
			server = mb(p.serverRSS)
			if p.pluginRSS > 0 {
				toServer = fmt.Sprintf("%.2fx", float64(p.pluginRSS)/float64(p.serverRSS))
			}
		}
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			p.bundle, p.name, plugin, heap, objects, released, engines, server, toServer, toMinimal, p.note)
	}
	if disabled.serverRSS > 0 {
		fmt.Printf("\nServer RSS with the plugin disabled (reference): %s.\n", mb(disabled.serverRSS))
	}
	b.printBreakdown()
	fmt.Printf("\nGET routes under %d concurrent callers:\n", b.cfg.callers)
	fmt.Printf("%-8s %-20s %7s %10s %10s %10s %8s\n", "bundle", "route", "n", "median", "p95", "p99", "req/s")
	for _, label := range b.labels {
		for _, route := range []string{"/api/v1/plan", "/api/v1/readiness"} {
			r := b.latency[label][route]
			fmt.Printf("%-8s %-20s %7d %10s %10s %10s %8.0f\n", label, route, r.N, ms(r.P50), ms(r.P95), ms(r.P99), r.RPS)
		}
	}
	if _, ok := b.latency["before"]; ok {
		for _, label := range b.labels {
			if label == "before" {
				continue
			}
			fmt.Printf("p95 %s/before (< 1: faster now):", label)
			for _, route := range []string{"/api/v1/plan", "/api/v1/readiness"} {
				fmt.Printf("  %s %.2fx", route, benchkit.Ratio(b.latency[label][route].P95, b.latency["before"][route].P95))
			}
			fmt.Println()
		}
	}
	fmt.Printf("\nCPU of the GET load (server = this process; plugin = its go-plugin process; postgres = %s):\n", benchkit.PostgresScope())
	for _, label := range b.labels {
		fmt.Printf("%-8s %s\n", label, b.cpu[label])
	}
	if len(b.waves) > 0 {
		fmt.Printf("\n%d-user waves (peak: the plugin's RSS sampled every 100 ms during the wave):\n", b.cfg.wave)
		for _, w := range b.waves {
			fmt.Printf("%-24s wall %6.1f s  peak RSS %s  %d GC cycles (%.0f MB allocated)  %s\n", w.label, w.wall.Seconds(),
				mb(w.peakRSS), w.gcCycles, mbf(w.allocated), w.cpu)
		}
		for _, w := range b.waves[1:] {
			first := b.waves[0]
			fmt.Printf("%s/%s: wall %.2fx, plugin CPU %.2fx, GC cycles %.2fx\n", w.label, first.label,
				w.wall.Seconds()/first.wall.Seconds(), w.cpu.Plugin/first.cpu.Plugin,
				float64(w.gcCycles)/float64(max(first.gcCycles, 1)))
		}
	}
}

// printBreakdown splits each point's RSS into what the Go runtime accounts for and the rest (the
// executable's pages, the C and kernel side of the process), and prints what the GET load allocated:
// the garbage between two collections is what lifts the heap above the engines' live objects.
func (b *bench) printBreakdown() {
	fmt.Printf("\nWhere the RSS is (MB; the peak row's heap figures are read right after the load):\n")
	fmt.Printf("%-8s %-28s %8s %8s %10s %8s %8s %8s\n", "bundle", "point", "RSS", "heap", "free-kept", "stacks", "runtime", "rest")
	for _, p := range b.points {
		if !p.haveHeap || p.pluginRSS == 0 || p.goSys == 0 {
			continue
		}
		kept := p.heapIdle - min(p.heapReleased, p.heapIdle)
		accounted := p.heapInuse + kept + p.stacks + p.runtimeMeta
		rest := float64(p.pluginRSS) - float64(accounted)
		fmt.Printf("%-8s %-28s %8.1f %8.1f %10.1f %8.1f %8.1f %8.1f\n", p.bundle, p.name, mbf(p.pluginRSS), mbf(p.heapInuse),
			mbf(kept), mbf(p.stacks), mbf(p.runtimeMeta), rest/(1<<20))
	}
	requests := uint64(max(b.cfg.planN, 0)) + uint64(max(b.cfg.readinessN, 0))
	for _, label := range b.labels {
		var idle, after *point
		for i := range b.points {
			p := &b.points[i]
			if p.bundle != label || p.goSys == 0 {
				continue
			}
			switch p.name {
			case "idle after activation":
				idle = p
			case "after the reads":
				after = p
			}
		}
		if idle == nil || after == nil || requests == 0 {
			continue
		}
		allocated := after.totalAlloc - idle.totalAlloc
		cycles := after.numGC - idle.numGC
		fmt.Printf("%-8s GET load: %.2f MB allocated per request, %d GC cycles (one per %.1f MB allocated)\n", label,
			mbf(allocated/requests), cycles, mbf(allocated/uint64(max(cycles, 1))))
	}
}

func mbf(v uint64) float64 { return float64(v) / (1 << 20) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }
