// Package mmserver starts a real Mattermost server in-process (the way Mattermost Playbooks runs
// its end-to-end tests): the server/v8 Go module, a real PostgreSQL database, an in-memory config
// store, a test licence, the REST API, the websocket API and the static plugin routes.
//
// One server per test package is the intended use (see Shared); tests isolate themselves by
// creating their own users and teams.
package mmserver

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/shared/request"
	"github.com/mattermost/mattermost/server/v8/channels/api4"
	"github.com/mattermost/mattermost/server/v8/channels/app"
	"github.com/mattermost/mattermost/server/v8/channels/utils"
	"github.com/mattermost/mattermost/server/v8/channels/web"
	"github.com/mattermost/mattermost/server/v8/channels/wsapi"
	"github.com/mattermost/mattermost/server/v8/config"
)

const serverModule = "github.com/mattermost/mattermost/server/v8"

// Options configure Start. The zero value gives a throw-away server: a fresh database and
// temporary directories, both removed by Close.
type Options struct {
	// Database is the name of a persistent database, created if missing and kept by Close.
	// Empty: a fresh database cockpit_e2e_<random>, dropped by Close.
	Database string
	// AdminDSN is the DSN used to create the database. Default: TEST_DATABASE_POSTGRESQL_DSN,
	// else DefaultAdminDSN.
	AdminDSN string
	// DataDir holds plugins/, client/plugins/ and data/. Empty: a temporary directory removed by Close.
	DataDir string
	// ListenAddress of the server. Default 127.0.0.1:0 (a free port).
	ListenAddress string
	// SiteURL; default http://<the address actually listened on>. Change it later with SetSiteURL,
	// e.g. to the origin of a same-origin front door.
	SiteURL string
	// LocalModeSocket enables local mode (the unix-socket admin API, as mmctl --local uses) on this path.
	LocalModeSocket string
	// LogLevel of the server's log. Default $MM_E2E_LOG, else "ERROR".
	LogLevel string
	// LogDir, when set, receives the server's log (mattermost.log) instead of the
	// console, appended to, so the servers of one test run can share it. Default $MM_E2E_LOG_DIR:
	// `make test-e2e` keeps the server's errors out of the test output, where they would bury a
	// failing test's own lines.
	LogDir string
	// License; default an Enterprise test licence (model.NewTestLicenseSKU("enterprise")).
	License *model.License
	// Unlicensed starts the server without any licence (License is ignored), as a Team Edition
	// install runs: licensed features answer 403/501.
	Unlicensed bool
	// Configure runs last on the config before the server is created.
	Configure func(*model.Config)
	// Password given to users created by the helpers. Default DefaultPassword.
	Password string
}

// DefaultPassword is the password of every user the helpers create (unless Options.Password is set).
const DefaultPassword = "Cockpit-Passw0rd!"

// Server is a running in-process Mattermost server.
type Server struct {
	Srv      *app.Server
	App      *app.App
	URL      string // http://127.0.0.1:<port>, the server's own address
	DBName   string
	DSN      string
	DataDir  string
	Password string
	Version  string // model.CurrentVersion, what the server reports

	opts      Options
	db        *sql.DB
	ephemeral bool // database and data dir are ours to remove
	hashOnce  sync.Once
	hash      string
	hashErr   error
	closeOnce sync.Once

	siteURLDefault string
}

var startMu sync.Mutex

// Start starts a server. Call Close when done.
func Start(opts Options) (*Server, error) {
	startMu.Lock()
	defer startMu.Unlock()

	if err := setServerPath(); err != nil {
		return nil, err
	}
	if err := utils.TranslationsPreInit(); err != nil {
		return nil, fmt.Errorf("load Mattermost translations from MM_SERVER_PATH=%s: %w", os.Getenv("MM_SERVER_PATH"), err)
	}
	// As in Playbooks: settings pinned by the environment would defeat the config below.
	for _, k := range []string{
		"MM_SERVICESETTINGS_SITEURL",
		"MM_SERVICESETTINGS_LISTENADDRESS",
		"MM_SERVICESETTINGS_ENABLEDEVELOPER",
		"MM_SQLSETTINGS_DATASOURCE",
	} {
		_ = os.Unsetenv(k)
	}

	s := &Server{opts: opts, Password: opts.Password, Version: model.CurrentVersion}
	if s.Password == "" {
		s.Password = DefaultPassword
	}
	ok := false
	defer func() {
		if !ok {
			s.Close()
		}
	}()

	adminDSN := opts.AdminDSN
	if adminDSN == "" {
		adminDSN = AdminDSN()
	}
	s.DBName = opts.Database
	if s.DBName == "" {
		s.DBName = "cockpit_e2e_" + randomHex(6)
		s.ephemeral = true
	}
	if _, err := ensureDatabase(context.Background(), adminDSN, s.DBName); err != nil {
		return nil, err
	}
	dsn, err := dsnForDatabase(adminDSN, s.DBName)
	if err != nil {
		return nil, err
	}
	s.DSN = dsn
	if s.db, err = sql.Open("postgres", dsn); err != nil {
		return nil, err
	}

	s.DataDir = opts.DataDir
	if s.DataDir == "" {
		if s.DataDir, err = os.MkdirTemp("", "cockpit-e2e-"); err != nil {
			return nil, err
		}
	}
	for _, d := range []string{"plugins", "client/plugins", "data"} {
		if mkdirErr := os.MkdirAll(filepath.Join(s.DataDir, d), 0o755); mkdirErr != nil {
			return nil, mkdirErr
		}
	}

	// Pick the port now so SiteURL is right from the first moment (the server logs an error without one).
	if s.opts.ListenAddress == "" {
		if s.opts.ListenAddress, err = FreePort(); err != nil {
			return nil, err
		}
	}
	if s.opts.SiteURL == "" {
		s.siteURLDefault = "http://" + s.opts.ListenAddress
	}

	cs := config.NewTestMemoryStore()
	cfg := cs.Get().Clone()
	s.configure(cfg, dsn)
	if _, _, setErr := cs.Set(cfg); setErr != nil {
		return nil, fmt.Errorf("set config: %w", setErr)
	}

	lic := opts.License
	if lic == nil {
		lic = model.NewTestLicenseSKU(model.LicenseShortSkuEnterprise)
		lic.Id = model.NewId()
	}
	serverOptions := []app.Option{app.ConfigStore(cs)}
	if !opts.Unlicensed {
		serverOptions = append(serverOptions, app.WithLicense(lic))
	}
	srv, err := app.NewServer(serverOptions...)
	if err != nil {
		return nil, fmt.Errorf("app.NewServer: %w", err)
	}
	s.Srv = srv
	// The test licence is not signed, so it cannot live in the database: every LoadLicense (in
	// NewServer, the licence-expiry job, cache invalidation) finds none and clears it. Pin it.
	if !opts.Unlicensed {
		srv.SetLicense(lic)
		srv.AddLicenseListener(func(_, newLicense *model.License) {
			if newLicense == nil {
				srv.SetLicense(lic)
			}
		})
	}
	if _, err := api4.Init(srv); err != nil {
		return nil, fmt.Errorf("api4.Init: %w", err)
	}
	wsapi.Init(srv)
	web.New(srv) // /static/plugins/* serves the webapp bundles
	if err := srv.Start(); err != nil {
		return nil, fmt.Errorf("server start: %w", err)
	}
	// As cmd/mattermost does after Start: drop the server's own SIGINT/SIGTERM handler (it stops the
	// plugins and os.Exit(1)s, racing the caller's Close into a double close). Callers handle signals.
	signal.Reset(syscall.SIGINT, syscall.SIGTERM)
	if srv.License() == nil && !opts.Unlicensed {
		srv.SetLicense(lic)
	}
	s.App = app.New(app.ServerConnector(srv.Channels()))
	s.URL = "http://" + srv.ListenAddr.String()
	if s.siteURLDefault != "" && s.siteURLDefault != s.URL {
		if err := s.SetSiteURL(s.URL); err != nil {
			return nil, err
		}
	}
	ok = true
	return s, nil
}

func (s *Server) configure(cfg *model.Config, dsn string) {
	o := s.opts
	listen := o.ListenAddress
	if listen == "" {
		listen = "127.0.0.1:0"
	}
	level := o.LogLevel
	if level == "" {
		level = os.Getenv("MM_E2E_LOG")
	}
	if level == "" {
		level = "ERROR"
	}
	t, f := true, false

	cfg.SqlSettings.DriverName = model.NewPointer(model.DatabaseDriverPostgres)
	cfg.SqlSettings.DataSource = new(dsn)
	cfg.SqlSettings.DataSourceReplicas = []string{}
	cfg.SqlSettings.DataSourceSearchReplicas = []string{}

	cfg.ServiceSettings.ListenAddress = new(listen)
	if o.SiteURL != "" {
		cfg.ServiceSettings.SiteURL = new(o.SiteURL)
	} else if s.siteURLDefault != "" {
		cfg.ServiceSettings.SiteURL = new(s.siteURLDefault)
	}
	cfg.ServiceSettings.EnableDeveloper = &f
	cfg.ServiceSettings.EnableSecurityFixAlert = &f
	cfg.ServiceSettings.EnableUserAccessTokens = &t
	cfg.ServiceSettings.EnableBotAccountCreation = &t
	if o.LocalModeSocket != "" {
		cfg.ServiceSettings.EnableLocalMode = &t
		cfg.ServiceSettings.LocalModeSocketLocation = new(o.LocalModeSocket)
	}
	cfg.RateLimitSettings.Enable = &f

	cfg.TeamSettings.EnableOpenServer = &t
	cfg.TeamSettings.EnableUserCreation = &t
	cfg.TeamSettings.MaxUsersPerTeam = new(1_000_000)
	cfg.TeamSettings.MaxChannelsPerTeam = new(int64(100_000))
	cfg.GuestAccountsSettings.Enable = &t
	cfg.EmailSettings.SendEmailNotifications = &f
	cfg.EmailSettings.RequireEmailVerification = &f

	cfg.PluginSettings.Enable = &t
	cfg.PluginSettings.EnableUploads = &t
	cfg.PluginSettings.RequirePluginSignature = &f
	cfg.PluginSettings.EnableMarketplace = &f
	cfg.PluginSettings.EnableRemoteMarketplace = &f
	cfg.PluginSettings.AutomaticPrepackagedPlugins = &f
	cfg.PluginSettings.Directory = new(filepath.Join(s.DataDir, "plugins"))
	cfg.PluginSettings.ClientDirectory = new(filepath.Join(s.DataDir, "client/plugins"))
	cfg.FileSettings.Directory = new(filepath.Join(s.DataDir, "data") + "/")

	logDir := o.LogDir
	if logDir == "" {
		logDir = os.Getenv("MM_E2E_LOG_DIR")
	}
	toConsole, toFile := new(logDir == ""), new(logDir != "")
	cfg.LogSettings.EnableConsole = toConsole
	cfg.LogSettings.ConsoleLevel = new(strings.ToUpper(level))
	cfg.LogSettings.ConsoleJson = &f
	cfg.LogSettings.EnableColor = &f
	cfg.LogSettings.EnableFile = toFile
	cfg.LogSettings.FileLevel = new(strings.ToUpper(level))
	cfg.LogSettings.FileLocation = new(logDir)
	cfg.LogSettings.EnableDiagnostics = &f
	cfg.LogSettings.EnableSentry = &f
	cfg.MetricsSettings.Enable = &f
	// The server's own audit log, as a production install keeps it: where auditors read the server's
	// events (and the plugin's, through the plugin API's audit records). Configured once, at start.
	cfg.ExperimentalAuditSettings.FileEnabled = &t
	cfg.ExperimentalAuditSettings.FileName = new(s.AuditLogPath())
	cfg.AnnouncementSettings.AdminNoticesEnabled = &f
	cfg.AnnouncementSettings.UserNoticesEnabled = &f

	if o.Configure != nil {
		o.Configure(cfg)
	}
}

// AuditLogPath is the server's audit log file: one JSON record per line.
func (s *Server) AuditLogPath() string { return filepath.Join(s.DataDir, "audit.log") }

// SetSiteURL changes ServiceSettings.SiteURL (e.g. to a same-origin front door).
func (s *Server) SetSiteURL(u string) error {
	s.App.UpdateConfig(func(cfg *model.Config) { cfg.ServiceSettings.SiteURL = new(u) })
	if got := *s.App.Config().ServiceSettings.SiteURL; got != u {
		return fmt.Errorf("SiteURL is %q after setting %q", got, u)
	}
	return nil
}

// SiteURL returns the configured SiteURL.
func (s *Server) SiteURL() string { return *s.App.Config().ServiceSettings.SiteURL }

// Ctx returns a request context for app and store calls.
func (s *Server) Ctx() request.CTX { return request.EmptyContext(s.Srv.Log()) }

// DB returns a connection pool to the server's database, for bulk set-up the store has no call for.
func (s *Server) DB() *sql.DB { return s.db }

// Close shuts the server down; a throw-away database and data directory are removed.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		if s.Srv != nil {
			s.Srv.Shutdown()
		}
		if s.db != nil {
			_ = s.db.Close()
		}
		if s.ephemeral && s.DBName != "" && os.Getenv("MM_E2E_KEEP_DB") == "" {
			adminDSN := s.opts.AdminDSN
			if adminDSN == "" {
				adminDSN = AdminDSN()
			}
			if err := dropDatabase(adminDSN, s.DBName); err != nil {
				fmt.Fprintf(os.Stderr, "mmserver: drop database %s: %v\n", s.DBName, err)
			}
		}
		if s.opts.DataDir == "" && s.DataDir != "" {
			_ = os.RemoveAll(s.DataDir)
		}
	})
}

// ServerPath returns the directory of the server/v8 module (i18n/, templates/, fonts/), from
// MM_SERVER_PATH, else `go list -m`, else the module cache path of the version this binary was built with.
func ServerPath() (string, error) {
	if p := os.Getenv("MM_SERVER_PATH"); p != "" {
		return p, nil
	}
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", serverModule).Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); dir != "" {
			if _, err := os.Stat(filepath.Join(dir, "i18n")); err == nil {
				return dir, nil
			}
		}
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path != serverModule {
				continue
			}
			modcache := os.Getenv("GOMODCACHE")
			if modcache == "" {
				if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
					modcache = strings.TrimSpace(string(out))
				}
			}
			if modcache == "" {
				home, _ := os.UserHomeDir()
				modcache = filepath.Join(home, "go", "pkg", "mod")
			}
			dir := filepath.Join(modcache, "github.com", "mattermost", "mattermost", "server", "v8@"+m.Version)
			if _, err := os.Stat(filepath.Join(dir, "i18n")); err == nil {
				return dir, nil
			}
		}
	}
	return "", errors.New(
		"cannot find the Mattermost server module directory (i18n/, templates/): run `go mod download` in e2e/ or set MM_SERVER_PATH",
	)
}

func setServerPath() error {
	p, err := ServerPath()
	if err != nil {
		return err
	}
	return os.Setenv("MM_SERVER_PATH", p)
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// FreePort returns a free TCP address on 127.0.0.1.
func FreePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String(), nil
}

// WaitFor polls f until it returns nil or timeout passes.
func WaitFor(timeout time.Duration, f func() error) error {
	deadline := time.Now().Add(timeout)
	for {
		err := f()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}
