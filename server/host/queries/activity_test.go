package queries

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSystemActivityRejectsNonPositiveNow(t *testing.T) {
	// The reader checks before opening the database, so no driver is needed.
	read := NewReplica(nil, nil, 0).SystemActivity
	_, err := read(0)
	assert.ErrorContains(t, err, "now must be a positive time")
}

func TestActivityWindows(t *testing.T) {
	const now = int64(40 * 24 * 3600 * 1000)
	d, w, m := activityWindows(now)
	assert.Equal(t, int64(39*24*3600*1000), d)
	assert.Equal(t, int64(33*24*3600*1000), w)
	assert.Equal(t, int64(10*24*3600*1000), m)
}
