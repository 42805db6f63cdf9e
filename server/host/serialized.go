package host

import (
	"errors"
	"net/http"
	"strings"
	"time"
)

// serializedRoute is an endpoint whose requests take turns under one cluster lock (declared once, as
// `serialized`, on the endpoint in contract/endpoints/; serialized_gen.go is generated from there).
// ServeHTTP takes the lock BEFORE the request gets a script engine and releases it after the answer:
// a request waiting its turn then waits in Go, holding no engine (an engine's heap is megabytes, and
// fifty waiting requests used to hold fifty of them). The bundle is told which locks it holds
// (httpRequest.Locks) so it does not wait for itself.
type serializedRoute struct {
	Method string
	Path   string // `:name` segments match any one segment, as in the bundle's router
	Lock   string
	WaitMs int
	// The 503 answered when the turn did not come within WaitMs.
	BusyID      string
	BusyMessage string
}

// matches mirrors matchPath of server/src/http/path.ts: same segment count, literals equal, empty
// segments (a trailing slash) ignored.
func (r serializedRoute) matches(method, path string) bool {
	if method != r.Method {
		return false
	}
	want, got := pathSegments(r.Path), pathSegments(path)
	if len(want) != len(got) {
		return false
	}
	for i, segment := range want {
		if !strings.HasPrefix(segment, ":") && segment != got[i] {
			return false
		}
	}
	return true
}

func pathSegments(path string) []string {
	return strings.FieldsFunc(path, func(c rune) bool { return c == '/' })
}

// serializedRouteFor is the row a request belongs to, or nil.
func serializedRouteFor(routes []serializedRoute, method, path string) *serializedRoute {
	for i := range routes {
		if routes[i].matches(method, path) {
			return &routes[i]
		}
	}
	return nil
}

// takeTurn takes the route's lock for one request. It returns the function that gives it back, or
// writes the answer (503 busy when the wait ran out) and returns ok == false.
func (h *Host) takeTurn(w http.ResponseWriter, route *serializedRoute) (release func(), ok bool) {
	err := h.mutexes.lockWithin(route.Lock, time.Duration(route.WaitMs)*time.Millisecond)
	if err != nil {
		var hostErr *HostError
		if errors.As(err, &hostErr) && hostErr.ID == mutexTimeoutID {
			writeError(w, http.StatusServiceUnavailable, route.BusyID, route.BusyMessage)
		} else {
			h.api.LogError("Could not take a request's lock", "lock", route.Lock, "err", err.Error())
			writeError(w, http.StatusInternalServerError, "cockpit.internal", "internal error")
		}
		return nil, false
	}
	return func() {
		if err := h.mutexes.unlock(route.Lock); err != nil {
			h.api.LogError("Could not release a request's lock", "lock", route.Lock, "err", err.Error())
		}
	}, true
}
