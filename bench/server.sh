#!/usr/bin/env bash
# Through a real Mattermost server (in-process, loopback): the plugin's JS route /api/v1/ping against
# its Go-native /api/v1/host/ping, at 1, 8 and 32 concurrent clients. Median/p95/p99, req/s, ratios.
#   bench/server.sh [-n 3000] [-c 1,8,32]                  (starts a throw-away server + database)
#   bench/server.sh -url http://127.0.0.1:8065 -token TOKEN (an already running server, e.g. make dev)
exec bash "$(dirname "$0")/e2e-command.sh" serverbench "$@"
