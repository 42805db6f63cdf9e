// Package queries holds the product-specific SQL readers the plugin API lacks: adoption and load
// numbers, users' activity, group links and server totals, read from the database the server
// hands the plugin (through its Driver). Unlike the generic goja host around it, this code knows
// Mattermost's schema; each reader says which API call it stands in for. All of them run on the
// read replica through Replica.run, bounded by the host's call timeout.
package queries

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"time"

	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/mattermost/mattermost/server/public/pluginapi"
)

// Replica is the read replica as the readers use it. It is opened on first use (most activations
// never need it), and every call is bounded by the host's call timeout, since a VM blocked in Go
// cannot be interrupted.
type Replica struct {
	store   *pluginapi.StoreService
	timeout time.Duration
}

// NewReplica returns the readers for one activation. Inputs are checked before the database is
// opened, so tests of that need neither API nor driver.
func NewReplica(api plugin.API, driver plugin.Driver, timeout time.Duration) *Replica {
	return &Replica{store: pluginapi.NewClient(api, driver).Store, timeout: timeout}
}

// run opens the replica and runs query under one timeout-bounded context; binding names the host
// call in the errors.
func (r *Replica) run(binding string, query func(ctx context.Context, db *sql.DB) error) error {
	db, err := r.store.GetReplicaDB()
	if err != nil {
		return fmt.Errorf("%s: open database: %w", binding, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	return query(ctx, db)
}

// idPattern is a Mattermost id: what every id a reader puts into a query must look like.
var idPattern = regexp.MustCompile(`^[a-z0-9]{26}$`)
