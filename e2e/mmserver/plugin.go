package mmserver

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// PluginID is the cockpit's manifest id.
const PluginID = "onboarding-cockpit"

// RepoRoot walks up from the working directory to the directory holding plugin.json and package.json.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if fileExists(filepath.Join(dir, "plugin.json")) && fileExists(filepath.Join(dir, "package.json")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no plugin.json + package.json above the working directory")
		}
		dir = parent
	}
}

// FindBundle returns the plugin bundle to install: $COCKPIT_BUNDLE, else
// <repo>/dist/onboarding-cockpit-<package.json version>.tar.gz, else the newest
// <repo>/dist/onboarding-cockpit-*.tar.gz. It fails, with the remedy in the message, when none exists.
func FindBundle() (string, error) {
	const remedy = "run `make dist` at the repository root " +
		"(it builds dist/onboarding-cockpit-<version>.tar.gz), or set COCKPIT_BUNDLE to a bundle"
	if p := os.Getenv("COCKPIT_BUNDLE"); p != "" {
		if !fileExists(p) {
			return "", fmt.Errorf("COCKPIT_BUNDLE=%s does not exist: %s", p, remedy)
		}
		return filepath.Abs(p)
	}
	root, err := RepoRoot()
	if err != nil {
		return "", fmt.Errorf("plugin bundle not found (%v): %s", err, remedy)
	}
	var pkg struct{ Version string }
	if b, err := os.ReadFile(filepath.Join(root, "package.json")); err == nil && json.Unmarshal(b, &pkg) == nil && pkg.Version != "" {
		p := filepath.Join(root, "dist", PluginID+"-"+pkg.Version+".tar.gz")
		if fileExists(p) {
			return p, nil
		}
	}
	matches, _ := filepath.Glob(filepath.Join(root, "dist", PluginID+"-*.tar.gz"))
	if len(matches) == 0 {
		return "", fmt.Errorf("plugin bundle not found in %s/dist: %s", root, remedy)
	}
	sort.Slice(matches, func(i, j int) bool { return modTime(matches[i]).After(modTime(matches[j])) })
	return matches[0], nil
}

// InstallPlugin uploads bundle with force (as admin), enables it and waits until it is running.
func InstallPlugin(admin *model.Client4, bundle string) (*model.Manifest, error) {
	ctx := context.Background()
	f, err := os.Open(bundle)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	manifest, _, err := admin.UploadPluginForced(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", bundle, err)
	}
	if _, err := admin.EnablePlugin(ctx, manifest.Id); err != nil {
		return nil, fmt.Errorf("enable %s: %w", manifest.Id, err)
	}
	if err := WaitPluginState(admin, manifest.Id, model.PluginStateRunning, 60*time.Second); err != nil {
		return nil, err
	}
	return manifest, nil
}

// WaitPluginState waits until GetPluginStatuses reports id in state.
func WaitPluginState(admin *model.Client4, id string, state int, timeout time.Duration) error {
	var last string
	err := WaitFor(timeout, func() error {
		st, _, err := admin.GetPluginStatuses(context.Background())
		if err != nil {
			last = err.Error()
			return err
		}
		for _, p := range st {
			if p.PluginId == id {
				if p.State == state {
					return nil
				}
				last = fmt.Sprintf("state %d (%s)", p.State, p.Error)
				return fmt.Errorf("plugin %s: %s", id, last)
			}
		}
		last = "not listed"
		return fmt.Errorf("plugin %s not listed", id)
	})
	if err != nil {
		return fmt.Errorf("plugin %s did not reach state %d within %s: %s", id, state, timeout, last)
	}
	return nil
}

// WebappBundleURL returns the URL path of a plugin's webapp bundle, computed from
// GET /api/v4/plugins/webapp the way the Mattermost webapp does (loadPluginScript).
func WebappBundlePath(c *model.Client4, id string) (string, error) {
	ms, _, err := c.GetWebappPlugins(context.Background())
	if err != nil {
		return "", err
	}
	for _, m := range ms {
		if m.Id == id && m.Webapp != nil {
			p := m.Webapp.BundlePath
			if strings.Contains(p, "/static/") && !strings.Contains(p, "/static/plugins/") {
				p = strings.Replace(p, "/static/", "/static/plugins/", 1)
			}
			return p, nil
		}
	}
	return "", fmt.Errorf("plugin %s has no webapp in GET /api/v4/plugins/webapp", id)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func modTime(p string) time.Time {
	st, err := os.Stat(p)
	if err != nil {
		return time.Time{}
	}
	return st.ModTime()
}
