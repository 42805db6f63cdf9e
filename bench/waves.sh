#!/usr/bin/env bash
# The wave engine against an admin's REST script (batch endpoints, 4 requests in flight) and Mattermost's
# bulk import, on one in-process Mattermost: N users × (1 team + 3 channels + 1 welcome DM), fresh users
# per approach, each checked from the database. Seconds, users/s, ratios engine/(b) and engine/(c).
# N = 1,000 and 5,000 by default (WAVEBENCH_N=1000 for one size); tens of minutes on 2 CPUs.
#   bench/waves.sh [-n 1000,5000] [-c 4] [-chunk 100] [-bundle dist/onboarding-cockpit-<v>.tar.gz]
exec bash "$(dirname "$0")/e2e-command.sh" wavebench "$@"
