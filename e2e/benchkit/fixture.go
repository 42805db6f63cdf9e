package benchkit

import (
	"github.com/lib/pq"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// Fixture is what one provisioning run works on: fresh users in a source team (the wave's cohort), and
// the target team with its 3 channels they are provisioned into.
type Fixture struct {
	Users    []*model.User
	Source   *model.Team
	Team     *model.Team
	Channels []*model.Channel
}

// FixtureOptions names a fixture's teams and users (prefix + "s"/"t" + tag + a random suffix, so runs
// never collide) and says whether the users are SSO accounts.
type FixtureOptions struct {
	Prefix, Tag string
	// SSO makes the users saml accounts: a bulk import's user lines would otherwise reset and re-hash
	// every password (PBKDF2, ~0.3 s of CPU each), which is not provisioning.
	SSO bool
}

// NewFixture creates n users in a fresh source team, and a fresh target team with 3 channels.
func NewFixture(s *mmserver.Server, n int, o FixtureOptions) (*Fixture, error) {
	sfx := model.NewId()[:5]
	f := &Fixture{}
	var err error
	if f.Source, err = s.CreateTeam(o.Prefix + "s" + o.Tag + sfx); err != nil {
		return nil, err
	}
	if f.Team, f.Channels, err = NewTargetTeam(s, o.Prefix+"t"+o.Tag+sfx, sfx); err != nil {
		return nil, err
	}
	options := mmserver.UserOptions{Prefix: o.Prefix + o.Tag + sfx + "-", Teams: []*model.Team{f.Source}, Workers: 8}
	if f.Users, err = s.CreateUsers(n, options); err != nil {
		return nil, err
	}
	if o.SSO {
		if _, err := s.DB().Exec(
			`UPDATE Users SET AuthService = 'saml', AuthData = Username, Password = '' WHERE Id = ANY($1)`,
			pq.Array(UserIDs(f.Users)),
		); err != nil {
			return nil, err
		}
		s.Srv.Store().User().ClearCaches()
	}
	if err := AnalyzeIfShared(s); err != nil {
		return nil, err
	}
	return f, nil
}

// NewTargetTeam creates a team and its 3 channels: info and news public, help private.
func NewTargetTeam(s *mmserver.Server, teamName, sfx string) (*model.Team, []*model.Channel, error) {
	team, err := s.CreateTeam(teamName)
	if err != nil {
		return nil, nil, err
	}
	var channels []*model.Channel
	for i, name := range []string{"info", "help", "news"} {
		ch, createErr := s.CreateChannel(team, name+sfx, i == 1)
		if createErr != nil {
			return nil, nil, createErr
		}
		channels = append(channels, ch)
	}
	return team, channels, nil
}

// UserIDs lists the users' ids in order.
func UserIDs(users []*model.User) []string {
	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.Id
	}
	return ids
}
