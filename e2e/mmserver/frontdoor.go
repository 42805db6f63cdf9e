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
		json.NewEncoder(w).Encode(cfg)
	})
	// No favicon in this origin (the server's static handler has no webapp to serve one from).
	mux.HandleFunc("/favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
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
	go fd.srv.Serve(ln)
	return fd, nil
}

// Close stops the front door.
func (f *FrontDoor) Close() { f.srv.Close() }

// HarnessURL is the page that mounts the cockpit.
func (f *FrontDoor) HarnessURL() string { return f.URL + "/harness/index.html" }

// BuildHarness bundles e2e/harness with webpack (from the repository's node_modules) unless
// e2e/harness/dist is newer than its sources. It returns the dist directory.
func BuildHarness() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, "e2e", "harness")
	dist := filepath.Join(dir, "dist")
	out := filepath.Join(dist, "harness.js")
	if built := modTime(out); !built.IsZero() && !newerThan(dir, built, dist) {
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
	if !fileExists(out) {
		return "", fmt.Errorf("build harness: %s not produced\n%s", out, b)
	}
	return dist, nil
}

// newerThan reports whether any file under dir (except skip and node_modules) is newer than t.
func newerThan(dir string, t time.Time, skip string) bool {
	newer := false
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
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
