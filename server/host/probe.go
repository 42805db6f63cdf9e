package host

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// The probe binding: the readiness probes ask this server what its own System Console "Test"
// buttons and status pages know (LDAP and SMTP connection tests, cluster status, failed jobs …).
// Those answers are REST-only and need a system admin, so the host makes a session for the admin
// whose request it is (the pattern of config.patchAs: checked active, human and system_admin; the
// token stays in Go; it expires in a minute and is revoked as soon as the call returns). Nothing is
// stored, and only the calls of probeAllowList, each bounded by probeTimeout, can be made.

// probeRequest is one probe call: a row of probeAllowList. No body is ever sent, so every test
// runs against the settings the server has saved, never against values from the bundle.
type probeRequest struct {
	Method string `json:"method"`
	Path   string `json:"path"`
}

// probeResponse is the server's answer: status 0 when it did not answer (error says why;
// timed_out when probeTimeout ran out), and how long the call took.
type probeResponse struct {
	Status     int    `json:"status"`
	Body       string `json:"body"`
	Error      string `json:"error"`
	TimedOut   bool   `json:"timed_out"`
	DurationMs int64  `json:"duration_ms"`
}

// probeTimeout bounds one probe call; a test of an unreachable LDAP or SMTP server answers within
// the server's own timeouts, which are shorter by default.
const probeTimeout = 15 * time.Second

// maxProbeResponse bounds what is read back into JS (a job list of 200 entries fits).
const maxProbeResponse = 1 << 20

// probeAllowList is every call rest.probeAsAdmin may make: a method and a pattern the whole path,
// query included, must match. All are reads or connection tests; none changes the server's
// state (the SMTP test sends one message, to the requesting admin's own address — the System
// Console's "Test Connection" does the same).
var probeAllowList = []struct {
	Method string
	Path   *regexp.Regexp
	Why    string
}{
	{http.MethodPost, regexp.MustCompile(`^/api/v4/ldap/test$`), "AD/LDAP connection test"},
	{http.MethodGet, regexp.MustCompile(`^/api/v4/ldap/groups\?page=0&per_page=1&is_linked=true$`), "linked AD/LDAP groups"},
	{http.MethodPost, regexp.MustCompile(`^/api/v4/email/test$`), "SMTP connection test with the saved settings"},
	{http.MethodPost, regexp.MustCompile(`^/api/v4/file/s3_test$`), "S3 connection test with the saved settings"},
	{http.MethodGet, regexp.MustCompile(`^/api/v4/system/ping\?get_server_status=true$`), "database and file store health"},
	{http.MethodPost, regexp.MustCompile(`^/api/v4/elasticsearch/test$`), "Elasticsearch/OpenSearch connection test"},
	{http.MethodGet, regexp.MustCompile(`^/api/v4/cluster/status$`), "cluster nodes"},
	{http.MethodGet, regexp.MustCompile(`^/api/v4/jobs/type/[a-z_]{1,64}\?page=0&per_page=[0-9]{1,3}$`), "the latest jobs of a type"},
	{http.MethodGet, regexp.MustCompile(`^/api/v4/plugins/statuses$`), "plugin states"},
	{http.MethodGet, regexp.MustCompile(`^/api/v4/latest_version$`), "the newest release the server knows of"},
}

func probeAllowed(method, path string) bool {
	for _, allowed := range probeAllowList {
		if method == allowed.Method && allowed.Path.MatchString(path) {
			return true
		}
	}
	return false
}

var probeClient = newBoundedClient(probeTimeout, maxProbeResponse)

// adminSessionTTL bounds the sessions adminSession makes; each is revoked as soon as its call returns.
const adminSessionTTL = time.Minute

// adminSession makes a short-lived session for userID, who must be an active human system admin
// (the admin whose request this is), and returns its token and the function that revokes it.
func (h *Host) adminSession(userID, purpose string) (string, func(), error) {
	user, appErr := h.api.GetUser(userID)
	if appErr != nil {
		return "", nil, appErr
	}
	if user.DeleteAt != 0 || user.IsBot || !hasRole(user.Roles, model.SystemAdminRoleId) {
		return "", nil, &HostError{
			StatusCode: http.StatusForbidden,
			ID:         "cockpit.admin_session.not_system_admin",
			Message:    "Only a system admin's request can do this.",
		}
	}
	session, appErr := h.api.CreateSession(&model.Session{
		UserId:    user.Id,
		Roles:     user.Roles,
		ExpiresAt: model.GetMillis() + adminSessionTTL.Milliseconds(),
		Props:     model.StringMap{"onboarding_cockpit": purpose},
	})
	if appErr != nil {
		return "", nil, appErr
	}
	revoke := func() {
		if appErr := h.api.RevokeSession(session.Id); appErr != nil {
			h.api.LogError("Could not revoke a short-lived admin session",
				"purpose", purpose, "session_id", session.Id, "error", appErr.Error())
		}
	}
	return session.Token, revoke, nil
}

// probeAsAdmin makes one call of probeAllowList as userID (a system admin) and answers what came back.
func (h *Host) probeAsAdmin(userID string, req probeRequest) (any, error) {
	if !probeAllowed(req.Method, req.Path) {
		path := req.Path
		if len(path) > 120 {
			path = path[:120] + "…"
		}
		return nil, badArguments(
			"rest.probeAsAdmin: %q %q is not a probe the host allows (probeAllowList in server/host/probe.go)", req.Method, path)
	}
	base, err := restBaseURL(h.api.GetConfig())
	if err != nil {
		return probeResponse{Error: err.Error()}, nil
	}
	token, revoke, err := h.adminSession(userID, "readiness.probe")
	if err != nil {
		return nil, err
	}
	defer revoke()

	var body io.Reader
	if req.Method == http.MethodPost {
		body = bytes.NewReader(nil)
	}
	httpReq, err := http.NewRequest(req.Method, base+req.Path, body)
	if err != nil {
		return nil, badArguments("rest.probeAsAdmin: %v", err)
	}
	httpReq.Header.Set(model.HeaderAuth, "Bearer "+token)
	httpReq.Header.Set("X-Requested-With", "XMLHttpRequest")
	return probeClient.do(httpReq), nil
}

// pluginState is one installed plugin's state on this node, as the plugin API reports it.
type pluginState struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Version string `json:"version"`
	State   int    `json:"state"`
}

// pluginStates lists the installed plugins and their states: what the scheduled readiness job can
// learn about plugins without an admin.
func (h *Host) pluginStates() (any, error) {
	manifests, appErr := h.api.GetPlugins()
	if appErr != nil {
		return nil, appErr
	}
	states := make([]pluginState, 0, len(manifests))
	for _, manifest := range manifests {
		status, appErr := h.api.GetPluginStatus(manifest.Id)
		if appErr != nil {
			return nil, appErr
		}
		states = append(states, pluginState{ID: manifest.Id, Name: manifest.Name, Version: manifest.Version, State: status.State})
	}
	return states, nil
}
