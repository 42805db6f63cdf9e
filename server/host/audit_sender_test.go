package host

import (
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin/plugintest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/mock"
)

// The server's audit records leave in the order they were given, without the caller waiting for the
// server; closing sends every queued one, and one given after that is sent at once.
func TestServerAuditsAreSentInOrderWithoutWaiting(t *testing.T) {
	api := &plugintest.API{}
	release := make(chan struct{})
	var mu sync.Mutex
	var sent []string
	api.On("LogAuditRec", mock.Anything).Run(func(args mock.Arguments) {
		<-release // the server is slow
		mu.Lock()
		defer mu.Unlock()
		sent = append(sent, args.Get(0).(*model.AuditRecord).EventName)
	}).Return()

	s := newServerAudits(api)
	start := time.Now()
	for _, name := range []string{"a", "b", "c"} {
		s.send(api, &model.AuditRecord{EventName: name})
	}
	assert.Less(t, time.Since(start), time.Second, "the caller did not wait for the server")
	close(release)
	s.close()
	assert.Equal(t, []string{"a", "b", "c"}, sent, "all sent, in order, before close returned")

	s.send(api, &model.AuditRecord{EventName: "d"})
	assert.Equal(t, []string{"a", "b", "c", "d"}, sent, "after close: sent at once")
}
