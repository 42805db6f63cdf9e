#!/usr/bin/env bash
# New SSO accounts (saml + auth_data) created and provisioned by a wave in newcomer mode `create` vs
# Mattermost's bulk import of the same `user` lines, on one in-process Mattermost: N people × (account +
# 1 team + 3 channels + 1 welcome DM), fresh people per approach, each checked from the database.
# Seconds, people/s, CPU per process (server, plugin, PostgreSQL) and the ratio engine/import, on the
# production-like database of bench/pg-production.sh. N = 1,000 and 5,000 by default (NEWCOMERBENCH_N=1000
# for one size).
#   bench/newcomers.sh [-n 1000,5000] [-bundle dist/onboarding-cockpit-<v>.tar.gz]
exec bash "$(dirname "$0")/e2e-command.sh" newcomerbench "$@"
