package cockpit

// Calling the plugin's routes on a real server: one answer, its error body, JSON bodies.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// apiResult is one answer of a plugin route.
type apiResult struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r apiResult) String() string {
	b := r.Body
	if len(b) > 600 {
		b = append(b[:600:600], "…"...)
	}
	return fmt.Sprintf("HTTP %d %s", r.Status, b)
}

// errorBody decodes contract ApiErrorBody.
func (r apiResult) errorBody(t *testing.T) (id, message string) {
	t.Helper()
	var e struct {
		Error struct{ ID, Message string } `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &e); err != nil {
		t.Fatalf("error body is not ApiErrorBody: %v: %s", err, r)
	}
	return e.Error.ID, e.Error.Message
}

// callAt sends a request to a plugin route of the server at base with a bearer token ("" = no session).
func callAt(t *testing.T, base, method, route, token string, body []byte) apiResult {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	resp, b := do(t, method, base+"/plugins/"+mmserver.PluginID+route, token, rd)
	return apiResult{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func call(t *testing.T, method, route, token string, body []byte) apiResult {
	t.Helper()
	return callAt(t, env.s.URL, method, route, token, body)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func userID(t *testing.T, c *model.Client4) string {
	t.Helper()
	me, _, err := c.GetMe(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	return me.Id
}
