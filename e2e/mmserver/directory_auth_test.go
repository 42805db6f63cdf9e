package mmserver

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// TestEnableDirectorySignIn: the licensed test server accepts SAML and LDAP switched on, a plugin sees
// them on (the sanitized config the plugin API's GetConfig returns), accounts of both services can be
// made, and restore switches them off again.
func TestEnableDirectorySignIn(t *testing.T) {
	s, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	restore, err := s.EnableDirectorySignIn()
	if err != nil {
		t.Fatal(err)
	}
	seen := s.App.GetSanitizedConfig()
	if !*seen.SamlSettings.Enable || !*seen.LdapSettings.Enable || !*seen.EmailSettings.EnableSignInWithEmail {
		t.Fatalf("a plugin sees saml %v, ldap %v", *seen.SamlSettings.Enable, *seen.LdapSettings.Enable)
	}
	for _, service := range []string{model.UserAuthServiceSaml, model.UserAuthServiceLdap} {
		u, appErr := s.App.CreateUser(s.Ctx(), &model.User{
			Username: "dir-" + service, Email: "dir-" + service + "@cockpit.test", EmailVerified: true,
			AuthService: service, AuthData: new("id-" + service),
		})
		if appErr != nil {
			t.Fatalf("%s account: %v", service, appErr)
		}
		if u.AuthService != service || *u.AuthData != "id-"+service || u.Password != "" {
			t.Fatalf("%s account: %+v", service, u)
		}
	}
	restore()
	if after := s.App.Config(); *after.SamlSettings.Enable || *after.LdapSettings.Enable {
		t.Fatal("restore left SAML or LDAP on")
	}
}
