package queries

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// UserActivity is what `users.activity` returns per user id: the facts a rollout wave's activation funnel needs, none
// of which the plugin API
// hands out in bulk.
//   - last_login: Users.LastLogin, written by the server on every login (password, LDAP, SSO);
//     the plugin API's GetUsersByIds sanitizes it away, so it is read here.
//   - last_activity_at: Status.LastActivityAt (what the server's active-user statistics read).
//   - last_post_at: the user's newest post created at or after `since`, system messages left out.
//
// Reading these when someone looks at the funnel costs nothing per post, where a MessageHasBeenPosted
// hook would add an RPC round trip to every post on the server (see ../hooks.go).
//   - desktop_app_at / mobile_app_at: when the user's newest session from the desktop app / a mobile app
//     was created (0: none). The server names a session's client in Props.browser ("Desktop App/…",
//     "Mobile App/…", app/user_agent.go) and gives mobile sessions a DeviceId; the plugin API lists no
//     user's sessions, so they are read here. Sessions end (logout, expiry), so 0 means "not seen", not "never".
//   - notify_props_changed: the user's Users.NotifyProps differ from what a new account gets
//     (model.User.SetDefaultNotifications, applied by User.PreSave) in a key the user has: another value, or a
//     key new accounts do not get (a default key the user lacks does not count). Only a save of the
//     notification settings (the user's PATCH /api/v4/users/me/patch, an admin's edit) or a bulk import writes
//     them afterwards; the web app's settings modal always sends keys the defaults lack
//     (desktop_notification_sound, calls_desktop_sound, auto_responder_active, highlight_keys), so any save
//     from it counts, changed or not. The plugin API sanitizes NotifyProps away (User.ClearNonProfileFields).
//   - channel_viewed_at: ChannelMembers.LastViewedAt of each asked-for channel the user is a member of.
//     Adding a member saves 0 (App.addUserToChannel) and opening the channel (POST
//     /api/v4/channels/members/{user_id}/view) raises it to the channel's last post time (ChannelStore.UpdateLastViewedAt).
type UserActivity struct {
	LastLogin          int64            `json:"last_login"`
	LastActivityAt     int64            `json:"last_activity_at"`
	LastPostAt         int64            `json:"last_post_at"`
	DesktopAppAt       int64            `json:"desktop_app_at"`
	MobileAppAt        int64            `json:"mobile_app_at"`
	NotifyPropsChanged bool             `json:"notify_props_changed"`
	ChannelViewedAt    map[string]int64 `json:"channel_viewed_at"`
}

// maxActivityUsers bounds one call (one query); callers page through larger cohorts.
const maxActivityUsers = 1000

// maxActivityChannels bounds the channels asked about in one call: a wave's target channels and the ones it creates.
const maxActivityChannels = 100

// newAccountNotifyProps is a new account's NotifyProps as JSON: the defaults of the model package this host is
// BUILT with. The running server may be another version, and nothing tells the plugin the running server's
// defaults (no plugin API call; creating an account to read them would change the server), so notifyPropsChanged
// compares key by key in the way a version difference cannot turn into a false "saved".
var newAccountNotifyProps = func() string {
	var u model.User
	u.SetDefaultNotifications()
	text, err := json.Marshal(u.NotifyProps)
	if err != nil {
		panic(err) // a map of strings always marshals
	}
	return string(text)
}()

// notifyPropsChanged is the SQL condition "the user's NotifyProps (u.NotifyProps) were saved since the account
// was made", the parameter $3 holding newAccountNotifyProps: a key the user has with another value than the
// build's default, or a key new accounts do not get at all, counts; a key of the build's defaults the user
// lacks does not (a server older than the build gives new accounts fewer keys, and a save keeps the keys the
// account has). Left: a server newer than the build whose new accounts get a key this build does not know, or
// another default value for a key, reads as "saved" for everyone. NotifyProps that are not a JSON object
// (never written by the server) read as not saved.
const notifyPropsChanged = `EXISTS (SELECT 1 FROM jsonb_each(CASE WHEN jsonb_typeof(u.NotifyProps) = 'object'
			THEN u.NotifyProps ELSE '{}'::jsonb END) p
		WHERE ($3::jsonb -> p.key) IS DISTINCT FROM p.value)`

// One query per call: the users by primary key, their Status row by primary key, and each user's
// newest post since `since` through idx_posts_user_id (the CreateAt bound keeps old posts out of the
// answer; new accounts have few posts, so the scan per user is short), and their newest desktop and mobile
// sessions through idx_sessions_user_id (a user has a handful of sessions), and their ChannelMembers rows of
// the asked-for channels by primary key (ChannelId, UserId). NotifyProps is jsonb: compared key by key
// (notifyPropsChanged). The ids travel as comma-separated parameters: the plugin Driver passes plain values only.
const readUsersActivity = `SELECT u.Id, COALESCE(u.LastLogin, 0), COALESCE(s.LastActivityAt, 0),
		COALESCE((SELECT MAX(p.CreateAt) FROM Posts p
			WHERE p.UserId = u.Id AND p.CreateAt >= $2 AND p.DeleteAt = 0 AND p.Type NOT LIKE 'system\_%'), 0),
		COALESCE((SELECT MAX(x.CreateAt) FROM Sessions x WHERE x.UserId = u.Id AND x.Props->>'browser' LIKE 'Desktop App/%'), 0),
		COALESCE((SELECT MAX(x.CreateAt) FROM Sessions x
			WHERE x.UserId = u.Id AND (x.DeviceId <> '' OR x.Props->>'browser' LIKE 'Mobile App/%')), 0),
		` + notifyPropsChanged + `,
		COALESCE((SELECT json_object_agg(m.ChannelId, m.LastViewedAt) FROM ChannelMembers m
			WHERE m.UserId = u.Id AND m.ChannelId = ANY(string_to_array($4, ','))), '{}')::text
	FROM Users u LEFT JOIN Status s ON s.UserId = u.Id
	WHERE u.Id = ANY(string_to_array($1, ','))`

// UsersActivity reads the activity of up to maxActivityUsers users, keyed by user id (unknown ids are left
// out), with their last view of each of `channelIDs` they are a member of.
func (r *Replica) UsersActivity(userIDs []string, since int64, channelIDs []string) (map[string]UserActivity, error) {
	if len(userIDs) > maxActivityUsers {
		return nil, fmt.Errorf("users.activity: at most %d users per call, got %d", maxActivityUsers, len(userIDs))
	}
	if len(channelIDs) > maxActivityChannels {
		return nil, fmt.Errorf("users.activity: at most %d channels per call, got %d", maxActivityChannels, len(channelIDs))
	}
	for _, id := range userIDs {
		if !idPattern.MatchString(id) {
			return nil, fmt.Errorf("users.activity: %q is not a user id", id)
		}
	}
	for _, id := range channelIDs {
		if !idPattern.MatchString(id) {
			return nil, fmt.Errorf("users.activity: %q is not a channel id", id)
		}
	}
	activity := map[string]UserActivity{}
	if len(userIDs) == 0 {
		return activity, nil
	}
	if since < 0 {
		return nil, errors.New("users.activity: since must not be negative")
	}
	err := r.run("users.activity", func(ctx context.Context, db *sql.DB) error {
		rows, err := db.QueryContext(ctx, readUsersActivity, strings.Join(userIDs, ","), since, newAccountNotifyProps,
			strings.Join(channelIDs, ","))
		if err != nil {
			return fmt.Errorf("users.activity: %w", err)
		}
		defer func() { _ = rows.Close() }() // read-only: rows.Err() reports what went wrong
		for rows.Next() {
			var id string
			var a UserActivity
			var viewed string
			if err := rows.Scan(&id, &a.LastLogin, &a.LastActivityAt, &a.LastPostAt, &a.DesktopAppAt, &a.MobileAppAt,
				&a.NotifyPropsChanged, &viewed); err != nil {
				return fmt.Errorf("users.activity: %w", err)
			}
			if err := json.Unmarshal([]byte(viewed), &a.ChannelViewedAt); err != nil {
				return fmt.Errorf("users.activity: channel views: %w", err)
			}
			activity[id] = a
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("users.activity: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return activity, nil
}
