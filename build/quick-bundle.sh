#!/usr/bin/env bash
# A linux-amd64-only bundle for iterating on E2E tests, copied to $1 (default dist/quick.tar.gz).
# Serialised with flock so that several people (or agents) sharing one tree do not build at once.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist/quick.tar.gz}
mkdir -p "$(dirname "$out")"
exec 9>/tmp/cockpit-dist.lock
flock 9
make dist PLATFORMS=linux-amd64
cp "dist/$(node -p "require('./plugin.json').id")-$(node -p "require('./package.json').version").tar.gz" "$out"
echo "quick bundle: $out"
