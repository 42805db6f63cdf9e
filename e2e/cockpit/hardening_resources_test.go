package cockpit

// Resources of the plugin process on the real server: its resident memory (VmRSS / VmHWM from
// /proc of the plugin executable the server started) and the goja VM pool (the host's figures in
// GET /api/v1/status), at rest and under a burst of 32 concurrent clients reading the heaviest
// system-admin pages. Printed as a table; asserted: every request of the burst answered 200, the
// pool never grew past its cap, no host call failed, and the process is the same one afterwards.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// pluginPID finds the plugin executable the package server started: a process whose executable
// lives under the server's data directory, in the plugin's folder.
func pluginPID(t *testing.T) int {
	t.Helper()
	dir := filepath.Join(env.s.DataDir, "plugins", mmserver.PluginID)
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var found []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe"))
		if err != nil {
			continue
		}
		if strings.HasPrefix(exe, dir+string(filepath.Separator)) ||
			strings.Contains(exe, filepath.Join(mmserver.PluginID, "server", "dist")) && strings.HasPrefix(exe, env.s.DataDir) {
			found = append(found, pid)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want exactly one plugin process under %s, found %v", dir, found)
	}
	return found[0]
}

// procStatus reads VmRSS, VmHWM (peak RSS) and Threads of a process, in kB / count.
func procStatus(t *testing.T, pid int) map[string]int {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("plugin process %d: %v", pid, err)
	}
	out := map[string]int{}
	for line := range strings.SplitSeq(string(b), "\n") {
		name, rest, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM" && name != "Threads") {
			continue
		}
		f := strings.Fields(rest)
		if len(f) > 0 {
			out[name], _ = strconv.Atoi(f[0])
		}
	}
	return out
}

func readHostStats(t *testing.T, token string) contract.HostStats {
	t.Helper()
	r := requestRoute(t, http.MethodGet, "/api/v1/status", token, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/status: %s", r)
	}
	var st contract.Status
	if err := json.Unmarshal(r.Body, &st); err != nil {
		t.Fatal(err)
	}
	return st.Host
}

func TestHardeningResources(t *testing.T) {
	f := hardeningCallers(t)
	tok := f.admin.token
	pid := pluginPID(t)

	atRest := procStatus(t, pid)
	poolAtRest := readHostStats(t, tok)

	// The burst: 32 clients, each reading the heaviest system-admin pages in turn.
	const clients, rounds = 32, 15
	pages := []string{
		"/api/v1/plan",
		"/api/v1/status",
		"/api/v1/waves",
		"/api/v1/audit?per_page=50",
		"/api/v1/readiness",
		"/api/v1/adoption",
		"/api/v1/branding",
	}
	var failures atomic.Int64
	var firstFailure atomic.Value
	latencies := make([]time.Duration, 0, clients*rounds*len(pages))
	var latMu sync.Mutex
	stop := make(chan struct{})
	peakRSS := 0
	var sampler sync.WaitGroup
	sampler.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				if st := procStatus(t, pid); st["VmRSS"] > peakRSS {
					peakRSS = st["VmRSS"]
				}
			}
		}
	})
	t0 := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range rounds {
				page := pages[(c+i)%len(pages)]
				start := time.Now()
				r := requestRoute(t, http.MethodGet, page, tok, nil)
				d := time.Since(start)
				latMu.Lock()
				latencies = append(latencies, d)
				latMu.Unlock()
				if r.Status != http.StatusOK {
					failures.Add(1)
					firstFailure.CompareAndSwap(nil, fmt.Sprintf("GET %s: %s", page, r))
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(t0)
	close(stop)
	sampler.Wait()
	underLoad := procStatus(t, pid)
	poolAfter := readHostStats(t, tok)
	time.Sleep(2 * time.Second)
	settled := procStatus(t, pid)

	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		return latencies[int(p*float64(len(latencies)-1))].Round(100 * time.Microsecond)
	}
	t.Logf(
		"plugin process %d, %d clients × %d requests over %d pages in %s (%.0f req/s; median %s, p95 %s, max %s)\n"+
			"| when | VmRSS | peak (VmHWM) | threads | VMs idle/busy (max) | VMs created / discarded | calls served / failed |\n"+
			"|---|---|---|---|---|---|---|\n"+
			"| at rest | %.1f MB | %.1f MB | %d | %.0f/%.0f (%.0f) | %.0f / %.0f | %.0f / %.0f |\n"+
			"| burst (sampled peak %.1f MB) | %.1f MB | %.1f MB | %d | %.0f/%.0f (%.0f) | %.0f / %.0f | %.0f / %.0f |\n"+
			"| 2 s later | %.1f MB | %.1f MB | %d | | | |",
		pid,
		clients,
		rounds,
		len(pages),
		elapsed.Round(time.Millisecond),
		float64(len(latencies))/elapsed.Seconds(),
		pct(0.5),
		pct(0.95),
		latencies[len(latencies)-1].Round(time.Millisecond),
		mb(
			atRest["VmRSS"],
		),
		mb(atRest["VmHWM"]),
		atRest["Threads"],
		poolAtRest.PoolIdle,
		poolAtRest.PoolBusy,
		poolAtRest.PoolMax,
		poolAtRest.VMsCreated,
		poolAtRest.VMsDiscarded,
		poolAtRest.CallsServed,
		poolAtRest.CallsFailed,
		mb(
			peakRSS,
		),
		mb(underLoad["VmRSS"]),
		mb(underLoad["VmHWM"]),
		underLoad["Threads"],
		poolAfter.PoolIdle,
		poolAfter.PoolBusy,
		poolAfter.PoolMax,
		poolAfter.VMsCreated,
		poolAfter.VMsDiscarded,
		poolAfter.CallsServed,
		poolAfter.CallsFailed,
		mb(settled["VmRSS"]),
		mb(settled["VmHWM"]),
		settled["Threads"],
	)

	if n := failures.Load(); n > 0 {
		t.Errorf("%d requests of the burst failed; first: %v", n, firstFailure.Load())
	}
	if live := poolAfter.PoolIdle + poolAfter.PoolBusy; live > poolAfter.PoolMax {
		t.Errorf("the pool holds %.0f VMs, over its cap %.0f", live, poolAfter.PoolMax)
	}
	if poolAfter.CallsFailed > poolAtRest.CallsFailed {
		t.Errorf("host calls failed during the burst: %.0f → %.0f", poolAtRest.CallsFailed, poolAfter.CallsFailed)
	}
	if served := poolAfter.CallsServed - poolAtRest.CallsServed; served < float64(clients*rounds) {
		t.Errorf("the host counted %.0f calls served during a burst of %d requests", served, clients*rounds)
	}
	if after := pluginPID(t); after != pid {
		t.Errorf("the plugin process changed during the burst (%d → %d): it crashed and was restarted", pid, after)
	}
}

func mb(kb int) float64 { return float64(kb) / 1024 }
