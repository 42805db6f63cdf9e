package host

import (
	"crypto/rand"
	"fmt"
	"maps"
	"math/big"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/shared/timezones"
)

// users.createMany makes the accounts of people a wave creates before their first sign-in. The email
// is the key that makes it exactly once: a create the server refuses while the email has an account
// answers that account (created false), so a batch that runs again after a crash finds the account it
// made the first time instead of making a second one.
//
// SSO and LDAP accounts carry the auth service and the directory id their first sign-in matches, and
// no password. Email accounts get a random password that nobody knows (never returned, logged or
// stored by the plugin): the person chooses theirs through the server's own password reset.

// userCreateSpec is one account of users.createMany.
type userCreateSpec struct {
	Email string `json:"email"`
	// Username as the bundle chose it (server/src/waves/people.ts); a numeric suffix is added when the server has it already.
	Username  string `json:"username"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Nickname  string `json:"nickname"`
	Position  string `json:"position"`
	// Locale '' = the server's default client locale.
	Locale string `json:"locale"`
	// Timezone is an IANA zone set as the manual time zone; '' = automatic (the person's browser decides).
	Timezone string `json:"timezone"`
	// AuthService '' or 'email' = email and password; else an SSO/LDAP service, with AuthData.
	AuthService string `json:"auth_service"`
	AuthData    string `json:"auth_data"`
	// Props are stored on the account made (e.g. which wave made it, so a re-run can tell its own accounts).
	Props map[string]string `json:"props,omitempty"`
}

// userCreateResult is one spec's answer from users.createMany (in the order of the specs).
type userCreateResult struct {
	Email  string `json:"email"`
	UserID string `json:"user_id"`
	// Created is true when this call made the account; false when the email had one already (its id is answered).
	Created bool        `json:"created"`
	Error   *batchError `json:"error"`
}

// usernameAttempts bounds the numeric suffixes tried for a username the server has already.
const usernameAttempts = 20

// withSuffix is the username with a numeric suffix, cut so the whole stays a valid username.
func withSuffix(username string, n int) string {
	suffix := fmt.Sprint(n)
	if len(username)+len(suffix) > model.UserNameMaxLength {
		username = username[:model.UserNameMaxLength-len(suffix)]
	}
	return username + suffix
}

// unguessablePassword is 64 random characters with at least one lowercase letter, uppercase letter,
// digit and symbol, so it passes any PasswordSettings (minimum length at most 72, the bcrypt limit).
func unguessablePassword() (string, error) {
	classes := []string{model.LowercaseLetters, model.UppercaseLetters, model.NUMBERS, model.SYMBOLS}
	all := strings.Join(classes, "")
	password := make([]byte, 64)
	pick := func(from string) (byte, error) {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(from))))
		if err != nil {
			return 0, err
		}
		return from[n.Int64()], nil
	}
	for i := range password {
		from := all
		if i < len(classes) {
			from = classes[i]
		}
		c, err := pick(from)
		if err != nil {
			return "", err
		}
		password[i] = c
	}
	// The guaranteed characters are moved to random places.
	for i := len(password) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			return "", err
		}
		password[i], password[j.Int64()] = password[j.Int64()], password[i]
	}
	return string(password), nil
}

// newUser is the account of a spec (without its password).
func newUser(spec userCreateSpec) *model.User {
	u := &model.User{
		Email:     strings.ToLower(strings.TrimSpace(spec.Email)),
		Username:  spec.Username,
		FirstName: spec.FirstName,
		LastName:  spec.LastName,
		Nickname:  spec.Nickname,
		Position:  spec.Position,
		Locale:    spec.Locale,
		// The plugin's invitation email tells the person how to sign in; the server's own welcome
		// email would say it a second time.
		DisableWelcomeEmail: true,
		// The file's email is the one the organisation knows; an email account's password is chosen
		// through a reset link mailed to it, which proves it anyway.
		EmailVerified: true,
	}
	if len(spec.Props) > 0 {
		u.Props = model.StringMap{}
		maps.Copy(u.Props, spec.Props)
	}
	if spec.Timezone != "" {
		u.Timezone = model.StringMap{"useAutomaticTimezone": "false", "manualTimezone": spec.Timezone, "automaticTimezone": ""}
	}
	if spec.AuthService != "" && spec.AuthService != model.UserAuthServiceEmail {
		u.AuthService = spec.AuthService
		authData := spec.AuthData
		u.AuthData = &authData
	}
	return u
}

func isAppError(err *model.AppError, id string) bool { return err != nil && err.Id == id }

// createUser makes one spec's account, or finds the account its email has.
func (h *Host) createUser(spec userCreateSpec) userCreateResult {
	u := newUser(spec)
	r := userCreateResult{Email: u.Email}
	base := u.Username
	for attempt := 0; ; attempt++ {
		if u.AuthService == "" {
			password, err := unguessablePassword()
			if err != nil {
				r.Error = toBatchError(err)
				return r
			}
			u.Password = password
		}
		// CreateUser fills in the id and timestamps of the user it is given: a retry starts clean.
		attemptUser := *u
		created, appErr := h.api.CreateUser(&attemptUser)
		switch {
		case isAppError(appErr, "app.user.save.email_exists.app_error"):
			existing, getErr := h.api.GetUserByEmail(u.Email)
			switch {
			case getErr != nil:
				r.Error = toBatchError(getErr)
			case existing == nil:
				r.Error = noAnswer("GetUserByEmail")
			default:
				r.UserID = existing.Id
			}
			return r
		case isAppError(appErr, "app.user.save.username_exists.app_error") && attempt+1 < usernameAttempts:
			u.Username = withSuffix(base, attempt+1)
			continue
		case appErr != nil:
			// The store turns only the Email and Username unique-index violations into the two errors
			// above; an SSO/LDAP account that an interrupted earlier attempt made collides on AuthData
			// first and comes back as the generic app.user.save.app_error. Whatever the refusal, an
			// account with this email is the one to answer.
			if existing, getErr := h.api.GetUserByEmail(u.Email); getErr == nil && existing != nil {
				r.UserID = existing.Id
				return r
			}
			r.Error = toBatchError(appErr)
		case created == nil:
			r.Error = noAnswer("CreateUser")
		default:
			r.UserID = created.Id
			r.Created = true
		}
		return r
	}
}

// createUsers answers users.createMany: each spec's account made or found, a few at a time.
func (h *Host) createUsers(specs []userCreateSpec) (any, error) {
	if err := checkBatch("users.createMany", len(specs)); err != nil {
		return nil, err
	}
	for i, spec := range specs {
		if strings.TrimSpace(spec.Email) == "" {
			return nil, badArguments("users.createMany: spec %d has no email (the email is what makes a create happen once)", i)
		}
		if spec.Username == "" {
			return nil, badArguments("users.createMany: spec %d has no username", i)
		}
	}
	results := make([]userCreateResult, len(specs))
	eachConcurrently(len(specs), func(i int) {
		results[i] = h.createUser(specs[i])
	})
	return results, nil
}

// supportedTimezones answers system.timezones: the zones GET /api/v4/system/timezones lists.
func supportedTimezones() []string {
	return append([]string{}, timezones.DefaultSupportedTimezones...)
}
