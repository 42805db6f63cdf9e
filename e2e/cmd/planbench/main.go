// Command planbench measures the plan capability through a real Mattermost server on loopback. It
// imports a plan of 300 tasks (10 phases × 30, a third of them verified by readiness checks, some
// done), then measures, alternating in rounds so drift affects all alike:
//
//	GET  /api/v1/plan            the whole 300-task plan + progress (one KV read, JSON out)
//	POST /api/v1/readiness/run   a full readiness run (unsanitized config, licence, stats, ~25 checks,
//	                             KV write of the report, audit entry)
//	GET  /api/v1/status          the baseline: the cockpit's overview route
//
// and prints median, p95, p99, req/s and the ratios against GET /api/v1/status. Every loop is bounded
// by a request count and a time limit.
package main

import (
	"bytes"
	"encoding/json"
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

type route struct {
	name, method, path string
	body               []byte
}

type result struct {
	n, errors     int
	p50, p95, p99 time.Duration
	rps           float64
	firstErr      string
}

func main() { os.Exit(run()) }

func run() int {
	var (
		requests = flag.Int("n", 300, "requests per (route, concurrency) measurement")
		warmup   = flag.Int("warmup", 50, "warm-up requests per route")
		rounds   = flag.Int("rounds", 4, "the n requests of each cell are sent in this many alternating rounds")
		limit    = flag.Duration("limit", 120*time.Second, "time limit per cell (split over the rounds)")
		levels   = flag.String("c", "1,4", "concurrency levels")
		tasks    = flag.Int("tasks", 300, "tasks in the imported plan (10 phases)")
		bundle   = flag.String("bundle", "", "plugin bundle (default: COCKPIT_BUNDLE or dist/)")
	)
	flag.Parse()
	if *tasks < 10 || *tasks > 2000 || *requests < 1 || *rounds < 1 {
		log.Fatal("-tasks must be 10…2000, -n and -rounds ≥ 1")
	}
	var cs []int
	for _, f := range strings.Split(*levels, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 1 || c > 64 {
			log.Fatalf("bad concurrency %q", f)
		}
		cs = append(cs, c)
	}

	if *bundle == "" {
		var err error
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

	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}}
	base := s.URL + "/plugins/" + mmserver.PluginID
	tok := c.AuthToken

	// The plan to measure with.
	plan := bigPlan(*tasks)
	body, _ := json.Marshal(map[string]any{"expected_version": 0, "plan": plan})
	if code, b, err := send(client, http.MethodPost, base+"/api/v1/plan/import", tok, body); err != nil || code != http.StatusOK {
		log.Printf("import of the %d-task plan: %v HTTP %d %.300s", *tasks, err, code, b)
		return 1
	}
	code, b, err := send(client, http.MethodGet, base+"/api/v1/plan", tok, nil)
	if err != nil || code != http.StatusOK {
		log.Printf("GET /api/v1/plan: %v HTTP %d", err, code)
		return 1
	}
	var got struct {
		Plan struct {
			Version int `json:"version"`
			Phases  []struct {
				Tasks []json.RawMessage `json:"tasks"`
			} `json:"phases"`
		} `json:"plan"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		log.Print(err)
		return 1
	}
	n := 0
	for _, p := range got.Plan.Phases {
		n += len(p.Tasks)
	}
	if n != *tasks {
		log.Printf("the plan holds %d tasks after the import, want %d", n, *tasks)
		return 1
	}
	log.Printf("imported a plan of %d phases / %d tasks (version %d); GET /api/v1/plan answers %d bytes", len(got.Plan.Phases), n, got.Plan.Version, len(b))

	routes := []route{
		{"GET /api/v1/status", http.MethodGet, "/api/v1/status", nil},
		{"GET /api/v1/plan", http.MethodGet, "/api/v1/plan", nil},
		{"POST /api/v1/readiness/run", http.MethodPost, "/api/v1/readiness/run", []byte(`{}`)},
	}
	for _, r := range routes {
		if res := measure(client, base, tok, r, 2, *warmup, *limit); res.errors > 0 {
			log.Printf("warm-up of %s: %d errors, first: %s", r.name, res.errors, res.firstErr)
			return 1
		}
	}

	results := map[string]map[int]result{}
	for _, cc := range cs {
		lat := map[string][]time.Duration{}
		errs := map[string]int{}
		first := map[string]string{}
		elapsed := map[string]time.Duration{}
		per := (*requests + *rounds - 1) / *rounds
		for round := 0; round < *rounds; round++ {
			for _, r := range routes {
				t := time.Now()
				res, l := measureRaw(client, base, tok, r, cc, per, *limit/time.Duration(*rounds))
				elapsed[r.name] += time.Since(t)
				lat[r.name] = append(lat[r.name], l...)
				errs[r.name] += res.errors
				if first[r.name] == "" {
					first[r.name] = res.firstErr
				}
			}
		}
		for _, r := range routes {
			all := lat[r.name]
			slices.Sort(all)
			res := result{n: len(all), errors: errs[r.name], firstErr: first[r.name]}
			if len(all) > 0 {
				res.p50, res.p95, res.p99 = pct(all, 0.50), pct(all, 0.95), pct(all, 0.99)
				res.rps = float64(len(all)) / elapsed[r.name].Seconds()
			}
			if results[r.name] == nil {
				results[r.name] = map[int]result{}
			}
			results[r.name][cc] = res
		}
	}

	fmt.Printf("\nPlan capability through a real Mattermost server on loopback; plan of %d tasks; %d requests per cell in %d alternating rounds.\n\n", *tasks, *requests, *rounds)
	fmt.Printf("%-28s %3s %6s %10s %10s %10s %9s %6s\n", "route", "c", "n", "median", "p95", "p99", "req/s", "errors")
	for _, r := range routes {
		for _, cc := range cs {
			x := results[r.name][cc]
			fmt.Printf("%-28s %3d %6d %10s %10s %10s %9.0f %6d\n", r.name, cc, x.n, ms(x.p50), ms(x.p95), ms(x.p99), x.rps, x.errors)
		}
	}
	fmt.Printf("\nAgainst GET /api/v1/status (the baseline, same run):\n")
	fmt.Printf("%-28s %3s %13s %11s %17s\n", "route", "c", "median ratio", "p95 ratio", "throughput ratio")
	for _, r := range routes[1:] {
		for _, cc := range cs {
			x, b := results[r.name][cc], results[routes[0].name][cc]
			fmt.Printf("%-28s %3d %12.2fx %10.2fx %16.2fx\n", r.name, cc, ratio(x.p50, b.p50), ratio(x.p95, b.p95), x.rps/b.rps)
		}
	}
	fmt.Printf("(latency ratio > 1: slower than the status route; throughput ratio < 1: fewer requests per second)\n")
	code = 0
	for _, r := range routes {
		for _, cc := range cs {
			if x := results[r.name][cc]; x.errors > 0 {
				fmt.Printf("errors on %s at c=%d: %d, first: %s\n", r.name, cc, x.errors, x.firstErr)
				code = 1
			}
		}
	}
	return code
}

// bigPlan builds a valid plan of n tasks in 10 phases; every third task lists readiness checks, every
// fifth is done, every seventh optional.
func bigPlan(n int) map[string]any {
	checks := []string{"site.url", "site.https", "auth.mfa", "email.smtp", "server.version"}
	var phases []any
	for p := 0; p < 10; p++ {
		var tasks []any
		for i := p; i < n; i += 10 {
			t := map[string]any{
				"id":          fmt.Sprintf("bench.p%d.t%d", p, i),
				"title":       fmt.Sprintf("Benchmark task %d", i),
				"description": strings.Repeat("Roll-out step with some explanatory text. ", 4),
				"optional":    i%7 == 0,
			}
			if i%3 == 0 {
				t["checks"] = []string{checks[i%len(checks)]}
			}
			if i%5 == 0 {
				t["state"] = "done"
			}
			tasks = append(tasks, t)
		}
		phases = append(phases, map[string]any{"id": fmt.Sprintf("bench.p%d", p), "title": fmt.Sprintf("Phase %d", p), "tasks": tasks})
	}
	return map[string]any{"schema_version": 1, "title": "Benchmark plan", "phases": phases}
}

func send(client *http.Client, method, url, token string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func measure(client *http.Client, base, token string, r route, c, n int, limit time.Duration) result {
	res, _ := measureRaw(client, base, token, r, c, n, limit)
	return res
}

// measureRaw sends n requests from c clients (bounded also by limit) and returns the latencies of the successful ones.
func measureRaw(client *http.Client, base, token string, r route, c, n int, limit time.Duration) (result, []time.Duration) {
	var next, errs atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, c)
	deadline := time.Now().Add(limit)
	var wg sync.WaitGroup
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for next.Add(1) <= int64(n) && time.Now().Before(deadline) {
				s := time.Now()
				code, _, err := send(client, r.method, base+r.path, token, r.body)
				d := time.Since(s)
				if err == nil && code != http.StatusOK {
					err = fmt.Errorf("HTTP %d", code)
				}
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
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	res := result{n: len(all), errors: int(errs.Load())}
	if fe, ok := firstErr.Load().(string); ok {
		res.firstErr = fe
	}
	return res, all
}

func pct(sorted []time.Duration, p float64) time.Duration {
	return sorted[int(float64(len(sorted)-1)*p)]
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }
