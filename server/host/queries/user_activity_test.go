package queries

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsersActivityRejectsBadInputBeforeTheDatabase(t *testing.T) {
	// The reader checks before opening the database, so no driver is needed.
	read := NewReplica(nil, nil, 0).UsersActivity
	_, err := read([]string{"not-an-id'; DROP TABLE Users; --"}, 0)
	assert.ErrorContains(t, err, "is not a user id")
	many := make([]string, maxActivityUsers+1)
	for i := range many {
		many[i] = strings.Repeat("b", 26)
	}
	_, err = read(many, 0)
	assert.ErrorContains(t, err, "at most 1000 users")
	empty, err := read(nil, 0)
	require.NoError(t, err)
	assert.Empty(t, empty)
}
