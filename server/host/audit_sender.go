package host

import (
	"sync"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

// serverAudits sends the bundle's records to the server's audit log (audit.logServer) in order, from one
// goroutine, so the caller does not wait for the round trip: LogAuditRec answers nothing, and a task
// edit's turn, which holds the plan's lock, would otherwise wait for one server call per entry. Closed
// (after the engines) in shutdown, which sends what is queued first.
type serverAudits struct {
	api     plugin.API
	mu      sync.Mutex
	closed  bool
	records chan *model.AuditRecord
	done    chan struct{}
}

// serverAuditQueue is how many records may wait; a caller finding it full waits (no record is dropped).
const serverAuditQueue = 1024

func newServerAudits(api plugin.API) *serverAudits {
	s := &serverAudits{api: api, records: make(chan *model.AuditRecord, serverAuditQueue), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for record := range s.records {
			s.api.LogAuditRec(record)
		}
	}()
	return s
}

// send queues the record; once closed (or without a queue) it is sent at once.
func (s *serverAudits) send(api plugin.API, record *model.AuditRecord) {
	if s == nil {
		api.LogAuditRec(record)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		s.api.LogAuditRec(record)
		return
	}
	s.records <- record
}

// close sends what is queued and stops the goroutine.
func (s *serverAudits) close() {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.records)
	}
	s.mu.Unlock()
	<-s.done
}
