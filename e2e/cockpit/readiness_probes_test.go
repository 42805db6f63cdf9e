package cockpit

// The live readiness probes against the real server: each probe asks the server's own REST API as the
// requesting admin (a session the host makes for the call) and shows what came back.

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// runProbes runs the listed probes as the system admin and answers the report.
func runProbes(t *testing.T, ids ...string) contract.ReadinessReport {
	t.Helper()
	r := call(t, http.MethodPost, "/api/v1/readiness/probes/run", env.adminClient.AuthToken, mustJSON(t, map[string]any{"probes": ids}))
	if r.Status != http.StatusOK {
		t.Fatalf("POST /api/v1/readiness/probes/run %v: %s", ids, r)
	}
	var rep contract.ReadinessReport
	if err := json.Unmarshal(r.Body, &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

func probeOf(t *testing.T, rep contract.ReadinessReport, id string) contract.ProbeResult {
	t.Helper()
	for _, p := range rep.Probes {
		if string(p.ID) == id {
			return p
		}
	}
	t.Fatalf("no probe %q in the report", id)
	return contract.ProbeResult{}
}

func checkOf(t *testing.T, rep contract.ReadinessReport, id string) contract.CheckResult {
	t.Helper()
	for _, c := range rep.Results {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %q in the report", id)
	return contract.CheckResult{}
}

func factOf(p contract.ProbeResult, name string) string {
	for _, f := range p.Facts {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// closedPort is a loopback port nothing listens on (just released by the kernel).
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	_ = ln.Close()
	return port
}

// What startPushProxy's imitation reports as its release and build.
const (
	pushProxyVersion = "v6.4.2"
	pushProxyHash    = "4684977"
)

// startPushProxy starts a loopback HTTP server that answers like mattermost-push-proxy's read-only
// routes (its server/server.go: GET /version encodes internal/version/version.go's Info, whose JSON
// fields are "hash" and "version", as application/json; GET / writes the fixed page
// "<html><body>Mattermost Push Proxy</body></html>"); anything else is 404, as the proxy's router
// answers. It returns its URL and the requests it saw ("METHOD path", only those without credentials:
// a request with an Authorization or Cookie header is recorded as such and fails the test).
func startPushProxy(t *testing.T) (string, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if r.Header.Get("Authorization") != "" || r.Header.Get("Cookie") != "" {
			seen = append(seen, "WITH CREDENTIALS "+r.Method+" "+r.URL.Path)
		} else {
			seen = append(seen, r.Method+" "+r.URL.Path)
		}
		mu.Unlock()
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/version":
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]string{"hash": pushProxyHash, "version": pushProxyVersion})
		case r.Method == http.MethodGet && r.URL.Path == "/":
			_, _ = w.Write([]byte("<html><body>Mattermost Push Proxy</body></html>"))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(server.Close)
	return server.URL, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// logProbe prints the raw facts a reader of the test output wants to see.
func logProbe(t *testing.T, p contract.ProbeResult) {
	t.Helper()
	t.Logf("probe %s: %s — %s", p.ID, p.State, p.Summary)
	for _, c := range p.Calls {
		t.Logf("  %s → %d in %.0f ms: %.200s", c.Request, c.Status, c.DurationMs, c.Answer)
	}
	for _, f := range p.Facts {
		t.Logf("  %s: %s", f.Name, f.Value)
	}
}

func TestReadinessProbes(t *testing.T) {
	lockPlan(t) // the readiness report and the probe records are plugin-wide
	adminID := userID(t, env.adminClient)
	me, _, err := env.adminClient.GetMe(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	before := env.s.App.Config().Clone()
	t.Cleanup(func() {
		env.s.App.UpdateConfig(func(c *model.Config) {
			c.EmailSettings = before.EmailSettings
			c.LdapSettings = before.LdapSettings
		})
	})

	t.Run("SMTP at a sink on loopback passes, and the one test message goes to the admin", func(t *testing.T) {
		sink, err := mmserver.StartSMTPSink()
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = sink.Close() }()
		restore, err := env.s.UseSMTPSink(sink)
		if err != nil {
			t.Fatal(err)
		}
		defer restore()
		started := time.Now()
		rep := runProbes(t, "smtp")
		p := probeOf(t, rep, "smtp")
		logProbe(t, p)
		if p.State != contract.ProbeStatePassed || p.ProbedBy == nil || p.ProbedBy.UserID != adminID ||
			p.ProbedAt < float64(started.UnixMilli()) {
			t.Fatalf("smtp probe: %+v", p)
		}
		if factOf(p, "SMTP server") != sink.Addr() || len(p.Calls) != 1 ||
			p.Calls[0].Request != "POST /api/v4/email/test" || p.Calls[0].Status != 200 {
			t.Fatalf("smtp probe facts/calls: %+v", p)
		}
		msgs, err := sink.WaitFor(1, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if len(m.To) != 1 || !strings.EqualFold(m.To[0], me.Email) {
				t.Fatalf("the SMTP test sent to %v, want only the admin %s", m.To, me.Email)
			}
		}
		if c := checkOf(t, rep, "email.smtp"); c.Status != contract.CheckStatusOK || c.Verification != "probe" {
			t.Fatalf("email.smtp with a passing probe: %+v", c)
		}
	})

	t.Run("SMTP at a closed port fails, with the server's error, and fails its check", func(t *testing.T) {
		port := closedPort(t)
		env.s.App.UpdateConfig(func(c *model.Config) {
			c.EmailSettings.SMTPServer = new("127.0.0.1")
			c.EmailSettings.SMTPPort = new(port)
			c.EmailSettings.ConnectionSecurity = new("")
			c.EmailSettings.EnableSMTPAuth = new(false)
		})
		rep := runProbes(t, "smtp")
		p := probeOf(t, rep, "smtp")
		logProbe(t, p)
		if p.State != contract.ProbeStateFailed || factOf(p, "SMTP server") != "127.0.0.1:"+port {
			t.Fatalf("smtp probe at a closed port: %+v", p)
		}
		if p.Calls[0].Status != http.StatusInternalServerError || !strings.Contains(p.Calls[0].Answer, "app.admin.test_email.failure") {
			t.Fatalf("smtp probe's raw answer: %+v", p.Calls[0])
		}
		c := checkOf(t, rep, "email.smtp")
		if c.Status != contract.CheckStatusError || c.Verification != "probe" || c.Probe == nil || c.Probe.State != "failed" {
			t.Fatalf("email.smtp with a failing probe (the settings alone say ok): %+v", c)
		}
	})

	// The in-process server is built without the enterprise AD/LDAP component, so its own test answers
	// 501 ent.ldap.disabled.app_error whatever the directory does; the probe reports exactly that,
	// and the AD/LDAP checks stay on the settings alone (not shown as verified).
	t.Run("AD/LDAP at a URL that refuses: the server's real answer, no verdict", func(t *testing.T) {
		port, _ := strconv.Atoi(closedPort(t))
		env.s.App.UpdateConfig(func(c *model.Config) {
			l := &c.LdapSettings
			l.Enable = new(true)
			l.EnableSync = new(true)
			l.LdapServer = new("127.0.0.1")
			l.LdapPort = new(port)
			l.BaseDN = new("dc=cockpit,dc=invalid")
			l.EmailAttribute = new("mail")
			l.UsernameAttribute = new("uid")
			l.IdAttribute = new("entryUUID")
			l.LoginIdAttribute = new("uid")
		})
		if !*env.s.App.Config().LdapSettings.Enable {
			t.Fatal("the server refused the LDAP settings")
		}
		rep := runProbes(t, "ldap")
		p := probeOf(t, rep, "ldap")
		logProbe(t, p)
		if p.State != contract.ProbeStateUnavailable || p.Calls[0].Request != "POST /api/v4/ldap/test" ||
			p.Calls[0].Status != http.StatusNotImplemented ||
			!strings.Contains(p.Calls[0].Answer, "ent.ldap.disabled.app_error") {
			t.Fatalf("ldap probe: %+v", p)
		}
		for _, id := range []string{"ldap.enabled", "ldap.sync"} {
			if c := checkOf(t, rep, id); c.Verification == "probe" {
				t.Fatalf("%s shown as verified by a probe that had no verdict: %+v", id, c)
			}
		}
	})

	t.Run("push: a push proxy on loopback passes, a closed port fails, push off is not configured", func(t *testing.T) {
		proxy, asked := startPushProxy(t)
		usePush := func(on bool, server string) {
			env.s.App.UpdateConfig(func(c *model.Config) {
				c.EmailSettings.SendPushNotifications = new(on)
				c.EmailSettings.PushNotificationServer = new(server)
			})
			if got := env.s.App.Config().EmailSettings; *got.SendPushNotifications != on || *got.PushNotificationServer != server {
				t.Fatalf("the server refused the push settings %v %q", on, server)
			}
		}

		usePush(true, proxy)
		rep := runProbes(t, "push")
		p := probeOf(t, rep, "push")
		logProbe(t, p)
		if p.State != contract.ProbeStatePassed || factOf(p, "push notification server") != proxy ||
			factOf(p, "push proxy version") != pushProxyVersion || factOf(p, "push proxy build") != pushProxyHash {
			t.Fatalf("push probe against the loopback proxy: %+v", p)
		}
		if len(p.Calls) != 2 || p.Calls[0].Request != "GET /version" || p.Calls[0].Status != 200 || p.Calls[1].Request != "GET /" {
			t.Fatalf("push probe calls: %+v", p.Calls)
		}
		if got := asked(); strings.Join(got, " ") != "GET /version GET /" {
			t.Fatalf("the push proxy was asked %v, want GET /version then GET / with no credentials", got)
		}
		if c := checkOf(t, rep, "mobile.push"); c.Status != contract.CheckStatusOK || c.Verification != "probe" || c.Probe == nil {
			t.Fatalf("mobile.push with a passing probe: %+v", c)
		}

		port := closedPort(t)
		usePush(true, "http://127.0.0.1:"+port)
		rep = runProbes(t, "push")
		p = probeOf(t, rep, "push")
		logProbe(t, p)
		if p.State != contract.ProbeStateFailed || p.Calls[0].Status != 0 || !strings.Contains(p.Summary, "refused") {
			t.Fatalf("push probe at a closed port: %+v", p)
		}
		if c := checkOf(t, rep, "mobile.push"); c.Status != contract.CheckStatusError || c.Verification != "probe" {
			t.Fatalf("mobile.push with a failing probe (the settings alone say ok): %+v", c)
		}

		usePush(false, proxy)
		rep = runProbes(t, "push")
		p = probeOf(t, rep, "push")
		if p.State != contract.ProbeStateNotConfigured || len(p.Calls) != 0 || len(asked()) != 2 {
			t.Fatalf("push probe with push off: %+v (proxy asked %v)", p, asked())
		}
		if c := checkOf(t, rep, "mobile.push"); c.Verification == "probe" {
			t.Fatalf("mobile.push with push off shown as verified by a probe: %+v", c)
		}
	})

	t.Run("cluster status on one node", func(t *testing.T) {
		p := probeOf(t, runProbes(t, "cluster"), "cluster")
		logProbe(t, p)
		if p.State != contract.ProbeStateNotConfigured || factOf(p, "nodes") != "0" || factOf(p, "clustering setting") != "off" ||
			p.Calls[0].Status != 200 || p.Calls[0].Answer != "[]" {
			t.Fatalf("cluster probe on a single server: %+v", p)
		}
	})

	// This build has no data retention worker (an enterprise one), so the job is written to the
	// server's job table as its scheduler would, then claimed and failed through the server's own job
	// service: what a failing worker leaves behind.
	t.Run("a data retention job made to fail by the server's job service fails the probe and its check", func(t *testing.T) {
		job, err := env.s.Srv.Store().Job().Save(&model.Job{
			Id: model.NewId(), Type: model.JobTypeDataRetention, CreateAt: model.GetMillis(),
			Status: model.JobStatusPending, Data: map[string]string{},
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = env.s.Srv.Store().Job().Delete(job.Id) })
		claimed, appErr := env.s.Srv.Jobs.ClaimJob(job)
		if appErr != nil || claimed == nil {
			t.Fatalf("claim: %v", appErr)
		}
		failure := model.NewAppError("cockpitE2E", "cockpit.e2e.retention_failed", nil,
			"the policy store was unreachable", http.StatusInternalServerError)
		if appErr := env.s.Srv.Jobs.SetJobError(claimed, failure); appErr != nil {
			t.Fatal(appErr)
		}
		rep := runProbes(t, "jobs")
		p := probeOf(t, rep, "jobs")
		logProbe(t, p)
		if p.State != contract.ProbeStateFailed || factOf(p, "data retention") != "1 failed" ||
			!strings.Contains(factOf(p, "data retention last error"), "the policy store was unreachable") {
			t.Fatalf("jobs probe: %+v", p)
		}
		c := checkOf(t, rep, "compliance.data-retention")
		if c.Status != contract.CheckStatusError || c.Verification != "probe" {
			t.Fatalf("compliance.data-retention with a failed job: %+v", c)
		}
	})

	t.Run("version: the newest release the server knows of, or unknown", func(t *testing.T) {
		rep := runProbes(t, "version")
		p := probeOf(t, rep, "version")
		logProbe(t, p)
		if p.Calls[0].Request != "GET /api/v4/latest_version" || factOf(p, "server version") != env.s.Version {
			t.Fatalf("version probe: %+v", p)
		}
		c := checkOf(t, rep, "server.version")
		switch p.State {
		case contract.ProbeStateUnknown:
			if c.Status == contract.CheckStatusOK || factOf(p, "newest release") != "unknown" {
				t.Fatalf("server.version with an unknown newest release: %+v", c)
			}
		case contract.ProbeStatePassed, contract.ProbeStateWarning:
			if c.Verification != "probe" {
				t.Fatalf("server.version: %+v", c)
			}
		default:
			t.Fatalf("version probe state %q", p.State)
		}
	})

	t.Run("the cached answers keep who ran them; a member may not run probes", func(t *testing.T) {
		g := call(t, http.MethodGet, "/api/v1/readiness", env.adminClient.AuthToken, nil)
		var rep contract.ReadinessReport
		if g.Status != http.StatusOK || json.Unmarshal(g.Body, &rep) != nil {
			t.Fatalf("GET /api/v1/readiness: %s", g)
		}
		for _, id := range []string{"smtp", "ldap", "cluster", "jobs", "version"} {
			if p := probeOf(t, rep, id); p.ProbedBy == nil || p.ProbedBy.UserID != adminID {
				t.Fatalf("cached %s probe: %+v", id, p)
			}
		}
		member, err := env.s.Login(env.member)
		if err != nil {
			t.Fatal(err)
		}
		if r := call(t, http.MethodPost, "/api/v1/readiness/probes/run", member.AuthToken, []byte(`{}`)); r.Status != http.StatusForbidden {
			t.Fatalf("member: %s, want 403", r)
		}
	})
}
