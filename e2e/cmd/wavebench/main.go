// Command wavebench provisions the same thing three ways on one in-process Mattermost server and
// compares them: N users, each into 1 team + 3 channels (two public, one private) + 1 welcome DM
// from a sender (the cockpit bot, the admin, a bot), done
//
//	(a) engine: by the cockpit's wave engine: a wave over the plugin's API (cohort = a team holding the
//	    N users), started, then driven by its tick route back to back (the job runs too) until it
//	    completes; the engine checkpoints every batch and records a result per user meanwhile;
//	(b) REST:   by an admin's script over the REST API, using its batch endpoints where they exist,
//	    with -c requests in flight: POST /api/v4/teams/{id}/members/batch (-chunk users a request),
//	    POST /api/v4/channels/{id}/members {user_ids} (the pinned server takes a list of up to 1,000),
//	    then per user POST /api/v4/channels/direct + POST /api/v4/posts from the admin (a bot's token
//	    got 403 on posting to the DMs it opened on this server, so the script's DMs come from the admin);
//	(c) import: by Mattermost's bulk import: a JSONL file of `user` lines (team and channel
//	    memberships) and `direct_post` lines from the bot, processed by the server's import
//	    (App.BulkImportWithPath, what the import_process job runs, with its worker count).
//
// Every approach gets fresh users and its own team and channels, and is checked afterwards from the
// database (team and channel memberships, one DM per user from the approach's sender). The users are SSO accounts
// (auth_service saml) for all three: the import's user lines would otherwise reset and re-hash every
// password (PBKDF2, ~0.3 s of CPU each), which is not provisioning. Same server process, one run;
// prints seconds, users/s and the ratios engine/(b) and engine/(c) (time ratios: < 1 = the engine
// is faster).
//
//	bench/waves.sh [-n 1000,5000] [-c 4] [-chunk 100] [-bundle dist/…tar.gz]   (WAVEBENCH_N sets -n's default)
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/benchkit"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func main() { os.Exit(run()) }

type bench struct {
	s       *mmserver.Server
	target  *benchkit.Target
	client  *http.Client
	admin   *model.Client4
	workers int
	chunk   int
	// restSteps: the REST script's seconds per step, by N, printed under the table.
	restSteps map[int]string
}

type outcome struct {
	name    string
	seconds float64
	cpu     benchkit.CPUUsage
	posts   string
	err     error
}

func run() int {
	defaultN := benchkit.EnvOr("WAVEBENCH_N", "1000,5000")
	var (
		sizes   = flag.String("n", defaultN, "user counts, comma-separated (default: WAVEBENCH_N, else 1000,5000)")
		workers = flag.Int("c", 4, "REST requests in flight for approach (b)")
		chunk   = flag.Int("chunk", 100, "users per REST batch request for approach (b)")
		bundle  = flag.String("bundle", "", "plugin bundle (default: COCKPIT_BUNDLE or dist/)")
		only    = flag.String("approaches", "a,b,c", "approaches to run, comma-separated: a, b, c, and q (the engine "+
			"with ServiceSettings.ExperimentalEnableDefaultChannelLeaveJoinMessages off)")
	)
	flag.Parse()
	ns, err := benchkit.Sizes(*sizes, "user")
	if err != nil {
		log.Fatal(err)
	}
	if *workers < 1 || *chunk < 1 || *chunk > 1000 {
		log.Fatal("-c ≥ 1, -chunk 1…1000")
	}
	target, s, err := benchkit.StartServer(*bundle)
	if err != nil {
		log.Print(err)
		return 1
	}
	defer target.Close()
	b := &bench{s: s, target: target, client: benchkit.NewClient(8), workers: *workers, chunk: *chunk, restSteps: map[int]string{}}
	b.admin = s.Client()
	b.admin.SetToken(target.Token)

	approaches, err := b.selected(*only)
	if err != nil {
		log.Print(err)
		return 1
	}
	meter := benchkit.NewCPUMeter(s)
	results := map[int][]outcome{}
	for _, n := range ns {
		for _, approach := range approaches {
			f, err := benchkit.NewFixture(b.s, n, benchkit.FixtureOptions{Prefix: "b", Tag: approach.name[1:2], SSO: true})
			if err != nil {
				log.Print(err)
				return 1
			}
			before := meter.Sample()
			t0 := time.Now()
			sender, err := approach.run(n, f)
			seconds := time.Since(t0).Seconds()
			cpu := meter.Since(before)
			if err == nil {
				err = b.check(f, sender)
			}
			posts := b.postsSince(t0)
			log.Printf("N=%d %s: %.1f s (%.1f users/s) %s; %v", n, approach.name, seconds, float64(n)/seconds, cpu, benchkit.ErrOrOK(err))
			results[n] = append(results[n], outcome{approach.name, seconds, cpu, posts, err})
		}
	}

	fmt.Printf(
		"\nProvisioning N users × (1 team + 3 channels + 1 DM), Mattermost %s in-process, %d CPUs, one run.\n",
		s.Version,
		runtime.NumCPU(),
	)
	fmt.Printf(
		"(b) REST: %d requests in flight, %d users per batch request; (c) import: %d workers.\n\n",
		b.workers,
		b.chunk,
		runtime.NumCPU(),
	)
	fmt.Printf("%6s  %-12s %10s %10s\n", "N", "approach", "seconds", "users/s")
	code := 0
	for _, n := range ns {
		for _, o := range results[n] {
			fmt.Printf("%6d  %-12s %10.1f %10.1f  %s\n", n, o.name, o.seconds, float64(n)/o.seconds, benchkit.ErrOrOK(o.err))
			if o.err != nil {
				code = 1
			}
		}
	}
	for _, n := range ns {
		if steps, ok := b.restSteps[n]; ok {
			fmt.Printf("%6d  (b) REST's steps: %s\n", n, steps)
		}
	}
	fmt.Printf(
		"\nCPU per approach (server = this process: Mattermost, the REST script's client and the import;\nplugin = its "+
			"go-plugin process; postgres = %s):\n",
		benchkit.PostgresScope(),
	)
	for _, n := range ns {
		for _, o := range results[n] {
			fmt.Printf("%6d  %-12s %s\n", n, o.name, o.cpu)
		}
	}
	fmt.Printf("\nPosts each approach made, by type (\"\" = a user's post: the welcome DMs; each system post runs a notification pass):\n")
	for _, n := range ns {
		for _, o := range results[n] {
			fmt.Printf("%6d  %-12s %s\n", n, o.name, o.posts)
		}
	}
	printRatios(ns, results)
	fmt.Printf("Goal: engine/(b) ≤ 1 (not slower than the REST script) and engine/(c) ≤ 2 (within 2× of the bulk import).\n")
	return code
}

type approach struct {
	name string
	run  func(n int, f *benchkit.Fixture) (sender string, err error)
}

// selected: the approaches named in -approaches, in the table's order.
func (b *bench) selected(names string) ([]approach, error) {
	all := []approach{{"(a) engine", b.engine}, {"(q) quiet", b.quietEngine}, {"(b) REST", b.rest}, {"(c) import", b.bulkImport}}
	want := map[string]bool{}
	for name := range strings.SplitSeq(names, ",") {
		want[strings.TrimSpace(name)] = true
	}
	var out []approach
	for _, a := range all {
		if want[a.name[1:2]] {
			out = append(out, a)
			delete(want, a.name[1:2])
		}
	}
	if len(out) == 0 || len(want) > 0 {
		return nil, fmt.Errorf("bad -approaches %q: a subset of a,q,b,c", names)
	}
	return out, nil
}

// printRatios: each approach's time over the REST script's and the import's, where both ran.
func printRatios(ns []int, results map[int][]outcome) {
	fmt.Printf("\nTime ratios (< 1: the approach took less time):\n%6s  %-12s %14s %14s\n", "N", "approach", "over (b)", "over (c)")
	ratio := func(o outcome, of []outcome, name string) string {
		for _, other := range of {
			if other.name == name && other.seconds > 0 {
				return fmt.Sprintf("%13.2fx", o.seconds/other.seconds)
			}
		}
		return fmt.Sprintf("%14s", "-")
	}
	for _, n := range ns {
		for _, o := range results[n] {
			if strings.HasPrefix(o.name, "(a)") || strings.HasPrefix(o.name, "(q)") {
				fmt.Printf("%6d  %-12s %s %s\n", n, o.name, ratio(o, results[n], "(b) REST"), ratio(o, results[n], "(c) import"))
			}
		}
	}
}

// postsSince counts the posts made since t0 by type: what the server did per user beyond the memberships.
func (b *bench) postsSince(t0 time.Time) string {
	rows, err := b.s.DB().Query(`SELECT type, count(*) FROM posts WHERE createat >= $1 GROUP BY type ORDER BY type`, t0.UnixMilli())
	if err != nil {
		return "posts: " + err.Error()
	}
	defer func() { _ = rows.Close() }()
	var parts []string
	for rows.Next() {
		var kind string
		var count int
		if err := rows.Scan(&kind, &count); err != nil {
			return "posts: " + err.Error()
		}
		parts = append(parts, fmt.Sprintf("%q %d", kind, count))
	}
	return strings.Join(parts, ", ")
}

// newBot makes a bot account (the sender of the imported DMs).
func (b *bench) newBot() (*model.Bot, error) {
	bot, _, err := b.admin.CreateBot(
		context.Background(),
		&model.Bot{Username: "benchbot" + strings.ToLower(model.NewId()[:6]), DisplayName: "Bench bot"},
	)
	if err != nil {
		return nil, fmt.Errorf("create bot: %w", err)
	}
	return bot, nil
}

// engine: a wave over the plugin API, started, then ticked back to back until it is no longer running.
// The DMs come from the cockpit's bot.
func (b *bench) engine(n int, f *benchkit.Fixture) (string, error) {
	bot, _, err := b.admin.GetUserByUsername(context.Background(), "cockpit", "")
	if err != nil {
		return "", fmt.Errorf("the cockpit bot: %w", err)
	}
	return bot.Id, b.runWave(n, f)
}

// quietEngine: the engine with the admin setting the dry run's advice names turned off for the run
// (the server then makes no team-join posts in town-square and off-topic), and back on afterwards.
func (b *bench) quietEngine(n int, f *benchkit.Fixture) (string, error) {
	set := func(on bool) {
		b.s.App.UpdateConfig(func(cfg *model.Config) {
			cfg.ServiceSettings.ExperimentalEnableDefaultChannelLeaveJoinMessages = new(on)
		})
	}
	set(false)
	defer set(true)
	return b.engine(n, f)
}

func (b *bench) runWave(n int, f *benchkit.Fixture) error {
	cohort := map[string]any{"team_ids": []string{f.Source.Id}}
	wave, err := b.target.CreateWave(b.client, benchkit.WaveSpec(fmt.Sprintf("Bench wave %d", n), cohort, f.Team, f.Channels))
	if err != nil {
		return err
	}
	if err = b.target.StartWave(b.client, wave); err != nil {
		return err
	}
	progress, err := b.target.TickUntilDone(b.client, wave.ID, 0)
	if err != nil {
		return err
	}
	return benchkit.CheckWelcomed(progress, n)
}

// parallel runs jobs on b.workers goroutines; the first error wins.
func (b *bench) parallel(jobs []func() error) error {
	var next atomic.Int64
	var first atomic.Value
	var wg sync.WaitGroup
	for w := 0; w < b.workers; w++ {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) || first.Load() != nil {
					return
				}
				if err := jobs[i](); err != nil {
					first.CompareAndSwap(nil, err)
				}
			}
		})
	}
	wg.Wait()
	if err, _ := first.Load().(error); err != nil {
		return err
	}
	return nil
}

func chunks(ids []string, size int) [][]string {
	var out [][]string
	for start := 0; start < len(ids); start += size {
		out = append(out, ids[start:min(start+size, len(ids))])
	}
	return out
}

// rest: what an admin would script: the team in batches, each channel in batches, then a DM per user
// from the admin (who opens the DM channel and posts in it). Each step's seconds are kept for the table,
// to set beside the engine's own profile (its `Wave run` log lines, at MM_E2E_LOG=INFO).
func (b *bench) rest(_ int, f *benchkit.Fixture) (string, error) {
	ctx := context.Background()
	me, _, err := b.admin.GetMe(ctx, "")
	if err != nil {
		return "", err
	}
	return me.Id, b.restScript(ctx, me.Id, f)
}

func (b *bench) restScript(ctx context.Context, sender string, f *benchkit.Fixture) error {
	ids := benchkit.UserIDs(f.Users)
	var steps []string
	step := func(name string, jobs []func() error) error {
		t0 := time.Now()
		defer func() { steps = append(steps, fmt.Sprintf("%s %.1f s", name, time.Since(t0).Seconds())) }()
		return b.parallel(jobs)
	}
	defer func() { b.restSteps[len(ids)] = strings.Join(steps, ", ") }()
	var jobs []func() error
	for _, part := range chunks(ids, b.chunk) {
		jobs = append(jobs, func() error {
			members, _, err := b.admin.AddTeamMembersGracefully(ctx, f.Team.Id, part)
			if err != nil {
				return fmt.Errorf("team batch: %w", err)
			}
			for _, m := range members {
				if m.Error != nil {
					return fmt.Errorf("team batch, user %s: %v", m.UserId, m.Error)
				}
			}
			return nil
		})
	}
	if err := step("team", jobs); err != nil {
		return err
	}
	jobs = nil
	for _, ch := range f.Channels {
		for _, part := range chunks(ids, b.chunk) {
			jobs = append(jobs, func() error {
				if _, _, err := b.admin.AddChannelMembers(ctx, ch.Id, "", part); err != nil {
					return fmt.Errorf("channel %s batch: %w", ch.Name, err)
				}
				return nil
			})
		}
	}
	if err := step("channels", jobs); err != nil {
		return err
	}
	jobs = nil
	for _, u := range f.Users {
		jobs = append(jobs, func() error {
			dm, _, err := b.admin.CreateDirectChannel(ctx, sender, u.Id)
			if err != nil {
				return fmt.Errorf("DM channel: %w", err)
			}
			if _, _, err := b.admin.CreatePost(
				ctx,
				&model.Post{ChannelId: dm.Id, Message: "Welcome " + u.FirstName + " to " + f.Team.DisplayName},
			); err != nil {
				return fmt.Errorf("DM post: %w", err)
			}
			return nil
		})
	}
	return step("DMs", jobs)
}

// bulkImport: one JSONL file (user lines with their team and channels, then a direct_post per user
// from the bot), processed by the server's import with the import job's worker count.
func (b *bench) bulkImport(_ int, f *benchkit.Fixture) (string, error) {
	bot, err := b.newBot()
	if err != nil {
		return "", err
	}
	var jsonl bytes.Buffer
	enc := json.NewEncoder(&jsonl)
	line := func(v any) {
		if err == nil {
			err = enc.Encode(v)
		}
	}
	line(map[string]any{"type": "version", "version": 1})
	channels := []map[string]any{}
	for _, ch := range f.Channels {
		channels = append(channels, map[string]any{"name": ch.Name})
	}
	for _, u := range f.Users {
		line(map[string]any{"type": "user", "user": map[string]any{
			"username": u.Username, "email": u.Email, "auth_service": "saml", "auth_data": u.Username,
			"teams": []map[string]any{{"name": f.Team.Name, "channels": channels}},
		}})
	}
	now := model.GetMillis()
	for i, u := range f.Users {
		line(map[string]any{"type": "direct_post", "direct_post": map[string]any{
			"channel_members": []string{bot.Username, u.Username}, "user": bot.Username,
			"message": "Welcome " + u.FirstName + " to " + f.Team.DisplayName, "create_at": now + int64(i),
		}})
	}
	if err != nil {
		return "", err
	}
	if lineNumber, appErr := b.s.App.BulkImportWithPath(b.s.Ctx(), &jsonl, nil, false, true, runtime.NumCPU(), ""); appErr != nil {
		return "", fmt.Errorf("import, line %d: %w", lineNumber, appErr)
	}
	// The import writes through the store; what the REST API and the check read must see it.
	b.s.Srv.Store().Team().ClearCaches()
	b.s.Srv.Store().Channel().ClearCaches()
	return bot.UserId, nil
}

// check: every user in the team and the 3 channels, one DM each from the sender (benchkit.CheckProvisioned).
func (b *bench) check(f *benchkit.Fixture, sender string) error {
	return benchkit.CheckProvisioned(b.s, f.Team.Id, f.Channels, benchkit.UserIDs(f.Users), sender)
}
