package mmserver

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// TestServerAndBulkUsers starts a real server, creates many users the cheap way, and checks one can log in.
// E2E_BULK_USERS sets the count (default 5000).
func TestServerAndBulkUsers(t *testing.T) {
	t0 := time.Now()
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t.Logf("server %s (Mattermost %s, db %s) started in %s", s.URL, s.Version, s.DBName, time.Since(t0).Round(time.Millisecond))

	team, err := s.CreateTeam("bulk")
	if err != nil {
		t.Fatal(err)
	}
	ch, err := s.CreateChannel(team, "bulk-chat", false)
	if err != nil {
		t.Fatal(err)
	}
	n := 5000
	if v, atoiErr := strconv.Atoi(os.Getenv("E2E_BULK_USERS")); atoiErr == nil {
		n = v
	}
	if n <= 0 {
		return
	}
	t1 := time.Now()
	users, err := s.CreateUsers(n, UserOptions{Prefix: "bulk", Teams: []*teamT{team}, Channels: []*channelT{ch}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d users (+team, 3 channel memberships each) in %s", len(users), time.Since(t1).Round(time.Millisecond))

	c, err := s.Login(users[len(users)-1].Username)
	if err != nil {
		t.Fatal(err)
	}
	stats, _, err := c.GetTeamStats(context.Background(), team.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	if stats.TotalMemberCount != int64(n) {
		t.Fatalf("team has %d members, want %d", stats.TotalMemberCount, n)
	}
}

type (
	teamT    = model.Team
	channelT = model.Channel
)
