// Command devserver runs a real Mattermost server (the server/v8 module, in-process) for `make dev`:
// a persistent database and data directory, a test licence, the admin account, the plugin installed
// from the bundle, a demo organisation seeded on first run, and the cockpit harness page served
// same-origin. It runs until interrupted.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func main() {
	root, err := mmserver.RepoRoot()
	if err != nil {
		log.Fatal(err)
	}
	var (
		addr     = flag.String("addr", "127.0.0.1:8065", "Mattermost listen address")
		front    = flag.String("front", "127.0.0.1:8066", "harness front door (the SiteURL): /harness/ + the server proxied")
		dbName   = flag.String("db", "cockpit_dev", "persistent PostgreSQL database (created if missing)")
		dataDir  = flag.String("data", filepath.Join(root, ".dev"), "data directory (plugins, files)")
		bundle   = flag.String("bundle", "", "plugin bundle (default: COCKPIT_BUNDLE or dist/onboarding-cockpit-<version>.tar.gz)")
		admin    = flag.String("admin", "admin", "system admin username")
		password = flag.String("password", "Cockpit-Adm1n!", "password of the admin and of every demo user")
		users    = flag.Int("users", 300, "demo users seeded on first run")
		socket   = flag.String(
			"socket",
			envOr("MM_LOCALSOCKETPATH", model.LocalModeSocketPath),
			"local-mode socket (build/deploy.sh uses it)",
		)
		logLevel = flag.String("log", envOr("MM_E2E_LOG", "INFO"), "server console log level")
	)
	flag.Parse()

	if *bundle == "" {
		if *bundle, err = mmserver.FindBundle(); err != nil {
			log.Fatal(err)
		}
	}
	harnessDist, err := mmserver.BuildHarness()
	if err != nil {
		log.Fatal(err)
	}
	fd, err := mmserver.StartFrontDoor(*front, "http://"+*addr, harnessDist,
		mmserver.HarnessConfig{PluginID: mmserver.PluginID, Username: *admin, Password: *password})
	if err != nil {
		log.Fatalf("front door on %s: %v", *front, err)
	}
	defer fd.Close()

	t0 := time.Now()
	s, err := mmserver.Start(mmserver.Options{
		Database: *dbName, DataDir: *dataDir, ListenAddress: *addr, SiteURL: fd.URL,
		LocalModeSocket: *socket, LogLevel: *logLevel, Password: *password,
	})
	if err != nil {
		log.Fatal(err) //nolint:gocritic // exitAfterDefer: the process ends, and the front door's listener with it
	}
	defer s.Close()
	say("Mattermost %s started in %s (database %s, data %s)", s.Version, time.Since(t0).Round(time.Millisecond), *dbName, *dataDir)

	if _, appErr := s.App.GetUserByUsername(*admin); appErr != nil {
		if _, createErr := s.CreateUser(*admin, mmserver.UserOptions{SystemAdmin: true}); createErr != nil {
			log.Fatalf("create admin: %v", createErr)
		}
		say("created system admin %s", *admin)
	}
	adminClient, err := s.Login(*admin)
	if err != nil {
		log.Fatalf("%v (the admin's password is not %q? delete the database %s to start over)", err, *password, *dbName)
	}
	if seedErr := seed(s, *admin, *users); seedErr != nil {
		log.Fatalf("seed: %v", seedErr)
	}
	m, err := mmserver.InstallPlugin(adminClient, *bundle)
	if err != nil {
		log.Fatalf("install plugin: %v", err)
	}

	fmt.Printf(`
Onboarding Cockpit dev server
  plugin           %s %s (from %s)
  cockpit harness  %s
  Mattermost API   %s/api/v4  (SiteURL %s)
  local mode       %s   (build/deploy.sh)
  sign in          %s / %s   (demo users: see team "northwind-hq", same password)
  Ctrl-C stops the server; the database %s and %s are kept.
`, m.Id, m.Version, *bundle, fd.HarnessURL(), s.URL, s.SiteURL(), *socket, *admin, *password, *dbName, *dataDir)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	say("shutting down")
}

// seed creates the demo organisation once: 3 teams, 12 channels, `users` users (a few team admins
// and guests among them). A team named northwind-hq marks it as done.
func seed(s *mmserver.Server, admin string, users int) error {
	if _, appErr := s.App.GetTeamByName("northwind-hq"); appErr == nil {
		say("demo organisation already seeded")
		return nil
	}
	t0 := time.Now()
	adminUser, appErr := s.App.GetUserByUsername(admin)
	if appErr != nil {
		return appErr
	}
	teamChannels := map[string][]string{
		"northwind-hq":          {"announcements", "it-help", "leadership", "onboarding"},
		"northwind-engineering": {"backend", "frontend", "incidents", "releases"},
		"northwind-field":       {"sales", "support", "partners", "events"},
	}
	order := []string{"northwind-hq", "northwind-engineering", "northwind-field"}
	var teams []*model.Team
	chans := map[string][]*model.Channel{}
	for _, name := range order {
		t, err := s.CreateTeam(name)
		if err != nil {
			return err
		}
		teams = append(teams, t)
		for i, cn := range teamChannels[name] {
			ch, err := s.CreateChannel(t, cn, i == 2)
			if err != nil {
				return err
			}
			chans[name] = append(chans[name], ch)
		}
	}
	// The admin sees everything.
	if err := s.AddMemberships([]*model.User{adminUser}, mmserver.UserOptions{Teams: teams, TeamAdmin: true}); err != nil {
		return err
	}
	per := users / len(order)
	for i, name := range order {
		t := teams[i]
		// Everyone in HQ; each department's people in their own team too.
		ts := []*model.Team{t}
		if i != 0 {
			ts = append(ts, teams[0])
		}
		prefix := map[int]string{0: "hq.", 1: "eng.", 2: "field."}[i]
		if _, err := s.CreateUsers(per-2, mmserver.UserOptions{Prefix: prefix, Teams: ts, Channels: chans[name][:2]}); err != nil {
			return err
		}
		if _, err := s.CreateUsers(
			1,
			mmserver.UserOptions{Prefix: prefix + "lead", Teams: []*model.Team{t}, TeamAdmin: true, Channels: chans[name]},
		); err != nil {
			return err
		}
		if _, err := s.CreateUsers(
			1,
			mmserver.UserOptions{Prefix: prefix + "guest", Guest: true, Teams: []*model.Team{t}, Channels: chans[name][:1]},
		); err != nil {
			return err
		}
	}
	say("seeded the demo organisation (3 teams, 12 channels, %d users) in %s", per*len(order), time.Since(t0).Round(time.Millisecond))
	return nil
}

// say prints progress on stderr (the server redirects the standard logger into its own, level-filtered log).
func say(format string, args ...any) { fmt.Fprintf(os.Stderr, "devserver: "+format+"\n", args...) }

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
