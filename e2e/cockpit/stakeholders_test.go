package cockpit

// The stakeholder status page against the real server: who may read it (a listed user, a member of a
// listed custom group, system admins; everybody else 403), that it carries no per-user data, and that
// its numbers are the ones the admin routes show (plan, waves, adoption).

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

func getStakeholderAccess(t *testing.T) contract.StakeholderAccessResponse {
	t.Helper()
	var a contract.StakeholderAccessResponse
	waveCall(t, http.MethodGet, "/api/v1/stakeholders/access", env.adminClient.AuthToken, nil, http.StatusOK, &a)
	return a
}

func putStakeholderAccess(t *testing.T, token string, version int, usernames, groups []string) apiResult {
	t.Helper()
	if usernames == nil {
		usernames = []string{}
	}
	if groups == nil {
		groups = []string{}
	}
	return call(t, http.MethodPut, "/api/v1/stakeholders/access", token, mustJSON(t, map[string]any{
		"expected_version": version, "usernames": usernames, "group_names": groups,
	}))
}

// restoreStakeholderAccess puts the access list back as it was when the test started.
func restoreStakeholderAccess(t *testing.T) {
	before := getStakeholderAccess(t)
	t.Cleanup(func() {
		var users, groups []string
		for _, u := range before.Users {
			if !u.Missing {
				users = append(users, u.Username)
			}
		}
		for _, g := range before.Groups {
			if !g.Missing {
				groups = append(groups, g.Name)
			}
		}
		current := getStakeholderAccess(t)
		if r := putStakeholderAccess(
			t,
			env.adminClient.AuthToken,
			current.Version,
			append([]string{}, users...),
			append([]string{}, groups...),
		); r.Status != http.StatusOK {
			t.Errorf("restore the stakeholder access list: %s", r)
		}
	})
}

// stakeholderUsers creates n users of team A who can log in (mmserver.DefaultPassword).
func stakeholderUsers(t *testing.T, n int) []*model.User {
	t.Helper()
	users, err := env.s.CreateUsers(n, mmserver.UserOptions{Prefix: "stake" + model.NewId()[:6] + "-", Teams: []*model.Team{env.teamA}})
	if err != nil {
		t.Fatal(err)
	}
	return users
}

// assertNoPerUserData fails when any user id, username or email of the server (read from its
// database) appears in body, or anything shaped like an id or an email address does.
func assertNoPerUserData(t *testing.T, body []byte) {
	t.Helper()
	rows, err := env.s.DB().QueryContext(ctx(t), `SELECT Id, Username, Email FROM Users`)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	text := string(body)
	checked := 0
	for rows.Next() {
		var id, username, email string
		if err := rows.Scan(&id, &username, &email); err != nil {
			t.Fatal(err)
		}
		for _, value := range []string{id, `"` + username + `"`, email} {
			if value != "" && value != `""` && strings.Contains(text, value) {
				t.Errorf("the status answer contains per-user data %q: %s", value, text)
			}
		}
		checked++
	}
	if checked < 5 {
		t.Fatalf("only %d users checked", checked)
	}
	if m := regexp.MustCompile(`"[a-z0-9]{26}"`).FindString(text); m != "" {
		t.Errorf("the status answer carries an id-shaped value %s", m)
	}
	if m := regexp.MustCompile(`[\w.+-]+@[\w-]+\.[\w.]+`).FindString(text); m != "" {
		t.Errorf("the status answer carries an email-shaped value %s", m)
	}
}

func TestStakeholderStatusAccess(t *testing.T) {
	restoreStakeholderAccess(t)
	people := stakeholderUsers(t, 3)
	manager, helpdesk, outsider := people[0], people[1], people[2]

	// A custom group (Enterprise licence) with the help-desk user in it.
	groupName := "helpdesk" + model.NewId()[:8]
	group, _, err := env.adminClient.CreateGroup(ctx(t), &model.Group{
		Name: new(groupName), DisplayName: "Help desk " + groupName[8:], Source: model.GroupSourceCustom, AllowReference: true,
	})
	if err != nil {
		t.Fatalf("create a custom group: %v", err)
	}
	if _, _, err := env.adminClient.UpsertGroupMembers(
		ctx(t),
		group.Id,
		&model.GroupModifyMembers{UserIds: []string{helpdesk.Id}},
	); err != nil {
		t.Fatal(err)
	}

	memberToken := tokenOf(t, env.member)
	token := func(u *model.User) string { return tokenOf(t, u.Username) }
	status := func(tok string) apiResult { return call(t, http.MethodGet, "/api/v1/stakeholders/status", tok, nil) }

	// Nobody listed yet by this test: the people it created get 403, the admin 200, no session 401.
	for _, u := range people {
		if r := status(token(u)); r.Status != http.StatusForbidden {
			t.Fatalf("%s before being listed: %s, want 403", u.Username, r)
		}
	}
	if r := status(env.adminClient.AuthToken); r.Status != http.StatusOK {
		t.Fatalf("system admin: %s", r)
	}
	if r := status(""); r.Status != http.StatusUnauthorized {
		t.Fatalf("no session: %s, want 401", r)
	}

	// The member persona and the manager by name, the help desk through the group.
	before := getStakeholderAccess(t)
	r := putStakeholderAccess(t, env.adminClient.AuthToken, before.Version, []string{env.member, manager.Username}, []string{groupName})
	if r.Status != http.StatusOK {
		t.Fatalf("PUT access: %s", r)
	}
	var saved contract.StakeholderAccessResponse
	if err := json.Unmarshal(r.Body, &saved); err != nil {
		t.Fatal(err)
	}
	if saved.Version != before.Version+1 || len(saved.Users) != 2 || saved.Users[1].ID != manager.Id || len(saved.Groups) != 1 ||
		saved.Groups[0].ID != group.Id {
		t.Fatalf("saved access: %+v", saved)
	}

	for name, tok := range map[string]string{
		"member persona": memberToken,
		"listed manager": token(manager),
		"group member":   token(helpdesk),
	} {
		r := status(tok)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %s, want 200", name, r)
		}
		assertNoPerUserData(t, r.Body)
	}
	if r := status(token(outsider)); r.Status != http.StatusForbidden {
		t.Fatalf("a member nobody listed: %s, want 403", r)
	}

	// Stakeholders may read the page, not the list or change it.
	if r := call(t, http.MethodGet, "/api/v1/stakeholders/access", token(manager), nil); r.Status != http.StatusForbidden {
		t.Errorf("stakeholder GET access: %s, want 403", r)
	}
	if r := putStakeholderAccess(t, token(manager), saved.Version, []string{outsider.Username}, nil); r.Status != http.StatusForbidden {
		t.Errorf("stakeholder PUT access: %s, want 403", r)
	}

	// Bad input and a stale version change nothing.
	if r := putStakeholderAccess(
		t,
		env.adminClient.AuthToken,
		saved.Version,
		[]string{"nobody-" + model.NewId()[:8]},
		nil,
	); r.Status != http.StatusBadRequest {
		t.Errorf("unknown user: %s, want 400", r)
	}
	if r := putStakeholderAccess(t, env.adminClient.AuthToken, before.Version, nil, nil); r.Status != http.StatusConflict {
		t.Errorf("stale version: %s, want 409", r)
	}
	if got := getStakeholderAccess(t); got.Version != saved.Version || len(got.Users) != 2 {
		t.Fatalf("access changed by refused writes: %+v", got)
	}

	// Leaving the group ends the access at once.
	if _, _, err := env.adminClient.DeleteGroupMembers(
		ctx(t),
		group.Id,
		&model.GroupModifyMembers{UserIds: []string{helpdesk.Id}},
	); err != nil {
		t.Fatal(err)
	}
	if r := status(token(helpdesk)); r.Status != http.StatusForbidden {
		t.Fatalf("after leaving the group: %s, want 403", r)
	}
}

// The page's numbers are the admin routes' numbers: plan progress per phase, every wave with its
// state and counts (a completed one and a scheduled one created here), the cached adoption numbers.
func TestStakeholderStatusMatchesTheCockpit(t *testing.T) {
	restoreStakeholderAccess(t)
	admin := env.adminClient.AuthToken
	sfx := model.NewId()[:6]
	source, err := env.s.CreateTeam("shsrc" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	target, err := env.s.CreateTeam("shdst" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.s.CreateUsers(4, mmserver.UserOptions{Prefix: "shw" + sfx + "-", Teams: []*model.Team{source}}); err != nil {
		t.Fatal(err)
	}
	draftWave := func(name string) contract.WaveResponse {
		return createWave(t, admin, map[string]any{
			"name": name, "cohort": map[string]any{"team_ids": []string{source.Id}}, "targets": map[string]any{
				"teams": []any{map[string]any{"team_id": target.Id}},
			},
		})
	}
	pilotName, laterName := "Stakeholder pilot "+sfx, "Stakeholder wave 2 "+sfx
	startWave(t, admin, draftWave(pilotName))
	startAt := time.Now().Add(48 * time.Hour)
	later := scheduleWave(t, admin, draftWave(laterName), startAt).ID
	t.Cleanup(func() {
		waveCall(t, http.MethodPost, "/api/v1/waves/"+later+"/cancel", admin, map[string]any{}, http.StatusOK, nil)
	})

	// The pilot's 4 people are processed by the engine (at start, then by its job).
	var waves contract.WaveSummaryList
	if err := mmserver.WaitFor(60*time.Second, func() error {
		waveCall(t, http.MethodGet, "/api/v1/waves", admin, nil, http.StatusOK, &waves)
		for _, w := range waves {
			if w.Name == pilotName && w.State != contract.WaveStateCompleted {
				return fmt.Errorf("pilot is %s", w.State)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	current := getStakeholderAccess(t)
	if r := putStakeholderAccess(t, admin, current.Version, []string{env.member}, nil); r.Status != http.StatusOK {
		t.Fatalf("PUT access: %s", r)
	}
	r := call(t, http.MethodGet, "/api/v1/stakeholders/status", tokenOf(t, env.member), nil)
	if r.Status != http.StatusOK {
		t.Fatalf("member GET status: %s", r)
	}
	assertNoPerUserData(t, r.Body)
	var got contract.StakeholderStatus
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatal(err)
	}

	var plan contract.PlanResponse
	waveCall(t, http.MethodGet, "/api/v1/plan", admin, nil, http.StatusOK, &plan)
	if got.Plan.Title != plan.Plan.Title || got.Plan.Percent != plan.Progress.Percent || len(got.Plan.Phases) != len(plan.Plan.Phases) ||
		len(got.Plan.Phases) == 0 {
		t.Fatalf("plan: stakeholder %+v, cockpit %+v", got.Plan, plan.Progress)
	}
	for i, phase := range got.Plan.Phases {
		want := plan.Progress.Phases[i]
		if phase.Title != plan.Plan.Phases[i].Title || float64(phase.Required) != want.Required ||
			float64(phase.Completed) != want.Completed {
			t.Errorf("phase %d: stakeholder %+v, cockpit %s %+v", i, phase, plan.Plan.Phases[i].Title, want)
		}
	}

	waveCall(t, http.MethodGet, "/api/v1/waves", admin, nil, http.StatusOK, &waves)
	if len(got.Waves) != min(len(waves), 50) {
		t.Errorf("%d waves on the page, %d in the cockpit", len(got.Waves), len(waves))
	}
	byName := map[string]contract.StakeholderWave{}
	for _, w := range got.Waves {
		byName[w.Name] = w
	}
	for _, w := range waves {
		page, ok := byName[w.Name]
		if !ok {
			continue // names need not be unique; the ones created here are
		}
		if w.Name != pilotName && w.Name != laterName {
			continue
		}
		c := w.Progress.Counts
		if page.State != w.State || float64(page.Total) != w.Progress.Total || float64(page.Processed) != w.Progress.Processed ||
			page.Added != c.Added || page.AlreadyMember != c.AlreadyMember || page.Skipped != c.Skipped ||
			page.Failed != c.Failed || page.Welcomed != c.Welcomed {
			t.Errorf("wave %q: page %+v, cockpit %s %+v", w.Name, page, w.State, w.Progress)
		}
	}
	if p := byName[pilotName]; p.State != contract.WaveStateCompleted || p.Total != 4 || p.Added != 4 {
		t.Errorf("pilot on the page: %+v", p)
	}
	if l := byName[laterName]; l.State != contract.WaveStateScheduled || l.StartAt == nil || *l.StartAt != float64(startAt.UnixMilli()) {
		t.Errorf("scheduled wave on the page: %+v (start %d)", l, startAt.UnixMilli())
	}
	// Upcoming first: the scheduled wave comes before the completed pilot.
	order := map[string]int{}
	for i, w := range got.Waves {
		order[w.Name] = i
	}
	if order[laterName] > order[pilotName] {
		t.Errorf("the scheduled wave is listed after the completed one: %v", order)
	}

	a := getAdoption(t)
	// DeepEqual: the numbers hold a pointer (provisioned), compared by what it points to.
	if !a.Cached || got.Adoption.Numbers == nil || !reflect.DeepEqual(*got.Adoption.Numbers, a.Current.Numbers) ||
		got.Adoption.MeasuredAt == nil ||
		*got.Adoption.MeasuredAt != float64(a.Current.TakenAt) {
		t.Errorf("adoption: page %s, cockpit %s (cached %v)", mustJSON(t, got.Adoption), mustJSON(t, a.Current), a.Cached)
	}
}

// TestBrowserStakeholders runs e2e/browser/stakeholders.spec.mjs: the status page as a listed member
// (not an admin) sees it, a member nobody listed sees the refusal. Screenshot: artifacts/stakeholders.png.
func TestBrowserStakeholders(t *testing.T) {
	restoreStakeholderAccess(t)
	people := stakeholderUsers(t, 2)
	current := getStakeholderAccess(t)
	if r := putStakeholderAccess(
		t,
		env.adminClient.AuthToken,
		current.Version,
		[]string{people[0].Username},
		nil,
	); r.Status != http.StatusOK {
		t.Fatalf("PUT access: %s", r)
	}
	runBrowserSpec(t, "stakeholders.spec.mjs",
		"ARTIFACTS_DIR="+artifactsDir(),
		"STAKEHOLDER_USER="+people[0].Username,
		"OUTSIDER_USER="+people[1].Username,
		"USER_PASSWORD="+env.s.Password,
		"TEAM_NAME="+env.teamA.Name,
	)
}
