package host

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzServeHTTP feeds the request forwarding arbitrary methods, paths, query strings, bodies and
// user ids. Whatever arrives: no panic, an /api/ path without a user is 401 before JS, a body over
// 1 MiB is 413 before JS, and anything else reaches the bundle as valid JSON carrying exactly the
// user id, path and (UTF-8) body that was sent.
//
//	cd server && go test ./host -run '^$' -fuzz FuzzServeHTTP -fuzztime 30s
func FuzzServeHTTP(f *testing.F) {
	for _, seed := range []struct{ method, path, query, body, user string }{
		{"GET", "/api/v1/plan", "page=1&page=2", "", "u1"},
		{"POST", "/api/v1/plan/phases", "", `{"title":"x"}`, "u1"},
		{"POST", "/api/v1/waves", "", `{"name":"\u202e\u200b😀\u0000"}`, "u1"},
		{"PATCH", "/api/v1/plan/tasks/%2e%2e", "a=%00&&=&x[]=1", `[[[[[[[[[[]]]]]]]]]]`, "u1"},
		{"DELETE", "/api/v1/x", "", "\xff\xfe\xfd", ""},
		{"GET", "/static/x", "q=" + strings.Repeat("é", 100), "", ""},
		{"PUT", "/api/v1/adoption/targets", "", `{"targets":[{"value":1e309}]}`, "u1"},
	} {
		f.Add(seed.method, seed.path, seed.query, seed.body, seed.user)
	}
	api := mutexAPI(4) // the serialized routes take their lock before the bundle runs
	p := New("fuzz.js", bundleWith(`
		serveHTTP: function (req) { return {status: 200, body: JSON.stringify(req)}; },
		serveHTTPBatch: function (reqs) { return reqs.map(handlers.serveHTTP); },
	`))
	p.SetAPI(api)
	if err := p.OnActivate(); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = p.OnDeactivate() })

	f.Fuzz(func(t *testing.T, method, path, query, body, user string) {
		if !validToken(method) || strings.ContainsAny(user, "\r\n\x00") || !utf8.ValidString(user) {
			t.Skip("not something net/http lets through")
		}
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path+query, " \r\n\x00#") {
			t.Skip("not a request line")
		}
		r, err := http.NewRequest(method, "http://plugin"+path+"?"+query, strings.NewReader(body))
		if err != nil {
			t.Skip("not a URL")
		}
		if user != "" {
			r.Header.Set("Mattermost-User-Id", user)
		}
		w := httptest.NewRecorder()
		p.ServeHTTP(nil, w, r)

		api := strings.HasPrefix(r.URL.Path, "/api/")
		switch {
		case api && user == "":
			if w.Code != http.StatusUnauthorized {
				t.Fatalf("anonymous %s %s: %d, want 401", method, r.URL.Path, w.Code)
			}
			return
		case len(body) > MaxRequestBody:
			if w.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("body of %d bytes: %d, want 413", len(body), w.Code)
			}
			return
		case api && method == http.MethodGet && r.URL.Path == pingPath:
			return
		}
		if w.Code != http.StatusOK {
			t.Fatalf("%s %q: %d %s, want the echo", method, path, w.Code, w.Body.String())
		}
		var seen httpRequest
		if err := json.Unmarshal(w.Body.Bytes(), &seen); err != nil {
			t.Fatalf("the bundle's answer is not the request as JSON: %v: %q", err, w.Body.String())
		}
		if seen.UserID != user || seen.Path != r.URL.Path || seen.Method != method {
			t.Fatalf("forwarded user %q path %q method %q, sent %q %q %q", seen.UserID, seen.Path, seen.Method, user, r.URL.Path, method)
		}
		if utf8.ValidString(body) && seen.Body != body {
			t.Fatalf("forwarded body differs from the one sent (%d vs %d bytes)", len(seen.Body), len(body))
		}
	})
}

// validToken says whether s is an HTTP method token net/http accepts.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c > 127 || !strings.ContainsRune("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", c) {
			return false
		}
	}
	return true
}
