#!/usr/bin/env bash
# The 50-admin load test at `make test-scale` size, on the production-like PostgreSQL: 50 system admins
# (HARDENING_LOAD_ADMINS) read the plan and save a task field nobody else edits, every 2 s each, while a
# wave provisions 5,000 users (HARDENING_LOAD_USERS). Prints acknowledged vs refused (409) edits, lost
# edits, and the p95 of the task edit and the plan read against GET /api/v1/status measured by the same
# admins in the same run, and the CPU seconds of server, plugin and PostgreSQL beside the wall time.
# About an hour on 2 cores.
#   bench/plan-load.sh [-bundle dist/onboarding-cockpit-<v>.tar.gz]
set -euo pipefail
cd "$(dirname "$0")/.."
export GONOSUMDB=github.com/mattermost/mattermost
export GOFLAGS=-buildvcs=false
bundle=
if [ "${1:-}" = "-bundle" ]; then
    bundle=$(realpath "$2")
fi
# shellcheck source=bench/pg-production.sh
. bench/pg-production.sh
trap pg_production_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
pg_production_start
cd e2e
HARDENING_LOAD_USERS=${HARDENING_LOAD_USERS:-5000} HARDENING_LOAD_ADMINS=${HARDENING_LOAD_ADMINS:-50} \
    HARDENING_LOAD_LIMIT=${HARDENING_LOAD_LIMIT:-90m} COCKPIT_BUNDLE=${bundle:-${COCKPIT_BUNDLE:-}} \
    go test -count=1 -timeout 180m ./cockpit -run 'TestHardeningLoadFiftyAdminsDuringAWave$' -v
