package cockpit

// Staging → production on two real servers: the package server plays staging (a few settings changed
// through the REST API), a fresh server with its own database plays production. The cockpit on
// production applies the picked differences of staging's snapshot, the server reads them back, a
// rollback leaves GET /api/v4/config byte for byte as before, and the exported patch applied by the
// server's own PUT /api/v4/config/patch (what `mmctl config patch` calls) gives the same config as the
// cockpit's apply.

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// stagingSettings are changed on the package server for the test and restored after it.
var stagingSettings = map[string]any{
	"PasswordSettings.MinimumLength":                  12,
	"ServiceSettings.SessionLengthWebInHours":         200,
	"TeamSettings.MaxUsersPerTeam":                    5000,
	"TeamSettings.EnableCustomUserStatuses":           false,
	"ServiceSettings.EnableMultifactorAuthentication": true,
}

func nestedPatch(flat map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for key, value := range flat {
		section, name, _ := strings.Cut(key, ".")
		if out[section] == nil {
			out[section] = map[string]any{}
		}
		out[section][name] = value
	}
	return out
}

// rawConfig is GET /api/v4/config as the server sends it.
func rawConfig(t *testing.T, base, token string) []byte {
	t.Helper()
	resp, body := do(t, http.MethodGet, base+"/api/v4/config", token, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v4/config: %d %s", resp.StatusCode, body)
	}
	return body
}

func putConfigPatch(t *testing.T, base, token string, patch any) {
	t.Helper()
	resp, body := do(t, http.MethodPut, base+"/api/v4/config/patch", token, bytes.NewReader(mustJSON(t, patch)))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT /api/v4/config/patch: %d %s", resp.StatusCode, body)
	}
}

func configValue(t *testing.T, raw []byte, key string) any {
	t.Helper()
	var config map[string]any
	if err := json.Unmarshal(raw, &config); err != nil {
		t.Fatal(err)
	}
	var node any = config
	for part := range strings.SplitSeq(key, ".") {
		node = node.(map[string]any)[part]
	}
	return node
}

func TestStagingToProduction(t *testing.T) {
	tok := env.adminClient.AuthToken

	// Staging: the package server with its settings changed, restored afterwards.
	original := rawConfig(t, env.s.URL, tok)
	restore := map[string]any{}
	for key := range stagingSettings {
		restore[key] = configValue(t, original, key)
	}
	putConfigPatch(t, env.s.URL, tok, nestedPatch(stagingSettings))
	t.Cleanup(func() { putConfigPatch(t, env.s.URL, tok, nestedPatch(restore)) })

	snap := call(t, http.MethodGet, "/api/v1/config/snapshot", tok, nil)
	if snap.Status != http.StatusOK {
		t.Fatalf("staging snapshot: %s", snap)
	}
	var snapshot map[string]any
	if err := json.Unmarshal(snap.Body, &snapshot); err != nil {
		t.Fatal(err)
	}
	settings := snapshot["settings"].(map[string]any)
	for key := range settings {
		if strings.HasPrefix(key, "SqlSettings.") || strings.HasPrefix(key, "ClusterSettings.") || key == "ServiceSettings.SiteURL" ||
			strings.HasPrefix(key, "FileSettings.Directory") || strings.HasPrefix(key, "FileSettings.DriverName") {
			t.Errorf("the snapshot carries the environment-specific %s", key)
		}
	}

	// Production: a fresh server with its own database.
	t0 := time.Now()
	prod, err := mmserver.Start(mmserver.Options{})
	if err != nil {
		t.Fatalf("production server: %v", err)
	}
	defer prod.Close()
	if _, err = prod.CreateUser("prod-admin", mmserver.UserOptions{SystemAdmin: true}); err != nil {
		t.Fatal(err)
	}
	pc, err := prod.Login("prod-admin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mmserver.InstallPlugin(pc, env.bundle); err != nil {
		t.Fatal(err)
	}
	t.Logf("production server %s (db %s) with the plugin in %s", prod.URL, prod.DBName, time.Since(t0).Round(time.Millisecond))
	ptok := pc.AuthToken

	// The comparison lists the changed settings, never an environment-specific one.
	cmp := callAt(t, prod.URL, http.MethodPost, "/api/v1/config/compare", ptok, mustJSON(t, map[string]any{"snapshot": snapshot}))
	var differences contract.SettingDifferences
	if cmp.Status != http.StatusOK || json.Unmarshal(cmp.Body, &differences) != nil {
		t.Fatalf("compare: %s", cmp)
	}
	listed := map[string]bool{}
	for _, d := range differences {
		listed[d.Key] = true
		if strings.HasPrefix(d.Key, "SqlSettings.") || d.Key == "ServiceSettings.SiteURL" {
			t.Errorf("compare lists the environment-specific %s", d.Key)
		}
	}
	picked := make([]string, 0, len(stagingSettings))
	for key := range stagingSettings {
		if !listed[key] {
			t.Fatalf("compare does not list %s: %s", key, cmp)
		}
		picked = append(picked, key)
	}
	sort.Strings(picked)

	before := rawConfig(t, prod.URL, ptok)

	// The exact patch.
	pv := callAt(t, prod.URL, http.MethodPost, "/api/v1/config/patch/preview", ptok,
		mustJSON(t, map[string]any{"snapshot": snapshot, "keys": picked}))
	var preview contract.ConfigPatchPreview
	if pv.Status != http.StatusOK || json.Unmarshal(pv.Body, &preview) != nil {
		t.Fatalf("preview: %s", pv)
	}
	wantPatch, _ := json.Marshal(nestedPatch(stagingSettings))
	gotPatch, _ := json.Marshal(preview.Patch)
	if !bytes.Equal(gotPatch, wantPatch) {
		t.Fatalf("preview patch %s, want %s", gotPatch, wantPatch)
	}

	// The Site URL (hand-added to the file) is refused with a 400 naming it; nothing changes.
	tampered := map[string]any{}
	maps.Copy(tampered, snapshot)
	tamperedSettings := map[string]any{"ServiceSettings.SiteURL": "https://staging.example"}
	maps.Copy(tamperedSettings, settings)
	tampered["settings"] = tamperedSettings
	refused := callAt(t, prod.URL, http.MethodPost, "/api/v1/config/apply", ptok, mustJSON(t, map[string]any{
		"expected_version": 0, "snapshot": tampered, "keys": append([]string{"ServiceSettings.SiteURL"}, picked...),
	}))
	if refused.Status != http.StatusBadRequest {
		t.Fatalf("apply with the Site URL: %s", refused)
	}
	if id, msg := refused.errorBody(t); id != "cockpit.config.not_promotable" || !strings.Contains(msg, "ServiceSettings.SiteURL") {
		t.Errorf("apply with the Site URL: %s %s", id, msg)
	}
	if !bytes.Equal(rawConfig(t, prod.URL, ptok), before) {
		t.Fatal("a refused apply changed the config")
	}

	// Apply: read back by the server itself.
	ap := callAt(t, prod.URL, http.MethodPost, "/api/v1/config/apply", ptok, mustJSON(t, map[string]any{
		"expected_version": 0, "snapshot": snapshot, "keys": picked,
	}))
	var applied contract.ConfigApply
	if ap.Status != http.StatusOK || json.Unmarshal(ap.Body, &applied) != nil {
		t.Fatalf("apply: %s", ap)
	}
	if len(applied.NotApplied) != 0 || applied.Seq != 1 {
		t.Fatalf("apply: %s", ap)
	}
	afterApply := rawConfig(t, prod.URL, ptok)
	for key, want := range stagingSettings {
		got := configValue(t, afterApply, key)
		if wantJSON, gotJSON := mustJSON(t, want), mustJSON(t, got); !bytes.Equal(wantJSON, gotJSON) {
			t.Errorf("after apply %s = %s, want %s", key, gotJSON, wantJSON)
		}
	}
	if configValue(t, afterApply, "ServiceSettings.SiteURL") != configValue(t, before, "ServiceSettings.SiteURL") {
		t.Error("the apply changed production's Site URL")
	}

	// Rollback: byte for byte.
	rb := callAt(t, prod.URL, http.MethodPost, "/api/v1/config/rollback", ptok,
		mustJSON(t, map[string]any{"expected_version": 1, "seq": 1}))
	if rb.Status != http.StatusOK {
		t.Fatalf("rollback: %s", rb)
	}
	if afterRollback := rawConfig(t, prod.URL, ptok); !bytes.Equal(afterRollback, before) {
		t.Fatalf("after the rollback GET /api/v4/config differs from before the apply (%d vs %d bytes)", len(afterRollback), len(before))
	}

	// The exported file (the preview's patch) through the server's own patch route: the same config as the cockpit's apply.
	putConfigPatch(t, prod.URL, ptok, preview.Patch)
	if viaServer := rawConfig(t, prod.URL, ptok); !bytes.Equal(viaServer, afterApply) {
		t.Fatalf("the exported patch applied by PUT /api/v4/config/patch gives another config than the cockpit's apply")
	}
	// And back to the start, by a rollback of the cockpit's change (it restores the values it replaced).
	again := mustJSON(t, map[string]any{"expected_version": 2, "seq": 1})
	if r := callAt(t, prod.URL, http.MethodPost, "/api/v1/config/rollback", ptok, again); r.Status != http.StatusOK {
		t.Fatalf("second rollback: %s", r)
	}
	if !bytes.Equal(rawConfig(t, prod.URL, ptok), before) {
		t.Fatal("the second rollback did not restore the config")
	}

	// Audited on production, by its admin.
	a := callAt(t, prod.URL, http.MethodGet, "/api/v1/audit", ptok, nil)
	var page contract.AuditPage
	if err := json.Unmarshal(a.Body, &page); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range page.Entries {
		if strings.HasPrefix(e.Action, "config.") {
			actions = append(actions, e.Action)
			if e.UserID != userID(t, pc) {
				t.Errorf("audit entry %s by %s", e.Action, e.UserID)
			}
		}
	}
	if strings.Join(actions, ",") != "config.rollback,config.rollback,config.apply" {
		t.Errorf("production's config audit entries (newest first): %v", actions)
	}
}
