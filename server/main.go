// The plugin executable: the generic goja host with the TypeScript bundle embedded.
package main

import (
	_ "embed"

	"github.com/mattermost/mattermost/server/public/plugin"

	"github.com/onboarding-cockpit/onboarding-cockpit/server/host"
)

// bundle is the webpack output of server/src (an IIFE assigning `var __plugin`).
//
//go:embed dist/plugin.js
var bundle string

func main() {
	plugin.ClientMain(host.New("plugin.js", bundle))
}
