// Command newcomerbench makes N new SSO accounts and provisions them, two ways, on one in-process
// Mattermost server, and compares them: N people who have no account yet (auth_service saml with their
// auth_data, names), each into 1 team + 3 channels (two public, one private) + 1 welcome DM, done
//
//	(a) engine: by the cockpit's wave engine: a wave in newcomer mode `create` whose cohort is a file
//	    with named columns (uploaded through POST …/csv in the webapp's chunks), started, then driven by
//	    its tick route back to back until it completes: the host's users.createMany makes the accounts,
//	    the engine provisions them and the bot sends each a welcome DM;
//	(b) import: by Mattermost's bulk import of the same people: `user` lines with auth_service, auth_data,
//	    names, the team and its channels, then a `direct_post` from a bot per person (App.BulkImportWithPath,
//	    what the import_process job runs, with its worker count).
//
// SAML is switched on in the server's config first (mmserver.EnableDirectorySignIn) so the wave accepts
// the file. Each approach gets its own people (different emails) and its own team and channels, and is
// checked afterwards from the database: one account per email with the right auth service and auth data,
// every account in the team and the channels, one DM each from the approach's sender. Same server, one
// run; prints seconds, people/s, the CPU of each process and the ratio engine/import (< 1: the engine
// took less time).
//
//	bench/newcomers.sh [-n 1000,5000] [-bundle dist/…tar.gz]   (NEWCOMERBENCH_N sets -n's default)
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
	"time"

	"github.com/lib/pq"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/benchkit"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/cohort"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func main() { os.Exit(run()) }

type bench struct {
	s      *mmserver.Server
	target *benchkit.Target
	client *http.Client
	admin  *model.Client4
}

// person is one new SSO person of a run.
type person struct {
	email, username, firstName, lastName, authData string
}

// fixture is one approach's people and the team + channels to provision them into.
type fixture struct {
	people   []person
	team     *model.Team
	channels []*model.Channel
}

type outcome struct {
	name    string
	seconds float64
	cpu     benchkit.CPUUsage
	err     error
}

func run() int {
	defaultN := benchkit.EnvOr("NEWCOMERBENCH_N", "1000,5000")
	sizes := flag.String("n", defaultN, "people per run, comma-separated (default: NEWCOMERBENCH_N, else 1000,5000)")
	bundle := flag.String("bundle", "", "plugin bundle (default: COCKPIT_BUNDLE or dist/)")
	flag.Parse()
	ns, err := benchkit.Sizes(*sizes, "people")
	if err != nil {
		log.Fatal(err)
	}
	target, s, err := benchkit.StartServer(*bundle)
	if err != nil {
		log.Print(err)
		return 1
	}
	defer target.Close()
	if _, err := s.EnableDirectorySignIn(); err != nil {
		log.Print(err)
		return 1
	}
	b := &bench{s: s, target: target, client: benchkit.NewClient(8)}
	b.admin = s.Client()
	b.admin.SetToken(target.Token)

	meter := benchkit.NewCPUMeter(s)
	results := map[int][]outcome{}
	for _, n := range ns {
		for _, approach := range []struct {
			name string
			run  func(f *fixture) (sender string, err error)
		}{{"(a) engine", b.engine}, {"(b) import", b.bulkImport}} {
			f, err := b.newFixture(n, approach.name[1:2])
			if err != nil {
				log.Print(err)
				return 1
			}
			before := meter.Sample()
			t0 := time.Now()
			sender, err := approach.run(f)
			seconds := time.Since(t0).Seconds()
			cpu := meter.Since(before)
			if err == nil {
				err = b.check(f, sender)
			}
			log.Printf("N=%d %s: %.1f s (%.1f people/s) %s; %v", n, approach.name, seconds, float64(n)/seconds, cpu, benchkit.ErrOrOK(err))
			results[n] = append(results[n], outcome{approach.name, seconds, cpu, err})
		}
	}

	fmt.Printf("\nN new SSO accounts (saml + auth_data) created and provisioned into 1 team + 3 channels + 1 DM,\n"+
		"Mattermost %s in-process, %d CPUs, one run; (b) import: %d workers.\n\n", s.Version, runtime.NumCPU(), runtime.NumCPU())
	fmt.Printf("%6s  %-12s %10s %10s\n", "N", "approach", "seconds", "people/s")
	code := 0
	for _, n := range ns {
		for _, o := range results[n] {
			fmt.Printf("%6d  %-12s %10.1f %10.1f  %s\n", n, o.name, o.seconds, float64(n)/o.seconds, benchkit.ErrOrOK(o.err))
			if o.err != nil {
				code = 1
			}
		}
	}
	fmt.Printf("\nCPU per approach (server = this process: Mattermost and the import; plugin = its go-plugin process;\n"+
		"postgres = %s):\n", benchkit.PostgresScope())
	for _, n := range ns {
		for _, o := range results[n] {
			fmt.Printf("%6d  %-12s %s\n", n, o.name, o.cpu)
		}
	}
	fmt.Printf("\nTime ratio (< 1: the engine took less time):\n%6s %14s\n", "N", "engine/import")
	for _, n := range ns {
		r := results[n]
		fmt.Printf("%6d %13.2fx\n", n, r[0].seconds/r[1].seconds)
	}
	return code
}

// newFixture plans n people nobody has made an account for, and a fresh team with 3 channels.
func (b *bench) newFixture(n int, tag string) (*fixture, error) {
	sfx := strings.ToLower(model.NewId()[:5])
	f := &fixture{}
	var err error
	if f.team, f.channels, err = benchkit.NewTargetTeam(b.s, "nb"+tag+sfx, sfx); err != nil {
		return nil, err
	}
	for i := range n {
		name := fmt.Sprintf("n%s%s-%d", tag, sfx, i)
		f.people = append(f.people, person{
			email: name + "@newcomers.bench", username: name, firstName: "New", lastName: name, authData: "saml-" + name,
		})
	}
	return f, nil
}

// engine: a wave whose file names the people, in mode create, started and ticked back to back. The DMs
// come from the cockpit's bot.
func (b *bench) engine(f *fixture) (string, error) {
	bot, _, err := b.admin.GetUserByUsername(context.Background(), "cockpit", "")
	if err != nil {
		return "", fmt.Errorf("the cockpit bot: %w", err)
	}
	spec := benchkit.WaveSpec(fmt.Sprintf("Newcomer bench %d", len(f.people)), map[string]any{}, f.team, f.channels)
	spec["newcomers"] = map[string]any{"mode": "create", "auth_service": "saml"}
	wave, err := b.target.CreateWave(b.client, spec)
	if err != nil {
		return "", err
	}
	rows := make([]contract.CsvRow, len(f.people))
	for i, p := range f.people {
		rows[i] = contract.CsvRow{Line: i + 2, Value: p.email, Person: &contract.Person{
			Email: new(p.email), Username: new(p.username), FirstName: new(p.firstName), LastName: new(p.lastName),
			AuthService: new("saml"), AuthData: new(p.authData),
		}}
	}
	for i, chunk := range cohort.Chunks(rows) {
		req, _ := json.Marshal(map[string]any{"expected_version": wave.Version, "rows": chunk, "replace": i == 0})
		if err = b.target.Call(b.client, http.MethodPost, "/api/v1/waves/"+wave.ID+"/csv", req, http.StatusOK, &wave); err != nil {
			return "", err
		}
	}
	if err = b.target.StartWave(b.client, wave); err != nil {
		return "", err
	}
	progress, err := b.target.TickUntilDone(b.client, wave.ID, 0)
	if err != nil {
		return "", err
	}
	n := len(f.people)
	if progress.State != contract.WaveStateCompleted || progress.Processed != float64(n) || progress.Counts.Created != n ||
		progress.Counts.Failed != 0 || progress.Counts.Welcomed != n {
		return "", fmt.Errorf("the wave ended %+v", progress)
	}
	return bot.Id, nil
}

// bulkImport: one JSONL file of the same people as `user` lines (SSO, their team and channels), then a
// direct_post per person from a bot, processed by the server's import with the import job's worker count.
func (b *bench) bulkImport(f *fixture) (string, error) {
	bot, _, err := b.admin.CreateBot(context.Background(),
		&model.Bot{Username: "newbenchbot" + strings.ToLower(model.NewId()[:6]), DisplayName: "Bench bot"})
	if err != nil {
		return "", fmt.Errorf("create bot: %w", err)
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
	for _, ch := range f.channels {
		channels = append(channels, map[string]any{"name": ch.Name})
	}
	for _, p := range f.people {
		line(map[string]any{"type": "user", "user": map[string]any{
			"username": p.username, "email": p.email, "first_name": p.firstName, "last_name": p.lastName,
			"auth_service": "saml", "auth_data": p.authData,
			"teams": []map[string]any{{"name": f.team.Name, "channels": channels}},
		}})
	}
	now := model.GetMillis()
	for i, p := range f.people {
		line(map[string]any{"type": "direct_post", "direct_post": map[string]any{
			"channel_members": []string{bot.Username, p.username}, "user": bot.Username,
			"message": "Welcome " + p.firstName + " to " + f.team.DisplayName, "create_at": now + int64(i),
		}})
	}
	if err != nil {
		return "", err
	}
	if lineNumber, appErr := b.s.App.BulkImportWithPath(b.s.Ctx(), &jsonl, nil, false, true, runtime.NumCPU(), ""); appErr != nil {
		return "", fmt.Errorf("import, line %d: %w", lineNumber, appErr)
	}
	// The import writes through the store; what the REST API and the check read must see it.
	b.s.Srv.Store().User().ClearCaches()
	b.s.Srv.Store().Team().ClearCaches()
	b.s.Srv.Store().Channel().ClearCaches()
	return bot.UserId, nil
}

// check: one account per email with the file's auth service and auth data, then every account in the
// team and the 3 channels with one DM from the sender (benchkit.CheckProvisioned).
func (b *bench) check(f *fixture, sender string) error {
	emails := make([]string, len(f.people))
	want := map[string]string{}
	for i, p := range f.people {
		emails[i] = p.email
		want[p.email] = p.authData
	}
	rows, err := b.s.DB().Query(`SELECT Id, Email, COALESCE(AuthService, ''), COALESCE(AuthData, '') FROM Users WHERE Email = ANY($1)`,
		pq.Array(emails))
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }()
	seen := map[string]bool{}
	var ids []string
	for rows.Next() {
		var id, email, service, authData string
		if err := rows.Scan(&id, &email, &service, &authData); err != nil {
			return err
		}
		if seen[email] {
			return fmt.Errorf("two accounts for %s", email)
		}
		seen[email] = true
		if service != model.UserAuthServiceSaml || authData != want[email] {
			return fmt.Errorf("%s: auth %q %q, want saml %q", email, service, authData, want[email])
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ids) != len(f.people) {
		return fmt.Errorf("%d of %d accounts exist", len(ids), len(f.people))
	}
	if err := benchkit.AnalyzeIfShared(b.s); err != nil {
		return err
	}
	return benchkit.CheckProvisioned(b.s, f.team.Id, f.channels, ids, sender)
}
