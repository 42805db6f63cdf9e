package cockpit

// TestBrowserWaves runs e2e/browser/waves.spec.mjs: the system admin builds a wave in the Waves tab
// from a CSV (uploaded through the file input, with one bad row), a target team and channel and a
// welcome, previews and test-sends the welcome, runs a dry run, launches it and watches it complete.
// Afterwards this test checks through the API what the browser did: the wave completed with every
// user added, each user is a team and channel member (channel admin) with exactly one welcome DM,
// and the admin got the test-send from the bot. Screenshots: e2e/artifacts/waves-editor.png and
// waves-run.png (or $ARTIFACTS_DIR).

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func TestBrowserWaves(t *testing.T) { forEachHostProfile(t, testBrowserWaves) }

// testBrowserWaves is one run of TestBrowserWaves under one host library profile, with its own fixtures.
func testBrowserWaves(t *testing.T, profile string) {
	const n = 20
	const badValue = "bad name!"
	sfx := model.NewId()[:6]
	team, err := env.s.CreateTeam("wbrowser" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	channel, err := env.s.CreateChannel(team, "welcome"+sfx, false)
	if err != nil {
		t.Fatal(err)
	}
	users, err := env.s.CreateUsers(n, mmserver.UserOptions{Prefix: "wb" + sfx + "-"})
	if err != nil {
		t.Fatal(err)
	}

	// The CSV: a header, the users, and one bad row in the middle (line 8).
	lines := []string{"username"}
	for i, u := range users {
		if i == 6 {
			lines = append(lines, badValue)
		}
		lines = append(lines, u.Username)
	}
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "cohort.csv")
	if writeErr := os.WriteFile(csvPath, []byte(strings.Join(lines, "\n")+"\n"), 0o600); writeErr != nil {
		t.Fatal(writeErr)
	}
	waveName := "Browser wave " + sfx

	runBrowserSpecAs(t, profile, "waves.spec.mjs",
		"ARTIFACTS_DIR="+artifactsDir(),
		"WAVE_CSV="+csvPath,
		"WAVE_NAME="+waveName,
		"WAVE_TEAM="+team.DisplayName,
		"WAVE_CHANNEL="+channel.DisplayName,
		fmt.Sprintf("WAVE_USERS=%d", n),
		"WAVE_BAD_LINE=8",
		"WAVE_BAD_VALUE="+badValue,
		"WAVE_FEEDBACK_USER="+users[0].Username,
		"USER_PASSWORD="+env.s.Password,
	)

	// The wave the browser built, as the API sees it.
	token := tokenOf(t, env.admin)
	var list contract.WaveSummaryList
	waveCall(t, http.MethodGet, "/api/v1/waves", token, nil, http.StatusOK, &list)
	found := false
	for _, w := range list {
		if w.Name != waveName {
			continue
		}
		found = true
		if w.State != contract.WaveStateCompleted || w.CSVRows != n+1 || w.Progress.Total != n || w.Progress.Counts.Added != n ||
			w.Progress.Counts.Welcomed != n ||
			w.Progress.Counts.Failed != 0 {
			t.Fatalf("wave %s: state %s, csv rows %.0f, progress %+v", w.ID, w.State, w.CSVRows, w.Progress)
		}
	}
	if !found {
		t.Fatalf("no wave named %q in GET /api/v1/waves", waveName)
	}

	bot := botID(t)
	for _, u := range users {
		if _, _, getErr2 := env.adminClient.GetTeamMember(ctx(t), team.Id, u.Id, ""); getErr2 != nil {
			t.Fatalf("%s is not a member of team %s: %v", u.Username, team.Name, getErr2)
		}
		member, _, getErr := env.adminClient.GetChannelMember(ctx(t), channel.Id, u.Id, "")
		if getErr != nil {
			t.Fatalf("%s is not a member of channel %s: %v", u.Username, channel.Name, getErr)
		}
		if !strings.Contains(member.Roles, "channel_admin") {
			t.Fatalf("%s has channel roles %q, want channel_admin (picked in the browser)", u.Username, member.Roles)
		}
	}
	// One welcome DM, rendered from the template typed in the browser, for a first and a last user.
	for _, u := range []*model.User{users[0], users[n-1]} {
		c, loginErr := env.s.Login(u.Username)
		if loginErr != nil {
			t.Fatal(loginErr)
		}
		dm, _, loginErr := c.CreateDirectChannel(ctx(t), u.Id, bot)
		if loginErr != nil {
			t.Fatal(loginErr)
		}
		posts, _, loginErr := c.GetPostsForChannel(ctx(t), dm.Id, 0, 100, "", false, false)
		if loginErr != nil {
			t.Fatal(loginErr)
		}
		if len(posts.Order) != 1 {
			t.Fatalf("%s has %d posts in the bot DM, want 1", u.Username, len(posts.Order))
		}
		msg := posts.Posts[posts.Order[0]].Message
		if !strings.HasPrefix(msg, "**Welcome aboard, ") || !strings.Contains(msg, "<https://help.example.com/start>") {
			t.Fatalf("%s got %q", u.Username, msg)
		}
		// The first user answered in the browser (the feedback button, a real post action): the post says so.
		attachments := posts.Posts[posts.Order[0]].Attachments()
		answered := len(attachments) == 1 && strings.Contains(attachments[0].Text, "Your answer: 👍 Great")
		if answered != (u == users[0]) {
			t.Fatalf("%s: welcome attachments %+v (answered in the browser: %v)", u.Username, attachments, u == users[0])
		}
	}
	// The test-send reached the admin (and only as a test: it carries the test prop, not the welcome marker).
	admin, _, err := env.adminClient.GetUserByUsername(ctx(t), env.admin, "")
	if err != nil {
		t.Fatal(err)
	}
	dm, _, err := env.adminClient.CreateDirectChannel(ctx(t), admin.Id, bot)
	if err != nil {
		t.Fatal(err)
	}
	posts, _, err := env.adminClient.GetPostsForChannel(ctx(t), dm.Id, 0, 100, "", false, false)
	if err != nil {
		t.Fatal(err)
	}
	tests := 0
	for _, p := range posts.Posts {
		if p.GetProp("cockpit_welcome_test") != nil {
			tests++
			if p.GetProp("cockpit_welcome") != nil || !strings.HasPrefix(p.Message, "**Welcome aboard, ") {
				t.Fatalf("test-send post: %q props %v", p.Message, p.GetProps())
			}
		}
	}
	if tests < 1 {
		t.Fatalf("the admin has no test-send DM from the bot (%d posts in the DM)", len(posts.Order))
	}
}
