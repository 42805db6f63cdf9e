package mmserver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"

	"github.com/lib/pq"
	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/v8/channels/app/password/hashers"
)

// UserOptions describe the accounts made by CreateUsers.
type UserOptions struct {
	// Prefix of usernames: <prefix><n>. Default "u<random>-". Ignored when Usernames is set.
	Prefix string
	// Usernames to create (overrides Prefix/count).
	Usernames []string
	// SystemAdmin gives the system_admin role; Guest makes guest accounts (system_guest).
	SystemAdmin bool
	Guest       bool
	// Teams every user joins (with the team's default channels town-square and off-topic).
	Teams []*model.Team
	// TeamAdmin makes the users team admins of every team in Teams.
	TeamAdmin bool
	// Channels every user joins additionally (their teams must be in Teams).
	Channels []*model.Channel
	// Workers saving users in parallel. Default 4.
	Workers int
}

// passwordHash hashes the shared password once with the server's current hasher.
func (s *Server) passwordHash() (string, error) {
	s.hashOnce.Do(func() { s.hash, s.hashErr = hashers.Hash(s.Password) })
	return s.hash, s.hashErr
}

// CreateUser makes one user the cheap way; see CreateUsers.
func (s *Server) CreateUser(username string, o UserOptions) (*model.User, error) {
	o.Usernames = []string{username}
	users, err := s.CreateUsers(0, o)
	if err != nil {
		return nil, err
	}
	return users[0], nil
}

// CreateUsers makes n users (or o.Usernames) without going through the API: each user is saved
// through the server's store with no password (so no per-user bcrypt/PBKDF2), then one UPDATE gives
// all of them the same pre-hashed password (s.Password), then team and channel memberships are
// saved in batches through the store, and the server's caches are invalidated. All users can log in.
func (s *Server) CreateUsers(n int, o UserOptions) ([]*model.User, error) {
	hash, err := s.passwordHash()
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	names := o.Usernames
	if len(names) == 0 {
		prefix := o.Prefix
		if prefix == "" {
			prefix = "u" + randomHex(3) + "-"
		}
		names = make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("%s%d", prefix, i+1)
		}
	}
	roles := model.SystemUserRoleId
	switch {
	case o.Guest:
		roles = model.SystemGuestRoleId
	case o.SystemAdmin:
		roles = model.SystemUserRoleId + " " + model.SystemAdminRoleId
	}
	workers := o.Workers
	if workers <= 0 {
		workers = 4
	}

	users := make([]*model.User, len(names))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rctx := s.Ctx()
			for i := range next {
				if errs[w] != nil {
					continue
				}
				name := strings.ToLower(names[i])
				u := &model.User{
					Username:      name,
					Email:         name + "@cockpit.test",
					EmailVerified: true,
					FirstName:     "User",
					LastName:      name,
					Roles:         roles,
					Locale:        "en",
				}
				saved, err := s.Srv.Store().User().Save(rctx, u)
				if err != nil {
					errs[w] = fmt.Errorf("save user %s: %w", name, err)
					continue
				}
				users[i] = saved
			}
		}(w)
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	ids := make([]string, len(users))
	for i, u := range users {
		ids[i] = u.Id
	}
	ctx := context.Background()
	for start := 0; start < len(ids); start += 5000 {
		end := min(start+5000, len(ids))
		if _, err := s.db.ExecContext(
			ctx,
			`UPDATE Users SET Password = $1 WHERE Id = ANY($2)`,
			hash,
			pq.Array(ids[start:end]),
		); err != nil {
			return nil, fmt.Errorf("set passwords: %w", err)
		}
	}
	for _, u := range users {
		u.Password = ""
	}

	if err := s.addMemberships(users, o); err != nil {
		return nil, err
	}
	s.clearCaches()
	return users, s.analyze()
}

func (s *Server) addMemberships(users []*model.User, o UserOptions) error {
	const batch = 500
	channels := append([]*model.Channel(nil), o.Channels...)
	for _, t := range o.Teams {
		var members []*model.TeamMember
		for _, u := range users {
			members = append(members, &model.TeamMember{
				TeamId: t.Id, UserId: u.Id,
				SchemeGuest: o.Guest, SchemeUser: !o.Guest, SchemeAdmin: o.TeamAdmin && !o.Guest,
				CreateAt: model.GetMillis(),
			})
		}
		for start := 0; start < len(members); start += batch {
			if _, err := s.Srv.Store().Team().SaveMultipleMembers(members[start:min(start+batch, len(members))], -1); err != nil {
				return fmt.Errorf("team %s members: %w", t.Name, err)
			}
		}
		for _, name := range []string{model.DefaultChannelName, "off-topic"} {
			ch, err := s.Srv.Store().Channel().GetByName(t.Id, name, true)
			if err != nil {
				continue // a team made without default channels
			}
			channels = append(channels, ch)
		}
	}
	for _, ch := range channels {
		var members []*model.ChannelMember
		for _, u := range users {
			members = append(members, &model.ChannelMember{
				ChannelId: ch.Id, UserId: u.Id,
				SchemeGuest: o.Guest, SchemeUser: !o.Guest,
				NotifyProps: model.GetDefaultChannelNotifyProps(),
			})
		}
		for start := 0; start < len(members); start += batch {
			if _, err := s.Srv.Store().Channel().SaveMultipleMembers(members[start:min(start+batch, len(members))]); err != nil {
				return fmt.Errorf("channel %s members: %w", ch.Name, err)
			}
		}
	}
	return nil
}

// CreateTeam makes an open team (with its default channels) named <name>.
func (s *Server) CreateTeam(name string) (*model.Team, error) {
	name = strings.ToLower(name)
	t, appErr := s.App.CreateTeam(s.Ctx(), &model.Team{
		Name: name, DisplayName: "Team " + name, Type: model.TeamOpen, Email: "admin@cockpit.test",
	})
	if appErr != nil {
		return nil, appErr
	}
	return t, nil
}

// CreateChannel makes a channel in team; private when private is true.
func (s *Server) CreateChannel(team *model.Team, name string, private bool) (*model.Channel, error) {
	typ := model.ChannelTypeOpen
	if private {
		typ = model.ChannelTypePrivate
	}
	ch, appErr := s.App.CreateChannel(s.Ctx(), &model.Channel{
		TeamId: team.Id, Name: strings.ToLower(name), DisplayName: "Channel " + name, Type: typ,
	}, false)
	if appErr != nil {
		return nil, appErr
	}
	return ch, nil
}

// Client returns an API client for the server, without a session.
func (s *Server) Client() *model.Client4 { return model.NewAPIv4Client(s.URL) }

// Login returns an API client signed in (token auth) as username with s.Password.
func (s *Server) Login(username string) (*model.Client4, error) {
	c := s.Client()
	if _, _, err := c.Login(context.Background(), username, s.Password); err != nil {
		return nil, fmt.Errorf("login %s: %w", username, err)
	}
	return c, nil
}

// CookieSession is a browser-like session: an http.Client with a cookie jar holding MMAUTHTOKEN
// and MMCSRF after a password login at baseURL (the server or a same-origin front door).
type CookieSession struct {
	HTTP    *http.Client
	BaseURL string
	CSRF    string
	UserID  string
}

// LoginCookies signs in username at baseURL (default s.URL) the way the webapp does.
func (s *Server) LoginCookies(baseURL, username string) (*CookieSession, error) {
	if baseURL == "" {
		baseURL = s.URL
	}
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	body := fmt.Sprintf(`{"login_id":%q,"password":%q}`, username, s.Password)
	req, _ := http.NewRequest(http.MethodPost, baseURL+"/api/v4/users/login", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Requested-With", "XMLHttpRequest")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("cookie login %s: HTTP %d", username, resp.StatusCode)
	}
	cs := &CookieSession{HTTP: hc, BaseURL: baseURL}
	for _, c := range resp.Cookies() {
		switch c.Name {
		case model.SessionCookieCsrf:
			cs.CSRF = c.Value
		case model.SessionCookieUser:
			cs.UserID = c.Value
		}
	}
	if cs.CSRF == "" {
		return nil, errors.New("cookie login: no MMCSRF cookie in the response")
	}
	return cs, nil
}

// AddMemberships adds existing users to o.Teams (with their default channels) and o.Channels,
// as team admins when o.TeamAdmin, as guests when o.Guest.
func (s *Server) AddMemberships(users []*model.User, o UserOptions) error {
	if err := s.addMemberships(users, o); err != nil {
		return err
	}
	s.clearCaches()
	return s.analyze()
}

// analyze refreshes the planner statistics of the tables a bulk seed filled, as autovacuum does on a
// production database. Without them PostgreSQL plans Mattermost's own queries for empty tables (the
// team-size count on every team join becomes a nested loop over all users), so a test after a bulk
// seed would measure a database nobody runs.
func (s *Server) analyze() error {
	if _, err := s.db.ExecContext(context.Background(), `ANALYZE Users, TeamMembers, ChannelMembers, Channels, Teams`); err != nil {
		return fmt.Errorf("analyze after bulk seed: %w", err)
	}
	return nil
}

// clearCaches drops the store caches that bulk writes bypass. (Not Server.InvalidateAllCaches: that
// also reloads the licence from the database, where the test licence is not.)
func (s *Server) clearCaches() {
	st := s.Srv.Store()
	st.User().ClearCaches()
	st.Team().ClearCaches()
	st.Channel().ClearCaches()
}
