package cockpit

// The cohort file of the newcomer tests: people planted by kind (existing accounts matched by email or
// by username, new email / SAML / LDAP people, and every kind of bad row), the CSV text and the rows
// the webapp would POST for it, the upload in the webapp's chunks, and the accounts read back from the
// database.

import (
	"database/sql"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lib/pq"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/cohort"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
)

// personColumns are the named columns of a cohort file (contract/waves_people.ts personColumns).
var personColumns = []string{
	"email", "username", "first_name", "last_name", "nickname", "position", "locale", "timezone", "auth_service", "auth_data",
}

// plannedPerson is one row of the file with what the wave must make of it.
type plannedPerson struct {
	line  int
	cells map[string]string // the row's non-empty cells by column
	// For a newcomer: the account the wave must create (username, locale and service as the server will store them).
	email, username, locale, timezone, authService, authData string
	// For an existing account: its id (the row must not change it).
	existing *model.User
	// For a bad row: its kind, and the words the server's reason must hold.
	badKind   string
	badReason []string
}

// newcomerFile is the whole planted file.
type newcomerFile struct {
	people                          []*plannedPerson
	existingByEmail, existingByName []*plannedPerson
	newEmail, newSaml, newLdap      []*plannedPerson
	bad                             []*plannedPerson
	newcomers                       []*plannedPerson // newEmail + newSaml + newLdap
	defaultLocale, emailDomain, tag string
}

// badRowKinds: each kind of row the server must refuse before anything runs, and the words its reason
// must hold. dup-email and dup-username repeat a newcomer planted earlier in the file; their reason must
// name that line (filled in by badRow).
var badRowKinds = []struct {
	kind  string
	words []string
}{
	{"malformed-email", []string{"not a valid"}},
	{"dup-email", []string{"email", "line %d"}},
	{"dup-username", []string{"username", "line %d"}},
	{"bad-username", []string{"username"}},
	{"gitlab", []string{`"gitlab"`, "not enabled"}},
	{"saml-no-auth-data", []string{"auth_data", "saml"}},
	{"unknown-locale", []string{`"xx-YY"`, "not offered"}},
}

// planNewcomerFile plants n rows: 5 % existing accounts matched by email, 5 % by username, 5 % new
// email people (their accounts get a password hash: the expensive kind), perBad rows of each bad kind,
// the rest new SAML and LDAP people half and half. existing must hold at least n/10 accounts.
func planNewcomerFile(n, perBad int, existing []*model.User, tag string) *newcomerFile {
	f := &newcomerFile{defaultLocale: "en", emailDomain: tag + ".newcomers.test", tag: tag}
	line := 1 // the header
	add := func(p *plannedPerson) *plannedPerson {
		line++
		p.line = line
		f.people = append(f.people, p)
		return p
	}
	locales := []string{"de", "fr", "ja", "", "pt-BR"}
	zones := []string{"Europe/Berlin", "America/New_York", "", "Asia/Tokyo"}
	newPerson := func(i int, service string) *plannedPerson {
		local := fmt.Sprintf("%s.%s%d", service, tag, i)
		p := &plannedPerson{
			email: local + "@" + f.emailDomain, locale: locales[i%len(locales)], timezone: zones[i%len(zones)],
			authService: service,
		}
		p.cells = map[string]string{
			"email":      strings.ToUpper(p.email[:1]) + p.email[1:], // matched case-insensitively, stored lower case
			"first_name": "Ünal " + local, "last_name": "O'Brien-" + service, "nickname": "nick" + local,
			"position": "Engineer " + local, "locale": p.locale, "timezone": p.timezone,
		}
		if p.locale == "" {
			p.locale = f.defaultLocale
		}
		switch {
		case service == "email" && i%2 == 0:
			// No username in the file: the server's is derived from the email.
			p.username = local
			p.cells["auth_service"] = "" // the wave's default (email)
		default:
			p.username = fmt.Sprintf("%s-%s-%d", service, tag, i)
			p.cells["username"] = p.username
			p.cells["auth_service"] = service
		}
		if service != "email" {
			p.authData = fmt.Sprintf("%s|%s|%d", service, tag, i)
			p.cells["auth_data"] = p.authData
		}
		return p
	}

	k := max(n/20, 2)
	for i := range k {
		u := existing[i]
		f.existingByEmail = append(f.existingByEmail, add(&plannedPerson{existing: u, cells: map[string]string{
			"email": u.Email, "first_name": "Changed", "last_name": "Changed", "position": "Changed", "locale": "fr",
		}}))
	}
	for i := range k {
		u := existing[k+i]
		f.existingByName = append(f.existingByName, add(&plannedPerson{existing: u, cells: map[string]string{
			"username": u.Username, "first_name": "Changed", "nickname": "Changed",
		}}))
	}
	for i := range k {
		f.newEmail = append(f.newEmail, add(newPerson(i, "email")))
	}
	rest := n - 3*k - perBad*len(badRowKinds)
	// Bad rows spread through the file: after every few good rows, one of each kind in turn.
	every := max(rest/(perBad*len(badRowKinds)+1), 1)
	badLeft := perBad * len(badRowKinds)
	for i := range rest {
		service := "saml"
		if i%2 == 1 {
			service = "ldap"
		}
		p := add(newPerson(i, service))
		if service == "saml" {
			f.newSaml = append(f.newSaml, p)
		} else {
			f.newLdap = append(f.newLdap, p)
		}
		if badLeft > 0 && (i+1)%every == 0 {
			badLeft--
			f.bad = append(f.bad, add(f.badRow(len(f.bad), p)))
		}
	}
	for badLeft > 0 {
		badLeft--
		f.bad = append(f.bad, add(f.badRow(len(f.bad), f.newSaml[0])))
	}
	f.newcomers = append(append(append([]*plannedPerson{}, f.newEmail...), f.newSaml...), f.newLdap...)
	return f
}

// badRow is bad row number i; earlier is a valid newcomer already in the file (for the duplicates).
// Every bad row would otherwise be a valid SAML newcomer: its one fault is its kind's.
func (f *newcomerFile) badRow(i int, earlier *plannedPerson) *plannedPerson {
	kind := badRowKinds[i%len(badRowKinds)]
	email := fmt.Sprintf("bad%d.%s@%s", i, f.tag, f.emailDomain)
	cells := map[string]string{"email": email, "first_name": "Bad", "auth_service": "saml", "auth_data": fmt.Sprintf("bad|%s|%d", f.tag, i)}
	switch kind.kind {
	case "malformed-email":
		email = fmt.Sprintf("bad%d.%s-at-nowhere", i, f.tag)
		cells["email"] = email
	case "dup-email":
		email = earlier.email
		cells["email"] = strings.ToUpper(earlier.email)
	case "dup-username":
		cells["username"] = earlier.username
	case "bad-username":
		cells["username"] = "Bad Name!"
	case "gitlab":
		cells["auth_service"] = "gitlab"
	case "saml-no-auth-data":
		delete(cells, "auth_data")
	case "unknown-locale":
		cells["locale"] = "xx-YY"
	}
	words := make([]string, len(kind.words))
	for i, w := range kind.words {
		if strings.Contains(w, "%d") {
			w = fmt.Sprintf(w, earlier.line)
		}
		words[i] = w
	}
	return &plannedPerson{email: email, cells: cells, badKind: kind.kind, badReason: words}
}

// csvText is the file as an admin would upload it: a header of named columns, one row per person.
func (f *newcomerFile) csvText() string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(personColumns)
	for _, p := range f.people {
		row := make([]string, len(personColumns))
		for i, c := range personColumns {
			row[i] = p.cells[c]
		}
		_ = w.Write(row)
	}
	w.Flush()
	return b.String()
}

// rows are what the webapp POSTs for the file: {line, value, person}, value = the email, else the username.
func (f *newcomerFile) rows() []contract.CsvRow {
	rows := make([]contract.CsvRow, 0, len(f.people))
	for _, p := range f.people {
		person := &contract.Person{}
		fields := map[string]**string{
			"email": &person.Email, "username": &person.Username, "first_name": &person.FirstName,
			"last_name": &person.LastName, "nickname": &person.Nickname, "position": &person.Position,
			"locale": &person.Locale, "timezone": &person.Timezone, "auth_service": &person.AuthService, "auth_data": &person.AuthData,
		}
		for c, dst := range fields {
			if v := p.cells[c]; v != "" {
				*dst = new(v)
			}
		}
		value := p.cells["email"]
		if value == "" {
			value = p.cells["username"]
		}
		rows = append(rows, contract.CsvRow{Line: p.line, Value: value, Person: person})
	}
	return rows
}

// uploadCsv stores rows as the wave's cohort file through POST …/csv, chunk after chunk, the first
// replacing what is stored; returns the wave as the last answer left it.
func uploadCsv(t *testing.T, token string, wave contract.WaveResponse, rows []contract.CsvRow) contract.WaveResponse {
	t.Helper()
	for i, chunk := range cohort.Chunks(rows) {
		body := map[string]any{"expected_version": wave.Version, "rows": chunk, "replace": i == 0}
		waveCall(t, http.MethodPost, "/api/v1/waves/"+wave.ID+"/csv", token, body, http.StatusOK, &wave)
	}
	return wave
}

// dbUser is an account as the Users table holds it.
type dbUser struct {
	ID, Email, Username, AuthService, AuthData             string
	FirstName, LastName, Nickname, Position, Locale, Roles string
	ManualTimezone, UseAutomaticTimezone, PasswordHash     string
	EmailVerified                                          bool
	DeleteAt                                               int64
}

// usersByEmail reads the accounts whose email (lower case) is in emails, by email.
func usersByEmail(t *testing.T, emails []string) map[string][]dbUser {
	t.Helper()
	return queryUsers(t, `lower(Email) = ANY($1)`, pq.Array(emails))
}

// usersByID reads the accounts with these ids, by email.
func usersByID(t *testing.T, ids []string) map[string][]dbUser {
	t.Helper()
	return queryUsers(t, `Id = ANY($1)`, pq.Array(ids))
}

func queryUsers(t *testing.T, where string, arg any) map[string][]dbUser {
	t.Helper()
	rows, err := env.s.DB().Query(`SELECT Id, lower(Email), Username, COALESCE(AuthService, ''), COALESCE(AuthData, ''),
		FirstName, LastName, Nickname, Position, Locale, Roles,
		COALESCE(Timezone->>'manualTimezone', ''), COALESCE(Timezone->>'useAutomaticTimezone', ''),
		COALESCE(Password, ''), EmailVerified, DeleteAt FROM Users WHERE `+where, arg)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	out := map[string][]dbUser{}
	for rows.Next() {
		var u dbUser
		var authData sql.NullString
		if err := rows.Scan(&u.ID, &u.Email, &u.Username, &u.AuthService, &authData, &u.FirstName, &u.LastName, &u.Nickname,
			&u.Position, &u.Locale, &u.Roles, &u.ManualTimezone, &u.UseAutomaticTimezone, &u.PasswordHash, &u.EmailVerified,
			&u.DeleteAt); err != nil {
			t.Fatal(err)
		}
		u.AuthData = authData.String
		out[u.Email] = append(out[u.Email], u)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// allResults pages through the wave's per-user results.
func allResults(t *testing.T, token, waveID string) []contract.UserResult {
	t.Helper()
	var all []contract.UserResult
	for page := 0; ; page++ {
		var p contract.WaveResultsPage
		waveCall(t, http.MethodGet, fmt.Sprintf("/api/v1/waves/%s/results?per_page=1000&page=%d", waveID, page), token, nil,
			http.StatusOK, &p)
		all = append(all, p.Results...)
		if len(p.Results) < 1000 || float64(len(all)) >= p.Total {
			return all
		}
	}
}
