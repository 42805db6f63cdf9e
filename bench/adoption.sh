#!/usr/bin/env bash
# The Adoption tab's API (GET /api/v1/adoption) and the stakeholder status page (GET
# /api/v1/stakeholders/status) through a real Mattermost server (in-process, loopback), at 100 and at
# 50,000 users, against GET /api/v1/status; prints median/p95 per size and the 50,000/100 ratio (goal:
# flat, ≤ 1.5×), plus the adoption job's run time. About 2–4 minutes (50,000 cheap users ≈ 1 min).
#   bench/adoption.sh [-small 100] [-large 50000] [-n 300] [-c 4] [-bundle dist/onboarding-cockpit-<v>.tar.gz]
exec bash "$(dirname "$0")/e2e-command.sh" adoptionbench "$@"
