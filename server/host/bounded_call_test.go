package host

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func boundedGet(t *testing.T, c boundedClient, url string) probeResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	return c.do(req)
}

// Whatever the status, it is answered with the body; a body longer than the limit is cut at the limit.
func TestBoundedClientAnswersTheStatusAndCapsTheBody(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/long" {
			_, _ = w.Write([]byte(strings.Repeat("x", 100)))
			return
		}
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("short"))
	}))
	t.Cleanup(server.Close)
	c := newBoundedClient(5*time.Second, 10)

	answer := boundedGet(t, c, server.URL+"/status")
	assert.Equal(t, probeResponse{Status: http.StatusTeapot, Body: "short", DurationMs: answer.DurationMs}, answer)
	answer = boundedGet(t, c, server.URL+"/long")
	assert.Equal(t, http.StatusOK, answer.Status)
	assert.Equal(t, strings.Repeat("x", 10), answer.Body)
	assert.Empty(t, answer.Error)
}

// A redirect is answered as it came; its target is never asked.
func TestBoundedClientFollowsNoRedirect(t *testing.T) {
	followed := false
	elsewhere := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { followed = true }))
	t.Cleanup(elsewhere.Close)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL, http.StatusFound)
	}))
	t.Cleanup(server.Close)
	answer := boundedGet(t, newBoundedClient(5*time.Second, 1<<10), server.URL)
	assert.Equal(t, http.StatusFound, answer.Status)
	assert.False(t, followed)
}

// A server that does not answer within the timeout: status 0, timed_out, after about the timeout. One
// that answers its status but not its body in time: the status, timed_out, an error that says it timed
// out, and no body. One that is not there: status 0, not timed out.
func TestBoundedClientTimesOut(t *testing.T) {
	const timeout = 200 * time.Millisecond
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/headers" {
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
		}
		<-r.Context().Done()
	}))
	t.Cleanup(server.Close)
	c := newBoundedClient(timeout, 1<<10)

	answer := boundedGet(t, c, server.URL+"/silent")
	assert.Equal(t, 0, answer.Status)
	assert.True(t, answer.TimedOut)
	assert.Contains(t, answer.Error, "Timeout")
	assert.GreaterOrEqual(t, answer.DurationMs, timeout.Milliseconds())
	assert.Less(t, answer.DurationMs, 10*timeout.Milliseconds())

	answer = boundedGet(t, c, server.URL+"/headers")
	assert.Equal(t, http.StatusOK, answer.Status)
	assert.Empty(t, answer.Body)
	assert.True(t, answer.TimedOut)
	assert.Contains(t, answer.Error, "timed out after 200ms reading the answer's body")
	assert.GreaterOrEqual(t, answer.DurationMs, timeout.Milliseconds())

	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	answer = boundedGet(t, c, closedURL)
	assert.Equal(t, 0, answer.Status)
	assert.Contains(t, answer.Error, "refused")
	assert.False(t, answer.TimedOut)
}
