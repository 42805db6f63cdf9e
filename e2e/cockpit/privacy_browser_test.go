package cockpit

// The personal-data panel in a real browser.

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

func recordsTotal(r contract.PersonRecords) int {
	return r.WaveResults + r.WaveMarkers + r.CohortRows + r.FeedbackAnswers + r.JourneyProgress + r.SurveyAnswers +
		r.PlanTasks + r.Reminders + r.AccessLists
}

func lookupPerson(t *testing.T, token, term string) contract.PersonLookup {
	t.Helper()
	var lookup contract.PersonLookup
	waveCall(t, http.MethodGet, "/api/v1/privacy/people?term="+url.QueryEscape(term), token, nil, http.StatusOK, &lookup)
	return lookup
}

// TestBrowserPrivacy runs e2e/browser/privacy.spec.mjs under every host profile: two people go through a
// finished wave (their results and markers are the cockpit's records of them); the admin finds the first
// by username in the Waves tab's personal-data panel, sees the count the server's lookup gives, cancels
// once, erases, and sees that many records erased and none left. The server's lookup then finds nothing
// naming them, and the other person's records are untouched. Screenshot: e2e/artifacts/privacy.png (the
// other profile's with its suffix).
func TestBrowserPrivacy(t *testing.T) { forEachHostProfile(t, testBrowserPrivacy) }

func testBrowserPrivacy(t *testing.T, profile string) {
	token := tokenOf(t, env.admin)
	source, target, users, sfx := waveFixtureUsers(t, "wpriv", 2)
	wave := createWave(t, token, map[string]any{
		"name":    "Privacy " + profile + " " + sfx,
		"cohort":  map[string]any{"team_ids": []string{source.Id}},
		"targets": map[string]any{"teams": []map[string]any{{"team_id": target.Id}}},
	})
	if final := runWave(t, token, wave); final.State != "completed" || final.Counts.Welcomed != 2 {
		t.Fatalf("wave: %+v", final)
	}
	person, other := users[0], users[1]
	before := recordsTotal(lookupPerson(t, token, person.Username).Records)
	otherBefore := lookupPerson(t, token, other.Username).Records

	shot := artifactPath("PRIVACY_SCREENSHOT_PATH", "privacy.png")
	runBrowserSpecAs(t, profile, "privacy.spec.mjs",
		"PERSON_USERNAME="+person.Username, "PERSON_EMAIL="+person.Email,
		"EXPECT_RECORDS="+strconv.Itoa(before), "PRIVACY_SCREENSHOT_PATH="+shot)

	after := lookupPerson(t, token, person.Username)
	if after.User == nil || after.User.ID != person.Id || recordsTotal(after.Records) != 0 {
		t.Errorf("after the browser erased %s: %+v", person.Username, after)
	}
	if otherAfter := lookupPerson(t, token, other.Username).Records; otherAfter != otherBefore {
		t.Errorf("the other person's records changed: %+v, were %+v", otherAfter, otherBefore)
	}
	t.Logf("screenshot: %s (%v records erased)", shot, before)
}
