package queries

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSystemLoadRejectsNonPositiveNow(t *testing.T) {
	// The reader checks before opening the database, so no driver is needed.
	_, err := NewReplica(nil, nil, 0).SystemLoad(0)
	assert.ErrorContains(t, err, "now must be a positive time")
}
