#!/usr/bin/env bash
# Builds and runs one benchmark command of the e2e module (e2e/cmd/NAME) with PostgreSQL ready:
#   bash bench/e2e-command.sh NAME [flags…]
# The database: a private, production-like PostgreSQL instance started for this run and removed after
# it (bench/pg-production.sh); BENCH_SHARED_POSTGRES=1 uses the shared one (build/ensure-postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export GONOSUMDB=github.com/mattermost/mattermost
export GOFLAGS=-buildvcs=false
name=$1
shift
mkdir -p .dev/bin
(cd e2e && go build -o "../.dev/bin/$name" "./cmd/$name")
# shellcheck source=bench/pg-production.sh
. bench/pg-production.sh
trap pg_production_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
pg_production_start
status=0
".dev/bin/$name" "$@" || status=$?
exit "$status"
