package cockpit

// TestBrowserJourney runs e2e/browser/journey.spec.mjs under every host profile: the admin adds a
// follow-up to a new wave in the journey editor, previews it with their own real state and saves it;
// afterwards this test reads the saved journey through the API. Screenshot:
// ARTIFACTS_DIR/journey-editor-<profile>.png. The spec then makes a second follow-up a survey (edited,
// previewed, saved) and opens the results of a wave whose survey two people answered through the real
// dialog route (made once here): ARTIFACTS_DIR/survey-results-<profile>.png.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

func TestBrowserJourney(t *testing.T) {
	surveyWave := answeredSurveyWave(t)
	forEachHostProfile(t, func(t *testing.T, profile string) { testBrowserJourney(t, profile, surveyWave) })
}

func testBrowserJourney(t *testing.T, profile, surveyWave string) {
	sfx := strings.ToLower(model.NewId()[:6])
	waveName := "Journey in the browser " + profile + " " + sfx
	tip := "Tip-" + sfx
	runBrowserSpecAs(t, profile, "journey.spec.mjs", "ARTIFACTS_DIR="+artifactsDir(), "WAVE_NAME="+waveName, "JOURNEY_TIP="+tip,
		"SURVEY_WAVE="+surveyWave)

	token := tokenOf(t, env.admin)
	var list contract.WaveSummaryList
	waveCall(t, http.MethodGet, "/api/v1/waves", token, nil, http.StatusOK, &list)
	for _, w := range list {
		if w.Name != waveName {
			continue
		}
		var journey contract.JourneyResponse
		waveCall(t, http.MethodGet, "/api/v1/waves/"+w.ID+"/journey", token, nil, http.StatusOK, &journey)
		if len(journey.Steps) != 2 || journey.Steps[1].Survey == nil || len(journey.Steps[1].Survey.Questions) != 2 ||
			journey.Steps[0].DelayMinutes != 60 || journey.Steps[0].Condition == nil ||
			*journey.Steps[0].Condition != "no_mobile_session" || !strings.HasPrefix(journey.Steps[0].Template, tip) {
			t.Fatalf("saved journey: %+v", journey)
		}
		return
	}
	t.Fatalf("no wave named %q", waveName)
}
