package mmserver

import (
	"fmt"

	"github.com/mattermost/mattermost/server/public/model"
)

// Personas are the roles a permission test needs, in two fresh teams. Usernames carry a random
// suffix so several sets can live in one server. Every user's password is Server.Password.
type Personas struct {
	TeamA, TeamB *model.Team
	// SystemAdmin is in both teams; TeamAdminA/B administer one team each; Member is a plain user of
	// team A; Guest is a guest account in team A (guest accounts need the licence Start installs).
	SystemAdmin, TeamAdminA, TeamAdminB, Member, Guest *model.User
}

// CreatePersonas makes two teams and the five personas.
func (s *Server) CreatePersonas() (*Personas, error) {
	sfx := model.NewId()[:6]
	p := &Personas{}
	var err error
	if p.TeamA, err = s.CreateTeam("team-a-" + sfx); err != nil {
		return nil, err
	}
	if p.TeamB, err = s.CreateTeam("team-b-" + sfx); err != nil {
		return nil, err
	}
	for _, u := range []struct {
		dst  **model.User
		name string
		o    UserOptions
	}{
		{&p.SystemAdmin, "sysadmin-", UserOptions{SystemAdmin: true, Teams: []*model.Team{p.TeamA, p.TeamB}}},
		{&p.TeamAdminA, "tadmin-a-", UserOptions{TeamAdmin: true, Teams: []*model.Team{p.TeamA}}},
		{&p.TeamAdminB, "tadmin-b-", UserOptions{TeamAdmin: true, Teams: []*model.Team{p.TeamB}}},
		{&p.Member, "member-", UserOptions{Teams: []*model.Team{p.TeamA}}},
		{&p.Guest, "guest-", UserOptions{Guest: true, Teams: []*model.Team{p.TeamA}}},
	} {
		if *u.dst, err = s.CreateUser(u.name+sfx, u.o); err != nil {
			return nil, fmt.Errorf("persona %s: %w", u.name, err)
		}
	}
	return p, nil
}
