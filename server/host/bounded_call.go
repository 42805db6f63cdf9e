package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// boundedClient makes the host's own calls to a server (the probes of this Mattermost server and of
// its push proxy): each call is bounded by the client's timeout and the body read back by limit, and a
// redirect is answered as it came, never followed, so a call goes only where its caller pointed it
// (and an admin's token, where one is sent, to nowhere else).
type boundedClient struct {
	client *http.Client
	limit  int64
}

func newBoundedClient(timeout time.Duration, limit int64) boundedClient {
	return boundedClient{
		client: &http.Client{
			Timeout:       timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		limit: limit,
	}
}

// do makes req and answers what came back: the status and at most limit bytes of the body (with the
// error, when reading it failed: timed_out, and an error that says so, when the timeout ran out while
// the body was still coming), or status 0 with the error (timed_out when the timeout ran out before an
// answer); and how long the call took, either way.
func (c boundedClient) do(req *http.Request) probeResponse {
	started := time.Now()
	resp, err := c.client.Do(req)
	if err != nil {
		return probeResponse{Error: err.Error(), TimedOut: isTimeout(err), DurationMs: time.Since(started).Milliseconds()}
	}
	defer func() { _ = resp.Body.Close() }() // the body is only read
	answer, err := io.ReadAll(io.LimitReader(resp.Body, c.limit))
	elapsed := time.Since(started).Milliseconds()
	if err != nil {
		if isTimeout(err) {
			// Go's own text ("context deadline exceeded (Client.Timeout or context cancellation while
			// reading body)") does not say that the server took too long; the person reading the probe must.
			return probeResponse{
				Status:     resp.StatusCode,
				Error:      fmt.Sprintf("timed out after %s reading the answer's body: %v", c.client.Timeout, err),
				TimedOut:   true,
				DurationMs: elapsed,
			}
		}
		return probeResponse{Status: resp.StatusCode, Error: err.Error(), DurationMs: elapsed}
	}
	return probeResponse{Status: resp.StatusCode, Body: string(answer), DurationMs: elapsed}
}

// isTimeout tells whether err is the client's timeout running out (a net.Error that says so, or the
// deadline of the request's context).
func isTimeout(err error) bool {
	var netErr interface{ Timeout() bool }
	return (errors.As(err, &netErr) && netErr.Timeout()) || errors.Is(err, context.DeadlineExceeded)
}
