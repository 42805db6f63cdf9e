package host

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// The generic REST binding: the few server changes the plugin API cannot make (channel
// moderation) go through the server's own REST API, authenticated with a token the bundle
// holds (a dedicated bot's access token, see server/src/templates/credential.ts). Which
// requests to make is product logic and lives in TS; this file only performs them, and only the
// calls of restAllowList (exact method + whole path), on this server, never following redirects,
// and never logging the token.

// restRequest is a call to this server's own /api/v4/ with a bearer token.
type restRequest struct {
	Method string  `json:"method"`
	Path   string  `json:"path"`
	Body   *string `json:"body"`
	Token  string  `json:"token"`
}

// restResponse is the answer to a restRequest: status 0 when the server could not be reached
// (error then says why).
type restResponse struct {
	Status int    `json:"status"`
	Body   string `json:"body"`
	Error  string `json:"error"`
}

// maxRestResponse bounds what is read back into JS.
const maxRestResponse = 4 << 20

// restAllowList is every call rest.request may make, and nothing else: a method and a pattern the
// WHOLE path must match (no query string, no other segments). The token handed to the binding holds
// system_user_manager, which could do far more than the feature needs (manage teams, members,
// channels); this table limits what a bug or a compromised bundle can do with it to exactly these
// calls. Today they are the two the plugin API lacks (server/src/templates/credential.ts): read a
// channel's moderation, and patch it. A new call needs a new row here (and its test in rest_test.go).
var restAllowList = []struct {
	Method string
	Path   *regexp.Regexp
	Why    string
}{
	{http.MethodGet, regexp.MustCompile(`^/api/v4/channels/[a-z0-9]{26}/moderations$`), "read a channel's moderation (role templates)"},
	{
		http.MethodPut,
		regexp.MustCompile(`^/api/v4/channels/[a-z0-9]{26}/moderations/patch$`),
		"patch a channel's moderation (role templates)",
	},
}

// restAllowed reports whether method + path is a row of restAllowList.
func restAllowed(method, path string) bool {
	for _, allowed := range restAllowList {
		if method == allowed.Method && allowed.Path.MatchString(path) {
			return true
		}
	}
	return false
}

var restClient = &http.Client{
	Timeout: 20 * time.Second,
	// A redirect could carry the Authorization header elsewhere; the REST API never redirects.
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func (h *Host) restCall(req restRequest) (any, error) {
	method := strings.ToUpper(req.Method)
	if !restAllowed(method, req.Path) {
		path := req.Path
		if len(path) > 120 {
			path = path[:120] + "…"
		}
		return nil, badArguments("rest.request: %q %q is not a call the host allows (restAllowList in server/host/rest.go)", method, path)
	}
	if req.Token == "" {
		return nil, badArguments("rest.request: a token is required")
	}
	base, err := restBaseURL(h.api.GetConfig())
	if err != nil {
		return restResponse{Error: err.Error()}, nil
	}
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader([]byte(*req.Body))
	}
	httpReq, err := http.NewRequest(method, base+req.Path, body)
	if err != nil {
		return nil, badArguments("rest.request: %v", err)
	}
	httpReq.Header.Set(model.HeaderAuth, "Bearer "+req.Token)
	httpReq.Header.Set("X-Requested-With", "XMLHttpRequest")
	if req.Body != nil {
		httpReq.Header.Set("Content-Type", "application/json")
	}
	resp, err := restClient.Do(httpReq)
	if err != nil {
		// The error text names the URL, never the header.
		return restResponse{Error: err.Error()}, nil
	}
	defer func() { _ = resp.Body.Close() }() // the body is only read
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxRestResponse))
	if err != nil {
		return restResponse{Status: resp.StatusCode, Error: err.Error()}, nil
	}
	return restResponse{Status: resp.StatusCode, Body: string(answer)}, nil
}

// restBaseURL is where this server answers. A plain-HTTP listener is called on the loopback
// interface, so the token never leaves the node (no proxy, no load balancer, no DNS); with TLS
// on the listener (the certificate names the public host) the Site URL is used.
func restBaseURL(config *model.Config) (string, error) {
	if config == nil {
		return "", fmt.Errorf("no server configuration")
	}
	settings := config.ServiceSettings
	listen := ""
	if settings.ListenAddress != nil {
		listen = *settings.ListenAddress
	}
	tls := settings.ConnectionSecurity != nil && *settings.ConnectionSecurity == model.ConnSecurityTLS
	if listen != "" && !tls {
		host, port, err := net.SplitHostPort(listen)
		if err == nil && port != "" {
			if host == "" || host == "0.0.0.0" || host == "::" {
				host = "127.0.0.1"
			}
			return "http://" + net.JoinHostPort(host, port), nil
		}
	}
	if settings.SiteURL != nil && *settings.SiteURL != "" {
		return strings.TrimRight(*settings.SiteURL, "/"), nil
	}
	return "", fmt.Errorf("neither a plain-HTTP ListenAddress nor a Site URL is configured")
}

// accessToken is a new user access token: its id (to revoke it) and its secret.
type accessToken struct {
	ID    string `json:"id"`
	Token string `json:"token"`
}

func (h *Host) createAccessToken(userID, description string) (any, error) {
	token, appErr := h.api.CreateUserAccessToken(&model.UserAccessToken{UserId: userID, Description: description})
	if appErr != nil {
		return nil, appErr
	}
	return accessToken{ID: token.Id, Token: token.Token}, nil
}

// createBot creates a bot owned by the plugin, or returns the existing bot user of that
// username. Unlike bot.ensure (EnsureBotUser), it does not touch the plugin's main bot, whose id
// the server remembers in one plugin key.
func (h *Host) createBot(spec botSpec) (any, error) {
	if existing, appErr := h.api.GetUserByUsername(spec.Username); appErr == nil && existing != nil {
		if !existing.IsBot {
			return nil, model.NewAppError(
				"createBot",
				"cockpit.bot.username_taken",
				nil,
				"a user (not a bot) has the username "+spec.Username,
				http.StatusConflict,
			)
		}
		if existing.DeleteAt != 0 {
			if _, appErr := h.api.UpdateBotActive(existing.Id, true); appErr != nil {
				return nil, appErr
			}
		}
		return existing.Id, nil
	}
	bot, appErr := h.api.CreateBot(&model.Bot{Username: spec.Username, DisplayName: spec.DisplayName, Description: spec.Description})
	if appErr != nil {
		return nil, appErr
	}
	return bot.UserId, nil
}

// commandSpec is a slash command of the plugin (ExecuteCommand forwards it to JS).
type commandSpec struct {
	Trigger          string `json:"trigger"`
	DisplayName      string `json:"display_name"`
	Description      string `json:"description"`
	AutoCompleteDesc string `json:"auto_complete_desc"`
	AutoCompleteHint string `json:"auto_complete_hint"`
}

func (h *Host) registerCommand(spec commandSpec) (any, error) {
	if spec.Trigger == "" {
		return nil, badArguments("admin.registerCommand: a trigger is required")
	}
	err := h.api.RegisterCommand(&model.Command{
		Trigger:          spec.Trigger,
		DisplayName:      spec.DisplayName,
		Description:      spec.Description,
		AutoComplete:     true,
		AutoCompleteDesc: spec.AutoCompleteDesc,
		AutoCompleteHint: spec.AutoCompleteHint,
	})
	return nil, err
}

// patchConfigAs changes the named settings of the server config, and nothing else, through the
// server's own PUT /api/v4/config/patch, acting as userID, a system admin (the one whose request
// this is). Why not the plugin API's SaveConfig: the config crosses the plugin RPC as gob, which
// sends a pointer to false as nothing, so every false setting arrives as nil and the server fills
// in its default (MM-14595) — saving the whole config through it turned EnableSVGs, EnableLatex,
// SendEmailNotifications and a dozen more from false to true. The REST patch is JSON and merges
// only what it names; the server checks the admin's permissions and writes its own audit record
// under the admin's name. The session lives for this one request, in Go only, and is revoked at once.
func (h *Host) patchConfigAs(userID string, patch map[string]any) (any, error) {
	if len(patch) == 0 {
		return nil, badArguments("config.patchAs: an empty patch")
	}
	body, err := json.Marshal(patch)
	if err != nil {
		return nil, badArguments("config.patchAs: %v", err)
	}
	token, revoke, err := h.adminSession(userID, "config.patchAs")
	if err != nil {
		var refused *HostError
		if errors.As(err, &refused) && refused.StatusCode == http.StatusForbidden {
			return nil, &HostError{
				StatusCode: http.StatusForbidden,
				ID:         "cockpit.config.not_system_admin",
				Message:    "Only a system admin's request can change the server configuration.",
			}
		}
		return nil, err
	}
	defer revoke()
	base, err := restBaseURL(h.api.GetConfig())
	if err != nil {
		return nil, &HostError{StatusCode: http.StatusInternalServerError, ID: "cockpit.config.server_unreachable", Message: err.Error()}
	}

	req, err := http.NewRequest(http.MethodPut, base+"/api/v4/config/patch", bytes.NewReader(body))
	if err != nil {
		return nil, badArguments("config.patchAs: %v", err)
	}
	req.Header.Set(model.HeaderAuth, "Bearer "+token)
	req.Header.Set("X-Requested-With", "XMLHttpRequest")
	req.Header.Set("Content-Type", "application/json")
	resp, err := restClient.Do(req)
	if err != nil {
		return nil, &HostError{StatusCode: http.StatusBadGateway, ID: "cockpit.config.server_unreachable", Message: err.Error()}
	}
	defer func() { _ = resp.Body.Close() }() // the body is only read
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxRestResponse))
	if resp.StatusCode == http.StatusOK {
		return nil, nil
	}
	// The server's own refusal (invalid value, read-only config, permissions) goes back as it is.
	var refused model.AppError
	if json.Unmarshal(answer, &refused) == nil && refused.Id != "" {
		return nil, &HostError{StatusCode: resp.StatusCode, ID: refused.Id, Message: refused.Message}
	}
	return nil, &HostError{
		StatusCode: resp.StatusCode,
		ID:         "cockpit.config.patch_failed",
		Message:    fmt.Sprintf("PUT /api/v4/config/patch answered %d", resp.StatusCode),
	}
}
