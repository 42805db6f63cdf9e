package host

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSystemLoadBindingPassesNow(t *testing.T) {
	var got int64
	h := &Host{systemLoad: func(now int64) (SystemLoad, error) {
		got = now
		return SystemLoad{ActiveSessions: 7, DBConnections: 12, DBMaxConnections: 100}, nil
	}}
	out, err := h.invoke("system.load", `[1767225600000]`)
	require.NoError(t, err)
	assert.Equal(t, int64(1767225600000), got)
	assert.JSONEq(t, `{"active_sessions":7,"db_connections":12,"db_max_connections":100}`, out)
}

func TestSystemLoadRejectsNonPositiveNow(t *testing.T) {
	// The reader checks before opening the database, so no driver is needed.
	_, err := newSystemLoad(nil, nil, 0)(0)
	assert.ErrorContains(t, err, "now must be a positive time")
}
