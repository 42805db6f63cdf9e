package cockpit

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// Role templates (issue 6) against the real server: the moderation credential (a dedicated bot with
// system_user_manager and a token kept in KV), a proposal to two teams, team admin A deciding per
// channel through the review routes, team admin B through the DM's buttons clicked via the server's
// own POST /api/v4/posts/{post_id}/actions/{action_id}, the moderation read back from the server,
// isolation between the teams, rollback, and a second, unlicensed server where every channel is
// needs_license.

// templatesMu serialises the tests that grant/revoke the plugin-wide moderation credential.
var templatesMu sync.Mutex

type tplItem struct {
	ChannelID string `json:"channel_id"`
	Status    string `json:"status"`
	Reason    string `json:"reason"`
	Comment   string `json:"comment"`
	Current   struct {
		Moderation            map[string]json.RawMessage `json:"moderation"`
		ModerationUnavailable *string                    `json:"moderation_unavailable"`
	} `json:"current"`
	Diff []struct {
		Field    string `json:"field"`
		Changed  bool   `json:"changed"`
		Proposed any    `json:"proposed"`
	} `json:"diff"`
}

type tplTeamReview struct {
	ProposalID string         `json:"proposal_id"`
	TeamID     string         `json:"team_id"`
	Version    int            `json:"version"`
	Items      []tplItem      `json:"items"`
	Counts     map[string]int `json:"counts"`
}

func (r tplTeamReview) item(t *testing.T, channelID string) tplItem {
	t.Helper()
	for _, item := range r.Items {
		if item.ChannelID == channelID {
			return item
		}
	}
	t.Fatalf("channel %s is not in the review of team %s", channelID, r.TeamID)
	return tplItem{}
}

func decodeInto(t *testing.T, r apiResult, out any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, out); err != nil {
		t.Fatalf("decode %s: %v", r, err)
	}
}

func expectStatus(t *testing.T, what string, r apiResult, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: %s, want HTTP %d", what, r, want)
	}
}

// moderationView is the part of a channel's moderation the tests read.
type moderationView struct {
	CreatePost, ChannelMentions, CreateReactions struct{ Members, Guests model.ChannelModeratedRole }
}

// serverModeration reads the channel's moderation from the server itself, as a system admin.
func serverModeration(t *testing.T, base, adminToken, channelID string) moderationView {
	t.Helper()
	resp, body := do(t, http.MethodGet, base+"/api/v4/channels/"+channelID+"/moderations", adminToken, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET moderations of %s: HTTP %d %s", channelID, resp.StatusCode, body)
	}
	var list []model.ChannelModeration
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	var view moderationView
	for _, m := range list {
		var dst *struct{ Members, Guests model.ChannelModeratedRole }
		switch m.Name {
		case "create_post":
			dst = &view.CreatePost
		case "use_channel_mentions":
			dst = &view.ChannelMentions
		case "create_reactions":
			dst = &view.CreateReactions
		default:
			continue
		}
		if m.Roles.Members != nil {
			dst.Members = *m.Roles.Members
		}
		if m.Roles.Guests != nil {
			dst.Guests = *m.Roles.Guests
		}
	}
	return view
}

func isChannelAdmin(t *testing.T, c *model.Client4, channelID, userID string) bool {
	t.Helper()
	member, _, err := c.GetChannelMember(ctx(t), channelID, userID, "")
	if err != nil {
		t.Fatalf("channel member %s of %s: %v", userID, channelID, err)
	}
	return member.SchemeAdmin
}

// proposalDM finds the bot's DM to the user about the proposal for the team.
func proposalDM(t *testing.T, c *model.Client4, userID, proposalID, teamID string) *model.Post {
	t.Helper()
	bot, _, err := c.GetUserByUsername(ctx(t), "cockpit", "")
	if err != nil {
		t.Fatalf("the cockpit bot: %v", err)
	}
	dm, _, err := c.CreateDirectChannel(ctx(t), userID, bot.Id)
	if err != nil {
		t.Fatal(err)
	}
	posts, _, err := c.GetPostsForChannel(ctx(t), dm.Id, 0, 50, "", false, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range posts.Order {
		if post := posts.Posts[id]; post.GetProp("cockpit_template_proposal") == proposalID+":"+teamID {
			return post
		}
	}
	t.Fatalf("no DM about proposal %s for team %s in %d posts", proposalID, teamID, len(posts.Order))
	return nil
}

func grantCredential(t *testing.T, base, token string) map[string]any {
	t.Helper()
	r := callAt(t, base, http.MethodPost, "/api/v1/templates/credential/grant", token, []byte(`{}`))
	expectStatus(t, "grant the credential", r, http.StatusOK)
	var status map[string]any
	decodeInto(t, r, &status)
	if status["granted"] != true || status["role"] != "system_user_manager" {
		t.Fatalf("credential after grant: %s", r)
	}
	if strings.Contains(strings.ToLower(string(r.Body)), `"token"`) {
		t.Fatalf("the credential status carries a token field: %s", r)
	}
	return status
}

var readOnlyTemplate = map[string]any{
	"name":           "E2E read-only",
	"moderation":     map[string]any{"create_post": map[string]any{"members": false, "guests": false}, "use_channel_mentions": map[string]any{"members": false}},
	"channel_admins": map[string]any{"user_ids": []string{}, "group_ids": []string{}, "channel_creator": true},
	"properties":     map[string]any{"header": "Announcements only (e2e)"},
}

func createTemplateAt(t *testing.T, base, token string) (string, int) {
	t.Helper()
	r := callAt(t, base, http.MethodPost, "/api/v1/templates", token, mustJSON(t, readOnlyTemplate))
	expectStatus(t, "create a template", r, http.StatusCreated)
	var template struct {
		ID      string `json:"id"`
		Version int    `json:"version"`
	}
	decodeInto(t, r, &template)
	return template.ID, template.Version
}

func TestTemplatesProposalApproveRollbackOnRealServer(t *testing.T) {
	templatesMu.Lock()
	defer templatesMu.Unlock()
	admin := env.adminClient
	adminTok := admin.AuthToken
	tokA, tokB, tokMember := tokenOf(t, env.teamAdminA), tokenOf(t, env.teamAdminB), tokenOf(t, env.member)
	clientA, err := env.s.Login(env.teamAdminA)
	if err != nil {
		t.Fatal(err)
	}
	clientB, err := env.s.Login(env.teamAdminB)
	if err != nil {
		t.Fatal(err)
	}
	memberClient, err := env.s.Login(env.member)
	if err != nil {
		t.Fatal(err)
	}
	member, _, err := admin.GetUserByUsername(ctx(t), env.member, "")
	if err != nil {
		t.Fatal(err)
	}
	userA, _, _ := admin.GetUserByUsername(ctx(t), env.teamAdminA, "")
	userB, _, _ := admin.GetUserByUsername(ctx(t), env.teamAdminB, "")

	// The first moderation patch of a channel creates a channel scheme, which the server refuses (501
	// app.schemes.is_phase_2_migration_completed.not_completed) until its permissions migration has
	// run (the migrations job, in a production server's first minutes). On this fresh test server it
	// had not (observed: the 501 above), so mark it done, as Mattermost's own api4 test helper does.
	if err := env.s.App.SetPhase2PermissionsMigrationStatus(true); err != nil {
		t.Fatal(err)
	}
	status := grantCredential(t, env.s.URL, adminTok)
	botID, _ := status["bot_user_id"].(string)
	t.Cleanup(func() {
		// Revoke: the token stops working and the role is gone.
		r := call(t, http.MethodPost, "/api/v1/templates/credential/revoke", adminTok, []byte(`{}`))
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"granted":false`) {
			t.Errorf("revoke: %s", r)
		}
		bot, _, err := admin.GetUser(ctx(t), botID, "")
		if err != nil || strings.Contains(bot.Roles, "system_user_manager") {
			t.Errorf("after revoke the bot has roles %q (%v)", bot.Roles, err)
		}
		tokens, _, _ := admin.GetUserAccessTokensForUser(ctx(t), botID, 0, 100)
		for _, token := range tokens {
			if token.IsActive {
				t.Errorf("the bot still has an active token %s after revoke", token.Id)
			}
		}
	})
	bot, _, err := admin.GetUser(ctx(t), botID, "")
	if err != nil {
		t.Fatal(err)
	}
	if !bot.IsBot || bot.Username == "cockpit" || !strings.Contains(bot.Roles, "system_user_manager") || strings.Contains(bot.Roles, "system_admin") {
		t.Fatalf("moderation bot %s: is_bot=%v roles=%q", bot.Username, bot.IsBot, bot.Roles)
	}

	// Channels: three in team A created by the member (the channel creator becomes channel admin), one in team B.
	sfx := model.NewId()[:6]
	var channelsA []*model.Channel
	for _, name := range []string{"news", "it", "misc"} {
		ch, _, err := memberClient.CreateChannel(ctx(t), &model.Channel{TeamId: env.teamA.Id, Name: "tpl-" + sfx + "-" + name, DisplayName: "tpl " + name, Type: model.ChannelTypeOpen})
		if err != nil {
			t.Fatal(err)
		}
		channelsA = append(channelsA, ch)
	}
	channelB, _, err := clientB.CreateChannel(ctx(t), &model.Channel{TeamId: env.teamB.Id, Name: "tpl-" + sfx + "-b", DisplayName: "tpl b", Type: model.ChannelTypeOpen})
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range append(channelsA, channelB) {
		if m := serverModeration(t, env.s.URL, adminTok, ch.Id); !m.CreatePost.Members.Value || !m.CreatePost.Members.Enabled {
			t.Fatalf("channel %s does not start with create_post allowed for members: %+v", ch.Name, m.CreatePost.Members)
		}
	}

	templateID, version := createTemplateAt(t, env.s.URL, adminTok)
	created := call(t, http.MethodPost, "/api/v1/templates/proposals", adminTok, mustJSON(t, map[string]any{
		"template_id": templateID, "template_version": version, "note": "e2e",
		"teams": []map[string]any{
			{"team_id": env.teamA.Id, "name_pattern": "tpl-" + sfx + "-*"},
			{"team_id": env.teamB.Id, "channel_ids": []string{channelB.Id}, "new_channels": true},
		},
	}))
	expectStatus(t, "propose", created, http.StatusCreated)
	var detail struct {
		Summary struct {
			ID string `json:"id"`
		} `json:"summary"`
		Teams []tplTeamReview `json:"teams"`
	}
	decodeInto(t, created, &detail)
	proposalID := detail.Summary.ID
	if len(detail.Teams) != 2 || len(detail.Teams[0].Items) != 3 || len(detail.Teams[1].Items) != 1 {
		t.Fatalf("the proposal resolved %d teams: %s", len(detail.Teams), created)
	}
	reviewA := "/api/v1/templates/review/teams/" + env.teamA.Id + "/proposals/" + proposalID
	reviewB := "/api/v1/templates/review/teams/" + env.teamB.Id + "/proposals/" + proposalID

	// Isolation: B and the member cannot see or act on team A's items; A cannot on B's.
	expectStatus(t, "team admin B reads A's review", call(t, http.MethodGet, reviewA, tokB, nil), http.StatusForbidden)
	expectStatus(t, "team admin B reads A's inbox", call(t, http.MethodGet, "/api/v1/templates/review/teams/"+env.teamA.Id, tokB, nil), http.StatusForbidden)
	expectStatus(t, "team admin A reads B's review", call(t, http.MethodGet, reviewB, tokA, nil), http.StatusForbidden)
	expectStatus(t, "the member reads A's review", call(t, http.MethodGet, reviewA, tokMember, nil), http.StatusForbidden)
	expectStatus(t, "the member decides", call(t, http.MethodPost, reviewA+"/decide", tokMember, mustJSON(t, map[string]any{
		"expected_version": 1, "decisions": []map[string]any{{"channel_id": channelsA[0].Id, "decision": "approve"}},
	})), http.StatusForbidden)
	expectStatus(t, "the member lists proposals", call(t, http.MethodGet, "/api/v1/templates/proposals", tokMember, nil), http.StatusForbidden)

	// Team admin A reviews: current (from the server) next to proposed.
	r := call(t, http.MethodGet, reviewA, tokA, nil)
	expectStatus(t, "team admin A reviews", r, http.StatusOK)
	var review tplTeamReview
	decodeInto(t, r, &review)
	if item := review.item(t, channelsA[0].Id); item.Status != "pending" || item.Current.Moderation == nil || len(item.Diff) == 0 {
		t.Fatalf("review item: %+v", item)
	}

	// A approves news and it, rejects misc.
	r = call(t, http.MethodPost, reviewA+"/decide", tokA, mustJSON(t, map[string]any{
		"expected_version": review.Version,
		"decisions": []map[string]any{
			{"channel_id": channelsA[0].Id, "decision": "approve"},
			{"channel_id": channelsA[1].Id, "decision": "approve", "comment": "fine"},
			{"channel_id": channelsA[2].Id, "decision": "reject", "comment": "not an announcement channel"},
		},
	}))
	expectStatus(t, "team admin A decides", r, http.StatusOK)
	decodeInto(t, r, &review)
	for _, ch := range channelsA[:2] {
		if item := review.item(t, ch.Id); item.Status != "applied" {
			t.Fatalf("channel %s: status %s (%s), want applied", ch.Name, item.Status, item.Reason)
		}
		m := serverModeration(t, env.s.URL, adminTok, ch.Id)
		if m.CreatePost.Members.Value || m.CreatePost.Guests.Value || m.ChannelMentions.Members.Value || !m.CreateReactions.Members.Value {
			t.Fatalf("moderation of %s read back from the server: post members=%v guests=%v mentions=%v reactions=%v",
				ch.Name, m.CreatePost.Members.Value, m.CreatePost.Guests.Value, m.ChannelMentions.Members.Value, m.CreateReactions.Members.Value)
		}
		got, _, err := admin.GetChannel(ctx(t), ch.Id, "")
		if err != nil || got.Header != "Announcements only (e2e)" {
			t.Fatalf("header of %s: %q (%v)", ch.Name, got.Header, err)
		}
		if !isChannelAdmin(t, admin, ch.Id, member.Id) {
			t.Fatalf("the channel creator is not channel admin of %s", ch.Name)
		}
	}
	if item := review.item(t, channelsA[2].Id); item.Status != "rejected" || item.Comment != "not an announcement channel" {
		t.Fatalf("misc: %+v", item)
	}
	if m := serverModeration(t, env.s.URL, adminTok, channelsA[2].Id); !m.CreatePost.Members.Value {
		t.Fatal("the rejected channel's moderation changed")
	}
	// The decided channels cannot be decided again.
	again := call(t, http.MethodPost, reviewA+"/decide", tokA, mustJSON(t, map[string]any{
		"expected_version": review.Version, "decisions": []map[string]any{{"channel_id": channelsA[0].Id, "decision": "reject"}},
	}))
	expectStatus(t, "deciding an applied channel", again, http.StatusConflict)

	// Team admin B uses the DM's button, through the server's action route. A and the member cannot click it.
	postB := proposalDM(t, clientB, userB.Id, proposalID, env.teamB.Id)
	if _, err := clientA.DoPostActionWithCookie(ctx(t), postB.Id, "approveall", "", ""); err == nil {
		t.Fatal("team admin A clicked a button of team admin B's DM")
	}
	if _, err := memberClient.DoPostActionWithCookie(ctx(t), postB.Id, "approveall", "", ""); err == nil {
		t.Fatal("the member clicked a button of team admin B's DM")
	}
	// Calling the plugin's action route directly with someone else's id, or as a non-admin, is refused too.
	forged := mustJSON(t, map[string]any{"user_id": userB.Id, "post_id": postB.Id, "context": map[string]any{"proposal_id": proposalID, "team_id": env.teamB.Id, "action": "approve_all"}})
	expectStatus(t, "the member forges a click", call(t, http.MethodPost, "/api/v1/templates/actions", tokMember, forged), http.StatusForbidden)
	own := mustJSON(t, map[string]any{"user_id": userA.Id, "post_id": postB.Id, "context": map[string]any{"proposal_id": proposalID, "team_id": env.teamB.Id, "action": "approve_all"}})
	expectStatus(t, "team admin A clicks for team B", call(t, http.MethodPost, "/api/v1/templates/actions", tokA, own), http.StatusForbidden)
	if m := serverModeration(t, env.s.URL, adminTok, channelB.Id); !m.CreatePost.Members.Value {
		t.Fatal("a refused click changed team B's channel")
	}
	if _, err := clientB.DoPostActionWithCookie(ctx(t), postB.Id, "approveall", "", ""); err != nil {
		t.Fatalf("team admin B clicks Approve all: %v", err)
	}
	r = call(t, http.MethodGet, reviewB, tokB, nil)
	expectStatus(t, "team admin B reviews", r, http.StatusOK)
	var reviewBAfter tplTeamReview
	decodeInto(t, r, &reviewBAfter)
	if item := reviewBAfter.item(t, channelB.Id); item.Status != "applied" {
		t.Fatalf("team B's channel after the button: %s (%s)", item.Status, item.Reason)
	}
	if m := serverModeration(t, env.s.URL, adminTok, channelB.Id); m.CreatePost.Members.Value {
		t.Fatal("the button's approval did not change team B's channel on the server")
	}

	// "New channels created in this team": a channel created in team B now joins the proposal as pending.
	fresh, _, err := clientB.CreateChannel(ctx(t), &model.Channel{TeamId: env.teamB.Id, Name: "tpl-" + sfx + "-new", DisplayName: "tpl new", Type: model.ChannelTypeOpen})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		decodeInto(t, call(t, http.MethodGet, reviewB, tokB, nil), &reviewBAfter)
		found := false
		for _, item := range reviewBAfter.Items {
			found = found || (item.ChannelID == fresh.Id && item.Status == "pending")
		}
		if found {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the new channel never joined the proposal: %+v", reviewBAfter.Items)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// …and team admin B is told in a DM carrying the buttons (the hook posts it right after).
	for notice := proposalDM(t, clientB, userB.Id, proposalID, env.teamB.Id); !strings.Contains(notice.Message, "tpl new"); notice = proposalDM(t, clientB, userB.Id, proposalID, env.teamB.Id) {
		if time.Now().After(deadline) {
			t.Fatalf("no DM about the new channel; newest proposal DM: %q", notice.Message)
		}
		time.Sleep(200 * time.Millisecond)
	}

	// The proposer sees every team's status.
	r = call(t, http.MethodGet, "/api/v1/templates/proposals/"+proposalID, adminTok, nil)
	expectStatus(t, "the proposer's view", r, http.StatusOK)
	decodeInto(t, r, &detail)
	counts := map[string]int{}
	for _, team := range detail.Teams {
		for status, n := range team.Counts {
			counts[status] += n
		}
	}
	if counts["applied"] != 3 || counts["rejected"] != 1 || counts["pending"] != 1 {
		t.Fatalf("proposal counts %v, want 3 applied, 1 rejected, 1 pending", counts)
	}

	// Rollback of "news" restores the recorded moderation, header and channel admins.
	decodeInto(t, call(t, http.MethodGet, reviewA, tokA, nil), &review)
	r = call(t, http.MethodPost, reviewA+"/rollback", tokA, mustJSON(t, map[string]any{"expected_version": review.Version, "channel_ids": []string{channelsA[0].Id}}))
	expectStatus(t, "rollback", r, http.StatusOK)
	decodeInto(t, r, &review)
	if item := review.item(t, channelsA[0].Id); item.Status != "rolled_back" {
		t.Fatalf("after rollback: %s (%s)", item.Status, item.Reason)
	}
	m := serverModeration(t, env.s.URL, adminTok, channelsA[0].Id)
	if !m.CreatePost.Members.Value || !m.CreatePost.Guests.Value || !m.ChannelMentions.Members.Value {
		t.Fatalf("rollback did not restore the moderation: %+v %+v %+v", m.CreatePost.Members, m.CreatePost.Guests, m.ChannelMentions.Members)
	}
	if got, _, _ := admin.GetChannel(ctx(t), channelsA[0].Id, ""); got.Header != "" {
		t.Fatalf("rollback left the header %q", got.Header)
	}
	if m := serverModeration(t, env.s.URL, adminTok, channelsA[1].Id); m.CreatePost.Members.Value {
		t.Fatal("rolling back one channel changed another")
	}

	// Audit: applies, the rejection and the rollback are recorded.
	r = call(t, http.MethodGet, "/api/v1/audit?per_page=200", adminTok, nil)
	expectStatus(t, "audit", r, http.StatusOK)
	for _, action := range []string{"templates.credential.grant", "templates.proposal.create", "templates.channel.apply", "templates.channel.reject", "templates.channel.rollback"} {
		if !strings.Contains(string(r.Body), `"`+action+`"`) {
			t.Errorf("the audit trail has no %s", action)
		}
	}

	// The slash command sends a team admin to the review panel; a member is told no.
	townSquare, _, err := clientA.GetChannelByName(ctx(t), "town-square", env.teamA.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	resp, _, err := clientA.ExecuteCommand(ctx(t), townSquare.Id, "/onboarding review")
	if err != nil {
		t.Fatalf("/onboarding review: %v", err)
	}
	if !strings.HasSuffix(resp.GotoLocation, "/"+env.teamA.Name+"/"+mmserver.PluginID+"/review") {
		t.Fatalf("/onboarding review goto_location %q", resp.GotoLocation)
	}
	resp, _, err = memberClient.ExecuteCommand(ctx(t), townSquare.Id, "/onboarding review")
	if err != nil || resp.GotoLocation != "" || !strings.Contains(resp.Text, "Only admins") {
		t.Fatalf("/onboarding review for a member: %+v %v", resp, err)
	}
}

func TestTemplatesNeedsLicenseOnUnlicensedServer(t *testing.T) {
	t0 := time.Now()
	s2, err := mmserver.Start(mmserver.Options{Unlicensed: true})
	if err != nil {
		t.Fatalf("unlicensed server: %v", err)
	}
	defer s2.Close()
	if s2.Srv.License() != nil {
		t.Fatal("the second server has a licence")
	}
	team, err := s2.CreateTeam("nolic-" + model.NewId()[:6])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.CreateUser("nolic-admin", mmserver.UserOptions{SystemAdmin: true, Teams: []*model.Team{team}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.CreateUser("nolic-tadmin", mmserver.UserOptions{TeamAdmin: true, Teams: []*model.Team{team}}); err != nil {
		t.Fatal(err)
	}
	adminClient, err := s2.Login("nolic-admin")
	if err != nil {
		t.Fatal(err)
	}
	teamAdmin, err := s2.Login("nolic-tadmin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mmserver.InstallPlugin(adminClient, env.bundle); err != nil {
		t.Fatal(err)
	}
	t.Logf("unlicensed server %s with the plugin in %s", s2.URL, time.Since(t0).Round(time.Millisecond))
	adminTok := adminClient.AuthToken

	// The server itself refuses moderation without a licence (what the plugin must map, not crash on).
	var channels []*model.Channel
	for _, name := range []string{"one", "two"} {
		ch, _, err := teamAdmin.CreateChannel(ctx(t), &model.Channel{TeamId: team.Id, Name: "nolic-" + name, DisplayName: name, Type: model.ChannelTypeOpen})
		if err != nil {
			t.Fatal(err)
		}
		channels = append(channels, ch)
	}
	resp, body := do(t, http.MethodGet, s2.URL+"/api/v4/channels/"+channels[0].Id+"/moderations", adminTok, nil)
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotImplemented {
		t.Fatalf("the unlicensed server answered GET moderations with %d %s", resp.StatusCode, body)
	}

	status := grantCredential(t, s2.URL, adminTok)
	if problems, _ := status["problems"].([]any); len(problems) == 0 || problems[0] != "no_license" {
		t.Fatalf("credential problems on an unlicensed server: %v", status["problems"])
	}
	r := callAt(t, s2.URL, http.MethodGet, "/api/v1/templates/delegation", adminTok, nil)
	expectStatus(t, "delegation state", r, http.StatusOK)
	if !strings.Contains(string(r.Body), `"delegated_roles":false`) || !strings.Contains(string(r.Body), `"channel_moderation":false`) {
		t.Fatalf("delegation license on an unlicensed server: %s", r)
	}

	templateID, version := createTemplateAt(t, s2.URL, adminTok)
	r = callAt(t, s2.URL, http.MethodPost, "/api/v1/templates/proposals", adminTok, mustJSON(t, map[string]any{
		"template_id": templateID, "template_version": version,
		"teams": []map[string]any{{"team_id": team.Id, "channel_ids": []string{channels[0].Id, channels[1].Id}}},
	}))
	expectStatus(t, "propose", r, http.StatusCreated)
	var detail struct {
		Summary struct {
			ID string `json:"id"`
		} `json:"summary"`
	}
	decodeInto(t, r, &detail)
	review := "/api/v1/templates/review/teams/" + team.Id + "/proposals/" + detail.Summary.ID
	var before tplTeamReview
	r = callAt(t, s2.URL, http.MethodGet, review, teamAdmin.AuthToken, nil)
	expectStatus(t, "review", r, http.StatusOK)
	decodeInto(t, r, &before)
	for _, item := range before.Items {
		if item.Current.ModerationUnavailable == nil || *item.Current.ModerationUnavailable != "needs_license" {
			t.Fatalf("review on an unlicensed server: %s", r)
		}
	}
	r = callAt(t, s2.URL, http.MethodPost, review+"/decide", teamAdmin.AuthToken, mustJSON(t, map[string]any{
		"expected_version": before.Version,
		"decisions":        []map[string]any{{"channel_id": channels[0].Id, "decision": "approve"}, {"channel_id": channels[1].Id, "decision": "approve"}},
	}))
	expectStatus(t, "decide on an unlicensed server", r, http.StatusOK)
	var after tplTeamReview
	decodeInto(t, r, &after)
	for _, ch := range channels {
		item := after.item(t, ch.Id)
		if item.Status != "needs_license" || !strings.Contains(item.Reason, "license") {
			t.Fatalf("channel %s on an unlicensed server: %s (%s), want needs_license", ch.Name, item.Status, item.Reason)
		}
		got, _, err := adminClient.GetChannel(ctx(t), ch.Id, "")
		if err != nil || got.Header != "" {
			t.Fatalf("a needs_license channel was changed: header %q (%v)", got.Header, err)
		}
	}
}
