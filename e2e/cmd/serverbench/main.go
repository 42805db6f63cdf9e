// Command serverbench measures the plugin through a real Mattermost server on loopback: the JS route
// GET /plugins/onboarding-cockpit/api/v1/ping against the Go-native GET /api/v1/host/ping of the same
// plugin (same host process, same authentication, no JS). For 1, 8 and 32 concurrent clients it
// prints median and p95 latency and requests per second, and the JS/Go ratios. Every loop is bounded
// by a request count and a time limit.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

type result struct {
	route         string
	clients       int
	n, errors     int
	p50, p95, p99 time.Duration
	rps           float64
	elapsed       time.Duration
	firstErr      string
}

func main() {
	os.Exit(run())
}

func run() int {
	var (
		requests = flag.Int("n", 3000, "requests per (route, concurrency) measurement")
		warmup   = flag.Int("warmup", 300, "warm-up requests per route")
		limit    = flag.Duration("limit", 60*time.Second, "time limit per measurement")
		levels   = flag.String("c", "1,8,32", "concurrency levels")
		bundle   = flag.String("bundle", "", "plugin bundle (default: COCKPIT_BUNDLE or dist/)")
		target   = flag.String("url", "", "benchmark an already running server at this URL instead (needs -token)")
		token    = flag.String("token", os.Getenv("MM_ADMIN_TOKEN"), "session or access token for -url")
	)
	flag.Parse()

	base, tok := *target, *token
	if base == "" {
		var err error
		if *bundle == "" {
			if *bundle, err = mmserver.FindBundle(); err != nil {
				log.Fatal(err)
			}
		}
		t0 := time.Now()
		s, err := mmserver.Start(mmserver.Options{})
		if err != nil {
			log.Fatal(err)
		}
		defer s.Close()
		if _, err := s.CreateUser("bench-admin", mmserver.UserOptions{SystemAdmin: true}); err != nil {
			log.Print(err)
			return 1
		}
		c, err := s.Login("bench-admin")
		if err != nil {
			log.Print(err)
			return 1
		}
		m, err := mmserver.InstallPlugin(c, *bundle)
		if err != nil {
			log.Print(err)
			return 1
		}
		log.Printf("Mattermost %s at %s with %s %s, ready in %s", s.Version, s.URL, m.Id, m.Version, time.Since(t0).Round(time.Millisecond))
		base, tok = s.URL, c.AuthToken
	} else if tok == "" {
		log.Fatal("-url needs -token (or MM_ADMIN_TOKEN)")
	}

	var cs []int
	for _, f := range strings.Split(*levels, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 1 || c > 256 {
			log.Fatalf("bad concurrency %q", f)
		}
		cs = append(cs, c)
	}
	routes := []string{"/api/v1/ping", "/api/v1/host/ping"}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
	url := func(r string) string { return base + "/plugins/" + mmserver.PluginID + r }

	for _, r := range routes {
		if res := measure(client, url(r), tok, 4, *warmup, *limit); res.errors > 0 {
			log.Printf("warm-up of %s: %d errors, first: %s", r, res.errors, res.firstErr)
			return 1
		}
	}
	results := map[string]map[int]result{}
	for _, c := range cs {
		// Alternate the routes so drift (GC, caches) affects both alike.
		for _, r := range routes {
			res := measure(client, url(r), tok, c, *requests, *limit)
			res.route = r
			if results[r] == nil {
				results[r] = map[int]result{}
			}
			results[r][c] = res
		}
	}

	fmt.Printf("\nThrough a real Mattermost server on loopback (go-plugin RPC + host); %d requests per cell.\n\n", *requests)
	fmt.Printf("%-22s %4s %7s %10s %10s %10s %10s %6s\n", "route", "c", "n", "median", "p95", "p99", "req/s", "errors")
	for _, r := range routes {
		for _, c := range cs {
			x := results[r][c]
			fmt.Printf("%-22s %4d %7d %10s %10s %10s %10.0f %6d\n", r, c, x.n, us(x.p50), us(x.p95), us(x.p99), x.rps, x.errors)
		}
	}
	fmt.Printf("\nJS route / Go-native route:\n")
	fmt.Printf("%4s %14s %14s %16s\n", "c", "median ratio", "p95 ratio", "throughput ratio")
	for _, c := range cs {
		js, gn := results[routes[0]][c], results[routes[1]][c]
		fmt.Printf("%4d %13.2fx %13.2fx %15.2fx\n", c, ratio(js.p50, gn.p50), ratio(js.p95, gn.p95), js.rps/gn.rps)
	}
	fmt.Printf("(latency ratio > 1: JS slower; throughput ratio < 1: JS serves fewer requests per second)\n")
	code := 0
	for _, r := range routes {
		for _, c := range cs {
			if results[r][c].errors > 0 {
				fmt.Printf("errors on %s at c=%d: %d, first: %s\n", r, c, results[r][c].errors, results[r][c].firstErr)
				code = 1
			}
		}
	}
	return code
}

// measure sends n GETs from c clients (bounded also by limit) and collects latencies.
func measure(client *http.Client, url, token string, c, n int, limit time.Duration) result {
	var next atomic.Int64
	var errs atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, c)
	deadline := time.Now().Add(limit)
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for next.Add(1) <= int64(n) && time.Now().Before(deadline) {
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				s := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("HTTP %d", resp.StatusCode)
					}
				}
				d := time.Since(s)
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				lat[w] = append(lat[w], d)
			}
		}(w)
	}
	wg.Wait()
	elapsed := time.Since(t0)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	r := result{clients: c, n: len(all), errors: int(errs.Load()), elapsed: elapsed}
	if fe, ok := firstErr.Load().(string); ok {
		r.firstErr = fe
	}
	if len(all) > 0 {
		r.p50, r.p95, r.p99 = pct(all, 0.50), pct(all, 0.95), pct(all, 0.99)
		r.rps = float64(len(all)) / elapsed.Seconds()
	}
	return r
}

func pct(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted)-1) * p)
	return sorted[i]
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func us(d time.Duration) string { return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond)) }
