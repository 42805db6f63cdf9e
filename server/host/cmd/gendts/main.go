// Command gendts writes the TypeScript generated from the host's binding table: the binding
// types (server/src/host/bindings.gen.ts), the MattermostApi facade, createHostApi() and the
// read-only view (server/src/mattermost/{api,hostApi,readOnly}.ts). Run from the server module:
// `go run ./host/cmd/gendts` (`make` does).
package main

import (
	"log"
	"os"

	"github.com/onboarding-cockpit/onboarding-cockpit/server/host"
)

func main() {
	files, err := host.GenerateTS("host")
	if err != nil {
		log.Fatalf("gendts: %v (run it from the server directory)", err)
	}
	for path, text := range files {
		//nolint:gosec // G306: a source file of the repo, readable like the others
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			log.Fatalf("gendts: %v (run it from the server directory)", err)
		}
	}
}
