package mmserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// HarnessConfig is served at /harness/config.json for the harness page.
type HarnessConfig struct {
	PluginID string `json:"plugin_id"`
	Username string `json:"username"`
	Password string `json:"password"`
}

// FrontDoor is one origin for the browser: /harness/* from the harness build, everything else
// reverse-proxied to the Mattermost server. Make it the server's SiteURL so cookies, CSRF and the
// plugin's webapp bundle URL all line up.
type FrontDoor struct {
	URL string
	srv *http.Server
}

// StartFrontDoor listens on addr (default 127.0.0.1:0) and serves harnessDist under /harness/.
func StartFrontDoor(addr, backend, harnessDist string, cfg HarnessConfig) (*FrontDoor, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	target, err := url.Parse(backend)
	if err != nil {
		return nil, err
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	// The incoming Host is kept (Director does not touch req.Host), so the server sees the front door's origin.
	proxy.FlushInterval = -1
	mux := http.NewServeMux()
	mux.HandleFunc("/harness/config.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(cfg)
	})
	// No favicon in this origin (the server's static handler has no webapp to serve one from).
	mux.HandleFunc("/favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	// The page before the harness had host library profiles: the default profile's (the fragment stays).
	mux.HandleFunc("/harness/index.html", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/harness/"+DefaultHarnessProfile+"/index.html", http.StatusFound)
	})
	files := http.StripPrefix("/harness/", http.FileServer(http.Dir(harnessDist)))
	mux.Handle("/harness/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		files.ServeHTTP(w, r)
	}))
	mux.Handle("/", proxy)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	fd := &FrontDoor{URL: "http://" + ln.Addr().String(), srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = fd.srv.Serve(ln) }()
	return fd, nil
}

// Close stops the front door.
func (f *FrontDoor) Close() { _ = f.srv.Close() }

// HarnessURL is the page that mounts the cockpit, built with the first host library profile (mm11).
func (f *FrontDoor) HarnessURL() string {
	return f.URL + "/harness/" + DefaultHarnessProfile + "/index.html"
}

// HarnessURLFor is the harness page built with host library profile id (see HarnessProfiles).
func (f *FrontDoor) HarnessURLFor(profile string) string {
	return f.URL + "/harness/" + profile + "/index.html"
}

// DefaultHarnessProfile is the profile HarnessURL opens: the first of webapp/host_profiles/profiles.js
// (the supported ESR's libraries). The test names and screenshots use the ids HarnessProfiles reads.
const DefaultHarnessProfile = "mm11"

// HarnessProfile is one host library profile the harness was built with (dist/profiles.json, written by
// e2e/harness/webpack.config.js from webapp/host_profiles/profiles.js, where they are declared once).
type HarnessProfile struct {
	ID                string `json:"id"`
	Releases          string `json:"releases"`
	JSXRuntimeGlobals bool   `json:"jsxRuntimeGlobals"`
	React             string `json:"react"`
}

// BuildHarness bundles e2e/harness with webpack (from the repository's node_modules), once per host
// library profile into e2e/harness/dist/<profile id>/, unless the build is newer than its sources and
// webapp/host_profiles/profiles.js. It returns the dist directory (served as /harness/).
func BuildHarness() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "e2e", "harness")
	dist := filepath.Join(dir, "dist")
	if !harnessStale(root, dir, dist) {
		return dist, nil
	}
	if !fileExists(filepath.Join(root, "node_modules", "webpack")) {
		return "", errors.New("node_modules/webpack missing: run `npm ci` at the repository root")
	}
	cmd := exec.Command("npx", "--no-install", "webpack", "--config", filepath.Join(dir, "webpack.config.js"))
	cmd.Dir = root
	b, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("build harness: %v\n%s", err, b)
	}
	if harnessStale(root, dir, dist) {
		return "", fmt.Errorf("build harness: dist/profiles.json or a profile's harness.js not produced\n%s", b)
	}
	return dist, nil
}

// harnessStale: no profiles.json, a profile without harness.js, or a source newer than the oldest output.
func harnessStale(root, dir, dist string) bool {
	profiles, err := readHarnessProfiles(dist)
	if err != nil || len(profiles) == 0 {
		return true
	}
	oldest := modTime(filepath.Join(dist, "profiles.json"))
	for _, p := range profiles {
		t := modTime(filepath.Join(dist, p.ID, "harness.js"))
		if t.IsZero() {
			return true
		}
		if t.Before(oldest) {
			oldest = t
		}
	}
	if modTime(filepath.Join(root, "webapp", "host_profiles", "profiles.js")).After(oldest) {
		return true
	}
	return newerThan(dir, oldest, dist)
}

func readHarnessProfiles(dist string) ([]HarnessProfile, error) {
	b, err := os.ReadFile(filepath.Join(dist, "profiles.json"))
	if err != nil {
		return nil, err
	}
	var profiles []HarnessProfile
	if err := json.Unmarshal(b, &profiles); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dist, "profiles.json"), err)
	}
	return profiles, nil
}

// HarnessProfiles builds the harness if needed and returns its host library profiles, in the order
// webapp/host_profiles/profiles.js declares them.
func HarnessProfiles() ([]HarnessProfile, error) {
	dist, err := BuildHarness()
	if err != nil {
		return nil, err
	}
	return readHarnessProfiles(dist)
}

// newerThan reports whether any file under dir (except skip and node_modules) is newer than t.
func newerThan(dir string, t time.Time, skip string) bool {
	newer := false
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || newer {
			return filepath.SkipDir
		}
		if info.IsDir() && (p == skip || strings.HasSuffix(p, "node_modules")) {
			return filepath.SkipDir
		}
		if !info.IsDir() && info.ModTime().After(t) {
			newer = true
		}
		return nil
	})
	return newer
}
