package cockpit

// Two plugin instances sharing one database: a second in-process Mattermost server is started on
// the package server's database (mmserver.Options.Database), so both servers run their own plugin
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
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// jobIntervals are the intervals the bundle schedules its jobs with (server/src: readiness.ts
// READINESS_INTERVAL_SECONDS, adoption.ts ADOPTION_REFRESH_MINUTES, waves/engine.ts tickSeconds).
// A job not listed here is still checked against minJobGap.
var jobIntervals = map[string]time.Duration{
	"waves.tick":        10 * time.Second,
	"readiness.refresh": 15 * time.Minute,
	"adoption.refresh":  15 * time.Minute,
}

// minJobGap: two runs of one job closer than this are a double run whatever its interval.
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
		`CREATE TABLE IF NOT EXISTS ` + jobRunLog + ` (pkey text NOT NULL, pvalue bytea, at timestamptz NOT NULL DEFAULT clock_timestamp())`,
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
		for _, s := range []string{`DROP TRIGGER IF EXISTS hardening_job_runs ON PluginKeyValueStore`, `DROP FUNCTION IF EXISTS hardening_log_job_run()`, `DROP TABLE IF EXISTS ` + jobRunLog} {
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
	defer rows.Close()
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

func setPluginEnabled(t *testing.T, c *model.Client4, enabled bool) {
	t.Helper()
	var err error
	state := model.PluginStateNotRunning
	if enabled {
		_, err = c.EnablePlugin(ctx(t), mmserver.PluginID)
		state = model.PluginStateRunning
	} else {
		_, err = c.DisablePlugin(ctx(t), mmserver.PluginID)
	}
	if err != nil {
		t.Fatalf("enable=%v on %s: %v", enabled, c.URL, err)
	}
	if err := mmserver.WaitPluginState(c, mmserver.PluginID, state, 90*time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestHardeningTwoInstancesNeverDoubleRunAJob(t *testing.T) {
	installJobRunTrigger(t)

	t0 := time.Now()
	second, err := mmserver.Start(mmserver.Options{Database: env.s.DBName})
	if err != nil {
		t.Fatalf("a second server on the database %s: %v", env.s.DBName, err)
	}
	defer second.Close()
	admin2, err := second.Login(env.admin)
	if err != nil {
		t.Fatal(err)
	}
	// Whatever happens, the package's server ends with its plugin running.
	t.Cleanup(func() {
		_, _ = env.adminClient.EnablePlugin(ctx(t), mmserver.PluginID)
		if err := mmserver.WaitPluginState(env.adminClient, mmserver.PluginID, model.PluginStateRunning, 90*time.Second); err != nil {
			t.Errorf("restore the plugin on the package server: %v", err)
		}
	})
	setPluginEnabled(t, env.adminClient, false)
	if _, err := mmserver.InstallPlugin(admin2, env.bundle); err != nil {
		t.Fatalf("install on the second server: %v", err)
	}
	setPluginEnabled(t, admin2, false)
	t.Logf("second server %s on database %s (the package server's), plugin installed, in %s", second.URL, second.DBName, time.Since(t0).Round(time.Millisecond))

	// Every job due at once on both nodes: no metadata, no stale lock.
	if _, err := env.s.DB().ExecContext(ctx(t), `DELETE FROM PluginKeyValueStore WHERE PluginId = $1 AND (PKey LIKE 'cron\_cockpit\_%' OR PKey LIKE 'mutex\_cron\_cockpit\_%')`, mmserver.PluginID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.s.DB().ExecContext(ctx(t), `TRUNCATE `+jobRunLog); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, c := range []*model.Client4{env.adminClient, admin2} {
		wg.Go(func() { setPluginEnabled(t, c, true) })
	}
	wg.Wait()
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

	const window = 35 * time.Second
	time.Sleep(window)
	setPluginEnabled(t, admin2, false)
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
			limit := minJobGap
			if iv, ok := jobIntervals[job]; ok && iv-time.Second > limit {
				limit = iv - time.Second
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
		report = append(report, fmt.Sprintf("%s: %d runs (gaps %s), mutex taken %d times", job, len(times), strings.Join(gaps, ", "), locks[job]))
	}
	t.Logf("two plugin instances on one database for %s (enabled together at %s):\n  %s", window, enabledAt.Format(time.TimeOnly), strings.Join(report, "\n  "))
}
