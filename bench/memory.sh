#!/usr/bin/env bash
# The plugin's memory footprint through a real Mattermost server: plugin RSS, Go heap in use/released,
# script engines and one engine's heap, at idle, under 32 callers reading GET /api/v1/plan and
# /api/v1/readiness, after a 1,000-user wave and after 10 minutes idle; against the server with the plugin
# disabled and a minimal Go plugin built by the benchmark. About 13 minutes with the defaults.
# It also splits each point's RSS (heap in use, free spans kept, stacks, runtime bookkeeping, the rest) and prints
# what the GET load allocated per request. -settings k=v,… configures the bundle under test; -variants
# "k=v,…;k=v,…" measures more settings through the idle and load points in the same run (plugin restarted each).
#   bench/memory.sh [-before old-bundle.tar.gz] [-idle 10m] [-idle-seconds 300] [-wave 1000] [-settle 30s]
#                   [-settings k=v,…] [-variants "k=v,…;k=v,…"]
exec bash "$(dirname "$0")/e2e-command.sh" memorybench "$@"
