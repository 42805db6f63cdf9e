package host

import (
	"net/http"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// bindings is every function the bundle can reach through `__host_call(name, argsJSON)`, and the
// single source of the TypeScript side: `go run ./host/cmd/gendts` (run by `make`) writes from it
// the HostBindings type, the MattermostApi facade and createHostApi(), and the read-only view
// (see dts.go). Each entry is
//   - the name, `namespace.method`: the facade method `api.namespace.method` in TS;
//   - readOnly (also in ReadOnlyMattermostApi, which GET routes get) or full (only in MattermostApi);
//   - its TypeScript type; named types in it are @mattermost/types models or generated from the Go
//     structs of dtsTypes, and the parameter count and kinds are checked against the Go function;
//   - the Go function, whose parameters are decoded from the JSON argument array in order.
//
// The comment above an entry becomes the facade method's doc comment. Adding a binding = one entry
// here, `make`, and the same method on the in-memory twin (server/src/testing/inMemory/).
//
// Conventions: KV values are strings in JS and []byte in Go; a non-nil *model.AppError (or
// any error) is thrown in JS as a HostError; lists are never null; users never carry their
// password hash or MFA secret into JS.
var bindings = []Binding{
	// The stored text, or null when the key is missing or expired.
	bind1("kv.get", readOnly, "(key: string) => string | null", func(h *Host, key string) (any, error) {
		value, appErr := h.api.KVGet(key)
		if appErr != nil {
			return nil, appErr
		}
		if value == nil {
			return nil, nil // missing key
		}
		return string(value), nil
	}),
	bind2("kv.set", full, "(key: string, value: string) => null", func(h *Host, key, value string) (any, error) {
		return done(h.api.KVSet(key, []byte(value)))
	}),
	// With `atomic`, writes only if the current value equals `old_value` (null = must not exist); a null value deletes.
	bind3("kv.setWithOptions", full, "(key: string, value: string | null, options: KVSetOptions) => boolean",
		func(h *Host, key string, value *string, options kvSetOptions) (any, error) {
			return result(h.api.KVSetWithOptions(key, bytesOrNil(value), options.toModel()))
		}),
	bind3("kv.setWithExpiry", full, "(key: string, value: string, expireInSeconds: number) => null",
		func(h *Host, key, value string, expireInSeconds int64) (any, error) {
			return done(h.api.KVSetWithExpiry(key, []byte(value), expireInSeconds))
		}),
	// Writes only if the current value equals `oldValue` (null = key must not exist); false when it did not.
	bind3("kv.compareAndSet", full, "(key: string, oldValue: string | null, newValue: string) => boolean",
		func(h *Host, key string, oldValue *string, newValue string) (any, error) {
			return result(h.api.KVCompareAndSet(key, bytesOrNil(oldValue), []byte(newValue)))
		}),
	// Writes each item's key only where it does not exist yet (write-once records, e.g. a turn's audit entries
	// under their reserved numbers), a few at a time (eachConcurrently): one host call for all of them, the
	// server's writes overlapping. One answer per item, in order: created, or not (it existed), or its error.
	bind1("kv.createAll", full, "(items: KVItem[]) => KVCreateResult[]", func(h *Host, items []kvItem) (any, error) {
		if len(items) > maxCreateAll {
			return nil, badArguments("kv.createAll takes at most %d items per call, got %d", maxCreateAll, len(items))
		}
		results := make([]kvCreateResult, len(items))
		eachConcurrently(len(items), func(i int) {
			created, appErr := h.api.KVCompareAndSet(items[i].Key, nil, []byte(items[i].Value))
			if appErr != nil {
				results[i].Error = toBatchError(appErr)
				return
			}
			results[i].Created = created
		})
		return results, nil
	}),
	bind1("kv.delete", full, "(key: string) => null", func(h *Host, key string) (any, error) {
		return done(h.api.KVDelete(key))
	}),
	bind2("kv.listKeys", readOnly, "(page: number, perPage: number) => string[]", func(h *Host, page, perPage int) (any, error) {
		return list(h.api.KVList(page, perPage))
	}),

	bind1("users.get", readOnly, "(userId: string) => UserProfile", func(h *Host, userID string) (any, error) {
		return user(h.api.GetUser(userID))
	}),
	bind1("users.getByEmail", readOnly, "(email: string) => UserProfile", func(h *Host, email string) (any, error) {
		return user(h.api.GetUserByEmail(email))
	}),
	bind1("users.getByUsername", readOnly, "(username: string) => UserProfile", func(h *Host, username string) (any, error) {
		return user(h.api.GetUserByUsername(username))
	}),
	// `inTeamId` '' lists every active user; a team id lists that team's members, deactivated ones included.
	bind3("users.list", readOnly, "(page: number, perPage: number, inTeamId: string) => UserProfile[]",
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
	// Last login, last activity and newest post since `since` (ms; 0 when none) of up to 1,000 users, their
	// app sessions, whether they saved notification settings and when they last viewed each of `channelIds`
	// (up to 100) they are in, keyed by user id (unknown ids are left out). One indexed database query
	// (server/host/queries/user_activity.go).
	bind3("users.activity", readOnly, "(userIds: string[], since: number, channelIds: string[]) => Record<string, UserActivity>",
		func(h *Host, userIDs []string, since int64, channelIDs []string) (any, error) {
			return h.usersActivity(userIDs, since, channelIDs)
		}),
	// Up to 1,000 users by id in one call, in no particular order; unknown ids are left out.
	bind1("users.getMany", readOnly, "(userIds: string[]) => UserProfile[]", func(h *Host, userIDs []string) (any, error) {
		return h.usersByIDs(userIDs)
	}),
	// Up to 1,000 users' default preferences: each user gets only those whose (category, name) they have
	// no row for yet, so nothing the user chose is overwritten. One answer per spec, in order (server/host/batch.go).
	bind1("users.setDefaultPreferences", full, "(specs: PreferenceDefaultsSpec[]) => PreferenceDefaultsResult[]",
		func(h *Host, specs []preferenceDefaultsSpec) (any, error) {
			return h.setDefaultPreferences(specs)
		}),

	// Up to 1,000 accounts of people who have none yet, one answer per spec in order: made (`created`), or
	// the account the email has already (created false: the email makes a re-run find it, never a second
	// one), or that spec's error. SSO/LDAP accounts get auth_service + auth_data and no password; email
	// accounts a random password nobody knows (chosen through the server's password reset). server/host/create_users.go.
	bind1("users.createMany", full, "(specs: UserCreateSpec[]) => UserCreateResult[]",
		func(h *Host, specs []userCreateSpec) (any, error) {
			return h.createUsers(specs)
		}),

	bind1("teams.get", readOnly, "(teamId: string) => Team", func(h *Host, teamID string) (any, error) {
		return result(h.api.GetTeam(teamID))
	}),
	bind1("teams.getByName", readOnly, "(name: string) => Team", func(h *Host, name string) (any, error) {
		return result(h.api.GetTeamByName(name))
	}),
	bind0("teams.list", readOnly, "() => Team[]", func(h *Host) (any, error) {
		return list(h.api.GetTeams())
	}),
	bind1("teams.listForUser", readOnly, "(userId: string) => Team[]", func(h *Host, userID string) (any, error) {
		return list(h.api.GetTeamsForUser(userID))
	}),
	bind2(
		"teams.getMember",
		readOnly,
		"(teamId: string, userId: string) => TeamMembership",
		func(h *Host, teamID, userID string) (any, error) {
			return result(h.api.GetTeamMember(teamID, userID))
		},
	),
	bind2("teams.addMember", full, "(teamId: string, userId: string) => TeamMembership", func(h *Host, teamID, userID string) (any, error) {
		return result(h.api.CreateTeamMember(teamID, userID))
	}),
	// Replaces the member's roles, e.g. 'team_user team_admin'.
	bind3("teams.updateMemberRoles", full, "(teamId: string, userId: string, roles: string) => TeamMembership",
		func(h *Host, teamID, userID, roles string) (any, error) {
			return result(h.api.UpdateTeamMemberRoles(teamID, userID, roles))
		}),
	// A page of the team's memberships (`scheme_admin` marks team admins).
	bind3("teams.members", readOnly, "(teamId: string, page: number, perPage: number) => TeamMembership[]",
		func(h *Host, teamID string, page, perPage int) (any, error) {
			return list(h.api.GetTeamMembers(teamID, page, perPage))
		}),
	// The team's member counts (all, and active accounts): one COUNT on the server, where a page walk
	// would read every membership. What the wave pace model sizes its estimates by.
	bind1("teams.stats", readOnly, "(teamId: string) => TeamStats", func(h *Host, teamID string) (any, error) {
		return result(h.api.GetTeamStats(teamID))
	}),
	// Up to 1,000 users into the team (and team_admin with `admin`), one answer per user in order: made
	// (`added`), already there, or that user's error. One host call (server/host/batch.go).
	bind3("teams.addMembers", full, "(teamId: string, userIds: string[], options: MemberAddOptions) => MemberAddResult[]",
		func(h *Host, teamID string, userIDs []string, options memberAddOptions) (any, error) {
			return h.addTeamMembers(teamID, userIDs, options)
		}),

	// Creates a public (O) or private (P) channel: team_id, name, display_name, type, creator_id.
	bind1("channels.create", full, "(channel: Partial<Channel>) => Channel", func(h *Host, channel *model.Channel) (any, error) {
		return result(h.api.CreateChannel(channel))
	}),
	bind1("channels.get", readOnly, "(channelId: string) => Channel", func(h *Host, channelID string) (any, error) {
		return result(h.api.GetChannel(channelID))
	}),
	bind2("channels.getByName", readOnly, "(teamId: string, name: string) => Channel", func(h *Host, teamID, name string) (any, error) {
		return result(h.api.GetChannelByName(teamID, name, false))
	}),
	bind2(
		"channels.getMember",
		readOnly,
		"(channelId: string, userId: string) => ChannelMembership",
		func(h *Host, channelID, userID string) (any, error) {
			return result(h.api.GetChannelMember(channelID, userID))
		},
	),
	// Adds as if `asUserId` invited the user.
	bind3("channels.addMember", full, "(channelId: string, userId: string, asUserId: string) => ChannelMembership",
		func(h *Host, channelID, userID, asUserID string) (any, error) {
			return result(h.api.AddUserToChannel(channelID, userID, asUserID))
		}),
	// The direct-message channel of two users, created when missing.
	bind2("channels.getDirect", full, "(userIdA: string, userIdB: string) => Channel", func(h *Host, userIDA, userIDB string) (any, error) {
		return result(h.api.GetDirectChannel(userIDA, userIDB))
	}),
	// Replaces the member's roles, e.g. 'channel_user channel_admin'.
	bind3("channels.updateMemberRoles", full, "(channelId: string, userId: string, roles: string) => ChannelMembership",
		func(h *Host, channelID, userID, roles string) (any, error) {
			return result(h.api.UpdateChannelMemberRoles(channelID, userID, roles))
		}),
	// Saves the whole channel (read it first): header, purpose, display name.
	bind1("channels.update", full, "(channel: Channel) => Channel", func(h *Host, channel *model.Channel) (any, error) {
		return result(h.api.UpdateChannel(channel))
	}),
	// A page of the team's public channels.
	bind3("channels.listPublic", readOnly, "(teamId: string, page: number, perPage: number) => Channel[]",
		func(h *Host, teamID string, page, perPage int) (any, error) {
			return list(h.api.GetPublicChannelsForTeam(teamID, page, perPage))
		}),
	// A page of the channel's memberships (`scheme_admin` marks channel admins).
	bind3("channels.members", readOnly, "(channelId: string, page: number, perPage: number) => ChannelMembership[]",
		func(h *Host, channelID string, page, perPage int) (any, error) {
			members, appErr := h.api.GetChannelMembers(channelID, page, perPage)
			if appErr != nil {
				return nil, appErr
			}
			return list([]model.ChannelMember(members), nil)
		}),
	// Like teams.addMembers, for a public or private channel (added as if `requestor_id` invited them).
	bind3("channels.addMembers", full, "(channelId: string, userIds: string[], options: MemberAddOptions) => MemberAddResult[]",
		func(h *Host, channelID string, userIDs []string, options memberAddOptions) (any, error) {
			return h.addChannelMembers(channelID, userIDs, options)
		}),

	bind1("posts.get", full, "(postId: string) => Post", func(h *Host, postID string) (any, error) {
		return result(h.api.GetPost(postID))
	}),
	bind1("posts.create", full, "(post: Partial<Post>) => Post", func(h *Host, post *model.Post) (any, error) {
		return result(h.api.CreatePost(post))
	}),
	// Replaces a post's message and props (the bot editing its own post, e.g. a welcome's ticked list).
	bind1("posts.update", full, "(post: Partial<Post>) => Post", func(h *Host, post *model.Post) (any, error) {
		return result(h.api.UpdatePost(post))
	}),
	bind2(
		"posts.sendEphemeral",
		full,
		"(userId: string, post: Partial<Post>) => Post",
		func(h *Host, userID string, post *model.Post) (any, error) {
			return h.api.SendEphemeralPost(userID, post), nil
		},
	),
	// Opens an interactive dialog for the user whose post action or slash command issued `trigger_id`.
	bind1("dialogs.open", full, "(request: OpenDialogRequest) => null", func(h *Host, request model.OpenDialogRequest) (any, error) {
		return done(h.api.OpenInteractiveDialog(request))
	}),
	// Up to 1,000 direct messages from one user (a bot): each in its DM channel, created when missing; one answer per spec, in order.
	bind2("posts.createDirect", full, "(fromUserId: string, posts: DirectPostSpec[]) => DirectPostResult[]",
		func(h *Host, fromUserID string, specs []directPostSpec) (any, error) {
			return h.createDirectPosts(fromUserID, specs)
		}),
	// A page of the channel's posts, newest first.
	bind3("posts.listForChannel", full, "(channelId: string, page: number, perPage: number) => Post[]",
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

	// A page of a group's member users (any group source, LDAP-synced included).
	bind3("groups.members", readOnly, "(groupId: string, page: number, perPage: number) => UserProfile[]",
		func(h *Host, groupID string, page, perPage int) (any, error) {
			users, appErr := h.api.GetGroupMemberUsers(groupID, page, perPage)
			for i := range users {
				users[i] = withoutSecrets(users[i])
			}
			return list(users, appErr)
		}),
	bind1("groups.get", readOnly, "(groupId: string) => Group", func(h *Host, groupID string) (any, error) {
		return result(h.api.GetGroup(groupID))
	}),
	bind1("groups.getByName", readOnly, "(name: string) => Group", func(h *Host, name string) (any, error) {
		return result(h.api.GetGroupByName(name))
	}),
	// The ids of the groups the user belongs to (one query, however large the groups are).
	bind1("groups.idsForUser", readOnly, "(userId: string) => string[]", func(h *Host, userID string) (any, error) {
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
	// The ids of the groups linked to a team or channel (a group-constrained one takes only their members). One query.
	bind2("groups.linkedTo", readOnly, "(kind: 'team' | 'channel', id: string) => string[]", func(h *Host, kind, id string) (any, error) {
		return h.groupsLinkedTo(kind, id)
	}),

	// Creates the bot, or finds the existing one; returns its user id. Idempotent.
	bind1("bot.ensure", full, "(bot: BotSpec) => string", func(h *Host, bot botSpec) (any, error) {
		return h.api.EnsureBotUser(&model.Bot{Username: bot.Username, DisplayName: bot.DisplayName, Description: bot.Description})
	}),

	bind3(
		"mail.send",
		full,
		"(to: string, subject: string, htmlBody: string) => null",
		func(h *Host, to, subject, htmlBody string) (any, error) {
			return done(h.api.SendMail(to, subject, htmlBody))
		},
	),

	// Secrets are masked: never save what this returns.
	bind0("config.get", readOnly, "() => ServerConfig", func(h *Host) (any, error) {
		return h.api.GetConfig(), nil
	}),
	// With the secrets: never in the read-only view, never logged or returned.
	bind0("config.getUnsanitized", full, "() => ServerConfig", func(h *Host) (any, error) {
		return h.api.GetUnsanitizedConfig(), nil
	}),
	// Sets exactly the settings in `patch` (sections of settings), as `userId`, a system admin, through
	// the server's REST patch. The plugin API's whole-config save is not offered: over the plugin RPC
	// every false setting arrives as unset and is saved as the server's default (server/host/rest.go).
	bind2(
		"config.patchAs",
		full,
		"(userId: string, patch: ServerConfig) => null",
		func(h *Host, userID string, patch map[string]any) (any, error) {
			return h.patchConfigAs(userID, patch)
		},
	),
	// This plugin's own settings (plugin.json settings_schema).
	bind0("config.getPlugin", readOnly, "() => Record<string, any>", func(h *Host) (any, error) {
		if config := h.api.GetPluginConfig(); config != nil {
			return config, nil
		}
		return map[string]any{}, nil
	}),

	bind0("system.getLicense", readOnly, "() => ServerLicense | null", func(h *Host) (any, error) {
		return h.api.GetLicense(), nil // a nil *License encodes as null
	}),
	// Every installed plugin and its state on this node (model.PluginState*: 3 and 4 are failures).
	bind0("system.getPluginStates", readOnly, "() => PluginState[]", func(h *Host) (any, error) {
		return h.pluginStates()
	}),
	bind0("system.getServerVersion", readOnly, "() => string", func(h *Host) (any, error) {
		return h.api.GetServerVersion(), nil
	}),
	// The IANA time zones the server offers (what GET /api/v4/system/timezones answers).
	bind0("system.timezones", readOnly, "() => string[]", func(h *Host) (any, error) {
		return supportedTimezones(), nil
	}),
	bind0("system.getHostStats", readOnly, "() => HostStats", func(h *Host) (any, error) {
		return h.pool.stats(), nil
	}),
	// Active non-bot users and (an estimate of) all posts: what the readiness checks size against.
	bind0("system.stats", readOnly, "() => SystemStats", func(h *Host) (any, error) {
		return h.systemStats()
	}),
	// Adoption counts over the windows ending at `now` (ms): active users in the last 24 h / 7 / 30 days
	// (bots and deactivated users left out), posts in the last 24 h, channels with a post in the last 7 days.
	// A few indexed database queries: call it from a job, not on every page view.
	bind1("system.activity", readOnly, "(now: number) => SystemActivity", func(h *Host, now int64) (any, error) {
		return h.systemActivity(now)
	}),
	// Unexpired sessions and the database's open connections (with its max_connections), at `now` (ms). A few cheap queries.
	bind1("system.load", readOnly, "(now: number) => SystemLoad", func(h *Host, now int64) (any, error) {
		return h.systemLoad(now)
	}),

	bind2(
		"permissions.hasSystemPermission",
		readOnly,
		"(userId: string, permission: string) => boolean",
		func(h *Host, userID, permissionID string) (any, error) {
			permission, err := permissionByID(permissionID)
			if err != nil {
				return nil, err
			}
			return h.api.HasPermissionTo(userID, permission), nil
		},
	),
	bind3("permissions.hasTeamPermission", readOnly, "(userId: string, teamId: string, permission: string) => boolean",
		func(h *Host, userID, teamID, permissionID string) (any, error) {
			permission, err := permissionByID(permissionID)
			if err != nil {
				return nil, err
			}
			return h.api.HasPermissionToTeam(userID, teamID, permission), nil
		}),
	bind3("permissions.hasChannelPermission", readOnly, "(userId: string, channelId: string, permission: string) => boolean",
		func(h *Host, userID, channelID, permissionID string) (any, error) {
			permission, err := permissionByID(permissionID)
			if err != nil {
				return nil, err
			}
			return h.api.HasPermissionToChannel(userID, channelID, permission), nil
		}),

	// Cluster-wide recurring job: the host calls the runJob hook with `jobId` every interval, on one node.
	bind2(
		"jobs.schedule",
		full,
		"(jobId: string, intervalSeconds: number) => null",
		func(h *Host, jobID string, intervalSeconds int64) (any, error) {
			return nil, h.jobs.schedule(jobID, intervalSeconds)
		},
	),
	// The same on this node only: every node of a cluster runs its own (work shared out under the bundle's own locks).
	bind2(
		"jobs.scheduleOnEveryNode",
		full,
		"(jobId: string, intervalSeconds: number) => null",
		func(h *Host, jobID string, intervalSeconds int64) (any, error) {
			return nil, h.jobs.scheduleOnEveryNode(jobID, intervalSeconds)
		},
	),
	// This plugin process's id, new at every activation: which node of a cluster did a piece of work.
	bind0("system.getNodeId", readOnly, "() => string", func(h *Host) (any, error) {
		return h.nodeID, nil
	}),
	bind1("jobs.cancel", full, "(jobId: string) => null", func(h *Host, jobID string) (any, error) {
		h.jobs.cancel(jobID)
		return nil, nil
	}),
	// Appends one record to the server's own audit log (System Console > Compliance, its audit file and
	// exports), beside the server's events; the server adds the plugin's id. Sent in order without waiting
	// for the server (audit_sender.go).
	bind1("audit.logServer", full, "(record: ServerAuditRecord) => null", func(h *Host, record serverAuditRecord) (any, error) {
		h.audits.send(h.api, record.toModel())
		return nil, nil
	}),

	// Cluster-wide lock; blocks until acquired.
	waitingForLock(bind1("mutex.lock", full, "(name: string) => null", func(h *Host, name string) (any, error) {
		return nil, h.mutexes.lock(name)
	})),
	// The same lock, waiting at most `waitMs` (never past the host's call timeout); then throws HostError 503
	// cockpit.host.mutex_timeout.
	waitingForLock(bind2(
		"mutex.lockWithin", full, "(name: string, waitMs: number) => null",
		func(h *Host, name string, waitMs float64) (any, error) {
			return nil, h.mutexes.lockWithin(name, time.Duration(waitMs)*time.Millisecond)
		},
	)),
	bind1("mutex.unlock", full, "(name: string) => null", func(h *Host, name string) (any, error) {
		return nil, h.mutexes.unlock(name)
	}),

	// Replaces the user's system roles, e.g. 'system_user system_user_manager'. No license check (REST has one).
	bind2(
		"admin.updateUserRoles",
		full,
		"(userId: string, roles: string) => UserProfile",
		func(h *Host, userID, roles string) (any, error) {
			return user(h.api.UpdateUserRoles(userID, roles))
		},
	),
	// The secret is returned once: store it server-side only, never log or return it.
	bind2("admin.createAccessToken", full, "(userId: string, description: string) => AccessToken",
		func(h *Host, userID, description string) (any, error) {
			return h.createAccessToken(userID, description)
		}),
	bind1("admin.revokeAccessToken", full, "(tokenId: string) => null", func(h *Host, tokenID string) (any, error) {
		return done(h.api.RevokeUserAccessToken(tokenID))
	}),
	// A bot owned by the plugin (not the plugin's main bot), or the existing bot of that username.
	bind1("admin.createBot", full, "(bot: BotSpec) => string", func(h *Host, bot botSpec) (any, error) {
		return h.createBot(bot)
	}),
	bind1("admin.registerCommand", full, "(command: CommandSpec) => null",
		func(h *Host, command commandSpec) (any, error) {
			return h.registerCommand(command)
		}),

	bind1("rest.request", full, "(request: RestRequest) => RestResponse",
		func(h *Host, request restRequest) (any, error) {
			return h.restCall(request)
		}),
	// One readiness probe (server/host/probe.go): a call of the host's probe allow-list made as `userId`,
	// a system admin, in a session made for this call and revoked at once; no body is sent.
	bind2("rest.probeAsAdmin", full, "(userId: string, request: ProbeRequest) => ProbeResponse",
		func(h *Host, userID string, request probeRequest) (any, error) {
			return h.probeAsAdmin(userID, request)
		}),
	// The readiness push probe (server/host/push_probe.go): a GET of one push-proxy route on the
	// push notification server the config names; no credentials, no redirects followed.
	bind1("rest.probePushProxy", full, "(route: string) => ProbeResponse", func(h *Host, route string) (any, error) {
		return h.probePushProxy(route)
	}),
	// A GET (the only call a GET route's read-only view has).
	bind2("rest.get", readOnly, "(path: string, token: string) => RestResponse",
		func(h *Host, path, token string) (any, error) {
			return h.restCall(restRequest{Method: http.MethodGet, Path: path, Token: token})
		}),
}

// kvSetOptions is model.PluginKVSetOptions as JS sends it: old_value is a string, not the
// base64 that encoding/json would expect for the model's []byte field.
// Every field may be left out (omitempty makes them optional in TypeScript).
type kvSetOptions struct {
	Atomic          bool    `json:"atomic,omitempty"`
	OldValue        *string `json:"old_value,omitempty"`
	ExpireInSeconds int64   `json:"expire_in_seconds,omitempty"`
}

func (o kvSetOptions) toModel() model.PluginKVSetOptions {
	return model.PluginKVSetOptions{Atomic: o.Atomic, OldValue: bytesOrNil(o.OldValue), ExpireInSeconds: o.ExpireInSeconds}
}

// maxCreateAll bounds one kv.createAll call (a turn's entries: at most its 50 requests' worth).
const maxCreateAll = 1000

// kvItem is a key and the text to store under it (kv.createAll).
type kvItem struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// kvCreateResult is one item's answer from kv.createAll: created, or not because the key existed, or the error.
type kvCreateResult struct {
	Created bool        `json:"created"`
	Error   *batchError `json:"error,omitempty"`
}

// botSpec is a bot to create or find: its username, display name and description.
type botSpec struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Description string `json:"description"`
}
