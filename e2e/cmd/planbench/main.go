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
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/benchkit"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

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
	cs, err := benchkit.Levels(*levels, 64)
	if err != nil {
		log.Fatal(err)
	}
	t, err := benchkit.Start(*bundle)
	if err != nil {
		log.Print(err)
		return 1
	}
	defer t.Close()
	client := benchkit.NewClient(64)

	// The plan to measure with.
	plan := bigPlan(*tasks)
	body, _ := json.Marshal(map[string]any{"expected_version": 0, "plan": plan})
	if code, b, sendErr := t.Send(client, http.MethodPost, "/api/v1/plan/import", body); sendErr != nil || code != http.StatusOK {
		log.Printf("import of the %d-task plan: %v HTTP %d %.300s", *tasks, sendErr, code, b)
		return 1
	}
	code, b, err := t.Send(client, http.MethodGet, "/api/v1/plan", nil)
	if err != nil || code != http.StatusOK {
		log.Printf("GET /api/v1/plan: %v HTTP %d", err, code)
		return 1
	}
	var got contract.PlanResponse
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
	log.Printf(
		"imported a plan of %d phases / %d tasks (version %d); GET /api/v1/plan answers %d bytes",
		len(got.Plan.Phases),
		n,
		got.Plan.Version,
		len(b),
	)

	routes := []benchkit.Request{
		{Name: "GET /api/v1/status", Method: http.MethodGet, Path: "/api/v1/status"},
		{Name: "GET /api/v1/plan", Method: http.MethodGet, Path: "/api/v1/plan"},
		{Name: "POST /api/v1/readiness/run", Method: http.MethodPost, Path: "/api/v1/readiness/run", Body: []byte(`{}`)},
	}
	for _, r := range routes {
		if _, errs, first, _ := t.Load(client, r, 2, *warmup, *limit); errs > 0 {
			log.Printf("warm-up of %s: %d errors, first: %s", r.Name, errs, first)
			return 1
		}
	}

	meter := benchkit.NewCPUMeter(t.Server)
	results := map[string]map[int]benchkit.Result{}
	cpu := map[string]map[int]benchkit.CPUUsage{}
	for _, cc := range cs {
		lat := map[string][]time.Duration{}
		errs := map[string]int{}
		first := map[string]string{}
		elapsed := map[string]time.Duration{}
		per := (*requests + *rounds - 1) / *rounds
		for round := 0; round < *rounds; round++ {
			for _, r := range routes {
				before := meter.Sample()
				l, e, f, d := t.Load(client, r, cc, per, *limit/time.Duration(*rounds))
				if cpu[r.Name] == nil {
					cpu[r.Name] = map[int]benchkit.CPUUsage{}
				}
				cpu[r.Name][cc] = cpu[r.Name][cc].Add(meter.Since(before))
				elapsed[r.Name] += d
				lat[r.Name] = append(lat[r.Name], l...)
				errs[r.Name] += e
				if first[r.Name] == "" {
					first[r.Name] = f
				}
			}
		}
		for _, r := range routes {
			if results[r.Name] == nil {
				results[r.Name] = map[int]benchkit.Result{}
			}
			results[r.Name][cc] = benchkit.Summarize(lat[r.Name], errs[r.Name], first[r.Name], elapsed[r.Name])
		}
	}

	fmt.Printf(
		"\nPlan capability through a real Mattermost server on loopback; plan of %d tasks; %d requests per cell in %d "+
			"alternating rounds.\n\n",
		*tasks,
		*requests,
		*rounds,
	)
	fmt.Printf("%-28s %3s %6s %10s %10s %10s %9s %6s\n", "route", "c", "n", "median", "p95", "p99", "req/s", "errors")
	for _, r := range routes {
		for _, cc := range cs {
			x := results[r.Name][cc]
			fmt.Printf("%-28s %3d %6d %10s %10s %10s %9.0f %6d\n", r.Name, cc, x.N, ms(x.P50), ms(x.P95), ms(x.P99), x.RPS, x.Errors)
		}
	}
	fmt.Printf("\nAgainst GET /api/v1/status (the baseline, same run):\n")
	fmt.Printf("%-28s %3s %13s %11s %17s\n", "route", "c", "median ratio", "p95 ratio", "throughput ratio")
	for _, r := range routes[1:] {
		for _, cc := range cs {
			x, b := results[r.Name][cc], results[routes[0].Name][cc]
			fmt.Printf(
				"%-28s %3d %12.2fx %10.2fx %16.2fx\n",
				r.Name,
				cc,
				benchkit.Ratio(x.P50, b.P50),
				benchkit.Ratio(x.P95, b.P95),
				x.RPS/b.RPS,
			)
		}
	}
	fmt.Printf("(latency ratio > 1: slower than the status route; throughput ratio < 1: fewer requests per second)\n")
	fmt.Printf(
		"\nCPU per cell, summed over its rounds (server = this process: Mattermost and the load client;\nplugin = its "+
			"go-plugin process; postgres = %s):\n",
		benchkit.PostgresScope(),
	)
	for _, r := range routes {
		for _, cc := range cs {
			u, x := cpu[r.Name][cc], results[r.Name][cc]
			perReq := 0.0
			if x.N+x.Errors > 0 {
				perReq = (u.Server + u.Plugin + u.Postgres) / float64(x.N+x.Errors) * 1000
			}
			fmt.Printf("%-28s %3d  %s  (%.2fms CPU per request)\n", r.Name, cc, u, perReq)
		}
	}
	code = 0
	for _, r := range routes {
		for _, cc := range cs {
			if x := results[r.Name][cc]; x.Errors > 0 {
				fmt.Printf("errors on %s at c=%d: %d, first: %s\n", r.Name, cc, x.Errors, x.FirstErr)
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
	for p := range 10 {
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

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }
