package host

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/mattermost/mattermost/server/public/shared/timezones"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
)

// users.createMany: SSO accounts carry auth service and data without a password, email accounts a random
// password that is never answered, a taken username gets a suffix, an email with an account answers it
// (created false), and a refused spec carries the server's error; one answer per spec, in order.
func TestUsersCreateManyAnswersPerSpec(t *testing.T) {
	api := &plugintest.API{}
	var mu sync.Mutex
	made := map[string]*model.User{}
	attempts := map[string][]string{}
	api.On("CreateUser", mock.Anything).Return(func(u *model.User) (*model.User, *model.AppError) {
		mu.Lock()
		defer mu.Unlock()
		attempts[u.Email] = append(attempts[u.Email], u.Username)
		switch {
		case u.Email == "known@corp.example":
			return nil, model.NewAppError("createUserOrGuest", "app.user.save.email_exists.app_error", nil, "", http.StatusBadRequest)
		case u.Username == "taken" || u.Username == "taken1":
			return nil, model.NewAppError("createUserOrGuest", "app.user.save.username_exists.app_error", nil, "", http.StatusBadRequest)
		case u.Email == "again@corp.example":
			// What the store answers for a duplicate AuthData: not email_exists, the generic save error.
			return nil, model.NewAppError("SqlUserStore.Save", "app.user.save.app_error", nil, "", http.StatusInternalServerError)
		case u.Email == "refused@corp.example":
			return nil, model.NewAppError("createUserOrGuest", "api.user.create_user.accepted_domain.app_error",
				nil, "", http.StatusBadRequest)
		}
		copied := *u
		made[u.Email] = &copied
		return &model.User{Id: "id-" + u.Username, Email: u.Email, Username: u.Username}, nil
	})
	api.On("GetUserByEmail", "known@corp.example").Return(&model.User{Id: "known-id", Email: "known@corp.example"}, nil)
	api.On("GetUserByEmail", "again@corp.example").Return(&model.User{Id: "again-id", Email: "again@corp.example"}, nil)
	api.On("GetUserByEmail", "refused@corp.example").Return(nil, model.NewAppError("GetUserByEmail", "app.user.missing_account.const",
		nil, "", http.StatusNotFound))

	specs := []userCreateSpec{
		{
			Email: "Ada@Corp.Example", Username: "ada", FirstName: "Ada", LastName: "Lovelace", Locale: "de", Timezone: "Europe/Berlin",
			AuthService: "saml", AuthData: "ada-saml-id", Position: "Engineer", Nickname: "ada",
			Props: map[string]string{"cockpit_wave": "w1"},
		},
		{Email: "bob@corp.example", Username: "taken", AuthService: "email"},
		{Email: "known@corp.example", Username: "known"},
		{Email: "refused@corp.example", Username: "refused"},
		{Email: "again@corp.example", Username: "again", AuthService: "ldap", AuthData: "again-uid"},
	}
	body, err := json.Marshal([]any{specs})
	require.NoError(t, err)
	var results []userCreateResult
	invokeBatch(t, api, "users.createMany", string(body), &results)
	require.Len(t, results, 5)

	assert.Equal(t, userCreateResult{Email: "ada@corp.example", UserID: "id-ada", Created: true}, results[0])
	ada := made["ada@corp.example"]
	require.NotNil(t, ada)
	assert.Equal(t, "saml", ada.AuthService)
	require.NotNil(t, ada.AuthData)
	assert.Equal(t, "ada-saml-id", *ada.AuthData)
	assert.Empty(t, ada.Password, "an SSO account has no password")
	assert.True(t, ada.EmailVerified)
	assert.True(t, ada.DisableWelcomeEmail)
	assert.Equal(t, "w1", ada.Props["cockpit_wave"])
	assert.Equal(t, "Ada", ada.FirstName)
	assert.Equal(t, "Lovelace", ada.LastName)
	assert.Equal(t, "Engineer", ada.Position)
	assert.Equal(t, "de", ada.Locale)
	berlin := model.StringMap{"useAutomaticTimezone": "false", "manualTimezone": "Europe/Berlin", "automaticTimezone": ""}
	assert.Equal(t, berlin, ada.Timezone)

	assert.Equal(t, userCreateResult{Email: "bob@corp.example", UserID: "id-taken2", Created: true}, results[1])
	assert.Equal(t, []string{"taken", "taken1", "taken2"}, attempts["bob@corp.example"], "a taken username gets the next suffix")
	bob := made["bob@corp.example"]
	assert.Empty(t, bob.AuthService, "email auth is the server's empty auth service")
	assert.Nil(t, bob.AuthData)
	assert.Nil(t, bob.Timezone, "no time zone given: the server's automatic default")
	assert.Len(t, bob.Password, 64)

	assert.Equal(t, userCreateResult{Email: "known@corp.example", UserID: "known-id", Created: false}, results[2],
		"an email that has an account answers that account")

	require.NotNil(t, results[3].Error)
	assert.Equal(t, "api.user.create_user.accepted_domain.app_error", results[3].Error.ID)
	assert.Empty(t, results[3].UserID)

	assert.Equal(t, userCreateResult{Email: "again@corp.example", UserID: "again-id", Created: false}, results[4],
		"an SSO account an interrupted attempt made (refused on its auth data) is found by its email")

	// No answer carries a password.
	var raw []map[string]any
	body, _ = json.Marshal(results)
	require.NoError(t, json.Unmarshal(body, &raw))
	for _, r := range raw {
		assert.NotContains(t, r, "password")
	}
}

// A suffixed username stays a valid username, cut where it would grow too long.
func TestWithSuffixKeepsAValidUsername(t *testing.T) {
	suffixed := withSuffix(strings.Repeat("x", model.UserNameMaxLength), 12)
	assert.Len(t, suffixed, model.UserNameMaxLength)
	assert.True(t, strings.HasSuffix(suffixed, "12"))
	assert.True(t, model.IsValidUsername(suffixed))
}

// The random password passes the strictest password policy, and two are never the same.
func TestUnguessablePasswordPassesAnyPolicy(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		password, err := unguessablePassword()
		require.NoError(t, err)
		require.Len(t, password, 64)
		assert.True(t, strings.ContainsAny(password, model.LowercaseLetters))
		assert.True(t, strings.ContainsAny(password, model.UppercaseLetters))
		assert.True(t, strings.ContainsAny(password, model.NUMBERS))
		assert.True(t, strings.ContainsAny(password, model.SYMBOLS))
		assert.False(t, seen[password])
		seen[password] = true
	}
}

// More specs than one call takes, or a spec without its email key, are refused before anything is made.
func TestUsersCreateManyRefusesBadArguments(t *testing.T) {
	api := &plugintest.API{}
	h := &Host{api: api}
	_, err := h.invoke("users.createMany", `[[{"email":"a@corp.example"},{"email":" "}]]`)
	require.Error(t, err)
	specs := make([]userCreateSpec, maxBatchUsers+1)
	body, _ := json.Marshal([]any{specs})
	_, err = h.invoke("users.createMany", string(body))
	require.Error(t, err)
	api.AssertNotCalled(t, "CreateUser", mock.Anything)
}

// system.timezones answers the server's supported zones.
func TestSystemTimezones(t *testing.T) {
	h := &Host{api: &plugintest.API{}}
	got, err := h.invoke("system.timezones", `[]`)
	require.NoError(t, err)
	var zones []string
	require.NoError(t, json.Unmarshal([]byte(got), &zones))
	assert.Equal(t, timezones.DefaultSupportedTimezones, zones)
	assert.Contains(t, zones, "Europe/Berlin")
}
