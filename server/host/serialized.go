package host

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// serializedRoute is an endpoint whose requests take turns under one cluster lock (declared once, as
// `serialized`, on the endpoint in contract/endpoints/; serialized_gen.go is generated from there).
// ServeHTTP queues the request for its turn BEFORE it gets a script engine (serveInTurn): a request
// waiting its turn waits in Go, holding no engine (an engine's heap is megabytes, and fifty waiting
// requests used to hold fifty of them), and the requests waiting together are served in one turn. The
// bundle is told which locks it holds (httpRequest.Locks) so it does not wait for itself.
type serializedRoute struct {
	Method string
	Path   string // `:name` segments match any one segment, as in the bundle's router
	Lock   string
	WaitMs int
	// The 503 answered when the turn did not come within WaitMs.
	BusyID      string
	BusyMessage string
	// The system permissions the route's guard asks for the caller and nothing else of the state: asked
	// here as the request arrives (askPermissions), in its own goroutine, so the turn does not wait for them.
	Permissions []string
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

// maxTurnBatch caps how many waiting requests one turn hands to the bundle: their answers travel back in
// one string, and a turn holds the lock for all of them.
const maxTurnBatch = 50

// errTurnBusy: the request's turn did not come within its route's wait; nothing of it ran.
var errTurnBusy = errors.New("the turn did not come in time")

// turnQueue is this node's requests waiting for one serialized lock. The first to arrive while nobody
// leads starts a leader, which takes the cluster lock, hands every request waiting at that moment (up to
// maxTurnBatch) to ONE engine in one call (the bundle's serveHTTPBatch saves them in one turn: one read
// and one write of the record they all change, however many they are), gives the lock back, answers each
// request, and goes on while requests wait. Fifty edits arriving while one turn runs then cost the next
// turn, not fifty.
type turnQueue struct {
	mu      sync.Mutex
	waiting []*queuedRequest
	leading bool
}

type queuedRequest struct {
	request  httpRequest
	done     chan turnAnswer // buffered: the leader never waits for the request's goroutine
	queuedAt time.Time
}

type turnAnswer struct {
	response httpResponse
	err      error
}

// remove takes a request that gave up out of the queue; false when the leader has handed it over already.
func (q *turnQueue) remove(item *queuedRequest) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, candidate := range q.waiting {
		if candidate == item {
			q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
			return true
		}
	}
	return false
}

// take hands over up to maxTurnBatch waiting requests, oldest first.
func (q *turnQueue) take() []*queuedRequest {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := min(len(q.waiting), maxTurnBatch)
	batch := q.waiting[:n:n]
	q.waiting = q.waiting[n:]
	return batch
}

// stillWaiting reports whether requests wait; when none do, the leader stops (under the same lock as
// the check, so a request arriving now starts a new one).
func (q *turnQueue) stillWaiting() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.waiting) == 0 {
		q.leading = false
		return false
	}
	return true
}

func (h *Host) turnQueue(lock string) *turnQueue {
	h.turnsMu.Lock()
	defer h.turnsMu.Unlock()
	if h.turns == nil {
		h.turns = map[string]*turnQueue{}
	}
	queue, ok := h.turns[lock]
	if !ok {
		queue = &turnQueue{}
		h.turns[lock] = queue
	}
	return queue
}

// serveInTurn serves a serialized route's request in a turn under its lock and returns the bundle's
// answer; errTurnBusy when the turn did not come within the route's wait (the bundle never saw it).
//
// The caller's permissions are asked first, outside the lock and in parallel with other requests; the
// bundle's guard reads the answers (httpRequest.Permissions) instead of asking inside the turn. A caller
// refused any of them never enters a turn: the request is served alone, without the lock, where the
// guard refuses it with its own answer (were the permission granted in between, the handler takes the
// lock itself, as every caller that the host holds no lock for does).
func (h *Host) serveInTurn(route *serializedRoute, request httpRequest) (httpResponse, error) {
	if !h.askPermissions(route, &request) {
		var response httpResponse
		err := dispatchOn(h, "serveHTTP", request, &response, placeInLine)
		return response, err
	}
	request.Locks = []string{route.Lock}
	queue := h.turnQueue(route.Lock)
	item := &queuedRequest{request: request, done: make(chan turnAnswer, 1), queuedAt: time.Now()}
	queue.mu.Lock()
	queue.waiting = append(queue.waiting, item)
	lead := !queue.leading
	queue.leading = true
	queue.mu.Unlock()
	if lead {
		go h.leadTurns(route, queue)
	}

	timer := time.NewTimer(time.Duration(route.WaitMs) * time.Millisecond)
	defer timer.Stop()
	select {
	case answer := <-item.done:
		return answer.response, answer.err
	case <-timer.C:
	}
	if queue.remove(item) {
		return httpResponse{}, errTurnBusy
	}
	answer := <-item.done // handed to the bundle already: its answer is on the way
	return answer.response, answer.err
}

// askPermissions asks the server for the route's permissions of the request's user and passes the
// answers on in the request; false when one was refused. An id the host does not know is left for the
// bundle to ask (and fail on) itself; an anonymous request is asked nothing (the guard answers 401).
func (h *Host) askPermissions(route *serializedRoute, request *httpRequest) bool {
	if len(route.Permissions) == 0 || request.UserID == "" {
		return true
	}
	granted := true
	request.Permissions = make(map[string]bool, len(route.Permissions))
	for _, id := range route.Permissions {
		permission, err := permissionByID(id)
		if err != nil {
			continue
		}
		has := h.api.HasPermissionTo(request.UserID, permission)
		request.Permissions[id] = has
		granted = granted && has
	}
	return granted
}

// leadTurns runs turns while requests wait. A lock not taken within the route's wait is tried again:
// each request gives up at its own deadline.
func (h *Host) leadTurns(route *serializedRoute, queue *turnQueue) {
	for queue.stillWaiting() {
		lockStart := time.Now()
		if err := h.mutexes.lockWithin(route.Lock, time.Duration(route.WaitMs)*time.Millisecond); err != nil {
			var hostErr *HostError
			if !errors.As(err, &hostErr) || hostErr.ID != mutexTimeoutID {
				h.api.LogError("Could not take a request's lock", "lock", route.Lock, "err", err.Error())
				for _, item := range queue.take() {
					item.done <- turnAnswer{err: err}
				}
			}
			continue
		}
		took := time.Now()
		batch := queue.take()
		answers := h.runTurn(batch)
		ran := time.Since(took)
		if err := h.mutexes.unlock(route.Lock); err != nil {
			h.api.LogError("Could not release a request's lock", "lock", route.Lock, "err", err.Error())
		}
		for i, item := range batch {
			timing := turnTiming{
				queued: took.Sub(item.queuedAt), lock: took.Sub(lockStart), turn: ran, batch: len(batch),
			}
			answers[i].response.Headers = timing.addTo(answers[i].response.Headers)
			item.done <- answers[i]
		}
	}
}

// turnTiming is where a serialized request's time went, sent back as a Server-Timing header (the
// standard header for it: browsers show it beside the request) so a load test can tell waiting for the
// turn from the turn's own work without guessing.
type turnTiming struct {
	queued time.Duration // from arriving to the turn that served it taking the lock (the lock's wait included)
	lock   time.Duration // taking the cluster lock for that turn
	turn   time.Duration // the turn: getting an engine and the bundle serving the whole batch
	batch  int           // requests served in that turn
}

// serverTimingHeader is the header's name; the bundle may have put its own metrics there already.
const serverTimingHeader = "Server-Timing"

func (t turnTiming) addTo(headers map[string]string) map[string]string {
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
	value := fmt.Sprintf("queue;dur=%s, lock;dur=%s, turn;dur=%s, batch;desc=%d", ms(t.queued), ms(t.lock), ms(t.turn), t.batch)
	if headers == nil {
		headers = map[string]string{}
	}
	if own := headers[serverTimingHeader]; own != "" {
		value += ", " + own
	}
	headers[serverTimingHeader] = value
	return headers
}

// runTurn hands the batch to one engine (ahead of the queue: others wait for this lock) and pairs the
// answers with the requests.
func (h *Host) runTurn(batch []*queuedRequest) []turnAnswer {
	answers := make([]turnAnswer, len(batch))
	if len(batch) == 0 {
		return answers
	}
	requests := make([]httpRequest, len(batch))
	for i, item := range batch {
		requests[i] = item.request
	}
	var responses []httpResponse
	err := dispatchOn(h, "serveHTTPBatch", requests, &responses, placeAhead)
	if err == nil && len(responses) != len(batch) {
		err = fmt.Errorf("the bundle answered %d responses for %d requests", len(responses), len(batch))
	}
	for i := range answers {
		if err != nil {
			answers[i].err = err
		} else {
			answers[i].response = responses[i]
		}
	}
	return answers
}
