// Command minimalplugin is the smallest Go plugin the memory benchmark compares the cockpit with:
// what any Go plugin pays for go-plugin, net/rpc and server/public before doing anything. Its one
// route answers its own Go heap figures, read the way the cockpit's host reads them.
package main

import (
	"encoding/json"
	"net/http"
	"runtime"

	"github.com/mattermost/mattermost/server/public/plugin"
)

type minimal struct {
	plugin.MattermostPlugin
}

func (*minimal) ServeHTTP(_ *plugin.Context, w http.ResponseWriter, _ *http.Request) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]uint64{
		"heap_alloc_bytes": m.HeapAlloc, "heap_inuse_bytes": m.HeapInuse, "heap_released_bytes": m.HeapReleased,
	})
}

func main() { plugin.ClientMain(&minimal{}) }
