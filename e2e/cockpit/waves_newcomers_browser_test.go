package cockpit

// TestBrowserWavesNewcomers runs e2e/browser/waves_newcomers.spec.mjs under every host profile: the
// system admin uploads a cohort file with named columns (existing accounts, new email, SAML and LDAP
// people) through the file input, sees the dry run count the people to invite, then to create, previews
// the invitation for one person (the server's rendering in a sandboxed frame) and test-sends it to
// themself, writes and previews a German invitation through the language picker, launches the wave and
// watches it complete and the funnel count the created accounts. Afterwards this test checks what the
// browser did: the German text is saved beside the fallback, the accounts exist with their auth
// services, the test-send and one invitation per person arrived at the SMTP sink. Screenshots:
// ARTIFACTS_DIR/waves-newcomers-editor.png and waves-newcomers-run.png.

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func TestBrowserWavesNewcomers(t *testing.T) { forEachHostProfile(t, testBrowserWavesNewcomers) }

func testBrowserWavesNewcomers(t *testing.T, profile string) {
	sfx := strings.ToLower(model.NewId()[:6])
	directorySignIn(t)
	sink := mailToSink(t)
	team, err := env.s.CreateTeam("wnb" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	channel, err := env.s.CreateChannel(team, "hello"+sfx, false)
	if err != nil {
		t.Fatal(err)
	}
	existing, err := env.s.CreateUsers(4, mmserver.UserOptions{Prefix: "wnb" + sfx + "-"})
	if err != nil {
		t.Fatal(err)
	}
	file := planNewcomerFile(10, 0, existing, sfx)
	csvPath := filepath.Join(t.TempDir(), "people.csv")
	if err = os.WriteFile(csvPath, []byte(file.csvText()), 0o600); err != nil {
		t.Fatal(err)
	}
	emailPerson := file.newEmail[0]
	marker := "Browser-invitation-" + sfx
	waveName := "Newcomers in the browser " + sfx
	existingN := len(file.existingByEmail) + len(file.existingByName)

	runBrowserSpecAs(t, profile, "waves_newcomers.spec.mjs",
		"ARTIFACTS_DIR="+artifactsDir(),
		"WAVE_CSV="+csvPath,
		"WAVE_NAME="+waveName,
		"WAVE_TEAM="+team.DisplayName,
		"WAVE_CHANNEL="+channel.DisplayName,
		fmt.Sprintf("WAVE_EXISTING=%d", existingN),
		fmt.Sprintf("WAVE_NEWCOMERS=%d", len(file.newcomers)),
		fmt.Sprintf("WAVE_ROWS=%d", len(file.people)),
		fmt.Sprintf("PREVIEW_LINE=%d", emailPerson.line),
		"PREVIEW_EMAIL="+emailPerson.email,
		"PREVIEW_FIRST_NAME="+emailPerson.cells["first_name"],
		"INVITATION_MARKER="+marker,
		"SITE_URL="+env.s.SiteURL(),
	)

	// The wave the browser built and launched, as the API sees it.
	token := tokenOf(t, env.admin)
	var list contract.WaveSummaryList
	waveCall(t, http.MethodGet, "/api/v1/waves", token, nil, http.StatusOK, &list)
	var waveID string
	for _, w := range list {
		if w.Name == waveName {
			waveID = w.ID
			c := w.Progress.Counts
			if w.State != contract.WaveStateCompleted || c.Created != len(file.newcomers) || c.Added != existingN || c.Failed != 0 {
				t.Fatalf("wave %s: state %s, progress %+v", w.ID, w.State, w.Progress)
			}
		}
	}
	if waveID == "" {
		t.Fatalf("no wave named %q in GET /api/v1/waves", waveName)
	}

	// The German text the browser wrote through the language picker is saved beside the fallback.
	var saved contract.WaveResponse
	waveCall(t, http.MethodGet, "/api/v1/waves/"+waveID, token, nil, http.StatusOK, &saved)
	inv := saved.Definition.Invitation
	if de, ok := inv.Translations["de"]; !ok || de.Subject != marker+" für {{first_name}}" || inv.Subject != marker+" for {{first_name}}" {
		t.Fatalf("invitation as saved: fallback %q, translations %+v", inv.Subject, inv.Translations)
	}
	var emails []string
	for _, p := range file.newcomers {
		emails = append(emails, p.email)
	}
	accounts := usersByEmail(t, emails)
	for _, p := range file.newcomers {
		if len(accounts[p.email]) != 1 {
			t.Fatalf("%s: %d accounts", p.email, len(accounts[p.email]))
		}
		checkCreatedAccount(t, p, accounts[p.email][0])
	}

	// At the sink: the admin's test-send, and one invitation per person of the wave.
	admin, _, err := env.adminClient.GetUserByUsername(ctx(t), env.admin, "")
	if err != nil {
		t.Fatal(err)
	}
	mails := byRecipient(sink, marker)
	if len(mails[strings.ToLower(admin.Email)]) != 1 {
		t.Fatalf("the admin has %d test-sends at the sink", len(mails[strings.ToLower(admin.Email)]))
	}
	for _, p := range file.people {
		email := p.email
		if p.existing != nil {
			email = strings.ToLower(p.existing.Email)
		}
		if k := len(mails[email]); k != 1 {
			t.Fatalf("%s received %d invitations", email, k)
		}
	}
	if len(mails) != len(file.people)+1 {
		t.Fatalf("mail with the marker went to %d addresses, want %d: %v", len(mails), len(file.people)+1, keys(mails))
	}
}
