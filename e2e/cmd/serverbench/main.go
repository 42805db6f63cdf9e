// Command serverbench measures the plugin through a real Mattermost server on loopback: the JS route
// GET /plugins/onboarding-cockpit/api/v1/ping against the Go-native GET /api/v1/host/ping of the same
// plugin (same host process, same authentication, no JS). For 1, 8 and 32 concurrent clients it
// prints median and p95 latency and requests per second, and the JS/Go ratios. Every loop is bounded
// by a request count and a time limit.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/benchkit"
)

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
	cs, err := benchkit.Levels(*levels, 256)
	if err != nil {
		log.Fatal(err)
	}

	var t *benchkit.Target
	switch {
	case *target == "":
		if t, err = benchkit.Start(*bundle); err != nil {
			log.Print(err)
			return 1
		}
		defer t.Close()
	case *token == "":
		log.Fatal("-url needs -token (or MM_ADMIN_TOKEN)") //nolint:gocritic // exitAfterDefer: the defer is in the other case
	default:
		t = benchkit.Attach(*target, *token)
	}

	routes := []benchkit.Request{
		{Name: "/api/v1/ping", Method: http.MethodGet, Path: "/api/v1/ping"},
		{Name: "/api/v1/host/ping", Method: http.MethodGet, Path: "/api/v1/host/ping"},
	}
	client := benchkit.NewClient(256)
	for _, r := range routes {
		if _, errs, first, _ := t.Load(client, r, 4, *warmup, *limit); errs > 0 {
			log.Printf("warm-up of %s: %d errors, first: %s", r.Name, errs, first)
			return 1
		}
	}
	var meter *benchkit.CPUMeter // the in-process server only: an attached one runs elsewhere
	if t.Server != nil {
		meter = benchkit.NewCPUMeter(t.Server)
	}
	results := map[string]map[int]benchkit.Result{}
	var cpuLines []string
	for _, c := range cs {
		// Alternate the routes so drift (GC, caches) affects both alike.
		for _, r := range routes {
			if results[r.Name] == nil {
				results[r.Name] = map[int]benchkit.Result{}
			}
			var before benchkit.CPUSample
			if meter != nil {
				before = meter.Sample()
			}
			results[r.Name][c] = benchkit.Summarize(t.Load(client, r, c, *requests, *limit))
			if meter != nil {
				u := meter.Since(before)
				cpuLines = append(
					cpuLines,
					fmt.Sprintf(
						"%-22s %4d  %s  (%s CPU per request)",
						r.Name,
						c,
						u,
						us(perRequest(u, results[r.Name][c].N+results[r.Name][c].Errors)),
					),
				)
			}
		}
	}

	fmt.Printf("\nThrough a real Mattermost server on loopback (go-plugin RPC + host); %d requests per cell.\n\n", *requests)
	fmt.Printf("%-22s %4s %7s %10s %10s %10s %10s %6s\n", "route", "c", "n", "median", "p95", "p99", "req/s", "errors")
	for _, r := range routes {
		for _, c := range cs {
			x := results[r.Name][c]
			fmt.Printf("%-22s %4d %7d %10s %10s %10s %10.0f %6d\n", r.Name, c, x.N, us(x.P50), us(x.P95), us(x.P99), x.RPS, x.Errors)
		}
	}
	fmt.Printf("\nJS route / Go-native route:\n")
	fmt.Printf("%4s %14s %14s %16s\n", "c", "median ratio", "p95 ratio", "throughput ratio")
	for _, c := range cs {
		js, gn := results[routes[0].Name][c], results[routes[1].Name][c]
		fmt.Printf("%4d %13.2fx %13.2fx %15.2fx\n", c, benchkit.Ratio(js.P50, gn.P50), benchkit.Ratio(js.P95, gn.P95), js.RPS/gn.RPS)
	}
	fmt.Printf("(latency ratio > 1: JS slower; throughput ratio < 1: JS serves fewer requests per second)\n")
	if len(cpuLines) > 0 {
		fmt.Printf(
			"\nCPU per cell (server = this process: Mattermost and the load client; plugin = its go-plugin process;\npostgres = %s):\n",
			benchkit.PostgresScope(),
		)
		for _, l := range cpuLines {
			fmt.Println(l)
		}
	}
	code := 0
	for _, r := range routes {
		for _, c := range cs {
			if x := results[r.Name][c]; x.Errors > 0 {
				fmt.Printf("errors on %s at c=%d: %d, first: %s\n", r.Name, c, x.Errors, x.FirstErr)
				code = 1
			}
		}
	}
	return code
}

// perRequest is the CPU of all three parties of one cell divided by its requests.
func perRequest(u benchkit.CPUUsage, n int) time.Duration {
	if n == 0 {
		return 0
	}
	return time.Duration((u.Server + u.Plugin + u.Postgres) / float64(n) * float64(time.Second))
}

func us(d time.Duration) string { return fmt.Sprintf("%.0fµs", float64(d)/float64(time.Microsecond)) }
