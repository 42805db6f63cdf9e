package host

import (
	"net/http"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// bindings is every function the bundle can reach through `__host_call(name, argsJSON)`.
// Each entry is the name, its TypeScript type (copied verbatim into bindings.gen.ts by
// `go run ./host/cmd/gendts`), and a Go function whose parameters are decoded from the JSON
// argument array in order. Adding a binding = one entry here + regenerating the d.ts.
//
// Conventions: KV values are strings in JS and []byte in Go; a non-nil *model.AppError (or
// any error) is thrown in JS as a HostError; lists are never null; users never carry their
// password hash or MFA secret into JS.
var bindings = []Binding{
	bind1("kv.get", "(key: string) => string | null", func(h *Host, key string) (any, error) {
		value, appErr := h.api.KVGet(key)
		if appErr != nil {
			return nil, appErr
		}
		if value == nil {
			return nil, nil // missing key
		}
		return string(value), nil
	}),
	bind2("kv.set", "(key: string, value: string) => null", func(h *Host, key, value string) (any, error) {
		return done(h.api.KVSet(key, []byte(value)))
	}),
	bind3("kv.setWithOptions", "(key: string, value: string | null, options: KVSetOptions) => boolean",
		func(h *Host, key string, value *string, options kvSetOptions) (any, error) {
			return result(h.api.KVSetWithOptions(key, bytesOrNil(value), options.toModel()))
		}),
	bind3("kv.setWithExpiry", "(key: string, value: string, expireInSeconds: number) => null",
		func(h *Host, key, value string, expireInSeconds int64) (any, error) {
			return done(h.api.KVSetWithExpiry(key, []byte(value), expireInSeconds))
		}),
	bind3("kv.compareAndSet", "(key: string, oldValue: string | null, newValue: string) => boolean",
		func(h *Host, key string, oldValue *string, newValue string) (any, error) {
			return result(h.api.KVCompareAndSet(key, bytesOrNil(oldValue), []byte(newValue)))
		}),
	bind1("kv.delete", "(key: string) => null", func(h *Host, key string) (any, error) {
		return done(h.api.KVDelete(key))
	}),
	bind2("kv.listKeys", "(page: number, perPage: number) => string[]", func(h *Host, page, perPage int) (any, error) {
		return list(h.api.KVList(page, perPage))
	}),

	bind1("users.get", "(userId: string) => UserProfile", func(h *Host, userID string) (any, error) {
		return user(h.api.GetUser(userID))
	}),
	bind1("users.getByEmail", "(email: string) => UserProfile", func(h *Host, email string) (any, error) {
		return user(h.api.GetUserByEmail(email))
	}),
	bind1("users.getByUsername", "(username: string) => UserProfile", func(h *Host, username string) (any, error) {
		return user(h.api.GetUserByUsername(username))
	}),
	bind3("users.list", "(page: number, perPage: number, inTeamId: string) => UserProfile[]",
		func(h *Host, page, perPage int, inTeamID string) (any, error) {
			var users []*model.User
			var appErr *model.AppError
			if inTeamID != "" {
				// GetUsers ignores InTeamId (the store's GetAllProfiles has no team filter); this one
				// filters by team, and returns deactivated members too.
				users, appErr = h.api.GetUsersInTeam(inTeamID, page, perPage)
			} else {
				users, appErr = h.api.GetUsers(&model.UserGetOptions{Active: true, Page: page, PerPage: perPage})
			}
			for i := range users {
				users[i] = withoutSecrets(users[i])
			}
			return list(users, appErr)
		}),

	bind2("users.activity", "(userIds: string[], since: number) => Record<string, UserActivity>",
		func(h *Host, userIDs []string, since int64) (any, error) {
			return h.usersActivity(userIDs, since)
		}),

	bind1("teams.get", "(teamId: string) => Team", func(h *Host, teamID string) (any, error) {
		return result(h.api.GetTeam(teamID))
	}),
	bind1("teams.getByName", "(name: string) => Team", func(h *Host, name string) (any, error) {
		return result(h.api.GetTeamByName(name))
	}),
	bind0("teams.list", "() => Team[]", func(h *Host) (any, error) {
		return list(h.api.GetTeams())
	}),
	bind1("teams.listForUser", "(userId: string) => Team[]", func(h *Host, userID string) (any, error) {
		return list(h.api.GetTeamsForUser(userID))
	}),
	bind2("teams.getMember", "(teamId: string, userId: string) => TeamMembership", func(h *Host, teamID, userID string) (any, error) {
		return result(h.api.GetTeamMember(teamID, userID))
	}),
	bind2("teams.addMember", "(teamId: string, userId: string) => TeamMembership", func(h *Host, teamID, userID string) (any, error) {
		return result(h.api.CreateTeamMember(teamID, userID))
	}),

	bind3("teams.updateMemberRoles", "(teamId: string, userId: string, roles: string) => TeamMembership",
		func(h *Host, teamID, userID, roles string) (any, error) {
			return result(h.api.UpdateTeamMemberRoles(teamID, userID, roles))
		}),

	bind1("channels.create", "(channel: Partial<Channel>) => Channel", func(h *Host, channel *model.Channel) (any, error) {
		return result(h.api.CreateChannel(channel))
	}),
	bind1("channels.get", "(channelId: string) => Channel", func(h *Host, channelID string) (any, error) {
		return result(h.api.GetChannel(channelID))
	}),
	bind2("channels.getByName", "(teamId: string, name: string) => Channel", func(h *Host, teamID, name string) (any, error) {
		return result(h.api.GetChannelByName(teamID, name, false))
	}),
	bind2("channels.getMember", "(channelId: string, userId: string) => ChannelMembership", func(h *Host, channelID, userID string) (any, error) {
		return result(h.api.GetChannelMember(channelID, userID))
	}),
	bind3("channels.addMember", "(channelId: string, userId: string, asUserId: string) => ChannelMembership",
		func(h *Host, channelID, userID, asUserID string) (any, error) {
			return result(h.api.AddUserToChannel(channelID, userID, asUserID))
		}),
	bind3("channels.updateMemberRoles", "(channelId: string, userId: string, roles: string) => ChannelMembership",
		func(h *Host, channelID, userID, roles string) (any, error) {
			return result(h.api.UpdateChannelMemberRoles(channelID, userID, roles))
		}),
	bind2("channels.direct", "(userIdA: string, userIdB: string) => Channel", func(h *Host, userIDA, userIDB string) (any, error) {
		return result(h.api.GetDirectChannel(userIDA, userIDB))
	}),

	bind1("posts.get", "(postId: string) => Post", func(h *Host, postID string) (any, error) {
		return result(h.api.GetPost(postID))
	}),
	bind1("posts.create", "(post: Partial<Post>) => Post", func(h *Host, post *model.Post) (any, error) {
		return result(h.api.CreatePost(post))
	}),
	// Newest first, as the server orders a channel's posts.
	bind3("posts.forChannel", "(channelId: string, page: number, perPage: number) => Post[]",
		func(h *Host, channelID string, page, perPage int) (any, error) {
			postList, appErr := h.api.GetPostsForChannel(channelID, page, perPage)
			if appErr != nil {
				return nil, appErr
			}
			posts := []*model.Post{}
			if postList != nil {
				for _, id := range postList.Order {
					if post, ok := postList.Posts[id]; ok {
						posts = append(posts, post)
					}
				}
			}
			return posts, nil
		}),
	bind2("posts.sendEphemeral", "(userId: string, post: Partial<Post>) => Post", func(h *Host, userID string, post *model.Post) (any, error) {
		return h.api.SendEphemeralPost(userID, post), nil
	}),
	bind3("groups.members", "(groupId: string, page: number, perPage: number) => UserProfile[]",
		func(h *Host, groupID string, page, perPage int) (any, error) {
			users, appErr := h.api.GetGroupMemberUsers(groupID, page, perPage)
			for i := range users {
				users[i] = withoutSecrets(users[i])
			}
			return list(users, appErr)
		}),
	bind1("bot.ensure", "(bot: BotSpec) => string", func(h *Host, bot botSpec) (any, error) {
		return h.api.EnsureBotUser(&model.Bot{Username: bot.Username, DisplayName: bot.DisplayName, Description: bot.Description})
	}),
	bind3("mail.send", "(to: string, subject: string, htmlBody: string) => null", func(h *Host, to, subject, htmlBody string) (any, error) {
		return done(h.api.SendMail(to, subject, htmlBody))
	}),

	bind0("config.get", "() => Record<string, any>", func(h *Host) (any, error) {
		return h.api.GetConfig(), nil
	}),
	bind0("config.getUnsanitized", "() => Record<string, any>", func(h *Host) (any, error) {
		return h.api.GetUnsanitizedConfig(), nil
	}),
	bind2("config.patchAs", "(userId: string, patch: Record<string, any>) => null", func(h *Host, userID string, patch map[string]any) (any, error) {
		return h.patchConfigAs(userID, patch)
	}),
	bind0("config.getPlugin", "() => Record<string, any>", func(h *Host) (any, error) {
		if config := h.api.GetPluginConfig(); config != nil {
			return config, nil
		}
		return map[string]any{}, nil
	}),

	bind0("system.license", "() => ServerLicense | null", func(h *Host) (any, error) {
		return h.api.GetLicense(), nil // a nil *License encodes as null
	}),
	bind0("system.serverVersion", "() => string", func(h *Host) (any, error) {
		return h.api.GetServerVersion(), nil
	}),
	bind0("system.hostStats", "() => HostStats", func(h *Host) (any, error) {
		return h.pool.stats(), nil
	}),
	bind0("system.stats", "() => SystemStats", func(h *Host) (any, error) {
		return h.systemStats()
	}),

	bind2("permissions.system", "(userId: string, permission: string) => boolean", func(h *Host, userID, permissionID string) (any, error) {
		permission, err := permissionByID(permissionID)
		if err != nil {
			return nil, err
		}
		return h.api.HasPermissionTo(userID, permission), nil
	}),
	bind3("permissions.team", "(userId: string, teamId: string, permission: string) => boolean",
		func(h *Host, userID, teamID, permissionID string) (any, error) {
			permission, err := permissionByID(permissionID)
			if err != nil {
				return nil, err
			}
			return h.api.HasPermissionToTeam(userID, teamID, permission), nil
		}),
	bind3("permissions.channel", "(userId: string, channelId: string, permission: string) => boolean",
		func(h *Host, userID, channelID, permissionID string) (any, error) {
			permission, err := permissionByID(permissionID)
			if err != nil {
				return nil, err
			}
			return h.api.HasPermissionToChannel(userID, channelID, permission), nil
		}),

	bind2("jobs.schedule", "(jobId: string, intervalSeconds: number) => null", func(h *Host, jobID string, intervalSeconds int64) (any, error) {
		return nil, h.jobs.schedule(jobID, intervalSeconds)
	}),
	bind1("jobs.cancel", "(jobId: string) => null", func(h *Host, jobID string) (any, error) {
		h.jobs.cancel(jobID)
		return nil, nil
	}),
	bind1("mutex.lock", "(name: string) => null", func(h *Host, name string) (any, error) {
		return nil, h.mutexes.lock(name)
	}),
	bind1("mutex.unlock", "(name: string) => null", func(h *Host, name string) (any, error) {
		return nil, h.mutexes.unlock(name)
	}),
	// Like mutex.lock, waiting at most waitMs (and never past the call timeout).
	bind2("mutex.lockWithin", "(name: string, waitMs: number) => null", func(h *Host, name string, waitMs float64) (any, error) {
		return nil, h.mutexes.lockWithin(name, time.Duration(waitMs)*time.Millisecond)
	}),

	// ---- waves engine batches (issue 5, batch.go): one call per batch of users, not several per user ----
	bind1("users.getMany", "(userIds: string[]) => UserProfile[]", func(h *Host, userIDs []string) (any, error) {
		return h.usersByIDs(userIDs)
	}),
	bind3("teams.addMembers", "(teamId: string, userIds: string[], options: MemberAddOptions) => MemberAddResult[]",
		func(h *Host, teamID string, userIDs []string, options memberAddOptions) (any, error) {
			return h.addTeamMembers(teamID, userIDs, options)
		}),
	bind3("channels.addMembers", "(channelId: string, userIds: string[], options: MemberAddOptions) => MemberAddResult[]",
		func(h *Host, channelID string, userIDs []string, options memberAddOptions) (any, error) {
			return h.addChannelMembers(channelID, userIDs, options)
		}),
	bind2("posts.createDirect", "(fromUserId: string, posts: DirectPostSpec[]) => DirectPostResult[]",
		func(h *Host, fromUserID string, specs []directPostSpec) (any, error) {
			return h.createDirectPosts(fromUserID, specs)
		}),
	// Sets each user's preferences that are not set yet (a preference the user already has is never overwritten).
	bind1("users.setDefaultPreferences", "(specs: PreferenceDefaultsSpec[]) => PreferenceDefaultsResult[]",
		func(h *Host, specs []preferenceDefaultsSpec) (any, error) {
			return h.setDefaultPreferences(specs)
		}),

	// ---- adoption (issue 8) ----
	bind1("system.activity", "(now: number) => SystemActivity", func(h *Host, now int64) (any, error) {
		return h.systemActivity(now)
	}),
	bind1("system.load", "(now: number) => SystemLoad", func(h *Host, now int64) (any, error) {
		return h.systemLoad(now)
	}),

	// ---- stakeholders (issue 8): who may see the status page, by group ----
	bind1("groups.get", "(groupId: string) => Group", func(h *Host, groupID string) (any, error) {
		return result(h.api.GetGroup(groupID))
	}),
	bind1("groups.getByName", "(name: string) => Group", func(h *Host, name string) (any, error) {
		return result(h.api.GetGroupByName(name))
	}),
	// The ids of the groups the user is a member of (one query, however large the groups are).
	bind1("groups.idsForUser", "(userId: string) => string[]", func(h *Host, userID string) (any, error) {
		groups, appErr := h.api.GetGroupsForUser(userID)
		if appErr != nil {
			return nil, appErr
		}
		ids := make([]string, 0, len(groups))
		for _, g := range groups {
			ids = append(ids, g.Id)
		}
		return ids, nil
	}),

	// The ids of the (not deleted) groups linked to a team or channel: who a group-constrained one accepts.
	bind2("groups.linkedTo", "(kind: 'team' | 'channel', id: string) => string[]", func(h *Host, kind, id string) (any, error) {
		return h.groupsLinkedTo(kind, id)
	}),

	// ---- role templates (issue 6) ----
	bind2("users.updateRoles", "(userId: string, roles: string) => UserProfile", func(h *Host, userID, roles string) (any, error) {
		return user(h.api.UpdateUserRoles(userID, roles))
	}),
	// The token's secret reaches JS once, to be stored in KV; it is never logged by the host.
	bind2("users.createAccessToken", "(userId: string, description: string) => {id: string; token: string}",
		func(h *Host, userID, description string) (any, error) {
			return h.createAccessToken(userID, description)
		}),
	bind1("users.revokeAccessToken", "(tokenId: string) => null", func(h *Host, tokenID string) (any, error) {
		return done(h.api.RevokeUserAccessToken(tokenID))
	}),
	bind1("bots.create", "(bot: BotSpec) => string", func(h *Host, bot botSpec) (any, error) {
		return h.createBot(bot)
	}),
	bind1("commands.register", "(command: {trigger: string; display_name: string; description: string; auto_complete_desc: string; auto_complete_hint: string}) => null",
		func(h *Host, command commandSpec) (any, error) {
			return h.registerCommand(command)
		}),
	bind1("rest.request", "(request: {method: string; path: string; body: string | null; token: string}) => {status: number; body: string; error: string}",
		func(h *Host, request restRequest) (any, error) {
			return h.restCall(request)
		}),
	bind2("rest.get", "(path: string, token: string) => {status: number; body: string; error: string}",
		func(h *Host, path, token string) (any, error) {
			return h.restCall(restRequest{Method: http.MethodGet, Path: path, Token: token})
		}),
	bind1("channels.update", "(channel: Channel) => Channel", func(h *Host, channel *model.Channel) (any, error) {
		return result(h.api.UpdateChannel(channel))
	}),
	bind3("channels.listPublic", "(teamId: string, page: number, perPage: number) => Channel[]",
		func(h *Host, teamID string, page, perPage int) (any, error) {
			return list(h.api.GetPublicChannelsForTeam(teamID, page, perPage))
		}),
	bind3("channels.members", "(channelId: string, page: number, perPage: number) => ChannelMembership[]",
		func(h *Host, channelID string, page, perPage int) (any, error) {
			members, appErr := h.api.GetChannelMembers(channelID, page, perPage)
			if appErr != nil {
				return nil, appErr
			}
			return list([]model.ChannelMember(members), nil)
		}),
	bind3("teams.members", "(teamId: string, page: number, perPage: number) => TeamMembership[]",
		func(h *Host, teamID string, page, perPage int) (any, error) {
			return list(h.api.GetTeamMembers(teamID, page, perPage))
		}),
}

// kvSetOptions is model.PluginKVSetOptions as JS sends it: old_value is a string, not the
// base64 that encoding/json would expect for the model's []byte field.
type kvSetOptions struct {
	Atomic          bool    `json:"atomic"`
	OldValue        *string `json:"old_value"`
	ExpireInSeconds int64   `json:"expire_in_seconds"`
}

func (o kvSetOptions) toModel() model.PluginKVSetOptions {
	return model.PluginKVSetOptions{Atomic: o.Atomic, OldValue: bytesOrNil(o.OldValue), ExpireInSeconds: o.ExpireInSeconds}
}

// botSpec is the BotSpec interface of bindings.gen.ts.
type botSpec struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Description string `json:"description"`
}
