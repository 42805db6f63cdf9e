#!/usr/bin/env bash
# `make dev`: a real Mattermost (server/v8 module, in-process: e2e/cmd/devserver) on 127.0.0.1:8065 with
# the plugin from dist/ installed, a persistent database cockpit_dev, data under .dev/, a demo
# organisation seeded on the first run, and the cockpit harness page same-origin on 127.0.0.1:8066.
# Flags are passed to devserver (e.g. build/dev.sh -users 1000 -log DEBUG). Reuses the database and the
# Go build cache on later runs; `rm -rf .dev && dropdb -h 127.0.0.1 -U postgres cockpit_dev` starts over.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

export GONOSUMDB=github.com/mattermost/mattermost
export GOFLAGS=-buildvcs=false

id=$(node -p "require('./plugin.json').id")
version=$(node -p "require('./package.json').version")
bundle=${COCKPIT_BUNDLE:-$root/dist/$id-$version.tar.gz}
if [ ! -f "$bundle" ]; then
    echo "dev: $bundle missing, running make dist" >&2
    make dist
fi

bash build/ensure-postgres.sh

mkdir -p .dev/bin
echo "dev: building e2e/cmd/devserver (the first build compiles the Mattermost server: minutes)" >&2
t0=$(date +%s)
(cd e2e && go build -o "$root/.dev/bin/devserver" ./cmd/devserver)
echo "dev: built in $(( $(date +%s) - t0 ))s" >&2

exec "$root/.dev/bin/devserver" -bundle "$bundle" "$@"
