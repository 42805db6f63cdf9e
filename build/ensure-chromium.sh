#!/usr/bin/env bash
# Makes sure the Chromium the browser tests drive is installed: Debian's package (/usr/bin/chromium), since a
# test tool's own browser download cannot work on a closed network. With CHROMIUM_PATH set, only checks it.
# Idempotent; `make test` runs it first, so a missing browser is installed (or reported) in the first
# seconds, not after the build and the server tests.
set -euo pipefail

log() { echo "ensure-chromium: $*" >&2; }

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$chromium" ]; then
    log "$("$chromium" --version 2>/dev/null || echo "$chromium")"
    exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
    log "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"
    exit 1
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

log "installing Debian's chromium (apt-get)"
export DEBIAN_FRONTEND=noninteractive
if ! { as_root apt-get update -qq && as_root apt-get install -y -qq --no-install-recommends chromium; }; then
    log "could not install Chromium; run: sudo apt-get install -y chromium (or set CHROMIUM_PATH)"
    exit 1
fi
log "$(/usr/bin/chromium --version)"
