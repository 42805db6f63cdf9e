// Command adoptionbench measures the Adoption tab's API and the stakeholder status page through a real
// Mattermost server on loopback, first with 100 users and then with 50,000 (cheap bulk users, each with
// a Status row as if they had been active in the last 30 days), and prints how much slower the routes
// got as a ratio (the goal is flat: ≤ 1.5×):
//
//	GET /api/v1/adoption             the cached measurement, 90 days, targets, load samples (admin)
//	GET /api/v1/stakeholders/status  plan, waves, adoption (a member of a listed custom group: the
//	                                 guard looks up the caller's groups)
//	GET /api/v1/status               the baseline: the cockpit's overview route
//
// The plan is edited once (a stored plan, as during a roll-out). Before each measurement the adoption
// job runs once (the scheduler's record removed, the plugin restarted), so the cached numbers are those
// of the current user count; an uncached GET (what the first page view before the job's first run
// costs: the live activity queries) is printed as well.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/benchkit"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func main() { os.Exit(run()) }

type bench struct {
	s       *mmserver.Server
	admin   *model.Client4
	client  *http.Client
	asAdmin *benchkit.Target
	asStake *benchkit.Target
	team    *model.Team
}

func run() int {
	var (
		requests = flag.Int("n", 300, "requests per (route, size) measurement")
		warmup   = flag.Int("warmup", 30, "warm-up requests per route")
		rounds   = flag.Int("rounds", 3, "the n requests of each cell are sent in this many alternating rounds")
		conc     = flag.Int("c", 4, "concurrent clients")
		small    = flag.Int("small", 100, "users in the first measurement")
		large    = flag.Int("large", 50_000, "users in the second measurement")
		limit    = flag.Duration("limit", 90*time.Second, "time limit per cell")
		bundle   = flag.String("bundle", "", "plugin bundle (default: COCKPIT_BUNDLE or dist/)")
	)
	flag.Parse()
	if *small < 10 || *large <= *small || *requests < 1 || *rounds < 1 || *conc < 1 {
		log.Fatal("need 10 ≤ -small < -large, -n, -rounds, -c ≥ 1")
	}
	b, err := start(*bundle)
	if err != nil {
		logf("%v", err)
		return 1
	}
	defer b.s.Close()

	routes := []struct {
		target *benchkit.Target
		req    benchkit.Request
	}{
		{b.asAdmin, benchkit.Request{Name: "GET /api/v1/status", Method: http.MethodGet, Path: "/api/v1/status"}},
		{b.asAdmin, benchkit.Request{Name: "GET /api/v1/adoption", Method: http.MethodGet, Path: "/api/v1/adoption"}},
		{b.asStake, benchkit.Request{Name: "GET /api/v1/stakeholders/status", Method: http.MethodGet, Path: "/api/v1/stakeholders/status"}},
	}

	sizes := []int{*small, *large}
	results := map[int]map[string]benchkit.Result{}
	jobTimes := map[int]time.Duration{}
	uncached := map[int]time.Duration{}
	bytes := map[int]map[string]int{}
	users := 2 // admin + stakeholder
	for _, size := range sizes {
		t0 := time.Now()
		if growErr := b.growTo(&users, size); growErr != nil {
			logf("%v", growErr)
			return 1
		}
		logf("%d users (created in %s)", users, time.Since(t0).Round(time.Millisecond))
		if jobTimes[size], err = b.runAdoptionJob(); err != nil {
			logf("%v", err)
			return 1
		}
		if uncached[size], err = b.uncachedAdoption(); err != nil {
			logf("%v", err)
			return 1
		}
		bytes[size] = map[string]int{}
		for _, r := range routes {
			code, body, err := r.target.Send(b.client, r.req.Method, r.req.Path, nil)
			if err != nil || code != http.StatusOK {
				logf("%s: %v HTTP %d %.300s", r.req.Name, err, code, body)
				return 1
			}
			bytes[size][r.req.Name] = len(body)
			if _, errs, first, _ := r.target.Load(b.client, r.req, 2, *warmup, *limit); errs > 0 {
				logf("warm-up of %s: %d errors, first: %s", r.req.Name, errs, first)
				return 1
			}
		}
		lat := map[string][]time.Duration{}
		errs := map[string]int{}
		first := map[string]string{}
		elapsed := map[string]time.Duration{}
		per := (*requests + *rounds - 1) / *rounds
		for round := 0; round < *rounds; round++ {
			for _, r := range routes {
				l, e, f, d := r.target.Load(b.client, r.req, *conc, per, *limit/time.Duration(*rounds))
				lat[r.req.Name] = append(lat[r.req.Name], l...)
				errs[r.req.Name] += e
				elapsed[r.req.Name] += d
				if first[r.req.Name] == "" {
					first[r.req.Name] = f
				}
			}
		}
		results[size] = map[string]benchkit.Result{}
		for _, r := range routes {
			results[size][r.req.Name] = benchkit.Summarize(lat[r.req.Name], errs[r.req.Name], first[r.req.Name], elapsed[r.req.Name])
		}
	}

	fmt.Printf(
		"\nAdoption tab API and stakeholder status page through a real Mattermost server on loopback; %d requests per cell, %d "+
			"clients, %d alternating rounds.\n\n",
		*requests,
		*conc,
		*rounds,
	)
	fmt.Printf("%-34s %7s %6s %10s %10s %9s %8s %6s\n", "route", "users", "n", "median", "p95", "req/s", "bytes", "errors")
	for _, r := range routes {
		for _, size := range sizes {
			x := results[size][r.req.Name]
			fmt.Printf(
				"%-34s %7d %6d %10s %10s %9.0f %8d %6d\n",
				r.req.Name,
				size,
				x.N,
				ms(x.P50),
				ms(x.P95),
				x.RPS,
				bytes[size][r.req.Name],
				x.Errors,
			)
		}
	}
	fmt.Printf("\n%d users against %d users (same run; goal: flat, ≤ 1.50×):\n", *large, *small)
	fmt.Printf("%-34s %13s %11s\n", "route", "median ratio", "p95 ratio")
	code := 0
	for _, r := range routes {
		x, y := results[*large][r.req.Name], results[*small][r.req.Name]
		ratio := benchkit.Ratio(x.P50, y.P50)
		verdict := "flat"
		if ratio > 1.5 {
			verdict = "NOT FLAT"
			if r.req.Name != routes[0].req.Name {
				code = 1
			}
		}
		fmt.Printf("%-34s %12.2fx %10.2fx  %s\n", r.req.Name, ratio, benchkit.Ratio(x.P95, y.P95), verdict)
	}
	fmt.Printf("\nOnce per measurement, not per page view:\n")
	for _, size := range sizes {
		fmt.Printf(
			"  %6d users: plugin restart until the adoption job's first run is served %s; an uncached GET /api/v1/adoption "+
				"(measures live) %s\n",
			size,
			ms(jobTimes[size]),
			ms(uncached[size]),
		)
	}
	for _, size := range sizes {
		for _, r := range routes {
			if x := results[size][r.req.Name]; x.Errors > 0 {
				fmt.Printf("errors on %s at %d users: %d, first: %s\n", r.req.Name, size, x.Errors, x.FirstErr)
				code = 1
			}
		}
	}
	return code
}

func start(bundle string) (*bench, error) {
	if bundle == "" {
		var err error
		if bundle, err = mmserver.FindBundle(); err != nil {
			return nil, err
		}
	}
	t0 := time.Now()
	s, err := mmserver.Start(mmserver.Options{})
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*bench, error) { s.Close(); return nil, err }
	if printErr := benchkit.PrintDatabase(s); printErr != nil {
		return fail(printErr)
	}
	team, err := s.CreateTeam("adoptionbench")
	if err != nil {
		return fail(err)
	}
	if _, createErr := s.CreateUser("bench-admin", mmserver.UserOptions{SystemAdmin: true, Teams: []*model.Team{team}}); createErr != nil {
		return fail(createErr)
	}
	stake, err := s.CreateUser("bench-stakeholder", mmserver.UserOptions{Teams: []*model.Team{team}})
	if err != nil {
		return fail(err)
	}
	admin, err := s.Login("bench-admin")
	if err != nil {
		return fail(err)
	}
	stakeClient, err := s.Login("bench-stakeholder")
	if err != nil {
		return fail(err)
	}
	if _, installErr := mmserver.InstallPlugin(admin, bundle); installErr != nil {
		return fail(installErr)
	}
	b := &bench{
		s: s, admin: admin, client: benchkit.NewClient(64), team: team,
		asAdmin: benchkit.Attach(s.URL, admin.AuthToken), asStake: benchkit.Attach(s.URL, stakeClient.AuthToken),
	}

	// The stakeholder reads the page as a member of a listed custom group (the guard's costlier path).
	ctx := context.Background()
	group, _, err := admin.CreateGroup(
		ctx,
		&model.Group{Name: new("benchhelpdesk"), DisplayName: "Bench help desk", Source: model.GroupSourceCustom, AllowReference: true},
	)
	if err != nil {
		return fail(fmt.Errorf("create a custom group: %w", err))
	}
	if _, _, err := admin.UpsertGroupMembers(ctx, group.Id, &model.GroupModifyMembers{UserIds: []string{stake.Id}}); err != nil {
		return fail(err)
	}
	body, _ := json.Marshal(map[string]any{"expected_version": 0, "usernames": []string{}, "group_names": []string{"benchhelpdesk"}})
	if code, out, err := b.asAdmin.Send(b.client, http.MethodPut, "/api/v1/stakeholders/access", body); err != nil ||
		code != http.StatusOK {
		return fail(fmt.Errorf("PUT access: %v HTTP %d %.300s", err, code, out))
	}
	// A roll-out in progress has an edited (stored) plan: mark its first task done.
	var plan contract.PlanResponse
	if code, out, err := b.asAdmin.Send(b.client, http.MethodGet, "/api/v1/plan", nil); err != nil || code != http.StatusOK ||
		json.Unmarshal(out, &plan) != nil ||
		len(plan.Plan.Phases) == 0 ||
		len(plan.Plan.Phases[0].Tasks) == 0 {
		return fail(fmt.Errorf("GET plan: %v HTTP %d %.300s", err, code, out))
	}
	done, _ := json.Marshal(map[string]any{"expected_version": plan.Plan.Version, "changes": map[string]any{"state": "done"}})
	if code, out, err := b.asAdmin.Send(
		b.client,
		http.MethodPatch,
		"/api/v1/plan/tasks/"+plan.Plan.Phases[0].Tasks[0].ID,
		done,
	); err != nil ||
		code != http.StatusOK {
		return fail(fmt.Errorf("PATCH task: %v HTTP %d %.300s", err, code, out))
	}
	// Three success targets, so the answers carry progress.
	targets, _ := json.Marshal(map[string]any{"expected_version": 0, "targets": []any{
		map[string]any{
			"id":        "mau",
			"label":     "MAU 80 %",
			"metric":    "monthly_active",
			"kind":      "percent",
			"threshold": 80,
			"due":       "2027-03-01",
		},
		map[string]any{"id": "dau", "metric": "daily_active", "kind": "count", "threshold": 1000, "due": "2027-03-01"},
		map[string]any{"id": "posts", "metric": "posts_last_day", "kind": "count", "threshold": 5000, "due": "2027-03-01"},
	}})
	if code, out, err := b.asAdmin.Send(b.client, http.MethodPut, "/api/v1/adoption/targets", targets); err != nil ||
		code != http.StatusOK {
		return fail(fmt.Errorf("PUT targets: %v HTTP %d %.300s", err, code, out))
	}
	logf("Mattermost %s at %s with the plugin, ready in %s", s.Version, s.URL, time.Since(t0).Round(time.Millisecond))
	return b, nil
}

// growTo creates users until there are `size` (team members, each with a Status row active at a
// random time in the last 30 days, so the activity queries have rows to count).
func (b *bench) growTo(users *int, size int) error {
	if n := size - *users; n > 0 {
		if _, err := b.s.CreateUsers(
			n,
			mmserver.UserOptions{Prefix: fmt.Sprintf("ab%d-", size), Teams: []*model.Team{b.team}, Workers: 4},
		); err != nil {
			return err
		}
		*users = size
	}
	now := model.GetMillis()
	_, err := b.s.DB().Exec(`INSERT INTO Status (UserId, Status, Manual, LastActivityAt, DNDEndTime, PrevStatus)
		SELECT Id, 'offline', false, $1 - (random() * 30 * 86400000)::bigint, 0, '' FROM Users
		ON CONFLICT (UserId) DO NOTHING`, now)
	if err != nil {
		return fmt.Errorf("status rows: %w", err)
	}
	_, err = b.s.DB().Exec(`ANALYZE Status; ANALYZE Users`)
	return err
}

// runAdoptionJob makes the job run now (the scheduler's record removed, the plugin restarted) and
// returns how long until its new measurement was served.
func (b *bench) runAdoptionJob() (time.Duration, error) {
	before, err := b.takenAt()
	if err != nil {
		return 0, err
	}
	ctx := context.Background()
	if _, disableErr := b.admin.DisablePlugin(ctx, mmserver.PluginID); disableErr != nil {
		return 0, disableErr
	}
	if waitErr := mmserver.WaitPluginState(b.admin, mmserver.PluginID, model.PluginStateNotRunning, 30*time.Second); waitErr != nil {
		return 0, waitErr
	}
	if _, execErr := b.s.DB().Exec(
		`DELETE FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey = 'cron_cockpit_adoption.refresh'`,
		mmserver.PluginID,
	); execErr != nil {
		return 0, execErr
	}
	t0 := time.Now()
	if _, enableErr := b.admin.EnablePlugin(ctx, mmserver.PluginID); enableErr != nil {
		return 0, enableErr
	}
	err = mmserver.WaitFor(120*time.Second, func() error {
		at, takenErr := b.takenAt()
		if takenErr != nil {
			return takenErr
		}
		if at <= before {
			return fmt.Errorf("the adoption job has not run yet")
		}
		return nil
	})
	return time.Since(t0), err
}

func (b *bench) takenAt() (int64, error) {
	code, body, err := b.asAdmin.Send(b.client, http.MethodGet, "/api/v1/adoption", nil)
	if err != nil || code != http.StatusOK {
		return 0, fmt.Errorf("GET /api/v1/adoption: %v HTTP %d", err, code)
	}
	var a contract.AdoptionResponse
	if err := json.Unmarshal(body, &a); err != nil {
		return 0, err
	}
	if a.Current == nil || !a.Cached {
		return 0, nil
	}
	return int64(a.Current.TakenAt), nil
}

// uncachedAdoption is the median of 5 GETs with the cached measurement removed (each measures live).
func (b *bench) uncachedAdoption() (time.Duration, error) {
	saved, appErr := b.s.App.GetPluginKey(mmserver.PluginID, "adoption:current")
	if appErr != nil {
		return 0, appErr
	}
	var times []time.Duration
	for range 5 {
		if _, err := b.s.DB().Exec(
			`DELETE FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey = 'adoption:current'`,
			mmserver.PluginID,
		); err != nil {
			return 0, err
		}
		t0 := time.Now()
		code, _, err := b.asAdmin.Send(b.client, http.MethodGet, "/api/v1/adoption", nil)
		if err != nil || code != http.StatusOK {
			return 0, fmt.Errorf("uncached GET /api/v1/adoption: %v HTTP %d", err, code)
		}
		times = append(times, time.Since(t0))
	}
	if appErr := b.s.App.SetPluginKey(mmserver.PluginID, "adoption:current", saved); appErr != nil {
		return 0, appErr
	}
	return benchkit.Summarize(times, 0, "", time.Second).P50, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// logf writes a progress or error line to stderr (the server's logging setup swallows the log package).
func logf(format string, args ...any) { fmt.Fprintf(os.Stderr, "adoptionbench: "+format+"\n", args...) }
