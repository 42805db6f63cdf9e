package host

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

// The server hooks forwarded to the bundle, besides the lifecycle (plugin.go) and ServeHTTP
// (http.go). The server only calls hooks this type implements (it reflects on the method
// set), so forwarding another hook is: one method here calling notify or dispatch, and the
// hook's name in abi.ts. MessageWillBePosted/MessageHasBeenPosted are deliberately absent:
// they would add an RPC round trip to every post on the server.

func (p *Plugin) UserHasBeenCreated(_ *plugin.Context, user *model.User) {
	p.notify("userHasBeenCreated", withoutSecrets(user))
}

func (p *Plugin) UserHasJoinedTeam(_ *plugin.Context, member *model.TeamMember, actor *model.User) {
	p.notify("userHasJoinedTeam", map[string]any{"team_member": member, "actor": withoutSecrets(actor)})
}

// ChannelHasBeenCreated lets role-template proposals for "new channels of this team" pick the channel up.
// Direct and group messages belong to no team, so they never reach the bundle: a wave opens one DM per
// user, and each would cost a script engine's time for nothing.
func (p *Plugin) ChannelHasBeenCreated(_ *plugin.Context, channel *model.Channel) {
	if channel == nil || channel.IsGroupOrDirect() {
		return
	}
	p.notify("channelHasBeenCreated", channel)
}

func (p *Plugin) UserHasLoggedIn(_ *plugin.Context, user *model.User) {
	p.notify("userHasLoggedIn", withoutSecrets(user))
}

// UserHasBeenDeactivated is also how the bundle learns of a permanent deletion: the server deactivates the
// user first (app.PermanentDeleteUser → UpdateActive), and the plugin API has no deletion hook.
func (p *Plugin) UserHasBeenDeactivated(_ *plugin.Context, user *model.User) {
	p.notify("userHasBeenDeactivated", withoutSecrets(user))
}

func (p *Plugin) ExecuteCommand(_ *plugin.Context, args *model.CommandArgs) (*model.CommandResponse, *model.AppError) {
	var response model.CommandResponse
	if err := p.dispatch("executeCommand", args, &response); err != nil {
		p.API.LogError("Slash command failed in the plugin bundle", "err", err.Error())
		return nil, model.NewAppError("ExecuteCommand", "cockpit.internal", nil, "", http.StatusInternalServerError)
	}
	return &response, nil
}

// dispatch sends a hook to the bundle with payload JSON-encoded, and decodes the bundle's
// answer into out unless out is nil.
func (p *Plugin) dispatch(hook string, payload any, out any) error {
	return dispatchOn(p.host.Load(), hook, payload, out, placeInLine)
}

// dispatchOn is dispatch on a given host; place is where the call waits for an engine (placeAhead: the
// caller holds a lock others wait for, see pool.acquire).
func dispatchOn(h *Host, hook string, payload any, out any, place queuePlace) error {
	if h == nil {
		return fmt.Errorf("hook %s: %w", hook, ErrNotActive)
	}
	arg, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("hook %s: encode argument: %w", hook, err)
	}
	answer, err := h.pool.run(hook, string(arg), place)
	if err != nil {
		return err
	}
	if out != nil {
		if err := json.Unmarshal([]byte(answer), out); err != nil {
			return fmt.Errorf("hook %s: the bundle answered invalid JSON: %w", hook, err)
		}
	}
	return nil
}

// notify is dispatch for hooks whose outcome the server ignores: failures are only logged.
func (p *Plugin) notify(hook string, payload any) {
	if err := p.dispatch(hook, payload, nil); err != nil {
		p.API.LogError("Hook failed in the plugin bundle", "hook", hook, "err", err.Error())
	}
}
