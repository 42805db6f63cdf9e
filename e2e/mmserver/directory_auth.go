package mmserver

import (
	"errors"

	"github.com/mattermost/mattermost/server/public/model"
)

// EnableDirectorySignIn turns SAML and LDAP sign-in on in the server's configuration, with the fields
// the server's config validation demands (model.SamlSettings.isValid, model.LdapSettings.isValid)
// pointing at an identity provider and a directory that do not exist: enough for a plugin reading the
// config to see both enabled, and for accounts with auth_service saml/ldap to be made, not for anyone
// to sign in through them. The in-process server has no enterprise SAML/LDAP implementation, so nothing
// contacts them. Email sign-in and sign-up stay on. The returned function puts the previous settings back.
func (s *Server) EnableDirectorySignIn() (restore func(), err error) {
	before := s.App.Config().Clone()
	site := s.SiteURL()
	s.App.UpdateConfig(func(cfg *model.Config) {
		saml := &cfg.SamlSettings
		saml.Enable = new(true)
		saml.IdpURL = new("https://idp.cockpit.invalid/sso")
		saml.IdpDescriptorURL = new("https://idp.cockpit.invalid")
		saml.IdpCertificateFile = new("saml-idp.crt")
		saml.ServiceProviderIdentifier = new(site + "/login/sso/saml")
		saml.AssertionConsumerServiceURL = new(site + "/login/sso/saml")
		saml.Verify = new(true)
		saml.Encrypt = new(false)
		saml.EmailAttribute = new("Email")
		saml.UsernameAttribute = new("Username")
		saml.IdAttribute = new("Id")

		ldap := &cfg.LdapSettings
		ldap.Enable = new(true)
		ldap.LdapServer = new("ldap.cockpit.invalid")
		ldap.BaseDN = new("dc=cockpit,dc=invalid")
		ldap.EmailAttribute = new("mail")
		ldap.UsernameAttribute = new("uid")
		ldap.IdAttribute = new("entryUUID")
		ldap.LoginIdAttribute = new("uid")

		cfg.EmailSettings.EnableSignInWithEmail = new(true)
		cfg.EmailSettings.EnableSignUpWithEmail = new(true)
		cfg.TeamSettings.EnableUserCreation = new(true)
	})
	got := s.App.Config()
	if !*got.SamlSettings.Enable || !*got.LdapSettings.Enable {
		return nil, errors.New("the server refused to enable SAML and LDAP (config validation; see its log)")
	}
	return func() {
		s.App.UpdateConfig(func(cfg *model.Config) {
			cfg.SamlSettings = before.SamlSettings
			cfg.LdapSettings = before.LdapSettings
			cfg.EmailSettings.EnableSignInWithEmail = before.EmailSettings.EnableSignInWithEmail
			cfg.EmailSettings.EnableSignUpWithEmail = before.EmailSettings.EnableSignUpWithEmail
			cfg.TeamSettings.EnableUserCreation = before.TeamSettings.EnableUserCreation
		})
	}, nil
}
