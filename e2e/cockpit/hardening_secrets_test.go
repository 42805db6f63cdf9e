package cockpit

// The one secret the plugin keeps, the moderation bot's access token (KV `tpl:credential`, see
// server/src/templates/credential.ts), never leaves the server: with the credential granted, no GET
// route of the route table (as a system admin, JSON and CSV variants of the exports) answers it,
// and no other KV key (audit entries included) holds it.

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

const (
	credentialRoute       = "/api/v1/templates/credential"
	credentialGrantRoute  = "/api/v1/templates/credential/grant"
	credentialRevokeRoute = "/api/v1/templates/credential/revoke"
)

func TestHardeningCredentialNeverLeaves(t *testing.T) {
	routes := loadRouteTable(t)
	f := hardeningCallers(t)
	tok := f.admin.token

	r := requestRoute(t, http.MethodGet, credentialRoute, tok, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s: %s", credentialRoute, r)
	}
	var status contract.CredentialStatus
	if err := json.Unmarshal(r.Body, &status); err != nil {
		t.Fatal(err)
	}
	if !status.Granted {
		if g := requestRoute(t, http.MethodPost, credentialGrantRoute, tok, []byte(`{}`)); g.Status != http.StatusOK {
			t.Fatalf("grant the credential: %s", g)
		}
		// Leave it as found: not granted.
		t.Cleanup(func() {
			if rv := requestRoute(t, http.MethodPost, credentialRevokeRoute, tok, []byte(`{}`)); rv.Status != http.StatusOK {
				t.Errorf("revoke the credential: %s", rv)
			}
		})
	}

	var raw []byte
	if err := env.s.DB().QueryRowContext(
		ctx(t),
		`SELECT PValue FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey = 'tpl:credential'`,
		mmserver.PluginID,
	).Scan(&raw); err != nil {
		t.Fatalf("read tpl:credential: %v", err)
	}
	var stored struct {
		Token string `json:"token"`
	}
	if err := json.Unmarshal(raw, &stored); err != nil || len(stored.Token) < 20 {
		t.Fatalf("tpl:credential holds no token (%v): the test would prove nothing", err)
	}
	secret := stored.Token

	checked := 0
	for _, rt := range routes {
		if rt.Method != http.MethodGet {
			continue
		}
		base := f.fillRoute(rt).url
		variants := []string{base}
		if strings.HasSuffix(rt.Path, "/export") {
			sep := "?"
			if strings.Contains(base, "?") {
				sep = "&"
			}
			variants = append(variants, base+sep+"format=csv", base+sep+"format=json")
		}
		for _, u := range variants {
			res := requestRoute(t, http.MethodGet, u, tok, nil)
			checked++
			if strings.Contains(string(res.Body), secret) {
				t.Errorf("GET %s answers the moderation token", u)
			}
			for name, values := range res.Header {
				if strings.Contains(strings.Join(values, " "), secret) {
					t.Errorf("GET %s answers the moderation token in header %s", u, name)
				}
			}
		}
	}
	var leaks []string
	rows, err := env.s.DB().QueryContext(ctx(t),
		`SELECT PKey FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey <> 'tpl:credential' AND position(convert_to($2, `+
			`'UTF8') in COALESCE(PValue, ''::bytea)) > 0`,
		mmserver.PluginID, secret)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		leaks = append(leaks, k)
	}
	if len(leaks) > 0 {
		t.Errorf("KV keys other than tpl:credential hold the token: %s", strings.Join(leaks, ", "))
	}
	t.Logf("moderation token absent from %d GET answers (every GET route, exports as CSV and JSON) and from every other KV key", checked)
}
