package cockpit

// Waves for people who have no account yet, on the real server with SAML and LDAP switched on and the
// server's email going to an SMTP sink on loopback.
//
// TestWaveNewcomersCreated: a cohort file of 1,000 rows (COCKPIT_NEWCOMER_ROWS) with named columns mixes
// existing accounts (matched by email and by username), new email, SAML and LDAP people and every kind
// of bad row; a wave in mode `create` into a team and two channels with the welcome DM and the
// invitation email. The dry run counts what was planted; the run is driven by the tick route and the
// plugin process is SIGKILLed at ~40 % and brought back. Then, from the database: one account per
// email with the file's auth service, auth data, names, locale and time zone, existing accounts
// unchanged, everyone in the team and the channels with exactly one welcome DM; at the sink exactly one
// invitation per person; bad rows reported with their line and reason and no account for them. An email
// person sets a password through the server's own reset email and signs in.
//
// TestWaveNewcomersInvited: a wave in mode `invite`: the invitation carries the team's invite link, the
// person signs up through it and the wave onboards the new account through the user-created hook.

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/cohort"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// newcomerRows is the size of TestWaveNewcomersCreated's file: COCKPIT_NEWCOMER_ROWS, default 1,000.
func newcomerRows(t *testing.T) int {
	if v := os.Getenv("COCKPIT_NEWCOMER_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 100 {
			t.Fatalf("COCKPIT_NEWCOMER_ROWS=%q: want a number ≥ 100", v)
		}
		return n
	}
	return 1000
}

// mailToSink starts an SMTP sink and points the server's email at it until the test ends.
func mailToSink(t *testing.T) *mmserver.SMTPSink {
	t.Helper()
	sink, err := mmserver.StartSMTPSink()
	if err != nil {
		t.Fatal(err)
	}
	restore, err := env.s.UseSMTPSink(sink)
	if err != nil {
		_ = sink.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		restore()
		_ = sink.Close()
	})
	return sink
}

// directorySignIn switches SAML and LDAP on until the test ends.
func directorySignIn(t *testing.T) {
	t.Helper()
	restore, err := env.s.EnableDirectorySignIn()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(restore)
}

// newcomerWaveRoutes are the wave routes these tests use, for the 403 checks.
func newcomerWaveRoutes(waveID string, version float64) []struct {
	method, route string
	body          any
} {
	w := "/api/v1/waves/" + waveID
	return []struct {
		method, route string
		body          any
	}{
		{http.MethodGet, "/api/v1/waves", nil},
		{http.MethodGet, w, nil},
		{http.MethodPost, w + "/csv", map[string]any{"expected_version": version, "rows": []any{}, "replace": true}},
		{http.MethodPost, w + "/dry-run", map[string]any{}},
		{http.MethodPost, w + "/invitation/preview", map[string]any{}},
		{http.MethodPost, w + "/invitation/test-send", map[string]any{}},
		{http.MethodPost, w + "/start", map[string]any{"expected_version": version}},
		{http.MethodPost, w + "/tick", map[string]any{}},
		{http.MethodGet, w + "/progress", nil},
		{http.MethodGet, w + "/results", nil},
		{http.MethodGet, w + "/activation", nil},
	}
}

func TestWaveNewcomersCreated(t *testing.T) {
	n := newcomerRows(t)
	token := tokenOf(t, env.admin)
	sfx := strings.ToLower(model.NewId()[:6])
	directorySignIn(t)
	sink := mailToSink(t)

	tSetup := time.Now()
	target, err := env.s.CreateTeam("wnt" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	info, err := env.s.CreateChannel(target, "info"+sfx, false)
	if err != nil {
		t.Fatal(err)
	}
	help, err := env.s.CreateChannel(target, "help"+sfx, true)
	if err != nil {
		t.Fatal(err)
	}
	existing, err := env.s.CreateUsers(2*max(n/20, 2), mmserver.UserOptions{Prefix: "wne" + sfx + "-"})
	if err != nil {
		t.Fatal(err)
	}
	existingIDs := make([]string, len(existing))
	for i, u := range existing {
		existingIDs[i] = u.Id
	}
	existingBefore := usersByID(t, existingIDs)
	file := planNewcomerFile(n, 2, existing, sfx)
	t.Logf("file: %d rows = %d existing by email + %d by username, %d new email + %d SAML + %d LDAP people, %d bad rows; set-up %s",
		len(file.people), len(file.existingByEmail), len(file.existingByName), len(file.newEmail), len(file.newSaml),
		len(file.newLdap), len(file.bad), time.Since(tSetup).Round(time.Millisecond))

	marker := "Newcomer-" + sfx
	wave := createWave(t, token, map[string]any{
		"name":   "Newcomers " + sfx,
		"cohort": map[string]any{},
		"targets": map[string]any{
			"teams":    []map[string]any{{"team_id": target.Id}},
			"channels": []map[string]any{{"channel_id": info.Id}, {"channel_id": help.Id}},
		},
		"welcome": map[string]any{"enabled": true, "template": "Welcome {{first_name}} to {{team}}", "help_link": ""},
		"invitation": map[string]any{
			"enabled": true,
			"subject": marker + " for {{first_name}}",
			// {{sign_in_method}} differs per person: the set-password page for email people only.
			"html_template": "<p>Hello {{first_name}}, " + marker + "</p><p>{{sign_in_method}}</p><p>Server: {{site_url}}</p>",
		},
		"newcomers": map[string]any{"mode": "create", "auth_service": "email"},
		// Paced so the run spans several ticks at any size (about 30 s at least): the kill lands mid-run.
		// At 1,000 rows the server is slower than this pace anyway.
		"throttle": map[string]any{"users_per_second": max(2, n/30)},
	})

	// Who may not run waves gets 403 on every route used here, the invitation's preview and test-send included.
	for _, who := range []string{env.teamAdminA, env.member} {
		other := tokenOf(t, who)
		for _, r := range newcomerWaveRoutes(wave.ID, wave.Version) {
			waveCall(t, r.method, r.route, other, r.body, http.StatusForbidden, nil)
		}
	}

	// The file goes up in the webapp's chunks: rows {line, value, person}.
	tUpload := time.Now()
	wave = uploadCsv(t, token, wave, file.rows())
	t.Logf("upload of %d rows (%d chunks): %s; problems reported at upload: %d", len(file.people), len(cohort.Chunks(file.rows())),
		time.Since(tUpload).Round(time.Millisecond), len(wave.CSVProblems))

	// The dry run counts what was planted, and reports each bad row with its line and reason.
	var dry contract.DryRunReport
	tDry := time.Now()
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/dry-run", token, map[string]any{}, http.StatusOK, &dry)
	t.Logf("dry run: %s; people %+v", time.Since(tDry).Round(time.Millisecond), dryPeopleSummary(dry.People))
	existingN := len(file.existingByEmail) + len(file.existingByName)
	p := dry.People
	if p.Existing != float64(existingN) || p.Create != float64(len(file.newcomers)) || p.Invite != 0 || p.Skip != 0 ||
		p.ByAuthService["email"] != float64(len(file.newEmail)) || p.ByAuthService["saml"] != float64(len(file.newSaml)) ||
		p.ByAuthService["ldap"] != float64(len(file.newLdap)) {
		t.Fatalf("dry run people %s, planted: %d existing, create %d email + %d saml + %d ldap",
			dryPeopleSummary(p), existingN, len(file.newEmail), len(file.newSaml), len(file.newLdap))
	}
	if dry.CohortSize != float64(existingN+len(file.newcomers)) {
		t.Fatalf("dry run cohort %.0f, want %d", dry.CohortSize, existingN+len(file.newcomers))
	}
	checkBadRowsReported(t, "dry run", file, dry.CSVProblems)
	for _, s := range dry.People.Sample {
		if s.Action != contract.PersonActionExisting && s.Action != contract.PersonActionCreate {
			t.Fatalf("dry run sample row %+v: a create wave's rows are existing or create", s)
		}
	}

	// The invitation as the editor previews it: an email person is told to set a password on the
	// server's own reset page; a SAML person is not.
	site := env.s.SiteURL()
	emailPerson, samlPerson := file.newEmail[0], file.newSaml[0]
	var preview contract.InvitationPreviewResponse
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/invitation/preview", token, map[string]any{"line": emailPerson.line},
		http.StatusOK, &preview)
	if preview.Recipient != emailPerson.email || !preview.SMTPConfigured || !strings.Contains(preview.HTML, marker) ||
		!strings.Contains(preview.HTML, site+"/reset_password") || !strings.Contains(preview.Subject, marker) {
		t.Fatalf("preview for the email person (line %d): %+v", emailPerson.line, preview)
	}
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/invitation/preview", token, map[string]any{"line": samlPerson.line},
		http.StatusOK, &preview)
	if preview.Recipient != samlPerson.email || strings.Contains(preview.HTML, site+"/reset_password") {
		t.Fatalf("preview for the SAML person (line %d): %+v", samlPerson.line, preview)
	}

	// Start, tick until ~40 % of the queue, SIGKILL the plugin during a tick, bring it back, run to the end.
	total := existingN + len(file.newcomers)
	tRun := time.Now()
	started := startWave(t, token, wave)
	if started.State != contract.WaveStateRunning || started.Progress.Total != float64(total) {
		t.Fatalf("after start: state %s, progress %+v (want total %d)", started.State, started.Progress, total)
	}
	limit := max(10*time.Minute, time.Duration(total)*600*time.Millisecond)
	progress := started.Progress
	for progress.Processed < float64(total*2/5) {
		if time.Since(tRun) > limit/2 {
			t.Fatalf("the wave is too slow: %+v after %s", progress, time.Since(tRun))
		}
		if p, status := tickWave(t, token, wave.ID); status == http.StatusOK {
			progress = p
		} else {
			progress = waveProgressOf(t, token, wave.ID)
		}
	}
	t.Logf("40 %%: %.0f/%d in %s; SIGKILL during a tick", progress.Processed, total, time.Since(tRun).Round(time.Millisecond))
	status, restart := killDuring(t, 1500*time.Millisecond, http.MethodPost, "/api/v1/waves/"+wave.ID+"/tick", token, []byte(`{}`))
	mid := waveProgressOf(t, token, wave.ID)
	t.Logf("the killed tick answered %d; plugin back in %s; the wave stands at %s %.0f/%.0f",
		status, restart.Round(time.Millisecond), mid.State, mid.Processed, mid.Total)
	if mid.State != contract.WaveStateRunning || mid.Processed >= float64(total) {
		t.Fatalf("the wave finished before the kill; nothing was resumed: %+v", mid)
	}
	final := tickWaveToEnd(t, token, wave.ID)
	elapsed := time.Since(tRun)
	t.Logf("NEWCOMER WAVE: %d people (%d accounts created) into a team + 2 channels + DM + invitation in %s including the kill: "+
		"%.1f people/s; final %+v", total, len(file.newcomers), elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), final)
	c := final.Counts
	if final.State != contract.WaveStateCompleted || final.Processed != float64(total) || c.Failed != 0 || c.Skipped != 0 ||
		c.Created != len(file.newcomers) || c.Added+c.AlreadyMember != existingN || c.Welcomed != total || c.Invited != 0 {
		var failed contract.WaveResultsPage
		waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/results?outcome=failed&per_page=20", token, nil, http.StatusOK, &failed)
		reasons := []string{}
		for _, r := range failed.Results {
			email := ""
			if r.Email != nil {
				email = *r.Email
			}
			reasons = append(reasons, fmt.Sprintf("#%d %s: %s", r.Index, email, r.Reason))
		}
		t.Fatalf("final progress: %+v (want %d created, %d existing added); failed results (first 20):\n%s",
			final, len(file.newcomers), existingN, strings.Join(reasons, "\n"))
	}

	// The accounts, from the database: exactly one per email, as the file describes the person.
	var emails []string
	for _, p := range file.people {
		if p.existing == nil {
			emails = append(emails, strings.ToLower(p.email))
		}
	}
	accounts := usersByEmail(t, emails)
	ids := map[string]string{} // email → the created account's id
	for _, p := range file.newcomers {
		got := accounts[p.email]
		if len(got) != 1 {
			t.Fatalf("line %d %s: %d accounts, want exactly 1", p.line, p.email, len(got))
		}
		checkCreatedAccount(t, p, got[0])
		ids[p.email] = got[0].ID
	}
	for _, b := range file.bad {
		if b.badKind == "dup-email" {
			continue // the email is the earlier row's, which has its one account (checked above)
		}
		if got := accounts[strings.ToLower(b.email)]; len(got) != 0 {
			t.Fatalf("bad line %d (%s): an account was made for it: %+v", b.line, b.badReason, got)
		}
	}
	// Existing accounts: nothing of the file's columns reached them.
	existingAfter := usersByID(t, existingIDs)
	for email, before := range existingBefore {
		after := existingAfter[email]
		if len(after) != 1 || after[0] != before[0] {
			t.Fatalf("existing account %s changed:\nbefore %+v\nafter  %+v", email, before, after)
		}
	}

	// Memberships and welcome DMs, from the database: everyone in the team and both channels, one DM each.
	everyone := append([]string{}, existingIDs...)
	for _, id := range ids {
		everyone = append(everyone, id)
	}
	db := env.s.DB()
	count := func(query string, args ...any) int {
		t.Helper()
		var k int
		if scanErr := db.QueryRow(query, args...).Scan(&k); scanErr != nil {
			t.Fatal(scanErr)
		}
		return k
	}
	if got := count(`SELECT count(*) FROM TeamMembers WHERE TeamId = $1 AND DeleteAt = 0 AND UserId = ANY($2)`,
		target.Id, pq.Array(everyone)); got != total {
		t.Fatalf("%d of %d people are members of the target team", got, total)
	}
	for _, ch := range []*model.Channel{info, help} {
		if got := count(`SELECT count(*) FROM ChannelMembers WHERE ChannelId = $1 AND UserId = ANY($2)`,
			ch.Id, pq.Array(everyone)); got != total {
			t.Fatalf("%d of %d people are members of %s", got, total, ch.Name)
		}
	}
	welcomes := welcomesByUser(t, botID(t), wave.ID)
	if len(welcomes) != total {
		t.Fatalf("%d people got a welcome DM, want %d", len(welcomes), total)
	}
	for _, id := range everyone {
		if k := len(welcomes[id]); k != 1 {
			t.Fatalf("user %s has %d welcome DMs", id, k)
		}
	}

	// Results: `created` for every new person, with their account; `added` for the existing ones.
	results := allResults(t, token, wave.ID)
	byUser := map[string]contract.UserResult{}
	for _, r := range results {
		if _, twice := byUser[r.UserID]; twice {
			t.Fatalf("two results for user %q", r.UserID)
		}
		byUser[r.UserID] = r
	}
	if len(results) != total {
		t.Fatalf("%d results, want %d", len(results), total)
	}
	unconfirmed := map[string]bool{}
	for _, p := range file.newcomers {
		r, ok := byUser[ids[p.email]]
		if !ok || r.Outcome != contract.OutcomeCreated || r.Welcome != "sent" && r.Welcome != "already_sent" {
			t.Fatalf("line %d %s: result %+v (found %v), want created", p.line, p.email, r, ok)
		}
		if r.Invitation != nil && *r.Invitation == "unconfirmed" {
			unconfirmed[p.email] = true
		}
	}
	for _, u := range existing {
		r, ok := byUser[u.Id]
		if !ok || r.Outcome != contract.OutcomeAdded && r.Outcome != contract.OutcomeAlreadyMember {
			t.Fatalf("existing %s: result %+v (found %v), want added", u.Username, r, ok)
		}
		if r.Invitation != nil && *r.Invitation == "unconfirmed" {
			unconfirmed[strings.ToLower(u.Email)] = true
		}
	}

	// Invitations at the sink: one per person, none twice across the kill. A send cut off by the kill
	// between claiming and recording is `unconfirmed` and not sent again (at most once): it may be missing.
	invitations := byRecipient(sink, marker)
	people := map[string]*plannedPerson{}
	for _, p := range file.newcomers {
		people[p.email] = p
	}
	for _, u := range existing {
		people[strings.ToLower(u.Email)] = nil
	}
	for to, mails := range invitations {
		if _, ok := people[to]; !ok {
			t.Fatalf("an invitation went to %s, who is not a person of the wave (%d mails)", to, len(mails))
		}
	}
	for email, p := range people {
		k := len(invitations[email])
		if k > 1 || k == 0 && !unconfirmed[email] {
			t.Fatalf("%s received %d invitations", email, k)
		}
		if k == 1 && p != nil {
			html := invitations[email][0].HTML
			setPassword := strings.Contains(html, site+"/reset_password")
			if setPassword != (p.authService == "email") || !strings.Contains(html, "Hello "+htmlEscaped(p.cells["first_name"])) {
				t.Fatalf("invitation to %s (%s): set-password link %v:\n%s", email, p.authService, setPassword, html)
			}
		}
	}
	if len(unconfirmed) > 4 {
		t.Fatalf("%d invitations unconfirmed after one kill; at most the sends in flight may be", len(unconfirmed))
	}
	t.Logf("sink: %d messages, %d invitations (%d unconfirmed by the kill)", len(sink.Messages()), len(invitations), len(unconfirmed))

	// The funnel counts the same: every person invited (a send cut off by the kill aside), the accounts created.
	var funnel contract.ActivationFunnel
	waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/activation", token, nil, http.StatusOK, &funnel)
	if funnel.Created != float64(len(file.newcomers)) || funnel.SignedUp != 0 || funnel.Provisioned != float64(total) ||
		funnel.Welcomed != float64(total) || funnel.Invited > float64(total) || funnel.Invited < float64(total-len(unconfirmed)) {
		t.Fatalf("funnel %+v, want %d created, %d provisioned, welcomed and invited", funnel, len(file.newcomers), total)
	}

	// Bad rows: still reported by the finished wave, with their lines and reasons.
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/dry-run", token, map[string]any{}, http.StatusOK, &dry)
	checkBadRowsReported(t, "dry run after the wave", file, dry.CSVProblems)

	// An email person chooses a password through the server's own reset email, then signs in.
	signInAfterPasswordReset(t, sink, emailPerson.email)
}

// checkCreatedAccount compares the account the wave made with the file's row.
func checkCreatedAccount(t *testing.T, p *plannedPerson, u dbUser) {
	t.Helper()
	wantService := p.authService
	if wantService == "email" {
		wantService = ""
	}
	problems := []string{}
	check := func(what, got, want string) {
		if got != want {
			problems = append(problems, fmt.Sprintf("%s %q, want %q", what, got, want))
		}
	}
	check("auth_service", u.AuthService, wantService)
	check("auth_data", u.AuthData, p.authData)
	check("username", u.Username, p.username)
	check("first_name", u.FirstName, p.cells["first_name"])
	check("last_name", u.LastName, p.cells["last_name"])
	check("nickname", u.Nickname, p.cells["nickname"])
	check("position", u.Position, p.cells["position"])
	check("locale", u.Locale, p.locale)
	if p.timezone != "" {
		check("manual time zone", u.ManualTimezone, p.timezone)
		check("automatic time zone", u.UseAutomaticTimezone, "false")
	}
	// SSO/LDAP: no password at all; email: an unusable one the person replaces through the reset email.
	if hasPassword := u.PasswordHash != ""; hasPassword != (p.authService == "email") {
		problems = append(problems, fmt.Sprintf("password set: %v", hasPassword))
	}
	if p.authService != "email" && !u.EmailVerified {
		problems = append(problems, "email not verified (the directory vouches for it)")
	}
	if u.DeleteAt != 0 || !strings.Contains(" "+u.Roles+" ", " system_user ") || strings.Contains(u.Roles, "admin") {
		problems = append(problems, fmt.Sprintf("delete_at %d, roles %q", u.DeleteAt, u.Roles))
	}
	if len(problems) > 0 {
		t.Fatalf("line %d %s (%s): %s", p.line, p.email, p.authService, strings.Join(problems, "; "))
	}
}

// checkBadRowsReported: every bad row is among the problems with its line and reason, and nothing else is.
func checkBadRowsReported(t *testing.T, where string, file *newcomerFile, problems []contract.DryRunReportCSVProblemsItem) {
	t.Helper()
	byLine := map[int]string{}
	for _, p := range problems {
		byLine[int(p.Line)] += p.Reason + "; "
	}
	for _, b := range file.bad {
		for _, word := range b.badReason {
			if !strings.Contains(byLine[b.line], word) {
				t.Fatalf("%s: bad line %d (%s: %v) reported as %q, want a reason with %q",
					where, b.line, b.badKind, b.cells, byLine[b.line], b.badReason)
			}
		}
	}
	if len(byLine) != len(file.bad) {
		t.Fatalf("%s: %d lines with problems, %d bad rows planted: %+v", where, len(byLine), len(file.bad), problems)
	}
}

func dryPeopleSummary(p contract.DryRunPeople) string {
	return fmt.Sprintf("existing %.0f, create %.0f, invite %.0f, skip %.0f, by service %v, %d sample rows",
		p.Existing, p.Create, p.Invite, p.Skip, p.ByAuthService, len(p.Sample))
}

func htmlEscaped(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace(s)
}

var resetTokenPattern = regexp.MustCompile(`reset_password_complete\?token=([A-Za-z0-9]+)`)

// signInAfterPasswordReset follows the set-password link's page as a browser would: the server mails its
// own reset token, the token from that mail sets a password, and the person signs in with it.
func signInAfterPasswordReset(t *testing.T, sink *mmserver.SMTPSink, email string) {
	t.Helper()
	c := env.s.Client()
	if _, err := c.SendPasswordResetEmail(ctx(t), email); err != nil {
		t.Fatalf("POST /api/v4/users/password/reset/send for %s: %v", email, err)
	}
	var token string
	if _, err := sink.WaitUntil(30*time.Second, func([]mmserver.SinkMessage) bool {
		for _, m := range sink.To(email) {
			if match := resetTokenPattern.FindStringSubmatch(m.HTML + m.Text); match != nil {
				token = match[1]
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("no password reset email for %s: %v", email, err)
	}
	const password = "Newcomer-Passw0rd!"
	if _, err := c.ResetPassword(ctx(t), token, password); err != nil {
		t.Fatalf("POST /api/v4/users/password/reset: %v", err)
	}
	me, _, err := c.Login(ctx(t), email, password)
	if err != nil {
		t.Fatalf("login of %s with the password chosen through the reset link: %v", email, err)
	}
	if me.Email != email {
		t.Fatalf("signed in as %s, want %s", me.Email, email)
	}
}

func TestWaveNewcomersInvited(t *testing.T) {
	token := tokenOf(t, env.admin)
	sfx := strings.ToLower(model.NewId()[:6])
	sink := mailToSink(t)
	team, err := env.s.CreateTeam("wni" + sfx)
	if err != nil {
		t.Fatal(err)
	}
	channel, err := env.s.CreateChannel(team, "start"+sfx, false)
	if err != nil {
		t.Fatal(err)
	}
	ada := "ada." + sfx + "@invited.test"
	bob := "bob." + sfx + "@invited.test"
	rows := []contract.CsvRow{
		{Line: 2, Value: ada, Person: &contract.Person{Email: new(ada), FirstName: new("Ada")}},
		{Line: 3, Value: bob, Person: &contract.Person{Email: new(bob), FirstName: new("Bob"), Locale: new("de")}},
	}
	marker := "Invited-" + sfx
	wave := createWave(t, token, map[string]any{
		"name":   "Invited " + sfx,
		"cohort": map[string]any{},
		"targets": map[string]any{
			"teams":    []map[string]any{{"team_id": team.Id}},
			"channels": []map[string]any{{"channel_id": channel.Id}},
		},
		"welcome": map[string]any{"enabled": true, "template": "Welcome {{first_name}} to {{team}}", "help_link": ""},
		"invitation": map[string]any{
			"enabled": true, "subject": marker,
			"html_template": "<p>Hello {{first_name}}</p><p>{{sign_in_method}}</p><p>Sign up: {{sign_up_link}}</p>",
			// Bob's row says German: he gets this text, its sign-in sentence in German too.
			"translations": map[string]any{"de": map[string]any{
				"subject": marker, "html_template": "<p>Hallo {{first_name}}</p><p>{{sign_in_method}}</p>",
			}},
		},
		"newcomers": map[string]any{"mode": "invite"},
	})
	wave = uploadCsv(t, token, wave, rows)
	var dry contract.DryRunReport
	waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/dry-run", token, map[string]any{}, http.StatusOK, &dry)
	if dry.People.Invite != 2 || dry.People.Create != 0 || dry.People.Existing != 0 || len(dry.CSVProblems) != 0 {
		t.Fatalf("dry run: people %s, problems %+v", dryPeopleSummary(dry.People), dry.CSVProblems)
	}
	for _, who := range []string{env.teamAdminA, env.member} {
		waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/invitation/test-send", tokenOf(t, who), map[string]any{},
			http.StatusForbidden, nil)
	}
	first := runWave(t, token, wave)
	if first.Counts.Invited != 2 || first.Counts.Failed != 0 || first.Counts.Created != 0 {
		t.Fatalf("after the invitations: %+v", first)
	}
	for _, r := range allResults(t, token, wave.ID) {
		if r.Outcome != contract.OutcomeInvited || r.UserID != "" || r.Email == nil || (*r.Email != ada && *r.Email != bob) {
			t.Fatalf("result before anyone signed up: %+v", r)
		}
	}

	// The invitation carries the team's invite link; Ada signs up through it.
	fresh, _, err := env.adminClient.GetTeam(ctx(t), team.Id, "")
	if err != nil {
		t.Fatal(err)
	}
	link := env.s.SiteURL() + "/signup_user_complete/?id=" + fresh.InviteId
	mails := byRecipient(sink, marker)
	if len(mails[ada]) != 1 || len(mails[bob]) != 1 || len(mails) != 2 {
		t.Fatalf("invitations: %v", keys(mails))
	}
	if !strings.Contains(mails[ada][0].HTML, link) {
		t.Fatalf("Ada's invitation has no sign-up link %s:\n%s", link, mails[ada][0].HTML)
	}
	if !strings.Contains(mails[ada][0].HTML, "Hello Ada") || !strings.Contains(mails[ada][0].HTML, "Create your account: ") ||
		!strings.Contains(mails[bob][0].HTML, "Hallo Bob") || !strings.Contains(mails[bob][0].HTML, "Erstellen Sie Ihr Konto: ") ||
		!strings.Contains(mails[bob][0].HTML, link) {
		t.Fatalf("the invitations' languages: Ada (no locale) %q, Bob (de) %q", mails[ada][0].HTML, mails[bob][0].HTML)
	}
	id := regexp.MustCompile(`signup_user_complete/\?id=([a-z0-9]+)`).FindStringSubmatch(mails[ada][0].HTML)
	if id == nil {
		t.Fatal("no invite id in the invitation")
	}
	signedUp, _, err := env.s.Client().CreateUserWithInviteId(ctx(t), &model.User{
		Email: ada, Username: "ada-" + sfx, Password: "Invited-Passw0rd!", FirstName: "Ada",
	}, id[1])
	if err != nil {
		t.Fatalf("sign-up through the invite link: %v", err)
	}

	// The user-created hook queues her (matched by email); a tick runs what the job would.
	deadline := time.Now().Add(2 * time.Minute)
	var onboarded *contract.UserResult
	for onboarded == nil {
		if time.Now().After(deadline) {
			t.Fatalf("Ada's new account was not onboarded: %+v", waveProgressOf(t, token, wave.ID))
		}
		if p := waveProgressOf(t, token, wave.ID); p.State == contract.WaveStateRunning {
			tickWaveToEnd(t, token, wave.ID)
		} else {
			time.Sleep(200 * time.Millisecond)
		}
		for _, r := range allResults(t, token, wave.ID) {
			if r.UserID == signedUp.Id {
				onboarded = &r
			}
		}
	}
	if onboarded.Outcome != contract.OutcomeAdded && onboarded.Outcome != contract.OutcomeAlreadyMember || onboarded.Welcome != "sent" {
		t.Fatalf("Ada's result after signing up: %+v", *onboarded)
	}
	if _, _, err := env.adminClient.GetChannelMember(ctx(t), channel.Id, signedUp.Id, ""); err != nil {
		t.Fatalf("Ada is not in the wave's channel: %v", err)
	}
	if _, _, err := env.adminClient.GetTeamMember(ctx(t), team.Id, signedUp.Id, ""); err != nil {
		t.Fatalf("Ada is not in the wave's team: %v", err)
	}
	// Another tick changes nothing: one welcome DM, still one invitation, Bob still invited.
	call(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/tick", token, []byte(`{}`))
	welcomes := welcomesByUser(t, botID(t), wave.ID)
	if len(welcomes[signedUp.Id]) != 1 || len(welcomes) != 1 {
		t.Fatalf("welcome DMs: Ada %d, %d people in all", len(welcomes[signedUp.Id]), len(welcomes))
	}
	if mails := byRecipient(sink, marker); len(mails[ada]) != 1 || len(mails[bob]) != 1 {
		t.Fatalf("invitations after the sign-up: %v", keys(mails))
	}
	bobInvited := false
	for _, r := range allResults(t, token, wave.ID) {
		if r.Email != nil && *r.Email == bob && r.Outcome == contract.OutcomeInvited {
			bobInvited = true
		}
	}
	if !bobInvited {
		t.Fatal("Bob, who did not sign up, is no longer shown as invited")
	}
	var funnel contract.ActivationFunnel
	waveCall(t, http.MethodGet, "/api/v1/waves/"+wave.ID+"/activation", token, nil, http.StatusOK, &funnel)
	if funnel.Invited != 2 || funnel.SignedUp != 1 || funnel.Created != 0 || funnel.Provisioned != 1 || funnel.Welcomed != 1 {
		t.Fatalf("funnel: %+v", funnel)
	}
}
