#!/usr/bin/env bash
# Builds and runs one benchmark command of the e2e module (e2e/cmd/NAME) with PostgreSQL ready:
#   bash bench/e2e-command.sh NAME [flags…]
set -euo pipefail
cd "$(dirname "$0")/.."
export GONOSUMDB=github.com/mattermost/mattermost
export GOFLAGS=-buildvcs=false
name=$1
shift
bash build/ensure-postgres.sh
mkdir -p .dev/bin
(cd e2e && go build -o "../.dev/bin/$name" "./cmd/$name")
exec ".dev/bin/$name" "$@"
