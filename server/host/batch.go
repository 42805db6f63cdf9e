package host

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/mattermost/mattermost/server/public/model"
)

// Batch bindings for the waves engine: one host call provisions a whole batch of users into
// a team or a channel, or sends a batch of direct messages, instead of several calls per user. They
// use the plugin API's batch reads (GetUsersByIds, GetChannelMembersByIds) and run the writes one user a
// call (CreateTeamMembersGracefully, AddUserToChannel, UpdateChannelMemberRoles, GetDirectChannel +
// CreatePost) on a few goroutines: the server does the work on its side of the RPC, so a handful in
// flight overlap their database round trips the way an admin's REST script would. (The server's own
// batch team add handles its users one after the other, so one call per user loses nothing.)
// Every user gets an answer (its membership or its error): one user's failure never fails the batch.

// batchWorkers bounds the per-user API calls in flight for one batch binding. 8 rather than 4: the
// waves benchmark (README, Waves at scale) ran 1,000 users 7 % and 10 % faster with 8 in two runs back
// to back with 4, for the same CPU; 2 was slower still. The server overlaps one call's database waits
// with another's work.
const batchWorkers = 8

// maxBatchUsers bounds one batch call, so a bad argument cannot hold a VM for minutes.
const maxBatchUsers = 1000

// batchError is a failed user's error as JS sees it (HostError's fields).
type batchError struct {
	StatusCode int    `json:"status_code"`
	ID         string `json:"id"`
	Message    string `json:"message"`
}

func toBatchError(err error) *batchError {
	hostErr := asHostError(err)
	return &batchError{StatusCode: hostErr.StatusCode, ID: hostErr.ID, Message: hostErr.Message}
}

// noAnswer is a user's error when a call returned neither a value nor an error: the plugin RPC
// client answers zero values (nil, nil) once its connection to the server is gone, e.g. while the
// plugin is being disabled mid-batch. The user fails and is retried later, as with any error.
func noAnswer(call string) *batchError {
	return &batchError{
		StatusCode: http.StatusServiceUnavailable,
		ID:         "cockpit.host.no_answer",
		Message:    call + ": the server gave no answer (is the plugin stopping?)",
	}
}

// memberAddResult is one user's answer from teams.addMembers / channels.addMembers (in the order of
// the user ids).
type memberAddResult struct {
	UserID string `json:"user_id"`
	// Added is true when this call made the membership or gave the admin role; false when both were there.
	Added bool `json:"added"`
	// Roles of the membership afterwards, e.g. "channel_user channel_admin".
	Roles string      `json:"roles"`
	Error *batchError `json:"error"`
}

// memberAddOptions is the third argument of the add-members bindings.
type memberAddOptions struct {
	// RequestorID is who adds them (the plugin bot): the server's "added by" system messages name it.
	RequestorID string `json:"requestor_id"`
	// Admin also gives team_admin / channel_admin.
	Admin bool `json:"admin"`
}

// directPostSpec is one direct message of posts.createDirect.
type directPostSpec struct {
	UserID  string         `json:"user_id"`
	Message string         `json:"message"`
	Props   map[string]any `json:"props"`
}

// directPostResult is one user's answer from posts.createDirect (in the order of the specs).
type directPostResult struct {
	UserID    string      `json:"user_id"`
	ChannelID string      `json:"channel_id"`
	PostID    string      `json:"post_id"`
	Error     *batchError `json:"error"`
}

func checkBatch(name string, n int) error {
	if n > maxBatchUsers {
		return badArguments("%s takes at most %d users per call, got %d", name, maxBatchUsers, n)
	}
	return nil
}

// eachConcurrently runs work(i) for i in [0, n) on at most batchWorkers goroutines. A panic in work
// is raised again in the caller once every worker has stopped: there the binding's recover turns it
// into an error, where in a worker goroutine it would end the plugin process.
func eachConcurrently(n int, work func(i int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	var panicked sync.Once
	var firstPanic any
	for w := 0; w < min(batchWorkers, n); w++ {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					panicked.Do(func() { firstPanic = r })
					for range next { // let the feeder finish
					}
				}
			}()
			for i := range next {
				work(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if firstPanic != nil {
		panic(fmt.Sprintf("batch worker: %v", firstPanic))
	}
}

func hasRole(roles, role string) bool {
	return slices.Contains(strings.Fields(roles), role)
}

func withRole(roles, role string) string {
	if hasRole(roles, role) {
		return roles
	}
	return strings.TrimSpace(roles + " " + role)
}

// usersByIDs answers users.getMany: the users that exist, without secrets, in no particular order.
func (h *Host) usersByIDs(userIDs []string) (any, error) {
	if err := checkBatch("users.getMany", len(userIDs)); err != nil {
		return nil, err
	}
	if len(userIDs) == 0 {
		return []*model.User{}, nil
	}
	users, appErr := h.api.GetUsersByIds(userIDs)
	for i := range users {
		users[i] = withoutSecrets(users[i])
	}
	return list(users, appErr)
}

// addTeamMembers answers teams.addMembers: each user's membership is looked up first (so the answer
// tells made from already there; a left membership, delete_at > 0, counts as missing), the missing ones
// are added by CreateTeamMembersGracefully, one user a call and a few calls at once, then the admin role is given if asked.
func (h *Host) addTeamMembers(teamID string, userIDs []string, options memberAddOptions) (any, error) {
	if err := checkBatch("teams.addMembers", len(userIDs)); err != nil {
		return nil, err
	}
	results := make([]memberAddResult, len(userIDs))
	var missing []int
	var mu sync.Mutex
	eachConcurrently(len(userIDs), func(i int) {
		results[i].UserID = userIDs[i]
		member, appErr := h.api.GetTeamMember(teamID, userIDs[i])
		switch {
		case appErr == nil && member == nil:
			results[i].Error = noAnswer("GetTeamMember")
		case appErr == nil && member.DeleteAt == 0:
			results[i].Roles = member.Roles
		case appErr == nil || appErr.StatusCode == 404:
			mu.Lock()
			missing = append(missing, i)
			mu.Unlock()
		default:
			results[i].Error = toBatchError(appErr)
		}
	})
	// The server adds a batch's users one after the other, so each missing user gets a call of their
	// own, a few side by side: a worker that is done takes the next user. (Fixed shares, one batch call
	// per worker, left workers idle behind the slowest share.)
	eachConcurrently(len(missing), func(k int) {
		i := missing[k]
		added, appErr := h.api.CreateTeamMembersGracefully(teamID, []string{userIDs[i]}, options.RequestorID)
		switch {
		case appErr != nil:
			results[i].Error = toBatchError(appErr)
		case len(added) == 0:
			results[i].Error = noAnswer("CreateTeamMembersGracefully")
		case added[0] == nil || added[0].UserId != userIDs[i]:
			results[i].Error = &batchError{
				StatusCode: http.StatusInternalServerError,
				ID:         "cockpit.host.batch_missing",
				Message:    "the server did not answer for this user",
			}
		case added[0].Error != nil:
			results[i].Error = toBatchError(added[0].Error)
		case added[0].Member == nil:
			results[i].Error = noAnswer("CreateTeamMembersGracefully")
		default:
			results[i].Added = true
			results[i].Roles = added[0].Member.Roles
		}
	})
	if options.Admin {
		eachConcurrently(len(results), func(i int) {
			r := &results[i]
			if r.Error != nil || hasRole(r.Roles, model.TeamAdminRoleId) {
				return
			}
			member, appErr := h.api.UpdateTeamMemberRoles(teamID, r.UserID, withRole(r.Roles, model.TeamAdminRoleId))
			if appErr != nil {
				r.Error = toBatchError(appErr)
				return
			}
			if member == nil {
				r.Error = noAnswer("UpdateTeamMemberRoles")
				return
			}
			r.Added = true
			r.Roles = member.Roles
		})
	}
	return results, nil
}

// addChannelMembers answers channels.addMembers: one GetChannelMembersByIds finds who is there, the
// others are added (AddUserToChannel, as if options.RequestorID invited them) a few at a time, then
// the admin role is given if asked. The plugin API has no batch channel add.
func (h *Host) addChannelMembers(channelID string, userIDs []string, options memberAddOptions) (any, error) {
	if err := checkBatch("channels.addMembers", len(userIDs)); err != nil {
		return nil, err
	}
	results := make([]memberAddResult, len(userIDs))
	if len(userIDs) == 0 {
		return results, nil
	}
	existing, appErr := h.api.GetChannelMembersByIds(channelID, userIDs)
	if appErr != nil {
		return nil, appErr
	}
	roles := make(map[string]string, len(existing))
	for _, m := range existing {
		roles[m.UserId] = m.Roles
	}
	eachConcurrently(len(userIDs), func(i int) {
		r := &results[i]
		r.UserID = userIDs[i]
		if current, ok := roles[r.UserID]; ok {
			r.Roles = current
		} else {
			member, appErr := h.api.AddUserToChannel(channelID, r.UserID, options.RequestorID)
			if appErr != nil {
				r.Error = toBatchError(appErr)
				return
			}
			if member == nil {
				r.Error = noAnswer("AddUserToChannel")
				return
			}
			r.Added = true
			r.Roles = member.Roles
		}
		if options.Admin && !hasRole(r.Roles, model.ChannelAdminRoleId) {
			member, appErr := h.api.UpdateChannelMemberRoles(channelID, r.UserID, withRole(r.Roles, model.ChannelAdminRoleId))
			if appErr != nil {
				r.Error = toBatchError(appErr)
				return
			}
			if member == nil {
				r.Error = noAnswer("UpdateChannelMemberRoles")
				return
			}
			r.Added = true
			r.Roles = member.Roles
		}
	})
	return results, nil
}

// createDirectPosts answers posts.createDirect: for each spec, the direct channel between fromUserID
// and the user (created when missing), then the post in it, a few users at a time.
func (h *Host) createDirectPosts(fromUserID string, specs []directPostSpec) (any, error) {
	if err := checkBatch("posts.createDirect", len(specs)); err != nil {
		return nil, err
	}
	results := make([]directPostResult, len(specs))
	eachConcurrently(len(specs), func(i int) {
		r := &results[i]
		r.UserID = specs[i].UserID
		channel, appErr := h.api.GetDirectChannel(fromUserID, specs[i].UserID)
		if appErr != nil {
			r.Error = toBatchError(appErr)
			return
		}
		if channel == nil {
			r.Error = noAnswer("GetDirectChannel")
			return
		}
		r.ChannelID = channel.Id
		post := &model.Post{ChannelId: channel.Id, UserId: fromUserID, Message: specs[i].Message}
		for key, value := range specs[i].Props {
			post.AddProp(key, value)
		}
		created, appErr := h.api.CreatePost(post)
		if appErr != nil {
			r.Error = toBatchError(appErr)
			return
		}
		if created == nil {
			r.Error = noAnswer("CreatePost")
			return
		}
		r.PostID = created.Id
	})
	return results, nil
}

// preferenceSpec is a preference as the server stores it (model.Preference without the user id).
type preferenceSpec struct {
	Category string `json:"category"`
	Name     string `json:"name"`
	Value    string `json:"value"`
	// ReplaceValue: the default is also written over a row holding exactly this value, one the server
	// itself writes for every new account (e.g. tutorial_step "0"), which is no choice the user made.
	ReplaceValue string `json:"replace_value,omitempty"`
}

// preferenceDefaultsSpec is one user's defaults for users.setDefaultPreferences.
type preferenceDefaultsSpec struct {
	UserID      string           `json:"user_id"`
	Preferences []preferenceSpec `json:"preferences"`
}

// preferenceDefaultsResult is one user's answer from users.setDefaultPreferences (in the order of the specs).
type preferenceDefaultsResult struct {
	UserID string `json:"user_id"`
	// Written is how many of the defaults were written (the others the user had already set).
	Written int         `json:"written"`
	Error   *batchError `json:"error"`
}

// setDefaultPreferences answers users.setDefaultPreferences: per user, GetPreferencesForUser, then one
// UpdatePreferencesForUser with only the defaults whose (category, name) the user has no row for (or a
// row with the spec's replace_value, which the server wrote, not the user), so a
// choice the user made is never overwritten and a second run writes nothing. The plugin API has no
// batch call for preferences; users are handled a few at a time.
func (h *Host) setDefaultPreferences(specs []preferenceDefaultsSpec) (any, error) {
	if err := checkBatch("users.setDefaultPreferences", len(specs)); err != nil {
		return nil, err
	}
	results := make([]preferenceDefaultsResult, len(specs))
	eachConcurrently(len(specs), func(i int) {
		r := &results[i]
		r.UserID = specs[i].UserID
		if len(specs[i].Preferences) == 0 {
			return
		}
		existing, appErr := h.api.GetPreferencesForUser(r.UserID)
		if appErr != nil {
			r.Error = toBatchError(appErr)
			return
		}
		have := make(map[string]string, len(existing))
		for _, p := range existing {
			have[p.Category+"\x00"+p.Name] = p.Value
		}
		var missing []model.Preference
		for _, p := range specs[i].Preferences {
			key := p.Category + "\x00" + p.Name
			current, set := have[key]
			if !set || (p.ReplaceValue != "" && current == p.ReplaceValue && current != p.Value) {
				have[key] = p.Value
				missing = append(missing, model.Preference{UserId: r.UserID, Category: p.Category, Name: p.Name, Value: p.Value})
			}
		}
		if len(missing) == 0 {
			return
		}
		if appErr := h.api.UpdatePreferencesForUser(r.UserID, missing); appErr != nil {
			r.Error = toBatchError(appErr)
			return
		}
		r.Written = len(missing)
	})
	return results, nil
}
