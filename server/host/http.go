package host

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

// MaxRequestBody is the largest request body handed to the bundle; larger ones get 413.
const MaxRequestBody = 1 << 20

// pingPath is answered in Go, so the benchmark can compare a JS route with the same route
// without JS, inside the same host and the same checks.
const pingPath = "/api/v1/host/ping"

// memoryPath answers the process's MemoryStats (GET), and memoryEngineCostPath measures what one
// more engine would hold (POST: it runs the bundle in a throw-away engine and two full GCs).
// Both are for system admins and the memory benchmark; Go answers them, so they work whatever
// state the bundle is in.
const (
	memoryPath           = "/api/v1/host/memory"
	memoryEngineCostPath = "/api/v1/host/memory/engine-cost"
)

// httpRequest and httpResponse are HttpRequest/HttpResponse of server/src/host/abi.ts.
type httpRequest struct {
	Method  string              `json:"method"`
	Path    string              `json:"path"`
	Query   map[string][]string `json:"query"`
	Headers map[string]string   `json:"headers"`
	Body    string              `json:"body"`
	UserID  string              `json:"userId"`
	Origin  *requestOrigin      `json:"origin,omitempty"`
	Locks   []string            `json:"locks,omitempty"` // taken by the host for this request (serialized.go)
	// The caller's system permissions the host asked before the request queued for its turn (serialized.go).
	Permissions map[string]bool `json:"permissions,omitempty"`
}

type httpResponse struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body"`
}

// ServeHTTP forwards a request to the bundle's "serveHTTP" hook. The checks every route needs
// and JS must never be able to skip happen here, before JS: body size and authentication of
// /api/ routes. The server sets Mattermost-User-Id only for a valid session and strips any
// client-sent copy, so its presence is the authentication.
func (p *Plugin) ServeHTTP(c *plugin.Context, w http.ResponseWriter, r *http.Request) {
	userID := r.Header.Get("Mattermost-User-Id")
	if strings.HasPrefix(r.URL.Path, "/api/") && userID == "" {
		writeError(w, http.StatusUnauthorized, "cockpit.auth.unauthenticated", "Log in to use this endpoint.")
		return
	}

	// Read one byte past the limit to tell "exactly 1 MiB" from "more".
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxRequestBody+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, "cockpit.request.unreadable", "The request body could not be read.")
		return
	}
	if len(body) > MaxRequestBody {
		writeError(w, http.StatusRequestEntityTooLarge, "cockpit.request.too_large", "The request body is larger than 1 MiB.")
		return
	}

	if r.Method == http.MethodGet && r.URL.Path == pingPath {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
		return
	}
	if r.URL.Path == memoryPath || r.URL.Path == memoryEngineCostPath {
		p.serveMemory(w, r, userID)
		return
	}

	request := httpRequest{
		Method:  r.Method,
		Path:    r.URL.Path,
		Query:   r.URL.Query(),
		Headers: make(map[string]string, len(r.Header)),
		Body:    string(body),
		UserID:  userID,
	}
	if c != nil {
		request.Origin = &requestOrigin{SessionID: c.SessionId, IPAddress: c.IPAddress, UserAgent: c.UserAgent}
	}
	for name, values := range r.Header {
		if len(values) > 0 {
			request.Headers[http.CanonicalHeaderKey(name)] = values[0]
		}
	}

	h := p.host.Load()
	var response httpResponse
	if route := serializedRouteFor(serializedRoutes, r.Method, r.URL.Path); route != nil && h != nil {
		response, err = h.serveInTurn(route, request)
		if errors.Is(err, errTurnBusy) {
			writeError(w, http.StatusServiceUnavailable, route.BusyID, route.BusyMessage)
			return
		}
	} else {
		err = dispatchOn(h, "serveHTTP", request, &response, placeInLine)
	}
	if err != nil {
		// The detail (with the JS stack) goes to the server log only.
		p.API.LogError("HTTP handler failed in the plugin bundle", "method", r.Method, "path", r.URL.Path, "err", err.Error())
		writeError(w, http.StatusInternalServerError, "cockpit.internal", "internal error")
		return
	}
	if response.Status == 0 {
		response.Status = http.StatusOK
	}
	if response.Status < 100 || response.Status > 999 {
		p.API.LogError("The plugin bundle answered an invalid HTTP status", "path", r.URL.Path, "status", response.Status)
		writeError(w, http.StatusInternalServerError, "cockpit.internal", "internal error")
		return
	}
	for name, value := range response.Headers {
		w.Header().Set(name, value)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(response.Status)
	_, _ = io.WriteString(w, response.Body)
}

func (p *Plugin) serveMemory(w http.ResponseWriter, r *http.Request, userID string) {
	want := http.MethodGet
	if r.URL.Path == memoryEngineCostPath {
		want = http.MethodPost
	}
	switch h := p.host.Load(); {
	case r.Method != want:
		w.Header().Set("Allow", want)
		writeError(w, http.StatusMethodNotAllowed, "cockpit.route.method_not_allowed", "Use "+want+" on this route.")
	case !p.API.HasPermissionTo(userID, model.PermissionManageSystem):
		writeError(w, http.StatusForbidden, "cockpit.auth.forbidden", "Only a system admin can read the plugin's memory.")
	case h == nil:
		writeError(w, http.StatusServiceUnavailable, "cockpit.internal", "The plugin is not active.")
	case want == http.MethodGet:
		writeJSON(w, h.Memory())
	default:
		cost, err := h.EngineCost()
		if err != nil {
			p.API.LogError("Could not measure a script engine", "err", err.Error())
			writeError(w, http.StatusInternalServerError, "cockpit.internal", "internal error")
			return
		}
		writeJSON(w, map[string]uint64{"engine_heap_bytes": cost})
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(body)
}

// writeError answers the ApiErrorBody shape of contract/errors.ts.
func writeError(w http.ResponseWriter, status int, id, message string) {
	body, _ := json.Marshal(map[string]any{"error": map[string]string{"id": id, "message": message}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
