#!/usr/bin/env bash
# JS route vs Go-native route inside the same goja host (mock API, no network), plus the
# number of VMs the pool creates under 32 concurrent callers. First with a minimal inline
# bundle (the host's own overhead), then with the real bundle if server/dist/plugin.js is
# built (router, guards and a 700 KiB bundle). About 15 s in all.
# Extra arguments go to the program: -n, -callers, -per-caller, -pool-size, -pool-max.
set -euo pipefail
cd "$(dirname "$0")/../server"
export GONOSUMDB=github.com/mattermost/mattermost GOFLAGS=-buildvcs=false
go build -o "${TMPDIR:-/tmp}/cockpit-hostbench" ./cmd/hostbench
bench="${TMPDIR:-/tmp}/cockpit-hostbench"
"$bench" "$@"
if [ -f dist/plugin.js ] && [ "$(wc -c < dist/plugin.js)" -gt 10000 ]; then
    echo
    "$bench" -bundle dist/plugin.js -js-path /api/v1/ping "$@"
fi
