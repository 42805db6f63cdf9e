#!/usr/bin/env bash
# The plan capability through a real Mattermost server (in-process, loopback): after importing a plan
# of 300 tasks, GET /api/v1/plan and a full POST /api/v1/readiness/run against GET /api/v1/status in
# the same run, at 1 and 4 concurrent clients. Median/p95/p99, req/s, ratios. About 30–60 s.
#   bench/plan.sh [-n 300] [-c 1,4] [-tasks 300] [-bundle dist/onboarding-cockpit-<v>.tar.gz]
exec bash "$(dirname "$0")/e2e-command.sh" planbench "$@"
