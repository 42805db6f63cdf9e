// Package cockpit runs the plugin bundle built by `make dist` inside a real Mattermost server
// (e2e/mmserver) and checks it through HTTP, as the server's users would reach it, and in a real
// browser (TestBrowserCockpit). One server is shared by the package; tests isolate themselves
// with their own users and teams.
package cockpit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// env is the shared fixture built by TestMain.
var env struct {
	s        *mmserver.Server
	front    *mmserver.FrontDoor
	manifest *model.Manifest
	bundle   string

	teamA, teamB *model.Team
	// usernames by role (mmserver.Personas)
	admin, teamAdminA, teamAdminB, member, guest string
	adminClient                                  *model.Client4
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	bundle, err := mmserver.FindBundle()
	if err != nil {
		fmt.Fprintln(os.Stderr, "FAIL: e2e/cockpit needs the plugin bundle:", err)
		return 1
	}
	env.bundle = bundle
	t0 := time.Now()
	if err := setup(); err != nil {
		fmt.Fprintln(os.Stderr, "FAIL: e2e/cockpit set-up:", err)
		if env.s != nil {
			env.s.Close()
		}
		return 1
	}
	fmt.Fprintf(os.Stderr, "e2e: Mattermost %s at %s (front door %s, db %s), plugin %s %s from %s; set-up %s\n",
		env.s.Version, env.s.URL, env.front.URL, env.s.DBName, env.manifest.Id, env.manifest.Version,
		filepath.Base(bundle), time.Since(t0).Round(time.Millisecond))
	code := m.Run()
	env.front.Close()
	env.s.Close()
	return code
}

func setup() error {
	t0 := time.Now()
	s, err := mmserver.Start(mmserver.Options{})
	if err != nil {
		return err
	}
	env.s = s
	tStart := time.Since(t0)

	p, err := s.CreatePersonas()
	if err != nil {
		return err
	}
	env.teamA, env.teamB = p.TeamA, p.TeamB
	env.admin, env.teamAdminA, env.teamAdminB = p.SystemAdmin.Username, p.TeamAdminA.Username, p.TeamAdminB.Username
	env.member, env.guest = p.Member.Username, p.Guest.Username

	// The browser's origin: harness pages + the server behind one reverse proxy. It is the SiteURL
	// from the start, so every test sees the configuration a browser session needs.
	root, err := mmserver.RepoRoot()
	if err != nil {
		return err
	}
	env.front, err = mmserver.StartFrontDoor("", s.URL, filepath.Join(root, "e2e", "harness", "dist"),
		mmserver.HarnessConfig{PluginID: mmserver.PluginID, Username: env.admin, Password: s.Password})
	if err != nil {
		return err
	}
	if setErr := s.SetSiteURL(env.front.URL); setErr != nil {
		return setErr
	}
	if env.adminClient, err = s.Login(env.admin); err != nil {
		return err
	}
	tUsers := time.Since(t0) - tStart
	if env.manifest, err = mmserver.InstallPlugin(env.adminClient, env.bundle); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "e2e: server start %s, teams+users %s, plugin upload+enable+running %s\n",
		tStart.Round(time.Millisecond), tUsers.Round(time.Millisecond), (time.Since(t0) - tStart - tUsers).Round(time.Millisecond))
	return nil
}

// pluginURL is the absolute URL of a plugin route on the server.
func pluginURL(route string) string {
	return env.s.URL + "/plugins/" + mmserver.PluginID + route
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return c
}

// botDMPosts reads the newest 100 posts of the user's DM with the cockpit bot, as the user (c) sees them.
func botDMPosts(t *testing.T, c *model.Client4, userID string) *model.PostList {
	t.Helper()
	bot, _, err := c.GetUserByUsername(ctx(t), "cockpit", "")
	if err != nil {
		t.Fatalf("the cockpit bot: %v", err)
	}
	dm, _, err := c.CreateDirectChannel(ctx(t), userID, bot.Id)
	if err != nil {
		t.Fatal(err)
	}
	posts, _, err := c.GetPostsForChannel(ctx(t), dm.Id, 0, 100, "", false, false)
	if err != nil {
		t.Fatal(err)
	}
	return posts
}
