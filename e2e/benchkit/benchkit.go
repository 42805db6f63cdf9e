// Package benchkit is what the server benchmarks share: a real Mattermost with the plugin
// installed (or an already running one), a bounded load loop, and percentiles.
package benchkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// Request is one benchmarked plugin route.
type Request struct {
	Name, Method, Path string
	Body               []byte
}

// Result summarises the successful requests of one measurement.
type Result struct {
	N, Errors     int
	P50, P95, P99 time.Duration
	RPS           float64
	FirstErr      string
}

// Target is the plugin under test: its base URL (…/plugins/<id>) and a token of a system admin.
// Server is the in-process Mattermost (nil for Attach).
type Target struct {
	PluginURL, Token string
	Close            func()
	Server           *mmserver.Server
}

// benchAdmin is the system admin Start creates.
const benchAdmin = "bench-admin"

// Start starts an in-process Mattermost (fresh database, test licence), creates a system admin
// and installs the bundle (default: COCKPIT_BUNDLE or dist/).
func Start(bundle string) (*Target, error) {
	t, _, err := StartServer(bundle)
	return t, err
}

// StartServer is Start, also returning the server, for benchmarks that set up data through it.
func StartServer(bundle string) (*Target, *mmserver.Server, error) {
	if bundle == "" {
		var err error
		if bundle, err = mmserver.FindBundle(); err != nil {
			return nil, nil, err
		}
	}
	t0 := time.Now()
	s, err := mmserver.Start(mmserver.Options{})
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*Target, *mmserver.Server, error) { s.Close(); return nil, nil, err }
	if printErr := PrintDatabase(s); printErr != nil {
		return fail(printErr)
	}
	if _, createErr := s.CreateUser(benchAdmin, mmserver.UserOptions{SystemAdmin: true}); createErr != nil {
		return fail(createErr)
	}
	c, err := s.Login(benchAdmin)
	if err != nil {
		return fail(err)
	}
	m, err := mmserver.InstallPlugin(c, bundle)
	if err != nil {
		return fail(err)
	}
	log.Printf("Mattermost %s at %s with %s %s, ready in %s", s.Version, s.URL, m.Id, m.Version, time.Since(t0).Round(time.Millisecond))
	return &Target{PluginURL: s.URL + "/plugins/" + mmserver.PluginID, Token: c.AuthToken, Close: s.Close, Server: s}, s, nil
}

// NodeOptions configure StartSecondNode. The zero value is what a benchmark wants: the bundle of
// COCKPIT_BUNDLE or dist/, signed in as Start's admin, the plugin left running.
type NodeOptions struct {
	// Bundle is the plugin bundle; empty: COCKPIT_BUNDLE or dist/.
	Bundle string
	// Admin is the system admin to sign in as (a user of the shared database); empty: Start's "bench-admin".
	Admin string
	// Disabled leaves the plugin installed but disabled, so that a caller can enable it on both nodes at
	// the same moment (jobs due at once on both).
	Disabled bool
}

// StartSecondNode starts another in-process Mattermost on s's database (a second node of a cluster: its
// own plugin process, the same KV store and so the same cluster locks; no ClusterSettings, since the
// plugin's locks and records live in the shared database and nothing here needs the cluster's messages),
// signs in o.Admin and installs the bundle there: running, or disabled with o.Disabled.
func StartSecondNode(s *mmserver.Server, o NodeOptions) (*Target, *mmserver.Server, *model.Client4, error) {
	if o.Bundle == "" {
		var err error
		if o.Bundle, err = mmserver.FindBundle(); err != nil {
			return nil, nil, nil, err
		}
	}
	if o.Admin == "" {
		o.Admin = benchAdmin
	}
	second, err := mmserver.Start(mmserver.Options{Database: s.DBName})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("a second server on %s: %w", s.DBName, err)
	}
	fail := func(err error) (*Target, *mmserver.Server, *model.Client4, error) {
		second.Close()
		return nil, nil, nil, err
	}
	c, err := second.Login(o.Admin)
	if err != nil {
		return fail(err)
	}
	if _, err := mmserver.InstallPlugin(c, o.Bundle); err != nil {
		return fail(fmt.Errorf("install on the second server: %w", err))
	}
	if o.Disabled {
		if _, err := c.DisablePlugin(context.Background(), mmserver.PluginID); err != nil {
			return fail(fmt.Errorf("disable on the second server: %w", err))
		}
		if err := mmserver.WaitPluginState(c, mmserver.PluginID, model.PluginStateNotRunning, 90*time.Second); err != nil {
			return fail(err)
		}
	}
	target := &Target{PluginURL: second.URL + "/plugins/" + mmserver.PluginID, Token: c.AuthToken, Close: second.Close, Server: second}
	return target, second, c, nil
}

// Attach targets an already running server.
func Attach(serverURL, token string) *Target {
	return &Target{PluginURL: strings.TrimRight(serverURL, "/") + "/plugins/" + mmserver.PluginID, Token: token, Close: func() {}}
}

// Levels parses "1,8,32".
func Levels(s string, max int) ([]int, error) {
	var levels []int
	for f := range strings.SplitSeq(s, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || c < 1 || c > max {
			return nil, fmt.Errorf("bad concurrency %q (1…%d)", f, max)
		}
		levels = append(levels, c)
	}
	return levels, nil
}

// Sizes parses -n's "1000,5000": counts of what (users, people) from 10 to 50,000.
func Sizes(s, what string) ([]int, error) {
	var ns []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 10 || n > 50000 {
			return nil, fmt.Errorf("bad -n %q: %s counts of 10…50000", f, what)
		}
		ns = append(ns, n)
	}
	return ns, nil
}

// EnvOr is the environment variable name's value, or def when it is unset or empty.
func EnvOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// NewClient keeps up to maxConns connections open so the client does not measure TCP set-up.
func NewClient(maxConns int) *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: maxConns, MaxConnsPerHost: maxConns}}
}

// Send makes one authenticated request and reads the whole answer.
func (t *Target) Send(client *http.Client, method, path string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, t.PluginURL+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+t.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// Call sends one request, checks the status is want and decodes the answer into into (when not nil).
func (t *Target) Call(client *http.Client, method, path string, body []byte, want int, into any) error {
	code, answer, err := t.Send(client, method, path, body)
	if err != nil {
		return err
	}
	if code != want {
		return fmt.Errorf("%s %s: HTTP %d %.300s", method, path, code, answer)
	}
	if into != nil {
		return json.Unmarshal(answer, into)
	}
	return nil
}

// ErrOrOK is how the benchmarks print an approach's outcome.
func ErrOrOK(err error) string {
	if err != nil {
		return "FAILED: " + err.Error()
	}
	return "ok"
}

// Load sends n requests from c clients, stopping at limit whatever the count, and returns the
// latencies of the successful (200) ones, the errors and how long it took.
func (t *Target) Load(
	client *http.Client,
	r Request,
	c, n int,
	limit time.Duration,
) (latencies []time.Duration, errors int, firstErr string, elapsed time.Duration) {
	var next, errs atomic.Int64
	var first atomic.Value
	perClient := make([][]time.Duration, c)
	deadline := time.Now().Add(limit)
	var wg sync.WaitGroup
	t0 := time.Now()
	for w := range c {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for next.Add(1) <= int64(n) && time.Now().Before(deadline) {
				s := time.Now()
				code, _, err := t.Send(client, r.Method, r.Path, r.Body)
				d := time.Since(s)
				if err == nil && code != http.StatusOK {
					err = fmt.Errorf("HTTP %d", code)
				}
				if err != nil {
					errs.Add(1)
					first.CompareAndSwap(nil, err.Error())
					continue
				}
				perClient[w] = append(perClient[w], d)
			}
		}(w)
	}
	wg.Wait()
	for _, l := range perClient {
		latencies = append(latencies, l...)
	}
	firstErr, _ = first.Load().(string)
	return latencies, int(errs.Load()), firstErr, time.Since(t0)
}

// Summarize computes the percentiles and throughput of one measurement.
func Summarize(latencies []time.Duration, errors int, firstErr string, elapsed time.Duration) Result {
	sorted := slices.Clone(latencies)
	slices.Sort(sorted)
	r := Result{N: len(sorted), Errors: errors, FirstErr: firstErr}
	if len(sorted) > 0 {
		at := func(p float64) time.Duration { return sorted[int(float64(len(sorted)-1)*p)] }
		r.P50, r.P95, r.P99 = at(0.50), at(0.95), at(0.99)
		r.RPS = float64(len(sorted)) / elapsed.Seconds()
	}
	return r
}

// Ratio is a/b, or 0 when b is 0.
func Ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
