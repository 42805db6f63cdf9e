// Command gendts writes server/src/host/bindings.gen.ts from the host's binding table.
// Run from the server module: `go run ./host/cmd/gendts`.
package main

import (
	"log"
	"os"

	"github.com/onboarding-cockpit/onboarding-cockpit/server/host"
)

func main() {
	if err := os.WriteFile(host.DTSPath, []byte(host.GenerateDTS()), 0o644); err != nil { //nolint:gosec // G306: a source file of the repo, readable like the others
		log.Fatalf("gendts: %v (run it from the server directory)", err)
	}
}
