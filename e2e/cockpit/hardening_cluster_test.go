package cockpit

// Two plugin instances sharing one database: a second in-process Mattermost server is started on
// the package server's database (startSecondNode, benchkit.StartSecondNode), so both servers run their own plugin
// process against the same PluginKeyValueStore, the store the host's cluster scheduler and mutex
// live in. Both plugins are enabled at the same moment with every job's metadata cleared, so each
// node's scheduler finds every job due at once and they race for it.
//
// Every run of a job ends with the scheduler writing the job's metadata key (cron_cockpit_<job>);
// a PostgreSQL trigger records each such write with its time, and each lock taken on the job's
// mutex (mutex_cron_cockpit_<job>). Expected: both nodes went through each job's mutex, and no job
// ran twice within its interval.

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// scheduledJobIntervals reads the intervals the bundle schedules its jobs with from the server
// source itself, so that a job added or re-timed later is checked without editing this test: every
// `jobs.schedule(<id>, <seconds>)` call in server/src (jest tests and server/src/testing excluded), with identifiers
// resolved through `const NAME = <expr>` declarations (products of numbers and constants), and
// `options.<field>` through the `default…Options` object that declares `<field>: <number>`.
// Anything it cannot resolve fails the test: a job must never silently drop out of the check.
func scheduledJobIntervals(t *testing.T) map[string]time.Duration {
	t.Helper()
	root := filepath.Join("..", "..", "server", "src")
	var sources []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".ts") && !strings.HasSuffix(path, ".test.ts") && !strings.HasSuffix(path, ".d.ts") &&
			!strings.HasPrefix(path, filepath.Join(root, "testing")+string(filepath.Separator)) {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			// Code only: a comment may show a call as an example.
			var code []string
			for line := range strings.SplitSeq(string(b), "\n") {
				if trimmed := strings.TrimSpace(line); !strings.HasPrefix(trimmed, "//") && !strings.HasPrefix(trimmed, "*") &&
					!strings.HasPrefix(trimmed, "/*") {
					code = append(code, line)
				}
			}
			sources = append(sources, strings.Join(code, "\n"))
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read the server source for the job schedule: %v", err)
	}
	all := strings.Join(sources, "\n")
	constRe := func(name string) *regexp.Regexp {
		return regexp.MustCompile(`(?m)\bconst\s+` + regexp.QuoteMeta(name) + `\s*(?::\s*[\w.]+\s*)?=\s*([^;\n]+);`)
	}
	resolveString := func(expr string) (string, bool) {
		expr = strings.TrimSpace(expr)
		if m := regexp.MustCompile(`^['"]([^'"]+)['"]$`).FindStringSubmatch(expr); m != nil {
			return m[1], true
		}
		if m := constRe(expr).FindStringSubmatch(all); m != nil {
			if v := regexp.MustCompile(`^\s*['"]([^'"]+)['"]\s*$`).FindStringSubmatch(m[1]); v != nil {
				return v[1], true
			}
		}
		return "", false
	}
	var resolveNumber func(expr string, depth int) (int64, bool)
	resolveNumber = func(expr string, depth int) (int64, bool) {
		if depth > 5 {
			return 0, false
		}
		product := int64(1)
		for factor := range strings.SplitSeq(expr, "*") {
			factor = strings.TrimSpace(factor)
			if n, err := strconv.ParseInt(strings.ReplaceAll(factor, "_", ""), 10, 64); err == nil {
				product *= n
				continue
			}
			if i := strings.LastIndex(factor, "."); i >= 0 {
				// options.<field>: the default options object's value (the literal may span lines).
				field := factor[i+1:]
				m := regexp.MustCompile(`default\w*Options\b[^;]*?\b` + regexp.QuoteMeta(field) + `:\s*([\d_]+)`).
					FindStringSubmatch(all)
				if m == nil {
					return 0, false
				}
				n, _ := strconv.ParseInt(strings.ReplaceAll(m[1], "_", ""), 10, 64)
				product *= n
				continue
			}
			m := constRe(factor).FindStringSubmatch(all)
			if m == nil {
				return 0, false
			}
			n, ok := resolveNumber(m[1], depth+1)
			if !ok {
				return 0, false
			}
			product *= n
		}
		return product, true
	}
	out := map[string]time.Duration{}
	for _, m := range regexp.MustCompile(`jobs\.schedule\(\s*([^,()]+?)\s*,\s*([^()]+?)\s*\)`).FindAllStringSubmatch(all, -1) {
		id, ok := resolveString(m[1])
		if !ok {
			t.Fatalf("jobs.schedule(%s, %s) in server/src: cannot resolve the job id; teach scheduledJobIntervals", m[1], m[2])
		}
		sec, ok := resolveNumber(m[2], 0)
		if !ok || sec <= 0 {
			t.Fatalf("jobs.schedule(%s, %s) in server/src: cannot resolve the interval; teach scheduledJobIntervals", m[1], m[2])
		}
		out[id] = time.Duration(sec) * time.Second
	}
	if len(out) == 0 {
		t.Fatal("no jobs.schedule(…) call found in server/src: the job check would prove nothing")
	}
	return out
}

// minJobGap: two runs of a job whose interval the bundle does not say, closer than this, are a double run.
const minJobGap = 5 * time.Second

const jobRunLog = "hardening_job_runs"

type jobWrite struct {
	key   string
	value []byte
	at    time.Time
}

func installJobRunTrigger(t *testing.T) {
	t.Helper()
	db := env.s.DB()
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS ` + jobRunLog +
			` (pkey text NOT NULL, pvalue bytea, at timestamptz NOT NULL DEFAULT clock_timestamp())`,
		`TRUNCATE ` + jobRunLog,
		`CREATE OR REPLACE FUNCTION hardening_log_job_run() RETURNS trigger AS $$
		 BEGIN
		   INSERT INTO ` + jobRunLog + ` (pkey, pvalue) VALUES (NEW.PKey, NEW.PValue);
		   RETURN NEW;
		 END $$ LANGUAGE plpgsql`,
		`DROP TRIGGER IF EXISTS hardening_job_runs ON PluginKeyValueStore`,
		`CREATE TRIGGER hardening_job_runs AFTER INSERT OR UPDATE ON PluginKeyValueStore FOR EACH ROW
		 WHEN (NEW.PluginId = '` + mmserver.PluginID + `' AND (NEW.PKey LIKE 'cron\_cockpit\_%' OR NEW.PKey LIKE 'mutex\_cron\_cockpit\_%'))
		 EXECUTE FUNCTION hardening_log_job_run()`,
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx(t), s); err != nil {
			t.Fatalf("job run trigger: %v\n%s", err, s)
		}
	}
	t.Cleanup(func() {
		for _, s := range []string{
			`DROP TRIGGER IF EXISTS hardening_job_runs ON PluginKeyValueStore`,
			`DROP FUNCTION IF EXISTS hardening_log_job_run()`,
			`DROP TABLE IF EXISTS ` + jobRunLog,
		} {
			if _, err := db.Exec(s); err != nil {
				t.Errorf("clean up the job run trigger: %v", err)
			}
		}
	})
}

func readJobWrites(t *testing.T) []jobWrite {
	t.Helper()
	rows, err := env.s.DB().QueryContext(ctx(t), `SELECT pkey, COALESCE(pvalue, ''::bytea), at FROM `+jobRunLog+` ORDER BY at`)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	var out []jobWrite
	for rows.Next() {
		var w jobWrite
		if err := rows.Scan(&w.key, &w.value, &w.at); err != nil {
			t.Fatal(err)
		}
		out = append(out, w)
	}
	return out
}

func TestHardeningTwoInstancesNeverDoubleRunAJob(t *testing.T) {
	jobIntervals := scheduledJobIntervals(t)
	t.Logf("jobs scheduled by the bundle (from server/src): %v", jobIntervals)
	installJobRunTrigger(t)

	stopPackagePlugin(t)
	t0 := time.Now()
	second, admin2 := startSecondNode(t, true)
	t.Logf(
		"second server %s on database %s (the package server's), plugin installed, in %s",
		second.URL,
		second.DBName,
		time.Since(t0).Round(time.Millisecond),
	)

	// Every job due at once on both nodes: no metadata, no stale lock.
	if _, err := env.s.DB().ExecContext(ctx(t), `DELETE FROM PluginKeyValueStore WHERE PluginId = $1 AND (PKey LIKE `+
		`'cron\_cockpit\_%' OR PKey LIKE 'mutex\_cron\_cockpit\_%')`, mmserver.PluginID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.s.DB().ExecContext(ctx(t), `TRUNCATE `+jobRunLog); err != nil {
		t.Fatal(err)
	}
	enableOnBothNodes(t, admin2)
	enabledAt := time.Now()

	// Both plugins serve, from the same store.
	for _, base := range []string{env.s.URL, second.URL} {
		tok := env.adminClient.AuthToken
		if base == second.URL {
			tok = admin2.AuthToken
		}
		if r := callAt(t, base, http.MethodGet, "/api/v1/status", tok, nil); r.Status != http.StatusOK {
			t.Fatalf("GET /api/v1/status on %s: %s", base, r)
		}
	}

	// A small wave runs while both nodes are up: both nodes' waves.tick (a job on every node) and manual
	// ticks sent to both nodes at once race for its shards.
	const window = 35 * time.Second
	waveDone := make(chan func(), 1)
	go func() { waveDone <- runWaveOnTwoNodes(t, admin2, second.URL) }()
	time.Sleep(time.Until(enabledAt.Add(window)))
	checkWave := <-waveDone
	setPluginEnabled(t, admin2, false)
	checkWave()
	writes := readJobWrites(t)

	runs := map[string][]time.Time{} // job → LastFinished of each run
	locks := map[string]int{}
	for _, w := range writes {
		switch {
		case strings.HasPrefix(w.key, "mutex_cron_cockpit_"):
			locks[strings.TrimPrefix(w.key, "mutex_cron_cockpit_")]++
		case strings.HasPrefix(w.key, "cron_cockpit_"):
			var meta struct{ LastFinished time.Time }
			if err := json.Unmarshal(w.value, &meta); err != nil {
				t.Fatalf("job metadata %s = %q: %v", w.key, w.value, err)
			}
			job := strings.TrimPrefix(w.key, "cron_cockpit_")
			runs[job] = append(runs[job], meta.LastFinished)
		}
	}
	var jobs []string
	for job := range jobIntervals {
		jobs = append(jobs, job)
	}
	for job := range runs {
		if _, ok := jobIntervals[job]; !ok {
			jobs = append(jobs, job)
		}
	}
	sort.Strings(jobs)
	var report []string
	for _, job := range jobs {
		times := runs[job]
		sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
		var gaps []string
		for i := 1; i < len(times); i++ {
			gap := times[i].Sub(times[i-1])
			gaps = append(gaps, gap.Round(100*time.Millisecond).String())
			// The scheduler waits a whole interval after a run finishes, so one job's runs finish at least an
			// interval apart; a double run (both nodes in one tick) finishes twice within a run's time.
			limit := minJobGap
			if iv, ok := jobIntervals[job]; ok {
				limit = max(iv-time.Second, iv*3/4)
			}
			if gap < limit {
				t.Errorf("%s ran twice %s apart (interval %s): a double run", job, gap, jobIntervals[job])
			}
		}
		iv, known := jobIntervals[job]
		switch {
		case len(times) == 0:
			t.Errorf("%s never ran in %s after both nodes enabled it: the race proved nothing", job, window)
		case known && iv > window && len(times) != 1:
			t.Errorf("%s (every %s) ran %d times in %s, want exactly 1", job, iv, len(times), window)
		}
		// Both nodes must have taken the job's lock at least once: each raced for it.
		if locks[job] < 2 {
			t.Errorf("%s: its mutex was taken %d times; both nodes should have gone through it", job, locks[job])
		}
		report = append(
			report,
			fmt.Sprintf("%s: %d runs (gaps %s), mutex taken %d times", job, len(times), strings.Join(gaps, ", "), locks[job]),
		)
	}
	t.Logf(
		"two plugin instances on one database for %s (enabled together at %s):\n  %s",
		window,
		enabledAt.Format(time.TimeOnly),
		strings.Join(report, "\n  "),
	)
}

// runWaveOnTwoNodes creates and starts a wave of 4 users (a target team and a target channel, a
// welcome DM) through node 1, then ticks it through both nodes at once until it completes. It runs
// while both plugins are up and returns the checks to run afterwards (on the test goroutine): the
// wave completed with every user added exactly once, each user got exactly one welcome DM, and the
// server recorded exactly one join per user and channel (ChannelMemberHistory) — a batch run by both
// nodes would show as a second DM or an already_member result.
func runWaveOnTwoNodes(t *testing.T, admin2 *model.Client4, secondURL string) func() {
	tok := env.adminClient.AuthToken
	var problems []string
	fail := func(format string, args ...any) func() {
		msg := fmt.Sprintf(format, args...)
		return func() { t.Error(msg) }
	}
	sfx := model.NewId()[:6]
	source, err := env.s.CreateTeam("hcs" + sfx)
	if err != nil {
		return fail("team: %v", err)
	}
	target, err := env.s.CreateTeam("hct" + sfx)
	if err != nil {
		return fail("team: %v", err)
	}
	channel, err := env.s.CreateChannel(target, "hcc-"+sfx, true)
	if err != nil {
		return fail("channel: %v", err)
	}
	users, err := env.s.CreateUsers(4, mmserver.UserOptions{Prefix: "hc" + sfx + "-", Teams: []*model.Team{source}})
	if err != nil {
		return fail("users: %v", err)
	}
	r := call(t, http.MethodPost, "/api/v1/waves", tok, mustJSONNoT(map[string]any{
		"name":   "Two nodes " + sfx,
		"cohort": map[string]any{"team_ids": []string{source.Id}},
		"targets": map[string]any{
			"teams":    []map[string]any{{"team_id": target.Id}},
			"channels": []map[string]any{{"channel_id": channel.Id}},
		},
		"welcome": map[string]any{"enabled": true, "template": "Welcome {{first_name}} (" + sfx + ")", "help_link": ""},
	}))
	var wave contract.WaveResponse
	if r.Status != http.StatusCreated || json.Unmarshal(r.Body, &wave) != nil {
		return fail("create the wave: %s", r)
	}
	if r := call(
		t,
		http.MethodPost,
		"/api/v1/waves/"+wave.ID+"/start",
		tok,
		mustJSONNoT(map[string]any{"expected_version": wave.Version}),
	); r.Status != http.StatusOK {
		return fail("start the wave: %s", r)
	}
	var progress contract.WaveProgress
	ticks := map[int]int{}
	deadline := time.Now().Add(25 * time.Second)
	for {
		var wg sync.WaitGroup
		var mu sync.Mutex
		for _, node := range []struct{ base, tok string }{{env.s.URL, tok}, {secondURL, admin2.AuthToken}} {
			wg.Go(func() {
				r := callAt(t, node.base, http.MethodPost, "/api/v1/waves/"+wave.ID+"/tick", node.tok, []byte(`{}`))
				mu.Lock()
				ticks[r.Status]++
				mu.Unlock()
			})
		}
		wg.Wait()
		r := call(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/progress", tok, nil)
		if r.Status != http.StatusOK || json.Unmarshal(r.Body, &progress) != nil {
			return fail("progress: %s", r)
		}
		if progress.State != "running" && progress.State != "scheduled" {
			break
		}
		if time.Now().After(deadline) {
			return fail("the wave did not finish while both nodes ran it: %+v", progress)
		}
		time.Sleep(500 * time.Millisecond)
	}
	for status := range ticks {
		if status != http.StatusOK && status != http.StatusConflict && status != http.StatusServiceUnavailable {
			problems = append(problems, fmt.Sprintf("a tick answered %d (ticks by status: %v)", status, ticks))
		}
	}
	if progress.State != "completed" || progress.Counts.Added != len(users) || progress.Counts.AlreadyMember != 0 ||
		progress.Counts.Failed != 0 ||
		progress.Counts.Welcomed != len(users) ||
		progress.Processed != float64(len(users)) {
		problems = append(
			problems,
			fmt.Sprintf("wave on two nodes: %+v, want completed with %d added and welcomed, none already a member", progress, len(users)),
		)
	}
	bot := botID(t)
	for _, u := range users {
		var dms int
		if err := env.s.DB().QueryRowContext(ctx(t), `SELECT count(*) FROM Posts p JOIN Channels c ON c.Id = p.ChannelId
			WHERE c.Type = 'D' AND p.UserId = $1 AND p.DeleteAt = 0 AND (c.Name = $2 OR c.Name = $3) AND p.Message LIKE '%(' || $4 || ')%'`,
			bot, bot+"__"+u.Id, u.Id+"__"+bot, sfx).Scan(&dms); err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if dms != 1 {
			problems = append(problems, fmt.Sprintf("%s got %d welcome DMs, want exactly 1", u.Username, dms))
		}
		rows, err := env.s.DB().
			QueryContext(ctx(t), `SELECT h.ChannelId, count(*) FROM ChannelMemberHistory h JOIN Channels c ON c.Id = h.ChannelId
			WHERE c.TeamId = $1 AND h.UserId = $2 GROUP BY h.ChannelId`, target.Id, u.Id)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		joined := map[string]int{}
		for rows.Next() {
			var ch string
			var n int
			if err := rows.Scan(&ch, &n); err != nil {
				problems = append(problems, err.Error())
			}
			joined[ch] = n
		}
		_ = rows.Close()
		if joined[channel.Id] != 1 {
			problems = append(
				problems,
				fmt.Sprintf("%s joined the target channel %d times, want exactly 1", u.Username, joined[channel.Id]),
			)
		}
		for ch, n := range joined {
			if n != 1 {
				problems = append(problems, fmt.Sprintf("%s joined channel %s of the target team %d times", u.Username, ch, n))
			}
		}
	}
	summary := fmt.Sprintf("wave of %d users on two nodes: %+v; ticks by status %v", len(users), progress.Counts, ticks)
	return func() {
		t.Log(summary)
		for _, p := range problems {
			t.Error(p)
		}
	}
}
